// The risks module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

export const RISK_SCHEMES = [
  'bribery',
  'extortion',
  'collusion',
  'manipulated_assignment',
  'information_leak',
  'nepotism',
  'embezzlement',
  'abuse_of_discretion',
  'fraudulent_documentation',
  'other',
] as const;
export const TREATMENTS = ['accept', 'reduce', 'transfer', 'avoid'] as const;
/** Acceptance of a risk needs approval by a holder of risks.approve. */
export const ACCEPTANCE_STATES = ['none', 'pending', 'approved', 'rejected'] as const;
/**
 * `draft`: identified (from an analytics alert, say) and waiting for its owner: its process and
 * ratings may still be missing, and it is on no heat map, snapshot or top-risks list until it is
 * opened. An open or closed risk has its process and all four ratings (a database check).
 */
export const RISK_STATUSES = ['draft', 'open', 'closed'] as const;
export const CONTROL_KINDS = ['preventive', 'detective'] as const;
export const CONTROL_EFFECTIVENESS = ['untested', 'effective', 'partially_effective', 'ineffective'] as const;

/** The pre-loaded catalogue of Customs processes (codes are stable; names are translated in the UI). */
export const DEFAULT_PROCESSES = [
  'clearance',
  'valuation',
  'classification',
  'origin',
  'examination',
  'post_clearance_audit',
  'transit',
  'exemptions_suspense_drawback',
  'licensing_aeo',
  'passengers',
  'seized_goods',
  'recruitment',
  'promotion_postings',
  'procurement',
  'revenue_accounting',
] as const;

export type RiskScheme = (typeof RISK_SCHEMES)[number];
export type Treatment = (typeof TREATMENTS)[number];

/**
 * Consistency flags on a risk (docs/adr/0012-risk-levels.md): shown, never blocking.
 * `error` ones point at a rating that cannot be right; `warning` ones at something to look at.
 */
export const RISK_FLAGS = [
  'residual_above_inherent',
  'reduction_without_controls',
  'reduction_with_only_ineffective_controls',
  'overdue_review',
  'acceptance_pending',
  'acceptance_rejected',
] as const;
export type RiskFlag = (typeof RISK_FLAGS)[number];
export const FLAG_SEVERITY: Record<RiskFlag, 'error' | 'warning'> = {
  residual_above_inherent: 'error',
  reduction_without_controls: 'error',
  reduction_with_only_ineffective_controls: 'warning',
  overdue_review: 'warning',
  acceptance_pending: 'warning',
  acceptance_rejected: 'error',
};
export type ControlKind = (typeof CONTROL_KINDS)[number];
export type ControlEffectiveness = (typeof CONTROL_EFFECTIVENESS)[number];
export type AcceptanceState = (typeof ACCEPTANCE_STATES)[number];
export type RiskStatus = (typeof RISK_STATUSES)[number];
