import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Container,
  FileInput,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
} from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, upload } from '../../../web/api';
import { LANGUAGE_NAMES } from '../../../web/i18n';
import { applyFieldErrors } from '../../../web/ui-kit/form-errors';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ENTRY_LANGUAGES, ENTRY_TYPES, type EntryLanguage, type EntryType } from '../library.vocab';
import { AttachmentList, StatusBadge, factorOptions, libraryKey } from './bits';
import type { EntryT } from './types';
import { VersionHistory } from './versions';

export function LibraryNewEntryPage(): ReactNode {
  return (
    <RequirePermission permission="library.contribute">
      <EntryForm entry={null} onReload={() => undefined} />
    </RequirePermission>
  );
}

export function LibraryEditEntryPage(): ReactNode {
  return (
    <RequirePermission permission="library.contribute">
      <Edit />
    </RequirePermission>
  );
}

function Edit(): ReactNode {
  const { id } = useParams({ strict: false }) as { id: string };
  const entry = useQuery({
    queryKey: [...libraryKey, 'entries', id],
    queryFn: ({ signal }) => api.get<EntryT>(`/api/library/entries/${id}`, { signal }),
  });
  if (entry.isPending) return <PageLoader />;
  if (entry.isError) return <QueryError error={entry.error} onRetry={() => entry.refetch()} />;
  return <EntryForm key={entry.data.id} entry={entry.data} onReload={() => entry.refetch()} />;
}

interface TranslationRow {
  language: EntryLanguage;
  title: string;
  summary: string;
  whatDone: string;
  whatChanged: string;
}

interface MeasureRow {
  label: string;
  before: string;
  after: string;
  unit: string;
}

