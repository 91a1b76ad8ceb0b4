import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconLogout } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { LANGUAGES, LANGUAGE_NAMES, changeLanguage, isLanguage } from '../../../web/i18n';
import { meQuery, useMe } from '../../../web/session';
import { useSignOut } from '../../../web/shell/use-sign-out';
import type { MeT } from '../../../web/types';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { Section } from '../../../web/ui-kit/section';
import { TokensSection } from './tokens-section';
import { TotpSection } from './totp-section';
import { passwordError, requiredError } from './validation';
import { PasswordField } from '../../../web/ui-kit/password-field';
import { notify } from '../../../web/ui-kit/notify';

function ProfileSection(): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { name: me.user.name, locale: me.user.locale ?? '' },
    validate: { name: (v) => requiredError(t, v) },
  });
  const save = useMutation({
    mutationFn: (v: { name: string; locale: string }) =>
      api.patch<MeT>('/api/me', { name: v.name.trim(), locale: isLanguage(v.locale) ? v.locale : null }),
    onSuccess: async (updated, v) => {
      queryClient.setQueryData(meQuery.queryKey, updated);
      if (isLanguage(v.locale)) await changeLanguage(v.locale);
      notify({ color: 'teal', message: t('account.profileSaved') });
    },
    onError: (err) => applyFieldErrors(form, ['name', 'locale'], err),
  });
  return (
    <Section title={t('account.profile')} description={me.user.email}>
      <form onSubmit={form.onSubmit((v) => save.mutate(v))} noValidate>
        <Stack>
          <ProblemAlert error={save.error} />
          <TextInput
            label={t('account.name')}
            autoComplete="name"
            required
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <Select
            label={t('account.language')}
            description={t('account.languageHelp')}
            data={[
              { value: '', label: t('account.languageBrowser') },
              ...LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] })),
            ]}
            allowDeselect={false}
            key={form.key('locale')}
            {...form.getInputProps('locale')}
          />
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function PasswordSection(): ReactNode {
  const { t } = useTranslation();
  const me = useMe();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { currentPassword: '', newPassword: '' },
    validate: {
      currentPassword: (v) => requiredError(t, v),
      newPassword: (v) => passwordError(t, v),
    },
  });
  const change = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) =>
      api.post('/api/me/password', { currentPassword: v.currentPassword, newPassword: v.newPassword }),
    onSuccess: () => {
      form.reset();
      notify({ color: 'teal', message: t('account.passwordChanged') });
    },
    onError: (err) => applyFieldErrors(form, ['currentPassword', 'newPassword'], err),
  });
  return (
    <Section title={t('account.changePassword')} description={t('account.changePasswordHelp')}>
      <form onSubmit={form.onSubmit((v) => change.mutate(v))} noValidate>
        {/* For password managers: which account this password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={me.user.email} readOnly hidden />
        <Stack>
          <ProblemAlert error={change.error} />
          <PasswordField
            label={t('account.currentPassword')}
            autoComplete="current-password"
            required
            key={form.key('currentPassword')}
            {...form.getInputProps('currentPassword')}
          />
          <PasswordField
            label={t('account.newPassword')}
            description={t('validation.passwordRules')}
            autoComplete="new-password"
            required
            key={form.key('newPassword')}
            {...form.getInputProps('newPassword')}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('account.changePasswordSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function SessionsSection(): ReactNode {
  const { t } = useTranslation();
  const signOut = useSignOut();
  const everywhere = useMutation({ mutationFn: () => signOut(true) });
  return (
    <Section title={t('account.sessions')} description={t('account.sessionsHelp')}>
      <Group>
        <Button
          color="red"
          variant="outline"
          leftSection={<IconLogout size={16} aria-hidden />}
          loading={everywhere.isPending}
          onClick={() => everywhere.mutate()}
        >
          {t('account.signOutEverywhere')}
        </Button>
      </Group>
    </Section>
  );
}

export function AccountPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('account.title')} />
      <Stack gap="lg" maw={760}>
        <ProfileSection />
        <PasswordSection />
        <TotpSection />
        <TokensSection />
        <SessionsSection />
      </Stack>
    </>
  );
}
