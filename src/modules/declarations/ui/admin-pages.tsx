import {
  Button,
  Card,
  Checkbox,
  Container,
  Group,
  Modal,
  MultiSelect,
  NativeSelect,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, request } from '../../../web/api';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { ASSET_KINDS, DECLARATION_TYPES } from '../declarations.vocab';
import { DeclarationsTabs } from './bits';
import { declarationsKey, useCycles, useSettings, useStatistics, useUnits } from './queries';
import type { CycleT, SettingsT, StatisticsT } from './types';

// ---- configuration -------------------------------------------------------------------------

export function SettingsPage(): ReactNode {
  return (
    <RequirePermission permission="declarations.manage">
      <SettingsView />
    </RequirePermission>
  );
}

/** "EUR = 655.957" lines ↔ a rates object. */
const ratesText = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([c, v]) => `${c} = ${v}`)
    .join('\n');
const parseRates = (s: string): Record<string, number> =>
  Object.fromEntries(
    s
      .split('\n')
      .map((l) => l.split('=').map((x) => x.trim()))
      .filter((p) => p.length === 2 && p[0])
      .map(([c, v]) => [c!.toUpperCase(), Number(v)]),
  );

/** "name@customs.example = OFF-7" lines ↔ an officer-code object (e-mail → code). */
const codesText = (r: Record<string, string>) =>
  Object.entries(r)
    .map(([e, c]) => `${e} = ${c}`)
    .join('\n');
const parseCodes = (s: string): Record<string, string> =>
  Object.fromEntries(
    s
      .split('\n')
      .map((l) => {
        const at = l.indexOf('=');
        return at < 0 ? [l.trim(), ''] : [l.slice(0, at).trim(), l.slice(at + 1).trim()];
      })
      .filter(([e]) => e)
      .map(([e, c]) => [e!.toLowerCase(), c!]),
  );

function SettingsView(): ReactNode {
  const { t } = useTranslation();
  const settings = useSettings();
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t('declarations.settingsTitle')} description={t('declarations.settingsIntro')} />
      <DeclarationsTabs current="settings" />
      <Stack gap="lg">
        {settings.isPending ? (
          <PageLoader />
        ) : settings.isError ? (
          <QueryError error={settings.error} onRetry={() => settings.refetch()} />
        ) : (
          <SettingsForm s={settings.data} />
        )}
        <Cycles />
      </Stack>
    </Container>
  );
}

