import {
  Anchor,
  Button,
  FileInput,
  Group,
  Modal,
  NumberInput,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPaperclip } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, type Items, upload } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { SaveError } from '../../../web/ui-kit/save-error';
import type { EvaluationRecord, RadFactor, RecordFile } from '../programme.records.contract';
import { DAC_RATINGS } from '../programme.vocab';
import { programmeKey } from './bits';
import type { EoiT } from './types';
import { ConfirmDelete } from './results-forms';

// Files, edits and deletes (docs/adr/0028, "Files, edits and deletes"): the RAD factors' names,
// the file lists and uploads of EOIs and activities, an evaluation's Edit and Delete, and a row's Delete.

type RecordFileT = z.infer<typeof RecordFile>;
type RadFactorT = z.infer<typeof RadFactor>;
type EvaluationRecordT = z.infer<typeof EvaluationRecord>;

/** Accepted extensions, for the browser's file picker (the server decides from the bytes). */
export const EOI_ACCEPT = '.pdf,.docx,.doc,.odt,.xlsx,.png,.jpg,.jpeg';
export const REPORT_ACCEPT = '.pdf,.docx,.doc,.odt';

/** The RAD key factors' names in the UI's language: `name(n)` ("6 — Human resource management"). */
export function useRadFactors(): { items: RadFactorT[]; name: (factor: number) => string } {
  const { t, i18n } = useTranslation();
  const q = useQuery({
    queryKey: [...programmeKey, 'rad-factors', i18n.language],
    queryFn: ({ signal }) => api.get<Items<RadFactorT>>('/api/programme/rad-factors', { signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const items = q.data?.items ?? [];
  return {
    items,
    name: (factor) => {
      const f = items.find((x) => x.factor === factor);
      return f ? `${factor} — ${f.name}` : t('programme.factor', { n: factor });
    },
  };
}

/** What an expression of interest says: the endorsement, the priorities as named RAD factors, initiatives, contact. */
export function EoiContent({ eoi }: { eoi: EoiT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const factors = useRadFactors();
  return (
    <>
      <Text size="sm">
        {t('programme.endorsement', {
          name: eoi.headName,
          title: eoi.headTitle,
          date: f.date(eoi.endorsedOn),
        })}
      </Text>
      <Stack gap={2}>
        <Text fw={600} size="sm">
          {t('programme.priorities')}
        </Text>
        {eoi.priorities.map((p) => (
          <Text size="sm" key={p.factor} data-testid="programme-eoi-priority">
            {factors.name(p.factor)}
            {p.note ? `: ${p.note}` : ''}
          </Text>
        ))}
      </Stack>
      {eoi.initiatives && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <b>{t('programme.initiatives')}:</b> {eoi.initiatives}
        </Text>
      )}
      <Text size="sm">
        <b>{t('programme.contact')}:</b> {eoi.contactName} · {eoi.contactEmail}
        {eoi.contactPhone ? ` · ${eoi.contactPhone}` : ''}
      </Text>
    </>
  );
}

/** Files as download links (`href(file)`), with their size; an empty list says so. */
export function FileLinks({
  files,
  href,
  onRemove,
}: {
  files: RecordFileT[];
  href: (f: RecordFileT) => string;
  onRemove?: (f: RecordFileT) => void;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  if (files.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('programme.records.noFiles')}
      </Text>
    );
  return (
    <Stack gap={4}>
      {files.map((x) => (
        // A long file name wraps beside its clip (in a narrow table column it went under it).
        <Group key={x.id} gap="xs" wrap="nowrap" align="flex-start">
          <IconPaperclip size={14} aria-hidden style={{ flex: 'none', marginBlockStart: 3 }} />
          <Anchor href={href(x)} size="sm" download={x.filename} style={{ overflowWrap: 'anywhere' }}>
            {x.filename}
          </Anchor>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {f.fileSize(x.size)}
          </Text>
          {onRemove && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              onClick={() => onRemove(x)}
              aria-label={t('programme.records.removeFile', { name: x.filename })}
            >
              {t('programme.remove')}
            </Button>
          )}
        </Group>
      ))}
    </Stack>
  );
}

/** A file picker and its Upload button (POST `url` with `fields`); the programme's lists reload after. */
export function FileUpload({
  url,
  fields,
  accept,
  label,
  testId,
}: {
  url: string;
  fields: Record<string, string>;
  accept: string;
  label: string;
  testId: string;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const send = useMutation({
    mutationFn: () => upload<RecordFileT>(url, file!, { fields }),
    onSuccess: async () => {
      setFile(null);
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.records.uploaded'));
    },
  });
  return (
    <Stack gap="xs">
      <Group align="flex-end">
        <FileInput
          label={label}
          description={t('programme.records.fileHint')}
          accept={accept}
          value={file}
          onChange={setFile}
          clearable
          w={320}
          data-testid={testId}
        />
        <Button
          onClick={() => send.mutate()}
          disabled={!file}
          loading={send.isPending}
          data-testid={`${testId}-send`}
        >
          {t('programme.records.upload')}
        </Button>
      </Group>
      <ProblemAlert error={send.error} />
    </Stack>
  );
}

/** The files sent with an expression of interest, for the Secretariat. */
export function EoiFiles({ eoiId }: { eoiId: string }): ReactNode {
  const { t } = useTranslation();
  const files = useQuery({
    queryKey: [...programmeKey, 'eoi-files', eoiId],
    queryFn: ({ signal }) =>
      api.get<Items<RecordFileT>>(`/api/programme/eois/${eoiId}/attachments`, { signal }),
  });
  return (
    <Stack gap={2} data-testid="programme-eoi-files">
      <Text fw={600} size="sm">
        {t('programme.records.attachments')}
      </Text>
      {files.data ? (
        <FileLinks
          files={files.data.items}
          href={(f) => `/api/programme/eois/${eoiId}/attachments/${f.id}`}
        />
      ) : (
        <ProblemAlert error={files.error} />
      )}
    </Stack>
  );
}

/** An activity's report files: the list, an upload, and a remove with a confirmation (the Secretariat). */
export function ActivityReports({ activityId }: { activityId: string }): ReactNode {
  const { t } = useTranslation();
  const [removing, setRemoving] = useState<RecordFileT | null>(null);
  const files = useQuery({
    queryKey: [...programmeKey, 'activity-reports', activityId],
    queryFn: ({ signal }) =>
      api.get<Items<RecordFileT>>(`/api/programme/activities/${activityId}/reports`, { signal }),
  });
  const base = `/api/programme/activities/${activityId}/reports`;
  return (
    <Stack data-testid="programme-activity-reports">
      {files.data ? (
        <FileLinks files={files.data.items} href={(f) => `${base}/${f.id}`} onRemove={setRemoving} />
      ) : (
        <ProblemAlert error={files.error} />
      )}
      <FileUpload
        url="/api/programme/activity-reports"
        fields={{ activityId }}
        accept={REPORT_ACCEPT}
        label={t('programme.records.reportFile')}
        testId="programme-report-file"
      />
      {removing && (
        <ConfirmDelete
          title={t('programme.records.removeFile', { name: removing.filename })}
          body={t('programme.records.removeFileBody')}
          url={`${base}/${removing.id}`}
          onClose={() => setRemoving(null)}
        />
      )}
    </Stack>
  );
}

/**
 * An activity's report files as its partner administration (`mine`) or a donor paying for it
 * (`donor`) reads them: download links only.
 */
export function SharedReports({
  reader,
  activityId,
}: {
  reader: 'mine' | 'donor';
  activityId: string;
}): ReactNode {
  const base = `/api/programme/${reader}/activities/${activityId}/reports`;
  const files = useQuery({
    queryKey: [...programmeKey, 'activity-reports', reader, activityId],
    queryFn: ({ signal }) => api.get<Items<RecordFileT>>(base, { signal }),
  });
  return (
    <div data-testid="programme-activity-files">
      {files.data ? (
        <FileLinks files={files.data.items} href={(f) => `${base}/${f.id}`} />
      ) : (
        <ProblemAlert error={files.error} />
      )}
    </div>
  );
}

/** A row's Delete button and its confirmation (DELETE `url`, naming the version shown). */
export function DeleteRow({
  of,
  url,
  title,
  body,
  conflict,
  testId,
}: {
  of: string;
  url: string;
  title: string;
  body: string;
  conflict?: string;
  testId: string;
}): ReactNode {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={() => setOpen(true)}
        aria-label={t('programme.records.deleteOf', { title: of })}
        data-testid={testId}
      >
        {t('programme.results.delete')}
      </Button>
      {open && (
        <ConfirmDelete
          title={title}
          body={body}
          url={url}
          {...(conflict ? { conflict } : {})}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}

/**
 * An evaluation's Edit and Delete (the Secretariat). Both read the evaluation first, for the
 * version they send: a concurrent edit is a 409 with a reload.
 */
export function EvaluationActions({ id, title }: { id: string; title: string }): ReactNode {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'edit' | 'delete' | null>(null);
  const record = useQuery({
    queryKey: [...programmeKey, 'evaluation', id],
    queryFn: ({ signal }) => api.get<EvaluationRecordT>(`/api/programme/evaluations/${id}`, { signal }),
    enabled: open !== null,
  });
  return (
    <Group gap="xs">
      <Button
        size="xs"
        variant="default"
        onClick={() => setOpen('edit')}
        aria-label={t('programme.editOf', { title })}
        data-testid="programme-evaluation-edit"
      >
        {t('programme.edit')}
      </Button>
      <Button
        size="xs"
        variant="subtle"
        color="red"
        onClick={() => setOpen('delete')}
        aria-label={t('programme.records.deleteOf', { title })}
        data-testid="programme-evaluation-delete"
      >
        {t('programme.results.delete')}
      </Button>
      {open === 'edit' && (
        <Modal
          opened
          onClose={() => setOpen(null)}
          title={t('programme.records.editEvaluation', { title })}
          size="xl"
          closeButtonProps={{ 'aria-label': t('common.close') }}
        >
          {record.data ? (
            <EvaluationEdit key={record.data.id} record={record.data} onDone={() => setOpen(null)} />
          ) : (
            <ProblemAlert error={record.error} />
          )}
        </Modal>
      )}
      {open === 'delete' && record.data && (
        <ConfirmDelete
          title={t('programme.records.deleteEvaluation', { title })}
          body={t('programme.records.deleteEvaluationBody')}
          url={`/api/programme/evaluations/${id}?version=${record.data.version}`}
          onClose={() => setOpen(null)}
        />
      )}
    </Group>
  );
}

function EvaluationEdit({ record, onDone }: { record: EvaluationRecordT; onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form, setForm] = useState({
    title: record.title,
    evaluator: record.evaluator,
    evaluatedOn: record.evaluatedOn,
    criteria: record.criteria,
  });
  const save = useMutation({
    mutationFn: () =>
      api.patch(`/api/programme/evaluations/${record.id}`, { version: record.version, ...form }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onDone();
    },
  });
  const setCriterion = (k: number, patch: Partial<(typeof form.criteria)[number]>) =>
    setForm((f) => ({ ...f, criteria: f.criteria.map((x, j) => (j === k ? { ...x, ...patch } : x)) }));
  return (
    <Stack gap="xs">
      <Group align="flex-start" wrap="wrap">
        <TextInput
          label={t('programme.title')}
          value={form.title}
          onChange={(e) => setForm({ ...form, title: e.currentTarget.value })}
          w={300}
          data-testid="programme-evaluation-edit-title"
        />
        <TextInput
          label={t('programme.forms.evaluator')}
          value={form.evaluator}
          onChange={(e) => setForm({ ...form, evaluator: e.currentTarget.value })}
          w={240}
        />
        <TextInput
          type="date"
          label={t('programme.forms.evaluatedOn')}
          value={form.evaluatedOn}
          onChange={(e) => setForm({ ...form, evaluatedOn: e.currentTarget.value })}
        />
      </Group>
      {form.criteria.map((c, k) => (
        <Group key={c.criterion} align="flex-start" wrap="wrap">
          <NumberInput
            label={t(`programme.results.criterion.${c.criterion}`)}
            description={t(`programme.results.rating.${DAC_RATINGS[c.rating - 1] ?? DAC_RATINGS[0]}`)}
            min={1}
            max={4}
            value={c.rating}
            onChange={(v) => setCriterion(k, { rating: Math.min(4, Math.max(1, Number(v) || 1)) })}
            w={200}
          />
          <Textarea
            label={t('programme.forms.findings')}
            value={c.findings}
            onChange={(e) => setCriterion(k, { findings: e.currentTarget.value })}
            autosize
            minRows={1}
            style={{ flex: 1, minWidth: 280 }}
            aria-label={`${t('programme.forms.findings')} — ${t(`programme.results.criterion.${c.criterion}`)}`}
          />
        </Group>
      ))}
      <SaveError error={save.error} onReload={() => qc.invalidateQueries({ queryKey: programmeKey })} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          data-testid="programme-evaluation-edit-save"
        >
          {t('programme.save')}
        </Button>
      </Group>
    </Stack>
  );
}
