import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError, isApiError, request } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { SaveError } from '../../../web/ui-kit/save-error';
import type { Actual, Consent, Results } from '../programme.results';
import { DAC_CRITERIA, DAC_RATINGS } from '../programme.vocab';
import { programmeKey } from './bits';

type ResultsT = z.infer<typeof Results>;
type ConsentT = z.infer<typeof Consent>;
type ActualT = z.infer<typeof Actual>;
type LinkT = NonNullable<ResultsT['outcomes'][number]['indicators'][number]['link']>;
type ScopeT = ConsentT['scope'];

/**
 * The source picker's value: '' entered, '1'…'10' a RAD factor's score, 'kpi' a KPI series,
 * 'survey' / 'survey:1'…'survey:10' the surveys' index or a factor's score, 'cases:closed' /
 * 'cases:substantiated' the case statistics.
 */
const sourceOf = (link: LinkT | null) =>
  !link
    ? ''
    : link.kind === 'kpi'
      ? 'kpi'
      : link.kind === 'survey_index'
        ? link.factor === null
          ? 'survey'
          : `survey:${link.factor}`
        : link.kind === 'case_statistics'
          ? `cases:${link.measure}`
          : String(link.factor);
const linkOf = (source: string, code: string): LinkT | null =>
  source === ''
    ? null
    : source === 'kpi'
      ? { kind: 'kpi', code: code.trim() }
      : source === 'survey'
        ? { kind: 'survey_index', factor: null }
        : source.startsWith('survey:')
          ? { kind: 'survey_index', factor: Number(source.slice(7)) }
          : source === 'cases:closed' || source === 'cases:substantiated'
            ? { kind: 'case_statistics', measure: source === 'cases:closed' ? 'closed' : 'substantiated' }
            : { kind: 'rad_factor', factor: Number(source) };

/**
 * Where an indicator's actuals come from: entered by the Secretariat, a RAD factor's score, or
 * the series of one of the partner's action-plan KPIs (its code) — read with the partner's consent.
 */
function SourceFields({
  source,
  code,
  onSource,
  onCode,
  name,
  error,
  small,
}: {
  source: string;
  code: string;
  onSource: (v: string) => void;
  onCode: (v: string) => void;
  /** The indicator's name, for the fields' accessible names when several are on the page. */
  name?: string;
  error?: string;
  small?: boolean;
}): ReactNode {
  const { t } = useTranslation();
  const size = small ? 'xs' : 'sm';
  return (
    <>
      <Select
        size={size}
        label={t('programme.forms.source')}
        {...(small ? {} : { description: t('programme.forms.sourceHint') })}
        {...(name ? { 'aria-label': `${t('programme.forms.source')} — ${name}` } : {})}
        data={[
          { value: '', label: t('programme.forms.sourceEntered') },
          ...Array.from({ length: 10 }, (_, i) => ({
            value: String(i + 1),
            label: t('programme.forms.sourceRad', { factor: i + 1 }),
          })),
          { value: 'kpi', label: t('programme.forms.sourceKpi') },
          { value: 'survey', label: t('programme.forms.sourceSurvey') },
          ...Array.from({ length: 10 }, (_, i) => ({
            value: `survey:${i + 1}`,
            label: t('programme.forms.sourceSurveyFactor', { factor: i + 1 }),
          })),
          { value: 'cases:closed', label: t('programme.forms.sourceCasesClosed') },
          { value: 'cases:substantiated', label: t('programme.forms.sourceCasesSubstantiated') },
        ]}
        value={source}
        onChange={(v) => onSource(v ?? '')}
        allowDeselect={false}
        w={small ? 240 : 260}
        data-testid={small ? 'programme-link-source' : 'programme-indicator-source'}
      />
      {source === 'kpi' && (
        <TextInput
          size={size}
          label={t('programme.forms.kpiCode')}
          {...(small ? {} : { description: t('programme.forms.kpiCodeHint') })}
          {...(name ? { 'aria-label': `${t('programme.forms.kpiCode')} — ${name}` } : {})}
          value={code}
          onChange={(ev) => onCode(ev.currentTarget.value)}
          error={error}
          w={small ? 140 : 180}
          data-testid="programme-kpi-code"
        />
      )}
    </>
  );
}

