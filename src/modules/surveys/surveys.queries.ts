import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { rows } from '../../platform/db/tenant.ts';
import { Directory } from '../identity/index.ts';
import { surveyInvitations, surveyResponses, surveys } from './surveys.schema.ts';

// SQL of the surveys module, on the tenant handle. No query here orders responses or
// invitations by insertion: responses by their random id, invitations by theirs.

export type SurveyRow = typeof surveys.$inferSelect;
export type ResponseRow = typeof surveyResponses.$inferSelect;

const directory = new Directory();
export const members = (tx: TenantTx) => directory.members(tx);
export const units = (tx: TenantTx) => directory.units(tx);

export const listSurveys = (tx: TenantTx) =>
  tx.select().from(surveys).orderBy(asc(surveys.name), asc(surveys.iteration));

export const findSurvey = async (tx: TenantTx, id: string) =>
  (await tx.select().from(surveys).where(eq(surveys.id, id)))[0];

export const seriesOf = (tx: TenantTx, seriesId: string) =>
  tx.select().from(surveys).where(eq(surveys.seriesId, seriesId)).orderBy(asc(surveys.iteration));

/** Responses per survey: every survey's, or one survey's when its id is given. */
export async function responseCounts(tx: TenantTx, surveyId?: string): Promise<Map<string, number>> {
  const r = await tx
    .select({ surveyId: surveyResponses.surveyId, n: sql<number>`count(*)::int` })
    .from(surveyResponses)
    .where(surveyId ? eq(surveyResponses.surveyId, surveyId) : undefined)
    .groupBy(surveyResponses.surveyId);
  return new Map(r.map((x) => [x.surveyId, x.n]));
}

/** Bands and answers only, ordered by the random id (never by arrival). */
export const responsesOf = (tx: TenantTx, surveyId: string) =>
  tx
    .select({ bands: surveyResponses.bands, answers: surveyResponses.answers })
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, surveyId))
    .orderBy(asc(surveyResponses.id));

export async function invitationCounts(tx: TenantTx, surveyId: string) {
  const [c] = await tx
    .select({
      invited: sql<number>`count(*) filter (where ${isNotNull(surveyInvitations.userId)})::int`,
      printed: sql<number>`count(*) filter (where ${isNull(surveyInvitations.userId)})::int`,
      completed: sql<number>`count(*) filter (where ${surveyInvitations.completed})::int`,
    })
    .from(surveyInvitations)
    .where(eq(surveyInvitations.surveyId, surveyId));
  return c ?? { invited: 0, printed: 0, completed: 0 };
}

export const invitedUsers = async (tx: TenantTx, surveyId: string, userIds: string[]) =>
  userIds.length
    ? (
        await tx
          .select({ userId: surveyInvitations.userId })
          .from(surveyInvitations)
          .where(and(eq(surveyInvitations.surveyId, surveyId), inArray(surveyInvitations.userId, userIds)))
      ).map((r) => r.userId!)
    : [];

/** Invited people who have not answered yet (printed tokens have nobody to remind). */
export const pendingInvitations = (tx: TenantTx, surveyId: string) =>
  tx
    .select({ id: surveyInvitations.id, userId: surveyInvitations.userId })
    .from(surveyInvitations)
    .where(
      and(
        eq(surveyInvitations.surveyId, surveyId),
        isNotNull(surveyInvitations.userId),
        eq(surveyInvitations.completed, false),
      ),
    ) as Promise<{ id: string; userId: string }[]>;

/** Gives invitations new token hashes, in one statement. */
export async function replaceTokens(tx: TenantTx, rows: { id: string; tokenHash: string }[]) {
  if (!rows.length) return;
  await tx.execute(sql`
    update survey_invitations i set token_hash = v.h
    from jsonb_to_recordset(${JSON.stringify(rows.map((r) => ({ id: r.id, h: r.tokenHash })))}::jsonb)
      as v(id uuid, h text)
    where i.id = v.id and not i.completed`);
}

const CHUNK = 500;
/** Inserts invitations, 500 rows a statement, in the order given. */
export async function insertInvitations(tx: TenantTx, values: (typeof surveyInvitations.$inferInsert)[]) {
  for (let i = 0; i < values.length; i += CHUNK)
    await tx.insert(surveyInvitations).values(values.slice(i, i + CHUNK));
}

/** The invitation behind a token; with `lock`, locked until the transaction ends (one use). */
export async function invitationOf(tx: TenantTx, surveyId: string, tokenHash: string, lock: boolean) {
  const found = tx
    .select()
    .from(surveyInvitations)
    .where(and(eq(surveyInvitations.surveyId, surveyId), eq(surveyInvitations.tokenHash, tokenHash)));
  return (await (lock ? found.for('update') : found))[0];
}

/** Which tenant and survey a token or open-link code belongs to (SECURITY DEFINER function). */
export const resolveToken = async (tx: TenantTx, tokenHash: string, code: string) =>
  (
    await rows<{ tenant_id: string; survey_id: string }>(
      tx.execute(sql`select * from surveys_resolve_token(${tokenHash}, ${code})`),
    )
  )[0];

/**
 * Rewrites a survey's responses and invitations in random order, in one transaction: every
 * row gets the same transaction id and a new physical place, so neither heap order nor xmin
 * pairs the n-th used token with the n-th response (docs/adr/0019-survey-anonymity.md).
 */
export async function shuffle(
  tx: TenantTx,
  surveyId: string,
): Promise<{ responses: number; invitations: number }> {
  const rs = await tx
    .select()
    .from(surveyResponses)
    .where(eq(surveyResponses.surveyId, surveyId))
    .orderBy(sql`random()`);
  const inv = await tx
    .select()
    .from(surveyInvitations)
    .where(eq(surveyInvitations.surveyId, surveyId))
    .orderBy(sql`random()`);
  await tx.delete(surveyResponses).where(eq(surveyResponses.surveyId, surveyId));
  await tx.delete(surveyInvitations).where(eq(surveyInvitations.surveyId, surveyId));
  for (let i = 0; i < rs.length; i += CHUNK) await tx.insert(surveyResponses).values(rs.slice(i, i + CHUNK));
  await insertInvitations(tx, inv);
  return { responses: rs.length, invitations: inv.length };
}
