import {
  Button,
  Container,
  Divider,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ACTIVITY_TYPES, PARTICIPANT_ROLES } from '../programme.vocab';
import {
  ActivitiesTable,
  CurrencySelect,
  EditDialog,
  ProgrammeTabs,
  programmeKey,
  useProgrammeList,
  RemoveLine,
} from './bits';
import { ActivityReports, DeleteRow } from './records';
import type { ActivityT } from './types';

export function ProgrammeActivitiesPage(): ReactNode {
  return (
    <RequirePermission permission="programme.manage">
      <Activities />
    </RequirePermission>
  );
}

function Activities(): ReactNode {
  const { t } = useTranslation();
  const list = useProgrammeList('activities');
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('programme.activitiesTitle')} description={t('programme.activitiesIntro')} />
      <ProgrammeTabs current="activities" />
      <Stack gap="xl">
        {list.isPending ? (
          <PageLoader />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <ActivitiesTable items={list.data.items} onEdit={(a) => setEditing(a.id)} />
        )}
        <Paper withBorder p="md">
          <Stack>
            <Title order={2} size="h4">
              {t('programme.newActivity')}
            </Title>
            <ActivityForm />
          </Stack>
        </Paper>
      </Stack>
      <EditDialog
        items={list.data?.items}
        editing={editing}
        onClose={() => setEditing(null)}
        title={() => t('programme.editActivity')}
        size="xl"
      >
        {(a) => (
          <Stack>
            <ActivityForm activity={a} onSaved={() => setEditing(null)} onReload={() => list.refetch()} />
            <Divider label={t('programme.records.reports')} labelPosition="left" />
            <ActivityReports activityId={a.id} />
            <Divider />
            <Group justify="flex-end">
              <DeleteRow
                of={a.title}
                url={`/api/programme/activities/${a.id}?version=${a.version}`}
                title={t('programme.records.deleteActivity', { title: a.title })}
                body={t('programme.records.deleteActivityBody')}
                testId="programme-activity-delete"
              />
            </Group>
          </Stack>
        )}
      </EditDialog>
    </Container>
  );
}

interface CostLine {
  label: string;
  agreementId: string | null;
  amount: string;
  currency: string;
}

const emptyCost = (): CostLine => ({ label: '', agreementId: null, amount: '', currency: 'EUR' });

/**
 * An activity's form: empty to record a new one, or pre-filled from `activity` to edit it (sent
 * with its version; the cost lines as listed replace the activity's).
 */
