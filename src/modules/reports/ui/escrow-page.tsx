import { Alert, Button, Container, Grid, Stack, Text } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader } from '../../../web/ui-kit/page-state';
import { ProblemAlert } from '../../../web/ui-kit/problem-errors';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { Section } from '../../../web/ui-kit/section';
import { StatusBadge } from './bits';
import { AccessHistory, useEscrowNotice } from './escrow';
import { Files } from './files';
import { KeyBanner, LockButton } from './keys';
import { keysProblem } from './queries';
import { Answers, MessageList } from './report-page';
import type { ReportDetailT } from './types';

/**
 * A custodian opens a report through the escrow key: an explicit action (a button, never on page
 * load), written to the audit trail with the report's id and shown in its access history.
 * Read-only: working the report needs an assignment.
 */
export function EscrowReportPage(): ReactNode {
  return (
    <RequirePermission permission="reports.handle">
      <EscrowOpen />
    </RequirePermission>
  );
}

function EscrowOpen(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const { id } = useParams({ strict: false }) as { id: string };
  const notice = useEscrowNotice();
  const open = useMutation({
    mutationFn: () => api.post<ReportDetailT>(`/api/reports/${id}/open-via-escrow`),
  });
  const crumbs = [{ label: t('reports.inbox.title'), to: '/reports' as const }];
  if (notice.isPending) return <PageLoader />;
  const d = open.data;
  return (
    <Container size="xl" px={0}>
      <PageHeader
        title={
          d
            ? t('reports.report.title', { received: f.dateTime(d.receivedAt) })
            : t('reports.escrow.openTitle')
        }
        description={d?.channel}
        crumbs={crumbs}
        actions={d ? <StatusBadge status={d.status} /> : <LockButton />}
      />
      {!d ? (
        <Stack>
          <Alert icon={<IconShieldLock aria-hidden />} color="orange" title={t('reports.escrow.openTitle')}>
            <Stack gap="xs">
              <Text size="sm">{t('reports.escrow.openWarning')}</Text>
              {!notice.data?.custodian && <Text size="sm">{t('reports.escrow.notCustodian')}</Text>}
            </Stack>
          </Alert>
          {keysProblem(open.error) ? <KeyBanner /> : open.error && <ProblemAlert error={open.error} />}
          <Button
            w="fit-content"
            leftSection={<IconShieldLock size={16} aria-hidden />}
            loading={open.isPending}
            disabled={!notice.data?.custodian}
            onClick={() => open.mutate()}
            data-testid="escrow-open"
          >
            {t('reports.escrow.open')}
          </Button>
        </Stack>
      ) : (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="lg">
              <Alert color="orange" variant="light" icon={<IconShieldLock aria-hidden />}>
                {t('reports.escrow.openedVia')}
              </Alert>
              <Answers d={d} />
              <Section title={t('reports.messages.title')}>
                <Stack gap="sm">
                  <MessageList messages={d.messages} />
                </Stack>
              </Section>
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="lg">
              <Files reportId={id} closed via="escrow" />
              <AccessHistory d={d} />
            </Stack>
          </Grid.Col>
        </Grid>
      )}
    </Container>
  );
}
