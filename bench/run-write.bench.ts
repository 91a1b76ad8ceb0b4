// npm run bench:run-write [-- ROWS]   (default 2 000 000; DATABASE_URL: a PostgreSQL server, else
//   the embedded database; BENCH_ROUNDS=N interleaved rounds, default 3)
//
// What storing I10's pairs costs a run (docs/adr/0025, "I10 stores fewer pairs"): the same
// version run through the service with the pairs kept as shipped (the significant ones and the
// 1,000 most deviant others) and with every candidate kept (the baseline, as before the cap),
// interleaved. A run's wall time minus its computation (`seconds`, DuckDB) is what the database
// write of its results and alerts takes. The first run (it trains I6's model, cached after) is
// not counted.
import '../src/platform/native-memory.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withTenant } from '../src/platform/db/tenant.ts';
import { createHarness } from '../src/platform/testing/harness.ts';
import { generateDeclarations } from '../src/modules/analytics/analytics.generator.ts';
import { hashFile } from '../src/modules/analytics/analytics.import.ts';
import { closeAnalytics } from '../src/modules/analytics/index.ts';
import { AnalyticsService } from '../src/modules/analytics/analytics.service.ts';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 2_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const dir = fs.mkdtempSync(path.join(process.env.BENCH_DIR ?? os.tmpdir(), 'arusha-run-write-'));
const f2 = (x: number) => x.toFixed(2);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const h = await createHarness();
try {
  const file = path.join(dir, 'declarations.csv');
  await generateDeclarations({ rows, seed: 11, plant: true, out: file });
  const tenantId = h.a.id;
  const shipped = new AnalyticsService(h.kernel);
  const everyPair = new AnalyticsService(h.kernel, { pairsKept: Number.MAX_SAFE_INTEGER });
  const version = await withTenant(h.kernel.db, { tenantId, userId: null }, async (tx) => {
    const ds = await shipped.createDataset(tx, tenantId, null, {
      name: 'bench',
      description: '',
      kind: 'declarations',
    });
    return shipped.createVersion(tx, tenantId, null, {
      datasetId: ds.id,
      sourceName: 'declarations.csv',
      contentHash: await hashFile(file),
      sizeBytes: fs.statSync(file).size,
      mode: 'reject-file',
    });
  });
  await shipped.executeImport(tenantId, version.id, { file });
  const run = async (svc: AnalyticsService) => {
    const created = await withTenant(h.kernel.db, { tenantId, userId: null }, (tx) =>
      svc.createRun(tx, tenantId, null, { datasetVersionId: version.id }, false),
    );
    const t0 = performance.now();
    const { run: done } = await svc.executeRun(tenantId, created.id);
    const wall = (performance.now() - t0) / 1000;
    const pairs = (done.params as { pairs?: { evaluated: number; stored: number } } | null)?.pairs;
    return { wall, compute: done.seconds ?? 0, write: wall - (done.seconds ?? 0), pairs };
  };
  await run(shipped); // trains I6's model once; the runs below read it from its cache
  const a: Awaited<ReturnType<typeof run>>[] = [];
  const b: Awaited<ReturnType<typeof run>>[] = [];
  for (let r = 1; r <= rounds; r++) {
    const x = await run(shipped);
    const y = await run(everyPair);
    a.push(x);
    b.push(y);
    console.log(
      `round ${r}: pairs kept as shipped ${f2(x.wall)} s (computation ${f2(x.compute)}, write ${f2(x.write)}); ` +
        `every pair ${f2(y.wall)} s (computation ${f2(y.compute)}, write ${f2(y.write)})`,
    );
  }
  const p = a[0]?.pairs;
  const all = b[0]?.pairs;
  console.log(
    `${rows.toLocaleString('en')} declarations, ${h.kernel.config.DATABASE_URL ? 'PostgreSQL' : 'embedded database'}: ` +
      `I10 pairs evaluated ${p?.evaluated.toLocaleString('en')}, stored ${p?.stored.toLocaleString('en')} (baseline ${all?.stored.toLocaleString('en')})`,
  );
  console.log(
    `median write of a run: ${f2(median(a.map((x) => x.write)))} s as shipped vs ${f2(median(b.map((x) => x.write)))} s with every pair ` +
      `→ ${f2(median(b.map((x) => x.write)) / median(a.map((x) => x.write)))}×; whole run ${f2(median(a.map((x) => x.wall)))} s vs ${f2(median(b.map((x) => x.wall)))} s`,
  );
} finally {
  await closeAnalytics(h.kernel);
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
