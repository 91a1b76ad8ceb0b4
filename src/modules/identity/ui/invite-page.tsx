import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { passwordError, requiredError } from './validation';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';
import { PasswordField } from '../../../web/ui-kit/password-field';

const route = getRouteApi('/public/invite/$token');

export function InvitePage(): ReactNode {
  const { t } = useTranslation();
  const { token } = route.useParams();
  useDocumentTitle(`${t('invite.title')} · ${t('app.name')}`);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: '', password: '' },
    validate: {
      name: (v) => requiredError(t, v),
      password: (v) => passwordError(t, v),
    },
  });
  const accept = useMutation({
    mutationFn: (v: { name: string; password: string }) =>
      api.post<{ email: string }>(
        '/api/invitations/accept',
        { token, name: v.name.trim(), password: v.password },
        { authRedirect: false },
      ),
    onError: (err) => applyFieldErrors(form, ['name', 'password'], err),
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('invite.title')}
      </Title>
      {accept.isSuccess ? (
        <Stack>
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
            {t('invite.done', { email: accept.data.email })}
          </Alert>
          <ButtonLink to="/login">{t('login.submit')}</ButtonLink>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((v) => accept.mutate(v))} noValidate>
          <Stack>
            <Text size="sm">{t('invite.help')}</Text>
            <ProblemAlert error={accept.error} />
            <TextInput
              label={t('account.name')}
              autoComplete="name"
              required
              data-autofocus
              key={form.key('name')}
              {...form.getInputProps('name')}
            />
            <PasswordField
              label={t('login.password')}
              description={t('validation.passwordRules')}
              autoComplete="new-password"
              required
              key={form.key('password')}
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={accept.isPending}>
              {t('invite.accept')}
            </Button>
          </Stack>
        </form>
      )}
      <AnchorLink to="/login" size="sm">
        {t('reset.backToLogin')}
      </AnchorLink>
    </Stack>
  );
}
