import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { Database } from './client.ts';

export const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../db/migrations',
);

/** Forward-only migrations; on a server an advisory lock lets several instances start at once. */
export async function migrate(db: Database): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_DIR };
  if (db.kind === 'embedded') {
    await migratePglite(db.owner as never, config);
    return;
  }
  const client = await db.pool!.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('arusha.migrate'))");
    await migratePg(drizzlePg(client) as never, config);
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('arusha.migrate'))").catch(() => {});
    client.release();
  }
}
