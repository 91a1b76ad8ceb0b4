import {
  Button,
  Container,
  Group,
  MultiSelect,
  NumberInput,
  Paper,
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
import { ACTIVITY_TYPES, PARTICIPANT_ROLES } from '../programme.vocab';
import { ActivitiesTable, CurrencySelect, ProgrammeTabs, programmeKey, useProgrammeList } from './bits';
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
          <ActivitiesTable items={list.data.items} />
        )}
        <NewActivity />
      </Stack>
    </Container>
  );
}

interface CostLine {
  label: string;
  agreementId: string | null;
  amount: string;
  currency: string;
}

function NewActivity(): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const partnerships = useProgrammeList('partnerships');
  const agreements = useProgrammeList('agreements');
  const [type, setType] = useState<string>('workshop');
  const [title, setTitle] = useState('');
  const [startsOn, setStartsOn] = useState('');
  const [endsOn, setEndsOn] = useState('');
  const [partners, setPartners] = useState<string[]>([]);
  const [experts, setExperts] = useState('');
  const [counts, setCounts] = useState<Record<string, { women: number; men: number }>>({});
  const [cost, setCost] = useState<CostLine>({ label: '', agreementId: null, amount: '', currency: 'EUR' });
  /** Explicit cost shares in % per partner; all empty: the costs are split equally. */
  const [shares, setShares] = useState<Record<string, string>>({});
  const sharesGiven = partners.length > 1 && partners.some((p) => shares[p]?.trim());
  const [outputs, setOutputs] = useState('');
  const [report, setReport] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<ActivityT>('/api/programme/activities', {
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
        costs:
          cost.label && cost.agreementId && cost.amount
            ? [
                {
                  label: cost.label.trim(),
                  agreementId: cost.agreementId,
                  amount: { amount: cost.amount.trim(), currency: cost.currency },
                },
              ]
            : [],
        costShares: sharesGiven
          ? partners.map((p) => ({ partnershipId: p, percent: shares[p]?.trim() || '0' }))
          : null,
        outputs,
        report,
      }),
    onSuccess: () => {
      setTitle('');
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  const count = (role: string, k: 'women' | 'men') => (v: string | number) =>
    setCounts((c) => ({ ...c, [role]: { women: 0, men: 0, ...c[role], [k]: Number(v) || 0 } }));
  return (
    <Paper withBorder p="md">
      <Stack>
        <Title order={2} size="h4">
          {t('programme.newActivity')}
        </Title>
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
            <Group align="flex-end">
              {partners.map((p) => (
                <TextInput
                  key={p}
                  label={t('programme.costShares.label', {
                    partner: partnerships.data?.items.find((x) => x.id === p)?.organisation ?? '',
                  })}
                  inputMode="decimal"
                  value={shares[p] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setShares((s) => ({ ...s, [p]: v }));
                  }}
                  w={200}
                />
              ))}
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
        <Group align="flex-end">
          <TextInput
            label={t('programme.costLabel')}
            data-testid="programme-cost-label"
            value={cost.label}
            onChange={(e) => setCost({ ...cost, label: e.currentTarget.value })}
          />
          <Select
            label={t('programme.agreement')}
            data={(agreements.data?.items ?? []).map((a) => ({
              value: a.id,
              label: `${a.reference} (${a.donorName})`,
            }))}
            value={cost.agreementId}
            onChange={(v) => setCost({ ...cost, agreementId: v })}
            data-testid="programme-cost-agreement"
            w={240}
          />
          <TextInput
            label={t('programme.amount')}
            data-testid="programme-cost-amount"
            inputMode="decimal"
            value={cost.amount}
            onChange={(e) => setCost({ ...cost, amount: e.currentTarget.value })}
            w={140}
          />
          <CurrencySelect value={cost.currency} onChange={(v) => setCost({ ...cost, currency: v })} />
        </Group>
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
        <ProblemAlert error={save.error} />
        <Group>
          <Button
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!title.trim() || !startsOn || !endsOn}
            data-testid="programme-activity-save"
          >
            {t('programme.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
