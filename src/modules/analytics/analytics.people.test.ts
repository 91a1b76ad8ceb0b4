import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { generateDeclarations, type GroundTruth } from './analytics.generator.ts';
import { AnalyticsService, engineOf } from './analytics.service.ts';

// The people views (officer profile, rows behind a figure, run summary) on generated data with
// planted anomalies, checked against an independent computation over the CSV in plain JS.

type Row = Record<
  | 'declaration_id'
  | 'office_code'
  | 'registered_at'
  | 'assessed_at'
  | 'officer_id'
  | 'declarant_id'
  | 'assignment'
  | 'channel_system'
  | 'channel_final'
  | 'rerouted_by'
  | 'procedure',
  string
>;
const Z95 = 1.959963984540054;
const close = (a: number, b: number, msg: string) => assert.ok(Math.abs(a - b) < 1e-9, `${msg}: ${a} ≠ ${b}`);
const time = (s: string) => (s ? Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`) : Number.NaN);

describe('analytics people views: officer profile, rows behind a figure, run summary', () => {
  let h: Harness;
  let analyst: Client;
  let rows: Row[];
  let truth: GroundTruth;
  let versionId: string;
  let runId: string;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-people-'));

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };

  before(async () => {
    const file = path.join(dir, 'gen.csv');
    truth = await generateDeclarations({ rows: 6000, seed: 5, plant: true, out: file });
    const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
    const cols = (head as string).split(',');
    rows = lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])) as Row);
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    const d = await analyst.post('/api/analytics/datasets', { name: 'Generated', description: '' });
    assert.equal(d.statusCode, 201, d.body);
    const up = await analyst.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: d.json().id, mode: 'reject-file' },
        file: { filename: 'gen.csv', data: fs.readFileSync(file) },
      }),
    });
    assert.equal(up.statusCode, 202, up.body);
    versionId = up.json().id;
    await drain();
    const run = await analyst.post('/api/analytics/runs', { datasetVersionId: versionId });
    assert.equal(run.statusCode, 202, run.body);
    runId = run.json().id;
    await drain();
    assert.equal((await analyst.get(`/api/analytics/runs/${runId}`)).json().status, 'done');
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an officer month by month: I2 observed, expected and limits equal a computation in JS', async () => {
    const officer = truth.slowProcessing[0] as string;
    const res = await analyst.get(`/api/analytics/versions/${versionId}/officers/${officer}?period=month`);
    assert.equal(res.statusCode, 200, res.body);
    const p = res.json();
    assert.equal(p.runId, runId);
    // I2: assessed ≥ 120 h after registration, strata office × final (else system) channel ×
    // procedure (the generated declarations have procedure codes), per month.
    assert.ok(
      rows.every((r) => r.procedure),
      'every generated declaration has its procedure',
    );
    const y = (r: Row) =>
      r.assessed_at && (time(r.assessed_at) - time(r.registered_at)) / 3.6e6 >= 120 ? 1 : 0;
    const key = (r: Row) =>
      `${r.registered_at.slice(0, 7)}|${r.office_code}|${r.channel_final || r.channel_system}|${r.procedure}`;
    const strata = new Map<string, number[]>();
    for (const r of rows) strata.set(key(r), [...(strata.get(key(r)) ?? []), y(r)]);
    const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
    const vpop = (a: number[]) => mean(a.map((x) => (x - mean(a)) ** 2));
    const mine = rows.filter((r) => r.officer_id === officer);
    const months = [...new Set(mine.map((r) => r.registered_at.slice(0, 7)))].sort();
    const i2 = p.indicators.find((i: { indicatorId: string }) => i.indicatorId === 'I2');
    assert.deepEqual(
      i2.series.map((s: { period: string }) => s.period),
      months,
    );
    for (const m of months) {
      const own = mine.filter((r) => r.registered_at.startsWith(m));
      const n = own.length;
      const observed = own.reduce((s, r) => s + y(r), 0) / n;
      const expected = own.reduce((s, r) => s + mean(strata.get(key(r)) as number[]), 0) / n;
      const se = Math.sqrt(own.reduce((s, r) => s + vpop(strata.get(key(r)) as number[]), 0)) / n;
      const got = i2.series.find((s: { period: string }) => s.period === m);
      assert.equal(got.n, n, `${m} n`);
      close(got.observed, observed, `${m} observed`);
      close(got.expected, expected, `${m} expected`);
      close(got.upper95, Math.min(1, expected + Z95 * se), `${m} upper 95 %`);
    }
    // The planted slow officer is slower than expected over the year, as the run found.
    assert.ok(i2.overall, 'the run has a figure for the officer');
    assert.equal(i2.overall.n, mine.length);
    assert.ok(i2.overall.observed > i2.overall.expected);
    // I4's second measure (analytics.clearance.ts), computed here: each assessed declaration on its
    // office's scale, (h − median_office) / MAD_office, and the officer's median of those.
    const median = (a: number[]) => {
      const d = [...a].sort((x, y) => x - y);
      const m = d.length >> 1;
      return d.length % 2 ? d[m]! : (d[m - 1]! + d[m]!) / 2;
    };
    const hours = (r: Row) => (time(r.assessed_at) - time(r.registered_at)) / 3.6e6;
    const assessed = rows.filter((r) => r.assessed_at && r.officer_id && r.office_code);
    const scale = new Map<string, { med: number; mad: number }>();
    for (const office of new Set(assessed.map((r) => r.office_code))) {
      const hs = assessed.filter((r) => r.office_code === office).map(hours);
      const med = median(hs);
      scale.set(office, { med, mad: median(hs.map((h) => Math.abs(h - med))) });
    }
    const own = assessed.filter((r) => r.officer_id === officer);
    const i4 = p.indicators.find((i: { indicatorId: string }) => i.indicatorId === 'I4');
    assert.equal(i4.indicatorVersion, 2);
    close(i4.overall.extra.median_hours, median(own.map(hours)), 'I4 median hours');
    const z = median(
      own.map((r) => (hours(r) - scale.get(r.office_code)!.med) / scale.get(r.office_code)!.mad),
    );
    close(i4.overall.extra.z, z, 'I4 z');
    assert.ok(z > 1, `the planted slow officer is slow on the office's scale too: z ${z}`);
    assert.equal(
      p.declarations,
      mine.length + rows.filter((r) => r.rerouted_by === officer && r.officer_id !== officer).length,
    );
    assert.ok(
      p.alerts.some((a: { indicatorId: string }) => ['I2', 'I3', 'I4'].includes(a.indicatorId)),
      'a processing-time alert is on the profile',
    );
  });

  it('by quarter: four periods whose counts add up to the year', async () => {
    const officer = truth.lowDetection[0] as string;
    const p = (
      await analyst.get(`/api/analytics/versions/${versionId}/officers/${officer}?period=quarter`)
    ).json();
    assert.deepEqual(p.periods, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    const i1 = p.indicators.find((i: { indicatorId: string }) => i.indicatorId === 'I1');
    assert.equal(
      i1.series.reduce((s: number, x: { n: number }) => s + x.n, 0),
      rows.filter((r) => r.officer_id === officer).length,
    );
    const i6 = p.indicators.find((i: { indicatorId: string }) => i.indicatorId === 'I6');
    assert.ok(i6.overall.observed < i6.overall.expected, 'planted low detection');
    // I6 was expected from the model: its quarters' expected hits (the same probabilities) add
    // up to the run's figure for the year.
    assert.equal(i6.overall.extra.expectation, 'model');
    const quarters = i6.series as { n: number; expected: number }[];
    close(
      quarters.reduce((s, x) => s + x.expected * x.n, 0),
      i6.overall.extra.expected_hits,
      'Σ of the quarters’ expected hits',
    );
  });

  it('a collusive pair is on its officer’s profile, and its rows are paged from DuckDB', async () => {
    const pair = truth.collusivePairs[0] as GroundTruth['collusivePairs'][number];
    const p = (await analyst.get(`/api/analytics/versions/${versionId}/officers/${pair.officer_id}`)).json();
    const found = p.pairs.find((x: { declarantId: string }) => x.declarantId === pair.declarant_id);
    assert.ok(found, 'the planted pair is among the officer’s pairs');
    assert.ok((found.extra.q as number) < 0.01, `q ${found.extra.q}`);
    const expected = rows.filter(
      (r) =>
        r.officer_id === pair.officer_id &&
        r.declarant_id === pair.declarant_id &&
        (r.assignment || 'random') === 'random',
    );
    const url = (o: number) =>
      `/api/analytics/versions/${versionId}/declarations?officer=${pair.officer_id}&declarant=${pair.declarant_id}&indicator=I10&limit=10&offset=${o}`;
    const a = (await analyst.get(url(0))).json();
    const b = (await analyst.get(url(10))).json();
    assert.equal(a.total, expected.length);
    assert.equal(a.rows.length, Math.min(10, expected.length));
    const ids = [...a.rows, ...b.rows].map((r: unknown[]) => r[0]);
    assert.equal(new Set(ids).size, ids.length, 'pages do not overlap');
    const want = new Set(expected.map((r) => r.declaration_id));
    assert.ok(ids.every((id) => want.has(id as string)));
  });

  it('rows behind an officer’s figure in one month follow the indicator’s filter', async () => {
    const officer = truth.lowDetection[0] as string;
    const res = await analyst.get(
      `/api/analytics/versions/${versionId}/declarations?officer=${officer}&indicator=I6&period=2025-03&limit=200`,
    );
    assert.equal(res.statusCode, 200, res.body);
    const want = rows.filter(
      (r) =>
        r.officer_id === officer &&
        r.registered_at.startsWith('2025-03') &&
        ['red', 'yellow'].includes(r.channel_final),
    );
    assert.equal(res.json().total, want.length);
    assert.deepEqual(
      res
        .json()
        .rows.map((r: unknown[]) => r[0])
        .sort(),
      want.map((r) => r.declaration_id).sort(),
    );
  });

  it('the run summary counts subjects beyond the limits and the alerts per indicator', async () => {
    const res = await analyst.get(`/api/analytics/runs/${runId}/summary`);
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as {
      indicatorId: string;
      subjects: number;
      outside998: number;
      alerts: number;
    }[];
    const alerts = (await analyst.get(`/api/analytics/alerts?runId=${runId}`)).json().items as {
      indicatorId: string;
    }[];
    for (const i of items) {
      assert.equal(i.alerts, alerts.filter((a) => a.indicatorId === i.indicatorId).length, i.indicatorId);
      assert.ok(i.outside998 >= i.alerts, `${i.indicatorId}: every alert is outside the 99.8 % limit`);
    }
    const i1 = items.find((i) => i.indicatorId === 'I1');
    assert.equal(i1?.subjects, new Set(rows.map((r) => r.officer_id)).size);
    const pairs = (await analyst.get(`/api/analytics/runs/${runId}/results?indicator=I10`)).json().items as {
      extra: { q: number };
    }[];
    const significant = pairs.filter((p) => p.extra.q < 0.01).length;
    assert.ok(significant > 0);
    assert.equal(items.find((i) => i.indicatorId === 'I10')?.outside998, significant);
  });

  it('refuses what it cannot answer: unknown officer or version, bad period, a mirror indicator', async () => {
    assert.equal((await analyst.get(`/api/analytics/versions/${versionId}/officers/NOBODY`)).statusCode, 404);
    assert.equal(
      (await analyst.get('/api/analytics/versions/00000000-0000-4000-8000-000000000000/officers/X'))
        .statusCode,
      404,
    );
    const base = `/api/analytics/versions/${versionId}/declarations`;
    assert.equal((await analyst.get(`${base}?period=2025-13x`)).statusCode, 400);
    assert.equal((await analyst.get(`${base}?indicator=I13`)).statusCode, 400);
    assert.equal((await analyst.get(`${base}?limit=5000`)).statusCode, 400);
    const staff = await h.as(h.a.users.staff.email);
    assert.equal((await staff.get(`${base}`)).statusCode, 403);
  });

  it('I10 stores the significant pairs and the most deviant others, with the counts in the run; the statistics are those of every pair', async () => {
    type Pair = {
      subjectId: string;
      officerId: string;
      officeCode: string;
      score: number;
      upper998: number | null;
      extra: { p: number; q: number; tests: number };
    };
    const key = (p: Pair) => `${p.officeCode}/${p.subjectId}`;
    const pairsOf = async (id: string) =>
      (await analyst.get(`/api/analytics/runs/${id}/results?indicator=I10`)).json().items as Pair[];
    // The run of the suite kept every pair (fewer than the 1,000 kept): the whole picture.
    const all = await pairsOf(runId);
    const significant = all.filter((p) => p.extra.q < 0.01);
    const others = all.filter((p) => p.extra.q >= 0.01);
    assert.ok(significant.length > 0 && others.length > 3, `${significant.length} / ${others.length}`);
    const m = all[0]!.extra.tests;
    assert.ok(m >= all.length);
    assert.deepEqual((await analyst.get(`/api/analytics/runs/${runId}`)).json().params.pairs, {
      tested: m,
      evaluated: all.length,
      stored: all.length,
      kept: 1000,
    });

    // The same version with 3 kept: the significant pairs and the 3 highest scores of the others.
    const svc = new AnalyticsService(h.kernel, { pairsKept: 3 });
    const run = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      svc.createRun(tx, h.a.id, null, { datasetVersionId: versionId }, false),
    );
    await svc.executeRun(h.a.id, run.id);
    const capped = await pairsOf(run.id);
    const top = [...others].sort((a, b) => b.score - a.score || (key(a) < key(b) ? -1 : 1)).slice(0, 3);
    assert.deepEqual(capped.map(key).sort(), [...significant, ...top].map(key).sort());
    assert.deepEqual((await analyst.get(`/api/analytics/runs/${run.id}`)).json().params.pairs, {
      tested: m,
      evaluated: all.length,
      stored: significant.length + 3,
      kept: 3,
    });
    // p, q (Benjamini–Hochberg over all m pairs), the score and the limit are unchanged.
    const before = new Map(all.map((p) => [key(p), p]));
    for (const p of capped) {
      const b = before.get(key(p))!;
      assert.deepEqual([p.extra, p.score, p.upper998], [b.extra, b.score, b.upper998], key(p));
    }
    // The run summary counts the pairs evaluated, and the significant ones, as before.
    const summary = (await analyst.get(`/api/analytics/runs/${run.id}/summary`)).json().items as {
      indicatorId: string;
      subjects: number;
      outside998: number;
    }[];
    assert.deepEqual(
      summary.filter((i) => i.indicatorId === 'I10').map((i) => [i.subjects, i.outside998]),
      [[all.length, significant.length]],
    );
    // The officer of a pair left out: the profile (now of this run) lists their stored pairs only
    // and gives the run's counts, for the page to say that the others are not listed.
    const dropped = others.find((p) => !capped.some((c) => key(c) === key(p)))!;
    const profile = (
      await analyst.get(`/api/analytics/versions/${versionId}/officers/${dropped.officerId}`)
    ).json();
    assert.equal(profile.runId, run.id);
    assert.deepEqual(
      profile.pairs.map(key).sort(),
      capped
        .filter((p) => p.officerId === dropped.officerId)
        .map(key)
        .sort(),
    );
    assert.deepEqual(profile.pairsStored, {
      tested: m,
      evaluated: all.length,
      stored: significant.length + 3,
      kept: 3,
    });
  });
});
