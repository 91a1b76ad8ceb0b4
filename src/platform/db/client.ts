import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { acquireLock } from './lock.ts';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<PgQueryResultHKT, Record<string, never>, ExtractTablesWithRelations<Record<string, never>>>;

export interface Database {
  readonly kind: 'embedded' | 'server';
  /** Connection as the owner role: migrations, platform administration, the job worker. */
  readonly owner: Db;
  /** Runs raw SQL with parameters; rows come back with the same types on both drivers. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** A PGlite snapshot of the data folder (embedded only). */
  readonly pglite?: PGlite;
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

// Same JS types from both drivers: int8 → number (counts, sequence numbers; all far below 2^53),
// numeric → string (exact decimals stay exact), dates → Date.
const INT8 = 20;
const NUMERIC = 1700;
const toInt = (v: string) => Number.parseInt(v, 10);
pg.types.setTypeParser(INT8, toInt);

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
  /** In-memory embedded database (tests). */
  memory?: boolean;
  /** Load a PGlite dump instead of running initdb (tests: a migrated template). */
  loadDataDir?: Blob;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10 });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
    const owner = drizzlePg(pool) as unknown as Db;
    return {
      kind: 'server',
      owner,
      pool,
      async query(text, params) {
        return (await pool.query(text, params as unknown[])).rows;
      },
      close: () => pool.end(),
    };
  }
  let release = () => {};
  let dir: string | undefined;
  if (!opts.memory) {
    release = acquireLock(opts.dataDir);
    dir = path.join(opts.dataDir, 'db');
    fs.mkdirSync(dir, { recursive: true });
  }
  try {
    const client = await PGlite.create(dir ?? 'memory://', {
      parsers: { [INT8]: toInt, [NUMERIC]: (v: string) => v },
      ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    });
    const owner = drizzlePglite(client) as unknown as Db;
    return {
      kind: 'embedded',
      owner,
      pglite: client,
      async query(text, params) {
        return (await client.query(text, params as unknown[])).rows as never;
      },
      async close() {
        try {
          await client.close();
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
