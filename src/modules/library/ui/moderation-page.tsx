import { Accordion, Button, Container, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { EntryBadges, LibraryTabs, libraryKey } from './bits';
import type { SubmissionT } from './types';
import { SubmissionBody, VersionHistory } from './versions';

export function LibraryModerationPage(): ReactNode {
  return (
    <RequirePermission permission="library.moderate">
      <Queue />
    </RequirePermission>
  );
}

const queueKey = [...libraryKey, 'moderation'] as const;

function Queue(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const queue = useQuery({
    queryKey: queueKey,
    queryFn: ({ signal }) => api.get<Items<SubmissionT>>('/api/library/moderation', { signal }),
  });
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t('library.moderationTitle')} description={t('library.moderationIntro')} />
      <LibraryTabs current="moderation" />
      {queue.isPending ? (
        <PageLoader />
      ) : queue.isError ? (
        <QueryError error={queue.error} onRetry={() => queue.refetch()} />
      ) : queue.data.items.length === 0 ? (
        <Text c="dimmed" data-testid="library-queue-empty">
          {t('library.queueEmpty')}
        </Text>
      ) : (
        <Accordion variant="separated" data-testid="library-queue">
          {queue.data.items.map((s) => (
            <Accordion.Item key={s.id} value={s.id}>
              <Accordion.Control>
                <Text fw={600} lang={s.language} dir="auto">
                  {s.title}
                </Text>
                <Text size="sm" c="dimmed">
                  {t('library.submittedLine', {
                    organisation: s.organisation,
                    date: f.dateTime(s.submittedAt),
                    revision: s.revision,
                  })}
                  {s.anonymous ? ` · ${t('library.anonymousRequested')}` : ''}
                </Text>
              </Accordion.Control>
              <Accordion.Panel>
                <Review submission={s} onReload={() => queue.refetch()} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Container>
  );
}

function Review({
  submission: s,
  onReload,
}: {
  submission: SubmissionT;
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [reason, setReason] = useState('');
  const decide = useMutation({
    mutationFn: (decision: 'publish' | 'reject') =>
      api.post<SubmissionT>(`/api/library/moderation/${s.id}/decision`, {
        version: s.version,
        decision,
        ...(decision === 'reject' ? { reason: reason.trim() } : {}),
      }),
    onSuccess: (r) => {
      qc.invalidateQueries({ queryKey: libraryKey });
      notifySuccess(t(r.status === 'published' ? 'library.publishedToast' : 'library.rejectedToast'));
    },
  });
  return (
    <Stack>
      <EntryBadges type={s.type} language={s.language} factors={s.factors} />
      {s.publishedRevision && (
        <Text size="sm">{t('library.replaces', { revision: s.publishedRevision })}</Text>
      )}
      <SubmissionBody
        submission={s}
        attachmentHref={(id) => `/api/library/moderation/${s.id}/attachments/${id}`}
      />
      <Textarea
        label={t('library.reason')}
        description={t('library.reasonHelp')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        maxLength={2000}
        autosize
        minRows={2}
        data-testid="library-reason"
      />
      <SaveError error={decide.error} onReload={onReload} />
      <Group>
        <Button
          loading={decide.isPending && decide.variables === 'publish'}
          onClick={() => decide.mutate('publish')}
          data-testid="library-publish"
        >
          {t('library.publish')}
        </Button>
        <Button
          color="red"
          variant="light"
          disabled={!reason.trim()}
          loading={decide.isPending && decide.variables === 'reject'}
          onClick={() => decide.mutate('reject')}
          data-testid="library-reject"
        >
          {t('library.reject')}
        </Button>
      </Group>
      <VersionHistory
        base={`/api/library/moderation/entries/${s.entryId}`}
        attachmentHref={(v, id) => `/api/library/moderation/${v.id}/attachments/${id}`}
      />
    </Stack>
  );
}
