import {
  ActionIcon,
  Button,
  Checkbox,
  Container,
  Grid,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { ControlInput, Risk, Settings } from '../risks.contract';
import { consistencyFlags, levelOf, type RiskMatrix } from '../risks.levels';
import {
  CONTROL_EFFECTIVENESS,
  CONTROL_KINDS,
  RISK_SCHEMES,
  RISK_STATUSES,
  type RiskScheme,
  type RiskStatus,
  TREATMENTS,
  type Treatment,
} from '../risks.vocab';
import { FlagBadges, RatingBadge } from './bits';
import { risksKey, usePeople, useProcesses, useRisk, useSettings } from './queries';

export function NewRiskPage(): ReactNode {
  return (
    <RequirePermission permission="risks.manage">
      <Loader />
    </RequirePermission>
  );
}

export function EditRiskPage(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  return (
    <RequirePermission permission="risks.manage">
      <Loader id={id} />
    </RequirePermission>
  );
}

function Loader({ id }: { id?: string }): ReactNode {
  const settings = useSettings();
  const risk = useRisk(id ?? '');
  if (settings.isPending || (id && risk.isPending)) return <PageLoader />;
  if (settings.isError) return <QueryError error={settings.error} />;
  if (id && risk.isError) return <QueryError error={risk.error} />;
  return <RiskForm settings={settings.data} risk={id ? risk.data : undefined} />;
}

interface Values {
  ref: string;
  processId: string | null;
  title: string;
  description: string;
  scheme: RiskScheme;
  actors: string[];
  drivers: string;
  factors: string[];
  orgUnitId: string | null;
  ownerUserId: string | null;
  inherentLikelihood: string;
  inherentImpact: string;
  residualLikelihood: string;
  residualImpact: string;
  treatment: Treatment;
  treatmentNote: string;
  status: RiskStatus;
  nextReviewOn: string;
  controls: (Omit<ControlInput, 'lastTestedOn'> & { lastTestedOn: string })[];
}

const FIELDS = [
  'ref',
  'processId',
  'title',
  'description',
  'scheme',
  'actors',
  'drivers',
  'factors',
  'orgUnitId',
  'ownerUserId',
  'inherentLikelihood',
  'inherentImpact',
  'residualLikelihood',
  'residualImpact',
  'treatment',
  'treatmentNote',
  'status',
  'nextReviewOn',
] as const;

const RATING_FIELDS = [
  'inherentLikelihood',
  'inherentImpact',
  'residualLikelihood',
  'residualImpact',
] as const;
/** A rating field's start: the stored value, empty on an unrated draft, 3 on a new risk. */
const rated = (risk: Risk | undefined, x: number | undefined) =>
  x !== undefined ? String(x) : risk ? '' : '3';
const pairOf = (l: string, i: string) => (l && i ? { likelihood: Number(l), impact: Number(i) } : null);

function RiskForm({ settings, risk }: { settings: Settings; risk?: Risk }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const processes = useProcesses();
  const people = usePeople();
  const m = settings.matrix as unknown as RiskMatrix;
  const ratingRequired = (v: string, x: Values) => (v || x.status === 'draft' ? null : t('risks.required'));
  const form = useForm<Values>({
    initialValues: {
      ref: risk?.ref ?? '',
      processId: risk?.processId ?? null,
      title: risk?.title ?? '',
      description: risk?.description ?? '',
      scheme: risk?.scheme ?? 'bribery',
      actors: risk?.actors ?? [],
      drivers: risk?.drivers ?? '',
      factors: (risk?.factors ?? []).map(String),
      orgUnitId: risk?.orgUnitId ?? null,
      ownerUserId: risk?.ownerUserId ?? null,
      // A draft's owner rates it: its empty ratings stay empty until chosen (a new risk starts at 3).
      inherentLikelihood: rated(risk, risk?.inherent?.likelihood),
      inherentImpact: rated(risk, risk?.inherent?.impact),
      residualLikelihood: rated(risk, risk?.residual?.likelihood),
      residualImpact: rated(risk, risk?.residual?.impact),
      treatment: risk?.treatment ?? 'reduce',
      treatmentNote: risk?.treatmentNote ?? '',
      status: risk?.status ?? 'open',
      nextReviewOn: risk?.nextReviewOn ?? '',
      controls: (risk?.controls ?? []).map((c) => ({
        description: c.description,
        kind: c.kind,
        automated: c.automated,
        effectiveness: c.effectiveness,
        lastTestedOn: c.lastTestedOn ?? '',
      })),
    },
    validate: {
      title: (v) => (v.trim() ? null : t('risks.required')),
      processId: (v, x) => (v || x.status === 'draft' ? null : t('risks.required')),
      inherentLikelihood: (v, x) => ratingRequired(v, x),
      inherentImpact: (v, x) => ratingRequired(v, x),
      residualLikelihood: (v, x) => ratingRequired(v, x),
      residualImpact: (v, x) => ratingRequired(v, x),
    },
  });
  const v = form.values;
  const label = (l: { label: Record<string, string | undefined> }) =>
    l.label[i18n.language] ?? l.label.en ?? '';
  const rating = (l: string, i: string) => {
    if (!l || !i) return null;
    const lv = levelOf(m, Number(l), Number(i));
    return { level: { label: label(lv as never), color: lv.color }, score: Number(l) * Number(i) };
  };
  const today = new Date().toISOString().slice(0, 10);
  const liveFlags = consistencyFlags(
    {
      inherent: pairOf(v.inherentLikelihood, v.inherentImpact),
      residual: pairOf(v.residualLikelihood, v.residualImpact),
      controls: v.controls,
      treatment: v.treatment,
      acceptance:
        risk?.treatment === 'accept' && v.treatment === 'accept'
          ? risk.acceptance
          : v.treatment === 'accept'
            ? 'pending'
            : 'none',
      status: v.status,
      nextReviewOn: v.nextReviewOn || null,
    },
    today,
  );
  const save = useMutation({
    mutationFn: (x: Values) => {
      const body = {
        ...(x.ref.trim() ? { ref: x.ref.trim() } : {}),
        processId: x.processId,
        title: x.title,
        description: x.description.trim() || null,
        scheme: x.scheme,
        actors: x.actors,
        drivers: x.drivers.trim() || null,
        factors: x.factors.map(Number),
        orgUnitId: x.orgUnitId,
        ownerUserId: x.ownerUserId,
        // Ratings not chosen yet (a draft) are left out: the server keeps them empty.
        ...Object.fromEntries(
          RATING_FIELDS.filter((k) => x[k] !== '').map((k) => [k, Number(x[k])] as const),
        ),
        treatment: x.treatment,
        treatmentNote: x.treatmentNote.trim() || null,
        status: x.status,
        nextReviewOn: x.nextReviewOn || null,
        controls: x.controls.map((c) => ({ ...c, lastTestedOn: c.lastTestedOn || null })),
      };
      return risk
        ? api.patch<Risk>(`/api/risks/${risk.id}`, { ...body, version: risk.version })
        : api.post<Risk>('/api/risks', body);
    },
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: risksKey });
      notifySuccess(t('risks.saved', { ref: r.ref }));
      navigate({ to: '/risks/$id', params: { id: r.id } });
    },
    onError: (err) => applyFieldErrors(form, FIELDS, err),
  });
  const axis = (a: 'likelihood' | 'impact') =>
    m[a].map((l) => ({ value: String(l.value), label: `${l.value} · ${label(l as never)}` }));
  const ratingPicker = (kind: 'inherent' | 'residual') => {
    const r = rating(v[`${kind}Likelihood`], v[`${kind}Impact`]);
    return (
      <Paper withBorder p="sm" radius="md">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t(`risks.${kind}`)}</Text>
          <span data-testid={`risk-${kind}-level`}>
            <RatingBadge rating={r} />
          </span>
        </Group>
        <Group grow>
          <Select
            label={t('risks.likelihood')}
            data={axis('likelihood')}
            allowDeselect={false}
            {...form.getInputProps(`${kind}Likelihood`)}
          />
          <Select
            label={t('risks.impact')}
            data={axis('impact')}
            allowDeselect={false}
            {...form.getInputProps(`${kind}Impact`)}
          />
        </Group>
      </Paper>
    );
  };
  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={risk ? t('risks.editRisk', { ref: risk.ref }) : t('risks.newRisk')}
        crumbs={[{ label: t('risks.title'), to: '/risks' }]}
      />
      <form onSubmit={form.onSubmit((x) => save.mutate(x))} noValidate>
        <Stack gap="md">
          <ProblemAlert error={save.error} />
          <Grid>
            <Grid.Col span={{ base: 12, sm: 3 }}>
              <TextInput
                label={t('risks.field.ref')}
                placeholder="R-001"
                description={t('risks.refHelp')}
                {...form.getInputProps('ref')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 9 }}>
              <TextInput
                label={t('risks.field.title')}
                required
                data-testid="risk-title-input"
                {...form.getInputProps('title')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('risks.field.process')}
                required
                searchable
                data-testid="risk-process-input"
                data={(processes.data?.items ?? [])
                  .filter((p) => !p.archived || p.id === risk?.processId)
                  .map((p) => ({ value: p.id, label: p.name }))}
                {...form.getInputProps('processId')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('risks.field.scheme')}
                allowDeselect={false}
                data={RISK_SCHEMES.map((s) => ({ value: s, label: t(`risks.scheme.${s}`) }))}
                {...form.getInputProps('scheme')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label={t('risks.field.description')}
                autosize
                minRows={2}
                {...form.getInputProps('description')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <TagsInput
                label={t('risks.field.actors')}
                description={t('risks.actorsHelp')}
                {...form.getInputProps('actors')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <MultiSelect
                label={t('risks.field.factors')}
                data={Array.from({ length: 10 }, (_, i) => ({
                  value: String(i + 1),
                  label: t('risks.factorN', { n: i + 1 }),
                }))}
                {...form.getInputProps('factors')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label={t('risks.field.drivers')}
                autosize
                minRows={2}
                {...form.getInputProps('drivers')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('risks.field.orgUnit')}
                clearable
                searchable
                data={(people.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
                {...form.getInputProps('orgUnitId')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <Select
                label={t('risks.field.owner')}
                clearable
                searchable
                data={(people.data?.members ?? []).map((u) => ({ value: u.userId, label: u.name }))}
                {...form.getInputProps('ownerUserId')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>{ratingPicker('inherent')}</Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>{ratingPicker('residual')}</Grid.Col>
          </Grid>
          <Paper withBorder p="sm" radius="md">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>{t('risks.controls')}</Text>
              <Button
                size="compact-sm"
                variant="light"
                leftSection={<IconPlus size={14} aria-hidden />}
                onClick={() =>
                  form.insertListItem('controls', {
                    description: '',
                    kind: 'preventive',
                    automated: false,
                    effectiveness: 'untested',
                    lastTestedOn: '',
                  })
                }
                data-testid="risk-control-add"
              >
                {t('risks.addControl')}
              </Button>
            </Group>
            {v.controls.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('risks.noControls')}
              </Text>
            )}
            <Stack gap="xs">
              {v.controls.map((_, i) => (
                <Group key={i} align="end" gap="xs" wrap="wrap">
                  <TextInput
                    label={t('risks.control.description')}
                    style={{ flex: 1, minWidth: 220 }}
                    required
                    {...form.getInputProps(`controls.${i}.description`)}
                  />
                  <Select
                    label={t('risks.control.kind')}
                    w={140}
                    allowDeselect={false}
                    data={CONTROL_KINDS.map((k) => ({ value: k, label: t(`risks.controlKind.${k}`) }))}
                    {...form.getInputProps(`controls.${i}.kind`)}
                  />
                  <Select
                    label={t('risks.control.effectiveness')}
                    w={170}
                    allowDeselect={false}
                    data={CONTROL_EFFECTIVENESS.map((k) => ({
                      value: k,
                      label: t(`risks.effectiveness.${k}`),
                    }))}
                    {...form.getInputProps(`controls.${i}.effectiveness`)}
                  />
                  <TextInput
                    type="date"
                    label={t('risks.control.lastTestedOn')}
                    w={160}
                    {...form.getInputProps(`controls.${i}.lastTestedOn`)}
                  />
                  <Checkbox
                    label={t('risks.control.automated')}
                    mb={8}
                    {...form.getInputProps(`controls.${i}.automated`, { type: 'checkbox' })}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    mb={4}
                    aria-label={t('risks.removeControl')}
                    onClick={() => form.removeListItem('controls', i)}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              ))}
            </Stack>
          </Paper>
          <Grid>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <Select
                label={t('risks.field.treatment')}
                allowDeselect={false}
                data={TREATMENTS.map((x) => ({ value: x, label: t(`risks.treatment.${x}`) }))}
                {...form.getInputProps('treatment')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <Select
                label={t('risks.field.status')}
                allowDeselect={false}
                data={RISK_STATUSES.filter((x) => x !== 'draft' || risk?.status === 'draft').map((x) => ({
                  value: x,
                  label: t(`risks.status.${x}`),
                }))}
                {...form.getInputProps('status')}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <TextInput
                type="date"
                label={t('risks.field.nextReviewOn')}
                {...form.getInputProps('nextReviewOn')}
              />
            </Grid.Col>
            <Grid.Col span={12}>
              <Textarea
                label={t('risks.field.treatmentNote')}
                autosize
                minRows={2}
                {...form.getInputProps('treatmentNote')}
              />
            </Grid.Col>
          </Grid>
          {v.treatment === 'accept' && (
            <Text size="sm" c="dimmed">
              {t('risks.acceptHelp')}
            </Text>
          )}
          <div aria-live="polite">
            <FlagBadges flags={liveFlags} />
          </div>
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="risk-save">
              {t('risks.save')}
            </Button>
            <Button
              variant="default"
              onClick={() =>
                risk ? navigate({ to: '/risks/$id', params: { id: risk.id } }) : navigate({ to: '/risks' })
              }
            >
              {t('risks.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Container>
  );
}
