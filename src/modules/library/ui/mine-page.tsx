import { Container, Group, Stack, Table, Text } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Items } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { LibraryTabs, StatusBadge, libraryKey } from './bits';
import type { EntryT } from './types';

export function LibraryMinePage(): ReactNode {
  return (
    <RequirePermission permission="library.contribute">
      <Mine />
    </RequirePermission>
  );
}

function Mine(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const list = useQuery({
    queryKey: [...libraryKey, 'entries'],
    queryFn: ({ signal }) => api.get<Items<EntryT>>('/api/library/entries', { signal }),
  });
  return (
    <Container size="lg" px={0}>
      <PageHeader
        title={t('library.mineTitle')}
        description={t('library.mineIntro')}
        actions={
          <ButtonLink
            to="/library/entries/new"
            leftSection={<IconPlus size={16} aria-hidden />}
            data-testid="library-new"
          >
            {t('library.newEntry')}
          </ButtonLink>
        }
      />
      <LibraryTabs current="mine" />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('library.noEntries')}</Text>
      ) : (
        <ScrollTable minWidth={640} label={t('library.mineTitle')}>
          <Table data-testid="library-mine">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('library.entryTitle')}</Table.Th>
                <Table.Th>{t('library.statusCol')}</Table.Th>
                <Table.Th>{t('library.publishedCol')}</Table.Th>
                <Table.Th>{t('library.updatedCol')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>
                    <AnchorLink to="/library/entries/$id" params={{ id: e.id }} lang={e.language} dir="auto">
                      {e.title}
                    </AnchorLink>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      <Group gap={4}>
                        <StatusBadge status={e.status} />
                      </Group>
                      {e.rejectionReason && (
                        <Text size="xs" c="red">
                          {e.rejectionReason}
                        </Text>
                      )}
                    </Stack>
                  </Table.Td>
                  <Table.Td>
                    {e.publishedRevision ? (
                      <AnchorLink to="/library/$id" params={{ id: e.id }}>
                        {t('library.revision', { revision: e.publishedRevision })}
                      </AnchorLink>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td>{f.dateTime(e.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
    </Container>
  );
}
