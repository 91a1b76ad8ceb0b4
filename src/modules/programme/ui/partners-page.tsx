import { Accordion, Anchor, Badge, Button, Container, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../web/api';
import { useFormat } from '../../../web/ui-kit/format';
import { notifySuccess } from '../../../web/ui-kit/notify';
import { PageHeader } from '../../../web/ui-kit/page-header';
import { PageLoader, QueryError } from '../../../web/ui-kit/page-state';
import { RequirePermission } from '../../../web/ui-kit/require-permission';
import { SaveError } from '../../../web/ui-kit/save-error';
import { ScrollTable } from '../../../web/ui-kit/scroll-table';
import {
  EditButton,
  EditDialog,
  PartnershipFields,
  type PartnershipTerms,
  ProgrammeTabs,
  programmeKey,
  useProgrammeList,
} from './bits';
import { PlanSection } from './plan-section';
import type { PartnershipT } from './types';

export function ProgrammePartnersPage(): ReactNode {
  return (
    <RequirePermission permission="programme.manage">
      <Partners />
    </RequirePermission>
  );
}

type PeriodStatus = 'upcoming' | 'active' | 'ended';
const PERIOD_COLOR: Record<PeriodStatus, string> = { upcoming: 'blue', active: 'teal', ended: 'gray' };

/** Where today falls in the partnership's period (dates compared as ISO days). */
const periodStatus = (p: { startsOn: string; endsOn: string }, today: string): PeriodStatus =>
  today < p.startsOn ? 'upcoming' : today > p.endsOn ? 'ended' : 'active';

function Partners(): ReactNode {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const list = useProgrammeList('partnerships');
  const donors = useProgrammeList('donors');
  const [editing, setEditing] = useState<string | null>(null);
  // One plan open at a time: each is read only when opened.
  const [planOf, setPlanOf] = useState<string | null>(null);
  const donorName = new Map((donors.data?.items ?? []).map((d) => [d.id, d.name]));
  const countries = useMemo(
    () => new Intl.DisplayNames([i18n.language], { type: 'region', fallback: 'code' }),
    [i18n.language],
  );
  const today = new Date().toISOString().slice(0, 10);
  return (
    <Container size="xl" px={0}>
      <PageHeader title={t('programme.partnerList.title')} description={t('programme.partnerList.intro')} />
      <ProgrammeTabs current="partners" />
      {list.isPending ? (
        <PageLoader />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">{t('programme.partnerList.empty')}</Text>
      ) : (
        <ScrollTable minWidth={900} label={t('programme.partnerList.title')}>
          <Table data-testid="programme-partners">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('programme.partnerList.administration')}</Table.Th>
                <Table.Th>{t('programme.partnerList.country')}</Table.Th>
                <Table.Th>{t('programme.period')}</Table.Th>
                <Table.Th>{t('programme.donors')}</Table.Th>
                <Table.Th>{t('programme.partnerList.coordinator')}</Table.Th>
                <Table.Th>{t('programme.partnerList.status')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((p) => {
                const status = periodStatus(p, today);
                return (
                  <Table.Tr key={p.id} data-testid="programme-partner-row">
                    <Table.Td>
                      <Stack gap={2}>
                        <Text size="sm" fw={500}>
                          {p.organisation}
                        </Text>
                        <Anchor
                          component={Link}
                          to={`/programme/results/${p.id}`}
                          size="xs"
                          aria-label={t('programme.results.titleOf', { name: p.organisation })}
                          data-testid="programme-partner-results"
                        >
                          {t('programme.results.title')}
                        </Anchor>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      {p.country ? countries.of(p.country) : '—'}
                      {p.region ? ` · ${p.region}` : ''}
                    </Table.Td>
                    <Table.Td>
                      {f.date(p.startsOn)} – {f.date(p.endsOn)}
                    </Table.Td>
                    <Table.Td>{f.list(p.donorIds.map((d) => donorName.get(d) ?? '…')) || '—'}</Table.Td>
                    <Table.Td data-testid="programme-partner-coordinator">
                      <Stack gap={0}>
                        <Text size="sm">{p.coordinatorName}</Text>
                        <Text size="xs" c="dimmed">
                          {p.coordinatorEmail}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {/* Whole words: a badge clips its label to the column's width otherwise. */}
                      <Badge
                        color={PERIOD_COLOR[status]}
                        variant="light"
                        styles={{ root: { overflow: 'visible' }, label: { overflow: 'visible' } }}
                      >
                        {t(`programme.partnerList.periodStatus.${status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <EditButton
                        of={p.organisation}
                        onClick={() => setEditing(p.id)}
                        testId="programme-partner-edit"
                      />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      )}
      {list.data && list.data.items.length > 0 && (
        <Stack gap="xs" mt="xl">
          <Title order={2} size="h4">
            {t('programme.plan.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('programme.plan.intro')}
          </Text>
          <Accordion variant="separated" value={planOf} onChange={setPlanOf} data-testid="programme-plans">
            {list.data.items.map((p) => (
              <Accordion.Item key={p.id} value={p.id}>
                <Accordion.Control data-testid="programme-plan-open">
                  {t('programme.plan.show', { name: p.organisation })}
                </Accordion.Control>
                <Accordion.Panel>
                  {planOf === p.id && <PlanSection base="/api/programme/partnerships" id={p.id} manage />}
                </Accordion.Panel>
              </Accordion.Item>
            ))}
          </Accordion>
        </Stack>
      )}
      <EditDialog
        items={list.data?.items}
        editing={editing}
        onClose={() => setEditing(null)}
        title={(p) => t('programme.editOf', { title: p.organisation })}
        size="xl"
      >
        {(p) => (
          <PartnershipForm partnership={p} onSaved={() => setEditing(null)} onReload={() => list.refetch()} />
        )}
      </EditDialog>
    </Container>
  );
}

/**
 * A partnership's period, donors, coordinator, saved with the version read (its benchmarks are the
 * multi-annual plan's, edited below the list).
 */
function PartnershipForm({
  partnership: p,
  onSaved,
  onReload,
}: {
  partnership: PartnershipT;
  onSaved: () => void;
  /** Fetch the partnership again after a 409 (what was typed stays in the form). */
  onReload: () => unknown;
}): ReactNode {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [terms, setTerms] = useState<PartnershipTerms>({
    startsOn: p.startsOn,
    endsOn: p.endsOn,
    donorIds: p.donorIds,
    coordinatorName: p.coordinatorName,
    coordinatorEmail: p.coordinatorEmail,
  });
  const save = useMutation({
    mutationFn: () =>
      api.patch<PartnershipT>(`/api/programme/partnerships/${p.id}`, {
        version: p.version,
        ...terms,
        coordinatorName: terms.coordinatorName.trim(),
        coordinatorEmail: terms.coordinatorEmail.trim(),
      }),
    onSuccess: () => {
      qc.invalidateQueries({ queryKey: programmeKey });
      notifySuccess(t('programme.saved'));
      onSaved();
    },
  });
  return (
    <Stack data-testid="programme-partner-form">
      <PartnershipFields value={terms} onChange={(c) => setTerms((x) => ({ ...x, ...c }))} />
      <SaveError error={save.error} onReload={onReload} />
      <Group>
        <Button
          onClick={() => save.mutate()}
          loading={save.isPending}
          disabled={
            !terms.startsOn ||
            !terms.endsOn ||
            !terms.coordinatorName.trim() ||
            !terms.coordinatorEmail.trim()
          }
          data-testid="programme-partner-save"
        >
          {t('programme.save')}
        </Button>
      </Group>
    </Stack>
  );
}
