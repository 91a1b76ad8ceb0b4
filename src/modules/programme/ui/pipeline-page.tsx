import {
  Button,
  Card,
  Container,
  Group,
  Modal,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { EOI_STATUSES, EOI_TRANSITIONS, type EoiStatus } from '../programme.vocab';
import {
  CurrencySelect,
  PartnershipFields,
  type PartnershipTerms,
  ProgrammeTabs,
  programmeKey,
  StatusBadge,
  useFundingGap,
  useMoney,
} from './bits';
import { FactorChart } from './charts';
import { EoiContent, EoiFiles } from './records';
import type { EoiT, PipelineT } from './types';
import { PartnersMap } from './world-map';

export function ProgrammePipelinePage(): ReactNode {
  return (
    <RequirePermission permission="programme.manage">
      <PipelineBoard />
    </RequirePermission>
  );
}

function PipelineBoard(): ReactNode {
  const { t } = useTranslation();
  const [currency, setCurrency] = useState('EUR');
  const pipeline = useQuery({
    queryKey: [...programmeKey, 'pipeline'],
    queryFn: ({ signal }) => api.get<PipelineT>('/api/programme/pipeline', { signal }),
  });
  const gap = useFundingGap(currency);
  const money = useMoney();
  const [open, setOpen] = useState<EoiT | null>(null);
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('programme.pipelineTitle')} description={t('programme.pipelineIntro')} />
      <ProgrammeTabs current="pipeline" />
      <Paper withBorder p="md" mb="md">
        <Group justify="space-between" align="flex-end">
          <Stack gap={2}>
            <Text fw={600}>{t('programme.uncovered')}</Text>
            <Text size="sm" c="dimmed">
              {t('programme.uncoveredHelp', { currency })}
            </Text>
          </Stack>
          <Group align="flex-end">
            <Stack gap={0} align="flex-end">
              <Text size="xl" fw={700} data-testid="programme-uncovered">
                {gap.isError
                  ? '—'
                  : gap.data
                    ? money({ amount: uncovered(gap.data.total.gap), currency: gap.data.currency })
                    : '…'}
              </Text>
              {gap.data?.total.gap.startsWith('-') && (
                <Text size="xs" c="dimmed">
                  {t('programme.surplus', {
                    amount: money({ amount: gap.data.total.gap.slice(1), currency: gap.data.currency }),
                  })}
                </Text>
              )}
            </Stack>
            <CurrencySelect value={currency} onChange={setCurrency} label={t('programme.reportCurrency')} />
          </Group>
        </Group>
        {gap.isError && <QueryError error={gap.error} />}
      </Paper>
      {pipeline.isPending ? (
        <PageLoader />
      ) : pipeline.isError ? (
        <QueryError error={pipeline.error} onRetry={() => pipeline.refetch()} />
      ) : (
        <>
          <PartnersMap items={pipeline.data.items} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 5 }} data-testid="programme-pipeline">
            {EOI_STATUSES.map((s) => (
              <Stack key={s} gap="xs" data-testid={`programme-column-${s}`}>
                <Group justify="space-between">
                  <Title order={2} size="h5">
                    {t(`programme.status.${s}`)}
                  </Title>
                  <Text fw={700}>{pipeline.data.counts[s] ?? 0}</Text>
                </Group>
                {pipeline.data.items.filter((e) => e.status === s).length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('programme.empty')}
                  </Text>
                )}
                {pipeline.data.items
                  .filter((e) => e.status === s)
                  .map((e) => (
                    <EoiCard key={e.id} eoi={e} onOpen={() => setOpen(e)} />
                  ))}
              </Stack>
            ))}
          </SimpleGrid>
        </>
      )}
      <FactorChart />
      <Modal opened={!!open} onClose={() => setOpen(null)} title={open?.organisation} size="lg">
        {open && <EoiDetail eoi={open} onDone={() => setOpen(null)} />}
      </Modal>
    </Container>
  );
}

