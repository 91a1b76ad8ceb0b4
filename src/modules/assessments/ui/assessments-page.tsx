import {
  ActionIcon,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { AnchorLink } from '../../../web/ui-kit/links';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { ASSESSMENT_TYPES, type AssessmentType, TEAM_ROLES, type TeamRole } from '../assessments.vocab';
import { ProgressBar, StatusBadge, usePercent } from './bits';
import { type AssessmentDetail, assessmentsKey, useAssessments, useOptions } from './queries';

function CreateForm({ onClose }: { onClose: () => void }): ReactNode {
  const { t } = useTranslation();
  const options = useOptions();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState('');
  const [type, setType] = useState<AssessmentType>('self');
  const [framework, setFramework] = useState<string | null>(null);
  const [scale, setScale] = useState<string | null>(null);
  const [scope, setScope] = useState<string[]>([]);
  const [startDate, setStart] = useState('');
  const [endDate, setEnd] = useState('');
  const [team, setTeam] = useState<{ userId: string | null; role: TeamRole }[]>([]);
  const create = useMutation({
    mutationFn: () =>
      api.post<AssessmentDetail>('/api/assessments', {
        title,
        type,
        frameworkLibraryId: framework,
        ...(scale ? { scaleUrn: scale } : {}),
        scopeUnitIds: scope,
        startDate: startDate || null,
        endDate: endDate || null,
        team: team.filter((m) => m.userId).map((m) => ({ userId: m.userId, role: m.role })),
      }),
    onSuccess: (a) => {
      void qc.invalidateQueries({ queryKey: assessmentsKey });
      notifySuccess(t('assessments.created'));
      onClose();
      void navigate({ to: '/assessments/$id', params: { id: a.id } });
    },
  });
  if (options.isPending) return <PageLoader />;
  if (options.error) return <QueryError error={options.error} />;
  const o = options.data;
  const fw = framework ?? o.frameworks[0]?.libraryId ?? null;
  if (!framework && fw) setFramework(fw);
  const defaultScale = o.frameworks.find((f) => f.libraryId === fw)?.defaultScale ?? null;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Stack>
        <ProblemAlert error={create.error} />
        <TextInput
          label={t('assessments.fields.title')}
          required
          maxLength={200}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          data-testid="assessment-title-input"
        />
        <Select
          label={t('assessments.fields.type')}
          data={ASSESSMENT_TYPES.map((v) => ({ value: v, label: t(`assessments.types.${v}`) }))}
          value={type}
          onChange={(v) => v && setType(v as AssessmentType)}
          allowDeselect={false}
        />
        <Select
          label={t('assessments.fields.framework')}
          data={o.frameworks.map((f) => ({ value: f.libraryId, label: `${f.name} (v${f.version})` }))}
          value={fw}
          onChange={setFramework}
          allowDeselect={false}
        />
        <Select
          label={t('assessments.fields.scale')}
          data={o.scales.map((s) => ({ value: s.urn, label: s.name }))}
          value={scale ?? defaultScale}
          onChange={setScale}
          allowDeselect={false}
        />
        <MultiSelect
          label={t('assessments.fields.scope')}
          description={t('assessments.fields.scopeHint')}
          data={o.units.map((u) => ({ value: u.id, label: u.name }))}
          value={scope}
          onChange={setScope}
          searchable
        />
        <Group grow>
          <TextInput
            type="date"
            label={t('assessments.fields.startDate')}
            value={startDate}
            onChange={(e) => setStart(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('assessments.fields.endDate')}
            value={endDate}
            onChange={(e) => setEnd(e.currentTarget.value)}
          />
        </Group>
        <Text fw={600}>{t('assessments.fields.team')}</Text>
        {team.map((m, i) => (
          <Group key={i} wrap="nowrap" align="flex-end">
            <Select
              style={{ flex: 2 }}
              label={t('assessments.fields.member')}
              data={o.members.map((p) => ({ value: p.id, label: p.name }))}
              value={m.userId}
              searchable
              onChange={(v) => setTeam(team.map((x, j) => (j === i ? { ...x, userId: v } : x)))}
            />
            <Select
              style={{ flex: 1 }}
              label={t('assessments.fields.role')}
              data={TEAM_ROLES.map((r) => ({ value: r, label: t(`assessments.roles.${r}`) }))}
              value={m.role}
              allowDeselect={false}
              onChange={(v) =>
                v && setTeam(team.map((x, j) => (j === i ? { ...x, role: v as TeamRole } : x)))
              }
            />
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={t('assessments.remove')}
              onClick={() => setTeam(team.filter((_, j) => j !== i))}
              mb={4}
            >
              <IconTrash size={18} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Button
          variant="light"
          leftSection={<IconPlus size={16} aria-hidden />}
          onClick={() => setTeam([...team, { userId: null, role: 'assessor' }])}
          w="fit-content"
        >
          {t('assessments.addMember')}
        </Button>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('assessments.cancel')}
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="assessment-create-submit">
            {t('assessments.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function List(): ReactNode {
  const { t } = useTranslation();
  const q = useAssessments();
  const pct = usePercent();
  const canManage = useCan('assessments.manage');
  const [open, setOpen] = useState(false);
  return (
    <>
      <PageHeader
        title={t('assessments.listTitle')}
        description={t('assessments.listDescription')}
        actions={
          canManage && (
            <Button
              leftSection={<IconPlus size={16} aria-hidden />}
              onClick={() => setOpen(true)}
              data-testid="assessment-create"
            >
              {t('assessments.create')}
            </Button>
          )
        }
      />
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('assessments.createTitle')}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {open && <CreateForm onClose={() => setOpen(false)} />}
      </Modal>
      {q.isPending ? (
        <PageLoader />
      ) : q.error ? (
        <QueryError error={q.error} onRetry={() => void q.refetch()} />
      ) : q.data.items.length === 0 ? (
        <Text c="dimmed">{t('assessments.empty')}</Text>
      ) : (
        <ScrollTable minWidth={720} label={t('assessments.listTitle')}>
          <Table striped highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('assessments.fields.title')}</Table.Th>
                <Table.Th>{t('assessments.fields.type')}</Table.Th>
                <Table.Th>{t('assessments.fields.status')}</Table.Th>
                <Table.Th miw={180}>{t('assessments.fields.progress')}</Table.Th>
                <Table.Th>{t('assessments.fields.overall')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {q.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <AnchorLink to="/assessments/$id" params={{ id: a.id }} fw={600}>
                      {a.title}
                    </AnchorLink>
                    {a.revision > 1 && (
                      <Text span size="xs" c="dimmed">
                        {` · ${t('assessments.fields.revision')} ${a.revision}`}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{t(`assessments.types.${a.type}`)}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={a.status} />
                  </Table.Td>
                  <Table.Td>
                    <ProgressBar {...a.progress} />
                  </Table.Td>
                  <Table.Td>{pct(a.overall)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </>
  );
}

export function AssessmentsPage(): ReactNode {
  return (
    <RequirePermission permission="assessments.read">
      <List />
    </RequirePermission>
  );
}
