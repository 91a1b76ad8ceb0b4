import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { multipart } from '../../platform/testing/files.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { AnalyticsEngine, lit } from './analytics.engine.ts';
import { expectedHits, hitFeatures, hitsFile, hitsKey } from './analytics.expected.ts';
import { generateDeclarations } from './analytics.generator.ts';
import { importDeclarations } from './analytics.import.ts';
import { computeIndicators, type IndicatorResult } from './analytics.indicators.ts';
import { engineOf } from './analytics.service.ts';
import { Z998 } from './analytics.stats.ts';

// I6 expected from the expected-hit model: out-of-fold probabilities, their sum per officer,
// the funnel limits from them, the cache, and the fallback to the office × channel average.
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'indicators.csv');
const TENANT = '00000000-0000-4000-8000-0000000000e1';
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-expected-'));
const engine = new AnalyticsEngine({ root, threads: 1 });
const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} ≠ ${b}`);
const i6 = (rs: IndicatorResult[], subject: string) => {
  const r = rs.find((x) => x.indicatorId === 'I6' && x.subjectId === subject);
  assert.ok(r, `I6 ${subject}`);
  return r;
};
const query = <T>(sql: string) => engine.with((c) => engine.rows<T>(c, sql));

async function imported(versionId: string, file: string) {
  const report = await importDeclarations(engine, { tenantId: TENANT, versionId, file, mode: 'reject-file' });
  assert.equal(report.rejectedRows, 0, JSON.stringify(report.issues.slice(0, 3)));
  return engine.parquetPath(TENANT, versionId);
}

after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('I6 from given probabilities (hand-checked)', () => {
  let parquet: string;
  let results: IndicatorResult[];
  // The fixture's controlled declarations (red or yellow final channel), hits marked *:
  // O1 2* 4 5*, O2 7 8 9*, O3 11 13*, X 101* 102, Y 133 134. Probabilities chosen here.
  const P: Record<string, number> = {
    2: 0.5,
    4: 0.2,
    5: 0.9,
    7: 0.1,
    8: 0.3,
    9: 0.6,
    11: 0.25,
    13: 0.75,
    101: 0.4,
    102: 0.4,
    133: 0.05,
    134: 0.05,
  };
  before(async () => {
    parquet = await imported('00000000-0000-4000-8000-0000000000e2', FIXTURE);
    const ids = await query<{ id: string; officer: string }>(
      `SELECT declaration_id AS id, officer_id AS officer FROM read_parquet(${lit(parquet)})
       WHERE channel_final IN ('red', 'yellow') ORDER BY officer_id, declaration_id::INTEGER`,
    );
    assert.deepEqual(
      ids.map((r) => `${r.officer}:${r.id}`),
      ['O1:2', 'O1:4', 'O1:5', 'O2:7', 'O2:8', 'O2:9', 'O3:11', 'O3:13', 'X:101', 'X:102', 'Y:133', 'Y:134'],
    );
    const file = path.join(root, 'given.parquet');
    const values = Object.entries(P)
      .map(([id, p]) => `(${lit(id)}, ${p})`)
      .join(', ');
    await engine.with((c) =>
      c.run(`COPY (SELECT * FROM (VALUES ${values}) v(declaration_id, p)) TO ${lit(file)} (FORMAT parquet)`),
    );
    results = await computeIndicators(engine, parquet, { hits: file });
  });

  it('expected = Σ p / n, se = √Σ p(1 − p) / n, O/E and limits from them', () => {
    // O1: hits on rows 2 and 5, not on 4 → O = 2; E = 0.5 + 0.2 + 0.9 = 1.6.
    const o1 = i6(results, 'O1');
    assert.equal(o1.n, 3);
    close(o1.observed, 2 / 3, 'O1 observed');
    close(o1.expected, 1.6 / 3, 'O1 expected');
    const se = Math.sqrt(0.5 * 0.5 + 0.2 * 0.8 + 0.9 * 0.1) / 3;
    close(o1.extra.se as number, se, 'O1 se');
    close(o1.lower998 as number, Math.max(0, 1.6 / 3 - Z998 * se), 'O1 99.8 % lower limit');
    assert.equal(o1.extra.expectation, 'model');
    close(o1.extra.hits as number, 2, 'O1 hits');
    close(o1.extra.expected_hits as number, 1.6, 'O1 expected hits');
    close(o1.extra.ratio as number, 2 / 1.6, 'O1 O/E');
    // O2: one hit (row 9) of three; E = 0.1 + 0.3 + 0.6 = 1.0. O3: one hit of two; E = 1.0.
    close(i6(results, 'O2').extra.expected_hits as number, 1.0, 'O2 expected hits');
    close(i6(results, 'O2').observed, 1 / 3, 'O2 observed');
    close(i6(results, 'O3').expected, 0.5, 'O3 expected');
    // The other indicators are untouched (I7 shared I6's scan before).
    const i7 = results.find((r) => r.indicatorId === 'I7' && r.subjectId === 'O1');
    close(i7?.expected as number, 20, 'I7 O1 expected');
  });

  it('a probabilities file missing a counted declaration is refused, not half-used', async () => {
    const file = path.join(root, 'short.parquet');
    await engine.with((c) =>
      c.run(`COPY (SELECT '2' AS declaration_id, 0.5 AS p) TO ${lit(file)} (FORMAT parquet)`),
    );
    await assert.rejects(computeIndicators(engine, parquet, { hits: file, only: ['I6'] }), /does not cover/);
  });

  it('without probabilities, the strata serve and the result says so', async () => {
    const rs = await computeIndicators(engine, parquet, { only: ['I6'] });
    const o1 = i6(rs, 'O1');
    close(o1.expected, 0.5, 'O1 expected at the office × channel average');
    assert.equal(o1.extra.expectation, 'strata');
    close(o1.extra.expected_hits as number, 1.5, 'O1 expected hits');
  });

  it('falls back with its reason: too few controlled declarations, one class, few of a class', async () => {
    const few = await expectedHits(engine, parquet);
    assert.equal(few.method, 'strata');
    assert.equal(few.reason, 'too_few_controlled');
    assert.equal(few.controlled, 12);
    assert.equal(few.hits, 5);
    assert.equal(few.file, null);
    const lowered = { minControlled: 12, minClass: 6 };
    assert.equal((await expectedHits(engine, parquet, lowered)).reason, 'few_of_a_class');
    // Every controlled declaration without a hit: nothing to learn.
    const none = path.join(root, 'no-hits.parquet');
    await engine.with((c) =>
      c.run(`COPY (SELECT * REPLACE (0 AS offence, duties_declared AS duties_assessed)
                   FROM read_parquet(${lit(parquet)})) TO ${lit(none)} (FORMAT parquet)`),
    );
    const one = await expectedHits(engine, none, { minControlled: 1 });
    assert.deepEqual([one.method, one.reason, one.hits], ['strata', 'one_class', 0]);
  });
});

describe('I6 from the expected-hit model on generated declarations', () => {
  let parquet: string;
  const o = { sample: 3000 };
  before(async () => {
    const csv = path.join(root, 'gen.csv');
    await generateDeclarations({ rows: 12_000, seed: 5, plant: true, out: csv });
    parquet = await imported('00000000-0000-4000-8000-0000000000e3', csv);
  });

  it('scores every controlled declaration out of fold, and expected = Σ p per officer', async (t) => {
    const stages: string[] = [];
    const h = await expectedHits(engine, parquet, {
      ...o,
      onProgress: (p) => stages.push(`${p.stage}:${p.done}`),
    });
    assert.equal(h.method, 'model', JSON.stringify(h));
    assert.equal(h.cached, false);
    assert.equal(h.trainingRows, 3000, 'trained on the sample');
    assert.equal(h.rounds.length, 5);
    assert.deepEqual(stages.slice(0, 3), ['reading:0', 'training:0', 'scoring:0']);
    assert.equal(stages.at(-1), 'writing:5');
    t.diagnostic(
      `${h.controlled} controlled, ${h.hits} hits, Σp ${h.expectedTotal?.toFixed(1)}, out-of-fold AUC ${h.auc?.toFixed(3)}, ${h.seconds.toFixed(1)} s`,
    );
    assert.ok((h.auc ?? 0) > 0.6, `the model ranks hits above non-hits: AUC ${h.auc}`);
    assert.ok(
      Math.abs((h.expectedTotal as number) - h.hits) < 1e-6,
      `calibrated: Σp ${h.expectedTotal} = ${h.hits} hits`,
    );
    assert.notEqual(h.modelTotal, h.hits, "the models' own sum differed");
    const file = h.file as string;
    // The generated declarations have procedure codes: a feature of the model, in its key.
    assert.equal(file, hitsFile(parquet, hitsKey(o, true)));
    // One probability per controlled declaration, in (0, 1), its fold = hash(id) mod 5.
    const [cover] = await query<{ n: number; ids: number; bad: number; folds: number; wrong: number }>(
      `SELECT count(*) AS n, count(DISTINCT declaration_id) AS ids,
              count(*) FILTER (WHERE NOT (p > 0 AND p < 1 AND p_model > 0 AND p_model < 1)) AS bad,
              count(DISTINCT fold) AS folds, count(*) FILTER (WHERE fold <> hash(declaration_id) % 5) AS wrong
       FROM read_parquet(${lit(file)})`,
    );
    assert.deepEqual(cover, { n: h.controlled, ids: h.controlled, bad: 0, folds: 5, wrong: 0 });

    const results = await computeIndicators(engine, parquet, { hits: file, only: ['I6'] });
    const sums = await query<{ officer: string; n: number; e: number; v: number }>(
      `SELECT officer_id AS officer, count(*) AS n, sum(p) AS e, sum(p * (1 - p)) AS v
       FROM read_parquet(${lit(parquet)}) JOIN read_parquet(${lit(file)}) USING (declaration_id)
       WHERE channel_final IN ('red', 'yellow') GROUP BY officer_id`,
    );
    assert.equal(results.length, sums.length);
    for (const s of sums) {
      const r = i6(results, s.officer);
      assert.equal(r.n, s.n);
      close(r.extra.expected_hits as number, s.e, `${s.officer} Σp`);
      close(r.expected, s.e / s.n, `${s.officer} expected`);
      close(r.extra.se as number, Math.sqrt(s.v) / s.n, `${s.officer} se`);
    }
  });

  it("no declaration's probability comes from a model that saw its label", async () => {
    // Flip the outcome of every fold-0 declaration: fold 0's model never saw those labels, so
    // its probabilities stay exactly the same; other folds' models learned them, so theirs move.
    // (p_model: before the one calibration shift, which every label moves a little.)
    const flipped = path.join(root, 'flipped.parquet');
    const hit = `(coalesce(offence, 0) = 1 OR coalesce(duties_assessed, 0) > coalesce(duties_declared, 0) + 0.005)`;
    await engine.with((c) =>
      c.run(`COPY (SELECT * REPLACE (
                     CASE WHEN hash(declaration_id) % 5 = 0 AND channel_final IN ('red', 'yellow')
                          THEN (CASE WHEN ${hit} THEN 0 ELSE 1 END) ELSE offence END AS offence,
                     CASE WHEN hash(declaration_id) % 5 = 0 THEN duties_declared ELSE duties_assessed END AS duties_assessed)
                   FROM read_parquet(${lit(parquet)})) TO ${lit(flipped)} (FORMAT parquet)`),
    );
    const a = (await expectedHits(engine, parquet, o)).file as string;
    assert.equal((await expectedHits(engine, parquet, o)).cached, true, 'the second call reuses the file');
    const b = (await expectedHits(engine, flipped, o)).file as string;
    const rows = await query<{ fold: number; n: number; same: number }>(
      `SELECT a.fold, count(*) AS n, count(*) FILTER (WHERE a.p_model = b.p_model) AS same
       FROM read_parquet(${lit(a)}) a JOIN read_parquet(${lit(b)}) b USING (declaration_id) GROUP BY a.fold ORDER BY a.fold`,
    );
    assert.equal(rows.length, 5);
    assert.equal(rows[0]?.same, rows[0]?.n, 'fold 0: identical probabilities');
    for (const r of rows.slice(1))
      assert.ok(r.same < r.n / 2, `fold ${r.fold}: the flipped labels moved them`);
  });

  it('scores every declaration of a fold larger than DuckDB appender flush (204,800 rows)', async () => {
    // The generated controlled declarations copied under new ids until one of 2 folds holds
    // more than 204,800: an appender's flush once ended the scoring stream there, silently.
    const big = path.join(root, 'big.parquet');
    await engine.with((c) =>
      c.run(`COPY (SELECT d.* REPLACE (d.declaration_id || '-' || k.range AS declaration_id)
                   FROM read_parquet(${lit(parquet)}) d, range(160) k
                   WHERE d.channel_final IN ('red', 'yellow')) TO ${lit(big)} (FORMAT parquet)`),
    );
    const h = await expectedHits(engine, big, { sample: 3000, folds: 2 });
    assert.equal(h.method, 'model', JSON.stringify(h));
    const [c] = await query<{ largest: number }>(
      `SELECT max(k)::INTEGER AS largest
       FROM (SELECT fold, count(*) AS k FROM read_parquet(${lit(h.file as string)}) GROUP BY fold)`,
    );
    assert.ok((c?.largest ?? 0) > 204_800, `a fold of ${c?.largest} rows`);
    const [t] = await query<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(h.file as string)})`,
    );
    assert.equal(t?.n, h.controlled, 'every controlled declaration has its probability');
  });
});

