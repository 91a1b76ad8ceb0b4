import type { Database, Tx } from './client.ts';

declare const SYSTEM_SCOPED: unique symbol;
/**
 * A transaction as the owner role, across tenants. Importable only by platform code,
 * identity's authentication and the CLI (checked by src/platform/boundaries.test.ts).
 */
export type SystemTx = Tx & { readonly [SYSTEM_SCOPED]: true };

export function withSystem<T>(db: Database, fn: (tx: SystemTx) => Promise<T>): Promise<T> {
  return db.owner.transaction((tx) => fn(tx as SystemTx));
}