// The Secretariat's forms for a partnership's results framework and evaluations, and the partner
// administration's consent (docs/guide/programme.md §7–8). Errors: a field's message under the
// field (problem+json `errors`, by the last segment of its path), anything else as an alert.

/** A problem's field messages by field name (the last segment of each error's path). */
function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (err instanceof ApiError)
    for (const e of err.problem.errors ?? []) {
      const parts = e.path.split(/[./]/).filter((p) => p && !/^\d+$/.test(p));
      const k = parts.at(-1);
      if (k && !out[k]) out[k] = e.message;
    }
  return out;
}

/** Fetches the programme's data again (after a 409: the next save carries the current version). */
export function useReload(): () => Promise<void> {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: programmeKey });
}

function useSave<B>(
  url: string,
  onDone?: () => void,
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE' = 'POST',
  done: 'programme.saved' | 'programme.results.deleted' = 'programme.saved',
) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => request(url, { method, ...(method === 'DELETE' ? {} : { body }) }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t(done));
      onDone?.();
    },
  });
}

/**
 * Alert for what no field shows. With `onReload` (an edit), a stale version is the clear
 * "someone else changed it" message with a reload; `conflict` words any other 409.
 */
function OtherErrors({
  error,
  fields,
  onReload,
  conflict,
}: {
  error: unknown;
  fields: string[];
  onReload?: () => unknown;
  conflict?: string;
}): ReactNode {
  const f = fieldErrors(error);
  if (!error) return null;
  if (
    error instanceof ApiError &&
    Object.keys(f).length > 0 &&
    Object.keys(f).every((k) => fields.includes(k))
  )
    return null;
  if (conflict && isApiError(error, 'CONFLICT'))
    return (
      <Alert color="red" variant="light" role="alert">
        {conflict}
      </Alert>
    );
  if (onReload) return <SaveError error={error} onReload={onReload} />;
  return <ProblemAlert error={error} />;
}

/**
 * Add an outcome or an output under an outcome; or, given `result`, rename it (PATCH at the
 * version shown, in a dialog; a 409 offers a reload that keeps the typed title).
 */
