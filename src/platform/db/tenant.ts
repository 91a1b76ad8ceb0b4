import { sql } from 'drizzle-orm';
import type { Database, Tx } from './client.ts';

declare const TENANT_SCOPED: unique symbol;
/**
 * A transaction running as the application role `arusha_app` with `app.tenant_id` set:
 * row-level security confines it to one tenant. Only the route helper, the job worker
 * and tests create one; module queries accept nothing else.
 */
export type TenantTx = Tx & { readonly [TENANT_SCOPED]: true };

export interface Scope {
  tenantId: string;
  userId: string | null;
}

export function withTenant<T>(db: Database, scope: Scope, fn: (tx: TenantTx) => Promise<T>): Promise<T> {
  return db.owner.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('role', 'arusha_app', true), set_config('app.tenant_id', ${scope.tenantId}, true), set_config('app.user_id', ${scope.userId ?? ''}, true)`,
    );
    return fn(tx as TenantTx);
  });
}

export async function rows<T>(p: Promise<unknown>): Promise<T[]> {
  return ((await p) as { rows: T[] }).rows;
}
