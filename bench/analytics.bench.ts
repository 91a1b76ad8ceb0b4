// npm run bench:analytics [-- ROWS]   (or BENCH_ROWS=…; default 10 000 000)
// One run, at ROWS generated declarations (streamed to disk, never held in memory):
//   generation; SHA-256 of the file (the re-import check); import CSV → Parquet (rows/s);
//   the full indicator suite I1–I12 for one year (s); peak RSS;
//   side by side (a) the same indicators written directly as DuckDB SQL on one connection and
//   (b) pandas (Debian's python3-pandas) loading the same CSV and computing the same indicators,
//   with the ratios. Wall and CPU seconds are both printed: the machine is shared, and CPU
//   seconds (all threads) are what load on the other sessions changes least.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOGUE, type FunnelIndicator } from '../src/modules/analytics/analytics.catalogue.ts';
import { AnalyticsEngine } from '../src/modules/analytics/analytics.engine.ts';
import { generateDeclarations } from '../src/modules/analytics/analytics.generator.ts';
import { hashFile, importDeclarations } from '../src/modules/analytics/analytics.import.ts';
import { computeIndicators, openDataset, sourceOf } from '../src/modules/analytics/analytics.indicators.ts';

const rows = Number(process.argv[2] ?? process.env.BENCH_ROWS ?? 10_000_000);
const root = process.env.BENCH_DIR ?? os.tmpdir();
const dir = fs.mkdtempSync(path.join(root, 'arusha-bench-analytics-'));
const csv = path.join(dir, 'declarations.csv');
const tenant = '00000000-0000-4000-8000-0000000000be';
const version = '00000000-0000-4000-8000-0000000000bf';
const YEAR = { from: '2025-01-01', to: '2026-01-01' };

const cpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
/** Runs `fn`, returns its result with wall and CPU seconds (this process, all threads). */
async function timed<T>(fn: () => Promise<T>): Promise<{ v: T; wall: number; cpu: number }> {
  const t = performance.now();
  const c = cpuNow();
  const v = await fn();
  return { v, wall: (performance.now() - t) / 1000, cpu: cpuNow() - c };
}
const f2 = (x: number) => x.toFixed(2);
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

console.log(
  `analytics bench: ${rows.toLocaleString('en')} rows, ${os.cpus().length} cores, DuckDB threads=2 memory_limit=3GB; load average ${load()}`,
);

const gen = await timed(() => generateDeclarations({ rows, seed: 1, plant: true, out: csv }));
const size = fs.statSync(csv).size;
console.log(`generate: ${f2(gen.wall)} s (${mib(size)} CSV, streamed)`);

const hash = await timed(() => hashFile(csv));
console.log(`sha-256 of the file (re-import check): ${f2(hash.wall)} s`);

const engine = new AnalyticsEngine({ root: dir });
const imp = await timed(() =>
  importDeclarations(engine, { tenantId: tenant, versionId: version, file: csv, mode: 'reject-file' }),
);
const report = imp.v;
if (report.fileErrors.length || report.validRows !== rows)
  throw new Error(`import failed: ${JSON.stringify(report)}`);
const parquet = engine.parquetPath(tenant, version);
console.log(
  `import CSV → Parquet: ${f2(imp.wall)} s wall, ${f2(imp.cpu)} s CPU → ${Math.round(rows / imp.wall).toLocaleString('en')} rows/s ` +
    `(${report.validRows} valid; Parquet ${mib(fs.statSync(parquet).size)})`,
);

const suite = await timed(() => computeIndicators(engine, parquet, YEAR));
console.log(
  `full suite I1–I12, one year: ${f2(suite.wall)} s wall, ${f2(suite.cpu)} s CPU (${suite.v.length} results, ${suite.v.filter((r) => r.flagged).length} flagged)`,
);