export function ResultForm({
  partnershipId,
  data,
  result,
  onDone,
}: {
  partnershipId: string;
  data: ResultsT;
  result?: { id: string; title: string; version: number };
  onDone?: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const reload = useReload();
  const [level, setLevel] = useState<'outcome' | 'output'>('outcome');
  const [parentId, setParentId] = useState<string | null>(null);
  const [title, setTitle] = useState(result?.title ?? '');
  const save = useSave<unknown>(
    result ? `/api/programme/results/${result.id}` : `/api/programme/partnerships/${partnershipId}/results`,
    () => (result ? onDone?.() : setTitle('')),
    result ? 'PATCH' : 'POST',
  );
  const e = fieldErrors(save.error);
  return (
    <Stack gap="xs" data-testid={result ? 'programme-edit-result' : 'programme-add-result'}>
      {!result && (
        <Title order={3} size="h5">
          {t('programme.forms.addResult')}
        </Title>
      )}
      <Group align="flex-start" wrap="wrap">
        {!result && (
          <Select
            label={t('programme.forms.level')}
            data={[
              { value: 'outcome', label: t('programme.results.outcome') },
              { value: 'output', label: t('programme.results.output') },
            ]}
            value={level}
            onChange={(v) => v && setLevel(v as 'outcome' | 'output')}
            allowDeselect={false}
            w={160}
            data-testid="programme-result-level"
          />
        )}
        {!result && level === 'output' && (
          <Select
            label={t('programme.forms.parent')}
            data={data.outcomes.map((o) => ({ value: o.id, label: o.title }))}
            value={parentId}
            onChange={setParentId}
            error={e.parentId}
            w={260}
            data-testid="programme-result-parent"
          />
        )}
        <TextInput
          label={t('programme.title')}
          value={title}
          onChange={(ev) => setTitle(ev.currentTarget.value)}
          error={e.title}
          w={360}
          data-testid="programme-result-title"
        />
        <Button
          mt={24}
          onClick={() =>
            save.mutate(
              result
                ? { version: result.version, title }
                : { level, title, ...(level === 'output' ? { parentId } : {}) },
            )
          }
          loading={save.isPending}
          data-testid={result ? 'programme-result-save' : 'programme-result-add'}
        >
          {t(result ? 'programme.save' : 'programme.forms.add')}
        </Button>
      </Group>
      <OtherErrors
        error={save.error}
        fields={['parentId', 'title']}
        {...(result ? { onReload: reload } : {})}
      />
    </Stack>
  );
}

export function AddIndicatorForm({
  partnershipId,
  data,
}: {
  partnershipId: string;
  data: ResultsT;
}): ReactNode {
  const { t } = useTranslation();
  const empty = {
    resultId: null as string | null,
    name: '',
    unit: '',
    baseline: '',
    target: '',
    direction: 'increase',
    source: '',
    code: '',
  };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof empty) => (v: string | null) => setForm((f) => ({ ...f, [k]: v }));
  const save = useSave<unknown>(`/api/programme/partnerships/${partnershipId}/indicators`, () =>
    setForm(empty),
  );
  const e = fieldErrors(save.error);
  const results = data.outcomes.flatMap((o) => [
    { value: o.id, label: `${t('programme.results.outcome')}: ${o.title}` },
    ...o.outputs.map((x) => ({ value: x.id, label: `${t('programme.results.output')}: ${x.title}` })),
  ]);
  return (
    <Stack gap="xs" data-testid="programme-add-indicator">
      <Title order={3} size="h5">
        {t('programme.forms.addIndicator')}
      </Title>
      <Group align="flex-start" wrap="wrap">
        <Select
          label={t('programme.forms.result')}
          data={results}
          value={form.resultId}
          onChange={set('resultId')}
          error={e.resultId}
          w={300}
          data-testid="programme-indicator-result"
        />
        <TextInput
          label={t('programme.results.indicator')}
          value={form.name}
          onChange={(ev) => set('name')(ev.currentTarget.value)}
          error={e.name}
          w={260}
          data-testid="programme-indicator-name"
        />
        <TextInput
          label={t('programme.forms.unit')}
          value={form.unit}
          onChange={(ev) => set('unit')(ev.currentTarget.value)}
          error={e.unit}
          w={120}
          data-testid="programme-indicator-unit"
        />
        <TextInput
          label={t('programme.results.baseline')}
          value={form.baseline}
          inputMode="decimal"
          onChange={(ev) => set('baseline')(ev.currentTarget.value)}
          error={e.baseline}
          w={110}
          data-testid="programme-indicator-baseline"
        />
        <TextInput
          label={t('programme.results.target')}
          value={form.target}
          inputMode="decimal"
          onChange={(ev) => set('target')(ev.currentTarget.value)}
          error={e.target}
          w={110}
          data-testid="programme-indicator-target"
        />
        <Select
          label={t('programme.forms.direction')}
          data={[
            { value: 'increase', label: t('programme.results.direction.increase') },
            { value: 'decrease', label: t('programme.results.direction.decrease') },
          ]}
          value={form.direction}
          onChange={(v) => v && set('direction')(v)}
          allowDeselect={false}
          w={150}
        />
        <SourceFields
          source={form.source}
          code={form.code}
          onSource={(v) => set('source')(v)}
          onCode={(v) => set('code')(v)}
          {...(e.code ? { error: e.code } : {})}
        />
        <Button
          mt={24}
          onClick={() =>
            save.mutate({
              resultId: form.resultId,
              name: form.name,
              unit: form.unit,
              baseline: form.baseline.trim(),
              target: form.target.trim(),
              direction: form.direction,
              link: linkOf(form.source, form.code),
            })
          }
          loading={save.isPending}
          data-testid="programme-indicator-add"
        >
          {t('programme.forms.add')}
        </Button>
      </Group>
      <OtherErrors error={save.error} fields={['resultId', 'name', 'unit', 'baseline', 'target', 'code']} />
    </Stack>
  );
}

