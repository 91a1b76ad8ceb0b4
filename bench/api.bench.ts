/**
 * npm run bench:api — the cost of Arusha's kernel on an authenticated, tenant-scoped list.
 *
 * Three endpoints, measured in the same run with the same load (autocannon in its own
 * process, the servers in this one), on the embedded database and, when one answers, on
 * PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres):
 *   (a) bare   — a bare Fastify route returning the same JSON, no database;
 *   (b) query  — a bare Fastify route running the same SQL directly on the pool;
 *   (b′) orm   — the same, through the module's own query function (Drizzle) — so the kernel's
 *                cost (k vs b′) is told apart from the query builder's (b′ vs b);
 *   (k) kernel — GET /api/organisation/members: session → actor, permission check,
 *                tenant transaction under row-level security, zod-validated response.
 * Figures are machine-dependent; read the ratios. Target: k ≥ 0.7 × b. The CPU time this
 * process spends per request (server side only: not the load generator, not PostgreSQL) is
 * printed too: it tells where the kernel's cost lies even when other work shares the machine.
 */
import { spawn } from 'node:child_process';
import Fastify from 'fastify';
import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { createHarness } from '../src/platform/testing/harness.ts';
import { asc, eq } from 'drizzle-orm';
import { memberships, users } from '../src/modules/identity/identity.schema.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SQL = `select m.id, u.id as user_id, u.email, u.name, m.roles, u.totp_enabled, m.version
  from memberships m join users u on u.id = m.user_id where m.tenant_id = $1 order by u.name`;

interface Result {
  rps: number;
  p99: number;
  errors: number;
  /** This process's CPU time per request, in µs. */
  cpu: number;
}

let served = 0;
const count = (server: import('node:http').Server) => server.on('request', () => served++);

function autocannon(url: string, headers: Record<string, string>): Promise<Result> {
  const args = ['autocannon', '--json', '-c', String(CONNECTIONS), '-d', String(SECONDS), '-w', '1'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    const before = process.cpuUsage();
    const servedBefore = served;
    const p = spawn('npx', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => {
      try {
        const j = JSON.parse(out);
        const used = process.cpuUsage(before);
        const requests = served - servedBefore; // warm-up included, as in the CPU time
        resolve({
          rps: j.requests.average,
          p99: j.latency.p99,
          errors: j.errors + j.non2xx,
          cpu: (used.user + used.system) / Math.max(1, requests),
        });
      } catch (e) {
        reject(e);
      }
    });
  });
}

async function run(label: string, databaseUrl: string | undefined) {
  const h = await createHarness({ env: { DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'silent' } });
  const admin = await h.as(h.a.users.org_admin.email);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const kPort = (h.app.server.address() as { port: number }).port;
  count(h.app.server);
  const sample = (await admin.get('/api/organisation/members')).json();

  // (b) gets a pool as large as the kernel's tenant pool, so the comparison is fair.
  const pool = h.config.DATABASE_URL
    ? new pg.Pool({ connectionString: h.config.DATABASE_URL, max: h.config.DATABASE_POOL_SIZE })
    : undefined;
  const direct = pool
    ? async () => (await pool.query(SQL, [h.a.id])).rows
    : () => h.kernel.db.query(SQL, [h.a.id]);
  // The same Drizzle query as identity's listMembers, on a plain pool; the owner sees every
  // tenant, so an explicit tenant filter stands in for row-level security.
  const ormDb = pool ? drizzle(pool) : h.kernel.db.owner;
  const viaOrm = () =>
    ormDb
      .select({
        id: memberships.id,
        userId: users.id,
        email: users.email,
        name: users.name,
        roles: memberships.roles,
        totpEnabled: users.totpEnabled,
        version: memberships.version,
      })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(eq(memberships.tenantId, h.a.id))
      .orderBy(asc(users.name));
  const bare = Fastify();
  bare.get('/bare', async () => sample);
  bare.get('/query', async () => ({ items: await direct() }));
  bare.get('/orm', async () => ({ items: await viaOrm() }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bPort = (bare.server.address() as { port: number }).port;
  count(bare.server);

  const a = await autocannon(`http://127.0.0.1:${bPort}/bare`, {});
  const b = await autocannon(`http://127.0.0.1:${bPort}/query`, {});
  const o = await autocannon(`http://127.0.0.1:${bPort}/orm`, {});
  const k = await autocannon(`http://127.0.0.1:${kPort}/api/organisation/members`, {
    cookie: `arusha_session=${admin.cookie}`,
  });
  await bare.close();
  await pool?.end();
  await h.close();

  const row = (name: string, r: Result) =>
    `  ${name.padEnd(50)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  ${(r.rps / b.rps).toFixed(2)}× of (b)  ${r.cpu.toFixed(0).padStart(5)} µs CPU/req${r.errors ? `  (${r.errors} errors)` : ''}`;
  console.log(
    `\n${label} — ${sample.items.length} rows per response, ${CONNECTIONS} connections, ${SECONDS} s each`,
  );
  console.log(row('(a) bare Fastify JSON', a));
  console.log(row('(b) bare route, same query', b));
  console.log(row("(b') bare route, same query through Drizzle", o));
  console.log(row('(k) Arusha kernel (auth, RLS tx, permission, zod)', k));
  const overhead = 1 - k.rps / b.rps;
  console.log(
    `  kernel overhead against (b): ${(overhead * 100).toFixed(0)} % of throughput (target ≤ 30 %)`,
  );
  console.log(
    `  against (b'): ${((1 - k.rps / o.rps) * 100).toFixed(0)} %; the query builder alone costs ${((1 - o.rps / b.rps) * 100).toFixed(0)} %`,
  );
  return { a, b, o, k, overhead };
}

const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
await run('Embedded database (PGlite)', undefined);
const probe = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 2000 });
try {
  await probe.connect();
  await probe.end();
  await run('PostgreSQL server', serverUrl);
} catch {
  console.log(`\nNo PostgreSQL server at ${serverUrl}: skipped the server run.`);
}
