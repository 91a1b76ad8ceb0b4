import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import path from 'node:path';
import { PGlite, parse, protocol, type QueryOptions, type Results } from '@electric-sql/pglite';
import { drizzle as drizzlePglite, PgliteSession, PgliteTransaction } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg, NodePgTransaction } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import pg from 'pg';
import { acquireLock } from './lock.ts';

export type Db = PgDatabase<PgQueryResultHKT, Record<string, never>>;
export type Tx = PgTransaction<
  PgQueryResultHKT,
  Record<string, never>,
  ExtractTablesWithRelations<Record<string, never>>
>;

export interface TenantScope {
  tenantId: string;
  userId: string | null;
}

export interface Database {
  readonly kind: 'embedded' | 'server';
  /**
   * Runs `fn` as the application role `arusha_app` with the tenant set, in a transaction
   * (docs/adr/0003). `readOnly` lets a server connection skip BEGIN/COMMIT: a read under
   * READ COMMITTED sees per-statement snapshots either way, and two round trips are saved.
   */
  runAsTenant<T>(scope: TenantScope, readOnly: boolean, fn: (tx: Tx) => Promise<T>): Promise<T>;
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The settings inlined into one simple-protocol statement (one round trip instead of two).
 * Safe because both values are checked to be UUIDs here, at the only place they are built.
 */
function settings(scope: TenantScope, local: boolean): string {
  if (!UUID.test(scope.tenantId) || (scope.userId !== null && !UUID.test(scope.userId)))
    throw new Error('tenant scope must be UUIDs');
  return `SELECT set_config('role', 'arusha_app', ${local}), set_config('app.tenant_id', '${scope.tenantId}', ${local}), set_config('app.user_id', '${scope.userId ?? ''}', ${local})`;
}

/**
 * Inside a tenant transaction, the owner connection is off limits: it would escape row-level
 * security and the transaction, and on the embedded database (one connection) it deadlocks.
 * This makes that mistake fail loudly on both drivers instead.
 */
const inTenantScope = new AsyncLocalStorage<Tx>();

/**
 * The tenant transaction the current code runs in, if any. Kernel services that store rows
 * for a module (database file storage) write through it, so their rows are covered by
 * row-level security and commit or roll back with the module's own writes.
 */
export function currentTenantTransaction(): Tx | undefined {
  return inTenantScope.getStore();
}
function guarded<T extends object>(
  target: T,
  methods: string[],
  around: (call: () => unknown) => unknown = (call) => call(),
): T {
  return new Proxy(target, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      if (methods.includes(prop as string))
        return (...args: unknown[]) => {
          if (inTenantScope.getStore())
            throw new Error(
              'The owner database handle was used inside a tenant transaction: use the transaction (tx) you were given',
            );
          return around(() => (v as (...a: unknown[]) => unknown).apply(t, args));
        };
      return v.bind(t);
    },
  });
}

/**
 * Server connections of the tenant pool keep the statements they run often prepared, named by
 * their SQL text: PostgreSQL then parses, applies the row-level security policies (rewrite)
 * and plans such a statement once per connection, not on every call — for a short tenant
 * query that work costs more than running it (docs/adr/0020). Safe with row-level security:
 * a cached plan is replanned when the role changes, and the policies read the tenant setting
 * when the statement runs, not when it is planned. A text gets a name the second time it is
 * seen (one-off texts stay unnamed) and at most `max` texts are named, so each connection
 * holds a bounded set. Texts with a `;` (possibly several statements, which the extended
 * protocol refuses) are never named.
 */
export class StatementNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly max = 256,
    private readonly after = 2,
  ) {}
  nameOf(text: string): string | undefined {
    const name = this.names.get(text);
    if (name !== undefined || this.names.size >= this.max || text.includes(';')) return name;
    const times = (this.seen.get(text) ?? 0) + 1;
    if (times < this.after) {
      if (this.seen.size >= 10_000) this.seen.clear();
      this.seen.set(text, times);
      return undefined;
    }
    this.seen.delete(text);
    const created = `arusha_${this.names.size}`;
    this.names.set(text, created);
    return created;
  }
}

