import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconChevronDown, IconSearch, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan, useMe } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { notifyError } from '../../../web/ui-kit/notify';
import { errorMessage } from '../../../web/api';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { ActionT, PlanDetailT } from '../action-plans.contract';
import { ACTION_STATUSES, type ActionStatus, RAD_FACTORS } from '../action-plans.vocab';
import { ActionStatusBadge, ProgressCell, useFactorLabel } from './bits';
import { planKey, useLookups } from './queries';

function useOwnerName() {
  const lookups = useLookups();
  return (a: ActionT) => {
    const user = a.ownerUserId ? lookups.data?.users.find((u) => u.id === a.ownerUserId)?.name : undefined;
    const unit = a.ownerUnitId ? lookups.data?.units.find((u) => u.id === a.ownerUnitId)?.name : undefined;
    return [user, unit].filter(Boolean).join(' · ') || '—';
  };
}

export function ActionsList({
  plan,
  onOpen,
  onDelete,
}: {
  plan: PlanDetailT;
  onOpen: (a: ActionT) => void;
  /** Offered to managers: asks for confirmation, then deletes with the version seen. */
  onDelete?: (a: ActionT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const canDelete = useCan('action-plans.manage') && !!onDelete;
  const f = useFormat();
  const factorLabel = useFactorLabel();
  const owner = useOwnerName();
  const [status, setStatus] = useState<string | null>(null);
  const [factor, setFactor] = useState<string | null>(null);
  const [overdueOnly, setOverdueOnly] = useState(false);
  const [search, setSearch] = useState('');
  const rows = useMemo(
    () =>
      plan.actions.filter(
        (a) =>
          (!status || a.status === status) &&
          (!factor || String(a.factor) === factor) &&
          (!overdueOnly || a.overdue) &&
          (!search || `${a.ref} ${a.objective}`.toLowerCase().includes(search.toLowerCase())),
      ),
    [plan.actions, status, factor, overdueOnly, search],
  );
  return (
    <Stack>
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={14} aria-hidden />}
          label={t('actionPlans.filters.search')}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
        />
        <Select
          label={t('actionPlans.filters.status')}
          data={ACTION_STATUSES.map((s) => ({ value: s, label: t(`actionPlans.status.${s}`) }))}
          value={status}
          onChange={setStatus}
          clearable
        />
        <Select
          label={t('actionPlans.filters.factor')}
          data={RAD_FACTORS.map((n) => ({ value: String(n), label: factorLabel(n) }))}
          value={factor}
          onChange={setFactor}
          clearable
          w={260}
        />
        <Checkbox
          label={t('actionPlans.filters.overdueOnly')}
          checked={overdueOnly}
          onChange={(e) => setOverdueOnly(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {rows.length === 0 ? (
        <Text c="dimmed">{t('actionPlans.noActions')}</Text>
      ) : (
        <ScrollTable minWidth={900} label={t('actionPlans.views.list')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('actionPlans.action.ref')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.objective')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.factor')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.owner')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.dueDate')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.status')}</Table.Th>
                <Table.Th scope="col">{t('actionPlans.action.progress')}</Table.Th>
                {canDelete && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('actionPlans.delete')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((a) => (
                <Table.Tr key={a.id} data-testid={`action-row-${a.ref}`}>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => onOpen(a)}>
                      {a.ref}
                    </Button>
                  </Table.Td>
                  <Table.Td maw={380}>
                    <Text size="sm">{a.objective}</Text>
                    {a.origin === 'proposed' && (
                      <Badge size="xs" variant="outline" color="grape">
                        {t('actionPlans.action.fromEvidence')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{a.factor ? factorLabel(a.factor) : '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{owner(a)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={a.overdue ? 'red' : undefined}>
                      {f.date(a.dueDate)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ActionStatusBadge status={a.status} overdue={a.overdue} />
                  </Table.Td>
                  <Table.Td>
                    <ProgressCell value={a.progress} />
                  </Table.Td>
                  {canDelete && (
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('actionPlans.action.deleteFor', { ref: a.ref })}
                        onClick={() => onDelete?.(a)}
                        data-testid={`action-delete-${a.ref}`}
                      >
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Stack>
  );
}

/** Columns by status; a card's menu moves it (saved with its version, 409 shown on a clash). */
export function Kanban({ plan, onOpen }: { plan: PlanDetailT; onOpen: (a: ActionT) => void }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const me = useMe();
  const canManage = useCan('action-plans.manage');
  const canReport = useCan('action-plans.report');
  const owner = useOwnerName();
  const lookups = useLookups();
  const myUnit = lookups.data?.users.find((u) => u.id === me.user.id)?.unitId ?? null;
  const move = useMutation({
    mutationFn: (v: { a: ActionT; status: ActionStatus }) =>
      api.post<ActionT>(`/api/action-plans/actions/${v.a.id}/progress`, {
        version: v.a.version,
        status: v.status,
      }),
    onSettled: () => qc.invalidateQueries({ queryKey: planKey(plan.id) }),
    onError: (e) => notifyError(errorMessage(e)),
  });
  const mayMove = (a: ActionT) =>
    canManage || (canReport && (a.ownerUserId === me.user.id || (!!myUnit && a.ownerUnitId === myUnit)));
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} spacing="sm">
      {ACTION_STATUSES.map((s) => {
        const cards = plan.actions.filter((a) => a.status === s);
        return (
          <Paper
            key={s}
            withBorder
            p="xs"
            radius="md"
            bg="var(--mantine-color-default-hover)"
            component="section"
            aria-label={t(`actionPlans.status.${s}`)}
            data-testid={`kanban-${s}`}
          >
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {t(`actionPlans.status.${s}`)}
              </Title>
              <Badge variant="light" color="gray">
                {cards.length}
              </Badge>
            </Group>
            <Stack gap="xs">
              {cards.map((a) => (
                <Paper key={a.id} withBorder p="xs" radius="sm" data-testid={`card-${a.ref}`}>
                  <Stack gap={4}>
                    <Group justify="space-between" wrap="nowrap" gap={4}>
                      <Button variant="subtle" size="compact-xs" onClick={() => onOpen(a)}>
                        {a.ref}
                      </Button>
                      {a.overdue && (
                        <Badge color="red" size="xs">
                          {t('actionPlans.overdue')}
                        </Badge>
                      )}
                    </Group>
                    <Text size="sm" lineClamp={3}>
                      {a.objective}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {owner(a)} · {f.date(a.dueDate)}
                    </Text>
                    <ProgressCell value={a.progress} />
                    {mayMove(a) && (
                      <VisuallyHidden id={`move-for-${a.id}`}>
                        {t('actionPlans.kanban.moveFor', { ref: a.ref })}
                      </VisuallyHidden>
                    )}
                    {mayMove(a) && (
                      <Menu position="bottom-start" withinPortal>
                        <Menu.Target>
                          <Button
                            size="compact-xs"
                            variant="light"
                            rightSection={<IconChevronDown size={12} aria-hidden />}
                            // The visible text is the name (axe label-content-name-mismatch); the
                            // action it moves is the description.
                            aria-describedby={`move-for-${a.id}`}
                            data-testid={`move-${a.ref}`}
                          >
                            {t('actionPlans.kanban.move')}
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          {ACTION_STATUSES.filter((x) => x !== a.status).map((x) => (
                            <Menu.Item
                              key={x}
                              onClick={() => move.mutate({ a, status: x })}
                              data-testid={`move-${a.ref}-${x}`}
                            >
                              {t(`actionPlans.status.${x}`)}
                            </Menu.Item>
                          ))}
                        </Menu.Dropdown>
                      </Menu>
                    )}
                  </Stack>
                </Paper>
              ))}
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
