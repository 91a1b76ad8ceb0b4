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

/** Demo data only: back-date a validated campaign so the history reads like past years. */
export const backdate = (
  tx: TenantTx,
  id: string,
  v: { createdAt: Date; validatedAt: Date | null; closedAt?: Date | null },
) => tx.update(assessments).set(v).where(eq(assessments.id, id));
