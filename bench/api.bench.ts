/**
 * npm run bench:api — the cost of Arusha's kernel on an authenticated, tenant-scoped list.
 *
 * The endpoints, measured in the same run with the same load (autocannon in its own
 * process, the servers in this one), on the embedded database and, when one answers, on
 * PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres):
 *   (a) bare   — a bare Fastify route returning the same JSON, no database;
 *   (b) query  — a bare Fastify route running the same SQL directly on the pool;
 *   (b′) orm   — the same, through the module's own query function (Drizzle) — so the kernel's
 *                cost (k vs b′) is told apart from the query builder's (b′ vs b);
 *   (b″) prepared — PostgreSQL only: (b) as a named statement, as the kernel's server
 *                connections run a statement they see often (a reference, not a target);
 *   (k) kernel — GET /api/organisation/members: session → actor, permission check,
 *                tenant transaction under row-level security, zod-validated response.
 * Figures are machine-dependent; read the ratios. Issue 2's target: k ≥ 0.7 × b; ADR 0020's
 * k ≥ 0.7 × b′ (PostgreSQL), ≥ 0.6 × b′ (PGlite). The CPU time this process spends per request
 * (the servers, not the load generator) and, when PostgreSQL runs on this machine, its
 * backends' CPU time per request are printed too: they tell where the cost lies even when
 * other work shares the machine, whose throughput pays for both.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
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
  /** The PostgreSQL backends' CPU time per request, in µs, when the server runs on this machine. */
  db?: number;
}

/**
 * CPU ticks of each PostgreSQL backend connected to this database (other than the probe's),
 * read from /proc: the server's side of a request's cost, which the throughput of a shared
 * machine also pays. Undefined when the server is not on this machine (or not Linux).
 */
async function backendTicks(probe: pg.Pool | undefined): Promise<Map<number, number> | undefined> {
  if (!probe) return undefined;
  const { rows } = await probe.query<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  const ticks = new Map<number, number>();
  try {
    for (const { pid } of rows) {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime + stime
    }
  } catch {
    return undefined;
  }
  return ticks;
}
const TICK_US = 10_000; // USER_HZ is 100 on Linux

let served = 0;
const count = (server: import('node:http').Server) => server.on('request', () => served++);

async function autocannon(url: string, headers: Record<string, string>, probe?: pg.Pool): Promise<Result> {
  const ticksBefore = await backendTicks(probe);
  const r = await load(url, headers);
  const ticksAfter = ticksBefore && (await backendTicks(probe));
  if (ticksBefore && ticksAfter) {
    let ticks = 0; // backends opened during the run count from zero
    for (const [pid, t] of ticksAfter) ticks += t - (ticksBefore.get(pid) ?? 0);
    r.db = (ticks * TICK_US) / Math.max(1, r.requests);
  }
  return r;
}

function load(url: string, headers: Record<string, string>): Promise<Result & { requests: number }> {
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
          requests,
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
  // The kernel's server connections prepare the statements they run often (docs/adr/0020);
  // the same done by hand on the bare route shows how much of the difference that alone is.
  bare.get('/prepared', async () => ({
    items: (await pool!.query({ name: 'members', text: SQL, values: [h.a.id] })).rows,
  }));
  bare.get('/orm', async () => ({ items: await viaOrm() }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bPort = (bare.server.address() as { port: number }).port;
  count(bare.server);

  // A connection of its own to find the backends serving this database (not counted).
  const probe = pool ? new pg.Pool({ connectionString: h.config.DATABASE_URL, max: 1 }) : undefined;
  const a = await autocannon(`http://127.0.0.1:${bPort}/bare`, {});
  const b = await autocannon(`http://127.0.0.1:${bPort}/query`, {}, probe);
  const o = await autocannon(`http://127.0.0.1:${bPort}/orm`, {}, probe);
  const bp = pool ? await autocannon(`http://127.0.0.1:${bPort}/prepared`, {}, probe) : undefined;
  const k = await autocannon(
    `http://127.0.0.1:${kPort}/api/organisation/members`,
    { cookie: `arusha_session=${admin.cookie}` },
    probe,
  );
  await bare.close();
  await probe?.end();
  await pool?.end();
  await h.close();

  const row = (name: string, r: Result) =>
    `  ${name.padEnd(50)} ${r.rps.toFixed(0).padStart(6)} req/s  p99 ${String(r.p99).padStart(4)} ms  ${(r.rps / b.rps).toFixed(2)}× of (b)  ${r.cpu.toFixed(0).padStart(5)} µs CPU/req${r.db === undefined ? '' : ` + PostgreSQL ${r.db.toFixed(0).padStart(4)} µs`}${r.errors ? `  (${r.errors} errors)` : ''}`;
  console.log(
    `\n${label} — ${sample.items.length} rows per response, ${CONNECTIONS} connections, ${SECONDS} s each`,
  );
  console.log(row('(a) bare Fastify JSON', a));
  console.log(row('(b) bare route, same query', b));
  console.log(row("(b') bare route, same query through Drizzle", o));
  if (bp) console.log(row('(b") bare route, same query, prepared statement', bp));
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
