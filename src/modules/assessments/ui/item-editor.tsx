import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  FileButton,
  Group,
  MultiSelect,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconPaperclip, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifyError, notifySuccess } from '../../../web/ui-kit/notify';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { SaveError, isVersionConflict } from '../../../web/ui-kit/save-error';
import { CONFIDENCE_LEVELS, EVIDENCE_SOURCES } from '../assessments.vocab';
import {
  type AssessmentDetail,
  type AssessmentItemT,
  type ItemResponse,
  assessmentsKey,
  put,
  uploadEvidence,
} from './queries';

type Draft = Omit<ItemResponse, 'id' | 'updatedBy' | 'updatedAt' | 'version'>;
const draftOf = (r: ItemResponse): Draft => ({
  rating: r.rating,
  notApplicable: r.notApplicable,
  naReason: r.naReason,
  narrative: r.narrative,
  strengths: r.strengths,
  weaknesses: r.weaknesses,
  sources: r.sources,
  confidence: r.confidence,
});

export function ItemEditor({ a, item }: { a: AssessmentDetail; item: AssessmentItemT }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  // `base` is the saved response the draft started from; `version` is what the next save sends.
  const [base, setBase] = useState(item.response);
  const [draft, setDraft] = useState<Draft>(() => draftOf(item.response));
  const [version, setVersion] = useState(item.response.version);
  // A newer response from the server (someone else saved) replaces the form only while nothing was
  // typed in it; otherwise the draft stays and the next save meets the 409 and its reload.
  const typed = JSON.stringify(draft) !== JSON.stringify(draftOf(base));
  if (item.response.version > base.version && !typed) {
    setBase(item.response);
    setDraft(draftOf(item.response));
    setVersion(item.response.version);
  }
  const [comment, setComment] = useState('');
  const [mentions, setMentions] = useState<string[]>([]);
  const ro = !a.can.respond;
  const refresh = () => qc.invalidateQueries({ queryKey: [...assessmentsKey, a.id] });
  const save = useMutation({
    mutationFn: () =>
      put<ItemResponse>(`/api/assessments/${a.id}/items/${item.id}/response`, {
        version,
        ...draft,
        naReason: draft.notApplicable ? draft.naReason : null,
      }),
    onSuccess: (r) => {
      setBase(r);
      setVersion(r.version);
      notifySuccess(t('assessments.saved'));
      void refresh();
    },
  });
  // After a 409: refetch the item and take its current version; the draft (what was typed) stays.
  const reload = async () => {
    await refresh();
    const fresh = qc
      .getQueriesData<{ factors: { items: AssessmentItemT[] }[] }>({
        queryKey: [...assessmentsKey, a.id, 'items'],
      })
      .flatMap(([, d]) => d?.factors.flatMap((f) => f.items) ?? [])
      .find((i) => i.id === item.id);
    if (fresh) {
      setBase(fresh.response);
      setVersion(fresh.response.version);
    }
  };
  const postComment = useMutation({
    mutationFn: () =>
      api.post(`/api/assessments/${a.id}/items/${item.id}/comments`, { body: comment, mentions }),
    onSuccess: () => {
      setComment('');
      setMentions([]);
      void refresh();
    },
  });
  const upload = useMutation({
    mutationFn: (f: File) => uploadEvidence(a.id, item.id, f),
    onSuccess: () => {
      notifySuccess(t('assessments.uploaded'));
      void refresh();
    },
    onError: (e) => notifyError(errorMessage(e)),
  });
  const removeEvidence = useMutation({
    mutationFn: (id: string) => api.delete(`/api/assessments/${a.id}/evidence/${id}`),
    onSuccess: () => void refresh(),
    onError: (e) => notifyError(errorMessage(e)),
  });
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });
  // The server names who saved meanwhile and the current version (problem errors `updatedBy`, `version`).
  const conflictDetail = (e: unknown): string | undefined => {
    if (!isVersionConflict(e)) return undefined;
    const field = (path: string) => e.problem.errors?.find((x) => x.path === path)?.message ?? '';
    const [name, current] = [field('updatedBy'), field('version')];
    if (!current) return undefined;
    return name
      ? t('assessments.conflictBy', { name, version: current })
      : t('assessments.conflictVersion', { version: current });
  };

  return (
    <Paper withBorder p="md" radius="md" id={`item-${item.refId}`}>
      <Stack gap="sm">
        <Title order={3} size="h5" dir="auto">
          <Text span c="dimmed" me={6}>
            {item.refId}
          </Text>
          {item.name}
        </Title>
        {item.guidance && (
          <Text size="sm" c="dimmed" dir="auto">
            {item.guidance}
          </Text>
        )}
        <Group gap={4} role="group" aria-label={t('assessments.rating')}>
          {a.scale.levels.map((l) => (
            <Button
              key={l.value}
              size="xs"
              variant={!draft.notApplicable && draft.rating === l.value ? 'filled' : 'default'}
              aria-pressed={!draft.notApplicable && draft.rating === l.value}
              title={l.description ?? l.label}
              disabled={ro}
              data-testid={`rating-${item.refId}-${l.value}`}
              onClick={() => set({ rating: l.value, notApplicable: false })}
            >
              {`${l.value} · ${l.label}`}
            </Button>
          ))}
          <Button
            size="xs"
            variant={draft.notApplicable ? 'filled' : 'default'}
            color="gray"
            aria-pressed={draft.notApplicable}
            disabled={ro}
            data-testid={`rating-${item.refId}-na`}
            onClick={() => set({ rating: null, notApplicable: true })}
          >
            {t('assessments.notApplicable')}
          </Button>
        </Group>
        {draft.notApplicable && (
          <Textarea
            label={t('assessments.naReason')}
            required
            autosize
            minRows={1}
            maxLength={2000}
            readOnly={ro}
            value={draft.naReason ?? ''}
            onChange={(e) => set({ naReason: e.currentTarget.value })}
          />
        )}
        <Textarea
          label={t('assessments.narrative')}
          autosize
          minRows={2}
          maxLength={20000}
          readOnly={ro}
          value={draft.narrative ?? ''}
          onChange={(e) => set({ narrative: e.currentTarget.value })}
        />
        <Group grow align="flex-start">
          <Textarea
            label={t('assessments.strengths')}
            autosize
            minRows={1}
            maxLength={10000}
            readOnly={ro}
            value={draft.strengths ?? ''}
            onChange={(e) => set({ strengths: e.currentTarget.value })}
          />
          <Textarea
            label={t('assessments.weaknesses')}
            autosize
            minRows={1}
            maxLength={10000}
            readOnly={ro}
            value={draft.weaknesses ?? ''}
            onChange={(e) => set({ weaknesses: e.currentTarget.value })}
          />
        </Group>
        <Group align="flex-end" gap="lg">
          <Checkbox.Group
            label={t('assessments.sources')}
            value={draft.sources}
            onChange={(v) => !ro && set({ sources: v as Draft['sources'] })}
          >
            <Group gap="sm" mt={4}>
              {EVIDENCE_SOURCES.map((s) => (
                <Checkbox key={s} value={s} label={t(`assessments.sourceTypes.${s}`)} disabled={ro} />
              ))}
            </Group>
          </Checkbox.Group>
          <Select
            label={t('assessments.confidence')}
            data={CONFIDENCE_LEVELS.map((c) => ({ value: c, label: t(`assessments.confidenceLevels.${c}`) }))}
            value={draft.confidence}
            onChange={(v) => set({ confidence: v as Draft['confidence'] })}
            disabled={ro}
            clearable
            w={160}
          />
        </Group>
        <SaveError
          error={save.error}
          onReload={reload}
          detail={conflictDetail(save.error)}
          testId={`conflict-${item.refId}`}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {item.response.updatedBy
              ? t('assessments.lastSaved', {
                  name: item.response.updatedBy,
                  date: fmt.dateTime(item.response.updatedAt),
                })
              : ''}
          </Text>
          {!ro && (
            <Button
              size="xs"
              onClick={() => save.mutate()}
              loading={save.isPending}
              data-testid={`response-save-${item.refId}`}
            >
              {t('assessments.saveResponse')}
            </Button>
          )}
        </Group>

        <Text fw={600} size="sm">
          {t('assessments.evidence')}
        </Text>
        <Stack gap={4}>
          {item.evidence.map((e) => (
            <Group key={e.id} gap="xs">
              <Anchor
                href={`/api/assessments/${a.id}/evidence/${e.id}`}
                size="sm"
                aria-label={t('assessments.download', { name: e.filename })}
              >
                {e.filename}
              </Anchor>
              <Text size="xs" c="dimmed">
                {`${fmt.fileSize(e.size)} · ${e.uploadedBy} · ${fmt.date(e.createdAt)}`}
              </Text>
              {!ro && (
                <ActionIcon
                  size="sm"
                  variant="subtle"
                  color="red"
                  aria-label={t('assessments.deleteEvidence', { name: e.filename })}
                  onClick={() => removeEvidence.mutate(e.id)}
                >
                  <IconTrash size={14} aria-hidden />
                </ActionIcon>
              )}
            </Group>
          ))}
          {!ro && (
            <Group gap="xs">
              <FileButton
                onChange={(f) => f && upload.mutate(f)}
                accept=".pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,.csv,.docx,.xlsx,.pptx,.odt,.ods,.odp,.doc,.xls,.ppt"
              >
                {(props) => (
                  <Button
                    {...props}
                    size="xs"
                    variant="light"
                    leftSection={<IconPaperclip size={14} aria-hidden />}
                    loading={upload.isPending}
                  >
                    {t('assessments.upload')}
                  </Button>
                )}
              </FileButton>
              <Text size="xs" c="dimmed">
                {t('assessments.uploadHint')}
              </Text>
            </Group>
          )}
        </Stack>

        <Text fw={600} size="sm">
          {t('assessments.comments')}
        </Text>
        {item.comments.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('assessments.noComments')}
          </Text>
        )}
        {item.comments.map((c) => (
          <Text key={c.id} size="sm" dir="auto">
            <Text span fw={600}>
              {c.author}
            </Text>
            {` · ${fmt.dateTime(c.createdAt)}: ${c.body}`}
            {c.mentions.length > 0 && (
              <Text span c="blue">{` (@${c.mentions.map((m) => m.name).join(', @')})`}</Text>
            )}
          </Text>
        ))}
        {a.can.comment && (
          <Stack gap="xs">
            <Textarea
              aria-label={t('assessments.commentPlaceholder')}
              placeholder={t('assessments.commentPlaceholder')}
              autosize
              minRows={1}
              maxLength={5000}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
            />
            <Group align="flex-end">
              <MultiSelect
                style={{ flex: 1 }}
                label={t('assessments.mention')}
                data={a.team
                  .filter((m, i, all) => all.findIndex((x) => x.id === m.id) === i)
                  .map((m) => ({ value: m.id, label: m.name }))}
                value={mentions}
                onChange={setMentions}
                size="xs"
              />
              <Button
                size="xs"
                variant="light"
                disabled={!comment.trim()}
                loading={postComment.isPending}
                onClick={() => postComment.mutate()}
              >
                {t('assessments.postComment')}
              </Button>
            </Group>
            <ProblemAlert error={postComment.error} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
