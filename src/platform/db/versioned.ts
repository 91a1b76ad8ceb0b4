import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { AppError } from '../errors.ts';
import type { TenantTx } from './tenant.ts';

type Versioned = PgTable & { id: PgColumn; version: PgColumn; updatedAt: PgColumn };

/**
 * Optimistic concurrency for every module: the update applies only if the caller saw the
 * current version; otherwise VERSION_CONFLICT (409) — never a silent overwrite.
 */
export async function updateVersioned<T extends Versioned>(
  tx: TenantTx,
  table: T,
  id: string,
  expectedVersion: number,
  values: Partial<T['$inferInsert']>,
  extraWhere?: SQL,
): Promise<T['$inferSelect']> {
  const where = and(eq(table.id, id), eq(table.version, expectedVersion), extraWhere);
  const updated = (await tx
    .update(table)
    .set({ ...values, version: sql`${table.version} + 1`, updatedAt: new Date() } as never)
    .where(where)
    .returning()) as unknown as T['$inferSelect'][];
  if (updated.length === 1) return updated[0] as T['$inferSelect'];
  throw await whyNot(tx, table, id, expectedVersion, extraWhere);
}

/** The delete twin of updateVersioned: removes the row only at the version the caller saw. */
export async function deleteVersioned<T extends Versioned>(
  tx: TenantTx,
  table: T,
  id: string,
  expectedVersion: number,
  extraWhere?: SQL,
): Promise<void> {
  const deleted = (await tx
    .delete(table)
    .where(and(eq(table.id, id), eq(table.version, expectedVersion), extraWhere))
    .returning({ id: table.id })) as unknown[];
  if (deleted.length !== 1) throw await whyNot(tx, table, id, expectedVersion, extraWhere);
}

/** Why a versioned write touched nothing: the row is gone (404) or has moved on (409). */
async function whyNot(tx: TenantTx, table: Versioned, id: string, expectedVersion: number, extraWhere?: SQL) {
  const exists = (await tx
    .select({ v: table.version })
    .from(table as PgTable)
    .where(and(eq(table.id, id), extraWhere))) as { v: number }[];
  if (exists.length === 0) return new AppError('NOT_FOUND', 'not found');
  return new AppError(
    'VERSION_CONFLICT',
    `This record was changed by someone else (your version ${expectedVersion}, current ${exists[0]!.v}). Reload and try again.`,
  );
}
