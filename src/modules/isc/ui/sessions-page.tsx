import { Container, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import { IconCalendarEvent } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import {
  CreateForm,
  IscListHeader,
  type SessionDraft,
  SessionFields,
  SessionStatusBadge,
  iscKey,
  sessionBody,
  useCanManage,
} from './bits';
import type { SessionDetailT, SessionSummaryT } from './types';

export function IscSessionsPage(): ReactNode {
  return (
    <RequirePermission permission="isc.read">
      <Sessions />
    </RequirePermission>
  );
}

const today = () => new Date().toISOString().slice(0, 10);

function Sessions(): ReactNode {
  const { t } = useTranslation();
  const canManage = useCanManage();
  const [creating, setCreating] = useState(false);
  const sessions = useQuery({
    queryKey: [...iscKey, 'sessions'],
    queryFn: ({ signal }) => api.get<Items<SessionSummaryT>>('/api/isc/sessions', { signal }),
  });
  const upcoming = (sessions.data?.items ?? []).filter((s) => s.endDate >= today()).reverse();
  const past = (sessions.data?.items ?? []).filter((s) => s.endDate < today());
  return (
    <Container size="lg" px={0}>
      <IscListHeader
        title={t('isc.sessionsTitle')}
        description={t('isc.sessionsIntro')}
        current="sessions"
        canManage={canManage}
        newLabel={t('isc.newSession')}
        onNew={() => setCreating((c) => !c)}
      />
      {creating && <NewSession onDone={() => setCreating(false)} />}
      {sessions.isPending ? (
        <PageLoader />
      ) : sessions.isError ? (
        <QueryError error={sessions.error} onRetry={() => sessions.refetch()} />
      ) : (
        <Stack gap="xl">
          <SessionTimeline title={t('isc.upcoming')} sessions={upcoming} testId="isc-upcoming" />
          <SessionTimeline title={t('isc.past')} sessions={past} testId="isc-past" />
        </Stack>
      )}
    </Container>
  );
}

function SessionTimeline({
  title,
  sessions,
  testId,
}: {
  title: string;
  sessions: SessionSummaryT[];
  testId: string;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section aria-label={title}>
      <Title order={2} size="h3" mb="sm">
        {title}
      </Title>
      {sessions.length === 0 ? (
        <Text c="dimmed">{t('isc.none')}</Text>
      ) : (
        <Timeline bulletSize={28} lineWidth={2} data-testid={testId}>
          {sessions.map((s) => (
            <Timeline.Item
              key={s.id}
              bullet={<IconCalendarEvent size={16} aria-hidden />}
              title={
                <Group gap="sm">
                  <AnchorLink to="/isc/sessions/$id" params={{ id: s.id }} fw={600}>
                    {t('isc.sessionNumber', { number: s.number })}
                  </AnchorLink>
                  <SessionStatusBadge status={s.status} />
                </Group>
              }
            >
              {s.theme && (
                <Text size="sm">
                  <bdi>{s.theme}</bdi>
                </Text>
              )}
              <Text size="sm" c="dimmed">
                {t('isc.sessionLine', {
                  dates: `${f.date(s.startDate)} – ${f.date(s.endDate)}`,
                  place: s.online ? t('isc.online') : (s.place ?? '—'),
                })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('isc.agendaCount', { count: s.agendaCount })} ·{' '}
                {t('isc.participantsCount', { count: s.participantsCount })}
              </Text>
            </Timeline.Item>
          ))}
        </Timeline>
      )}
    </section>
  );
}

function NewSession({ onDone }: { onDone: () => void }): ReactNode {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [v, setV] = useState<SessionDraft>({
    number: '',
    theme: '',
    startDate: '',
    endDate: '',
    place: '',
    online: false,
  });
  const create = useMutation({
    mutationFn: () => api.post<SessionDetailT>('/api/isc/sessions', sessionBody(v)),
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: iscKey });
      onDone();
      void navigate({ to: '/isc/sessions/$id', params: { id: s.id } });
    },
  });
  return (
    <CreateForm
      maw={640}
      onSubmit={() => create.mutate()}
      onCancel={onDone}
      pending={create.isPending}
      error={create.error}
    >
      <SessionFields v={v} setV={setV} />
    </CreateForm>
  );
}
