// The programme module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

/** The Secretariat's pipeline of expressions of interest (docs/adr/0028). */
export const EOI_STATUSES = [
  'received',
  'screening',
  'eligible_awaiting_funding',
  'partner',
  'declined',
] as const;
export type EoiStatus = (typeof EOI_STATUSES)[number];

/** Allowed transitions: anything else is a conflict. */
export const EOI_TRANSITIONS: Record<EoiStatus, readonly EoiStatus[]> = {
  received: ['screening', 'declined'],
  screening: ['eligible_awaiting_funding', 'declined'],
  eligible_awaiting_funding: ['partner', 'declined'],
  partner: [],
  declined: [],
};

/** The WCO regions (as organisations carry them): the funding gap's rows and an agreement's earmark. */
export const WCO_REGIONS = ['ESA', 'WCA', 'MENA', 'EUR', 'AP', 'AMC'] as const;

export const ACTIVITY_TYPES = [
  'scoping_mission',
  'diagnostic_mission',
  'workshop',
  'training',
  'regional_event',
  'remote_assistance',
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

export const BENCHMARK_STATUSES = ['planned', 'in_progress', 'achieved', 'not_achieved'] as const;
export type BenchmarkStatus = (typeof BENCHMARK_STATUSES)[number];

/** Roles of participants, counted by gender. */
export const PARTICIPANT_ROLES = ['management', 'officer', 'trainer', 'stakeholder', 'other'] as const;

/**
 * The currencies the programme accepts (ISO 4217) and the number of digits of each one's minor
 * unit: amounts are stored as integers of that unit.
 */
export const CURRENCY_EXPONENTS = {
  EUR: 2,
  USD: 2,
  GBP: 2,
  CAD: 2,
  NOK: 2,
  SEK: 2,
  DKK: 2,
  CHF: 2,
  AUD: 2,
  NZD: 2,
  JPY: 0,
  KRW: 0,
  CNY: 2,
  INR: 2,
  XOF: 0,
  XAF: 0,
  ZAR: 2,
  KES: 2,
  TZS: 2,
  UGX: 0,
  NGN: 2,
  GHS: 2,
  MAD: 2,
  TND: 3,
  EGP: 2,
  JOD: 3,
  KWD: 3,
  BHD: 3,
  AED: 2,
  SAR: 2,
  MXN: 2,
  BRL: 2,
  GTQ: 2,
  HNL: 2,
  JMD: 2,
  XCD: 2,
} as const;
export type Currency = keyof typeof CURRENCY_EXPONENTS;
export const CURRENCIES = Object.keys(CURRENCY_EXPONENTS) as [Currency, ...Currency[]];

/** The six OECD-DAC evaluation criteria. */
export const DAC_CRITERIA = [
  'relevance',
  'coherence',
  'effectiveness',
  'efficiency',
  'impact',
  'sustainability',
] as const;
/** 1–4: unsatisfactory, partly satisfactory, satisfactory, highly satisfactory. */
export const DAC_RATINGS = [
  'unsatisfactory',
  'partly_satisfactory',
  'satisfactory',
  'highly_satisfactory',
] as const;
