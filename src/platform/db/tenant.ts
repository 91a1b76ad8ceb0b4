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

type Preparable = { prepare(name: string): { execute(values?: Record<string, unknown>): Promise<unknown> } };
type Prepared<Q extends Preparable> = ReturnType<Q['prepare']>;
/**
 * A tenant query that Drizzle builds once per database session instead of on every call.
 * Building the SQL text from a query builder costs about 50 µs of CPU, more than a short
 * indexed read itself (docs/adr/0020), so queries run on most requests (the lists every page
 * asks for) are written `prepared((tx) => tx.select()…)`, with `sql.placeholder('name')` for
 * the values that change and those values passed at each call. Row-level security applies
 * as the statement runs, as for any other (rls.test). Sessions are per pooled connection on
 * a server and one for every tenant read on the embedded database; a write transaction on
 * the embedded database has its own, so there the query is built once per transaction.
 */
export function prepared<Q extends Preparable>(
  build: (tx: TenantTx) => Q,
): (tx: TenantTx, values?: Record<string, unknown>) => ReturnType<Prepared<Q>['execute']> {
  const bySession = new WeakMap<object, Prepared<Q>>();
  return (tx, values) => {
    const session = (tx as unknown as { session: object }).session;
    let query = bySession.get(session);
    if (!query) {
      // No name: the server pool names a statement by its text once it is seen twice.
      query = build(tx).prepare(undefined as never) as Prepared<Q>;
      bySession.set(session, query);
    }
    return query.execute(values) as ReturnType<Prepared<Q>['execute']>;
  };
}
