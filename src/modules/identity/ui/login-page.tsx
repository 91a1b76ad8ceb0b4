import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDocumentTitle } from '@mantine/hooks';
import { IconInfoCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { safeNext } from '../../../web/routes';
import { healthQuery, meQuery } from '../../../web/session';
import type { LoginResultT } from '../../../web/types';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { emailError, requiredError } from './validation';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PasswordField } from '../../../web/ui-kit/password-field';

const route = getRouteApi('/public/login');

function CredentialsStep({ onDone }: { onDone: (result: LoginResultT) => void }): ReactNode {
  const { t } = useTranslation();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => emailError(t, v),
      password: (v) => requiredError(t, v),
    },
  });
  const login = useMutation({
    mutationFn: (values: { email: string; password: string }) =>
      api.post<LoginResultT>('/api/auth/login', values, { authRedirect: false }),
    onSuccess: onDone,
  });
  return (
    <form onSubmit={form.onSubmit((values) => login.mutate(values))} noValidate>
      <Stack>
        <ProblemAlert error={login.error} title={t('login.failed')} />
        <TextInput
          label={t('login.email')}
          type="email"
          autoComplete="username"
          required
          data-autofocus
          key={form.key('email')}
          {...form.getInputProps('email')}
        />
        <PasswordField
          label={t('login.password')}
          autoComplete="current-password"
          required
          key={form.key('password')}
          {...form.getInputProps('password')}
        />
        <Group justify="space-between" wrap="wrap">
          <AnchorLink to="/reset-password" size="sm">
            {t('login.forgot')}
          </AnchorLink>
          <Button type="submit" loading={login.isPending}>
            {t('login.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SecondFactorStep({ onDone, onBack }: { onDone: () => void; onBack: () => void }): ReactNode {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: {
      code: (v) =>
        recovery
          ? v.trim().length >= 6
            ? null
            : t('validation.recoveryCode')
          : /^\d{6}$/.test(v.trim())
            ? null
            : t('validation.totpCode'),
    },
  });
  const verify = useMutation({
    mutationFn: (code: string) => api.post<LoginResultT>('/api/auth/totp', { code }, { authRedirect: false }),
    onSuccess: onDone,
  });
  return (
    <form onSubmit={form.onSubmit((v) => verify.mutate(v.code.trim()))} noValidate>
      <Stack>
        <Text size="sm">{recovery ? t('login.recoveryHelp') : t('login.totpHelp')}</Text>
        <ProblemAlert error={verify.error} title={t('login.failed')} />
        <TextInput
          data-testid="totp-code"
          label={recovery ? t('login.recoveryCode') : t('login.totpCode')}
          inputMode={recovery ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          maxLength={recovery ? 32 : 6}
          required
          data-autofocus
          {...form.getInputProps('code')}
        />
        <Group justify="space-between" wrap="wrap">
          <Anchor
            component="button"
            type="button"
            size="sm"
            onClick={() => {
              setRecovery((r) => !r);
              form.reset();
            }}
          >
            {recovery ? t('login.useTotp') : t('login.useRecovery')}
          </Anchor>
          <Group gap="xs">
            <Button variant="default" onClick={onBack}>
              {t('common.back')}
            </Button>
            <Button type="submit" loading={verify.isPending}>
              {t('login.verify')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

export function LoginPage(): ReactNode {
  const { t } = useTranslation();
  const { next } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const health = useQuery(healthQuery);
  const [step, setStep] = useState<'credentials' | 'totp'>('credentials');
  useDocumentTitle(`${t('login.title')} · ${t('app.name')}`);

  const finish = async () => {
    await queryClient.fetchQuery({ ...meQuery, staleTime: 0 });
    router.history.push(safeNext(next));
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        {step === 'credentials' ? t('login.title') : t('login.totpTitle')}
      </Title>
      {step === 'credentials' ? (
        <CredentialsStep
          onDone={(result) => {
            if (result.status === 'mfa_required') setStep('totp');
            else void finish();
          }}
        />
      ) : (
        <SecondFactorStep onDone={() => void finish()} onBack={() => setStep('credentials')} />
      )}
      {health.data?.demo && (
        <Alert
          variant="light"
          color="blue"
          icon={<IconInfoCircle aria-hidden />}
          title={t('login.demoTitle')}
        >
          {t('login.demoHint')}
        </Alert>
      )}
    </Stack>
  );
}
