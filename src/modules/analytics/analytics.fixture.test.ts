import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CATALOGUE, definitionHash } from './analytics.catalogue.ts';
import { AnalyticsEngine } from './analytics.engine.ts';
import { importDeclarations } from './analytics.import.ts';
import { computeIndicators, type IndicatorResult } from './analytics.indicators.ts';
import { benjaminiHochberg, poissonUpper, poissonUpperLog, zFromUpperLog } from './analytics.stats.ts';

// Each indicator against fixtures/indicators.csv, whose values are worked out by hand below
// (the arithmetic is in the comments). Offices A and B: 13 declarations; office C: officer X
// meets declarant P 28 times out of 30 where random assignment predicts 32·30/90 = 10.67.

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'indicators.csv');
const TENANT = '00000000-0000-4000-8000-00000000000a';
const VERSION = '00000000-0000-4000-8000-00000000000b';
let engine: AnalyticsEngine;
let results: IndicatorResult[];
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-'));

const get = (id: string, subject: string) => {
  const r = results.find((x) => x.indicatorId === id && x.subjectId === subject);
  assert.ok(r, `${id} ${subject} has a result`);
  return r;
};
const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-6, `${msg}: ${a} ≠ ${b}`);
function check(id: string, subject: string, n: number, observed: number, expected: number) {
  const r = get(id, subject);
  assert.equal(r.n, n, `${id} ${subject} n`);
  close(r.observed, observed, `${id} ${subject} observed`);
  close(r.expected, expected, `${id} ${subject} expected`);
  return r;
}