describe('the customs procedure in the fair comparison (strata and model features)', () => {
  const o = { sample: 3000 };
  let withCodes: string;
  let absent: string;
  let empty: string;
  before(async () => {
    const csv = path.join(root, 'gen-procedure.csv');
    await generateDeclarations({ rows: 12_000, seed: 11, plant: true, out: csv, procedure: false });
    absent = await imported('00000000-0000-4000-8000-0000000000e7', csv);
    // Procedure codes, controlled at different rates: a red final channel is more often 4200.
    withCodes = path.join(root, 'procedure.parquet');
    empty = path.join(root, 'empty-procedure.parquet');
    await engine.with(async (c) => {
      await c.run(
        `COPY (SELECT * REPLACE (CASE WHEN hash(declaration_id || 'p') % 10 < (CASE channel_final WHEN 'red' THEN 6 ELSE 2 END)
                                     THEN '4200' ELSE '4000' END AS procedure)
               FROM read_parquet(${lit(absent)})) TO ${lit(withCodes)} (FORMAT parquet)`,
      );
      await c.run(
        `COPY (SELECT * REPLACE (NULL::VARCHAR AS procedure) FROM read_parquet(${lit(absent)})) TO ${lit(empty)} (FORMAT parquet)`,
      );
    });
  });

  it('a file without the column imports it empty (NULL)', async () => {
    const [r] = await query<{ n: number; known: number }>(
      `SELECT count(*) AS n, count(procedure) AS known FROM read_parquet(${lit(absent)})`,
    );
    assert.deepEqual(r, { n: 12_000, known: 0 });
  });

  it('without codes (no column, or all empty) every result is what it was; with them the strata hold the procedure equal', async () => {
    const before = await computeIndicators(engine, absent);
    assert.ok(before.length > 100);
    assert.deepEqual(await computeIndicators(engine, empty), before, 'an empty column changes nothing');
    const after = await computeIndicators(engine, withCodes);
    const exp = (rs: IndicatorResult[], id: string) =>
      rs.filter((r) => r.indicatorId === id).map((r) => [r.subjectId, r.expected]);
    assert.notDeepEqual(exp(after, 'I6'), exp(before, 'I6'), 'the procedure moves the expectations');
    // I6 from its strata, computed here: office × final channel × procedure.
    const sums = await query<{ officer: string; e: number }>(
      `WITH b AS (SELECT officer_id, office_code || '|' || channel_final || '|' || coalesce(procedure, '?') AS s,
                         CASE WHEN coalesce(offence, 0) = 1 OR coalesce(duties_assessed, 0) > coalesce(duties_declared, 0) + 0.005
                              THEN 1 ELSE 0 END AS y
                  FROM read_parquet(${lit(withCodes)}) WHERE channel_final IN ('red', 'yellow')),
            m AS (SELECT s, avg(y) AS mu FROM b GROUP BY s)
       SELECT officer_id AS officer, avg(mu) AS e FROM b JOIN m USING (s) GROUP BY officer_id`,
    );
    assert.ok(sums.length > 10);
    for (const x of sums) close(i6(after, x.officer).expected, x.e, `${x.officer} expected from the strata`);
  });

  it('the model: the same key and probabilities without codes; procedure a feature with them', async () => {
    const a = await expectedHits(engine, absent, o);
    const e = await expectedHits(engine, empty, o);
    assert.equal(a.method, 'model');
    assert.equal(a.key, hitsKey(o), 'the key of a version without codes is unchanged');
    assert.equal(e.key, a.key);
    assert.deepEqual(
      await query(`SELECT declaration_id, p, fold FROM read_parquet(${lit(e.file as string)}) ORDER BY 1`),
      await query(`SELECT declaration_id, p, fold FROM read_parquet(${lit(a.file as string)}) ORDER BY 1`),
      'the same probabilities',
    );
    const w = await expectedHits(engine, withCodes, o);
    assert.equal(w.key, hitsKey(o, true));
    assert.notEqual(w.key, a.key);
    assert.notDeepEqual(
      await query(`SELECT declaration_id, p FROM read_parquet(${lit(w.file as string)}) ORDER BY 1`),
      await query(`SELECT declaration_id, p FROM read_parquet(${lit(a.file as string)}) ORDER BY 1`),
      'the procedure is a feature',
    );
  });
});

