import {
  Button,
  Container,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Textarea,
  Timeline,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { RECOMMENDATION_NEXT, type RecommendationStatus } from '../isc.vocab';
import { CreateForm, IscListHeader, RecommendationBadge, iscKey, useCanManage } from './bits';
import type { RecommendationT, SessionSummaryT } from './types';

export function IscRecommendationsPage(): ReactNode {
  return (
    <RequirePermission permission="isc.read">
      <Recommendations />
    </RequirePermission>
  );
}

const recKey = [...iscKey, 'recommendations'] as const;

function Recommendations(): ReactNode {
  const { t } = useTranslation();
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  const recs = useQuery({
    queryKey: recKey,
    queryFn: ({ signal }) => api.get<Items<RecommendationT>>('/api/isc/recommendations', { signal }),
  });
  return (
    <Container size="lg" px={0}>
      <IscListHeader
        title={t('isc.recommendationsTitle')}
        description={t('isc.recommendationsIntro')}
        current="recommendations"
        canManage={canManage}
        newLabel={t('isc.newRecommendation')}
        onNew={() => setCreating((c) => !c)}
      />
      {creating && <NewRecommendation onDone={() => setCreating(false)} />}
      {recs.isPending ? (
        <PageLoader />
      ) : recs.isError ? (
        <QueryError error={recs.error} onRetry={() => recs.refetch()} />
      ) : recs.data.items.length === 0 ? (
        <Text c="dimmed">{t('isc.none')}</Text>
      ) : (
        <Stack data-testid="isc-recommendations">
          {recs.data.items.map((r) => (
            <RecommendationCard key={r.id} rec={r} canManage={canManage} onReload={() => recs.refetch()} />
          ))}
        </Stack>
      )}
    </Container>
  );
}

function RecommendationCard({
  rec: r,
  canManage,
  onReload,
}: {
  rec: RecommendationT;
  canManage: boolean;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [editing, setEditing] = useState(false);
  return (
    <Paper withBorder p="md">
      {editing && <EditRecommendation rec={r} onClose={() => setEditing(false)} onReload={onReload} />}
      <Group justify="space-between" align="flex-start">
        <Stack gap={4} style={{ flex: 1 }}>
          <Group gap="sm">
            <Text fw={700} ff="monospace">
              {r.ref}
            </Text>
            <RecommendationBadge status={r.status} />
            <AnchorLink to="/isc/sessions/$id" params={{ id: r.sessionId }} size="sm">
              {t('isc.adoptedAt')} {t('isc.sessionNumber', { number: r.sessionNumber })}
            </AnchorLink>
          </Group>
          <Text style={{ whiteSpace: 'pre-wrap' }}>
            <bdi>{r.text}</bdi>
          </Text>
          {canManage && (
            <Group>
              <Button
                size="xs"
                variant="subtle"
                aria-label={t('isc.editRecommendation', { ref: r.ref })}
                onClick={() => setEditing(true)}
              >
                {t('isc.edit')}
              </Button>
            </Group>
          )}
        </Stack>
        <Stack gap={4} miw={240}>
          <Text size="sm" fw={600}>
            {t('isc.history')}
          </Text>
          <Timeline active={r.history.length - 1} bulletSize={14} lineWidth={2}>
            {r.history.map((h, i) => (
              <Timeline.Item key={`${h.status}-${i}`} title={t(`isc.recommendationStatus.${h.status}`)}>
                <Text size="xs" c="dimmed">
                  {t('isc.historyLine', { date: f.date(h.on), by: h.by })}
                </Text>
                {h.note && <Text size="xs">{h.note}</Text>}
              </Timeline.Item>
            ))}
          </Timeline>
        </Stack>
      </Group>
      {canManage && RECOMMENDATION_NEXT[r.status].length > 0 && <NextStep rec={r} onReload={onReload} />}
    </Paper>
  );
}

function NextStep({ rec: r, onReload }: { rec: RecommendationT; onReload: () => unknown }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [status, setStatus] = useState<RecommendationStatus>(RECOMMENDATION_NEXT[r.status][0]!);
  const [on, setOn] = useState(new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () =>
      api.post<RecommendationT>(`/api/isc/recommendations/${r.id}/status`, {
        version: r.version,
        status,
        on,
        note,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: recKey }),
  });
  return (
    <Stack gap="xs" mt="sm">
      <Group align="flex-end">
        <Select
          label={t('isc.nextStatus')}
          allowDeselect={false}
          value={status}
          data={RECOMMENDATION_NEXT[r.status].map((s) => ({
            value: s,
            label: t(`isc.recommendationStatus.${s}`),
          }))}
          onChange={(s) => s && setStatus(s as RecommendationStatus)}
        />
        <TextInput
          type="date"
          label={t('isc.on')}
          value={on}
          onChange={(e) => setOn(e.currentTarget.value)}
        />
        <TextInput label={t('isc.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button variant="light" loading={save.isPending} onClick={() => save.mutate()}>
          {t('isc.record')}
        </Button>
      </Group>
      <SaveError error={save.error} onReload={onReload} />
    </Stack>
  );
}

/**
 * The reference and text, corrected by the Secretariat. The version read goes with the save: if
 * someone changed the recommendation meanwhile, the server answers 409 and the dialog offers a
 * reload that keeps what was typed here (the next save carries the new version).
 */
function EditRecommendation({
  rec: r,
  onClose,
  onReload,
}: {
  rec: RecommendationT;
  onClose: () => void;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [v, setV] = useState({ ref: r.ref, text: r.text });
  const save = useMutation({
    mutationFn: () =>
      api.patch<RecommendationT>(`/api/isc/recommendations/${r.id}`, {
        version: r.version,
        ...(v.ref !== r.ref ? { ref: v.ref } : {}),
        ...(v.text !== r.text ? { text: v.text } : {}),
      }),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: recKey });
      onClose();
    },
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('isc.editRecommendation', { ref: r.ref })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('isc.cancel') }}
    >
      <Stack
        component="form"
        data-testid="isc-recommendation-edit"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <TextInput
          label={t('isc.ref')}
          required
          value={v.ref}
          onChange={(e) => setV({ ...v, ref: e.currentTarget.value })}
        />
        <Textarea
          label={t('isc.text')}
          required
          autosize
          minRows={4}
          value={v.text}
          onChange={(e) => setV({ ...v, text: e.currentTarget.value })}
        />
        <SaveError error={save.error} onReload={onReload} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('isc.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending}>
            {t('isc.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function NewRecommendation({ onDone }: { onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const sessions = useQuery({
    queryKey: [...iscKey, 'sessions'],
    queryFn: ({ signal }) => api.get<Items<SessionSummaryT>>('/api/isc/sessions', { signal }),
  });
  const [v, setV] = useState({ ref: '', text: '', sessionId: null as string | null, proposedOn: '' });
  const create = useMutation({
    mutationFn: () => api.post<RecommendationT>('/api/isc/recommendations', v),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: recKey });
      onDone();
    },
  });
  return (
    <CreateForm
      maw={720}
      onSubmit={() => create.mutate()}
      onCancel={onDone}
      pending={create.isPending}
      error={create.error}
    >
      <Group grow>
        <TextInput
          label={t('isc.ref')}
          required
          value={v.ref}
          onChange={(e) => setV({ ...v, ref: e.currentTarget.value })}
        />
        <Select
          label={t('isc.adoptedAt')}
          required
          value={v.sessionId}
          data={(sessions.data?.items ?? []).map((s) => ({
            value: s.id,
            label: t('isc.sessionNumber', { number: s.number }),
          }))}
          onChange={(id) => setV({ ...v, sessionId: id })}
        />
        <TextInput
          type="date"
          label={t('isc.proposedOn')}
          required
          value={v.proposedOn}
          onChange={(e) => setV({ ...v, proposedOn: e.currentTarget.value })}
        />
      </Group>
      <Textarea
        label={t('isc.text')}
        required
        autosize
        minRows={3}
        value={v.text}
        onChange={(e) => setV({ ...v, text: e.currentTarget.value })}
      />
    </CreateForm>
  );
}