before(async () => {
  engine = new AnalyticsEngine({ root, threads: 1 });
  const report = await importDeclarations(engine, {
    tenantId: TENANT,
    versionId: VERSION,
    file: FIXTURE,
    mode: 'reject-file',
  });
  assert.equal(report.rejectedRows, 0, JSON.stringify(report.issues));
  assert.equal(report.rows, 103);
  results = await computeIndicators(engine, engine.parquetPath(TENANT, VERSION));
});
after(async () => {
  await engine.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('analytics indicators on the hand-computed fixture', () => {
  it('I1 same-day: O1 2/5 against 0.6 for its mix (A|green .75 ×2, A|red .5 ×2, A|yellow .5); se √1.125/5', () => {
    const r = check('I1', 'O1', 5, 0.4, 0.6);
    close(r.extra.se as number, Math.sqrt(1.125) / 5, 'se');
    close(r.lower95 as number, 0.6 - 1.959963984540054 * (Math.sqrt(1.125) / 5), 'lower 95 %');
    check('I1', 'O2', 5, 0.8, 0.6);
    // Office B: each stratum has one declaration, so the expectation is the officer's own and se is 0.
    const o3 = check('I1', 'O3', 3, 1 / 3, 1 / 3);
    assert.equal(o3.flagged, false);
  });
  it('I2 ≥ 5 days: O1 2/5 (168 h and 1008 h), expected (2·0 + 2·¼ + ½)/5 = 0.2', () => {
    check('I2', 'O1', 5, 0.4, 0.2);
    check('I2', 'O2', 5, 0, 0.2);
    check('I2', 'O3', 3, 1 / 3, 1 / 3);
  });
  it('I3 > 30 days or never assessed: O1 2/5 (row 3 unassessed, row 5 42 days), expected 0.2', () => {
    check('I3', 'O1', 5, 0.4, 0.2);
    check('I3', 'O2', 5, 0, 0.2);
  });
  it('I4 above the stratum 95th percentile: O1 2/4 (168 h > 146.4 h; 1008 h > 958.1 h), O2 1/5 (12 h > 11.2 h)', () => {
    check('I4', 'O1', 4, 0.5, (1 / 3 + 2 * 0.25 + 0.5) / 4);
    check('I4', 'O2', 5, 0.2, ((2 * 1) / 3 + 2 * 0.25 + 0.5) / 5);
    check('I4', 'O3', 3, 0, 0);
  });
  it('I4 z = (median_i − median_office) / MAD_office: A has 1,2,4,5,10,12,24,168,1008 h (median 10, |deviations| 0,2,5,6,8,9,14,158,998: MAD 8)', async () => {
    // computeIndicators adds it to each I4 result (analytics.clearance.ts).
    const z = (subject: string) =>
      results.find((r) => r.indicatorId === 'I4' && r.subjectId === subject)!.extra;
    // O1: 4, 5, 168, 1008 h (its unassessed row left out) → median 86.5; (86.5 − 10) / 8.
    close(z('O1').median_hours as number, 86.5, 'O1 median');
    close(z('O1').z as number, 9.5625, 'O1 z');
    // O2: 1, 2, 10, 12, 24 → median 10, the office's: z 0.
    close(z('O2').median_hours as number, 10, 'O2 median');
    close(z('O2').z as number, 0, 'O2 z');
    // Office B is O3's alone: 1, 48, 144 → median 48, MAD median(47, 0, 96) = 47, z 0.
    close(z('O3').z as number, 0, 'O3 z');
    // The funnel's own figures stay beside the z; other indicators get no z.
    close(z('O1').se as number, Math.sqrt((1 / 3) * (2 / 3) + 2 * 0.25 * 0.75 + 0.25) / 4, 'O1 se');
    assert.ok(results.filter((r) => r.indicatorId !== 'I4').every((r) => !('z' in r.extra)));
  });
  it('I5 down-routing: O1 re-routed 1 of its 4 red/yellow (expected 2·⅓/4), O3 1 of 2', () => {
    check('I5', 'O1', 4, 0.25, 2 / 3 / 4);
    check('I5', 'O2', 3, 0, 1 / 3 / 3);
    check('I5', 'O3', 2, 0.5, 0.5);
  });
  it('I6 detection on controlled declarations: O1 2/3, O2 1/3, O3 1/2, each expected 0.5', () => {
    check('I6', 'O1', 3, 2 / 3, 0.5);
    check('I6', 'O2', 3, 1 / 3, 0.5);
    check('I6', 'O3', 2, 0.5, 0.5);
  });
  it('I7 reassessment: mean extra duty 60/3 = 20 for O1 and O2 (expected (27.5·2 + 5)/3 = 20), 10 for O3', () => {
    check('I7', 'O1', 3, 20, 20);
    check('I7', 'O2', 3, 20, 20);
    check('I7', 'O3', 2, 10, 10);
  });
  it('I8 revenue per declaration: O1 390/5 = 78, O2 80, both expected (3·96.67 + 2·52.5)/5 = 79', () => {
    check('I8', 'O1', 5, 78, 79);
    check('I8', 'O2', 5, 80, 79);
    check('I8', 'O3', 3, 320 / 3, 320 / 3);
  });
  it('I9 under-valuation accepted: reference 100 (median of 9 for 010101|CN); O1 accepted its 30, O2 adjusted its 40', () => {
    check('I9', 'O1', 1, 1, 0.5);
    check('I9', 'O2', 1, 0, 0.5);
    assert.equal(
      results.some((r) => r.indicatorId === 'I9' && r.subjectId === 'O3'),
      false,
      '020202|FR has fewer than 5 declarations: no reference, no I9',
    );
  });
  it('I10 assignment deviation: X×P observed 28, expected 32·30/90, Poisson tail p, BH q = 12p < 0.01', () => {
    const r = get('I10', 'X/P');
    assert.equal(r.observed, 28);
    const lambda = (32 * 30) / 90;
    close(r.expected, lambda, 'expected');
    let below = 0;
    for (let k = 0, term = Math.exp(-lambda); k < 28; k++, term *= lambda / k) below += term;
    close(r.extra.p as number, 1 - below, 'p');
    // 12 pairs tested: 6 in office C, 5 random-assignment pairs in A (row 9 is manual) and 1 in B.
    assert.equal(r.extra.tests, 12);
    close(r.extra.q as number, (1 - below) * 12, 'q');
    assert.equal(r.flagged, true);
    assert.ok(
      (r.upper998 as number) <= 28 && (r.upper998 as number) > lambda,
      'limit between expected and observed',
    );
    assert.deepEqual(
      results.filter((x) => x.indicatorId === 'I10' && x.flagged).map((x) => x.subjectId),
      ['X/P'],
    );
  });
  it('I11 broker concentration: X (28² + 2²)/30² against 4388/8100 + (1 − 4388/8100)/30', () => {
    const r = get('I11', 'X');
    close(r.observed, 788 / 900, 'hhi');
    close(r.expected, 4388 / 8100 + (1 - 4388 / 8100) / 30, 'expected');
    close(r.extra.top1 as number, 28 / 30, 'top-1 share');
  });
  it('I12 deviant declarations: office C, flagged pair hit 1 of 2 controlled, the others 0 of 2', () => {
    const r = get('I12', 'C');
    assert.equal(r.n, 2);
    close(r.observed, 0.5, 'flagged pairs');
    close(r.expected, 0, 'others');
    assert.equal(r.extra.n_other, 2);
  });
  it('results record the version of each definition, and a changed formula needs a new version', () => {
    for (const r of results)
      assert.equal(r.indicatorVersion, CATALOGUE.find((i) => i.id === r.indicatorId)?.version);
    // Pinned definition hashes: editing a formula without a new version fails here.
    const pinned: Record<string, string> = JSON.parse(
      fs.readFileSync(path.join(path.dirname(FIXTURE), 'catalogue-hashes.json'), 'utf8'),
    );
    for (const i of CATALOGUE)
      assert.equal(pinned[`${i.id}@${i.version}`], definitionHash(i), `${i.id}@${i.version}`);
  });
});

describe('analytics statistics', () => {
  it('Poisson upper tail, BH and the normal quantile agree with direct computations', () => {
    close(poissonUpper(0, 3), 1, 'P(X ≥ 0)');
    close(poissonUpper(1, 2), 1 - Math.exp(-2), 'P(X ≥ 1)');
    close(poissonUpper(3, 1), 1 - Math.exp(-1) * (1 + 1 + 0.5), 'P(X ≥ 3 | 1)');
    // P(X ≥ 400 | 10) ≈ e^-1089 underflows a double; its logarithm and its z do not.
    const far = poissonUpperLog(400, 10);
    assert.ok(Number.isFinite(far) && far < -1000 && far > -1200, `ln P(X ≥ 400 | 10) = ${far}`);
    assert.ok(zFromUpperLog(far) > 40, 'z of the far tail');
    assert.ok(zFromUpperLog(-1000) > 40, 'z beyond double precision');
    assert.deepEqual(
      benjaminiHochberg([0.01, 0.04, 0.03, 0.2]).map((x) => Math.round(x * 1e6) / 1e6),
      [0.04, 0.053333, 0.053333, 0.2],
    );
    close(zFromUpperLog(Math.log(0.025)), 1.959963984540054, 'z at 2.5 %');
  });
});