describe('analytics runs: I6 expected from the model, recorded in the run and the results', () => {
  let h: Harness;
  let analyst: Client;
  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };
  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  const runOf = async (datasetId: string, name: string, data: Buffer) => {
    const up = await analyst.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({ fields: { datasetId, mode: 'reject-file' }, file: { filename: name, data } }),
    });
    assert.equal(up.statusCode, 202, up.body);
    await drain();
    const run = await analyst.post('/api/analytics/runs', { datasetVersionId: up.json().id });
    assert.equal(run.statusCode, 202, run.body);
    await drain();
    const done = (await analyst.get(`/api/analytics/runs/${run.json().id}`)).json();
    assert.equal(done.status, 'done', done.error);
    const i6 = (await analyst.get(`/api/analytics/runs/${done.id}/results?indicator=I6`)).json().items;
    return { done, i6, versionId: up.json().id as string };
  };

  it('a version with enough controlled declarations: the model; too few: the office × channel average', async () => {
    const d = (await analyst.post('/api/analytics/datasets', { name: 'Model port' })).json();
    const csv = path.join(root, 'run.csv');
    await generateDeclarations({ rows: 6000, seed: 7, plant: false, out: csv });
    const big = await runOf(d.id, 'big.csv', fs.readFileSync(csv));
    assert.equal(big.done.catalogue.I6, 2);
    assert.equal(big.done.params.expectedHits.method, 'model', JSON.stringify(big.done.params));
    assert.equal(big.done.params.expectedHits.folds, 5);
    assert.equal(big.done.params.expectedHits.file, undefined, 'no server path in the API');
    // Which model produced the expected values, for the funnel page: its versions, features
    // (the generated declarations have procedure codes), cache key and when it was trained.
    const model = big.done.params.expectedHits;
    assert.deepEqual(
      [model.modelVersion, model.hitsVersion, model.indicatorVersion],
      [1, 1, big.done.catalogue.I6],
    );
    assert.deepEqual(model.features, [...hitFeatures(), 'procedure']);
    assert.match(model.key, /^[0-9a-f]{16}$/);
    assert.ok(Date.parse(model.trainedAt) > Date.now() - 3_600_000, model.trainedAt);
    assert.ok(model.auc > 0.5, `AUC ${model.auc}`);
    assert.ok(big.i6.length > 0);
    for (const r of big.i6) assert.equal(r.extra.expectation, 'model');
    const again = await analyst.post('/api/analytics/runs', { datasetVersionId: big.versionId });
    await drain();
    const reused = (await analyst.get(`/api/analytics/runs/${again.json().id}`)).json();
    assert.equal(reused.params.expectedHits.cached, true, 'the second run reuses the probabilities');
    assert.equal(reused.params.expectedHits.trainedAt, model.trainedAt, 'trained once, when first computed');
    assert.equal(reused.params.expectedHits.key, model.key);

    const small = await runOf(d.id, 'small.csv', fs.readFileSync(FIXTURE));
    assert.deepEqual(
      [small.done.params.expectedHits.method, small.done.params.expectedHits.reason],
      ['strata', 'too_few_controlled'],
    );
    for (const r of small.i6) assert.equal(r.extra.expectation, 'strata');
  });
});
