import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { pino } from 'pino';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Database } from '../db/client.ts';
import { migrate, MIGRATIONS_DIR } from '../db/migrate.ts';
import { boot } from '../boot.ts';
import type { Kernel, Module } from '../kernel.ts';
import { BUILT_IN_ROLES, type RoleId } from '../access/permissions.ts';
import { MODULES } from '../../modules.ts';
import { createHttpApp } from '../../app.ts';
import { IdentityService } from '../../modules/identity/index.ts';
import { hashPassword } from '../../modules/identity/identity.crypto.ts';

/**
 * The shared test harness: a real database (embedded PGlite by default, a fresh database
 * on the PostgreSQL server when DATABASE_URL is set), the real kernel and HTTP app, and
 * two tenants, A and B, each with one user per built-in role.
 */
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TenantFixture {
  id: string;
  name: string;
  users: Record<RoleId, { id: string; email: string }>;
}

export interface Harness {
  kernel: Kernel;
  app: FastifyInstance;
  config: Config;
  a: TenantFixture;
  b: TenantFixture;
  /** Signs in and returns a client that sends the session cookie and the CSRF header. */
  as(email: string): Promise<Client>;
  anonymous(): Client;
  close(): Promise<void>;
}

export interface Client {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
  cookie: string | undefined;
}

function client(app: FastifyInstance, cookie?: string): Client {
  const request = (opts: InjectOptions) =>
    app.inject({
      ...opts,
      headers: {
        'x-requested-with': 'arusha',
        ...(cookie ? { cookie: `arusha_session=${cookie}` } : {}),
        ...(opts.headers ?? {}),
      },
    });
  return {
    cookie,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) =>
      request({ method: 'POST', url, ...(body !== undefined ? { payload: body as object } : {}) }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as object }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}

const migrationsHash = () => {
  const h = createHash('sha256');
  for (const f of fs.readdirSync(MIGRATIONS_DIR).sort())
    if (f.endsWith('.sql')) h.update(f).update(fs.readFileSync(path.join(MIGRATIONS_DIR, f)));
  return h.digest('hex').slice(0, 16);
};

/** A migrated embedded database, cloned from a cached template (initdb costs seconds). */
async function embedded(): Promise<Database> {
  const dir = path.join(os.tmpdir(), 'arusha-test-templates');
  const file = path.join(dir, `pglite-${migrationsHash()}.tar.gz`);
  if (fs.existsSync(file)) {
    const data = new Blob([fs.readFileSync(file)]);
    return openDatabase({ dataDir: '', memory: true, loadDataDir: data });
  }
  const db = await openDatabase({ dataDir: '', memory: true });
  await migrate(db);
  const dump = await db.pglite!.dumpDataDir('gzip');
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return db;
}

/** An empty database on the server named by `url`, for one test file; drop() removes it. */
export async function freshServerDatabase(url: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `arusha_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

async function server(url: string): Promise<{ db: Database; url: string; drop: () => Promise<void> }> {
  const fresh = await freshServerDatabase(url);
  const db = await openDatabase({ dataDir: '', databaseUrl: fresh.url, poolSize: 10 });
  await migrate(db);
  return { db, url: fresh.url, drop: fresh.drop };
}

export interface HarnessOptions {
  modules?: Module[];
  env?: Record<string, string>;
  /** Receives every log line (JSON), for tests about what is logged. */
  logSink?: (line: string) => void;
}

let passwordHash: Promise<string> | undefined;

export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-test-'));
  const base = loadConfig({
    DATABASE_URL: process.env.DATABASE_URL,
    STORAGE: process.env.STORAGE,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    ...opts.env,
  });
  let db: Database;
  let drop = async () => {};
  let config = base;
  if (base.DATABASE_URL) {
    const s = await server(base.DATABASE_URL);
    db = s.db;
    drop = s.drop;
    config = { ...base, DATABASE_URL: s.url };
  } else {
    db = await embedded();
  }
  const log = opts.logSink
    ? pino(
        {
          level: 'info',
          redact: { paths: ['req.headers.cookie', 'req.headers.authorization'], censor: '[redacted]' },
        },
        { write: opts.logSink },
      )
    : pino({ level: 'warn' });
  const modules = opts.modules ?? MODULES;
  const kernel = await boot(modules, { config, db, log, skipMigrations: true });
  const app = await createHttpApp(kernel, modules);
  await app.ready();

  passwordHash ??= hashPassword(TEST_PASSWORD);
  const hash = await passwordHash;
  const svc = new IdentityService(kernel);
  const tenant = async (key: 'a' | 'b'): Promise<TenantFixture> => {
    const org = await svc.createOrganisation(null, {
      type: 'administration',
      name: `Tenant ${key.toUpperCase()} Customs`,
      country: key === 'a' ? 'XA' : 'XB',
      wcoRegion: key === 'a' ? 'ESA' : 'WCA',
    });
    const users = {} as TenantFixture['users'];
    for (const role of BUILT_IN_ROLES) {
      const email = `${role.replaceAll('_', '-')}@${key}.test`;
      const u = await svc.ensureUser({
        email,
        name: `${role} ${key.toUpperCase()}`,
        passwordHash: hash,
        isPlatformAdmin: role === 'platform_admin',
      });
      await svc.addMembership(org.id, u.id, [role]);
      users[role] = { id: u.id, email };
    }
    return { id: org.id, name: org.name, users };
  };
  let signIns = 0;
  const a = await tenant('a');
  const b = await tenant('b');

  return {
    kernel,
    app,
    config,
    a,
    b,
    anonymous: () => client(app),
    async as(email) {
      // A distinct client address per sign-in, so a file's many sign-ins stay under the login rate limit.
      signIns++;
      const remoteAddress = `10.${(signIns >> 16) & 255}.${(signIns >> 8) & 255}.${signIns & 255}`;
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress,
        headers: { 'x-requested-with': 'arusha' },
        payload: { email, password: TEST_PASSWORD },
      });
      if (res.statusCode !== 200) throw new Error(`login ${email}: ${res.statusCode} ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'arusha_session')!.value;
      return client(app, cookie);
    },
    async close() {
      await app.close();
      await kernel.jobs.stop();
      await db.close();
      await drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
