import { sql } from 'drizzle-orm';
import { check, date, index, jsonb, numeric, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import { ACTIVITY_TYPES, type BENCHMARK_STATUSES, CURRENCIES, EOI_STATUSES } from './programme.vocab.ts';

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

export interface Benchmark {
  title: string;
  due: string | null;
  status: (typeof BENCHMARK_STATUSES)[number];
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
    benchmarks: jsonb('benchmarks').$type<Benchmark[]>().notNull().default([]),
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
  },
  (t) => [
    uniqueIndex('programme_rates_pair_day').on(t.tenantId, t.fromCurrency, t.toCurrency, t.asOf),
    check('programme_rates_positive', sql`${t.rate} > 0`),
  ],
);
