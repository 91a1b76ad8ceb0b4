import { Alert, Anchor, Container, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import type { MyEoi } from '../programme.records.contract';
import { programmeKey, StatusBadge, useMoney } from './bits';
import { EOI_ACCEPT, EoiContent, FileLinks, FileUpload } from './records';

type MyEoiT = z.infer<typeof MyEoi>;

/** My administration's expression of interest, read-only: what was sent, its status and the Secretariat's decisions. */
export function ProgrammeInterestEoiPage(): ReactNode {
  return (
    <RequirePermission permission="programme.submit">
      <MyEoiView />
    </RequirePermission>
  );
}

function MyEoiView(): ReactNode {
  const { t } = useTranslation();
  const { id } = useParams({ strict: false }) as { id: string };
  const eoi = useQuery({
    queryKey: [...programmeKey, 'mine', 'eoi', id],
    queryFn: ({ signal }) => api.get<MyEoiT>(`/api/programme/mine/eois/${id}`, { signal }),
  });
  return (
    <Container size="lg" px={0}>
      <PageHeader title={t('programme.records.myEoiTitle')} description={t('programme.records.myEoiIntro')} />
      <Anchor component={Link} to="/programme/interest" size="sm" mb="md" display="block">
        {t('programme.records.backToInterest')}
      </Anchor>
      {eoi.isPending ? (
        <PageLoader />
      ) : eoi.isError ? (
        <QueryError error={eoi.error} onRetry={() => eoi.refetch()} />
      ) : (
        <EoiDetail eoi={eoi.data} />
      )}
    </Container>
  );
}

function EoiDetail({ eoi }: { eoi: MyEoiT }): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const money = useMoney();
  const declined = eoi.status === 'declined' ? eoi.events.findLast((e) => e.to === 'declined') : undefined;
  return (
    <Stack gap="lg" data-testid="programme-my-eoi">
      <Paper withBorder p="md">
        <Group justify="space-between">
          <Group>
            <StatusBadge status={eoi.status} />
            <Text size="sm">{t('programme.submittedOn', { date: f.date(eoi.submittedAt) })}</Text>
          </Group>
          {eoi.estimatedCost && (
            <Text size="sm">
              {t('programme.estimatedCost')}: {money(eoi.estimatedCost)}
            </Text>
          )}
        </Group>
        {declined && (
          <Alert
            color="red"
            variant="light"
            mt="md"
            title={t('programme.records.declinedOn', { date: f.date(declined.decidedOn) })}
          >
            <Text size="sm" data-testid="programme-declined-reason">
              {declined.reason}
            </Text>
          </Alert>
        )}
      </Paper>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('programme.history')}
        </Title>
        {eoi.events.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('programme.records.noDecision')}
          </Text>
        ) : (
          <Table data-testid="programme-my-eoi-history">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('programme.decidedOn')}</Table.Th>
                <Table.Th>{t('programme.records.step')}</Table.Th>
                <Table.Th>{t('programme.reason')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {eoi.events.map((e) => (
                <Table.Tr key={e.at}>
                  <Table.Td>{f.date(e.decidedOn)}</Table.Td>
                  <Table.Td>
                    {t(`programme.status.${e.from}`)} → {t(`programme.status.${e.to}`)}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{e.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Paper withBorder p="md">
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('programme.records.whatWasSent')}
          </Title>
          <EoiContent eoi={eoi} />
          <Stack gap={2}>
            <Text fw={600} size="sm">
              {t('programme.records.attachments')}
            </Text>
            <FileLinks
              files={eoi.attachments}
              href={(x) => `/api/programme/mine/eois/${eoi.id}/attachments/${x.id}`}
            />
          </Stack>
          {eoi.canAttach ? (
            <FileUpload
              url="/api/programme/eoi-attachments"
              fields={{ eoiId: eoi.id }}
              accept={EOI_ACCEPT}
              label={t('programme.records.addFile')}
              testId="programme-eoi-file"
            />
          ) : (
            <Text size="xs" c="dimmed">
              {t('programme.records.readOnly')}
            </Text>
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}
