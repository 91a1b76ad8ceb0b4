import { Badge, Card, Group, Paper, SimpleGrid, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconBooks, IconScale } from '@tabler/icons-react';
import { type ReactNode, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FactorSummaryT } from '../../../web/types';
import { Chart, type ChartOption } from '../../../web/ui-kit/chart';
import { useFormat } from '../../../web/ui-kit/format';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { UncacChips, VerificationBadge } from './bits';
import { useFactors } from './queries';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';

function FactorCard({ factor }: { factor: FactorSummaryT }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const titleId = `factor-title-${factor.number}`;
  return (
    <Card
      withBorder
      padding="lg"
      radius="md"
      className="factor-card"
      data-testid={`factor-card-${factor.number}`}
      component="article"
      aria-labelledby={titleId}
    >
      <Stack gap="sm" style={{ flex: 1 }}>
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Badge size="lg" variant="filled" circle aria-hidden>
            {fmt.number(factor.number)}
          </Badge>
          <VerificationBadge value={factor.verification} />
        </Group>
        <Title order={2} size="h4" id={titleId}>
          <AnchorLink to="/standards/factors/$number" params={{ number: factor.number }} c="inherit" fw={650}>
            <VisuallyHidden>{`${t('standards.factorNumber', { number: fmt.number(factor.number) })}: `}</VisuallyHidden>
            {factor.name}
          </AnchorLink>
        </Title>
        {factor.description && (
          <Text size="sm" c="dimmed" lineClamp={4} dir="auto">
            {factor.description}
          </Text>
        )}
        <UncacChips refs={factor.uncac} />
      </Stack>
      <Group justify="space-between" mt="md">
        <Text size="sm">
          {t('standards.itemCount', { count: factor.itemCount, formatted: fmt.number(factor.itemCount) })}
        </Text>
      </Group>
    </Card>
  );
}

function ItemsChart({ factors }: { factors: FactorSummaryT[] }): ReactNode {
  const { t } = useTranslation();
  const fmt = useFormat();
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 40, right: 40, top: 24, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: factors.map((f) => fmt.number(f.number)),
        name: t('standards.chartFactorAxis'),
        nameLocation: 'middle',
        nameGap: 24,
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('standards.chartSeries'),
          data: factors.map((f) => ({ value: f.itemCount, name: f.name })),
          barMaxWidth: 36,
        },
      ],
    }),
    [factors, t, fmt],
  );
  const summary = factors.map((f) => `${f.number}: ${f.itemCount}`).join(', ');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="items-chart-title">
      <Title order={2} size="h4" id="items-chart-title" mb="xs">
        {t('standards.chartTitle')}
      </Title>
      <Chart option={option} label={t('standards.chartLabel', { summary })} height={240} />
    </Paper>
  );
}

export function FactorsPage(): ReactNode {
  const { t } = useTranslation();
  const factors = useFactors();
  return (
    <>
      <PageHeader
        title={t('standards.title')}
        description={t('standards.intro')}
        actions={
          <>
            <ButtonLink
              to="/standards/uncac"
              variant="default"
              leftSection={<IconScale size={16} aria-hidden />}
            >
              {t('nav.uncac')}
            </ButtonLink>
            <ButtonLink
              to="/standards/libraries"
              variant="default"
              leftSection={<IconBooks size={16} aria-hidden />}
            >
              {t('nav.libraries')}
            </ButtonLink>
          </>
        }
      />
      <RequirePermission permission="standards.read">
        {factors.isPending ? (
          <PageLoader />
        ) : factors.isError ? (
          <QueryError error={factors.error} onRetry={() => void factors.refetch()} />
        ) : (
          <Stack gap="lg">
            <SimpleGrid
              cols={{ base: 1, sm: 2, lg: 3, xl: 4 }}
              spacing="md"
              aria-busy={factors.isPlaceholderData}
            >
              {factors.data.items.map((f) => (
                <FactorCard key={f.number} factor={f} />
              ))}
            </SimpleGrid>
            <ItemsChart factors={factors.data.items} />
          </Stack>
        )}
      </RequirePermission>
    </>
  );
}