function ActivityForm({
  activity,
  onSaved,
  onReload,
}: {
  activity?: ActivityT;
  onSaved?: () => void;
  /** Editing: fetch the activity again after a 409 (what was typed stays in the form). */
  onReload?: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const partnerships = useProgrammeList('partnerships');
  const agreements = useProgrammeList('agreements');
  const [type, setType] = useState<string>(activity?.type ?? 'workshop');
  const [title, setTitle] = useState(activity?.title ?? '');
  const [startsOn, setStartsOn] = useState(activity?.startsOn ?? '');
  const [endsOn, setEndsOn] = useState(activity?.endsOn ?? '');
  const [partners, setPartners] = useState<string[]>(activity?.partnershipIds ?? []);
  const [experts, setExperts] = useState(activity?.experts.join('\n') ?? '');
  const [counts, setCounts] = useState<Record<string, { women: number; men: number }>>(
    Object.fromEntries((activity?.participants ?? []).map((p) => [p.role, { women: p.women, men: p.men }])),
  );
  const [costs, setCosts] = useState<CostLine[]>(
    activity?.costs.length
      ? activity.costs.map((c) => ({ label: c.label, agreementId: c.agreementId, ...c.amount }))
      : [emptyCost()],
  );
  /** Explicit cost shares per partner, in % or as amounts; all empty: the costs are split equally. */
  const [shareKind, setShareKind] = useState<'percent' | 'amount'>(
    activity?.costShares?.some((x) => 'amount' in x) ? 'amount' : 'percent',
  );
  const [shares, setShares] = useState<Record<string, string>>(
    Object.fromEntries(
      (activity?.costShares ?? []).map((x) => [
        x.partnershipId,
        'percent' in x ? x.percent : x.amount.amount,
      ]),
    ),
  );
  const sharesGiven = partners.length > 1 && partners.some((p) => shares[p]?.trim());
  // Amount shares are in the cost lines' currency (the server refuses any other).
  const shareCurrency = costs[0]?.currency ?? 'EUR';
  const [outputs, setOutputs] = useState(activity?.outputs ?? '');
  const [report, setReport] = useState(activity?.report ?? '');
  const body = () => ({
    type,
    title: title.trim(),
    startsOn,
    endsOn,
    partnershipIds: partners,
    experts: experts
      .split('\n')
      .map((e) => e.trim())
      .filter(Boolean),
    participants: Object.entries(counts)
      .filter(([, c]) => c.women + c.men > 0)
      .map(([role, c]) => ({ role, ...c })),
    // A line left entirely blank is no line; a partly filled one goes to the server, which says what is missing.
    costs: costs
      .filter((c) => c.label.trim() || c.agreementId || c.amount.trim())
      .map((c) => ({
        label: c.label.trim(),
        agreementId: c.agreementId,
        amount: { amount: c.amount.trim(), currency: c.currency },
      })),
    costShares: sharesGiven
      ? partners.map((p) => {
          const v = shares[p]?.trim() || '0';
          return shareKind === 'percent'
            ? { partnershipId: p, percent: v }
            : { partnershipId: p, amount: { amount: v, currency: shareCurrency } };
        })
      : null,
    outputs,
    report,
  });
  const save = useMutation({
    mutationFn: () =>
      activity
        ? api.patch<ActivityT>(`/api/programme/activities/${activity.id}`, {
            ...body(),
            version: activity.version,
          })
        : api.post<ActivityT>('/api/programme/activities', body()),
    onSuccess: () => {
      if (!activity) setTitle('');
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved?.();
    },
  });
  const count = (role: string, k: 'women' | 'men') => (v: string | number) =>
    setCounts((c) => ({ ...c, [role]: { women: 0, men: 0, ...c[role], [k]: Number(v) || 0 } }));
  const setCost = (i: number, change: Partial<CostLine>) =>
    setCosts((l) => l.map((c, k) => (k === i ? { ...c, ...change } : c)));
  return (
    <Stack data-testid="programme-activity-form">
      <Group grow align="flex-end">
        <Select
          label={t('programme.type')}
          data={ACTIVITY_TYPES.map((a) => ({ value: a, label: t(`programme.activityType.${a}`) }))}
          value={type}
          onChange={(v) => v && setType(v)}
          allowDeselect={false}
        />
        <TextInput
          label={t('programme.title')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
          data-testid="programme-activity-title"
        />
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={startsOn}
          onChange={(e) => setStartsOn(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={endsOn}
          onChange={(e) => setEndsOn(e.currentTarget.value)}
        />
      </Group>
      <MultiSelect
        label={t('programme.partners')}
        data={(partnerships.data?.items ?? []).map((p) => ({ value: p.id, label: p.organisation }))}
        value={partners}
        onChange={setPartners}
        data-testid="programme-activity-partners"
      />
      {partners.length > 1 && (
        <Stack gap={4} data-testid="programme-cost-shares">
          <Text size="sm" c="dimmed">
            {t('programme.costShares.hint')}
          </Text>
          <SegmentedControl
            aria-label={t('programme.costShares.kind')}
            value={shareKind}
            onChange={(v) => setShareKind(v as 'percent' | 'amount')}
            data={[
              { value: 'percent', label: t('programme.costShares.percent') },
              { value: 'amount', label: t('programme.costShares.amount', { currency: shareCurrency }) },
            ]}
            w="fit-content"
          />
          <Group align="flex-end">
            {partners.map((p) => {
              const partner = partnerships.data?.items.find((x) => x.id === p)?.organisation ?? '';
              return (
                <TextInput
                  key={p}
                  label={
                    shareKind === 'percent'
                      ? t('programme.costShares.label', { partner })
                      : t('programme.costShares.amountLabel', { partner, currency: shareCurrency })
                  }
                  inputMode="decimal"
                  value={shares[p] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setShares((s) => ({ ...s, [p]: v }));
                  }}
                  w={200}
                />
              );
            })}
          </Group>
        </Stack>
      )}
      <Textarea
        label={t('programme.experts')}
        value={experts}
        onChange={(e) => setExperts(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('programme.participants')}
        </Text>
        {PARTICIPANT_ROLES.map((role) => (
          <Group key={role} align="flex-end">
            <Text size="sm" w={140}>
              {t(`programme.role.${role}`)}
            </Text>
            <NumberInput
              label={t('programme.women')}
              min={0}
              w={100}
              value={counts[role]?.women ?? 0}
              onChange={count(role, 'women')}
            />
            <NumberInput
              label={t('programme.men')}
              min={0}
              w={100}
              value={counts[role]?.men ?? 0}
              onChange={count(role, 'men')}
            />
          </Group>
        ))}
      </Stack>
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {t('programme.costs')}
        </Text>
        {costs.map((c, i) => (
          // Lines have no id of their own; their place in the list is what the form edits.
          <Group key={i} align="flex-end">
            <TextInput
              label={t('programme.costLabel')}
              data-testid="programme-cost-label"
              value={c.label}
              onChange={(e) => setCost(i, { label: e.currentTarget.value })}
            />
            <Select
              label={t('programme.agreement')}
              data={(agreements.data?.items ?? []).map((a) => ({
                value: a.id,
                label: `${a.reference} (${a.donorName})`,
              }))}
              value={c.agreementId}
              onChange={(v) => setCost(i, { agreementId: v })}
              data-testid="programme-cost-agreement"
              w={240}
            />
            <TextInput
              label={t('programme.amount')}
              data-testid="programme-cost-amount"
              inputMode="decimal"
              value={c.amount}
              onChange={(e) => setCost(i, { amount: e.currentTarget.value })}
              w={140}
            />
            <CurrencySelect value={c.currency} onChange={(v) => setCost(i, { currency: v })} />
            <RemoveLine
              onClick={() => setCosts((l) => (l.length > 1 ? l.filter((_, k) => k !== i) : [emptyCost()]))}
              label={t('programme.removeCost', { n: i + 1 })}
            />
          </Group>
        ))}
        <Group>
          <Button variant="default" size="xs" onClick={() => setCosts((l) => [...l, emptyCost()])}>
            {t('programme.addCost')}
          </Button>
        </Group>
      </Stack>
      <Textarea
        label={t('programme.outputs')}
        value={outputs}
        onChange={(e) => setOutputs(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      <Textarea
        label={t('programme.report')}
        value={report}
        onChange={(e) => setReport(e.currentTarget.value)}
        autosize
        minRows={2}
      />
      {onReload ? <SaveError error={save.error} onReload={onReload} /> : <ProblemAlert error={save.error} />}
      <Group>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={!title.trim() || !startsOn || !endsOn}
          data-testid="programme-activity-save"
        >
          {activity ? t('programme.save') : t('programme.create')}
        </Button>
      </Group>
    </Stack>
  );
}
