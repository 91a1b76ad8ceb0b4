import {
  Alert as Notice,
  Anchor,
  Button,
  FileInput,
  Group,
  Progress,
  Select,
  Stack,
  Stepper,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, type Items, upload } from '../../../web/api';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { QueryError } from '../../../web/ui-kit/page-state';
import type * as C from '../analytics.contract';
import { type Dataset, PageButtons } from './bits';
import {
  CODE_KINDS,
  CODE_VALUES,
  type CodeKind,
  cellProblem,
  cleanMapping,
  codeValuesSeen,
  mapRows,
  sourceOf,
  type WizardMapping,
} from './mapping';

type Version = z.infer<typeof C.DatasetVersion>;
type Preview = z.infer<typeof C.Preview>;
type Mapping = z.infer<typeof C.Mapping>;
type Kind = 'declarations' | 'trade' | 'duty_rates';

const STAGES = ['reading', 'validating', 'writing'] as const;
const ISSUES_PER_PAGE = 20;
const RUNNING = ['validating', 'pending', 'importing'];

/** Which step a version is at: upload, mapping, validation, import. */
function stepOf(v: Version | undefined, remapping: boolean): number {
  if (!v) return 0;
  if (v.status === 'uploaded' || v.status === 'discarded' || remapping) return 1;
  if (['validating', 'validated', 'rejected', 'failed'].includes(v.status)) return 2;
  return v.status === 'imported' ? 4 : 3;
}

/**
 * The import wizard: upload a file once (CSV with any delimiter, or Parquet); map its columns on
 * its first rows, seen as they will be imported; validate every row; then refuse the file or
 * import its valid rows with the rejects saved. Each step follows the version's status on the
 * server, so an upload can be continued later (`versionId`).
 */
