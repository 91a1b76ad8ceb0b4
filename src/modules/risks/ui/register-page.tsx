import { Anchor, Button, Container, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconDownload, IconPlus, IconUpload } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../../web/session';
import { useFormat } from '../../../web/ui-kit/format';
import { AnchorLink, ButtonLink } from '../../../web/ui-kit/links';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import { RISK_FLAGS, RISK_STATUSES } from '../risks.vocab';
import { FlagBadges, RatingBadge } from './bits';
import { type RiskFilters, usePeople, useProcesses, useRisks, useSettings } from './queries';

export function RisksPage(): ReactNode {
  return (
    <RequirePermission permission="risks.read">
      <Register />
    </RequirePermission>
  );
}

export function RisksSubnav(): ReactNode {
  const { t } = useTranslation();
  const canManage = useCan('risks.manage');
  return (
    <Group gap="xs" mb="xs" component="nav" aria-label={t('risks.nav')}>
      <ButtonLink to="/risks" variant="subtle" size="compact-sm">
        {t('risks.register')}
      </ButtonLink>
      <ButtonLink to="/risks/heatmap" variant="subtle" size="compact-sm">
        {t('risks.heatmaps')}
      </ButtonLink>
      <ButtonLink to="/risks/snapshots" variant="subtle" size="compact-sm">
        {t('risks.snapshots')}
      </ButtonLink>
      <ButtonLink to="/risks/processes" variant="subtle" size="compact-sm">
        {t('risks.processes')}
      </ButtonLink>
      <ButtonLink to="/risks/settings" variant="subtle" size="compact-sm">
        {t('risks.matrix')}
      </ButtonLink>
      {canManage && (
        <ButtonLink
          to="/risks/import"
          variant="subtle"
          size="compact-sm"
          leftSection={<IconUpload size={14} aria-hidden />}
        >
          {t('risks.import.title')}
        </ButtonLink>
      )}
    </Group>
  );
}

