import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { partnerOf } from './analytics.origins.ts';
import { engineOf } from './analytics.service.ts';

/**
 * Mirror analysis with the declared side taken from the administration's own declarations
 * (fixtures/mirror-declared-*.csv, written for this test), and I17, the gaps attributed to the
 * officers, declarants and importers. The administration is Tanzania (834). Every figure below
 * is worked out by hand from the two files, c = 1.10:
 *
 *   cell 440799 / China 156 / 2025   M = D1 3000 + D2 1000 (origins CN, cn) = 4000
 *                                     X = 10000 (the re-export 500 apart) → X·c = 11000
 *                                     gap 7000, log ln(11000/4000) = ln 2.75; weight ln(5000/2000)
 *   cell 440799 / France 251 / 2025  M = D3 1100 (origin FRA, alpha-3; Comtrade's 251, not ISO 250)
 *                                     X·c = 2200 → gap 1100, log ln 2; weight ln(800/800) = 0
 *   cell 8703 / India 699 / 2025     M = D4 20000 (HS6 870323 under India's HS4 8703; ISO 356 → 699)
 *                                     X·c = 55000 → gap 35000, log ln 2.75; `hs_level`
 *   cell 440799 / USA 842 / 2025     M = D7 5000, X·c = 3300 → gap −1700 (over-declared),
 *                                     log ln 0.66; weight ln(1000/2000)
 *   cell 440799 / Japan 392 / 2025   partner only (1500): no gap
 *   cell 440799 / XK / 2025          D5 400, origin XK not in ISO 3166: declared only, `origin_unmatched`
 *   cell 940360 / China 156 / 2025   D6 700, no partner line: declared only
 *   not used: China's 2024 exports (no declarations that year), Tanzania's own reporter rows,
 *   the "World" row.
 *
 * I17, attributed gap = Σ over the actor's two-sided cells of (its value / M) · gap:
 *   O1 (D1, D3, D7; D5 one-sided)  3000/4000·7000 + 1100 + 0 (a negative gap is not shared) = 6350,
 *       value 9100, log (3000·ln 2.75 + 1100·ln 2 + 5000·ln 0.66) / 9100
 *   O2 (D2, D4; D6 one-sided)  1000/4000·7000 + 35000 = 36750, value 21000, log ln 2.75
 *   B1 (D1, D2, D7) 7000; B2 (D3, D4) 36100; M1 (D1, D3) 6350; M2 (D2) 1750; M3 (D4) 35000; M4 (D7) 0
 *   each role adds up to the positive gap 43100.
 * A run with threshold ln 2 and minGap 10000 flags the cell 8703/699/2025 (I13), O2 and B2 (I17).
 */
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const TRADE = fs.readFileSync(path.join(dir, 'mirror-declared-trade.csv'), 'utf8');
const DECLARATIONS = fs.readFileSync(path.join(dir, 'mirror-declared-declarations.csv'), 'utf8');
const TZ = '834';
const L275 = Math.log(2.75);

