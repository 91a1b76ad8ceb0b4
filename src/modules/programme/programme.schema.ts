import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import type { CostShare } from './programme.money.ts';
import {
  ACTIVITY_TYPES,
  type BENCHMARK_STATUSES,
  CURRENCIES,
  type DAC_CRITERIA,
  EOI_STATUSES,
} from './programme.vocab.ts';

// The A-CIP programme (docs/adr/0028). Each row lives in the tenant that writes it:
// expressions of interest in the submitting administration's; everything else in the WCO
// Secretariat's. Extra SELECT policies (programme_rls migration) let the administration read its
// own pipeline and partnership, and a donor what it funds. Money: integers of the currency's
// minor unit (numeric(20,0), read as strings, computed with BigInt). References between these
// tables are foreign keys (programme_foreign_keys migration; the administration and donor
// organisation ids reference organisations in programme_organisation_keys); the service still
// checks them first to answer a 422 naming the unknown id. Arrays (donor_ids, partnership_ids)
// cannot carry foreign keys: the service checks them.

const money = (name: string) => numeric(name, { precision: 20, scale: 0 });
const currency = (name: string) => text(name, { enum: CURRENCIES });

export interface Priority {
  /** RAD key factor 1–10. */
  factor: number;
  note: string;
}

export interface Participants {
  role: string;
  women: number;
  men: number;
}

