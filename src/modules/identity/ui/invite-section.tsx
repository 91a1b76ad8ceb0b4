import { Badge, Button, Group, MultiSelect, Stack, Table, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import type { InvitationT } from '../../../web/types';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { useRoleOptions } from './members-section';
import { invitationsKey, useInvitations, useRoleLabel } from './queries';
import { Section } from '../../../web/ui-kit/section';
import { emailError } from './validation';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { notify } from '../../../web/ui-kit/notify';

export function InviteSection(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const queryClient = useQueryClient();
  const options = useRoleOptions();
  const roleLabel = useRoleLabel();
  const invitations = useInvitations(true);
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { email: '', roles: ['staff'] as string[] },
    validate: {
      email: (v) => emailError(t, v),
      roles: (v) => (v.length > 0 ? null : t('organisation.rolesRequired')),
    },
  });
  const invite = useMutation({
    mutationFn: (v: { email: string; roles: string[] }) =>
      api.post<InvitationT>('/api/organisation/invitations', { email: v.email.trim(), roles: v.roles }),
    onSuccess: (inv) => {
      notify({ color: 'teal', message: t('organisation.invited', { email: inv.email }) });
      form.reset();
      void queryClient.invalidateQueries({ queryKey: invitationsKey });
    },
    onError: (err) => applyFieldErrors(form, ['email', 'roles'], err),
  });
  const open = invitations.data?.items.filter((i) => !i.acceptedAt) ?? [];

  return (
    <Section title={t('organisation.invite')} description={t('organisation.inviteHelp')}>
      <form onSubmit={form.onSubmit((v) => invite.mutate(v))} noValidate>
        <Stack gap="sm">
          <ProblemAlert error={invite.error} />
          <Group align="flex-start" wrap="wrap">
            <TextInput
              label={t('organisation.email')}
              type="email"
              required
              w={{ base: '100%', sm: 300 }}
              key={form.key('email')}
              {...form.getInputProps('email')}
            />
            <MultiSelect
              label={t('organisation.roles')}
              data={options}
              required
              searchable
              w={{ base: '100%', sm: 360 }}
              key={form.key('roles')}
              {...form.getInputProps('roles')}
            />
          </Group>
          <Group>
            <Button type="submit" leftSection={<IconSend size={16} aria-hidden />} loading={invite.isPending}>
              {t('organisation.sendInvitation')}
            </Button>
          </Group>
        </Stack>
      </form>
      {invitations.isPending ? (
        <PageLoader />
      ) : invitations.isError ? (
        <QueryError error={invitations.error} onRetry={() => void invitations.refetch()} />
      ) : open.length === 0 ? (
        <Text size="sm">{t('organisation.noInvitations')}</Text>
      ) : (
        <ScrollTable minWidth={480} label={t('organisation.openInvitations')}>
          <Table verticalSpacing="xs">
            <Table.Caption>{t('organisation.openInvitations')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('organisation.email')}</Table.Th>
                <Table.Th scope="col">{t('organisation.roles')}</Table.Th>
                <Table.Th scope="col">{t('organisation.expires')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {open.map((i) => (
                <Table.Tr key={i.id}>
                  <Table.Td>{i.email}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {i.roles.map((r) => (
                        <Badge key={r} variant="light" tt="none">
                          {roleLabel(r)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{fmt.date(i.expiresAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Section>
  );
}
