import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { iscAgendaItems, iscDocuments, iscRecommendations, iscSessions, iscWorkItems } from './isc.schema.ts';

// Reads and writes of the ISC tables. Row-level security decides what each tenant sees: the
// Secretariat its own rows, an administration's delegates the Secretariat's rows, anyone else
// nothing (docs/adr/0029). No query filters by tenant.

export type SessionRow = typeof iscSessions.$inferSelect;
export type AgendaRow = typeof iscAgendaItems.$inferSelect;
export type DocumentRow = typeof iscDocuments.$inferSelect;
export type WorkItemRow = typeof iscWorkItems.$inferSelect;
export type RecommendationRow = typeof iscRecommendations.$inferSelect;

/** Is the current tenant the Secretariat? The same function the row-level policies use. */
export async function isSecretariat(tx: TenantTx): Promise<boolean> {
  const r = (await tx.execute(sql`select isc_is_secretariat() as s`)) as unknown as {
    rows: { s: boolean }[];
  };
  return r.rows[0]?.s === true;
}

// ---- sessions ---------------------------------------------------------------------------------

export function listSessions(tx: TenantTx): Promise<SessionRow[]> {
  return tx.select().from(iscSessions).orderBy(desc(iscSessions.startDate)).limit(500);
}

export async function findSession(tx: TenantTx, id: string): Promise<SessionRow | undefined> {
  const [s] = await tx.select().from(iscSessions).where(eq(iscSessions.id, id));
  return s;
}

/**
 * Locks a session's row until the transaction ends: agenda changes read the positions and then
 * write them, so two at once (on PostgreSQL) would both take the same place.
 */
export async function lockSession(tx: TenantTx, id: string): Promise<void> {
  await tx.select({ id: iscSessions.id }).from(iscSessions).where(eq(iscSessions.id, id)).for('update');
}

export async function sessionNumberTaken(tx: TenantTx, number: number, except?: string): Promise<boolean> {
  const rows = await tx
    .select({ id: iscSessions.id })
    .from(iscSessions)
    .where(eq(iscSessions.number, number));
  return rows.some((r) => r.id !== except);
}

export async function insertSession(tx: TenantTx, row: typeof iscSessions.$inferInsert): Promise<SessionRow> {
  const [s] = await tx.insert(iscSessions).values(row).returning();
  return s!;
}

/** Agenda items per session. */
export async function agendaCounts(tx: TenantTx): Promise<Map<string, number>> {
  const rows = await tx
    .select({ sessionId: iscAgendaItems.sessionId, n: sql<number>`count(*)::int` })
    .from(iscAgendaItems)
    .groupBy(iscAgendaItems.sessionId);
  return new Map(rows.map((r) => [r.sessionId, r.n]));
}

// ---- agenda -----------------------------------------------------------------------------------

export function agendaOf(tx: TenantTx, sessionId: string): Promise<AgendaRow[]> {
  return tx
    .select()
    .from(iscAgendaItems)
    .where(eq(iscAgendaItems.sessionId, sessionId))
    .orderBy(asc(iscAgendaItems.position));
}

export async function findAgendaItem(
  tx: TenantTx,
  sessionId: string,
  itemId: string,
): Promise<AgendaRow | undefined> {
  const [a] = await tx
    .select()
    .from(iscAgendaItems)
    .where(and(eq(iscAgendaItems.sessionId, sessionId), eq(iscAgendaItems.id, itemId)));
  return a;
}

export async function insertAgendaItem(
  tx: TenantTx,
  row: typeof iscAgendaItems.$inferInsert,
): Promise<AgendaRow> {
  const [a] = await tx.insert(iscAgendaItems).values(row).returning();
  return a!;
}

/** The neighbour an item swaps places with: the closest before (up) or after (down). */
export async function neighbour(
  tx: TenantTx,
  item: AgendaRow,
  direction: 'up' | 'down',
): Promise<AgendaRow | undefined> {
  const p = iscAgendaItems.position;
  const [n] = await tx
    .select()
    .from(iscAgendaItems)
    .where(
      and(
        eq(iscAgendaItems.sessionId, item.sessionId),
        direction === 'up' ? lt(p, item.position) : gt(p, item.position),
      ),
    )
    .orderBy(direction === 'up' ? desc(p) : asc(p))
    .limit(1);
  return n;
}

/** Another writer's item moved too: its version is bumped so a stale copy of it gets a 409. */
export async function setPosition(tx: TenantTx, id: string, position: number): Promise<void> {
  await tx
    .update(iscAgendaItems)
    .set({ position, updatedAt: new Date(), version: sql`${iscAgendaItems.version} + 1` })
    .where(eq(iscAgendaItems.id, id));
}

/** Closes the gap a removed item left (positions stay 1..n). */
export async function closeGap(tx: TenantTx, sessionId: string, position: number): Promise<void> {
  await tx
    .update(iscAgendaItems)
    .set({ position: sql`${iscAgendaItems.position} - 1` })
    .where(and(eq(iscAgendaItems.sessionId, sessionId), gt(iscAgendaItems.position, position)));
}

