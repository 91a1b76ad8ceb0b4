import { Badge, Button, Card, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { LANGUAGE_NAMES } from '../../../web/i18n';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import type { SubmissionStatus } from '../library.vocab';
import { AttachmentList, EntryBadges, MeasuresTable, libraryKey } from './bits';
import type { SubmissionT, VersionSummaryT } from './types';

const VERSION_COLOR: Record<SubmissionStatus, string> = {
  submitted: 'orange',
  published: 'teal',
  rejected: 'red',
  superseded: 'gray',
  unpublished: 'dark',
};

/** A submitted version's content, as the Secretariat moderates it and the history shows it. */
export function SubmissionBody({
  submission: s,
  attachmentHref,
}: {
  submission: SubmissionT;
  attachmentHref: (id: string) => string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Stack gap="xs" lang={s.language} dir="auto">
        <Text style={{ whiteSpace: 'pre-wrap' }}>{s.summary}</Text>
        <Block title={t('library.whatDone')} text={s.whatDone} />
        <Block title={t('library.whatChanged')} text={s.whatChanged} />
      </Stack>
      {s.measures.length > 0 && <MeasuresTable measures={s.measures} />}
      <AttachmentList attachments={s.attachments} href={attachmentHref} />
      {s.translations.map((x) => (
        <Card key={x.language} withBorder padding="sm" data-testid="library-version-translation">
          <Text size="xs" c="dimmed">
            {t('library.translationIn', { language: LANGUAGE_NAMES[x.language] })}
          </Text>
          <Stack gap={4} lang={x.language} dir="auto">
            <Text fw={600}>{x.title}</Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {x.summary}
            </Text>
            <Block title={t('library.whatDone')} text={x.whatDone} />
            <Block title={t('library.whatChanged')} text={x.whatChanged} />
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function Block({ title, text }: { title: string; text: string }): ReactNode {
  if (!text) return null;
  return (
    <>
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
    </>
  );
}

/**
 * An entry's submitted versions, newest first, each with its decision; any one opens as it was
 * submitted. `base` is the contributor's route (/api/library/entries/:id) or the Secretariat's
 * (/api/library/moderation/entries/:id); the server answers 404 to anyone else.
 */
export function VersionHistory({
  base,
  attachmentHref,
}: {
  base: string;
  attachmentHref: (s: SubmissionT, id: string) => string;
}): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const [open, setOpen] = useState<number | null>(null);
  const versions = useQuery({
    queryKey: [...libraryKey, 'versions', base],
    queryFn: ({ signal }) => api.get<Items<VersionSummaryT>>(`${base}/versions`, { signal }),
  });
  if (versions.isPending) return <PageLoader />;
  if (versions.isError) return <QueryError error={versions.error} onRetry={() => versions.refetch()} />;
  if (versions.data.items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="library-versions">
      <Text fw={600}>{t('library.versionsTitle')}</Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('library.versionCol')}</Table.Th>
            <Table.Th>{t('library.statusCol')}</Table.Th>
            <Table.Th>{t('library.submittedCol')}</Table.Th>
            <Table.Th>{t('library.decisionCol')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {versions.data.items.map((v) => (
            <Table.Tr key={v.id} data-testid="library-version">
              <Table.Td>
                {t('library.revision', { revision: v.revision })}
                {v.current && (
                  <Badge ms="xs" size="sm" variant="filled" color="teal.9">
                    {t('library.currentVersion')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>
                <Badge color={VERSION_COLOR[v.status]} variant="light">
                  {t(`library.versionStatus.${v.status}`)}
                </Badge>
              </Table.Td>
              <Table.Td>{f.date(v.submittedAt)}</Table.Td>
              <Table.Td>
                {v.decidedAt ? f.date(v.decidedAt) : '—'}
                {v.reason && (
                  <Text size="xs" c="dimmed" dir="auto">
                    {v.reason}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Button
                  size="xs"
                  variant="subtle"
                  aria-label={t('library.viewVersion', { revision: v.revision })}
                  onClick={() => setOpen(v.revision)}
                >
                  {t('library.view')}
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {open !== null && (
        <OldVersion
          url={`${base}/versions/${open}`}
          onClose={() => setOpen(null)}
          attachmentHref={attachmentHref}
        />
      )}
    </Stack>
  );
}

function OldVersion({
  url,
  onClose,
  attachmentHref,
}: {
  url: string;
  onClose: () => void;
  attachmentHref: (s: SubmissionT, id: string) => string;
}): ReactNode {
  const { t } = useTranslation();
  const v = useQuery({
    queryKey: [...libraryKey, 'version', url],
    queryFn: ({ signal }) => api.get<SubmissionT>(url, { signal }),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={v.data ? `${t('library.revision', { revision: v.data.revision })} · ${v.data.title}` : ''}
      closeButtonProps={{ 'aria-label': t('library.close') }}
    >
      {v.isPending ? (
        <PageLoader />
      ) : v.isError ? (
        <QueryError error={v.error} onRetry={() => v.refetch()} />
      ) : (
        <Stack data-testid="library-old-version">
          <Group gap="xs">
            <Badge color={VERSION_COLOR[v.data.status]} variant="light">
              {t(`library.versionStatus.${v.data.status}`)}
            </Badge>
          </Group>
          <EntryBadges type={v.data.type} language={v.data.language} factors={v.data.factors} />
          <SubmissionBody submission={v.data} attachmentHref={(id) => attachmentHref(v.data, id)} />
        </Stack>
      )}
    </Modal>
  );
}