// (a) The same indicators as plain DuckDB SQL on one connection: each funnel indicator as its
// own straightforward query (stratum means, then subject × stratum counts), I10's pair counts
// and expectations with its candidate pairs, I11's concentration, I12 over the candidates.
// Results read back as rows, no module code around them (the Poisson tails and the BH step of
// I10, a few milliseconds of JS, are not in it).
const funnels = CATALOGUE.filter((i): i is FunnelIndicator => i.kind === 'funnel');
const scope = `coalesce(assignment, 'random') = 'random' AND officer_id IS NOT NULL AND declarant_id IS NOT NULL`;
const HIT = `CASE WHEN coalesce(offence, 0) = 1 OR coalesce(duties_assessed, 0) > coalesce(duties_declared, 0) + 0.005 THEN 1 ELSE 0 END`;
const rawSql = [
  ...funnels.map((i) => {
    const f = i.formula;
    return `WITH base AS (SELECT ${f.subject} AS subject, ${f.strata} AS stratum, (${f.y})::DOUBLE AS y
        FROM ${sourceOf(i.id)} WHERE ${f.filter}),
      st AS (SELECT stratum, avg(y) mu, var_pop(y) v FROM base GROUP BY 1),
      o AS (SELECT subject, stratum, count(*) n, sum(y) sy FROM base GROUP BY 1, 2)
      SELECT subject, sum(n), sum(sy)/sum(n), sum(n*mu)/sum(n), sqrt(sum(n*v))/sum(n) FROM o JOIN st USING (stratum) GROUP BY 1`;
  }),
  `CREATE OR REPLACE TEMP TABLE raw_pairs AS
     WITH r AS (SELECT office_code, officer_id, declarant_id FROM d WHERE ${scope}),
     o AS (SELECT office_code, officer_id, declarant_id, count(*) AS obs FROM r GROUP BY ALL),
     ni AS (SELECT office_code, officer_id, sum(obs) n FROM o GROUP BY ALL),
     nb AS (SELECT office_code, declarant_id, sum(obs) n FROM o GROUP BY ALL),
     tot AS (SELECT office_code, sum(obs) n FROM o GROUP BY ALL)
     SELECT o.*, nb.n * ni.n / tot.n::DOUBLE AS expected FROM o JOIN ni USING (office_code, officer_id)
       JOIN nb USING (office_code, declarant_id) JOIN tot USING (office_code)`,
  'SELECT * FROM raw_pairs WHERE obs >= 2 AND obs > expected + 1.5 * sqrt(expected)',
  `WITH oi AS (SELECT office_code, officer_id, declarant_id, obs AS c FROM raw_pairs),
     tot AS (SELECT office_code, sum(c) n FROM oi GROUP BY ALL),
     sh AS (SELECT office_code, sum(c) / any_value(tot.n)::DOUBLE AS p FROM oi JOIN tot USING (office_code) GROUP BY office_code, declarant_id),
     agg AS (SELECT office_code, sum(p*p) s2, sum(p*p*p) s3 FROM sh GROUP BY ALL),
     h AS (SELECT office_code, officer_id, sum(c) n, sum(c*c) / (sum(c)*sum(c))::DOUBLE AS hhi, max(c) / sum(c)::DOUBLE AS top1 FROM oi GROUP BY ALL)
     SELECT h.*, s2 + (1 - s2) / n AS expected, sqrt(greatest(0, 4.0 / n * (s3 - s2*s2)) + 2.0 * (1 - s2) / (n*n)) AS se FROM h JOIN agg USING (office_code)`,
  `WITH f AS (SELECT office_code, officer_id, declarant_id FROM raw_pairs WHERE obs > expected + 4 * sqrt(expected))
     SELECT office_code, count(*) FILTER (WHERE f.officer_id IS NOT NULL), avg(y) FILTER (WHERE f.officer_id IS NOT NULL), avg(y) FILTER (WHERE f.officer_id IS NULL),
            median(h) FILTER (WHERE f.officer_id IS NOT NULL), median(h) FILTER (WHERE f.officer_id IS NULL)
     FROM (SELECT d.office_code, d.officer_id, d.declarant_id, ${HIT} AS y, (epoch(assessed_at) - epoch(registered_at)) / 3600.0 AS h FROM d
           WHERE channel_final IN ('red', 'yellow')) x LEFT JOIN f USING (office_code, officer_id, declarant_id) GROUP BY office_code`,
];
const raw = await timed(() =>
  engine.with(async (c) => {
    await openDataset(c, parquet, YEAR);
    for (const q of rawSql) await c.runAndReadAll(q);
  }),
);
console.log(
  `(a) raw DuckDB SQL, the same I1–I12: ${f2(raw.wall)} s wall, ${f2(raw.cpu)} s CPU → module / raw = ${f2(suite.wall / raw.wall)}× wall, ${f2(suite.cpu / raw.cpu)}× CPU (target ≤ 1.5×)`,
);
await engine.close();
const nodeRss = process.resourceUsage().maxRSS * 1024;

