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

export function withTenant<T>(
  db: Database,
  scope: Scope,
  fn: (tx: TenantTx) => Promise<T>,
  opts: { readOnly?: boolean } = {},
): Promise<T> {
  return db.runAsTenant(scope, opts.readOnly ?? false, (tx) => fn(tx as TenantTx));
}

export async function rows<T>(p: Promise<unknown>): Promise<T[]> {
  return ((await p) as { rows: T[] }).rows;
}