function SettingsForm({ s }: { s: SettingsT }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const currencies = useMemo(() => Intl.supportedValuesOf('currency'), []);
  const [v, setV] = useState({ ...s, rates: ratesText(s.rates), officerCodes: codesText(s.officerCodes) });
  useEffect(() => setV({ ...s, rates: ratesText(s.rates), officerCodes: codesText(s.officerCodes) }), [s]);
  const save = useMutation({
    mutationFn: () =>
      request<SettingsT>('/api/declarations/settings', {
        method: 'PUT',
        body: { ...v, rates: parseRates(v.rates), officerCodes: parseCodes(v.officerCodes) },
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.saved'));
    },
  });
  return (
    <Section title={t('declarations.typesAndThresholds')} description={t('declarations.typesIntro')}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Checkbox.Group
            label={t('declarations.enabledTypes')}
            value={v.enabledTypes}
            onChange={(x) => setV({ ...v, enabledTypes: x as SettingsT['enabledTypes'] })}
          >
            <Group mt={4}>
              {DECLARATION_TYPES.map((k) => (
                <Checkbox key={k} value={k} label={t(`declarations.types.${k}`)} />
              ))}
            </Group>
          </Checkbox.Group>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <NativeSelect
              label={t('declarations.baseCurrency')}
              value={v.baseCurrency}
              onChange={(e) => setV({ ...v, baseCurrency: e.currentTarget.value })}
              data={currencies}
            />
            <NumberInput
              label={t('declarations.giftThreshold')}
              min={0}
              value={v.giftThreshold}
              onChange={(x) => setV({ ...v, giftThreshold: Number(x) })}
            />
            <NumberInput
              label={t('declarations.repeatGiftCount')}
              min={2}
              value={v.repeatGiftCount}
              onChange={(x) => setV({ ...v, repeatGiftCount: Number(x) })}
            />
            <NumberInput
              label={t('declarations.repeatGiftWindowDays')}
              min={1}
              value={v.repeatGiftWindowDays}
              onChange={(x) => setV({ ...v, repeatGiftWindowDays: Number(x) })}
            />
            <NumberInput
              label={t('declarations.growthFactor')}
              description={t('declarations.growthFactorHelp')}
              min={0.1}
              step={0.1}
              decimalScale={2}
              value={v.growthFactor}
              onChange={(x) => setV({ ...v, growthFactor: Number(x) })}
            />
            <Textarea
              label={t('declarations.rates')}
              description={t('declarations.ratesHelp', { currency: v.baseCurrency })}
              autosize
              minRows={3}
              value={v.rates}
              onChange={(e) => setV({ ...v, rates: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Textarea
            label={t('declarations.officerCodes')}
            description={t('declarations.officerCodesHelp')}
            autosize
            minRows={2}
            maxRows={12}
            dir="ltr"
            value={v.officerCodes}
            onChange={(e) => setV({ ...v, officerCodes: e.currentTarget.value })}
          />
          <ProblemAlert error={save.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending}>
              {t('declarations.saveSettings')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function Cycles(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const cycles = useCycles();
  const units = useUnits();
  const unitNames = new Map((units.data?.items ?? []).map((u) => [u.id, u.name]));
  const empty = {
    title: '',
    type: 'asset',
    assetKind: 'annual',
    year: (new Date().getFullYear() - 1) as number | string,
    unitIds: [] as string[],
    dueDate: '',
    escalate: true,
  };
  const [v, setV] = useState(empty);
  const [editing, setEditing] = useState<CycleT | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api.post('/api/declarations/cycles', {
        title: v.title,
        type: v.type,
        ...(v.type === 'asset' ? { assetKind: v.assetKind, year: Number(v.year) } : {}),
        unitIds: v.unitIds,
        dueDate: v.dueDate,
        escalate: v.escalate,
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.saved'));
      setV(empty);
    },
  });
  return (
    <Section title={t('declarations.cyclesTitle')} description={t('declarations.cyclesIntro')}>
      {cycles.isPending ? (
        <PageLoader />
      ) : cycles.isError ? (
        <QueryError error={cycles.error} />
      ) : cycles.data.items.length === 0 ? (
        <Text c="dimmed">{t('declarations.noCycles')}</Text>
      ) : (
        <ScrollTable minWidth={600} label={t('declarations.cyclesTitle')}>
          <Table striped>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('declarations.cycleTitle')}</Table.Th>
                <Table.Th scope="col">{t('declarations.type')}</Table.Th>
                <Table.Th scope="col">{t('declarations.who')}</Table.Th>
                <Table.Th scope="col">{t('declarations.dueDate')}</Table.Th>
                <Table.Th scope="col">
                  <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {cycles.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{c.title}</Table.Td>
                  <Table.Td>
                    {t(`declarations.types.${c.type}`)}
                    {c.assetKind ? ` · ${t(`declarations.assetKind.${c.assetKind}`)} ${c.year ?? ''}` : ''}
                  </Table.Td>
                  <Table.Td>
                    {c.unitIds.length
                      ? f.list(c.unitIds.map((u) => unitNames.get(u) ?? '…'))
                      : t('declarations.everyone')}
                  </Table.Td>
                  <Table.Td>{f.date(c.dueDate)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      onClick={() => setEditing(c)}
                      aria-label={t('declarations.editCycle', { title: c.title })}
                    >
                      {t('declarations.editCycleShort')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing ? t('declarations.editCycle', { title: editing.title }) : ''}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing && <CycleEditForm cycle={editing} onDone={() => setEditing(null)} />}
      </Modal>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="sm">
          <Title order={3} size="h5">
            {t('declarations.newCycle')}
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              required
              label={t('declarations.cycleTitle')}
              value={v.title}
              onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
            />
            <NativeSelect
              label={t('declarations.type')}
              value={v.type}
              onChange={(e) => setV({ ...v, type: e.currentTarget.value })}
              data={DECLARATION_TYPES.map((k) => ({ value: k, label: t(`declarations.types.${k}`) }))}
            />
            {v.type === 'asset' && (
              <>
                <NativeSelect
                  label={t('declarations.assetKindLabel')}
                  value={v.assetKind}
                  onChange={(e) => setV({ ...v, assetKind: e.currentTarget.value })}
                  data={ASSET_KINDS.map((k) => ({ value: k, label: t(`declarations.assetKind.${k}`) }))}
                />
                <NumberInput
                  label={t('declarations.periodYear')}
                  value={v.year}
                  onChange={(x) => setV({ ...v, year: x })}
                />
              </>
            )}
            <MultiSelect
              label={t('declarations.units')}
              placeholder={t('declarations.everyone')}
              data={(units.data?.items ?? []).map((u) => ({ value: u.id, label: u.name }))}
              value={v.unitIds}
              onChange={(x) => setV({ ...v, unitIds: x })}
              searchable
            />
            <TextInput
              required
              type="date"
              label={t('declarations.dueDate')}
              value={v.dueDate}
              onChange={(e) => setV({ ...v, dueDate: e.currentTarget.value })}
            />
          </SimpleGrid>
          <Switch
            label={t('declarations.escalate')}
            checked={v.escalate}
            onChange={(e) => setV({ ...v, escalate: e.currentTarget.checked })}
          />
          <ProblemAlert error={create.error} />
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending}>
              {t('declarations.createCycle')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

/** Title, due date (reminders start again from it) and escalation of a cycle; 409 on a stale version. */
function CycleEditForm({ cycle, onDone }: { cycle: CycleT; onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const cycles = useCycles();
  const [version, setVersion] = useState(cycle.version);
  const [v, setV] = useState({ title: cycle.title, dueDate: cycle.dueDate, escalate: cycle.escalate });
  const save = useMutation({
    mutationFn: () => api.patch(`/api/declarations/cycles/${cycle.id}`, { ...v, version }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: declarationsKey });
      notifySuccess(t('declarations.saved'));
      onDone();
    },
  });
  const reload = async () => {
    const fresh = (await cycles.refetch()).data?.items.find((c) => c.id === cycle.id);
    if (fresh) setVersion(fresh.version);
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          required
          label={t('declarations.cycleTitle')}
          value={v.title}
          onChange={(e) => setV({ ...v, title: e.currentTarget.value })}
        />
        <TextInput
          required
          type="date"
          label={t('declarations.dueDate')}
          description={t('declarations.dueDateHelp')}
          value={v.dueDate}
          onChange={(e) => setV({ ...v, dueDate: e.currentTarget.value })}
        />
        <Switch
          label={t('declarations.escalate')}
          checked={v.escalate}
          onChange={(e) => setV({ ...v, escalate: e.currentTarget.checked })}
        />
        <SaveError error={save.error} onReload={reload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

// ---- statistics ----------------------------------------------------------------------------

export function StatisticsPage(): ReactNode {
  return (
    <RequirePermission permission="declarations.statistics">
      <StatisticsView />
    </RequirePermission>
  );
}

function StatisticsView(): ReactNode {
  const { t } = useTranslation();
  const s = useStatistics();
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('declarations.statisticsTitle')} description={t('declarations.statisticsIntro')} />
      <DeclarationsTabs current="statistics" />
      {s.isPending ? (
        <PageLoader />
      ) : s.isError ? (
        <QueryError error={s.error} onRetry={() => s.refetch()} />
      ) : (
        <StatisticsBody s={s.data} />
      )}
    </Container>
  );
}

function StatisticsBody({ s }: { s: StatisticsT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 100)} %`);
  const rated = useMemo(() => s.cycles.filter((c) => c.rate !== null), [s]);
  const cycleOption = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 48, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value} %' } },
      yAxis: {
        type: 'category',
        data: rated.map((c) => c.title),
        axisLabel: { width: 150, overflow: 'break' },
      },
      series: [
        {
          type: 'bar',
          name: t('declarations.submissionRate'),
          data: rated.map((c) => Math.round((c.rate ?? 0) * 100)),
          barMaxWidth: 22,
          label: { show: true, position: 'right', formatter: '{c} %' },
        },
      ],
    }),
    [rated, t],
  );
  const flagRows = useMemo(() => s.flagsByRule.filter((r) => r.open + r.dismissed + r.referred > 0), [s]);
  const flagOption = useMemo<ChartOption>(
    () => ({
      grid: { left: 56, right: 24, top: 32, bottom: 24, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: flagRows.map((r) => t(`declarations.rules.${r.rule}`)),
        axisLabel: { width: 150, overflow: 'break' },
      },
      series: (['open', 'referred', 'dismissed'] as const).map((k) => ({
        type: 'bar',
        stack: 'flags',
        name: t(`declarations.flagStatus.${k}`),
        data: flagRows.map((r) => r[k]),
        barMaxWidth: 22,
      })),
    }),
    [flagRows, t],
  );
  return (
    <Stack gap="lg">
      <Text size="sm" c="dimmed">
        {t('declarations.minCellNote', { count: s.minCell })}
      </Text>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('declarations.submissionByCycle')}
          </Title>
          {rated.length ? (
            <Chart
              option={cycleOption}
              label={t('declarations.submissionChartLabel', {
                list: rated.map((c) => `${c.title} ${pct(c.rate)}`).join(', '),
              })}
              height={Math.max(160, rated.length * 36 + 40)}
            />
          ) : (
            <Text c="dimmed" size="sm">
              {t('declarations.noData')}
            </Text>
          )}
        </Card>
        <Card withBorder radius="md">
          <Title order={2} size="h4" mb="xs">
            {t('declarations.flagsByRule')}
          </Title>
          {flagRows.length ? (
            <Chart
              option={flagOption}
              label={t('declarations.flagsChartLabel', {
                list: flagRows
                  .map((r) => `${t(`declarations.rules.${r.rule}`)} ${r.open + r.referred + r.dismissed}`)
                  .join(', '),
              })}
              height={Math.max(180, flagRows.length * 36 + 60)}
            />
          ) : (
            <Text c="dimmed" size="sm">
              {t('declarations.noData')}
            </Text>
          )}
        </Card>
      </SimpleGrid>
      {s.cycles.map((c) => (
        <Section
          key={c.cycleId}
          title={c.title}
          description={t('declarations.cycleLine', {
            type: t(`declarations.types.${c.type}`),
            date: f.date(c.dueDate),
            rate: pct(c.rate),
            late: c.late,
          })}
        >
          <ScrollTable minWidth={480} label={c.title}>
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('declarations.unit')}</Table.Th>
                  <Table.Th scope="col">{t('declarations.expected')}</Table.Th>
                  <Table.Th scope="col">{t('declarations.submittedCount')}</Table.Th>
                  <Table.Th scope="col">{t('declarations.submissionRate')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {c.byUnit.map((u) => (
                  <Table.Tr key={u.unitId ?? 'none'}>
                    <Table.Td>{u.unit}</Table.Td>
                    {u.suppressed ? (
                      <Table.Td colSpan={3} c="dimmed">
                        {t('declarations.suppressed', { count: s.minCell })}
                      </Table.Td>
                    ) : (
                      <>
                        <Table.Td>{u.expected}</Table.Td>
                        <Table.Td>{u.submitted}</Table.Td>
                        <Table.Td>{pct(u.rate)}</Table.Td>
                      </>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        </Section>
      ))}
      <Card withBorder radius="md">
        <Title order={2} size="h4" mb="xs">
          {t('declarations.byType')}
        </Title>
        <Group>
          {s.byType.map((x) => (
            <Text key={x.type}>
              {t('declarations.typeCount', { type: t(`declarations.types.${x.type}`), n: f.number(x.count) })}
            </Text>
          ))}
        </Group>
      </Card>
    </Stack>
  );
}
