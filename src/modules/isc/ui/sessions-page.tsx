import {
  Button,
  Checkbox,
  Container,
  Group,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Timeline,
  Title,
} from '@mantine/core';
import { IconCalendarEvent, IconPlus } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { IscTabs, ReadOnlyNote, SessionStatusBadge, iscKey, useCanManage } from './bits';
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
      <PageHeader
        title={t('isc.sessionsTitle')}
        description={t('isc.sessionsIntro')}
        actions={
          canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating((c) => !c)}>
              {t('isc.newSession')}
            </Button>
          )
        }
      />
      <IscTabs current="sessions" />
      <ReadOnlyNote canManage={canManage} />
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
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [v, setV] = useState({
    number: '' as number | string,
    theme: '',
    startDate: '',
    endDate: '',
    place: '',
    online: false,
  });
  const create = useMutation({
    mutationFn: () =>
      api.post<SessionDetailT>('/api/isc/sessions', {
        number: Number(v.number),
        theme: v.theme,
        startDate: v.startDate,
        endDate: v.endDate,
        place: v.place.trim() || null,
        online: v.online,
      }),
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: iscKey });
      onDone();
      void navigate({ to: '/isc/sessions/$id', params: { id: s.id } });
    },
  });
  return (
    <Stack
      mb="xl"
      maw={640}
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Group grow>
        <NumberInput
          label={t('isc.number')}
          required
          min={1}
          value={v.number}
          onChange={(n) => setV({ ...v, number: n })}
        />
        <TextInput
          type="date"
          label={t('isc.startDate')}
          required
          value={v.startDate}
          onChange={(e) => setV({ ...v, startDate: e.currentTarget.value })}
        />
        <TextInput
          type="date"
          label={t('isc.endDate')}
          required
          value={v.endDate}
          onChange={(e) => setV({ ...v, endDate: e.currentTarget.value })}
        />
      </Group>
      <TextInput
        label={t('isc.theme')}
        value={v.theme}
        onChange={(e) => setV({ ...v, theme: e.currentTarget.value })}
      />
      <Group grow align="flex-end">
        <TextInput
          label={t('isc.place')}
          value={v.place}
          onChange={(e) => setV({ ...v, place: e.currentTarget.value })}
        />
        <Checkbox
          label={t('isc.onlineLabel')}
          checked={v.online}
          onChange={(e) => setV({ ...v, online: e.currentTarget.checked })}
        />
      </Group>
      {create.error && <ProblemAlert error={create.error} />}
      <Group>
        <Button type="submit" loading={create.isPending}>
          {t('isc.create')}
        </Button>
        <Button variant="default" onClick={onDone}>
          {t('isc.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}
