import { Alert, Button, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { IconCircleCheck, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { emailError, passwordError } from './validation';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PasswordField } from '../../../web/ui-kit/password-field';

const confirmRoute = getRouteApi('/public/reset-password/$token');

function BackToLogin(): ReactNode {
  const { t } = useTranslation();
  return (
    <AnchorLink to="/login" size="sm">
      {t('reset.backToLogin')}
    </AnchorLink>
  );
}

export function ResetRequestPage(): ReactNode {
  const { t } = useTranslation();
  useDocumentTitle(`${t('reset.requestTitle')} · ${t('app.name')}`);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '' },
    validate: { email: (v) => emailError(t, v) },
  });
  const request = useMutation({
    mutationFn: (email: string) =>
      api.post('/api/auth/password-reset/request', { email: email.trim() }, { authRedirect: false }),
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('reset.requestTitle')}
      </Title>
      {request.isSuccess ? (
        <Alert color="teal" variant="light" icon={<IconMailCheck aria-hidden />} role="status">
          {t('reset.sent')}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((v) => request.mutate(v.email))} noValidate>
          <Stack>
            <Text size="sm">{t('reset.requestHelp')}</Text>
            <ProblemAlert error={request.error} />
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="email"
              required
              data-autofocus
              key={form.key('email')}
              {...form.getInputProps('email')}
            />
            <Button type="submit" loading={request.isPending}>
              {t('reset.send')}
            </Button>
          </Stack>
        </form>
      )}
      <BackToLogin />
    </Stack>
  );
}

export function ResetConfirmPage(): ReactNode {
  const { t } = useTranslation();
  const { token } = confirmRoute.useParams();
  useDocumentTitle(`${t('reset.confirmTitle')} · ${t('app.name')}`);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { password: '' },
    validate: {
      password: (v) => passwordError(t, v),
    },
  });
  const confirm = useMutation({
    mutationFn: (password: string) =>
      api.post('/api/auth/password-reset/confirm', { token, password }, { authRedirect: false }),
    onError: (err) => applyFieldErrors(form, ['password'], err),
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('reset.confirmTitle')}
      </Title>
      {confirm.isSuccess ? (
        <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
          {t('reset.done')}
        </Alert>
      ) : (
        <form onSubmit={form.onSubmit((v) => confirm.mutate(v.password))} noValidate>
          <Stack>
            <ProblemAlert error={confirm.error} />
            <PasswordField
              label={t('account.newPassword')}
              description={t('validation.passwordRules')}
              autoComplete="new-password"
              required
              data-autofocus
              key={form.key('password')}
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={confirm.isPending}>
              {t('reset.setPassword')}
            </Button>
          </Stack>
        </form>
      )}
      <BackToLogin />
    </Stack>
  );
}