type QueryConfigLike = { text?: unknown; name?: unknown };
function prepareOften(client: pg.Client, names: StatementNames): void {
  const query = client.query as (...args: unknown[]) => unknown;
  client.query = function (this: pg.Client, config: unknown, ...rest: unknown[]) {
    const c = config as QueryConfigLike | null;
    const name =
      c !== null && typeof c === 'object' && c.name === undefined && typeof c.text === 'string'
        ? names.nameOf(c.text)
        : undefined;
    if (name === undefined || rest.some((r) => typeof r === 'function'))
      return query.call(this, config, ...rest);
    const named = { ...c, name };
    return (query.call(this, named, ...rest) as Promise<unknown>).catch((e: { code?: string }) => {
      // The session lost its statements (DEALLOCATE, DISCARD ALL): prepare again, once.
      if (e.code !== '26000') throw e;
      delete (this as unknown as { connection: { parsedStatements: Record<string, string> } }).connection
        .parsedStatements[name];
      return query.call(this, named, ...rest);
    });
  } as typeof client.query;
}

type Message = { name: string };
const failed = (messages: Message[]) => messages.find((m) => m.name === 'error') as Error | undefined;

/**
 * The embedded database's counterpart of `prepareOften`: a query whose text `names` has named
 * runs as a named prepared statement, parsed, rewritten for row-level security and planned
 * once per session instead of on every call, and sent as one protocol frame (bind, describe,
 * execute, sync) where PGlite's own `query` makes six calls into WebAssembly and re-parses
 * (docs/adr/0020). Parameters are serialised as `query` does. Anything unusual (options other
 * than row mode and parsers, a statement the session no longer has) takes the plain path.
 */
