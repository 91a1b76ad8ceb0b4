import { Badge, Button, Code, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { ORG_UNIT_TYPES, type OrgUnitT, type OrgUnitType } from '../../../web/types';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { unitsKey, useUnits } from './queries';
import { Section } from '../../../web/ui-kit/section';
import { requiredError } from './validation';
import { notify } from '../../../web/ui-kit/notify';

function typeLabel(t: TFunction, type: string): string {
  return (ORG_UNIT_TYPES as readonly string[]).includes(type)
    ? t(`units.types.${type as OrgUnitType}`)
    : type;
}

interface Node {
  unit: OrgUnitT;
  children: Node[];
}

function buildTree(units: OrgUnitT[]): Node[] {
  const nodes = new Map(units.map((u) => [u.id, { unit: u, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const node of nodes.values()) {
    const parent = node.unit.parentId ? nodes.get(node.unit.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: Node[]) => {
    list.sort((a, b) => a.unit.name.localeCompare(b.unit.name));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}

function Tree({ nodes, label }: { nodes: Node[]; label?: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <ul className="tree-list" aria-label={label}>
      {nodes.map((n) => (
        <li key={n.unit.id}>
          <Group gap="xs" wrap="wrap">
            <Text fw={500} size="sm">
              {n.unit.name}
            </Text>
            <Badge size="sm" variant="light" color="gray" tt="none">
              {typeLabel(t, n.unit.type)}
            </Badge>
            {n.unit.code && <Code fz="xs">{n.unit.code}</Code>}
          </Group>
          {n.children.length > 0 && <Tree nodes={n.children} />}
        </li>
      ))}
    </ul>
  );
}

function AddUnitForm({ units }: { units: OrgUnitT[] }): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const form = useForm({
    mode: 'uncontrolled',
    initialValues: { parentId: '' as string, type: 'office' as string, name: '', code: '' },
    validate: { name: (v) => requiredError(t, v), type: (v) => requiredError(t, v) },
  });
  const add = useMutation({
    mutationFn: (v: { parentId: string; type: string; name: string; code: string }) =>
      api.post<OrgUnitT>('/api/organisation/units', {
        parentId: v.parentId || null,
        type: v.type,
        name: v.name.trim(),
        code: v.code.trim() || null,
      }),
    onSuccess: (unit) => {
      notify({ color: 'teal', message: t('units.added', { name: unit.name }) });
      form.reset();
      void queryClient.invalidateQueries({ queryKey: unitsKey });
    },
    onError: (err) => applyFieldErrors(form, ['parentId', 'type', 'name', 'code'], err),
  });
  return (
    <form onSubmit={form.onSubmit((v) => add.mutate(v))} noValidate>
      <Stack gap="sm">
        <Text fw={600} size="sm" component="h3">
          {t('units.add')}
        </Text>
        <ProblemAlert error={add.error} />
        <Group align="flex-start" wrap="wrap">
          <Select
            label={t('units.parent')}
            data={[
              { value: '', label: t('units.noParent') },
              ...units.map((u) => ({ value: u.id, label: u.name })),
            ]}
            allowDeselect={false}
            searchable
            w={{ base: '100%', sm: 240 }}
            key={form.key('parentId')}
            {...form.getInputProps('parentId')}
          />
          <Select
            label={t('units.type')}
            data={ORG_UNIT_TYPES.map((type) => ({ value: type, label: typeLabel(t, type) }))}
            allowDeselect={false}
            required
            w={{ base: '100%', sm: 200 }}
            key={form.key('type')}
            {...form.getInputProps('type')}
          />
          <TextInput
            label={t('units.name')}
            required
            w={{ base: '100%', sm: 240 }}
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <TextInput
            label={t('units.code')}
            w={{ base: '100%', sm: 120 }}
            key={form.key('code')}
            {...form.getInputProps('code')}
          />
        </Group>
        <Group>
          <Button type="submit" leftSection={<IconPlus size={16} aria-hidden />} loading={add.isPending}>
            {t('units.addSubmit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function UnitsSection(): ReactNode {
  const { t } = useTranslation();
  const units = useUnits();
  const canManage = useCan('identity.units.manage');
  return (
    <Section title={t('units.title')} description={t('units.description')}>
      {units.isPending ? (
        <PageLoader />
      ) : units.isError ? (
        <QueryError error={units.error} onRetry={() => void units.refetch()} />
      ) : (
        <>
          {units.data.items.length === 0 ? (
            <Text size="sm">{t('units.none')}</Text>
          ) : (
            <Tree nodes={buildTree(units.data.items)} label={t('units.title')} />
          )}
          {canManage && <AddUnitForm units={units.data.items} />}
        </>
      )}
    </Section>
  );
}