export function ImportWizard(props: {
  datasets: Dataset[];
  /** The dataset to upload into (one just created), else the first. */
  datasetId: string | null;
  versionId: string | null;
  onVersion: (id: string | null) => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [remapping, setRemapping] = useState(false);
  const version = useQuery({
    queryKey: ['analytics', 'version', props.versionId],
    enabled: !!props.versionId,
    queryFn: () => api.get<Version>(`/api/analytics/versions/${props.versionId}`),
    refetchInterval: (q) => (RUNNING.includes(q.state.data?.status ?? '') ? 1000 : false),
  });
  const v = props.versionId ? version.data : undefined;
  const status = v?.status;
  // The datasets table shows each version's status: refreshed when this one's changes.
  useEffect(() => {
    if (status) void qc.invalidateQueries({ queryKey: ['analytics', 'datasets'] });
  }, [status, qc]);
  const step = stepOf(v, remapping);
  const dataset = props.datasets.find((d) => d.id === v?.datasetId);
  const reset = () => {
    setRemapping(false);
    props.onVersion(null);
  };
  return (
    <Stack component="section" aria-labelledby="analytics-import" data-testid="import-wizard">
      <Title order={3} id="analytics-import">
        {t('analytics.import.title')}
      </Title>
      <Stepper active={step} size="sm" aria-label={t('analytics.wizard.steps')}>
        <Stepper.Step label={t('analytics.wizard.upload')} description={t('analytics.wizard.uploadHelp')} />
        <Stepper.Step label={t('analytics.wizard.mapping')} description={t('analytics.wizard.mappingHelp')} />
        <Stepper.Step
          label={t('analytics.wizard.validation')}
          description={t('analytics.wizard.validationHelp')}
          loading={status === 'validating'}
        />
        <Stepper.Step
          label={t('analytics.wizard.import')}
          description={t('analytics.wizard.importHelp')}
          loading={status === 'pending' || status === 'importing'}
        />
      </Stepper>
      {version.isError && <QueryError error={version.error} onRetry={() => version.refetch()} />}
      {!props.versionId && (
        <UploadStep
          datasets={props.datasets}
          preferred={props.datasetId}
          onUploaded={(x) => props.onVersion(x.id)}
        />
      )}
      {v && step === 1 && v.status !== 'discarded' && (
        <MappingStep
          v={v}
          kind={(dataset?.kind ?? 'declarations') as Kind}
          onValidating={() => setRemapping(false)}
          onCancel={reset}
        />
      )}
      {v && v.status === 'discarded' && (
        <Outcome color="gray" onAgain={reset}>
          <Text size="sm">{t('analytics.wizard.discarded')}</Text>
        </Outcome>
      )}
      {v && step >= 2 && (
        <ValidationStep
          v={v}
          onRemap={() => setRemapping(true)}
          onAgain={reset}
          dataset={dataset?.name ?? ''}
        />
      )}
    </Stack>
  );
}

function UploadStep(props: {
  datasets: Dataset[];
  preferred: string | null;
  onUploaded: (v: Version) => void;
}): ReactNode {
  const { t } = useTranslation();
  const [datasetId, setDatasetId] = useState<string | null>(props.preferred ?? props.datasets[0]?.id ?? null);
  useEffect(() => {
    if (props.preferred) setDatasetId(props.preferred);
  }, [props.preferred]);
  const [file, setFile] = useState<File | null>(null);
  const [share, setShare] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  // A dataset created meanwhile becomes the choice when there was none.
  useEffect(() => {
    if (!datasetId && props.datasets[0]) setDatasetId(props.datasets[0].id);
  }, [datasetId, props.datasets]);
  const kind = (props.datasets.find((d) => d.id === datasetId)?.kind ?? 'declarations') as Kind;
  const start = async () => {
    if (!file || !datasetId) return;
    setError(null);
    setShare(0);
    try {
      const v = await upload<Version>('/api/analytics/uploads', file, {
        fields: { datasetId },
        onProgress: setShare,
      });
      setShare(null);
      setFile(null);
      props.onUploaded(v);
    } catch (e) {
      setShare(null);
      setError(e);
    }
  };
  return (
    <Stack gap="sm">
      <Group align="end" wrap="wrap">
        <Select
          label={t('analytics.datasets.name')}
          data={props.datasets.map((d) => ({
            value: d.id,
            label: `${d.name} (${t(`analytics.kind.${d.kind as Kind}`)})`,
          }))}
          value={datasetId}
          onChange={setDatasetId}
          allowDeselect={false}
        />
        <FileInput
          label={t('analytics.wizard.file')}
          description={t('analytics.wizard.fileHelp')}
          accept=".csv,.txt,.parquet"
          value={file}
          onChange={setFile}
          w={320}
        />
        <Button disabled={!file || !datasetId || share !== null} onClick={start}>
          {t('analytics.wizard.uploadButton')}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t(`analytics.import.fileFor.${kind}`)}
      </Text>
      {share !== null && (
        <Stack gap={4}>
          <Text size="sm">{t('analytics.import.uploading')}</Text>
          <Progress value={share * 100} animated aria-label={t('analytics.import.uploading')} />
        </Stack>
      )}
      <ProblemAlert error={error} />
    </Stack>
  );
}