function pgliteNamed(client: PGlite, names: StatementNames) {
  const { serialize } = protocol;
  const paramTypes = new Map<string, number[]>();
  const plain = client.query.bind(client);
  /** The named path, run while holding PGlite's query lock; undefined: take the plain path. */
  const named = async <T>(
    name: string,
    text: string,
    params: unknown[],
    options?: QueryOptions,
  ): Promise<Results<T> | undefined> => {
    let types = paramTypes.get(name);
    if (!types) {
      const { messages } = await client.execProtocol(
        Buffer.concat([
          serialize.parse({ name, text }),
          serialize.describe({ type: 'S', name }),
          serialize.sync(),
        ]),
        { throwOnError: false },
      );
      if (failed(messages)) return undefined; // the plain path reports it
      const described = messages.find((m) => m.name === 'parameterDescription') as
        | { dataTypeIDs: number[] }
        | undefined;
      types = described?.dataTypeIDs ?? [];
      paramTypes.set(name, types);
    }
    const values = params.map((v, i) => {
      if (v === null || v === undefined) return null;
      const type = types[i]!;
      const serializer = options?.serializers?.[type] ?? client.serializers[type];
      return serializer ? serializer(v) : String(v);
    });
    const { messages } = await client.execProtocol(
      Buffer.concat([
        serialize.bind({ statement: name, values: values as string[] }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      { throwOnError: false },
    );
    const error = failed(messages) as (Error & { code?: string }) | undefined;
    if (error?.code === '26000') {
      paramTypes.delete(name); // the session lost it (DEALLOCATE): prepare again next time
      return undefined;
    }
    if (error) throw Object.assign(error, { query: text, params });
    return parse.parseResults(messages as never, client.parsers, options)[0] as Results<T>;
  };
  const query = async <T>(
    text: string,
    params: unknown[] = [],
    options?: QueryOptions,
  ): Promise<Results<T>> => {
    const extra = options && Object.keys(options).some((k) => k !== 'rowMode' && k !== 'parsers');
    const name = extra ? undefined : names.nameOf(text);
    // PGlite's lock keeps concurrent queries of one scope (Promise.all) from interleaving frames.
    const result =
      name === undefined
        ? undefined
        : await client._runExclusiveQuery(() => named<T>(name, text, params, options));
    return result ?? plain<T>(text, params, options);
  };
  return query;
}

/** Undoes what `settings(scope, false)` sets at session level. */
const RESET_SETTINGS = 'RESET ROLE; RESET app.tenant_id; RESET app.user_id';

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
    const size = opts.poolSize ?? 10;
    // Two pools: the owner's (migrations, authentication, jobs) and the application role's,
    // whose connections are `arusha_app` from the moment they open. A tenant read then costs
    // one extra round trip (the tenant setting), not three (BEGIN, setting, COMMIT).
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: Math.max(2, Math.ceil(size / 2)) });
    const tenantPool = new pg.Pool({ connectionString: opts.databaseUrl, max: size });
    for (const p of [pool, tenantPool]) p.on('error', () => {}); // idle-client errors surface on the next query
    const names = new StatementNames();
    tenantPool.on('connect', (c) => {
      prepareOften(c, names);
      void c.query('SET ROLE arusha_app').catch(() => {});
    });
    const ownerPool = guarded(pool, ['query', 'connect']);
    const owner = drizzlePg(ownerPool) as unknown as Db;
    type Bound = {
      dialect: ConstructorParameters<typeof NodePgTransaction>[0];
      session: ConstructorParameters<typeof NodePgTransaction>[1];
    };
    const sessions = new WeakMap<pg.PoolClient, Bound>();
    // The tenant settings each pooled connection holds at session level, so that a read by the
    // same tenant and user on the same connection needs no extra round trip. Only this code
    // sets them; a connection in doubt is destroyed, never reused.
    const current = new WeakMap<pg.PoolClient, string>();
    const bound = (client: pg.PoolClient): Bound => {
      const found = sessions.get(client);
      if (found) return found;
      const made = drizzlePg(client) as unknown as Bound;
      sessions.set(client, made);
      return made;
    };
    return {
      kind: 'server',
      owner,
      pool,
      async runAsTenant(scope, readOnly, fn) {
        const client = await tenantPool.connect();
        let broken = false;
        try {
          const d = bound(client);
          const tx = new NodePgTransaction(d.dialect, d.session, undefined as never) as unknown as Tx;
          if (readOnly) {
            const key = `${scope.tenantId}/${scope.userId ?? ''}`;
            if (current.get(client) !== key) {
              current.delete(client);
              await client.query(settings(scope, false));
              current.set(client, key);
            }
            return await inTenantScope.run(tx, async () => await fn(tx));
          }
          await client.query(`BEGIN; ${settings(scope, true)}`);
          try {
            const result = await inTenantScope.run(tx, async () => await fn(tx));
            await client.query('COMMIT');
            return result;
          } catch (e) {
            await client.query('ROLLBACK').catch(() => {
              broken = true;
            });
            throw e;
          }
        } finally {
          if (broken) current.delete(client);
          client.release(broken);
        }
      },
      async query(text, params) {
        return (await ownerPool.query(text, params as unknown[])).rows;
      },
      close: async () => {
        await tenantPool.end();
        await pool.end();
      },
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
    // One connection for the owner and every tenant. Like a pooled server connection, its
    // session keeps the settings of the last tenant read (`session`: that tenant/user key), so
    // a read by the same caller runs its statements alone, with no BEGIN, setting or COMMIT.
    // Every owner use first resets them. `exclusive` runs one scope or owner call at a time,
    // so nothing runs between a setting or a reset and the statements that rely on it.
    // `session` is null only when the session is known to be the owner's, clean.
    let session: string | null = null;
    let gate: Promise<unknown> = Promise.resolve();
    const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
      const run = gate.then(fn, fn);
      gate = run.catch(() => {});
      return run;
    };
    const asOwner = (call: () => unknown) =>
      exclusive(async () => {
        if (session !== null) {
          await client.exec(RESET_SETTINGS); // if this fails, the owner call does not run
          session = null;
        }
        return await call();
      });
    const ownerClient = guarded(client, ['query', 'exec', 'transaction', 'sql'], asOwner);
    const owner = drizzlePglite(ownerClient) as unknown as Db;
    const dialect = (owner as unknown as { dialect: ConstructorParameters<typeof PgliteSession>[1] }).dialect;
    // Tenant reads run their frequent statements prepared, as the server's tenant pool does.
    const named = pgliteNamed(client, new StatementNames());
    const readClient = new Proxy(client, {
      get: (t, prop) => (prop === 'query' ? named : Reflect.get(t, prop, t)),
    });
    const readSession = new PgliteSession(readClient, dialect, undefined);
    return {
      kind: 'embedded',
      owner,
      pglite: client,
      runAsTenant(scope, readOnly, fn) {
        const key = `${scope.tenantId}/${scope.userId ?? ''}`;
        if (readOnly)
          return exclusive(async () => {
            if (session !== key) {
              session = 'unknown'; // until the statement has succeeded: reset before any owner use
              await client.exec(settings(scope, false));
              session = key;
            }
            const tx = new PgliteTransaction(dialect, readSession, undefined as never) as unknown as Tx;
            return inTenantScope.run(tx, async () => await fn(tx));
          });
        // A write: its own transaction with local settings, on top of whatever the session holds.
        return exclusive(() =>
          client.transaction(async (t) => {
            await t.exec(settings(scope, true));
            const tx = new PgliteTransaction(
              dialect,
              new PgliteSession(t as never, dialect, undefined),
              undefined as never,
            ) as unknown as Tx;
            return inTenantScope.run(tx, async () => await fn(tx));
          }),
        );
      },
      async query(text, params) {
        return (await ownerClient.query(text, params as unknown[])).rows as never;
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
