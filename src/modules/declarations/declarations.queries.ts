import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { Directory, type DirectoryMember, type DirectoryUnit } from '../identity/index.ts';
import {
  declarationCycles,
  declarationFlags,
  declarations,
  declarationSettings,
} from './declarations.schema.ts';

// SQL of the declarations module, on the tenant handle (row-level security: one tenant).

export type SettingsRow = typeof declarationSettings.$inferSelect;
export type CycleRow = typeof declarationCycles.$inferSelect;
export type DeclarationRow = typeof declarations.$inferSelect;
export type FlagRow = typeof declarationFlags.$inferSelect;

const directory = new Directory();
export const members = (tx: TenantTx): Promise<DirectoryMember[]> => directory.members(tx);
export const units = (tx: TenantTx): Promise<DirectoryUnit[]> => directory.units(tx);
export const unitOf = (tx: TenantTx, userId: string) => directory.unitOf(tx, userId);
export const names = async (tx: TenantTx, ids: string[]): Promise<Map<string, string>> =>
  new Map([...(await directory.people(tx, ids))].map(([id, p]) => [id, p.name]));

export async function settings(tx: TenantTx): Promise<SettingsRow | undefined> {
  const [row] = await tx.select().from(declarationSettings).limit(1);
  return row;
}

export const cycles = (tx: TenantTx): Promise<CycleRow[]> =>
  tx.select().from(declarationCycles).orderBy(desc(declarationCycles.dueDate));

export async function cycle(tx: TenantTx, id: string): Promise<CycleRow | undefined> {
  const [row] = await tx.select().from(declarationCycles).where(eq(declarationCycles.id, id));
  return row;
}

export async function declaration(tx: TenantTx, id: string): Promise<DeclarationRow | undefined> {
  const [row] = await tx.select().from(declarations).where(eq(declarations.id, id));
  return row;
}

export const listDeclarations = (
  tx: TenantTx,
  where: { userId?: string; userIds?: string[]; types?: string[]; cycleId?: string } = {},
): Promise<DeclarationRow[]> =>
  tx
    .select()
    .from(declarations)
    .where(
      and(
        where.userId ? eq(declarations.userId, where.userId) : undefined,
        // An empty list matches nothing (drizzle renders `false`).
        where.userIds ? inArray(declarations.userId, where.userIds) : undefined,
        where.types ? inArray(declarations.type, where.types as never[]) : undefined,
        where.cycleId ? eq(declarations.cycleId, where.cycleId) : undefined,
      ),
    )
    .orderBy(desc(declarations.submittedAt));

export const flags = (tx: TenantTx, status?: string): Promise<FlagRow[]> =>
  tx
    .select()
    .from(declarationFlags)
    .where(status ? eq(declarationFlags.status, status as never) : undefined)
    .orderBy(desc(declarationFlags.createdAt));

export async function flag(tx: TenantTx, id: string): Promise<FlagRow | undefined> {
  const [row] = await tx.select().from(declarationFlags).where(eq(declarationFlags.id, id));
  return row;
}

export const flagsOf = (tx: TenantTx, declarationId: string): Promise<FlagRow[]> =>
  tx
    .select()
    .from(declarationFlags)
    .where(eq(declarationFlags.declarationId, declarationId))
    .orderBy(asc(declarationFlags.createdAt));

/** Open flags per declaration. */
export async function openFlagCounts(tx: TenantTx): Promise<Map<string, number>> {
  const list = await tx
    .select({ id: declarationFlags.declarationId, n: sql<number>`count(*)::int` })
    .from(declarationFlags)
    .where(and(eq(declarationFlags.status, 'open'), sql`${declarationFlags.declarationId} is not null`))
    .groupBy(declarationFlags.declarationId);
  return new Map(list.map((r) => [r.id!, Number(r.n)]));
}

/** Inserts a flag unless one with the same rule and subject exists; true when new. */
export async function insertFlag(
  tx: TenantTx,
  values: typeof declarationFlags.$inferInsert,
): Promise<string | null> {
  const [row] = await tx
    .insert(declarationFlags)
    .values(values)
    .onConflictDoNothing({
      target: [declarationFlags.tenantId, declarationFlags.rule, declarationFlags.subject],
    })
    .returning({ id: declarationFlags.id });
  return row?.id ?? null;
}

// ---- re-sealing after a SECRET_KEY change (declarations.reseal.ts) -----------------------------

/** Where sealed values live: asset values of declarations, the growth flag's amounts. */
export const SEALED_COLUMNS = {
  declarations: { table: declarations, column: declarations.assetSealed, key: 'assetSealed' },
  flags: { table: declarationFlags, column: declarationFlags.sealedFacts, key: 'sealedFacts' },
} as const;
export type SealedPlace = keyof typeof SEALED_COLUMNS;

/** The next `limit` sealed values after the id `after` (keyset order by id). */
export async function sealedBatch(tx: TenantTx, place: SealedPlace, after: string | null, limit: number) {
  const { table, column } = SEALED_COLUMNS[place];
  const rows = await tx
    .select({ id: table.id, sealed: column })
    .from(table)
    .where(and(sql`${column} is not null`, after ? sql`${table.id} > ${after}` : undefined))
    .orderBy(asc(table.id))
    .limit(limit);
  return rows as { id: string; sealed: string }[];
}

export async function countSealed(tx: TenantTx, place: SealedPlace) {
  const { table, column } = SEALED_COLUMNS[place];
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(table)
    .where(sql`${column} is not null`);
  return r?.n ?? 0;
}

/** Replaces one sealed value (no version bump: the content does not change). */
export async function setSealed(tx: TenantTx, place: SealedPlace, id: string, sealed: string) {
  const { table, key } = SEALED_COLUMNS[place];
  await tx
    .update(table)
    .set({ [key]: sealed })
    .where(eq(table.id, id));
}