function EoiCard({ eoi, onOpen }: { eoi: EoiT; onOpen: () => void }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  return (
    <Card withBorder padding="sm" data-testid="programme-eoi-card">
      <Stack gap={4}>
        <Text fw={600} size="sm">
          {eoi.organisation}
        </Text>
        <Text size="xs">{eoi.headName}</Text>
        <Text size="xs" c="dimmed">
          {[eoi.region, t('programme.submittedOn', { date: f.date(eoi.submittedAt) })]
            .filter(Boolean)
            .join(' · ')}
        </Text>
        {eoi.estimatedCost && (
          <Text size="xs">
            {t('programme.estimatedCost')}: {money(eoi.estimatedCost)}
          </Text>
        )}
        <Button size="xs" variant="light" onClick={onOpen} data-testid="programme-open-eoi">
          {t('programme.history')}
        </Button>
      </Stack>
    </Card>
  );
}

/** Demand not covered: the gap, or zero when funds exceed demand (the surplus is shown apart). */
const uncovered = (gap: string) =>
  gap.startsWith('-') ? gap.replace(/^-\d+/, '0').replace(/\d/g, '0') : gap;

const today = () => new Date().toISOString().slice(0, 10);

function EoiDetail({ eoi, onDone }: { eoi: EoiT; onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  const qc = useQueryClient();
  const next = EOI_TRANSITIONS[eoi.status];
  const [to, setTo] = useState<EoiStatus | null>(next[0] ?? null);
  const [reason, setReason] = useState('');
  const [decidedOn, setDecidedOn] = useState(today());
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [terms, setTerms] = useState<PartnershipTerms>({
    startsOn: today(),
    endsOn: '',
    donorIds: [],
    coordinatorName: '',
    coordinatorEmail: '',
  });
  const move = useMutation({
    mutationFn: () =>
      api.post<EoiT>(`/api/programme/eois/${eoi.id}/transition`, {
        version: eoi.version,
        to,
        reason: reason.trim(),
        decidedOn,
        ...(to === 'eligible_awaiting_funding' ? { estimatedCost: { amount: amount.trim(), currency } } : {}),
        ...(to === 'partner' ? { partnership: terms } : {}),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.moved'));
      onDone();
    },
  });
  return (
    <Stack>
      <Group>
        <StatusBadge status={eoi.status} />
        {eoi.estimatedCost && <Text size="sm">{money(eoi.estimatedCost)}</Text>}
      </Group>
      <EoiContent eoi={eoi} />
      <EoiFiles eoiId={eoi.id} />
      {eoi.events.length > 0 && (
        <Stack gap={2}>
          <Text fw={600} size="sm">
            {t('programme.history')}
          </Text>
          {eoi.events.map((e) => (
            <Text size="xs" key={e.at}>
              {f.date(e.decidedOn)}: {t(`programme.status.${e.from}`)} → {t(`programme.status.${e.to}`)} —{' '}
              {e.reason}
            </Text>
          ))}
        </Stack>
      )}
      {next.length > 0 && to && (
        <Stack gap="xs">
          <Select
            label={t('programme.moveTo')}
            data={next.map((s) => ({ value: s, label: t(`programme.status.${s}`) }))}
            value={to}
            onChange={(v) => v && setTo(v as EoiStatus)}
            allowDeselect={false}
            data-testid="programme-move-to"
          />
          <Textarea
            label={t('programme.reason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            autosize
            minRows={2}
            data-testid="programme-reason"
          />
          <TextInput
            type="date"
            label={t('programme.decidedOn')}
            value={decidedOn}
            onChange={(e) => setDecidedOn(e.currentTarget.value)}
          />
          {to === 'eligible_awaiting_funding' && (
            <Group align="flex-end">
              <TextInput
                label={t('programme.estimatedCost')}
                value={amount}
                onChange={(e) => setAmount(e.currentTarget.value)}
                inputMode="decimal"
                data-testid="programme-estimate"
              />
              <CurrencySelect value={currency} onChange={setCurrency} />
            </Group>
          )}
          {to === 'partner' && (
            <PartnershipFields value={terms} onChange={(c) => setTerms((x) => ({ ...x, ...c }))} />
          )}
          <SaveError error={move.error} onReload={onDone} />
          <Group>
            <Button
              onClick={() => move.mutate()}
              loading={move.isPending}
              disabled={!reason.trim()}
              data-testid="programme-move"
            >
              {t('programme.move')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