const close = (a: unknown, b: number | null, what: string) => {
  if (b === null || a === null) return assert.equal(a, b, what);
  assert.ok(Math.abs((a as number) - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
};

type Row = Record<string, unknown> & { hs_code: string; partner: string; year: number; caveats: string[] };
type Actor = {
  role: string;
  actor_id: string;
  declarations: number;
  cells: number;
  declared_value: number;
  attributed_gap: number;
  gap_log_weighted: number | null;
  caveats: string[];
};

describe('analytics mirror analysis: declared side from declarations, I17 gaps attributed to actors', () => {
  let h: Harness;
  let analyst: Client;
  let trade: string;
  let decl: string;

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };
  const importFile = async (c: Client, kind: string, name: string, data: string) => {
    const ds = await c.post('/api/analytics/datasets', { name, kind });
    assert.equal(ds.statusCode, 201, ds.body);
    const res = await c.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: ds.json().id, mode: 'reject-file' },
        file: { filename: name, data },
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const v = (await c.get(`/api/analytics/versions/${res.json().id}`)).json();
    assert.equal(v.status, 'imported', JSON.stringify(v.report));
    return v.id as string;
  };
  const get = async (url: string) => {
    const res = await analyst.get(url);
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    trade = await importFile(analyst, 'trade', 'trade.csv', TRADE);
    decl = await importFile(analyst, 'declarations', 'declarations.csv', DECLARATIONS);
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('origin codes: ISO alpha-2 and alpha-3 to the trade file’s partner codes, Comtrade’s own where they differ', () => {
    assert.equal(partnerOf('CN'), '156');
    assert.equal(partnerOf('chn'), '156');
    assert.equal(partnerOf('FR'), '251', 'France incl. Monaco is 251 in Comtrade (ISO 250)');
    assert.equal(partnerOf('IN'), '699');
    assert.equal(partnerOf('US'), '842');
    assert.equal(partnerOf('CH'), '757');
    assert.equal(partnerOf('TW'), '490', 'Taiwan is "Other Asia, nes"');
    assert.equal(partnerOf('TZ'), '834');
    assert.equal(partnerOf('004'), '4', 'numeric codes lose their leading zeros as in the trade file');
    assert.equal(partnerOf('XK'), null, 'Kosovo has no ISO 3166-1 code');
  });

  it('gaps per HS × partner × year from the declarations, equal to the hand computation, unmatched origins kept', async () => {
    const m = await get(
      `/api/analytics/versions/${trade}/mirror?country=${TZ}&declarationsVersionId=${decl}&sort=hs_code&limit=500`,
    );
    const cells = new Map((m.rows as Row[]).map((r) => [`${r.hs_code}/${r.partner}/${r.year}`, r]));
    assert.deepEqual(
      [...cells.keys()].sort(),
      [
        '440799/156/2025',
        '440799/251/2025',
        '440799/392/2025',
        '440799/842/2025',
        '440799/XK/2025',
        '8703/699/2025',
        '940360/156/2025',
      ],
      'the 2024 exports, Tanzania’s own reporter rows and "World" are not cells',
    );
    const want: Record<string, [number | null, number | null, number | null, number | null, number | null]> =
      {
        // declared, mirror, log gap, absolute gap, weight gap
        '440799/156/2025': [4000, 10000, L275, 7000, Math.log(2.5)],
        '440799/251/2025': [1100, 2000, Math.LN2, 1100, 0],
        '8703/699/2025': [20000, 50000, L275, 35000, null],
        '440799/842/2025': [5000, 3000, Math.log(0.66), -1700, Math.log(0.5)],
        '440799/392/2025': [null, 1500, null, null, null],
        '440799/XK/2025': [400, null, null, null, null],
        '940360/156/2025': [700, null, null, null, null],
      };
    for (const [k, [dv, mv, lg, ab, wg]] of Object.entries(want)) {
      const r = cells.get(k) as Row;
      close(r.declared_value, dv, `${k} declared`);
      close(r.mirror_value, mv, `${k} mirror`);
      close(r.value_gap_log, lg, `${k} log gap`);
      close(r.value_gap_abs, ab, `${k} absolute gap`);
      close(r.weight_gap_log, wg, `${k} weight gap`);
      assert.equal(r.quantity_gap_log, null, 'declarations carry no supplementary quantity');
      assert.ok(r.caveats.includes('currency'), `${k}: the currency caveat`);
      assert.ok(!r.caveats.includes('hs_version'), 'no HS vintage on the declared side');
    }
    const c = (k: string) => (cells.get(k) as Row).caveats;
    assert.ok(c('440799/156/2025').includes('reexport'));
    close((cells.get('440799/156/2025') as Row).reexport_value, 500, 're-exports beside the gap');
    assert.equal((cells.get('440799/156/2025') as Row).declared_rows, 2, 'CN and cn are one origin');
    assert.equal((cells.get('440799/251/2025') as Row).partner_name, 'France');
    assert.ok(c('8703/699/2025').includes('hs_level'), 'HS6 870323 compared under HS4 8703');
    assert.ok(c('440799/XK/2025').includes('origin_unmatched'));
    assert.ok(c('440799/XK/2025').includes('one_side'));
    assert.ok(!c('440799/156/2025').includes('origin_unmatched'));
    assert.ok(!c('440799/156/2025').includes('partial_year'), 'January to December: a whole year');
    assert.deepEqual(m.declared.unmatchedOrigins, [{ origin: 'XK', declarations: 1, value: 400 }]);
    assert.equal(m.declared.declarations, 7);
    assert.deepEqual(m.declared.years, [2025]);
    assert.deepEqual(m.declared.partialYears, []);
    const s = m.summary;
    assert.deepEqual([s.cells, s.twoSided, s.declaredOnly, s.mirrorOnly], [7, 4, 2, 1]);
    close(s.positiveGap, 43100, 'Σ positive gaps (the negative one apart)');
    close(s.mirrorOnlyValue, 1500, 'partner exports with nothing declared');
    // A currency factor scales the declared side: customs value × 2 halves every ratio.
    const m2 = await get(
      `/api/analytics/versions/${trade}/mirror?country=${TZ}&declarationsVersionId=${decl}&currencyFactor=2&partner=699`,
    );
    close(m2.rows[0].declared_value, 40000, 'converted');
    close(m2.rows[0].value_gap_log, Math.log(55000 / 40000), 'log gap after conversion');
    // The declarations behind a cell.
    const behind = await get(
      `/api/analytics/versions/${trade}/mirror/rows?country=${TZ}&declarationsVersionId=${decl}&hs=440799&partner=156&year=2025`,
    );
    assert.equal(behind.total, 2);
    const id = behind.columns.indexOf('declaration_id');
    assert.deepEqual(
      behind.rows.map((r: unknown[]) => r[id]),
      ['D1', 'D2'],
    );
  });

  it('I17: each cell’s gap shared over officers, declarants and importers by value; each role adds up to the total', async () => {
    const a = await get(
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}&limit=500`,
    );
    const by = new Map((a.rows as Actor[]).map((r) => [`${r.role}:${r.actor_id}`, r]));
    const want: Record<string, [number, number, number, number | null]> = {
      // attributed gap, declared value, declarations, value-weighted log gap
      'officer:O1': [6350, 9100, 3, (3000 * L275 + 1100 * Math.LN2 + 5000 * Math.log(0.66)) / 9100],
      'officer:O2': [36750, 21000, 2, L275],
      'declarant:B1': [7000, 9000, 3, (4000 * L275 + 5000 * Math.log(0.66)) / 9000],
      'declarant:B2': [36100, 21100, 2, (1100 * Math.LN2 + 20000 * L275) / 21100],
      'importer:M1': [6350, 4100, 2, (3000 * L275 + 1100 * Math.LN2) / 4100],
      'importer:M2': [1750, 1000, 1, L275],
      'importer:M3': [35000, 20000, 1, L275],
      'importer:M4': [0, 5000, 1, Math.log(0.66)],
    };
    assert.deepEqual(
      [...by.keys()].sort(),
      Object.keys(want).sort(),
      'one-sided declarations (D5, D6) share no gap',
    );
    for (const [k, [gap, value, n, lg]] of Object.entries(want)) {
      const r = by.get(k) as Actor;
      close(r.attributed_gap, gap, `${k} attributed gap`);
      close(r.declared_value, value, `${k} value`);
      assert.equal(r.declarations, n, `${k} declarations`);
      close(r.gap_log_weighted, lg, `${k} weighted log gap`);
      assert.ok(r.caveats.includes('attribution'), `${k}: the attribution caveat`);
    }
    assert.equal(a.rows[0].actor_id, 'O2', 'largest attributed gap first');
    close(a.positiveGap, 43100, 'the total shared');
    for (const role of ['officer', 'declarant', 'importer']) {
      const sum = (a.rows as Actor[])
        .filter((r) => r.role === role)
        .reduce((s, r) => s + r.attributed_gap, 0);
      close(sum, 43100, `${role}s add up to the positive gap`);
    }
    assert.ok(
      (by.get('officer:O2') as Actor).caveats.includes('hs_level'),
      'the caveats of the actor’s cells',
    );
    assert.deepEqual(a.declared.unmatchedOrigins, [{ origin: 'XK', declarations: 1, value: 400 }]);
    const officers = await get(
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}&role=officer`,
    );
    assert.deepEqual(
      officers.rows.map((r: Actor) => r.actor_id),
      ['O2', 'O1'],
    );
    assert.equal(officers.total, 2);
    // The declarations behind an actor's figure: those in its two-sided cells (D5 is one-sided).
    const o1 = await get(
      `/api/analytics/versions/${trade}/mirror/actors/rows?country=${TZ}&declarationsVersionId=${decl}&role=officer&actor=O1`,
    );
    assert.equal(o1.total, 3);
    assert.deepEqual(
      o1.rows.map((r: unknown[]) => r[o1.columns.indexOf('declaration_id')]),
      ['D1', 'D3', 'D7'],
    );
  });

  it('a mirror run with the declared side raises I13 on cells and I17 on officers and declarants, with the declarations behind', async () => {
    const res = await analyst.post('/api/analytics/runs', {
      datasetVersionId: trade,
      mirror: { country: TZ, threshold: Math.LN2, minGap: 10000, declarationsVersionId: decl },
    });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const run = await get(`/api/analytics/runs/${res.json().id}`);
    assert.equal(run.status, 'done', run.error);
    assert.deepEqual(run.catalogue, { I13: 1, I14: 1, I16: 1, I17: 1 });
    assert.deepEqual(run.params.summary.unmatchedOrigins, [{ origin: 'XK', declarations: 1, value: 400 }]);
    const alerts = (await get(`/api/analytics/alerts?runId=${run.id}`)).items as {
      id: string;
      indicatorId: string;
      subjectType: string;
      subjectId: string;
      observed: number;
      expected: number;
      limit: number;
      score: number;
      explanation: string;
    }[];
    assert.deepEqual(
      alerts.map((x) => `${x.indicatorId}:${x.subjectType}:${x.subjectId}`).sort(),
      ['I13:hs_partner_year:8703/699/2025', 'I17:declarant:B2', 'I17:officer:O2'],
      'O1, B1 (gaps below 10000) and importers are not alerted',
    );
    const o2 = alerts.find((x) => x.subjectId === 'O2') as (typeof alerts)[number];
    close(o2.observed, L275, 'observed = value-weighted log gap');
    close(o2.limit, Math.LN2, 'limit = threshold');
    close(o2.score, L275, 'score');
    assert.match(o2.explanation, /^Officer O2: 36,750 of the mirror gaps/);
    assert.ok(o2.explanation.includes('to the 2 declarations they handled in 2 cells ('), o2.explanation);
    assert.match(o2.explanation, /not proof/);
    const rowsOf = async (id: string) => {
      const b = await get(`/api/analytics/alerts/${id}/declarations`);
      return b.rows.map((r: unknown[]) => r[b.columns.indexOf('declaration_id')]).sort();
    };
    assert.deepEqual(await rowsOf(o2.id), ['D2', 'D4'], 'D6 is in a one-sided cell');
    assert.deepEqual(await rowsOf((alerts.find((x) => x.subjectId === 'B2') as { id: string }).id), [
      'D3',
      'D4',
    ]);
    assert.deepEqual(await rowsOf((alerts.find((x) => x.indicatorId === 'I13') as { id: string }).id), [
      'D4',
    ]);
    const fr = await analyst.request({
      method: 'GET',
      url: `/api/analytics/alerts/${o2.id}`,
      headers: { 'accept-language': 'fr' },
    });
    assert.match(fr.json().explanation, /^Agent O2 : 36\s750 des écarts miroir/);
    assert.ok(fr.json().explanation.includes("aux 2 déclarations qu'il a traitées dans 2 cellules ("));
    // A run over the trade file alone does not compute I17.
    const plain = await analyst.post('/api/analytics/runs', {
      datasetVersionId: trade,
      mirror: { country: TZ },
    });
    await drain();
    assert.deepEqual((await get(`/api/analytics/runs/${plain.json().id}`)).catalogue, {
      I13: 1,
      I14: 1,
      I16: 1,
    });
  });

  it('I15 evasion elasticity: OLS of the log gap on the rate, and on the rate of similar lines, equal to a hand computation', async () => {
    // Six HS6 lines in two HS4 groups, Tanzania's own imports from China against China's exports.
    const lines: [string, number, number, number][] = [
      // hs, M, X, rate %
      ['440710', 1000, 2000, 5],
      ['440791', 1000, 1500, 10],
      ['440799', 1000, 3000, 20],
      ['870321', 5000, 6000, 25],
      ['870322', 4000, 9000, 30],
      ['870323', 2000, 10000, 40],
    ];
    const head = 'reporter,reporter_name,partner,partner_name,year,hs_code,flow,value,classification';
    const csv = [
      head,
      ...lines.flatMap(([hs, m, x]) => [
        `834,Tanzania,156,China,2025,${hs},Import,${m},H6`,
        `156,China,834,Tanzania,2025,${hs},Export,${x},H6`,
      ]),
    ].join('\n');
    const t2 = await importFile(analyst, 'trade', 'elasticity-trade.csv', `${csv}\n`);
    const rates = await importFile(
      analyst,
      'duty_rates',
      'elasticity-rates.csv',
      `hs_code;rate\n${lines.map(([hs, , , r]) => `${hs};${r}`).join('\n')}\n`,
    );
    const m = await get(`/api/analytics/versions/${t2}/mirror?country=${TZ}&dutyRatesVersionId=${rates}`);
    // By hand: G = ln(1.1·X) − ln M, t = rate / 100, t̄ = mean t of the two other lines of the HS4.
    const G = lines.map(([, M, X]) => Math.log(1.1 * X) - Math.log(M));
    const t = lines.map(([, , , r]) => r / 100);
    const tbar = lines.map(([hs], i) => {
      const o = lines.flatMap(([h], j) =>
        j !== i && h.slice(0, 4) === hs.slice(0, 4) ? [t[j] as number] : [],
      );
      return o.reduce((a, b) => a + b, 0) / o.length;
    });
    const n = G.length;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const [mt, mg] = [mean(t), mean(G)];
    const sxx = t.reduce((a, v) => a + (v - mt) ** 2, 0);
    const beta = t.reduce((a, v, i) => a + (v - mt) * ((G[i] as number) - mg), 0) / sxx;
    const alpha = mg - beta * mt;
    const rss = G.reduce((a, g, i) => a + (g - alpha - beta * (t[i] as number)) ** 2, 0);
    const tss = G.reduce((a, g) => a + (g - mg) ** 2, 0);
    const s = m.elasticity.simple;
    assert.equal(s.n, 6);
    close(s.beta, beta, 'β');
    close(s.alpha, alpha, 'α');
    close(s.seBeta, Math.sqrt(rss / (n - 2) / sxx), 'se β');
    close(s.r2, 1 - rss / tss, 'R²');
    // With γ: the 3 × 3 normal equations by Cramer's rule, the variances from the cofactors.
    const X = t.map((v, i) => [1, v, tbar[i] as number]);
    const A = [0, 1, 2].map((i) =>
      [0, 1, 2].map((j) => X.reduce((a, r) => a + (r[i] as number) * (r[j] as number), 0)),
    );
    const b = [0, 1, 2].map((i) => X.reduce((a, r, k) => a + (r[i] as number) * (G[k] as number), 0));
    const det = (M: number[][]) => {
      const m3 = (i: number, j: number) => (M[i] as number[])[j] as number;
      return (
        m3(0, 0) * (m3(1, 1) * m3(2, 2) - m3(1, 2) * m3(2, 1)) -
        m3(0, 1) * (m3(1, 0) * m3(2, 2) - m3(1, 2) * m3(2, 0)) +
        m3(0, 2) * (m3(1, 0) * m3(2, 1) - m3(1, 1) * m3(2, 0))
      );
    };
    const D = det(A);
    const coef = [0, 1, 2].map(
      (j) => det(A.map((row, i) => row.map((v, k) => (k === j ? (b[i] as number) : v)))) / D,
    );
    const rss3 = G.reduce(
      (a, g, i) => a + (g - (X[i] as number[]).reduce((s2, v, j) => s2 + v * (coef[j] as number), 0)) ** 2,
      0,
    );
    const minor = (j: number) => {
      const r = A.filter((_, i) => i !== j).map((row) => row.filter((_, k) => k !== j));
      const at = (i: number, k: number) => (r[i] as number[])[k] as number;
      return at(0, 0) * at(1, 1) - at(0, 1) * at(1, 0);
    };
    const f = m.elasticity.full;
    assert.equal(f.n, 6);
    close(f.alpha, coef[0] as number, 'α (full)');
    close(f.beta, coef[1] as number, 'β (full)');
    close(f.gamma, coef[2] as number, 'γ');
    close(f.seBeta, Math.sqrt((rss3 / (n - 3)) * (minor(1) / D)), 'se β (full)');
    close(f.seGamma, Math.sqrt((rss3 / (n - 3)) * (minor(2) / D)), 'se γ');
    // Without a rate table there is no estimate; with rates but one rate for all, no fit.
    assert.equal((await get(`/api/analytics/versions/${t2}/mirror?country=${TZ}`)).elasticity, null);
    const flat = await importFile(analyst, 'duty_rates', 'flat.csv', 'hs_code;rate\n44;10\n87;10\n');
    const e = (await get(`/api/analytics/versions/${t2}/mirror?country=${TZ}&dutyRatesVersionId=${flat}`))
      .elasticity;
    assert.deepEqual(e, { simple: null, full: null });
  });

  it('bad input: unknown version, wrong kind, bad query → 4xx problem+json', async () => {
    const problem = async (url: string, status: number) => {
      const res = await analyst.get(url);
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      return res.json();
    };
    const none = '00000000-0000-4000-8000-000000000000';
    await problem(
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${none}`,
      404,
    );
    await problem(`/api/analytics/versions/${trade}/mirror?country=${TZ}&declarationsVersionId=${none}`, 404);
    const kind = await problem(
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${trade}`,
      400,
    );
    assert.ok(JSON.stringify(kind).includes('declarationsVersionId'), JSON.stringify(kind));
    await problem(
      `/api/analytics/versions/${decl}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}`,
      400,
    );
    await problem(`/api/analytics/versions/${trade}/mirror/actors?country=${TZ}`, 400);
    await problem(
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}&role=minister`,
      400,
    );
    await problem(
      `/api/analytics/versions/${trade}/mirror/actors/rows?country=${TZ}&declarationsVersionId=${decl}&role=officer`,
      400,
    );
    await problem(
      `/api/analytics/versions/${trade}/mirror?country=${TZ}&declarationsVersionId=${decl}&currencyFactor=0`,
      400,
    );
    const run = await analyst.post('/api/analytics/runs', {
      datasetVersionId: trade,
      mirror: { country: TZ, declarationsVersionId: trade },
    });
    assert.equal(run.statusCode, 400, run.body);
    assert.match(String(run.headers['content-type']), /application\/problem\+json/);
  });

  it('tenant isolation: another administration reaches neither the routes nor A’s declarations from its own trade file', async () => {
    const b = await h.as(h.b.users.analyst.email);
    for (const url of [
      `/api/analytics/versions/${trade}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}`,
      `/api/analytics/versions/${trade}/mirror?country=${TZ}&declarationsVersionId=${decl}`,
      `/api/analytics/versions/${trade}/mirror/rows?country=${TZ}&declarationsVersionId=${decl}&hs=440799&partner=156&year=2025`,
      `/api/analytics/versions/${trade}/mirror/actors/rows?country=${TZ}&declarationsVersionId=${decl}&role=officer&actor=O1`,
    ])
      assert.equal((await b.get(url)).statusCode, 404, url);
    const bTrade = await importFile(b, 'trade', 'b-trade.csv', TRADE);
    for (const url of [
      `/api/analytics/versions/${bTrade}/mirror/actors?country=${TZ}&declarationsVersionId=${decl}`,
      `/api/analytics/versions/${bTrade}/mirror?country=${TZ}&declarationsVersionId=${decl}`,
      `/api/analytics/versions/${bTrade}/mirror/actors/rows?country=${TZ}&declarationsVersionId=${decl}&role=officer&actor=O1`,
    ])
      assert.equal((await b.get(url)).statusCode, 404, `B cannot borrow A's declarations: ${url}`);
    const run = await b.post('/api/analytics/runs', {
      datasetVersionId: bTrade,
      mirror: { country: TZ, declarationsVersionId: decl },
    });
    assert.equal(run.statusCode, 404, run.body);
    const bDecl = await importFile(b, 'declarations', 'b-decl.csv', DECLARATIONS);
    const own = await b.get(
      `/api/analytics/versions/${bTrade}/mirror/actors?country=${TZ}&declarationsVersionId=${bDecl}`,
    );
    assert.equal(own.statusCode, 200, own.body);
    assert.equal(own.json().rows.length, 8);
  });
});
