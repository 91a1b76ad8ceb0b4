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
  const exists = (await tx
    .select({ v: table.version })
    .from(table as PgTable)
    .where(and(eq(table.id, id), extraWhere))) as { v: number }[];
  if (exists.length === 0) throw new AppError('NOT_FOUND', 'not found');
  throw new AppError(
    'VERSION_CONFLICT',
    `This record was changed by someone else (your version ${expectedVersion}, current ${exists[0]!.v}). Reload and try again.`,
  );
}