// ---- documents --------------------------------------------------------------------------------

export function documentsOf(tx: TenantTx, sessionId: string): Promise<DocumentRow[]> {
  return tx
    .select()
    .from(iscDocuments)
    .where(eq(iscDocuments.sessionId, sessionId))
    .orderBy(asc(iscDocuments.createdAt));
}

export async function findDocument(
  tx: TenantTx,
  sessionId: string,
  id: string,
): Promise<DocumentRow | undefined> {
  const [d] = await tx
    .select()
    .from(iscDocuments)
    .where(and(eq(iscDocuments.sessionId, sessionId), eq(iscDocuments.id, id)));
  return d;
}

export async function insertDocument(
  tx: TenantTx,
  row: typeof iscDocuments.$inferInsert,
): Promise<DocumentRow> {
  const [d] = await tx.insert(iscDocuments).values(row).returning();
  return d!;
}

export async function deleteDocument(tx: TenantTx, id: string): Promise<void> {
  await tx.delete(iscDocuments).where(eq(iscDocuments.id, id));
}

/** Agenda items of this session that link this document. */
export async function unlinkDocument(tx: TenantTx, sessionId: string, documentId: string): Promise<void> {
  await tx
    .update(iscAgendaItems)
    .set({
      documentIds: sql`array_remove(${iscAgendaItems.documentIds}, ${documentId}::uuid)`,
      version: sql`${iscAgendaItems.version} + 1`,
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(iscAgendaItems.sessionId, sessionId),
        sql`${documentId}::uuid = any(${iscAgendaItems.documentIds})`,
      ),
    );
}

// ---- work programme ---------------------------------------------------------------------------

export function listWorkItems(tx: TenantTx, programme?: string): Promise<WorkItemRow[]> {
  return tx
    .select()
    .from(iscWorkItems)
    .where(programme ? eq(iscWorkItems.programme, programme) : undefined)
    .orderBy(asc(iscWorkItems.programme), asc(iscWorkItems.ref))
    .limit(1000);
}

export async function findWorkItem(tx: TenantTx, id: string): Promise<WorkItemRow | undefined> {
  const [w] = await tx.select().from(iscWorkItems).where(eq(iscWorkItems.id, id));
  return w;
}

export async function workRefTaken(
  tx: TenantTx,
  programme: string,
  ref: string,
  except?: string,
): Promise<boolean> {
  const rows = await tx
    .select({ id: iscWorkItems.id })
    .from(iscWorkItems)
    .where(and(eq(iscWorkItems.programme, programme), eq(iscWorkItems.ref, ref)));
  return rows.some((r) => r.id !== except);
}

export async function insertWorkItem(
  tx: TenantTx,
  row: typeof iscWorkItems.$inferInsert,
): Promise<WorkItemRow> {
  const [w] = await tx.insert(iscWorkItems).values(row).returning();
  return w!;
}

// ---- recommendations ---------------------------------------------------------------------------

export function listRecommendations(tx: TenantTx): Promise<RecommendationRow[]> {
  return tx.select().from(iscRecommendations).orderBy(asc(iscRecommendations.ref)).limit(1000);
}

export async function findRecommendation(tx: TenantTx, id: string): Promise<RecommendationRow | undefined> {
  const [r] = await tx.select().from(iscRecommendations).where(eq(iscRecommendations.id, id));
  return r;
}

export async function recommendationRefTaken(tx: TenantTx, ref: string, except?: string): Promise<boolean> {
  const rows = await tx
    .select({ id: iscRecommendations.id })
    .from(iscRecommendations)
    .where(eq(iscRecommendations.ref, ref));
  return rows.some((r) => r.id !== except);
}

export async function insertRecommendation(
  tx: TenantTx,
  row: typeof iscRecommendations.$inferInsert,
): Promise<RecommendationRow> {
  const [r] = await tx.insert(iscRecommendations).values(row).returning();
  return r!;
}

export async function sessionNumbers(tx: TenantTx, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: iscSessions.id, number: iscSessions.number })
    .from(iscSessions)
    .where(inArray(iscSessions.id, ids));
  return new Map(rows.map((r) => [r.id, r.number]));
}

// ---- observers --------------------------------------------------------------------------------

/** Organisations the Secretariat may invite as observers (empty for any other tenant). */
export async function observerOrganisations(
  tx: TenantTx,
): Promise<{ id: string; name: string; type: 'international' | 'private_sector' | 'donor' }[]> {
  const r = (await tx.execute(sql`select id, name, type from isc_observer_organisations()`)) as unknown as {
    rows: { id: string; name: string; type: 'international' | 'private_sector' | 'donor' }[];
  };
  return r.rows;
}

/** Which of these work items the caller may read (an observer: the public ones only). */
export async function readableWorkItems(tx: TenantTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx
    .select({ id: iscWorkItems.id })
    .from(iscWorkItems)
    .where(inArray(iscWorkItems.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}