// (b) pandas: the same CSV (ids and HS codes as text), I1–I11 with the same stratified
// expectation (I10: pair counts, expectations and candidates; I11: HHI and its limit).
const py = String.raw`
import sys, time, resource
t0 = time.time()
import pandas as pd, numpy as np
text = ['declaration_id','office_code','declarant_id','officer_id','assignment','channel_system','channel_final','rerouted_by','hs6','origin']
d = pd.read_csv(sys.argv[1], dtype={c: str for c in text}, usecols=lambda c: c not in ('importer_id', 'released_at', 'declaration_id'))
for c in ['registered_at','assessed_at']: d[c] = pd.to_datetime(d[c], utc=True)
d = d[(d.registered_at >= '2025-01-01') & (d.registered_at < '2026-01-01')]
cpu = lambda: sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
load = time.time() - t0; t = time.time(); c0 = cpu()
h = (d.assessed_at - d.registered_at).dt.total_seconds() / 3600
d['fin'] = d.channel_final.fillna(d.channel_system)
def funnel(df, subject, strata, y):
    df = pd.DataFrame({'s': subject, 'k': strata, 'y': y.astype(float)}).dropna()
    st = df.groupby('k').y.agg(mu='mean', v=lambda x: x.var(ddof=0))
    o = df.groupby(['s','k']).y.agg(n='size', sy='sum').reset_index().join(st, on='k')
    o['nm'] = o.n * o.mu; o['nv'] = o.n * o.v
    g = o.groupby('s')[['n','sy','nm','nv']].sum()
    return pd.DataFrame({'obs': g.sy/g.n, 'exp': g.nm/g.n, 'se': np.sqrt(g.nv)/g.n})
k = d.office_code + '|' + d.fin
done = d.assessed_at.notna()
funnel(d, d.officer_id, k, done & (d.assessed_at.dt.date == d.registered_at.dt.date))       # I1
funnel(d, d.officer_id, k, done & (h >= 120))                                               # I2
funnel(d, d.officer_id, k, ~done | (h > 720))                                               # I3
a = d[done]; ha = h[done]; ka = a.office_code + '|' + a.fin
q95 = ha.groupby([a.office_code, a.fin]).transform(lambda x: x.quantile(0.95))
funnel(a, a.officer_id, ka, ha > q95)                                                        # I4
rank = {'green':0,'blue':1,'yellow':2,'red':3}
c = d[d.channel_system.isin(['red','yellow'])]
funnel(c, c.rerouted_by.fillna(c.officer_id), c.office_code + '|' + c.channel_system, c.fin.map(rank) < c.channel_system.map(rank))  # I5
c = d[d.fin.isin(['red','yellow'])]
hit = (c.offence.fillna(0) == 1) | (c.duties_assessed.fillna(0) > c.duties_declared.fillna(0) + 0.005)
funnel(c, c.officer_id, c.office_code + '|' + c.fin, hit)                                   # I6
funnel(c, c.officer_id, c.office_code + '|' + c.fin, (c.duties_assessed - c.duties_declared).fillna(0))  # I7
funnel(d, d.officer_id, d.office_code + '|' + d.hs6.str[:2].fillna('??'), d.duties_assessed.fillna(d.duties_declared).fillna(0))  # I8
uv = d.customs_value / d.net_mass_kg
ok = (d.customs_value > 0) & (d.net_mass_kg > 0) & d.hs6.notna()
ref = uv[ok].groupby([d.hs6[ok], d.origin[ok]]).agg(['median', 'size'])
ref = ref[ref['size'] >= 5]['median'].rename('ref_uv').reset_index()
j = c.assign(uv=c.customs_value / c.net_mass_kg.replace(0, np.nan)).merge(ref, on=['hs6', 'origin'])
j = j[j.uv < 0.5 * j.ref_uv]
funnel(j, j.officer_id, j.office_code + '|' + j.fin, j.duties_assessed.fillna(0) <= j.duties_declared.fillna(0) + 0.005)  # I9
r = d[d.assignment.fillna('random').eq('random') & d.officer_id.notna() & d.declarant_id.notna()]
o = r.groupby(['office_code','officer_id','declarant_id']).size().rename('obs').reset_index()
o = o[o.obs > 0]
ni = o.groupby(['office_code','officer_id']).obs.sum().rename('ni'); nb = o.groupby(['office_code','declarant_id']).obs.sum().rename('nb'); tot = o.groupby('office_code').obs.sum().rename('tot')
o = o.join(ni, on=['office_code','officer_id']).join(nb, on=['office_code','declarant_id']).join(tot, on='office_code')
o['expected'] = o.nb * o.ni / o.tot
cand = o[(o.obs >= 2) & (o.obs > o.expected + 1.5 * np.sqrt(o.expected))]                  # I10 (counts)
p = (o.nb / o.tot); s2 = (p * p).groupby([o.office_code, o.declarant_id]).first().groupby(level=0).sum()
g = o.assign(c2=o.obs ** 2).groupby(['office_code','officer_id']).agg(n=('obs','sum'), c2=('c2','sum'))
g['hhi'] = g.c2 / g.n ** 2                                                                   # I11
print(f"{load:.2f} {time.time() - t:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024} {c0:.2f} {cpu() - c0:.2f}")
`;
const pyFile = path.join(dir, 'bench.py');
fs.writeFileSync(pyFile, py);
// Debian's python3-pandas lives with the system interpreter (a pyenv python3 may shadow it).
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const t = performance.now();
const p = spawnSync(python, [pyFile, csv], { encoding: 'utf8', maxBuffer: 1 << 20 });
const pyWall = (performance.now() - t) / 1000;
if (p.status === 0) {
  const [pLoad, pCompute, pRss, pLoadCpu, pComputeCpu] = p.stdout
    .trim()
    .split(' ')
    .map(Number) as number[] as [number, number, number, number, number];
  const e2 = new AnalyticsEngine({ root: dir });
  const same = await timed(() =>
    computeIndicators(e2, parquet, {
      ...YEAR,
      only: CATALOGUE.filter((i) => i.id !== 'I12').map((i) => i.id),
    }),
  );
  await e2.close();
  const arusha = imp.wall + same.wall;
  const arushaCpu = imp.cpu + same.cpu;
  console.log(
    `(b) pandas ${spawnSync(python, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).stdout.trim()} (one thread): ` +
      `load ${f2(pLoad)} s + I1–I11 ${f2(pCompute)} s = ${f2(pLoad + pCompute)} s wall, ${f2(pLoadCpu + pComputeCpu)} s CPU ` +
      `(process ${f2(pyWall)} s, peak RSS ${mib(pRss)})\n` +
      `    Arusha import + the same I1–I11: ${f2(arusha)} s wall, ${f2(arushaCpu)} s CPU → Arusha ${f2((pLoad + pCompute) / arusha)}× faster end to end ` +
      `(${f2((pLoadCpu + pComputeCpu) / arushaCpu)}× less CPU), ${f2(pCompute / same.wall)}× on the indicators alone ` +
      `(${f2(pComputeCpu / same.cpu)}× less CPU) (target ≥ 5×)`,
  );
} else
  console.log(
    `(b) pandas: not run — ${(p.stderr || String(p.error ?? '')).split('\n').filter(Boolean).pop()} (install Debian's python3-pandas: apt-get install -y python3-pandas)`,
  );

console.log(`peak RSS of the bench process (DuckDB included): ${mib(nodeRss)} (target ≤ 4 GiB)`);
console.log(`load average at the end: ${load()}`);
fs.rmSync(dir, { recursive: true, force: true });
