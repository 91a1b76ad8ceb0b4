import { Badge, Button, Group, Modal, MultiSelect, Stack, Table } from '@mantine/core';
import { IconEdit } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan, useMe } from '../../../web/session';
import type { MemberT } from '../../../web/types';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { SaveError } from '../../../web/ui-kit/save-error';
import { membersKey, useMembers, useRoleLabel, useRoles } from './queries';
import { Section } from '../../../web/ui-kit/section';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { notify } from '../../../web/ui-kit/notify';

export function useRoleOptions(): { value: string; label: string }[] {
  const me = useMe();
  const roles = useRoles();
  return (roles.data?.roles ?? [])
    .filter((r) => r.id !== 'platform_admin' || me.user.isPlatformAdmin)
    .map((r) => ({ value: r.id, label: r.label }));
}

function EditRolesModal({ member, onClose }: { member: MemberT; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const options = useRoleOptions();
  const [roles, setRoles] = useState<string[]>(member.roles);
  // The version the next save sends: the one the dialog opened on, or the current one after a reload.
  const [version, setVersion] = useState(member.version);
  const save = useMutation({
    mutationFn: () =>
      api.patch(`/api/organisation/members/${encodeURIComponent(member.id)}`, {
        roles,
        version,
      }),
    onSuccess: () => {
      notify({ color: 'teal', message: t('organisation.rolesSaved', { name: member.name }) });
      void queryClient.invalidateQueries({ queryKey: membersKey });
      onClose();
    },
  });
  // After a 409: refetch the members and take this member's current version; the chosen roles stay.
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: membersKey });
    const fresh = queryClient
      .getQueryData<{ items: MemberT[] }>(membersKey)
      ?.items.find((m) => m.id === member.id);
    if (fresh) setVersion(fresh.version);
  };
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('organisation.editRolesOf', { name: member.name })}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <Stack>
        <SaveError error={save.error} onReload={reload} />
        <MultiSelect
          label={t('organisation.roles')}
          data={options}
          value={roles}
          onChange={setRoles}
          error={roles.length === 0 ? t('organisation.rolesRequired') : undefined}
          searchable
          comboboxProps={{ withinPortal: true }}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={roles.length === 0}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function MembersSection(): ReactNode {
  const { t } = useTranslation();
  const members = useMembers();
  const roleLabel = useRoleLabel();
  const canManage = useCan('identity.members.manage');
  const [editing, setEditing] = useState<MemberT | null>(null);

  return (
    <Section title={t('organisation.members')}>
      {members.isPending ? (
        <PageLoader />
      ) : members.isError ? (
        <QueryError error={members.error} onRetry={() => void members.refetch()} />
      ) : (
        <ScrollTable minWidth={640} label={t('organisation.members')}>
          <Table striped highlightOnHover verticalSpacing="sm">
            <Table.Caption>
              {t('organisation.membersCaption', { count: members.data.items.length })}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('organisation.name')}</Table.Th>
                <Table.Th scope="col">{t('organisation.email')}</Table.Th>
                <Table.Th scope="col">{t('organisation.roles')}</Table.Th>
                <Table.Th scope="col">{t('organisation.twoFactor')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.data.items.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {m.roles.map((r) => (
                        <Badge key={r} variant="light" tt="none">
                          {roleLabel(r)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={m.totpEnabled ? 'teal' : 'gray'} tt="none">
                      {m.totpEnabled ? t('totp.statusOn') : t('totp.statusOff')}
                    </Badge>
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconEdit size={14} aria-hidden />}
                        aria-label={t('organisation.editRolesFor', { name: m.name })}
                        onClick={() => setEditing(m)}
                      >
                        {t('organisation.editRoles')}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {editing && <EditRolesModal key={editing.id} member={editing} onClose={() => setEditing(null)} />}
    </Section>
  );
}
