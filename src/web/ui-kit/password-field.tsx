import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A password input whose show/hide button has a translated label (without the word "password", so
 * that finding the field by its label stays unambiguous). */
export function PasswordField(props: PasswordInputProps): ReactNode {
  const { t } = useTranslation();
  return <PasswordInput visibilityToggleButtonProps={{ 'aria-label': t('common.showHide') }} {...props} />;
}
