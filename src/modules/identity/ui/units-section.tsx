import { Alert, Badge, Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconEdit, IconPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../../web/api';
import { useCan } from '../../../web/session';
import { ORG_UNIT_TYPES, type OrgUnitT, type OrgUnitType } from '../../../web/types';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { SaveError } from '../../../web/ui-kit/save-error';
import { auditKey, unitsKey, useUnits } from './queries';
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

/** The ids of a unit and of every unit below it. */
function selfAndDescendants(units: OrgUnitT[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}

function Tree({
  nodes,
  label,
  onEdit,
}: {
  nodes: Node[];
  label?: string;
  onEdit?: (unit: OrgUnitT) => void;
}): ReactNode {
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
            {onEdit && (
              <Button
                size="compact-xs"
                variant="subtle"
                leftSection={<IconEdit size={14} aria-hidden />}
                aria-label={t('units.editFor', { name: n.unit.name })}
                onClick={() => onEdit(n.unit)}
              >
                {t('units.edit')}
              </Button>
            )}
          </Group>
          {n.children.length > 0 && <Tree nodes={n.children} onEdit={onEdit} />}
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

interface UnitFormValues {
  parentId: string;
  type: string;
  name: string;
  code: string;
}

/** Only the fields that differ from the unit as loaded, plus the version seen. */
function unitChanges(unit: OrgUnitT, v: UnitFormValues, version: number): Record<string, unknown> | null {
  const changes: Record<string, unknown> = {};
  const name = v.name.trim();
  const code = v.code.trim() || null;
  const parentId = v.parentId || null;
  if (name !== unit.name) changes.name = name;
  if (code !== unit.code) changes.code = code;
  if (v.type !== unit.type) changes.type = v.type;
  if (parentId !== unit.parentId) changes.parentId = parentId;
  return Object.keys(changes).length === 0 ? null : { ...changes, version };
}

function EditUnitModal({
  unit,
  units,
  onClose,
}: {
  unit: OrgUnitT;
  units: OrgUnitT[];
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const excluded = selfAndDescendants(units, unit.id);
  // The version the next save sends: the one the dialog opened on, or the current one after a reload.
  const [version, setVersion] = useState(unit.version);
  const form = useForm<UnitFormValues>({
    mode: 'uncontrolled',
    initialValues: {
      parentId: unit.parentId ?? '',
      type: unit.type,
      name: unit.name,
      code: unit.code ?? '',
    },
    validate: { name: (v) => requiredError(t, v), type: (v) => requiredError(t, v) },
  });
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      api.patch<OrgUnitT>(`/api/organisation/units/${encodeURIComponent(unit.id)}`, body),
    onSuccess: (saved) => {
      notify({ color: 'teal', message: t('units.saved', { name: saved.name }) });
      void queryClient.invalidateQueries({ queryKey: unitsKey });
      void queryClient.invalidateQueries({ queryKey: auditKey });
      onClose();
    },
    onError: (err) => {
      if (isApiError(err, 'CONFLICT')) form.setFieldError('parentId', t('units.moveConflict'));
      else applyFieldErrors(form, ['parentId', 'type', 'name', 'code'], err);
    },
  });
  // After a 409: refetch the units and take this unit's current version; what was typed stays.
  const reload = async () => {
    await queryClient.refetchQueries({ queryKey: unitsKey });
    const fresh = queryClient
      .getQueryData<{ items: OrgUnitT[] }>(unitsKey)
      ?.items.find((u) => u.id === unit.id);
    if (fresh) setVersion(fresh.version);
  };
  const moveConflict = isApiError(save.error, 'CONFLICT');
  const typeOptions: string[] = [...ORG_UNIT_TYPES];
  if (!typeOptions.includes(unit.type)) typeOptions.push(unit.type);
  const parentOptions = units
    .filter((u) => !excluded.has(u.id))
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((u) => ({ value: u.id, label: u.name }));
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('units.editTitle', { name: unit.name })}
      centered
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        noValidate
        onSubmit={form.onSubmit((v) => {
          const body = unitChanges(unit, v, version);
          if (!body) {
            notify({ color: 'gray', message: t('units.noChange') });
            onClose();
            return;
          }
          save.mutate(body);
        })}
      >
        <Stack>
          {moveConflict ? (
            <Alert color="red" variant="light" role="alert">
              <Text size="sm">{t('units.moveConflict')}</Text>
            </Alert>
          ) : (
            <SaveError error={save.error} onReload={reload} />
          )}
          <TextInput
            label={t('units.name')}
            required
            key={form.key('name')}
            {...form.getInputProps('name')}
          />
          <TextInput label={t('units.code')} key={form.key('code')} {...form.getInputProps('code')} />
          <Select
            label={t('units.type')}
            data={typeOptions.map((type) => ({ value: type, label: typeLabel(t, type) }))}
            allowDeselect={false}
            required
            comboboxProps={{ withinPortal: true }}
            key={form.key('type')}
            {...form.getInputProps('type')}
          />
          <Select
            label={t('units.parent')}
            data={[{ value: '', label: t('units.noParent') }, ...parentOptions]}
            allowDeselect={false}
            searchable
            comboboxProps={{ withinPortal: true }}
            key={form.key('parentId')}
            {...form.getInputProps('parentId')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function UnitsSection(): ReactNode {
  const { t } = useTranslation();
  const units = useUnits();
  const canManage = useCan('identity.units.manage');
  const [editing, setEditing] = useState<OrgUnitT | null>(null);
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
            <Tree
              nodes={buildTree(units.data.items)}
              label={t('units.title')}
              onEdit={canManage ? setEditing : undefined}
            />
          )}
          {canManage && <AddUnitForm units={units.data.items} />}
          {canManage && editing && (
            <EditUnitModal
              key={`${editing.id}-${editing.version}`}
              unit={editing}
              units={units.data.items}
              onClose={() => setEditing(null)}
            />
          )}
        </>
      )}
    </Section>
  );
}
