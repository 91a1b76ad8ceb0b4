import { and, arrayOverlaps, asc, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import {
  programmeActivities,
  programmeActivityOutputs,
  programmeAgreements,
  programmeCosts,
  programmeDisbursements,
  programmeDonors,
  programmeEoiEvents,
  programmeEoiReviews,
  programmeEois,
  programmeIndicators,
  programmePartnerships,
  programmePlans,
  programmeRates,
} from './programme.schema.ts';

// Reads and writes of the programme tables. Row-level security decides what each tenant may
// read (docs/adr/0028); the service narrows further to the caller's own role in the programme.

export type EoiRow = typeof programmeEois.$inferSelect;
export type ReviewRow = typeof programmeEoiReviews.$inferSelect;
export type EventRow = typeof programmeEoiEvents.$inferSelect;
export type DonorRow = typeof programmeDonors.$inferSelect;
export type AgreementRow = typeof programmeAgreements.$inferSelect;
export type DisbursementRow = typeof programmeDisbursements.$inferSelect;
export type PartnershipRow = typeof programmePartnerships.$inferSelect;
export type ActivityRow = typeof programmeActivities.$inferSelect;
export type CostRow = typeof programmeCosts.$inferSelect;
export type RateRow = typeof programmeRates.$inferSelect;

const rows = <T>(r: unknown) => (r as { rows: T[] }).rows;

/** Is the current tenant the WCO Secretariat? The same function the row-level policies use. */
export async function isSecretariat(tx: TenantTx): Promise<boolean> {
  return rows<{ s: boolean }>(await tx.execute(sql`select programme_is_secretariat() as s`))[0]?.s === true;
}

/** Donor organisations (id, name): empty unless the caller is the Secretariat. */
export async function donorOrganisations(tx: TenantTx): Promise<{ id: string; name: string }[]> {
  return rows<{ id: string; name: string }>(
    await tx.execute(sql`select id, name from programme_donor_organisations()`),
  );
}

// ---- expressions of interest --------------------------------------------------------------------

export async function insertEoi(tx: TenantTx, row: typeof programmeEois.$inferInsert): Promise<EoiRow> {
  const [e] = await tx.insert(programmeEois).values(row).returning();
  return e!;
}

export function eois(tx: TenantTx, tenantId?: string): Promise<EoiRow[]> {
  return tx
    .select()
    .from(programmeEois)
    .where(tenantId ? eq(programmeEois.tenantId, tenantId) : undefined)
    .orderBy(desc(programmeEois.createdAt))
    .limit(2000);
}

export async function findEoi(tx: TenantTx, id: string): Promise<EoiRow | undefined> {
  const [e] = await tx.select().from(programmeEois).where(eq(programmeEois.id, id));
  return e;
}

export async function reviewsOf(tx: TenantTx, ids: readonly string[]): Promise<Map<string, ReviewRow>> {
  if (ids.length === 0) return new Map();
  const r = await tx
    .select()
    .from(programmeEoiReviews)
    .where(inArray(programmeEoiReviews.id, [...ids]));
  return new Map(r.map((x) => [x.id, x]));
}

export async function eventsOf(tx: TenantTx, ids: readonly string[]): Promise<Map<string, EventRow[]>> {
  const out = new Map<string, EventRow[]>();
  if (ids.length === 0) return out;
  const r = await tx
    .select()
    .from(programmeEoiEvents)
    .where(inArray(programmeEoiEvents.eoiId, [...ids]))
    .orderBy(asc(programmeEoiEvents.createdAt));
  for (const e of r) out.set(e.eoiId, [...(out.get(e.eoiId) ?? []), e]);
  return out;
}

/** The first transition creates the review at version 2 (received counts as version 1);
 *  undefined when another transition got there first. */
export async function insertReview(
  tx: TenantTx,
  row: typeof programmeEoiReviews.$inferInsert,
): Promise<ReviewRow | undefined> {
  const [r] = await tx.insert(programmeEoiReviews).values(row).onConflictDoNothing().returning();
  return r;
}

export async function insertEvent(tx: TenantTx, row: typeof programmeEoiEvents.$inferInsert): Promise<void> {
  await tx.insert(programmeEoiEvents).values(row);
}

export function eligibleReviews(tx: TenantTx): Promise<ReviewRow[]> {
  return tx
    .select()
    .from(programmeEoiReviews)
    .where(eq(programmeEoiReviews.status, 'eligible_awaiting_funding'));
}

// ---- donors, agreements, disbursements, rates -----------------------------------------------------

/**
 * Whose donor report: a donor organisation's own (its tenant id; every donor linked to it) or one
 * donor the Secretariat picks by id. Row-level security decides what either may read.
 */
export type DonorKey = { organisationId: string } | { donorId: string };

/** Every donor row-level security shows, or only those of one key (see DonorKey). */
export function donors(tx: TenantTx, key?: DonorKey): Promise<DonorRow[]> {
  return tx
    .select()
    .from(programmeDonors)
    .where(
      !key
        ? undefined
        : 'donorId' in key
          ? eq(programmeDonors.id, key.donorId)
          : eq(programmeDonors.organisationId, key.organisationId),
    )
    .orderBy(asc(programmeDonors.name));
}

export async function insertDonor(tx: TenantTx, row: typeof programmeDonors.$inferInsert): Promise<DonorRow> {
  const [d] = await tx.insert(programmeDonors).values(row).returning();
  return d!;
}

export function agreements(tx: TenantTx, donorIds?: readonly string[]): Promise<AgreementRow[]> {
  if (donorIds && donorIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(programmeAgreements)
    .where(donorIds ? inArray(programmeAgreements.donorId, [...donorIds]) : undefined)
    .orderBy(asc(programmeAgreements.startsOn), asc(programmeAgreements.reference));
}

export async function findAgreement(tx: TenantTx, id: string): Promise<AgreementRow | undefined> {
  const [a] = await tx.select().from(programmeAgreements).where(eq(programmeAgreements.id, id));
  return a;
}

/** The agreement, its row locked until the transaction ends (disbursements are checked against its amount). */
export async function lockAgreement(tx: TenantTx, id: string): Promise<AgreementRow | undefined> {
  const [a] = await tx.select().from(programmeAgreements).where(eq(programmeAgreements.id, id)).for('update');
  return a;
}

export async function insertAgreement(
  tx: TenantTx,
  row: typeof programmeAgreements.$inferInsert,
): Promise<AgreementRow> {
  const [a] = await tx.insert(programmeAgreements).values(row).returning();
  return a!;
}

export function disbursements(tx: TenantTx, agreementIds: readonly string[]): Promise<DisbursementRow[]> {
  if (agreementIds.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(programmeDisbursements)
    .where(inArray(programmeDisbursements.agreementId, [...agreementIds]))
    .orderBy(asc(programmeDisbursements.receivedOn));
}

export async function insertDisbursement(
  tx: TenantTx,
  row: typeof programmeDisbursements.$inferInsert,
): Promise<void> {
  await tx.insert(programmeDisbursements).values(row);
}

export function rates(tx: TenantTx, asOf?: string): Promise<RateRow[]> {
  return tx
    .select()
    .from(programmeRates)
    .where(asOf ? lte(programmeRates.asOf, asOf) : undefined)
    .orderBy(desc(programmeRates.asOf), asc(programmeRates.fromCurrency), asc(programmeRates.toCurrency))
    .limit(5000);
}

export async function findRate(tx: TenantTx, id: string): Promise<RateRow | undefined> {
  const [r] = await tx.select().from(programmeRates).where(eq(programmeRates.id, id));
  return r;
}

/** Another rate than `exceptId` for the same pair and day (the pair and day are unique). */
export async function otherRate(
  tx: TenantTx,
  key: { fromCurrency: string; toCurrency: string; asOf: string },
  exceptId: string,
): Promise<RateRow | undefined> {
  const [r] = await tx
    .select()
    .from(programmeRates)
    .where(
      and(
        eq(programmeRates.fromCurrency, key.fromCurrency as RateRow['fromCurrency']),
        eq(programmeRates.toCurrency, key.toCurrency as RateRow['toCurrency']),
        eq(programmeRates.asOf, key.asOf),
        ne(programmeRates.id, exceptId),
      ),
    );
  return r;
}

export async function insertRate(
  tx: TenantTx,
  row: typeof programmeRates.$inferInsert,
): Promise<RateRow | undefined> {
  const [r] = await tx.insert(programmeRates).values(row).onConflictDoNothing().returning();
  return r;
}

// ---- partnerships, activities, costs ---------------------------------------------------------------

export function partnerships(
  tx: TenantTx,
  by?: { administrationId?: string; donorIds?: readonly string[] },
): Promise<PartnershipRow[]> {
  if (by?.donorIds && by.donorIds.length === 0) return Promise.resolve([]);
  const where = by?.administrationId
    ? eq(programmePartnerships.administrationId, by.administrationId)
    : by?.donorIds
      ? arrayOverlaps(programmePartnerships.donorIds, [...by.donorIds])
      : undefined;
  return tx
    .select()
    .from(programmePartnerships)
    .where(where)
    .orderBy(asc(programmePartnerships.organisation));
}

export async function insertPartnership(
  tx: TenantTx,
  row: typeof programmePartnerships.$inferInsert,
): Promise<PartnershipRow> {
  const [p] = await tx.insert(programmePartnerships).values(row).returning();
  return p!;
}

export async function findPartnership(tx: TenantTx, id: string): Promise<PartnershipRow | undefined> {
  const [p] = await tx.select().from(programmePartnerships).where(eq(programmePartnerships.id, id));
  return p;
}

/** The phases of a partnership's multi-annual plan (none before it is first saved). */
export async function planPhases(tx: TenantTx, partnershipId: string) {
  const [p] = await tx
    .select({ phases: programmePlans.phases })
    .from(programmePlans)
    .where(eq(programmePlans.partnershipId, partnershipId));
  return p?.phases ?? [];
}

export function costs(
  tx: TenantTx,
  by: { activityIds?: readonly string[]; agreementIds?: readonly string[] },
): Promise<CostRow[]> {
  const ids = by.activityIds ?? by.agreementIds ?? [];
  if (ids.length === 0) return Promise.resolve([]);
  return tx
    .select()
    .from(programmeCosts)
    .where(
      by.activityIds
        ? inArray(programmeCosts.activityId, [...ids])
        : inArray(programmeCosts.agreementId, [...ids]),
    )
    .orderBy(asc(programmeCosts.createdAt));
}

/** Removes all of an activity's cost lines (an edit replacing them). */
export async function deleteCosts(tx: TenantTx, activityId: string): Promise<void> {
  await tx.delete(programmeCosts).where(eq(programmeCosts.activityId, activityId));
}

export async function insertCosts(tx: TenantTx, list: (typeof programmeCosts.$inferInsert)[]): Promise<void> {
  if (list.length) await tx.insert(programmeCosts).values(list);
}

export function activities(
  tx: TenantTx,
  by?: { ids?: readonly string[]; partnershipIds?: readonly string[] },
): Promise<ActivityRow[]> {
  if ((by?.ids && by.ids.length === 0) || (by?.partnershipIds && by.partnershipIds.length === 0))
    return Promise.resolve([]);
  const where = by?.ids
    ? inArray(programmeActivities.id, [...by.ids])
    : by?.partnershipIds
      ? arrayOverlaps(programmeActivities.partnershipIds, [...by.partnershipIds])
      : undefined;
  return tx
    .select()
    .from(programmeActivities)
    .where(where)
    .orderBy(desc(programmeActivities.startsOn))
    .limit(2000);
}

export async function insertActivity(
  tx: TenantTx,
  row: typeof programmeActivities.$inferInsert,
): Promise<ActivityRow> {
  const [a] = await tx.insert(programmeActivities).values(row).returning();
  return a!;
}

/** The partnerships with at least one indicator read from a RAD factor score. */
export async function partnershipsWithLinkedIndicators(tx: TenantTx): Promise<string[]> {
  const r = await tx
    .selectDistinct({ id: programmeIndicators.partnershipId })
    .from(programmeIndicators)
    .where(eq(programmeIndicators.link, 'rad_factor'));
  return r.map((x) => x.id);
}

/** The partnerships whose outputs an activity contributes to (its value-for-money links). */
export async function linkedPartnerships(tx: TenantTx, activityId: string): Promise<string[]> {
  const r = await tx
    .selectDistinct({ id: programmeActivityOutputs.partnershipId })
    .from(programmeActivityOutputs)
    .where(eq(programmeActivityOutputs.activityId, activityId));
  return r.map((x) => x.id);
}
