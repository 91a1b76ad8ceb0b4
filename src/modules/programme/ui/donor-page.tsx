import { Anchor, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ActivitiesTable, AgreementsTable, programmeKey, ReportLinks } from './bits';
import { DonorFundingCharts } from './charts';
import { PlanSection } from './plan-section';
import { SharedReports } from './records';
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
            <DonorFundingCharts agreements={data.data.agreements} />
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
                <Stack mt="sm">
                  <PlanSection base="/api/programme/donor/partnerships" id={p.id} manage={false} />
                </Stack>
              </Paper>
            ))}
          </Stack>
          <Stack>
            <Title order={2} size="h4">
              {t('programme.activitiesTitle')}
            </Title>
            <ActivitiesTable
              items={data.data.activities}
              reports={(a) => <SharedReports reader="donor" activityId={a.id} />}
            />
          </Stack>
        </Stack>
      )}
    </Container>
  );
}
