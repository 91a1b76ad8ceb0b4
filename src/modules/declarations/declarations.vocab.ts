// The declarations module's closed vocabularies, with no imports: shared by the database
// schema, the zod contracts and the UI.

export const DECLARATION_TYPES = ['conflict', 'gift', 'asset'] as const;
export const STATUSES = ['submitted', 'under_review', 'cleared', 'flagged', 'referred'] as const;
export const APPROVALS = ['not_required', 'pending', 'approved', 'rejected'] as const;
export const PARTY_KINDS = ['broker', 'importer', 'company', 'other'] as const;
export const MITIGATIONS = ['recusal', 'reassignment', 'divestment', 'none'] as const;
export const DISPOSITIONS = ['declined', 'accepted_under_threshold', 'surrendered', 'approved'] as const;
export const ASSET_KINDS = ['entry', 'annual', 'exit', 'ad_hoc'] as const;
export const ASSET_CATEGORIES = [
  'real_estate',
  'vehicle',
  'bank_account',
  'business_interest',
  'other',
] as const;
export const FLAG_RULES = [
  'late',
  'missing',
  'gift_over_threshold',
  'gift_repeated_giver',
  'asset_growth',
  'conflict_unmitigated',
  'related_party_handled',
] as const;
export const FLAG_STATUSES = ['open', 'dismissed', 'referred'] as const;
export const REVIEW_ACTIONS = ['start', 'clear', 'flag', 'refer'] as const;

export type DeclarationType = (typeof DECLARATION_TYPES)[number];
export type DeclarationStatus = (typeof STATUSES)[number];
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** A reviewer's action: the statuses it applies to and the status it gives (server and UI). */
export const REVIEW_TRANSITIONS: Record<
  ReviewAction,
  { from: readonly DeclarationStatus[]; to: DeclarationStatus }
> = {
  start: { from: ['submitted'], to: 'under_review' },
  clear: { from: ['submitted', 'under_review', 'flagged'], to: 'cleared' },
  flag: { from: ['submitted', 'under_review'], to: 'flagged' },
  refer: { from: ['under_review', 'flagged'], to: 'referred' },
};
export type FlagRule = (typeof FLAG_RULES)[number];
export type AssetCategory = (typeof ASSET_CATEGORIES)[number];