function EntryForm({ entry, onReload }: { entry: EntryT | null; onReload: () => unknown }): ReactNode {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const uiLanguage = (ENTRY_LANGUAGES as readonly string[]).includes(i18n.language)
    ? (i18n.language as EntryLanguage)
    : 'en';
  const form = useForm({
    initialValues: {
      title: entry?.title ?? '',
      summary: entry?.summary ?? '',
      factors: (entry?.factors ?? []).map(String),
      type: (entry?.type ?? 'policy') as EntryType,
      anonymous: entry?.anonymous ?? false,
      whatDone: entry?.whatDone ?? '',
      whatChanged: entry?.whatChanged ?? '',
      measures: (entry?.measures ?? []).map((m) => ({
        label: m.label,
        before: m.before ?? '',
        after: m.after ?? '',
        unit: m.unit ?? '',
      })) as MeasureRow[],
      language: (entry?.language ?? uiLanguage) as EntryLanguage,
      translations: (entry?.translations ?? []) as TranslationRow[],
    },
    validate: {
      title: (v) => (v.trim() ? null : t('library.required')),
      summary: (v) => (v.trim() ? null : t('library.required')),
      factors: (v) => (v.length ? null : t('library.required')),
      // Checked here, on the translation's own fields: the server's errors name them by path
      // (translations.0.title), which the form's error mapping would put on the original's title.
      translations: {
        title: (v) => (v.trim() ? null : t('library.required')),
        summary: (v) => (v.trim() ? null : t('library.required')),
      },
    },
  });
  // The entry's own text reads in its language's direction (English in an Arabic page stays left to right).
  const inLanguage = { lang: form.values.language, dir: i18n.dir(form.values.language) };
  const refresh = () => qc.invalidateQueries({ queryKey: libraryKey });
  const save = useMutation({
    mutationFn: (v: typeof form.values) => {
      const body = {
        ...v,
        title: v.title.trim(),
        summary: v.summary.trim(),
        factors: v.factors.map(Number),
        translations: v.translations.map((x) => ({
          language: x.language,
          title: x.title.trim(),
          summary: x.summary.trim(),
          whatDone: x.whatDone.trim(),
          whatChanged: x.whatChanged.trim(),
        })),
        measures: v.measures
          .filter((m) => m.label.trim())
          .map((m) => ({
            label: m.label.trim(),
            before: m.before.trim() || null,
            after: m.after.trim() || null,
            unit: m.unit.trim() || null,
          })),
      };
      return entry
        ? api.patch<EntryT>(`/api/library/entries/${entry.id}`, { ...body, version: entry.version })
        : api.post<EntryT>('/api/library/entries', body);
    },
    onSuccess: (saved) => {
      form.resetDirty();
      refresh();
      notifySuccess(t('library.saved'));
      if (!entry) navigate({ to: '/library/entries/$id', params: { id: saved.id } });
    },
    onError: (e) => applyFieldErrors(form, ['title', 'summary', 'factors', 'whatDone', 'whatChanged'], e),
  });
  const submit = useMutation({
    mutationFn: () =>
      api.post<EntryT>(`/api/library/entries/${entry!.id}/submit`, { version: entry!.version }),
    onSuccess: () => {
      refresh();
      notifySuccess(t('library.submittedToast'));
    },
  });
  return (
    <Container size="md" px={0}>
      <PageHeader
        title={entry ? entry.title : t('library.newEntry')}
        crumbs={[{ label: t('library.mineTitle'), to: '/library/mine' }]}
        description={t('library.formIntro')}
      />
      {entry && (
        <Stack gap="xs" mb="md">
          <Group gap="xs">
            <StatusBadge status={entry.status} />
            {entry.publishedRevision && (
              <Text size="sm" c="dimmed">
                {t('library.publishedRevision', { revision: entry.publishedRevision })}
              </Text>
            )}
          </Group>
          {entry.status === 'rejected' && entry.rejectionReason && (
            <Alert color="red" title={t('library.rejectedTitle')}>
              <Text size="sm" dir="auto">
                {entry.rejectionReason}
              </Text>
            </Alert>
          )}
          {entry.status === 'unpublished' && entry.unpublishedReason && (
            <Alert color="dark" title={t('library.unpublishedTitle')} data-testid="library-unpublished">
              <Text size="sm" dir="auto">
                {entry.unpublishedReason}
              </Text>
            </Alert>
          )}
          {entry.publishedRevision && entry.status !== 'published' && (
            <Text size="sm">{t('library.stillPublished')}</Text>
          )}
        </Stack>
      )}
      <form onSubmit={form.onSubmit((v) => save.mutate(v))}>
        <Stack>
          <TextInput
            label={t('library.entryTitle')}
            required
            maxLength={300}
            data-testid="library-title"
            {...form.getInputProps('title')}
            {...inLanguage}
          />
          <Textarea
            label={t('library.summary')}
            required
            maxLength={2000}
            autosize
            minRows={3}
            data-testid="library-summary"
            {...form.getInputProps('summary')}
            {...inLanguage}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('library.type')}
              required
              allowDeselect={false}
              data={ENTRY_TYPES.map((x) => ({ value: x, label: t(`library.types.${x}`) }))}
              {...form.getInputProps('type')}
            />
            <Select
              label={t('library.language')}
              required
              allowDeselect={false}
              data={ENTRY_LANGUAGES.map((x) => ({ value: x, label: LANGUAGE_NAMES[x] }))}
              {...form.getInputProps('language')}
            />
            <MultiSelect
              label={t('library.factors')}
              required
              data={factorOptions(t)}
              data-testid="library-factors"
              {...form.getInputProps('factors')}
            />
          </SimpleGrid>
          <Textarea
            label={t('library.whatDone')}
            autosize
            minRows={3}
            maxLength={20000}
            {...form.getInputProps('whatDone')}
            {...inLanguage}
          />
          <Textarea
            label={t('library.whatChanged')}
            autosize
            minRows={3}
            maxLength={20000}
            {...form.getInputProps('whatChanged')}
            {...inLanguage}
          />
          <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
            <legend>
              <Text fw={500} size="sm">
                {t('library.measures')}
              </Text>
            </legend>
            <Stack gap="xs">
              {form.values.measures.map((_, i) => (
                <Group key={i} align="flex-end" gap="xs" wrap="nowrap">
                  <TextInput
                    style={{ flex: 2 }}
                    label={t('library.measureLabel')}
                    {...form.getInputProps(`measures.${i}.label`)}
                  />
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('library.before')}
                    {...form.getInputProps(`measures.${i}.before`)}
                  />
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('library.after')}
                    {...form.getInputProps(`measures.${i}.after`)}
                  />
                  <TextInput
                    style={{ flex: 1 }}
                    label={t('library.unit')}
                    {...form.getInputProps(`measures.${i}.unit`)}
                  />
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    size="lg"
                    aria-label={t('library.removeMeasure')}
                    onClick={() => form.removeListItem('measures', i)}
                  >
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="default"
                  size="xs"
                  leftSection={<IconPlus size={14} aria-hidden />}
                  onClick={() =>
                    form.insertListItem('measures', { label: '', before: '', after: '', unit: '' })
                  }
                >
                  {t('library.addMeasure')}
                </Button>
              </Group>
            </Stack>
          </fieldset>
          <Translations form={form} />
          <Checkbox
            label={t('library.anonymousLabel')}
            description={t('library.anonymousHelp')}
            {...form.getInputProps('anonymous', { type: 'checkbox' })}
          />
          <SaveError error={save.error} onReload={onReload} />
          <ProblemAlert error={submit.error} />
          <Group>
            <Button type="submit" loading={save.isPending} data-testid="library-save">
              {t('library.save')}
            </Button>
            {entry && entry.status === 'draft' && !form.isDirty() && (
              <Button
                variant="light"
                loading={submit.isPending}
                onClick={() => submit.mutate()}
                data-testid="library-submit"
              >
                {t('library.submit')}
              </Button>
            )}
          </Group>
        </Stack>
      </form>
      {entry && <Attachments entry={entry} onChanged={onReload} />}
      {entry && entry.revision > 0 && (
        <Stack mt="xl">
          <VersionHistory
            base={`/api/library/entries/${entry.id}`}
            attachmentHref={(v, id) =>
              `/api/library/entries/${entry.id}/versions/${v.revision}/attachments/${id}`
            }
          />
        </Stack>
      )}
    </Container>
  );
}

