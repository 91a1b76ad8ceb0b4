import { Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, serverText } from '../../../web/i18n';
import { PageTabs } from '../../../web/ui-kit/page-tabs';
import {
  type CaseStatus,
  entryLabel,
  KIND_GROUP,
  type TaxonomyEntry,
  type TaxonomyKind,
} from '../cases.vocab';
import { useSettings } from './queries';

const COLOURS: Record<CaseStatus, string> = {
  new: 'blue',
  acknowledged: 'cyan',
  triage: 'violet',
  investigation: 'orange',
  investigation_report: 'yellow',
  decision: 'grape',
  outcome: 'pink',
  closed: 'gray',
};

/** A code's label from the server catalog (cases.status.x, cases.outcome.x …), else the code. */
export const label = (group: string, code: string | null | undefined) =>
  code ? (serverText(`cases.${group}.${code}`) ?? code) : '—';

/** A taxonomy entry's label in the current language (the administration's own, else the catalog's). */
export function taxonomyText(
  list: readonly TaxonomyEntry[] | undefined,
  kind: TaxonomyKind,
  code: string,
  lang = currentLanguage(),
): string {
  return entryLabel(
    list?.find((e) => e.code === code),
    code,
    lang,
    (c) => serverText(`cases.${KIND_GROUP[kind]}.${c}`),
  );
}

/**
 * The administration's taxonomy for a case page: `text` labels a stored code (inactive ones too),
 * `options` lists the active entries of a list, in the administration's order.
 */
export function useTaxonomy() {
  const settings = useSettings();
  useTranslation(); // re-render on a language change
  const taxonomy = settings.data?.taxonomy;
  const text = (kind: TaxonomyKind, code: string | null | undefined) =>
    code ? taxonomyText(taxonomy?.[kind], kind, code) : '—';
  const options = (kind: TaxonomyKind) =>
    (taxonomy?.[kind] ?? [])
      .filter((e) => e.active)
      .map((e) => ({ value: e.code, label: text(kind, e.code) }));
  return { taxonomy, text, options, settings };
}

export function StatusBadge({ status }: { status: CaseStatus }): ReactNode {
  return (
    <Badge color={COLOURS[status]} variant="dot" data-testid="case-status">
      {label('status', status)}
    </Badge>
  );
}

export function CasesTabs({ current }: { current: 'list' | 'statistics' | 'taxonomy' }): ReactNode {
  const { t } = useTranslation();
  return (
    <PageTabs
      label={t('cases.tabs.label')}
      current={current}
      tabs={[
        { id: 'list', to: '/cases', label: t('cases.tabs.list'), permission: 'cases.read' },
        {
          id: 'statistics',
          to: '/cases/statistics',
          label: t('cases.tabs.statistics'),
          permission: 'cases.stats',
        },
        {
          id: 'taxonomy',
          to: '/cases/taxonomy',
          label: t('cases.tabs.taxonomy'),
          permission: 'cases.manage',
        },
      ]}
    />
  );
}