function Register(): ReactNode {
  const { t } = useTranslation();
  const f = useFormat();
  const canManage = useCan('risks.manage');
  const [filters, setFilters] = useState<RiskFilters>({ status: 'open' });
  const risks = useRisks(filters);
  const processes = useProcesses();
  const people = usePeople();
  const settings = useSettings();
  const set = (k: keyof RiskFilters) => (v: string | null) =>
    setFilters((x) => ({ ...x, [k]: k === 'factor' ? (v ? Number(v) : null) : v }));
  return (
    <Container size="xl" px={0}>
      <RisksSubnav />
      <PageHeader
        title={t('risks.title')}
        description={t('risks.intro')}
        actions={
          <Group gap="xs">
            <Button
              component="a"
              href="/api/risks/export?format=xlsx"
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
              data-testid="risk-export-xlsx"
            >
              {t('risks.exportXlsx')}
            </Button>
            <Button
              component="a"
              href="/api/risks/export?format=csv"
              variant="default"
              leftSection={<IconDownload size={16} aria-hidden />}
            >
              {t('risks.exportCsv')}
            </Button>
            {canManage && (
              <ButtonLink
                to="/risks/new"
                leftSection={<IconPlus size={16} aria-hidden />}
                data-testid="risk-create"
              >
                {t('risks.newRisk')}
              </ButtonLink>
            )}
          </Group>
        }
      />
      <Stack gap="md">
        <Group gap="sm" align="end" wrap="wrap">
          <Select
            label={t('risks.field.process')}
            placeholder={t('risks.all')}
            clearable
            searchable
            w={220}
            data={(processes.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={filters.processId ?? null}
            onChange={set('processId')}
          />
          <Select
            label={t('risks.field.factor')}
            placeholder={t('risks.all')}
            clearable
            w={140}
            data={Array.from({ length: 10 }, (_, i) => ({
              value: String(i + 1),
              label: t('risks.factorN', { n: i + 1 }),
            }))}
            value={filters.factor ? String(filters.factor) : null}
            onChange={set('factor')}
          />
          <Select
            label={t('risks.field.orgUnit')}
            placeholder={t('risks.all')}
            clearable
            searchable
            w={200}
            data={(people.data?.units ?? []).map((u) => ({ value: u.id, label: u.name }))}
            value={filters.orgUnitId ?? null}
            onChange={set('orgUnitId')}
          />
          <Select
            label={t('risks.residualLevel')}
            placeholder={t('risks.all')}
            clearable
            w={150}
            data={(settings.data?.view.levels ?? []).map((l) => ({ value: l.id, label: l.label }))}
            value={filters.level ?? null}
            onChange={set('level')}
          />
          <Select
            label={t('risks.field.flag')}
            placeholder={t('risks.all')}
            clearable
            w={240}
            data={RISK_FLAGS.map((x) => ({ value: x, label: t(`risks.flag.${x}`) }))}
            value={filters.flag ?? null}
            onChange={set('flag')}
          />
          <Select
            label={t('risks.field.status')}
            placeholder={t('risks.all')}
            clearable
            w={130}
            data={RISK_STATUSES.map((x) => ({ value: x, label: t(`risks.status.${x}`) }))}
            value={filters.status ?? null}
            onChange={set('status')}
          />
          <TextInput
            label={t('risks.search')}
            w={200}
            value={filters.q ?? ''}
            onChange={(e) => setFilters((x) => ({ ...x, q: e.currentTarget.value }))}
          />
        </Group>
        {risks.isPending ? (
          <PageLoader />
        ) : risks.isError ? (
          <QueryError error={risks.error} onRetry={() => risks.refetch()} />
        ) : risks.data.items.length === 0 ? (
          <Text c="dimmed">{t('risks.noRisks')}</Text>
        ) : (
          <ScrollTable minWidth={980} label={t('risks.title')}>
            <Table striped highlightOnHover data-testid="risk-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('risks.field.ref')}</Table.Th>
                  <Table.Th scope="col">{t('risks.field.title')}</Table.Th>
                  <Table.Th scope="col">{t('risks.field.process')}</Table.Th>
                  <Table.Th scope="col">{t('risks.inherent')}</Table.Th>
                  <Table.Th scope="col">{t('risks.residual')}</Table.Th>
                  <Table.Th scope="col">{t('risks.field.treatment')}</Table.Th>
                  <Table.Th scope="col">{t('risks.field.nextReviewOn')}</Table.Th>
                  <Table.Th scope="col">{t('risks.flags')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {risks.data.items.map((r) => (
                  <Table.Tr key={r.id}>
                    <Table.Td>
                      <Text size="sm" ff="monospace">
                        {r.ref}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <AnchorLink to="/risks/$id" params={{ id: r.id }} fw={500}>
                        {r.title}
                      </AnchorLink>
                      <Text size="xs" c="dimmed">
                        {t(`risks.scheme.${r.scheme}`)}
                        {r.factors.length > 0 &&
                          ` · ${t('risks.factorsShort', { list: r.factors.join(', ') })}`}
                      </Text>
                    </Table.Td>
                    <Table.Td>{r.process}</Table.Td>
                    <Table.Td>
                      <RatingBadge rating={r.inherent} />
                    </Table.Td>
                    <Table.Td>
                      <RatingBadge rating={r.residual} />
                    </Table.Td>
                    <Table.Td>{t(`risks.treatment.${r.treatment}`)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" c={r.overdue ? 'red' : undefined}>
                        {f.date(r.nextReviewOn)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <FlagBadges flags={r.flags} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollTable>
        )}
        <Text size="xs" c="dimmed">
          {t('risks.countShown', { n: risks.data?.items.length ?? 0 })}{' '}
          <Anchor href="/api/risks/export?format=csv" size="xs">
            CSV
          </Anchor>
        </Text>
      </Stack>
    </Container>
  );
}
