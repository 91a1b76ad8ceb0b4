import { Anchor, Button, Container, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ActivitiesTable, AgreementsTable, programmeKey } from './bits';
import type { DonorDashboardT } from './types';

export function ProgrammeDonorPage(): ReactNode {
  return (
    <RequirePermission permission="programme.donor_read">
      <Dashboard />
    </RequirePermission>
  );
}

function Dashboard(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const data = useQuery({
    queryKey: [...programmeKey, 'donor'],
    queryFn: ({ signal }) => api.get<DonorDashboardT>('/api/programme/donor/dashboard', { signal }),
  });
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('programme.donorTitle')} description={t('programme.donorIntro')} />
      {data.isPending ? (
        <PageLoader />
      ) : data.isError ? (
        <QueryError error={data.error} onRetry={() => data.refetch()} />
      ) : data.data.donors.length === 0 ? (
        <Text c="dimmed" data-testid="programme-not-linked">
          {t('programme.notLinked')}
        </Text>
      ) : (
        <Stack gap="xl">
          <ReportLinks />
          <Stack>
            <Title order={2} size="h4">
              {t('programme.agreements')}
            </Title>
            <AgreementsTable items={data.data.agreements} />
          </Stack>
          <Stack>
            <Title order={2} size="h4">
              {t('programme.partners')}
            </Title>
            {data.data.partnerships.map((p) => (
              <Paper withBorder p="sm" key={p.id}>
                <Text fw={600}>{p.organisation}</Text>
                <Anchor component={Link} to={`/programme/results/${p.id}`} size="sm">
                  {t('programme.results.title')}
                </Anchor>
                <Text size="sm" c="dimmed">
                  {[p.region, `${f.date(p.startsOn)} – ${f.date(p.endsOn)}`].filter(Boolean).join(' · ')}
                </Text>
                {p.benchmarks.map((b) => (
                  <Text size="sm" key={b.title}>
                    {b.title} — {t(`programme.benchmarkStatus.${b.status}`)}
                  </Text>
                ))}
              </Paper>
            ))}
          </Stack>
          <Stack>
            <Title order={2} size="h4">
              {t('programme.activitiesTitle')}
            </Title>
            <ActivitiesTable items={data.data.activities} />
          </Stack>
        </Stack>
      )}
    </Container>
  );
}

/**
 * A donor's report for a period in every format: the donor's own (default), or the Secretariat's
 * copy of one donor's (`donorId`; no IATI button — the Secretariat downloads the whole programme's).
 */
export function ReportLinks({ donorId }: { donorId?: string }): ReactNode {
  const { t } = useTranslation();
  const year = new Date().getUTCFullYear();
  const [from, setFrom] = useState(`${year}-01-01`);
  const [to, setTo] = useState(`${year}-12-31`);
  const base = donorId ? `/api/programme/donors/${donorId}/report` : '/api/programme/donor/report';
  const href = (format: string) => `${base}?from=${from}&to=${to}&format=${format}`;
  return (
    <Paper withBorder p="md">
      <Group align="flex-end">
        <Text fw={600}>{t('programme.report')}</Text>
        <TextInput
          type="date"
          label={t('programme.startsOn')}
          value={from}
          onChange={(e) => setFrom(e.currentTarget.value)}
        />
        <TextInput
          type="date"
          label={t('programme.endsOn')}
          value={to}
          onChange={(e) => setTo(e.currentTarget.value)}
        />
        <Button component="a" href={href('xlsx')} download data-testid="programme-report-xlsx">
          {t('programme.downloadXlsx')}
        </Button>
        <Button component="a" href={href('csv')} download variant="default">
          {t('programme.downloadCsv')}
        </Button>
        <Button
          component="a"
          href={href('pdf')}
          download
          variant="default"
          data-testid="programme-report-pdf"
        >
          {t('programme.downloadPdf')}
        </Button>
        <Button component="a" href={href('html')} target="_blank" rel="noopener" variant="subtle">
          {t('programme.printView')}
        </Button>
        {!donorId && (
          <Button
            component="a"
            href="/api/programme/donor/iati.xml"
            download
            variant="default"
            title={t('programme.downloadIatiHint')}
          >
            {t('programme.downloadIati')}
          </Button>
        )}
      </Group>
    </Paper>
  );
}
