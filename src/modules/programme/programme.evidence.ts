import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { CONSENT_SCOPES } from './programme.schema.ts';

// What the results framework and the multi-annual plan share to read a partner administration's
// evidence under its consent (docs/adr/0028, "Linked evidence across tenants, under consent").

/** A decimal figure (not money): up to 15 digits and 4 decimals, as a string. */
export const Figure = z.string().regex(/^-?\d{1,15}(\.\d{1,4})?$/, 'a decimal number such as 12.5');

export type Scope = (typeof CONSENT_SCOPES)[number];

/**
 * Whether the administration's consent rows (read in its own tenant) share this scope now: ok,
 * consent_withdrawn (given once, revoked since) or no_consent; with the subject of the active one.
 */
export function consentStatus(
  rows: readonly { scope: string; revokedAt: Date | null; subjectId: string | null }[],
  scope: Scope,
): { status: 'ok' | 'no_consent' | 'consent_withdrawn'; subjectId: string | null } {
  const mine = rows.filter((c) => c.scope === scope);
  const active = mine.find((c) => c.revokedAt === null);
  return active
    ? { status: 'ok', subjectId: active.subjectId }
    : { status: mine.length ? 'consent_withdrawn' : 'no_consent', subjectId: null };
}

/**
 * Runs `fn` on the caller's connection with row-level security set to `tenantId`, then puts the
 * caller's tenant back by rolling back: inside a transaction block to a savepoint, otherwise (a
 * read-only request runs statements outside a block) in a block of its own. Whatever `fn` reads
 * or writes is undone; it is for reads only. The embedded database has a single connection, so
 * a second transaction (withTenant) would wait for this one forever.
 */
export async function asTenant<T>(tx: TenantTx, tenantId: string, fn: () => Promise<T>): Promise<T> {
  let inBlock = true;
  try {
    await tx.execute(sql`savepoint programme_as_tenant`);
  } catch {
    inBlock = false;
    await tx.execute(sql`begin`);
  }
  try {
    await tx.execute(
      sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('app.user_id', '', true)`,
    );
    return await fn();
  } finally {
    if (inBlock) {
      await tx.execute(sql`rollback to savepoint programme_as_tenant`);
      await tx.execute(sql`release savepoint programme_as_tenant`);
    } else await tx.execute(sql`rollback`);
  }
}
