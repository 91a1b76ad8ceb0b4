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
export const RISK_STATUSES = ['open', 'closed'] as const;
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
