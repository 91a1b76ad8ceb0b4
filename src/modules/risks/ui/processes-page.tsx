import { Badge, Button, Container, Group, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { Process } from '../risks.contract';
import { risksKey, useProcesses } from './queries';
import { RisksSubnav } from './register-page';

export function ProcessesPage(): ReactNode {
  return (
    <RequirePermission permission="risks.read">
      <Processes />
    </RequirePermission>
  );
}

function Processes(): ReactNode {
  const { t } = useTranslation();
  const canManage = useCan('risks.manage');
  const qc = useQueryClient();
  const list = useProcesses();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [editing, setEditing] = useState<{ id: string; name: string } | null>(null);
  const done = () => qc.invalidateQueries({ queryKey: risksKey });
  const add = useMutation({
    mutationFn: () => api.post('/api/risks/processes', { code: code.trim(), name: name.trim() }),
    onSuccess: async () => {
      setCode('');
      setName('');
      await done();
    },
  });
  const patch = useMutation({
    mutationFn: ({ p, body }: { p: Process; body: Record<string, unknown> }) =>
      api.patch(`/api/risks/processes/${p.id}`, { ...body, version: p.version }),
    onSuccess: async () => {
      setEditing(null);
      await done();
    },
  });
  return (
    <Container size="lg" px={0}>
      <RisksSubnav />
      <PageHeader title={t('risks.processes')} description={t('risks.processesIntro')} />
      <Stack gap="md">
        <ProblemAlert error={add.error ?? patch.error} />
        {canManage && (
          <Group align="end">
            <TextInput
              label={t('risks.processCode')}
              placeholder="bonded_warehouses"
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <TextInput
              label={t('risks.processName')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              w={280}
            />
            <Button
              onClick={() => add.mutate()}
              disabled={!code.trim() || !name.trim()}
              loading={add.isPending}
            >
              {t('risks.addProcess')}
            </Button>
          </Group>
        )}
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <QueryError error={list.error} />
        ) : (
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('risks.processName')}</Table.Th>
                <Table.Th scope="col">{t('risks.processCode')}</Table.Th>
                <Table.Th scope="col">{t('risks.riskCount')}</Table.Th>
                {canManage && <Table.Th scope="col">{t('risks.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => (
                <Table.Tr key={p.id} style={{ opacity: p.archived ? 0.55 : 1 }}>
                  <Table.Td>
                    {editing?.id === p.id ? (
                      <Group gap="xs">
                        <TextInput
                          aria-label={t('risks.processName')}
                          value={editing.name}
                          onChange={(e) => setEditing({ id: p.id, name: e.currentTarget.value })}
                        />
                        <Button
                          size="compact-sm"
                          onClick={() => patch.mutate({ p, body: { name: editing.name.trim() || null } })}
                        >
                          {t('risks.save')}
                        </Button>
                      </Group>
                    ) : (
                      <Text size="sm">
                        {p.name} {p.archived && <Badge variant="light">{t('risks.archived')}</Badge>}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td ff="monospace">{p.code}</Table.Td>
                  <Table.Td>{p.riskCount}</Table.Td>
                  {canManage && (
                    <Table.Td>
                      <Group gap="xs">
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          onClick={() => setEditing({ id: p.id, name: p.name })}
                        >
                          {t('risks.rename')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          onClick={() => patch.mutate({ p, body: { archived: !p.archived } })}
                        >
                          {p.archived ? t('risks.restore') : t('risks.archive')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Container>
  );
}
