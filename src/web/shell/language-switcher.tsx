import { Select } from '@mantine/core';
import { IconLanguage } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../api';
import { LANGUAGES, LANGUAGE_NAMES, changeLanguage, currentLanguage, isLanguage } from '../i18n';
import { meQuery } from '../session';
import type { MeT } from '../types';
import { notify } from '../ui-kit/notify';

const DATA = LANGUAGES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }));

/** Switches the UI language; remembered in this browser and, when signed in, on the account. */
export function LanguageSwitcher({ w = 150 }: { w?: number | string }): ReactNode {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const value = isLanguage(i18n.language) ? i18n.language : currentLanguage();

  const onChange = async (next: string | null) => {
    if (!isLanguage(next) || next === value) return;
    await changeLanguage(next);
    const me = queryClient.getQueryData<MeT | null>(meQuery.queryKey);
    if (!me) return;
    try {
      await api.patch('/api/me', { locale: next });
      queryClient.setQueryData<MeT | null>(meQuery.queryKey, (old) =>
        old ? { ...old, user: { ...old.user, locale: next } } : old,
      );
    } catch (err) {
      notify({ color: 'red', title: t('shell.languageNotSaved'), message: errorMessage(err) });
    }
  };

  return (
    <Select
      data-testid="lang-switcher"
      aria-label={t('shell.language')}
      data={DATA}
      value={value}
      onChange={(v) => void onChange(v)}
      allowDeselect={false}
      withCheckIcon
      leftSection={<IconLanguage size={16} aria-hidden />}
      renderOption={({ option }) => <span lang={option.value}>{option.label}</span>}
      w={w}
      comboboxProps={{ withinPortal: true, zIndex: 400 }}
    />
  );
}
