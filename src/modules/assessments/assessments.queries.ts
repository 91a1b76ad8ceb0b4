import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { rows, type TenantTx } from '../../platform/db/tenant.ts';
import {
  assessmentComments,
  assessmentEvidence,
  assessmentResponses,
  assessments,
  assessmentTeam,
  benchmarkShares,
} from './assessments.schema.ts';

// SQL on a tenant handle: row-level security confines every statement to the caller's tenant.

export type AssessmentRow = typeof assessments.$inferSelect;
export type ResponseRow = typeof assessmentResponses.$inferSelect;
export type TeamRow = typeof assessmentTeam.$inferSelect;
export type EvidenceRow = typeof assessmentEvidence.$inferSelect;
export type CommentRow = typeof assessmentComments.$inferSelect;
export type ShareRow = typeof benchmarkShares.$inferSelect;

export const listAssessments = (tx: TenantTx) =>
  tx.select().from(assessments).orderBy(desc(assessments.createdAt));

export const findAssessment = async (tx: TenantTx, id: string) =>
  (await tx.select().from(assessments).where(eq(assessments.id, id)))[0];

/** For a write: the row locked, so concurrent transitions and edits serialise. */
export const lockAssessment = async (tx: TenantTx, id: string) =>
  (await tx.select().from(assessments).where(eq(assessments.id, id)).for('update'))[0];

export const insertAssessment = async (tx: TenantTx, v: typeof assessments.$inferInsert) =>
  (await tx.insert(assessments).values(v).returning())[0]!;

export const revisionsOf = (tx: TenantTx, id: string) =>
  tx.select().from(assessments).where(eq(assessments.revisionOf, id)).orderBy(desc(assessments.revision));

export const teamOf = (tx: TenantTx, assessmentId: string) =>
  tx.select().from(assessmentTeam).where(eq(assessmentTeam.assessmentId, assessmentId));

export const replaceTeam = async (
  tx: TenantTx,
  tenantId: string,
  assessmentId: string,
  members: { userId: string; role: TeamRow['role'] }[],
) => {
  await tx.delete(assessmentTeam).where(eq(assessmentTeam.assessmentId, assessmentId));
  if (members.length)
    await tx.insert(assessmentTeam).values(members.map((m) => ({ tenantId, assessmentId, ...m })));
};

export const responsesOf = (tx: TenantTx, assessmentIds: string[]) =>
  assessmentIds.length === 0
    ? Promise.resolve([] as ResponseRow[])
    : tx.select().from(assessmentResponses).where(inArray(assessmentResponses.assessmentId, assessmentIds));

export const findResponse = async (tx: TenantTx, assessmentId: string, itemUrn: string) =>
  (
    await tx
      .select()
      .from(assessmentResponses)
      .where(
        and(eq(assessmentResponses.assessmentId, assessmentId), eq(assessmentResponses.itemUrn, itemUrn)),
      )
  )[0];

export const insertResponses = async (tx: TenantTx, v: (typeof assessmentResponses.$inferInsert)[]) => {
  for (let i = 0; i < v.length; i += 500) await tx.insert(assessmentResponses).values(v.slice(i, i + 500));
};

export const evidenceOf = (tx: TenantTx, assessmentId: string) =>
  tx
    .select()
    .from(assessmentEvidence)
    .where(eq(assessmentEvidence.assessmentId, assessmentId))
    .orderBy(asc(assessmentEvidence.createdAt));

export const findEvidence = async (tx: TenantTx, assessmentId: string, id: string) =>
  (
    await tx
      .select()
      .from(assessmentEvidence)
      .where(and(eq(assessmentEvidence.assessmentId, assessmentId), eq(assessmentEvidence.id, id)))
  )[0];

export const insertEvidence = async (tx: TenantTx, v: (typeof assessmentEvidence.$inferInsert)[]) =>
  v.length ? tx.insert(assessmentEvidence).values(v).returning() : [];

export const deleteEvidence = (tx: TenantTx, id: string) =>
  tx.delete(assessmentEvidence).where(eq(assessmentEvidence.id, id));

export const evidenceKeyUses = async (tx: TenantTx, storageKey: string) =>
  (
    await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(assessmentEvidence)
      .where(eq(assessmentEvidence.storageKey, storageKey))
  )[0]!.n;

export const commentsOf = (tx: TenantTx, assessmentId: string) =>
  tx
    .select()
    .from(assessmentComments)
    .where(eq(assessmentComments.assessmentId, assessmentId))
    .orderBy(asc(assessmentComments.createdAt));

export const insertComment = async (tx: TenantTx, v: typeof assessmentComments.$inferInsert) =>
  (await tx.insert(assessmentComments).values(v).returning())[0]!;

export const shareOf = async (tx: TenantTx, frameworkUrn: string) =>
  (await tx.select().from(benchmarkShares).where(eq(benchmarkShares.frameworkUrn, frameworkUrn)))[0];

export const upsertShare = async (tx: TenantTx, v: typeof benchmarkShares.$inferInsert) =>
  (
    await tx
      .insert(benchmarkShares)
      .values(v)
      .onConflictDoUpdate({
        target: [benchmarkShares.tenantId, benchmarkShares.frameworkUrn],
        set: {
          assessmentId: v.assessmentId,
          wcoRegion: v.wcoRegion,
          factorScores: v.factorScores,
          overall: v.overall,
          sharedBy: v.sharedBy,
          createdAt: new Date(),
        },
      })
      .returning()
  )[0]!;

export const deleteShare = (tx: TenantTx, assessmentId: string) =>
  tx.delete(benchmarkShares).where(eq(benchmarkShares.assessmentId, assessmentId)).returning();

export interface BenchmarkRow {
  region: string;
  factor: number;
  n: number;
  mean: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
}

/** The anonymous aggregates (SECURITY DEFINER function; groups under 5 carry no figures). */
export const benchmark = (tx: TenantTx, frameworkUrn: string) =>
  rows<BenchmarkRow>(tx.execute(sql`select * from assessments_benchmark(${frameworkUrn})`));

// ---- reads of the administration's own people, units and profile ----------------------
// Plain reads on the tenant handle (RLS shows only this tenant's members and units).

export interface PersonRow {
  id: string;
  name: string;
  email: string;
}

export const members = (tx: TenantTx) =>
  rows<PersonRow>(
    tx.execute(
      sql`select u.id, u.name, u.email from memberships m join users u on u.id = m.user_id
          where m.tenant_id = app_tenant() and u.disabled_at is null order by u.name`,
    ),
  );

export const people = (tx: TenantTx, ids: string[]) =>
  ids.length === 0
    ? Promise.resolve([] as PersonRow[])
    : rows<PersonRow>(
        tx.execute(
          sql`select id, name, email from users where id in (${sql.join(
            ids.map((i) => sql`${i}::uuid`),
            sql`, `,
          )})`,
        ),
      );

export const units = (tx: TenantTx) =>
  rows<{ id: string; name: string }>(
    tx.execute(sql`select id, name from org_units where tenant_id = app_tenant() order by name`),
  );

export const ownOrganisation = async (tx: TenantTx) =>
  (
    await rows<{ type: string; wco_region: string | null }>(
      tx.execute(sql`select type, wco_region from organisations where id = app_tenant()`),
    )
  )[0];

/** Demo data only: back-date a validated campaign so the history reads like past years. */
export const backdate = (
  tx: TenantTx,
  id: string,
  v: { createdAt: Date; validatedAt: Date | null; closedAt?: Date | null },
) => tx.update(assessments).set(v).where(eq(assessments.id, id));
