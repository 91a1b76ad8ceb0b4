// npm run bench:analytics [-- ROWS]  (default 10 000 000)
// Generates declarations, then measures in one run: import CSV → Parquet (rows/s), the full
// indicator suite (seconds), peak memory; side by side with (a) the same funnel SQL sent
// straight to DuckDB and (b) pandas (Debian python3-pandas) computing the funnel indicators.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOGUE, type FunnelIndicator } from '../src/modules/analytics/analytics.catalogue.ts';
import { AnalyticsEngine } from '../src/modules/analytics/analytics.engine.ts';
import { generateDeclarations } from '../src/modules/analytics/analytics.generator.ts';
import { importDeclarations } from '../src/modules/analytics/analytics.import.ts';
import { computeIndicators, openDataset, sourceOf } from '../src/modules/analytics/analytics.indicators.ts';

const rows = Number(process.argv[2] ?? 10_000_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-bench-analytics-'));
const csv = path.join(dir, 'declarations.csv');
const tenant = '00000000-0000-4000-8000-0000000000be';
const version = '00000000-0000-4000-8000-0000000000bf';
const s = (t: number) => (performance.now() - t) / 1000;

let t = performance.now();
await generateDeclarations({ rows, seed: 1, plant: true, out: csv });
console.log(
  `generate ${rows} rows: ${s(t).toFixed(1)} s (${(fs.statSync(csv).size / 2 ** 20).toFixed(0)} MiB CSV)`,
);

const engine = new AnalyticsEngine({ root: dir });
t = performance.now();
const report = await importDeclarations(engine, {
  tenantId: tenant,
  versionId: version,
  file: csv,
  mode: 'reject-file',
});
const importS = s(t);
console.log(
  `import: ${importS.toFixed(1)} s, ${Math.round(report.rows / importS)} rows/s (${report.validRows} valid)`,
);

const parquet = engine.parquetPath(tenant, version);
t = performance.now();
const results = await computeIndicators(engine, parquet);
const suiteS = s(t);
console.log(
  `full suite (I1–I12): ${suiteS.toFixed(2)} s, ${results.length} results, ${results.filter((r) => r.flagged).length} flagged`,
);

// (a) The funnel indicators as plain SQL on one connection, no module code around them.
const funnels = CATALOGUE.filter((i): i is FunnelIndicator => i.kind === 'funnel');
t = performance.now();
await engine.with(async (c) => {
  await openDataset(c, parquet);
  for (const i of funnels) {
    const f = i.formula;
    await c.runAndReadAll(`WITH base AS (SELECT ${f.subject} AS subject, ${f.strata} AS stratum, (${f.y})::DOUBLE AS y
      FROM ${sourceOf(i.id)} WHERE ${f.filter}),
      st AS (SELECT stratum, avg(y) mu, var_pop(y) v FROM base GROUP BY 1),
      o AS (SELECT subject, stratum, count(*) n, sum(y) sy FROM base GROUP BY 1, 2)
      SELECT subject, sum(sy)/sum(n), sum(n*mu)/sum(n), sqrt(sum(n*v))/sum(n) FROM o JOIN st USING (stratum) GROUP BY 1`);
  }
});
const rawFunnelS = s(t);
t = performance.now();
await computeIndicators(engine, parquet, { only: funnels.map((i) => i.id) });
const moduleFunnelS = s(t);
console.log(
  `funnel indicators I1–I9: module ${moduleFunnelS.toFixed(2)} s, raw DuckDB SQL ${rawFunnelS.toFixed(2)} s → ${(moduleFunnelS / rawFunnelS).toFixed(2)}×`,
);
await engine.close();

// (b) pandas: read the CSV (ids and HS codes as text) and compute I1, I2, I5, I6 with the same
// stratified expectation.
const py = `
import sys, time, pandas as pd, numpy as np
t = time.time()
d = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
for c in ['customs_value','duties_declared','duties_assessed']: d[c] = pd.to_numeric(d[c], errors='coerce')
for c in ['registered_at','assessed_at']: d[c] = pd.to_datetime(d[c].replace('', None), utc=True)
load = time.time() - t; t = time.time()
h = (d.assessed_at - d.registered_at).dt.total_seconds() / 3600
d['fin'] = d.channel_final.where(d.channel_final != '', d.channel_system)
def funnel(df, subject, strata, y):
    df = df.assign(s=subject, k=strata, y=y.astype(float))
    st = df.groupby('k').y.agg(mu='mean', v=lambda x: x.var(ddof=0))
    o = df.groupby(['s','k']).y.agg(n='size', sy='sum').reset_index().join(st, on='k')
    o['nm'] = o.n * o.mu; o['nv'] = o.n * o.v
    g = o.groupby('s')[['n','sy','nm','nv']].sum()
    return pd.DataFrame({'obs': g.sy/g.n, 'exp': g.nm/g.n, 'se': np.sqrt(g.nv)/g.n})
k = d.office_code + '|' + d.fin
funnel(d, d.officer_id, k, (d.assessed_at.dt.date == d.registered_at.dt.date) & d.assessed_at.notna())
funnel(d, d.officer_id, k, h >= 120)
rank = {'green':0,'blue':1,'yellow':2,'red':3}
c = d[d.channel_system.isin(['red','yellow'])]
funnel(c, c.rerouted_by.where(c.rerouted_by != '', c.officer_id), c.office_code + '|' + c.channel_system, c.fin.map(rank) < c.channel_system.map(rank))
c = d[d.fin.isin(['red','yellow'])]
funnel(c, c.officer_id, c.office_code + '|' + c.fin, (c.offence == '1') | (c.duties_assessed > c.duties_declared + 0.005))
print(f"{load:.2f} {time.time() - t:.2f}")
`;
const pyFile = path.join(dir, 'bench.py');
fs.writeFileSync(pyFile, py);
// Debian's python3-pandas lives with the system interpreter (a pyenv python3 may shadow it).
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const p = spawnSync(python, [pyFile, csv], { encoding: 'utf8' });
if (p.status === 0) {
  const [load, compute] = p.stdout.trim().split(' ').map(Number) as [number, number];
  t = performance.now();
  const e2 = new AnalyticsEngine({ root: dir });
  for (const id of ['I1', 'I2', 'I5', 'I6']) await computeIndicators(e2, parquet, { only: [id] });
  const mine = s(t);
  await e2.close();
  console.log(
    `pandas: load ${load} s + I1, I2, I5, I6 ${compute} s = ${(load + compute).toFixed(1)} s; ` +
      `Arusha import + the same four ${(importS + mine).toFixed(1)} s → pandas ${((load + compute) / (importS + mine)).toFixed(1)}× slower`,
  );
} else console.log(`pandas: not run (${(p.stderr || '').split('\n').filter(Boolean).pop()})`);

console.log(
  `peak RSS (this process, DuckDB included): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
fs.rmSync(dir, { recursive: true, force: true });
