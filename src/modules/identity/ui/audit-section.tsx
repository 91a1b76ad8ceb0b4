import { Button, Code, Group, Stack, Table, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { Section } from '../../../web/ui-kit/section';
import { auditKey, useMembers } from './queries';

/** One entry of GET /api/organisation/audit. */
export interface AuditEntryT {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  data: unknown;
}

const PAGE_SIZE = 50;

/** Actions with a translated label; any other action is shown as sent. */
const ACTION_LABELS = {
  'identity.member.roles_changed': 'audit.actions.identity_member_roles_changed',
  'identity.member.invited': 'audit.actions.identity_member_invited',
  'identity.member.joined': 'audit.actions.identity_member_joined',
  'identity.member.added': 'audit.actions.identity_member_added',
  'identity.unit.created': 'audit.actions.identity_unit_created',
  'identity.unit.updated': 'audit.actions.identity_unit_updated',
  'identity.token.created': 'audit.actions.identity_token_created',
  'identity.token.revoked': 'audit.actions.identity_token_revoked',
  'standards.library.loaded': 'audit.actions.standards_library_loaded',
} as const;

function actionLabel(t: TFunction, action: string): string {
  return Object.hasOwn(ACTION_LABELS, action)
    ? t(ACTION_LABELS[action as keyof typeof ACTION_LABELS])
    : action;
}

function shortId(id: string): string {
  // UUIDv7 ids share their (time-based) start: the end tells them apart.
  return id.length > 8 ? `…${id.slice(-8)}` : id;
}

function useAuditLog() {
  return useInfiniteQuery({
    queryKey: auditKey,
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam !== undefined) params.set('before', String(pageParam));
      return api.get<Items<AuditEntryT>>(`/api/organisation/audit?${params}`, { signal });
    },
    getNextPageParam: (last) =>
      last.items.length < PAGE_SIZE ? undefined : Math.min(...last.items.map((e) => e.seq)),
  });
}

function AuditData({ data }: { data: unknown }): ReactNode {
  const { t } = useTranslation();
  if (data === null || data === undefined || (typeof data === 'object' && Object.keys(data).length === 0)) {
    return (
      <Text size="sm" c="dimmed">
        {t('audit.noData')}
      </Text>
    );
  }
  return (
    <details className="audit-data">
      <summary>{t('audit.showData')}</summary>
      <Code block dir="ltr" fz="xs">
        {JSON.stringify(data, null, 2)}
      </Code>
    </details>
  );
}

export function AuditSection(): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const log = useAuditLog();
  const members = useMembers();
  const names = new Map(
    (members.data?.items ?? []).flatMap((m) => [[m.userId, m.name] as const, [m.id, m.name] as const]),
  );
  const actor = (id: string | null): ReactNode => {
    if (!id) return t('audit.system');
    const name = names.get(id);
    return (
      name ?? (
        <Code fz="xs" title={id} dir="ltr">
          {shortId(id)}
        </Code>
      )
    );
  };
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Section
      title={t('audit.title')}
      description={
        <>
          {t('audit.description')}{' '}
          <Trans
            i18nKey="audit.tamperEvident"
            values={{ command: 'npx arusha audit verify' }}
            components={{ code: <Code dir="ltr" /> }}
          />
        </>
      }
    >
      {log.isPending ? (
        <PageLoader />
      ) : !log.data ? (
        <QueryError error={log.error} onRetry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <Text size="sm">{t('audit.none')}</Text>
      ) : (
        <Stack gap="sm">
          <ScrollTable minWidth={720} label={t('audit.title')}>
            <Table striped verticalSpacing="sm">
              <Table.Caption>{t('audit.caption')}</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('audit.time')}</Table.Th>
                  <Table.Th scope="col">{t('audit.actor')}</Table.Th>
                  <Table.Th scope="col">{t('audit.action')}</Table.Th>
                  <Table.Th scope="col">{t('audit.entity')}</Table.Th>
                  <Table.Th scope="col">{t('audit.details')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <Table.Tr key={e.seq}>
                    <Table.Td>
                      <time dateTime={e.at}>{fmt.dateTime(e.at)}</time>
                    </Table.Td>
                    <Table.Td>{actor(e.actorId)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" title={e.action}>
                        {actionLabel(t, e.action)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="wrap">
                        <Text size="sm">{e.entityType}</Text>
                        {e.entityId && (
                          <Code fz="xs" title={e.entityId} dir="ltr">
                            {shortId(e.entityId)}
                          </Code>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <AuditData data={e.data} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
          {log.isFetchNextPageError && <ProblemAlert error={log.error} />}
          {log.hasNextPage ? (
            <Group>
              <Button
                variant="default"
                leftSection={<IconHistory size={16} aria-hidden />}
                loading={log.isFetchingNextPage}
                onClick={() => void log.fetchNextPage()}
              >
                {t('audit.loadOlder')}
              </Button>
            </Group>
          ) : (
            <Text size="sm" c="dimmed">
              {t('audit.end')}
            </Text>
          )}
        </Stack>
      )}
    </Section>
  );
}
