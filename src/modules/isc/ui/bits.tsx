import { Badge, Button, Checkbox, Group, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import type { RecommendationStatus, SessionStatus, WorkStatus } from '../isc.vocab';

export const iscKey = ['isc'] as const;

/** Badges keep their whole label: in Arabic, the measured width falls short and Mantine would cut it. */
export const FULL_LABEL = { label: { overflow: 'visible', textOverflow: 'clip' } } as const;

export function IscTabs({ current }: { current: 'sessions' | 'work' | 'recommendations' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('isc.tabsLabel')}
      current={current}
      tabs={[
        { id: 'sessions', to: '/isc', label: t('isc.sessionsTab') },
        { id: 'work', to: '/isc/work', label: t('isc.workTab') },
        { id: 'recommendations', to: '/isc/recommendations', label: t('isc.recommendationsTab') },
      ]}
    />
  );
}

/** Whether the caller writes (the Secretariat with isc.manage): the server decides. */
export function useCanManage(): boolean {
  const caps = useQuery({
    queryKey: [...iscKey, 'capabilities'],
    queryFn: ({ signal }) => api.get<{ canManage: boolean }>('/api/isc/capabilities', { signal }),
  });
  return caps.data?.canManage === true;
}

export function ReadOnlyNote({ canManage }: { canManage: boolean }): ReactNode {
  const { t } = useTranslation();
  return canManage ? null : (
    <Text size="sm" c="dimmed" mb="md">
      {t('isc.readOnly')}
    </Text>
  );
}

/** A list page's top: its header with the Secretariat's 'New …' button, the tabs, the read-only note. */
export function IscListHeader(props: {
  title: string;
  description: string;
  current: 'sessions' | 'work' | 'recommendations';
  canManage: boolean;
  newLabel: string;
  onNew: () => void;
}): ReactNode {
  return (
    <>
      <PageHeader
        title={props.title}
        description={props.description}
        actions={
          props.canManage && (
            <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={props.onNew}>
              {props.newLabel}
            </Button>
          )
        }
      />
      <IscTabs current={props.current} />
      <ReadOnlyNote canManage={props.canManage} />
    </>
  );
}

/** A create form: its fields, the server's refusal, then Create and Cancel. */
export function CreateForm(props: {
  maw: number;
  onSubmit: () => void;
  onCancel: () => void;
  pending: boolean;
  error: Error | null;
  children: ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Stack
      mb="xl"
      maw={props.maw}
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      {props.error && <ProblemAlert error={props.error} />}
      <Group>
        <Button type="submit" loading={props.pending}>
          {t('isc.create')}
        </Button>
        <Button variant="default" onClick={props.onCancel}>
          {t('isc.cancel')}
        </Button>
      </Group>
    </Stack>
  );
}

/** A session's details as the forms hold them (the number as typed). */
export interface SessionDraft {
  number: number | string;
  theme: string;
  startDate: string;
  endDate: string;
  place: string;
  online: boolean;
}

/** What the server takes for a session's details. */
export const sessionBody = (v: SessionDraft) => ({
  ...v,
  number: Number(v.number),
  place: v.place.trim() || null,
});

/** The fields of a session's details, for creating one and for editing it. */
export function SessionFields({ v, setV }: { v: SessionDraft; setV: (v: SessionDraft) => void }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
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
    </>
  );
}

const SESSION_COLOR: Record<SessionStatus, string> = {
  planned: 'gray',
  convened: 'blue',
  held: 'orange',
  minutes_adopted: 'teal',
};
export function SessionStatusBadge({ status }: { status: SessionStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={SESSION_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.status.${status}`)}
    </Badge>
  );
}

export const WORK_COLOR: Record<WorkStatus, string> = {
  planned: 'gray',
  in_progress: 'blue',
  done: 'teal',
  dropped: 'dark',
};
export function WorkStatusBadge({ status }: { status: WorkStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={WORK_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.workStatus.${status}`)}
    </Badge>
  );
}

const RECOMMENDATION_COLOR: Record<RecommendationStatus, string> = {
  proposed: 'gray',
  submitted: 'blue',
  endorsed: 'teal',
  implemented: 'green',
  not_endorsed: 'red',
};
export function RecommendationBadge({ status }: { status: RecommendationStatus }): ReactNode {
  const { t } = useTranslation();
  return (
    <Badge color={RECOMMENDATION_COLOR[status]} variant="light" styles={FULL_LABEL}>
      {t(`isc.recommendationStatus.${status}`)}
    </Badge>
  );
}