function MappingStep(props: {
  v: Version;
  kind: Kind;
  onValidating: () => void;
  onCancel: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { v } = props;
  const [mappingId, setMappingId] = useState<string | null>(v.mappingId);
  const mappings = useQuery({
    queryKey: ['analytics', 'mappings'],
    queryFn: () => api.get<Items<Mapping>>('/api/analytics/mappings'),
  });
  const preview = useQuery({
    queryKey: ['analytics', 'preview', v.id, mappingId],
    queryFn: () =>
      api.get<Preview>(
        `/api/analytics/versions/${v.id}/preview${mappingId ? `?mappingId=${mappingId}` : ''}`,
      ),
  });
  const [m, setM] = useState<WizardMapping | null>(null);
  const [fromVersion, setFromVersion] = useState(!!v.columnMapping);
  // The suggestion (or, mapping again after a validation, what was validated) starts the form.
  useEffect(() => {
    if (!preview.data) return;
    if (fromVersion && v.columnMapping)
      setM({ columns: { ...v.columnMapping.columns }, codes: v.columnMapping.codes });
    else setM({ columns: { ...preview.data.suggested.columns }, codes: preview.data.suggested.codes });
  }, [preview.data, fromVersion, v.columnMapping]);
  const saved = mappings.data?.items.find((x) => x.id === mappingId);
  const [name, setName] = useState('');
  useEffect(() => setName(saved?.name ?? ''), [saved?.name]);
  const save = useMutation({
    mutationFn: (body: WizardMapping & { name: string }) =>
      saved && saved.name === body.name
        ? api.patch<Mapping>(`/api/analytics/mappings/${saved.id}`, {
            name: body.name,
            sourceSystem: saved.sourceSystem,
            columns: body.columns,
            codes: body.codes,
            version: saved.version,
          })
        : api.post<Mapping>('/api/analytics/mappings', {
            name: body.name,
            columns: body.columns,
            codes: body.codes,
          }),
    onSuccess: (x) => {
      void qc.invalidateQueries({ queryKey: ['analytics', 'mappings'] });
      setFromVersion(false);
      setMappingId(x.id);
    },
  });
  const validate = useMutation({
    mutationFn: (body: WizardMapping) =>
      api.post<Version>(`/api/analytics/versions/${v.id}/validate`, {
        ...body,
        ...(mappingId ? { mappingId } : {}),
      }),
    // The answer (validating) shows the progress at once; polling follows it.
    onSuccess: (x) => {
      qc.setQueryData(['analytics', 'version', v.id], x);
      props.onValidating();
    },
  });
  const cancel = useMutation({
    mutationFn: () => api.post<Version>(`/api/analytics/versions/${v.id}/choice`, { choice: 'reject-file' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['analytics', 'datasets'] });
      props.onCancel();
    },
  });
  const p = preview.data;
  const targets = p?.targets ?? [];
  const mapped = useMemo(
    () =>
      p && m
        ? mapRows(
            p.rows,
            p.columns,
            p.targets.map((x) => x.column),
            m,
          )
        : [],
    [p, m],
  );
  if (preview.isError) return <QueryError error={preview.error} onRetry={() => preview.refetch()} />;
  if (!p || !m) return <Text size="sm">{t('analytics.wizard.reading')}</Text>;
  const missing = targets.filter((x) => x.required && !sourceOf(x.column, p.columns, m));
  const used = new Set(targets.map((x) => sourceOf(x.column, p.columns, m)).filter(Boolean));
  const extra = p.columns.filter((c) => !used.has(c));
  const setColumn = (column: string, src: string | null) =>
    setM({ ...m, columns: Object.fromEntries(Object.entries({ ...m.columns, [column]: src ?? '' })) });
  const setCode = (kind: CodeKind, from: string, to: string | null) =>
    setM({ ...m, codes: { ...m.codes, [kind]: { ...(m.codes[kind] ?? {}), [from]: to ?? '' } } });
  const body = cleanMapping(m);
  return (
    <Stack gap="md">
      <Group align="end" wrap="wrap">
        <Select
          label={t('analytics.wizard.savedMapping')}
          description={t('analytics.wizard.savedMappingHelp')}
          placeholder={t('analytics.wizard.noSavedMapping')}
          data={(mappings.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
          value={mappingId}
          onChange={(id) => {
            setFromVersion(false);
            setMappingId(id);
          }}
          clearable
          w={320}
        />
      </Group>
      <Text size="sm" data-testid="mapping-suggested-from">
        {p.suggestedFrom
          ? t('analytics.wizard.suggestedFrom', { name: p.suggestedFrom.name })
          : t('analytics.wizard.suggestedNames')}
      </Text>
      <ScrollTable minWidth={560} label={t('analytics.wizard.columnsTitle')}>
        <Table striped withTableBorder fz="sm" data-testid="mapping-columns">
          <Table.Caption>{t('analytics.wizard.columnsTitle')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('analytics.wizard.column')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.fileColumn')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.firstValue')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.map((x, i) => (
              <Table.Tr key={x.column}>
                <Table.Td>
                  <Text size="sm" ff="monospace">
                    {x.column}
                  </Text>
                  {x.required && (
                    <Text size="xs" c="red.9">
                      {t('analytics.wizard.required')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Select
                    size="xs"
                    aria-label={t('analytics.wizard.fileColumnFor', { column: x.column })}
                    placeholder={t('analytics.wizard.notInFile')}
                    data={p.columns}
                    value={sourceOf(x.column, p.columns, m) ?? null}
                    onChange={(src) => setColumn(x.column, src)}
                    clearable
                    searchable
                    error={x.required && !sourceOf(x.column, p.columns, m)}
                  />
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{mapped[0]?.[i] ?? '—'}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      {extra.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('analytics.wizard.extraColumns', { columns: extra.join(', ') })}
        </Text>
      )}
      {props.kind === 'declarations' && <CodeMaps p={p} m={m} setCode={setCode} />}
      <MappedPreview p={p} rows={mapped} />
      <Group align="end" wrap="wrap">
        <TextInput
          label={t('analytics.wizard.saveAs')}
          description={t('analytics.wizard.saveAsHelp')}
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          w={320}
        />
        <Button
          variant="default"
          disabled={!name.trim()}
          loading={save.isPending}
          onClick={() => save.mutate({ ...body, name: name.trim() })}
        >
          {t('analytics.wizard.save')}
        </Button>
      </Group>
      {save.isSuccess && (
        <Text size="sm" role="status">
          {t('analytics.wizard.saved', { name: save.data.name })}
        </Text>
      )}
      <ProblemAlert error={save.error} />
      {missing.length > 0 && (
        <Text size="sm" c="red.9">
          {t('analytics.wizard.missingRequired', {
            count: missing.length,
            columns: missing.map((x) => x.column).join(', '),
          })}
        </Text>
      )}
      <ProblemAlert error={validate.error ?? cancel.error} />
      <Group>
        <Button
          disabled={missing.length > 0}
          loading={validate.isPending}
          onClick={() => validate.mutate(body)}
        >
          {t('analytics.wizard.validate')}
        </Button>
        {v.status === 'uploaded' && (
          <Button variant="subtle" color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
            {t('analytics.wizard.cancel')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}

/** Code translations: each value seen in the file's code columns, and the canonical one it means. */
function CodeMaps(props: {
  p: Preview;
  m: WizardMapping;
  setCode: (kind: CodeKind, from: string, to: string | null) => void;
}): ReactNode {
  const { t } = useTranslation();
  const kinds = CODE_KINDS.map((kind) => ({
    kind,
    seen: codeValuesSeen(kind, props.p.columns, props.p.values, props.m),
  })).filter((x) => x.seen.length > 0);
  if (!kinds.length) return null;
  return (
    <Stack gap="xs" data-testid="code-maps">
      <Title order={4}>{t('analytics.wizard.codesTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('analytics.wizard.codesHelp')}
      </Text>
      <Group align="start" wrap="wrap" gap="xl">
        {kinds.map(({ kind, seen }) => (
          <Stack key={kind} gap={4}>
            <Text fw={600} size="sm">
              {t(`analytics.wizard.codeKind.${kind}`)}
            </Text>
            {seen.map((from) => {
              const own = props.m.codes[kind]?.[from];
              const asIs = CODE_VALUES[kind].includes(from.toLowerCase()) ? from.toLowerCase() : null;
              return (
                <Select
                  key={from}
                  size="xs"
                  label={t('analytics.wizard.codeMeans', { value: from })}
                  placeholder={t('analytics.wizard.codeUnknown')}
                  data={CODE_VALUES[kind].map((x) => ({ value: x, label: x }))}
                  value={own || asIs}
                  onChange={(to) => props.setCode(kind, from, to)}
                  clearable
                  w={200}
                />
              );
            })}
          </Stack>
        ))}
      </Group>
    </Stack>
  );
}

/** The first rows as they will be imported, values the import would refuse marked. */
function MappedPreview(props: { p: Preview; rows: (string | null)[][] }): ReactNode {
  const { t } = useTranslation();
  const { targets } = props.p;
  const caption = t('analytics.wizard.previewTitle', { count: props.rows.length });
  return (
    <Stack gap={4}>
      <Title order={4}>{caption}</Title>
      <ScrollTable minWidth={1200} label={caption}>
        <Table withTableBorder fz="xs" data-testid="mapped-preview">
          <Table.Thead>
            <Table.Tr>
              {targets.map((x) => (
                <Table.Th key={x.column} scope="col">
                  {x.column}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {props.rows.map((row, k) => (
              // Preview rows have no id of their own: keyed by place.
              <Table.Tr key={k}>
                {row.map((value, i) => {
                  const target = targets[i] as { column: string; required: boolean };
                  const problem = cellProblem(target.column, value, target.required);
                  return (
                    <Table.Td key={target.column} c={problem ? 'red.9' : undefined}>
                      {value ?? ''}
                      {problem && (
                        <Text span size="xs">
                          {' '}
                          ({t(`analytics.wizard.cell.${problem}`)})
                        </Text>
                      )}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    </Stack>
  );
}

/** Where a running validation or import is, stage by stage. */
function StageProgress(props: { stage: Version['stage']; label: string }): ReactNode {
  const { t } = useTranslation();
  const at = props.stage === 'done' ? STAGES.length : props.stage ? STAGES.indexOf(props.stage) : -1;
  const label =
    at >= 0 && at < STAGES.length
      ? t('analytics.wizard.stageOf', {
          n: at + 1,
          total: STAGES.length,
          stage: t(`analytics.wizard.stage.${STAGES[at] as (typeof STAGES)[number]}`),
        })
      : props.label;
  return (
    <Stack gap={4} data-testid="import-progress">
      <Text size="sm">{label}</Text>
      <Progress value={(100 * Math.max(at + 0.5, 0.25)) / STAGES.length} animated aria-label={label} />
    </Stack>
  );
}

function ValidationStep(props: {
  v: Version;
  dataset: string;
  onRemap: () => void;
  onAgain: () => void;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { v } = props;
  const r = v.report;
  const choose = useMutation({
    mutationFn: (choice: 'reject-file' | 'import-valid') =>
      api.post<Version>(`/api/analytics/versions/${v.id}/choice`, { choice }),
    onSuccess: (x) => qc.setQueryData(['analytics', 'version', v.id], x),
  });
  if (v.status === 'validating')
    return <StageProgress stage={v.stage} label={t('analytics.wizard.validating')} />;
  if (v.status === 'pending' || v.status === 'importing')
    return <StageProgress stage={v.stage} label={t('analytics.wizard.importing')} />;
  if (v.status === 'failed')
    return (
      <Outcome color="red" onAgain={props.onAgain}>
        <Text size="sm">{t('analytics.wizard.failed', { error: v.error ?? '' })}</Text>
      </Outcome>
    );
  const summary = r && (
    <Text size="sm">
      {t('analytics.import.summary', {
        count: r.rows,
        valid: t('analytics.import.validRows', { count: r.validRows }),
        rejected: t('analytics.datasets.rejectedRows', { count: r.rejectedRows }),
      })}
    </Text>
  );
  if (v.status === 'imported')
    return (
      <Outcome
        color="green"
        title={t('analytics.status.imported')}
        testId="import-done"
        onAgain={props.onAgain}
      >
        <Text size="sm">{t('analytics.wizard.imported', { number: v.number, dataset: props.dataset })}</Text>
        {summary}
        {(v.rejectedRows ?? 0) > 0 && (
          <Anchor href={`/api/analytics/versions/${v.id}/rejects`} download size="sm">
            {t('analytics.wizard.rejectsLink', { count: v.rejectedRows ?? 0 })}
          </Anchor>
        )}
      </Outcome>
    );
  if (v.status === 'rejected')
    return (
      <Outcome color="orange" title={t('analytics.status.rejected')} onAgain={props.onAgain}>
        {summary}
        {r?.fileErrors.map((e) => (
          <Text size="sm" key={e.reason + e.detail}>
            {t(`analytics.fileError.${e.reason}`)}: {e.detail}
          </Text>
        ))}
        <Text size="sm">{t('analytics.wizard.refused')}</Text>
      </Outcome>
    );
  if (!r) return null;
  return (
    <Stack gap="md" data-testid="validation-report">
      <Notice color={r.rejectedRows ? 'orange' : 'green'} title={t('analytics.status.validated')}>
        <Stack gap={4}>
          {summary}
          {r.mapping && <Text size="sm">{t('analytics.import.builtInMapping', { mapping: r.mapping })}</Text>}
          {r.rejectedRows === 0 && <Text size="sm">{t('analytics.wizard.clean')}</Text>}
        </Stack>
      </Notice>
      {r.rejectedRows > 0 && <Problems report={r} />}
      <Title order={4}>{t('analytics.wizard.decide')}</Title>
      {r.validRows === 0 && (
        <Text size="sm" c="red.9">
          {t('analytics.wizard.noValid')}
        </Text>
      )}
      <ProblemAlert error={choose.error} />
      <Group>
        <Button
          disabled={r.validRows === 0}
          loading={choose.isPending && choose.variables === 'import-valid'}
          onClick={() => choose.mutate('import-valid')}
        >
          {r.rejectedRows
            ? t('analytics.wizard.importValid', { count: r.validRows })
            : t('analytics.wizard.importAll', { count: r.validRows })}
        </Button>
        <Button
          variant="default"
          color="red"
          loading={choose.isPending && choose.variables === 'reject-file'}
          onClick={() => choose.mutate('reject-file')}
        >
          {t('analytics.wizard.refuse')}
        </Button>
        <Button variant="subtle" onClick={props.onRemap}>
          {t('analytics.wizard.remap')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Counts per reason over the whole file, then the rows with problems page by page. */
function Problems({ report: r }: { report: NonNullable<Version['report']> }): ReactNode {
  const { t } = useTranslation();
  const [offset, setOffset] = useState(0);
  const page = r.issues.slice(offset, offset + ISSUES_PER_PAGE);
  const reasons = Object.entries(r.byReason) as [keyof typeof r.byReason, number][];
  return (
    <Stack gap="sm">
      <ScrollTable minWidth={320} label={t('analytics.wizard.byReason')}>
        <Table withTableBorder fz="sm" data-testid="issues-by-reason">
          <Table.Caption>{t('analytics.wizard.byReason')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('analytics.wizard.reason')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reasons.map(([reason, n]) => (
              <Table.Tr key={reason}>
                <Table.Td>{t(`analytics.reason.${reason}`)}</Table.Td>
                <Table.Td>{n}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <ScrollTable minWidth={480} label={t('analytics.wizard.issuesTitle')}>
        <Table striped withTableBorder fz="sm" data-testid="issues">
          <Table.Caption>{t('analytics.wizard.issuesTitle')}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('analytics.wizard.row')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.column')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.reason')}</Table.Th>
              <Table.Th scope="col">{t('analytics.wizard.value')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.map((i) => (
              <Table.Tr key={`${i.row}-${i.column}-${i.reason}`}>
                <Table.Td>{i.row}</Table.Td>
                <Table.Td ff="monospace">{i.column}</Table.Td>
                <Table.Td>{t(`analytics.reason.${i.reason}`)}</Table.Td>
                <Table.Td>{i.value ?? ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
      <Group gap="sm">
        <Text size="sm">
          {t('analytics.wizard.issuesShown', {
            from: offset + 1,
            to: Math.min(offset + ISSUES_PER_PAGE, r.issues.length),
            total: r.issues.length,
          })}
        </Text>
        <PageButtons offset={offset} size={ISSUES_PER_PAGE} total={r.issues.length} onOffset={setOffset} />
      </Group>
      {r.issues.length < Object.values(r.byReason).reduce((a, b) => a + (b ?? 0), 0) && (
        <Text size="sm" c="dimmed">
          {t('analytics.wizard.issuesCapped', { count: r.issues.length })}
        </Text>
      )}
    </Stack>
  );
}

/** How the upload ended, and a button to start another. */
function Outcome(props: {
  color: string;
  title?: string;
  testId?: string;
  onAgain: () => void;
  children: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Notice color={props.color} title={props.title} data-testid={props.testId}>
      <Stack gap="xs">
        {props.children}
        <Group>
          <Button variant="default" size="xs" onClick={props.onAgain}>
            {t('analytics.wizard.again')}
          </Button>
        </Group>
      </Stack>
    </Notice>
  );
}
