import { ActionIcon, Button, Group, Modal, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { SaveError } from '../../../web/ui-kit/save-error';
import { TEAM_ROLES, type TeamRole } from '../assessments.vocab';
import { type AssessmentDetail, assessmentsKey, put, useOptions } from './queries';

// Editing a campaign after it was created: its header (title, dates, scope) and its team.
// Both send the version the form was opened on; a 409 says someone else saved meanwhile, and its
// reload takes the current version while keeping what was typed.

/**
 * After a 409: refetches the assessment and gives its current version, which the open form then
 * sends on its next save. What was typed stays in the form.
 */
function useCurrentVersion(a: AssessmentDetail): () => Promise<number | null> {
  const qc = useQueryClient();
  return async () => {
    const queryKey = [...assessmentsKey, a.id, 'detail'];
    await qc.refetchQueries({ queryKey });
    const fresh = qc.getQueriesData<AssessmentDetail>({ queryKey }).find(([, d]) => d)?.[1];
    return fresh?.version ?? null;
  };
}

function HeaderForm({ a, onClose }: { a: AssessmentDetail; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const options = useOptions();
  const [version, setVersion] = useState(a.version);
  const currentVersion = useCurrentVersion(a);
  const reload = async () => {
    const v = await currentVersion();
    if (v !== null) setVersion(v);
  };
  const [title, setTitle] = useState(a.title);
  const [startDate, setStart] = useState(a.startDate ?? '');
  const [endDate, setEnd] = useState(a.endDate ?? '');
  const [scope, setScope] = useState<string[]>(a.scopeUnits.map((u) => u.id));
  const badDates = startDate !== '' && endDate !== '' && endDate < startDate;
  const save = useMutation({
    mutationFn: () =>
      api.patch<AssessmentDetail>(`/api/assessments/${a.id}`, {
        version,
        title: title.trim(),
        startDate: startDate || null,
        endDate: endDate || null,
        scopeUnitIds: scope,
      }),
    onSuccess: () => {
      notifySuccess(t('assessments.headerSaved'));
      void qc.invalidateQueries({ queryKey: assessmentsKey });
      onClose();
    },
  });
  if (options.isPending) return <PageLoader />;
  if (options.error) return <QueryError error={options.error} onRetry={() => void options.refetch()} />;
  // Units of the current scope stay listed even if they are no longer offered.
  const units = new Map(options.data.units.map((u) => [u.id, u.name]));
  for (const u of a.scopeUnits) if (!units.has(u.id)) units.set(u.id, u.name);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (!badDates && title.trim()) save.mutate();
      }}
    >
      <Stack>
        <SaveError error={save.error} onReload={reload} />
        <TextInput
          label={t('assessments.fields.title')}
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          data-testid="assessment-edit-title"
          data-autofocus
        />
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label={t('assessments.fields.startDate')}
            value={startDate}
            onChange={(e) => setStart(e.currentTarget.value)}
            data-testid="assessment-edit-start"
          />
          <TextInput
            type="date"
            label={t('assessments.fields.endDate')}
            value={endDate}
            min={startDate || undefined}
            onChange={(e) => setEnd(e.currentTarget.value)}
            error={badDates ? t('assessments.endBeforeStart') : undefined}
            data-testid="assessment-edit-end"
          />
        </Group>
        <MultiSelect
          label={t('assessments.fields.scope')}
          description={t('assessments.fields.scopeHint')}
          data={[...units].map(([value, label]) => ({ value, label }))}
          value={scope}
          onChange={setScope}
          searchable
          clearable
          maxValues={200}
          data-testid="assessment-edit-scope"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('assessments.cancel')}
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={badDates || !title.trim()}
            data-testid="assessment-edit-save"
          >
            {t('assessments.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Row = { key: number; userId: string | null; role: TeamRole };

function TeamForm({ a, onClose }: { a: AssessmentDetail; onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const options = useOptions();
  const [version, setVersion] = useState(a.version);
  const currentVersion = useCurrentVersion(a);
  const reload = async () => {
    const v = await currentVersion();
    if (v !== null) setVersion(v);
  };
  const [rows, setRows] = useState<Row[]>(() =>
    a.team.map((m, i) => ({ key: i, userId: m.id, role: m.role })),
  );
  const [next, setNext] = useState(a.team.length);
  const chosen = rows.filter((r): r is Row & { userId: string } => r.userId !== null);
  const seen = new Set<string>();
  const duplicates = new Set<number>();
  for (const r of chosen) {
    const k = `${r.userId}:${r.role}`;
    if (seen.has(k)) duplicates.add(r.key);
    seen.add(k);
  }
  const save = useMutation({
    mutationFn: () =>
      put<AssessmentDetail>(`/api/assessments/${a.id}/team`, {
        version,
        members: chosen.map((r) => ({ userId: r.userId, role: r.role })),
      }),
    onSuccess: () => {
      notifySuccess(t('assessments.teamSaved'));
      void qc.invalidateQueries({ queryKey: assessmentsKey });
      onClose();
    },
  });
  if (options.isPending) return <PageLoader />;
  if (options.error) return <QueryError error={options.error} onRetry={() => void options.refetch()} />;
  // Current members stay selectable even if they are no longer offered (e.g. deactivated).
  const people = new Map(options.data.members.map((p) => [p.id, p.name]));
  for (const m of a.team) if (!people.has(m.id)) people.set(m.id, m.name);
  const personData = [...people].map(([value, label]) => ({ value, label }));
  const roleData = TEAM_ROLES.map((r) => ({ value: r, label: t(`assessments.roles.${r}`) }));
  const update = (key: number, patch: Partial<Row>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (duplicates.size === 0) save.mutate();
      }}
    >
      <Stack>
        <SaveError error={save.error} onReload={reload} />
        <Text size="sm" c="dimmed">
          {t('assessments.teamHelp')}
        </Text>
        {rows.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="team-empty">
            {t('assessments.teamEmpty')}
          </Text>
        )}
        {rows.map((r) => (
          <Group key={r.key} wrap="nowrap" align="flex-start" data-testid="team-row">
            <Select
              style={{ flex: 2 }}
              label={t('assessments.fields.member')}
              placeholder={t('assessments.choosePerson')}
              data={personData}
              value={r.userId}
              searchable
              nothingFoundMessage={t('assessments.noPerson')}
              onChange={(v) => update(r.key, { userId: v })}
              error={duplicates.has(r.key) ? t('assessments.duplicateMember') : undefined}
              data-testid="team-member"
            />
            <Select
              style={{ flex: 1 }}
              label={t('assessments.fields.role')}
              data={roleData}
              value={r.role}
              allowDeselect={false}
              onChange={(v) => v && update(r.key, { role: v as TeamRole })}
              data-testid="team-role"
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('assessments.removeMember')}
              onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
              mt={30}
              data-testid="team-remove"
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="light"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => {
            setRows([...rows, { key: next, userId: null, role: 'assessor' }]);
            setNext(next + 1);
          }}
          w="fit-content"
          disabled={rows.length >= 100}
          data-testid="team-add"
        >
          {t('assessments.addMember')}
        </Button>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('assessments.cancel')}
          </Button>
          <Button
            type="submit"
            loading={save.isPending}
            disabled={duplicates.size > 0}
            data-testid="team-save"
          >
            {t('assessments.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The header's "Edit" button and dialog. */
export function EditHeaderButton({ a }: { a: AssessmentDetail }): ReactNode {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  // The server says: a holder of assessments.manage, while planned, in progress or in review.
  if (!a.can.edit) return null;
  return (
    <>
      <Button
        size="sm"
        variant="default"
        leftSection={<IconPencil size={16} aria-hidden />}
        onClick={() => setOpen(true)}
        data-testid="assessment-edit"
      >
        {t('assessments.editHeader')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('assessments.editHeaderTitle')}
        size="lg"
      >
        {open && <HeaderForm a={a} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}

/** The team tab's "Edit the team" button and dialog. */
export function EditTeamButton({ a }: { a: AssessmentDetail }): ReactNode {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  if (!a.can.edit) return null;
  return (
    <>
      <Button
        size="sm"
        variant="light"
        leftSection={<IconUsers size={16} aria-hidden />}
        onClick={() => setOpen(true)}
        data-testid="assessment-team-edit"
        w="fit-content"
      >
        {t('assessments.editTeam')}
      </Button>
      <Modal
        closeButtonProps={{ 'aria-label': t('common.close') }}
        opened={open}
        onClose={() => setOpen(false)}
        title={t('assessments.editTeamTitle')}
        size="xl"
      >
        {open && <TeamForm a={a} onClose={() => setOpen(false)} />}
      </Modal>
    </>
  );
}
