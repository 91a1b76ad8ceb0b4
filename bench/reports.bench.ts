/**
 * npm run bench:reports — no loss under load: N reports submitted concurrently through the
 * HTTP app (in process, app.inject), then every one decrypted as the assigned handler.
 * Prints submissions/s and p50/p99 latency; fails (exit 1) if a report is missing,
 * duplicated or does not decrypt to what was sent. BENCH_N (default 500), BENCH_CONCURRENCY
 * (default 25). Figures are machine-dependent: the receipt's Argon2id (19 MiB, t = 2) is
 * most of the cost per submission.
 */
import { withTenant } from '../src/platform/db/tenant.ts';
import type { Actor } from '../src/platform/auth/actor.ts';
import { MODULES } from '../src/modules.ts';
import { reportsModuleWith, ReportsService } from '../src/modules/reports/index.ts';
import { createHarness } from '../src/platform/testing/harness.ts';

const N = Number(process.env.BENCH_N ?? 500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 25);
const limits = { perChannelPerHour: 1e9, globalPerHour: 1e9 };

const modules = MODULES.map((m) => (m.name === 'reports' ? reportsModuleWith(limits) : m));
const h = await createHarness({ modules });
const tenantId = h.a.id;
const user = h.a.users.case_handler;
const actor = {
  userId: user.id,
  tenantId,
  sessionId: 'bench',
  permissions: new Set(['reports.handle']),
} as unknown as Actor;
const svc = new ReportsService(h.kernel, limits);
await withTenant(h.kernel.db, { tenantId, userId: user.id }, async (tx) => {
  await svc.setupKey(tx, tenantId, actor, 'bench handler passphrase');
  await svc.ensureDefaultChannel(tx, tenantId, [user.id]);
});

const latencies: number[] = [];
const receipts = new Set<string>();
let next = 0;
let failed = 0;
const t0 = performance.now();
async function worker() {
  while (next < N) {
    const i = next++;
    const s = performance.now();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/public/reports/${tenantId}/report`,
      payload: { language: 'en', answers: { what: `bench report #${i}`, procedure: 'transit' } },
    });
    latencies.push(performance.now() - s);
    if (res.statusCode === 201) receipts.add(res.json().receipt);
    else failed++;
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
const seconds = (performance.now() - t0) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;

// Decrypt every report as the handler.
const t1 = performance.now();
const seen = new Set<number>();
let corrupt = 0;
await withTenant(h.kernel.db, { tenantId, userId: user.id }, async (tx) => {
  const items = await svc.list(tx, actor, 'en');
  for (const it of items) {
    const d = await svc.open(tx, tenantId, actor, it.id, 'en');
    const what = String(d.answers.find((a) => a.id === 'what')?.value ?? '');
    const m = /^bench report #(\d+)$/.exec(what);
    if (!m || seen.has(Number(m[1]))) corrupt++;
    else seen.add(Number(m[1]));
  }
});
const decryptSeconds = (performance.now() - t1) / 1000;
console.log(
  JSON.stringify({
    n: N,
    concurrency: CONCURRENCY,
    accepted: receipts.size,
    failed,
    decrypted: seen.size,
    corruptOrDuplicated: corrupt,
    submissionsPerSecond: Math.round((receipts.size / seconds) * 10) / 10,
    p50ms: Math.round(pct(50)),
    p99ms: Math.round(pct(99)),
    decryptPerSecond: Math.round(seen.size / decryptSeconds),
  }),
);
await h.close();
if (failed || receipts.size !== N || seen.size !== N || corrupt) process.exit(1);
