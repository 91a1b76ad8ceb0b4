import { Anchor, Button, Container, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { IconBan, IconSearch } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Items, api } from '../../../web/api';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import type { OrgCertificate } from '../learning.certificates.contract';
import { learningKey } from './queries';
import { RevokeModal, type RevokeTarget } from './revoke-modal';

// The organisation's certificates, for learning managers and report readers: who, which course
// and version, when, the code (linked to the public verification page) and whether it was
// revoked. Managers revoke from here.

export function CertificatesPage(): ReactNode {
  return (
    <RequirePermission permission="learning.reports">
      <Certificates />
    </RequirePermission>
  );
}

function Certificates(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCan('learning.manage');
  const [search, setSearch] = useState('');
  const [revoking, setRevoking] = useState<RevokeTarget | null>(null);
  const list = useQuery({
    queryKey: [...learningKey, 'certificates', 'organisation'],
    queryFn: ({ signal }) => api.get<Items<OrgCertificate>>('/api/learning/certificates', { signal }),
  });
  const shown = useMemo(() => {
    const q = search.trim().toLowerCase();
    const items = list.data?.items ?? [];
    return q
      ? items.filter((c) =>
          [c.learner, c.course, c.code, c.unit ?? ''].some((s) => s.toLowerCase().includes(q)),
        )
      : items;
  }, [list.data, search]);
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={t('learning.certificates.title')}
        description={t('learning.certificates.intro')}
        crumbs={[{ label: t('learning.reportsTitle'), to: '/learning/reports' }]}
      />
      <TextInput
        label={t('learning.certificates.search')}
        leftSection={<IconSearch size={16} aria-hidden />}
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        maw={420}
        mb="md"
        data-testid="certificates-search"
      />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : shown.length === 0 ? (
        <Text c="dimmed">{t('learning.certificates.none')}</Text>
      ) : (
        <ScrollTable minWidth={1040} label={t('learning.certificates.title')}>
          <Table striped fz="sm" data-testid="certificates-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('learning.learner')}</Table.Th>
                <Table.Th scope="col">{t('learning.unit')}</Table.Th>
                <Table.Th scope="col">{t('learning.course')}</Table.Th>
                <Table.Th scope="col">{t('learning.certificates.version')}</Table.Th>
                <Table.Th scope="col">{t('learning.certificates.completedOn')}</Table.Th>
                <Table.Th scope="col">{t('learning.certificates.code')}</Table.Th>
                <Table.Th scope="col">{t('learning.status')}</Table.Th>
                {canManage && (
                  <Table.Th scope="col">
                    <VisuallyHidden>{t('learning.certificates.actions')}</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((c) => (
                <Table.Tr key={c.id} data-testid={`certificate-row-${c.code}`}>
                  <Table.Td>{c.learner}</Table.Td>
                  <Table.Td>{c.unit ?? '—'}</Table.Td>
                  <Table.Td dir="auto">{c.course}</Table.Td>
                  <Table.Td>{f.number(c.version)}</Table.Td>
                  <Table.Td>{f.date(c.completedOn)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Anchor href={`/verify/${c.code}`} target="_blank" ff="monospace" fz="sm" dir="ltr">
                      {c.code}
                    </Anchor>
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {c.revoked ? (
                      <Text size="sm" fw={600} c="red.8" data-status="revoked">
                        {t('learning.certificates.revokedOn', { date: f.date(c.revokedAt) })}
                      </Text>
                    ) : (
                      <Text size="sm" fw={600} c="teal.9" data-status="valid">
                        {t('learning.certificates.valid')}
                      </Text>
                    )}
                  </Table.Td>
                  {canManage && (
                    <Table.Td>
                      {!c.revoked && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          color="red"
                          leftSection={<IconBan size={12} aria-hidden />}
                          onClick={() =>
                            setRevoking({ id: c.id, userName: c.learner, courseTitle: c.course })
                          }
                          aria-label={t('learning.certificates.revokeOf', { name: c.learner, code: c.code })}
                          data-testid={`certificate-revoke-${c.code}`}
                        >
                          {t('learning.revoke')}
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      <RevokeModal certificate={revoking} onClose={() => setRevoking(null)} />
    </Container>
  );
}
