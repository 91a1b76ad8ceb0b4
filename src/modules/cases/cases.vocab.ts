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

/** An administration's taxonomy: steps and what follows each, the codes it uses, its sanctions. */
export interface Taxonomy {
  transitions: Record<CaseStatus, CaseStatus[]>;
  closureReasons: ClosureReason[];
  outcomes: Outcome[];
  /** The disciplinary sanction scale, lightest first (the administration's own words). */
  sanctions: { code: string; label: string }[];
  /** Days from opening to the decision (the per-case due date; 0: none). */
  decisionDueDays: number;
}

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
  closureReasons: [...CLOSURE_REASONS],
  outcomes: [...OUTCOMES],
  sanctions: [
    { code: 'warning', label: 'Written warning' },
    { code: 'reprimand', label: 'Reprimand' },
    { code: 'suspension', label: 'Suspension' },
    { code: 'demotion', label: 'Demotion' },
    { code: 'dismissal', label: 'Dismissal' },
  ],
  decisionDueDays: 90,
};

/** Statuses once a decision has been taken (no decision due date any more). */
export const DECIDED: readonly CaseStatus[] = ['decision', 'outcome', 'closed'];