/** Written by the administration; immutable once submitted (UPDATE/DELETE revoked). */
export const programmeEois = pgTable(
  'programme_eois',
  {
    id: id(),
    tenantId: tenantId(),
    /** Snapshot of the submitting organisation (the Secretariat cannot read its row). */
    organisation: text('organisation').notNull(),
    country: text('country'),
    region: text('region'),
    headName: text('head_name').notNull(),
    headTitle: text('head_title').notNull(),
    endorsedOn: date('endorsed_on').notNull(),
    priorities: jsonb('priorities').$type<Priority[]>().notNull(),
    initiatives: text('initiatives').notNull().default(''),
    contactName: text('contact_name').notNull(),
    contactEmail: text('contact_email').notNull(),
    contactPhone: text('contact_phone'),
    submittedBy: uuid('submitted_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('programme_eois_tenant_idx').on(t.tenantId, t.createdAt)],
);

/** The Secretariat's pipeline state of one EOI (id = the EOI's id); no row = received. */
export const programmeEoiReviews = pgTable('programme_eoi_reviews', {
  id: uuid('id')
    .primaryKey()
    .references(() => programmeEois.id, { onDelete: 'restrict' }),
  tenantId: tenantId(),
  administrationId: uuid('administration_id').notNull(),
  region: text('region'),
  status: text('status', { enum: EOI_STATUSES }).notNull(),
  estimatedCostMinor: money('estimated_cost_minor'),
  estimatedCurrency: currency('estimated_currency'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  version: version(),
});

/** Each pipeline transition, immutable. */
export const programmeEoiEvents = pgTable(
  'programme_eoi_events',
  {
    id: id(),
    tenantId: tenantId(),
    eoiId: uuid('eoi_id')
      .notNull()
      .references(() => programmeEois.id, { onDelete: 'restrict' }),
    administrationId: uuid('administration_id').notNull(),
    fromStatus: text('from_status', { enum: EOI_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: EOI_STATUSES }).notNull(),
    reason: text('reason').notNull(),
    decidedOn: date('decided_on').notNull(),
    decidedBy: uuid('decided_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('programme_eoi_events_eoi_idx').on(t.eoiId, t.createdAt)],
);

export const programmeDonors = pgTable(
  'programme_donors',
  {
    id: id(),
    tenantId: tenantId(),
    name: text('name').notNull(),
    /** The donor organisation whose users see what this donor funds. */
    organisationId: uuid('organisation_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('programme_donors_org').on(t.organisationId)],
);

export const programmePartnerships = pgTable(
  'programme_partnerships',
  {
    id: id(),
    tenantId: tenantId(),
    eoiId: uuid('eoi_id')
      .notNull()
      .references(() => programmeEois.id, { onDelete: 'restrict' }),
    administrationId: uuid('administration_id').notNull(),
    organisation: text('organisation').notNull(),
    country: text('country'),
    region: text('region'),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    donorIds: uuid('donor_ids').array().notNull(),
    coordinatorName: text('coordinator_name').notNull(),
    coordinatorEmail: text('coordinator_email').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('programme_partnerships_eoi').on(t.eoiId),
    check('programme_partnerships_period', sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

export const programmeAgreements = pgTable(
  'programme_agreements',
  {
    id: id(),
    tenantId: tenantId(),
    donorId: uuid('donor_id')
      .notNull()
      .references(() => programmeDonors.id, { onDelete: 'restrict' }),
    reference: text('reference').notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: currency('currency').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    earmarkRegion: text('earmark_region'),
    earmarkPartnershipId: uuid('earmark_partnership_id').references(() => programmePartnerships.id, {
      onDelete: 'restrict',
    }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('programme_agreements_donor_idx').on(t.donorId),
    check('programme_agreements_period', sql`${t.startsOn} <= ${t.endsOn}`),
    check('programme_agreements_amount', sql`${t.amountMinor} > 0`),
    check(
      'programme_agreements_one_earmark',
      sql`${t.earmarkRegion} is null or ${t.earmarkPartnershipId} is null`,
    ),
  ],
);

/** Money received from the donor, in the agreement's currency. */
export const programmeDisbursements = pgTable(
  'programme_disbursements',
  {
    id: id(),
    tenantId: tenantId(),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => programmeAgreements.id, { onDelete: 'restrict' }),
    receivedOn: date('received_on').notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: currency('currency').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('programme_disbursements_agreement_idx').on(t.agreementId)],
);

export const programmeActivities = pgTable(
  'programme_activities',
  {
    id: id(),
    tenantId: tenantId(),
    type: text('type', { enum: ACTIVITY_TYPES }).notNull(),
    title: text('title').notNull(),
    startsOn: date('starts_on').notNull(),
    endsOn: date('ends_on').notNull(),
    partnershipIds: uuid('partnership_ids').array().notNull(),
    experts: text('experts').array().notNull(),
    participants: jsonb('participants').$type<Participants[]>().notNull().default([]),
    /** Explicit cost shares between the partnerships (percentages or amounts); null: equal split. */
    costShares: jsonb('cost_shares').$type<CostShare[]>(),
    outputs: text('outputs').notNull().default(''),
    report: text('report').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('programme_activities_start_idx').on(t.startsOn),
    check('programme_activities_period', sql`${t.startsOn} <= ${t.endsOn}`),
  ],
);

/** Expenditure by activity: one cost line, charged to one agreement. */
export const programmeCosts = pgTable(
  'programme_costs',
  {
    id: id(),
    tenantId: tenantId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => programmeActivities.id, { onDelete: 'cascade' }),
    agreementId: uuid('agreement_id')
      .notNull()
      .references(() => programmeAgreements.id, { onDelete: 'restrict' }),
    label: text('label').notNull(),
    amountMinor: money('amount_minor').notNull(),
    currency: currency('currency').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('programme_costs_activity_idx').on(t.activityId),
    index('programme_costs_agreement_idx').on(t.agreementId),
  ],
);

/** Units of `to` for one unit of `from`, as of a date; entered by the Secretariat. */
export const programmeRates = pgTable(
  'programme_rates',
  {
    id: id(),
    tenantId: tenantId(),
    fromCurrency: currency('from_currency').notNull(),
    toCurrency: currency('to_currency').notNull(),
    rate: numeric('rate', { precision: 24, scale: 10 }).notNull(),
    asOf: date('as_of').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    /** A mistyped rate is corrected (PATCH), version-checked like every other edit. */
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('programme_rates_pair_day').on(t.tenantId, t.fromCurrency, t.toCurrency, t.asOf),
    check('programme_rates_positive', sql`${t.rate} > 0`),
  ],
);

// ---- results framework (docs/adr/0028, "Results framework") ---------------------------------------
// Rows in the Secretariat's tenant, each carrying its partnership: they are read by whoever can read
// that partnership (programme_results_rls). Figures are decimals (numeric(20,4)), not money.

export const RESULT_LEVELS = ['outcome', 'output'] as const;
export const INDICATOR_DIRECTIONS = ['increase', 'decrease'] as const;
export const INDICATOR_LINKS = ['rad_factor', 'kpi', 'survey_index', 'case_statistics'] as const;
/** What case statistics an indicator reads: cases closed, or closed as substantiated, per year. */
export const CASE_MEASURES = ['closed', 'substantiated'] as const;
/**
 * What a partner administration consents to share: its RAD scores, its action-plan KPI series,
 * one Integrity Action Plan's progress (subject_id: the plan), its closed perception surveys'
 * indexes, its case statistics.
 */
export const CONSENT_SCOPES = [
  'rad_scores',
  'kpis',
  'action_plan',
  'survey_index',
  'case_statistics',
] as const;

const figure = (name: string) => numeric(name, { precision: 20, scale: 4 });

/** An outcome of a partnership, or an output under an outcome (parent_id). */
export const programmeResults = pgTable(
  'programme_results',
  {
    id: id(),
    tenantId: tenantId(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id'),
    level: text('level', { enum: RESULT_LEVELS }).notNull(),
    title: text('title').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('programme_results_partnership_idx').on(t.partnershipId),
    foreignKey({
      columns: [t.parentId],
      foreignColumns: [t.id],
      name: 'programme_results_parent_fk',
    }).onDelete('cascade'),
    check('programme_results_tree', sql`(${t.level} = 'outcome') = (${t.parentId} is null)`),
  ],
);

/** An indicator of an outcome or output; its actuals are entered, or read live from a link. */
export const programmeIndicators = pgTable(
  'programme_indicators',
  {
    id: id(),
    tenantId: tenantId(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    resultId: uuid('result_id')
      .notNull()
      .references(() => programmeResults.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    baseline: figure('baseline').notNull(),
    target: figure('target').notNull(),
    direction: text('direction', { enum: INDICATOR_DIRECTIONS }).notNull(),
    /**
     * rad_factor: the partner's latest validated RAD self-assessment, factor link_factor;
     * kpi: the series of values of the partner's action-plan KPI whose code is link_kpi.
     */
    link: text('link', { enum: INDICATOR_LINKS }),
    linkFactor: integer('link_factor'),
    linkKpi: text('link_kpi'),
    /** case_statistics: closed | substantiated (survey_index: link_factor, or null for the index). */
    linkMeasure: text('link_measure', { enum: CASE_MEASURES }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('programme_indicators_result_idx').on(t.resultId),
    check(
      'programme_indicators_link',
      sql`(${t.link} is null and ${t.linkFactor} is null and ${t.linkKpi} is null and ${t.linkMeasure} is null) or (${t.link} = 'rad_factor' and ${t.linkFactor} between 1 and 10 and ${t.linkKpi} is null and ${t.linkMeasure} is null) or (${t.link} = 'kpi' and ${t.linkKpi} is not null and ${t.linkFactor} is null and ${t.linkMeasure} is null) or (${t.link} = 'survey_index' and (${t.linkFactor} is null or ${t.linkFactor} between 1 and 10) and ${t.linkKpi} is null and ${t.linkMeasure} is null) or (${t.link} = 'case_statistics' and ${t.linkMeasure} in ('closed', 'substantiated') and ${t.linkFactor} is null and ${t.linkKpi} is null)`,
    ),
  ],
);

/** An entered actual of an indicator for one period. */
export const programmeActuals = pgTable(
  'programme_actuals',
  {
    id: id(),
    tenantId: tenantId(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    indicatorId: uuid('indicator_id')
      .notNull()
      .references(() => programmeIndicators.id, { onDelete: 'cascade' }),
    periodLabel: text('period_label').notNull(),
    periodStart: date('period_start').notNull(),
    periodEnd: date('period_end').notNull(),
    value: figure('value').notNull(),
    enteredBy: uuid('entered_by').notNull(),
    createdAt: createdAt(),
    /** Corrections (PATCH) are version-checked like every other edit. */
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('programme_actuals_period').on(t.indicatorId, t.periodStart, t.periodEnd),
    check('programme_actuals_period_order', sql`${t.periodStart} <= ${t.periodEnd}`),
  ],
);

/**
 * The partner administration's consent to share evidence with the programme (its own tenant):
 * one row per grant; revoking stamps revoked_at. Active = a row with revoked_at null.
 */
export const programmeConsents = pgTable(
  'programme_consents',
  {
    id: id(),
    tenantId: tenantId(),
    scope: text('scope', { enum: CONSENT_SCOPES }).notNull(),
    /** action_plan: the shared Integrity Action Plan (an action-plans id in the same tenant). */
    subjectId: uuid('subject_id'),
    grantedBy: uuid('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true }).notNull().defaultNow(),
    revokedBy: uuid('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('programme_consents_active').on(t.tenantId, t.scope).where(sql`${t.revokedAt} is null`),
    check('programme_consents_subject', sql`(${t.scope} = 'action_plan') = (${t.subjectId} is not null)`),
  ],
);

// ---- evaluations (OECD-DAC criteria) ---------------------------------------------------------------

export interface CriterionRating {
  criterion: (typeof DAC_CRITERIA)[number];
  rating: 1 | 2 | 3 | 4;
  findings: string;
}

/** An evaluation of a partnership on the six OECD-DAC criteria; read like its partnership. */
export const programmeEvaluations = pgTable(
  'programme_evaluations',
  {
    id: id(),
    tenantId: tenantId(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    evaluator: text('evaluator').notNull(),
    evaluatedOn: date('evaluated_on').notNull(),
    criteria: jsonb('criteria').$type<CriterionRating[]>().notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    /** Corrected (PATCH) and deleted at the version read, like every other edit. */
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('programme_evaluations_partnership_idx').on(t.partnershipId, t.evaluatedOn)],
);

// ---- value for money (docs/adr/0028, "Value for money") ---------------------------------------------

/**
 * An activity contributes to an output of a partnership it serves. Its cost is split equally
 * between all its links (docs/guide/programme.md §9). Read by whoever can read the activity.
 */
export const programmeActivityOutputs = pgTable(
  'programme_activity_outputs',
  {
    id: id(),
    tenantId: tenantId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => programmeActivities.id, { onDelete: 'cascade' }),
    resultId: uuid('result_id')
      .notNull()
      .references(() => programmeResults.id, { onDelete: 'cascade' }),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('programme_activity_outputs_pair').on(t.activityId, t.resultId),
    index('programme_activity_outputs_result_idx').on(t.resultId),
  ],
);

// ---- multi-annual plan (docs/adr/0028, "Multi-annual plan") ------------------------------------------

export interface PlanBenchmark {
  title: string;
  /** RAD key factor 1–10, or null. */
  factor: number | null;
  due: string | null;
  status: (typeof BENCHMARK_STATUSES)[number];
  /** Actions of the Integrity Action Plan the administration shares (ids only). */
  actionIds: string[];
}

export interface PlanPhase {
  label: string;
  startsOn: string;
  endsOn: string;
  benchmarks: PlanBenchmark[];
}

export interface PlanKpi {
  name: string;
  unit: string;
  baseline: string;
  target: string;
  actuals: { periodLabel: string; periodStart: string; periodEnd: string; value: string }[];
}

/**
 * A partnership's multi-annual plan: phases (years) with benchmarks, and the country KPIs. One row
 * per partnership, in the Secretariat's tenant, written whole at the version read; read by whoever
 * can read the partnership (programme_plan migration).
 */
export const programmePlans = pgTable(
  'programme_plans',
  {
    id: id(),
    tenantId: tenantId(),
    partnershipId: uuid('partnership_id')
      .notNull()
      .references(() => programmePartnerships.id, { onDelete: 'cascade' }),
    phases: jsonb('phases').$type<PlanPhase[]>().notNull(),
    kpis: jsonb('kpis').$type<PlanKpi[]>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [uniqueIndex('programme_plans_partnership').on(t.partnershipId)],
);

// ---- files (docs/adr/0028, "Files, edits and deletes") ------------------------------------------------

const fileColumns = () => ({
  filename: text('filename').notNull(),
  mediaType: text('media_type').notNull(),
  size: integer('size').notNull(),
  sha256: text('sha256').notNull(),
  storageKey: text('storage_key').notNull(),
  uploadedBy: uuid('uploaded_by').notNull(),
  createdAt: createdAt(),
});

/**
 * A file sent with an expression of interest: in the administration's tenant and storage, read by
 * the Secretariat (programme_records_rls); immutable like the EOI (UPDATE, DELETE revoked).
 */
export const programmeEoiAttachments = pgTable(
  'programme_eoi_attachments',
  {
    id: id(),
    tenantId: tenantId(),
    eoiId: uuid('eoi_id')
      .notNull()
      .references(() => programmeEois.id, { onDelete: 'restrict' }),
    ...fileColumns(),
  },
  (t) => [index('programme_eoi_attachments_eoi_idx').on(t.eoiId, t.createdAt)],
);

/** An activity's report file (a mission report): the Secretariat's; read by whoever reads the activity. */
export const programmeActivityReports = pgTable(
  'programme_activity_reports',
  {
    id: id(),
    tenantId: tenantId(),
    activityId: uuid('activity_id')
      .notNull()
      .references(() => programmeActivities.id, { onDelete: 'cascade' }),
    ...fileColumns(),
  },
  (t) => [index('programme_activity_reports_activity_idx').on(t.activityId, t.createdAt)],
);