/** The same content in other languages than the entry's own (each language once). */
function Translations({
  form,
}: {
  form: UseFormReturnType<{ language: EntryLanguage; translations: TranslationRow[] }>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const taken = new Set([form.values.language, ...form.values.translations.map((x) => x.language)]);
  const free = ENTRY_LANGUAGES.filter((l) => !taken.has(l));
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }} data-testid="library-translations">
      <legend>
        <Text fw={500} size="sm">
          {t('library.translations')}
        </Text>
      </legend>
      <Text size="sm" c="dimmed" mb="xs">
        {t('library.translationsHelp')}
      </Text>
      <Stack gap="md">
        {form.values.translations.map((x, i) => (
          <Stack
            key={x.language}
            gap="xs"
            p="sm"
            style={{ border: '1px solid var(--mantine-color-default-border)', borderRadius: 4 }}
          >
            <Group justify="space-between">
              <Text fw={600} size="sm">
                {t('library.translationIn', { language: LANGUAGE_NAMES[x.language] })}
              </Text>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('library.removeTranslation', { language: LANGUAGE_NAMES[x.language] })}
                onClick={() => form.removeListItem('translations', i)}
              >
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
            <Stack gap="xs">
              <TextInput
                label={t('library.entryTitle')}
                required
                maxLength={300}
                {...form.getInputProps(`translations.${i}.title`)}
                lang={x.language}
                dir={i18n.dir(x.language)}
              />
              <Textarea
                label={t('library.summary')}
                required
                maxLength={2000}
                autosize
                minRows={2}
                {...form.getInputProps(`translations.${i}.summary`)}
                lang={x.language}
                dir={i18n.dir(x.language)}
              />
              <Textarea
                label={t('library.whatDone')}
                autosize
                minRows={2}
                maxLength={20000}
                {...form.getInputProps(`translations.${i}.whatDone`)}
                lang={x.language}
                dir={i18n.dir(x.language)}
              />
              <Textarea
                label={t('library.whatChanged')}
                autosize
                minRows={2}
                maxLength={20000}
                {...form.getInputProps(`translations.${i}.whatChanged`)}
                lang={x.language}
                dir={i18n.dir(x.language)}
              />
            </Stack>
          </Stack>
        ))}
        {free.length > 0 && (
          <Group>
            <Select
              aria-label={t('library.addTranslation')}
              placeholder={t('library.addTranslation')}
              value={null}
              data={free.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
              onChange={(l) =>
                l &&
                form.insertListItem('translations', {
                  language: l as EntryLanguage,
                  title: '',
                  summary: '',
                  whatDone: '',
                  whatChanged: '',
                })
              }
              data-testid="library-add-translation"
            />
          </Group>
        )}
      </Stack>
    </fieldset>
  );
}

/** The working copy's attachments: upload (type decided from the bytes by the server), remove. */
function Attachments({ entry, onChanged }: { entry: EntryT; onChanged: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const done = () => {
    void qc.invalidateQueries({ queryKey: libraryKey });
    onChanged();
  };
  const add = useMutation({
    mutationFn: () => upload('/api/library/attachments', file!, { fields: { entryId: entry.id } }),
    onSuccess: () => {
      setFile(null);
      notifySuccess(t('library.attached'));
      done();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/api/library/entries/${entry.id}/attachments/${id}`),
    onSuccess: done,
  });
  return (
    <Stack mt="xl" gap="xs">
      <Text fw={600}>{t('library.attachments')}</Text>
      <Text size="sm" c="dimmed">
        {t('library.attachmentsHelp')}
      </Text>
      <AttachmentList
        attachments={entry.attachments}
        href={(id) => `/api/library/entries/${entry.id}/attachments/${id}`}
        onRemove={(id) => remove.mutate(id)}
      />
      <Group align="flex-end">
        <FileInput
          label={t('library.attachFile')}
          value={file}
          onChange={setFile}
          clearable
          w={320}
          data-testid="library-attachment-input"
        />
        <Button variant="default" disabled={!file} loading={add.isPending} onClick={() => add.mutate()}>
          {t('library.attach')}
        </Button>
      </Group>
      <ProblemAlert error={add.error ?? remove.error} />
    </Stack>
  );
}
