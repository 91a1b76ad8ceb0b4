// The cases module's closed vocabularies, with no imports: shared by the database schema, the
// zod contracts and the UI. The default taxonomy (docs/adr/0024) is data an administration may
// change within these codes: which steps follow which, which closure reasons and outcomes it uses,
// its own sanction scale and the days given for a decision.

export const SOURCE_KINDS = ['report', 'audit', 'analytics_alert', 'declaration_flag', 'other'] as const;
export const STATUSES = [
  'new',
  'acknowledged',
  'triage',
  'investigation',
  'investigation_report',
  'decision',
  'outcome',
  'closed',
] as const;
export const CLOSURE_REASONS = [
  'no_jurisdiction',
  'insufficient_information',
  'unfounded',
  'referred',
] as const;
export const DECISIONS = ['substantiated', 'not_substantiated'] as const;
export const OUTCOMES = [
  'disciplinary_sanction',
  'referral_anti_corruption',
  'referral_prosecutor',
  'management_action',
  'no_action',
] as const;
export const SUBJECT_KINDS = ['staff', 'broker', 'importer'] as const;
export const EVENT_KINDS = [
  'opened',
  'transition',
  'assigned',
  'unassigned',
  'note',
  'subject',
  'file',
  'appeal',
  'updated',
  'escalated',
  'overdue',
] as const;

export type SourceKind = (typeof SOURCE_KINDS)[number];
export type CaseStatus = (typeof STATUSES)[number];
export type ClosureReason = (typeof CLOSURE_REASONS)[number];
export type Decision = (typeof DECISIONS)[number];
export type Outcome = (typeof OUTCOMES)[number];
export type SubjectKind = (typeof SUBJECT_KINDS)[number];
export type EventKind = (typeof EVENT_KINDS)[number];

/** The lists of codes an administration manages (the taxonomy page, docs/adr/0024). */
export const TAXONOMY_KINDS = ['closureReasons', 'decisions', 'outcomes', 'sanctions'] as const;
export type TaxonomyKind = (typeof TAXONOMY_KINDS)[number];
/** The languages an administration writes its own labels in. */
export const TAXONOMY_LANGS = ['en', 'fr', 'ar'] as const;
export type TaxonomyLang = (typeof TAXONOMY_LANGS)[number];
/** Each kind's group in the catalogs (cases.closure.<code> …): the shipped codes' labels. */
export const KIND_GROUP: Record<TaxonomyKind, string> = {
  closureReasons: 'closure',
  decisions: 'decision',
  outcomes: 'outcome',
  sanctions: 'sanction',
};
export const SANCTIONS = ['warning', 'reprimand', 'suspension', 'demotion', 'dismissal'] as const;
/** The shipped codes of each kind: never removed (an administration deactivates them instead). */
export const SHIPPED: Record<TaxonomyKind, readonly string[]> = {
  closureReasons: CLOSURE_REASONS,
  decisions: DECISIONS,
  outcomes: OUTCOMES,
  sanctions: SANCTIONS,
};

/**
 * One entry of a list: a code (kept by cases once used), the administration's own labels (a
 * shipped code without a label in a language reads the catalog's), and whether it is offered.
 * The list's order is the order shown (for sanctions: lightest first).
 */
export interface TaxonomyEntry {
  code: string;
  labels: Partial<Record<TaxonomyLang, string>>;
  active: boolean;
}

/** An administration's taxonomy: steps and what follows each, its lists of codes, the decision days. */
export interface Taxonomy {
  transitions: Record<CaseStatus, CaseStatus[]>;
  closureReasons: TaxonomyEntry[];
  decisions: TaxonomyEntry[];
  outcomes: TaxonomyEntry[];
  /** The disciplinary sanction scale, lightest first (the administration's own words). */
  sanctions: TaxonomyEntry[];
  /** Days from opening to the decision (the per-case due date; 0: none). */
  decisionDueDays: number;
}

const shipped = (codes: readonly string[]): TaxonomyEntry[] =>
  codes.map((code) => ({ code, labels: {}, active: true }));

/** The shipped default (issue 4): new → acknowledged → triage → closed or investigation → … → closed. */
export const DEFAULT_TAXONOMY: Taxonomy = {
  transitions: {
    new: ['acknowledged'],
    acknowledged: ['triage'],
    triage: ['investigation', 'closed'],
    investigation: ['investigation_report'],
    investigation_report: ['decision'],
    decision: ['outcome'],
    outcome: ['closed'],
    closed: [],
  },
  closureReasons: shipped(CLOSURE_REASONS),
  decisions: shipped(DECISIONS),
  outcomes: shipped(OUTCOMES),
  sanctions: shipped(SANCTIONS),
  decisionDueDays: 90,
};

/**
 * A stored taxonomy in today's shape. Rows saved before the lists had entries held code arrays
 * (the codes in use) and sanctions as { code, label }: the shipped codes left out become inactive,
 * a sanction's label its English label; decisions were not configurable (the shipped two).
 */
export function normaliseTaxonomy(raw: unknown): Taxonomy {
  const r = (raw ?? {}) as Record<string, unknown>;
  const list = (kind: TaxonomyKind): TaxonomyEntry[] => {
    const v = r[kind];
    if (!Array.isArray(v)) return structuredClone(DEFAULT_TAXONOMY[kind]);
    const entries: TaxonomyEntry[] = v.map((e) =>
      typeof e === 'string'
        ? { code: e, labels: {}, active: true }
        : 'labels' in (e as object)
          ? (e as TaxonomyEntry)
          : {
              code: (e as { code: string }).code,
              labels: (e as { label?: string }).label ? { en: (e as { label: string }).label } : {},
              active: true,
            },
    );
    if (kind !== 'sanctions' && v.every((e) => typeof e === 'string'))
      for (const code of SHIPPED[kind])
        if (!entries.some((e) => e.code === code)) entries.push({ code, labels: {}, active: false });
    return entries;
  };
  return {
    transitions: (r.transitions as Taxonomy['transitions']) ?? structuredClone(DEFAULT_TAXONOMY.transitions),
    closureReasons: list('closureReasons'),
    decisions: list('decisions'),
    outcomes: list('outcomes'),
    sanctions: list('sanctions'),
    decisionDueDays:
      typeof r.decisionDueDays === 'number' ? r.decisionDueDays : DEFAULT_TAXONOMY.decisionDueDays,
  };
}

/** The codes of a list that are offered (active), in order. */
export const activeCodes = (list: readonly TaxonomyEntry[]) =>
  list.filter((e) => e.active).map((e) => e.code);

/**
 * An entry's label in a language: the administration's own, else the catalog's for a shipped
 * code (`catalog` looks it up), else its English or any label, else the code.
 */
export function entryLabel(
  entry: TaxonomyEntry | undefined,
  code: string,
  lang: string,
  catalog: (code: string) => string | undefined,
): string {
  const own = entry?.labels[lang as TaxonomyLang]?.trim();
  if (own) return own;
  const fromCatalog = catalog(code);
  if (fromCatalog) return fromCatalog;
  const any = entry ? (entry.labels.en ?? Object.values(entry.labels).find((l) => l?.trim())) : undefined;
  return any?.trim() || code;
}

/** Statuses once a decision has been taken (no decision due date any more). */
export const DECIDED: readonly CaseStatus[] = ['decision', 'outcome', 'closed'];