/**
 * Change where an indicator's actuals come from: entered by the Secretariat, a RAD factor's
 * score or a KPI's series read live (PATCH, at the version shown; a stale one is a 409 shown
 * as an alert).
 */
export function LinkForm({
  indicator,
}: {
  indicator: { id: string; name: string; version: number; link: LinkT | null };
}): ReactNode {
  const { t } = useTranslation();
  const current = sourceOf(indicator.link);
  const currentCode = indicator.link?.kind === 'kpi' ? indicator.link.code : '';
  const [source, setSource] = useState(current);
  const [code, setCode] = useState(currentCode);
  const save = useSave<unknown>(`/api/programme/indicators/${indicator.id}`, undefined, 'PATCH');
  const e = fieldErrors(save.error);
  return (
    <Stack gap={4} data-testid="programme-link-form">
      <Group align="flex-end" gap="xs">
        <SourceFields
          small
          source={source}
          code={code}
          onSource={setSource}
          onCode={setCode}
          name={indicator.name}
          {...(e.code ? { error: e.code } : {})}
        />
        <Button
          size="xs"
          variant="default"
          disabled={source === current && (source !== 'kpi' || code.trim() === currentCode)}
          loading={save.isPending}
          onClick={() => save.mutate({ version: indicator.version, link: linkOf(source, code) })}
          data-testid="programme-link-save"
        >
          {t('programme.save')}
        </Button>
      </Group>
      <OtherErrors error={save.error} fields={['code']} />
    </Stack>
  );
}

/**
 * Enter an indicator's actual for a period (indicators not linked to evidence); or, given an
 * entered `actual`, correct it (PATCH at the version shown; a 409 offers a reload that keeps what
 * was typed).
 */
export function ActualForm({
  indicatorId,
  name,
  actual,
  onDone,
}: {
  indicatorId: string;
  name: string;
  actual?: ActualT;
  onDone?: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const reload = useReload();
  const empty = { periodLabel: '', periodStart: '', periodEnd: '', value: '' };
  const [form, setForm] = useState(
    actual
      ? {
          periodLabel: actual.periodLabel,
          periodStart: actual.periodStart ?? '',
          periodEnd: actual.periodEnd ?? '',
          value: actual.value ?? '',
        }
      : empty,
  );
  const set = (k: keyof typeof empty) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const save = useSave<unknown>(
    actual ? `/api/programme/actuals/${actual.id}` : `/api/programme/indicators/${indicatorId}/actuals`,
    () => (actual ? onDone?.() : setForm(empty)),
    actual ? 'PATCH' : 'POST',
  );
  const e = fieldErrors(save.error);
  return (
    <Stack gap={4} data-testid="programme-actual-form">
      <Group align="flex-start" wrap="wrap" gap="xs">
        <TextInput
          size="xs"
          label={t('programme.forms.period')}
          placeholder="2026 H1"
          value={form.periodLabel}
          onChange={(ev) => set('periodLabel')(ev.currentTarget.value)}
          error={e.periodLabel}
          w={110}
          aria-label={`${t('programme.forms.period')} — ${name}`}
          data-testid="programme-actual-period"
        />
        <TextInput
          size="xs"
          type="date"
          label={t('programme.startsOn')}
          value={form.periodStart}
          onChange={(ev) => set('periodStart')(ev.currentTarget.value)}
          error={e.periodStart}
          data-testid="programme-actual-start"
        />
        <TextInput
          size="xs"
          type="date"
          label={t('programme.endsOn')}
          value={form.periodEnd}
          onChange={(ev) => set('periodEnd')(ev.currentTarget.value)}
          error={e.periodEnd}
          data-testid="programme-actual-end"
        />
        <TextInput
          size="xs"
          label={t('programme.results.actual')}
          inputMode="decimal"
          value={form.value}
          onChange={(ev) => set('value')(ev.currentTarget.value)}
          error={e.value}
          w={90}
          data-testid="programme-actual-value"
        />
        <Button
          size="xs"
          mt={20}
          variant="default"
          onClick={() =>
            save.mutate({
              ...form,
              value: form.value.trim(),
              ...(actual ? { version: actual.version } : {}),
            })
          }
          loading={save.isPending}
          data-testid={actual ? 'programme-actual-save' : 'programme-actual-add'}
        >
          {t(actual ? 'programme.forms.saveCorrection' : 'programme.forms.enterActual')}
        </Button>
      </Group>
      <OtherErrors
        error={save.error}
        fields={['periodLabel', 'periodStart', 'periodEnd', 'value']}
        conflict={t('programme.results.periodTaken')}
        {...(actual ? { onReload: reload } : {})}
      />
    </Stack>
  );
}

/**
 * A dialog confirming a delete (DELETE `url`, which names the version shown). A stale version is
 * the clear "someone else changed it" message with a reload; `conflict` words any other 409.
 */
export function ConfirmDelete({
  title,
  body,
  url,
  conflict,
  onClose,
}: {
  title: string;
  body: ReactNode;
  url: string;
  conflict?: string;
  onClose: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const reload = useReload();
  const del = useSave<undefined>(url, onClose, 'DELETE', 'programme.results.deleted');
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack>
        {typeof body === 'string' ? <Text size="sm">{body}</Text> : body}
        <OtherErrors error={del.error} fields={[]} onReload={reload} {...(conflict ? { conflict } : {})} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={del.isPending}
            onClick={() => del.mutate(undefined)}
            data-testid="programme-confirm-delete"
          >
            {t('programme.results.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function EvaluationForm({ partnershipId }: { partnershipId: string }): ReactNode {
  const { t } = useTranslation();
  const blank = () => ({
    title: '',
    evaluator: '',
    evaluatedOn: '',
    criteria: DAC_CRITERIA.map((criterion) => ({ criterion, rating: 3, findings: '' })),
  });
  const [form, setForm] = useState(blank);
  const save = useSave<unknown>(`/api/programme/partnerships/${partnershipId}/evaluations`, () =>
    setForm(blank()),
  );
  const err = save.error instanceof ApiError ? (save.error.problem.errors ?? []) : [];
  const at = (path: RegExp) => err.find((x) => path.test(x.path))?.message;
  return (
    <Paper withBorder p="md" data-testid="programme-evaluation-form">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('programme.forms.addEvaluation')}
        </Title>
        <Group align="flex-start" wrap="wrap">
          <TextInput
            label={t('programme.title')}
            value={form.title}
            onChange={(ev) => setForm({ ...form, title: ev.currentTarget.value })}
            error={at(/title$/)}
            w={300}
            data-testid="programme-evaluation-title"
          />
          <TextInput
            label={t('programme.forms.evaluator')}
            value={form.evaluator}
            onChange={(ev) => setForm({ ...form, evaluator: ev.currentTarget.value })}
            error={at(/evaluator$/)}
            w={240}
            data-testid="programme-evaluation-evaluator"
          />
          <TextInput
            type="date"
            label={t('programme.forms.evaluatedOn')}
            value={form.evaluatedOn}
            onChange={(ev) => setForm({ ...form, evaluatedOn: ev.currentTarget.value })}
            error={at(/evaluatedOn$/)}
            data-testid="programme-evaluation-date"
          />
        </Group>
        {form.criteria.map((c, k) => (
          <Group key={c.criterion} align="flex-start" wrap="wrap">
            <NumberInput
              label={t(`programme.results.criterion.${c.criterion}`)}
              description={t(`programme.results.rating.${DAC_RATINGS[c.rating - 1]!}`)}
              min={1}
              max={4}
              value={c.rating}
              onChange={(v) =>
                setForm({
                  ...form,
                  criteria: form.criteria.map((x, j) => (j === k ? { ...x, rating: Number(v) || 1 } : x)),
                })
              }
              error={at(new RegExp(`criteria[./]${k}[./]rating$`))}
              w={200}
              data-testid={`programme-evaluation-rating-${c.criterion}`}
            />
            <Textarea
              label={t('programme.forms.findings')}
              value={c.findings}
              onChange={(ev) => {
                const findings = ev.currentTarget.value;
                setForm((f) => ({
                  ...f,
                  criteria: f.criteria.map((x, j) => (j === k ? { ...x, findings } : x)),
                }));
              }}
              error={at(new RegExp(`criteria[./]${k}[./]findings$`))}
              autosize
              minRows={1}
              style={{ flex: 1, minWidth: 280 }}
              aria-label={`${t('programme.forms.findings')} — ${t(`programme.results.criterion.${c.criterion}`)}`}
              data-testid={`programme-evaluation-findings-${c.criterion}`}
            />
          </Group>
        ))}
        <Group>
          <Button
            onClick={() => save.mutate(form)}
            loading={save.isPending}
            data-testid="programme-evaluation-save"
          >
            {t('programme.forms.saveEvaluation')}
          </Button>
        </Group>
        {save.error && !(save.error instanceof ApiError && err.length > 0) && (
          <ProblemAlert error={save.error} />
        )}
        {err.length > 0 && (
          <Text size="sm" c="red" role="alert">
            {t('programme.forms.fixFields')}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

/**
 * The partner administration gives or withdraws its consent to share one kind of evidence: its
 * validated RAD scores, or its action-plan KPI series.
 */
export function ConsentPanel({ scope = 'rad_scores' }: { scope?: ScopeT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const qc = useQueryClient();
  const kpis = scope === 'kpis';
  // Each scope's own title, explanation and button (rad_scores keeps the first ones' keys).
  const words = {
    rad_scores: ['title', 'intro', 'grant'],
    kpis: ['titleKpis', 'introKpis', 'grantKpis'],
    action_plan: ['title', 'intro', 'grant'],
    survey_index: ['titleSurvey', 'introSurvey', 'grantSurvey'],
    case_statistics: ['titleCases', 'introCases', 'grantCases'],
  } as const;
  const [titleKey, introKey, grantKey] = words[scope];
  const consent = useQuery({
    queryKey: [...programmeKey, 'consent', scope],
    queryFn: ({ signal }) => request<ConsentT>(`/api/programme/consent?scope=${scope}`, { signal }),
  });
  const set = useMutation({
    mutationFn: (share: boolean) =>
      request<ConsentT>('/api/programme/consent', { method: 'PUT', body: { share, scope } }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
    },
  });
  const c = consent.data;
  return (
    <Paper
      withBorder
      p="md"
      data-testid={
        scope === 'rad_scores'
          ? 'programme-consent'
          : kpis
            ? 'programme-consent-kpis'
            : `programme-consent-${scope}`
      }
    >
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={2} size="h4">
            {t(`programme.consent.${titleKey}`)}
          </Title>
          {c && <ConsentBadge consent={c} />}
        </Group>
        <Text size="sm">{t(`programme.consent.${introKey}`)}</Text>
        {c?.active && c.grantedAt && (
          <Text size="sm" c="dimmed">
            {t('programme.consent.grantedOn', { date: f.date(c.grantedAt) })}
          </Text>
        )}
        {c && !c.active && c.revokedAt && (
          <Text size="sm" c="dimmed">
            {t('programme.consent.withdrawnOn', { date: f.date(c.revokedAt) })}
          </Text>
        )}
        {c && (
          <Group>
            {c.active ? (
              <Button
                color="red"
                variant="light"
                onClick={() => set.mutate(false)}
                loading={set.isPending}
                data-testid="programme-consent-withdraw"
              >
                {t('programme.consent.withdraw')}
              </Button>
            ) : (
              <Button
                onClick={() => set.mutate(true)}
                loading={set.isPending}
                data-testid="programme-consent-grant"
              >
                {t(`programme.consent.${grantKey}`)}
              </Button>
            )}
          </Group>
        )}
        <ProblemAlert error={consent.error ?? set.error} />
      </Stack>
    </Paper>
  );
}

/** Whether a consent is given, withdrawn or was never given. */
export function ConsentBadge({ consent: c }: { consent: ConsentT }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={c.active ? 'teal' : 'gray'} variant="light" data-testid="programme-consent-state">
      {t(
        c.active
          ? 'programme.consent.active'
          : c.revokedAt
            ? 'programme.consent.withdrawn'
            : 'programme.consent.none',
      )}
    </Badge>
  );
}
