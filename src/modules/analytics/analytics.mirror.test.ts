import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { multipart } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { alertLine, engineOf } from './analytics.service.ts';

/**
 * Mirror analysis on a real slice of UN Comtrade (HS 440799, every row whose reporter or partner
 * is Jamaica, code 388, or Grenada, code 308; fixtures/LICENSE-NOTE.md). Jamaica's side brings
 * re-exports and estimated quantities, Grenada's clean two-sided quantities. The module computes the gaps in DuckDB SQL;
 * this test recomputes them in plain JavaScript from the CSV text and compares, cell by cell.
 */
const SLICE = fs.readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'comtrade-slice.csv'),
  'utf8',
);
const JAMAICA = '388';
const GRENADA = '308';

/** RFC 4180 lines (the slice has quoted names with commas, no line breaks inside quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const split = (line: string) => {
    const out: string[] = [];
    let cur = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i] as string;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        out.push(cur);
        cur = '';
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const [head, ...lines] = text.trim().split('\n');
  const h = split(head as string);
  return lines.map((l) => Object.fromEntries(split(l).map((v, i) => [h[i], v])));
}

interface Cell {
  m: number[];
  x: number[];
  rx: number;
  rm: number;
  mq: (number | null)[];
  xq: (number | null)[];
  mw: (number | null)[];
  xw: (number | null)[];
  units: Set<string>;
  est: boolean;
  mhs: Set<string>;
  xhs: Set<string>;
}

/** The gaps, by the formulas of domain.md §4.4, over the raw CSV rows. */
function independent(rows: Record<string, string>[], country: string, c: number) {
  const n = (v: string | undefined) => (v === undefined || v === '' || v === 'NA' ? null : Number(v));
  const cells = new Map<string, Cell>();
  for (const r of rows) {
    const rep = r.reportercode as string;
    const par = r.partnercode as string;
    if (par === '0' || rep === par) continue; // "World" is an aggregate, not a partner
    let side: 'm' | 'x' | 'rm' | 'rx';
    if (rep === country && r.flow === 'Import') side = 'm';
    else if (rep === country && r.flow === 'Re-Import') side = 'rm';
    else if (par === country && r.flow === 'Export') side = 'x';
    else if (par === country && r.flow === 'Re-Export') side = 'rx';
    else continue;
    const partner = rep === country ? par : rep;
    const key = `${r.productcode}/${partner}/${r.year}`;
    const cell: Cell = cells.get(key) ?? {
      m: [],
      x: [],
      rx: 0,
      rm: 0,
      mq: [],
      xq: [],
      mw: [],
      xw: [],
      units: new Set(),
      est: false,
      mhs: new Set(),
      xhs: new Set(),
    };
    cells.set(key, cell);
    const value = Number(r.tradevalue);
    if (side === 'rx') cell.rx += value;
    else if (side === 'rm') cell.rm += value;
    else {
      cell[side].push(value);
      cell[side === 'm' ? 'mq' : 'xq'].push(n(r.quantity));
      cell[side === 'm' ? 'mw' : 'xw'].push(n(r.weight));
      if (n(r.quantity) !== null) cell.units.add(r.unit as string);
      if (r.flag !== '0') cell.est = true;
      cell[side === 'm' ? 'mhs' : 'xhs'].add(r.classification as string);
    }
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const allKnown = (xs: (number | null)[]): xs is number[] => xs.every((v) => v !== null);
  const logGap = (a: (number | null)[], b: (number | null)[], cell: Cell) => {
    if (!cell.m.length || !cell.x.length || cell.est || !allKnown(a) || !allKnown(b)) return null;
    return sum(a) > 0 && sum(b) > 0 ? Math.log(sum(b)) - Math.log(sum(a)) : null;
  };
  const out = new Map<string, Record<string, unknown>>();
  for (const [key, cell] of cells) {
    if (!cell.m.length && !cell.x.length) continue;
    const M = sum(cell.m);
    const X = sum(cell.x);
    const both = cell.m.length > 0 && cell.x.length > 0;
    const caveats = ['cif_fob', 'timing'];
    if (cell.rx > 0 || cell.rm > 0) caveats.push('reexport');
    if (!both) caveats.push('one_side');
    if (both && [...cell.mhs].sort().join() !== [...cell.xhs].sort().join()) caveats.push('hs_version');
    if (cell.est) caveats.push('estimated');
    if (cell.units.size > 1) caveats.push('unit');
    if (both && X * c - M > 0) caveats.push('no_rate'); // no duty-rate table given
    out.set(key, {
      declared_value: cell.m.length ? M : null,
      mirror_value: cell.x.length ? X : null,
      value_gap_log: M > 0 && X > 0 ? Math.log(X * c) - Math.log(M) : null,
      value_gap_abs: both ? X * c - M : null,
      quantity_gap_log: cell.units.size === 1 ? logGap(cell.mq, cell.xq, cell) : null,
      weight_gap_log: logGap(cell.mw, cell.xw, cell),
      reexport_value: cell.rx || null,
      caveats,
    });
  }
  return out;
}

const close = (a: unknown, b: unknown, what: string) => {
  if (a === null || b === null) return assert.equal(a, b, what);
  assert.ok(
    Math.abs((a as number) - (b as number)) <= 1e-9 * Math.max(1, Math.abs(b as number)),
    `${what}: ${a} ≠ ${b}`,
  );
};

type Row = Record<string, unknown> & { hs_code: string; partner: string; year: number; caveats: string[] };

describe('analytics mirror analysis (partner trade statistics)', () => {
  let h: Harness;
  let analyst: Client;
  let tradeDataset: string;
  let ratesDataset: string;
  let tradeVersion: string;
  const rows = parseCsv(SLICE);

  const drain = async () => {
    while ((await h.kernel.jobs.tick()) > 0) {
      /* imports and runs are jobs */
    }
  };
  const upload = (c: Client, datasetId: string, name: string, data: string, mode = 'reject-file') =>
    c.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({ fields: { datasetId, mode }, file: { filename: name, data } }),
    });
  const imported = async (datasetId: string, name: string, data: string, mode = 'reject-file') => {
    const res = await upload(analyst, datasetId, name, data, mode);
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    return (await analyst.get(`/api/analytics/versions/${res.json().id}`)).json();
  };
  const mirror = async (q: string, country = JAMAICA) => {
    const params = new URLSearchParams({ country, limit: '500' });
    for (const [k, v] of new URLSearchParams(q)) params.set(k, v);
    const res = await analyst.get(`/api/analytics/versions/${tradeVersion}/mirror?${params}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      rows: Row[];
      total: number;
      summary: Record<string, number> & { positiveGap: number };
    };
  };
  const key = (r: Row) => `${r.hs_code}/${r.partner}/${r.year}`;

  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    const t = await analyst.post('/api/analytics/datasets', { name: 'Comtrade sawnwood', kind: 'trade' });
    assert.equal(t.statusCode, 201, t.body);
    tradeDataset = t.json().id;
    const r = await analyst.post('/api/analytics/datasets', { name: 'Tariff 2013', kind: 'duty_rates' });
    assert.equal(r.statusCode, 201, r.body);
    ratesDataset = r.json().id;
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('imports the Comtrade slice through the built-in mapping, HS codes as text, and recognises it again', async () => {
    const v = await imported(tradeDataset, 'comtrade-slice.csv', SLICE);
    assert.equal(v.status, 'imported', JSON.stringify(v.report));
    assert.equal(v.rowCount, rows.length);
    assert.equal(v.report.mapping, 'comtrade-r');
    assert.ok(v.report.extraColumns.includes('partneriso'), 'extra columns are kept');
    tradeVersion = v.id;
    const again = await upload(analyst, tradeDataset, 'copy.csv', SLICE);
    assert.equal(again.statusCode, 409);
    assert.match(again.json().detail ?? again.body, /version 1/);
    const countries = (await analyst.get(`/api/analytics/versions/${v.id}/mirror/countries`)).json().items;
    const jm = countries.find((c: { code: string }) => c.code === JAMAICA);
    assert.equal(jm.name, 'Jamaica');
    const imports = rows.filter(
      (r) => r.reportercode === JAMAICA && r.flow === 'Import' && r.partnercode !== '0',
    );
    assert.equal(jm.imports, imports.length);
    assert.equal(jm.partners, new Set(imports.map((r) => r.partnercode)).size);
  });

  it('gaps per HS × partner × year equal an independent computation over the CSV rows', async () => {
    for (const country of [GRENADA, JAMAICA]) {
      const want = independent(rows, country, 1.1);
      const got = await mirror('sort=hs_code', country);
      assert.equal(got.total, want.size);
      assert.equal(got.rows.length, want.size);
      for (const r of got.rows) {
        const w = want.get(key(r));
        assert.ok(w, `unexpected cell ${key(r)}`);
        for (const f of [
          'declared_value',
          'mirror_value',
          'value_gap_log',
          'value_gap_abs',
          'quantity_gap_log',
          'weight_gap_log',
          'reexport_value',
        ])
          close(r[f], w[f], `${country} ${key(r)} ${f}`);
        assert.deepEqual(r.caveats, w.caveats, `${country} ${key(r)} caveats`);
        assert.equal(typeof r.hs_code, 'string');
      }
      const quantities = got.rows.filter((r) => r.quantity_gap_log !== null).length;
      console.log(`${country}: ${want.size} cells, ${quantities} with a quantity gap`);
    }
    const want = independent(rows, JAMAICA, 1.1);
    const got = await mirror('sort=hs_code');
    assert.ok(want.size > 30, `${want.size} cells`);
    assert.ok(!got.rows.some((r) => r.partner === '0'), 'World is not a partner');
    const twoSided = got.rows.filter((r) => r.value_gap_log !== null);
    assert.ok(twoSided.length >= 10, `${twoSided.length} two-sided cells`);
    assert.equal(got.summary.twoSided, twoSided.length);
    close(
      got.summary.positiveGap,
      twoSided.reduce((a, r) => a + Math.max(0, r.value_gap_abs as number), 0),
      'Σ positive gap',
    );
    // Sorted by the value gap, largest first, cells without a gap last.
    const top = (await mirror('sort=value_gap_log&limit=5')).rows.map((r) => r.value_gap_log as number);
    const all = [...want.values()].map((w) => w.value_gap_log).filter((g): g is number => g !== null);
    close(top[0], Math.max(...all), 'largest gap first');
    assert.deepEqual(
      top,
      [...top].sort((a, b) => b - a),
    );
  });

  it('re-exports stay out of the mirror value and are shown beside it; estimated quantities leave the quantity gap out', async () => {
    const got = (await mirror('sort=hs_code')).rows;
    const rx = got.filter((r) => r.caveats.includes('reexport'));
    assert.ok(rx.length > 0, 'the slice has partners re-exporting to Jamaica');
    for (const r of rx) {
      const exportsOnly = rows
        .filter(
          (x) =>
            x.partnercode === JAMAICA &&
            x.reportercode === r.partner &&
            x.year === String(r.year) &&
            x.flow === 'Export',
        )
        .reduce((a, x) => a + Number(x.tradevalue), 0);
      close(r.mirror_value ?? 0, exportsOnly, `${key(r)} mirror = exports only`);
      assert.ok((r.reexport_value as number) > 0);
    }
    const est = got.filter((r) => r.caveats.includes('estimated') && r.value_gap_log !== null);
    assert.ok(est.length > 0, 'the slice has flagged (estimated) rows on two-sided cells');
    for (const r of est) {
      assert.equal(r.quantity_gap_log, null, `${key(r)}: estimated quantity left out`);
      assert.equal(r.weight_gap_log, null, `${key(r)}: estimated weight left out`);
      assert.notEqual(r.value_gap_log, null, `${key(r)}: the value gap stays`);
    }
    const clean = (await mirror('sort=hs_code', GRENADA)).rows.filter((r) => r.quantity_gap_log !== null);
    assert.ok(clean.length >= 3, `Grenada: ${clean.length} cells with a quantity gap`);
    assert.ok(clean.every((r) => !r.caveats.includes('estimated')));
  });

  it('the CIF/FOB factor moves every log gap by ln(c₂/c₁) and the absolute gap by X·(c₂ − c₁)', async () => {
    const a = new Map((await mirror('sort=hs_code&factor=1.1')).rows.map((r) => [key(r), r]));
    const b = (await mirror('sort=hs_code&factor=1.25')).rows;
    let checked = 0;
    for (const r of b) {
      const o = a.get(key(r)) as Row;
      if (r.value_gap_log === null) {
        assert.equal(o.value_gap_log, null);
        continue;
      }
      close(r.value_gap_log, (o.value_gap_log as number) + Math.log(1.25 / 1.1), `${key(r)} log gap`);
      close(
        r.value_gap_abs,
        (o.value_gap_abs as number) + (r.mirror_value as number) * (1.25 - 1.1),
        `${key(r)} abs gap`,
      );
      close(r.quantity_gap_log, o.quantity_gap_log, `${key(r)} quantities have no freight`);
      checked++;
    }
    assert.ok(checked >= 10);
    const w = independent(rows, JAMAICA, 1.25);
    for (const r of b) close(r.value_gap_log, w.get(key(r))?.value_gap_log ?? null, `${key(r)} at 1.25`);
    assert.equal(
      (await analyst.get(`/api/analytics/versions/${tradeVersion}/mirror?country=${JAMAICA}&factor=0.5`))
        .statusCode,
      400,
    );
  });

  it('potential revenue loss: positive gap × the rate of the longest HS prefix; no rate → unknown, not zero', async () => {
    const none = await mirror('sort=hs_code');
    const positive = none.rows.filter((r) => (r.value_gap_abs as number) > 0);
    assert.ok(positive.length > 0);
    for (const r of positive) {
      assert.equal(r.revenue_loss, null, 'unknown without a rate');
      assert.ok(r.caveats.includes('no_rate'));
    }
    assert.equal(none.summary.unknownRateCells, positive.length);
    assert.equal(none.summary.revenueLoss, 0);
    const rates = await imported(
      ratesDataset,
      'tariff.csv',
      'hs_code;rate;description\n44;5;wood\n4407;12.5%;sawnwood\n0101;2;horses\n',
    );
    assert.equal(rates.status, 'imported', JSON.stringify(rates.report));
    const withRates = await mirror(`sort=revenue_loss&dutyRatesVersionId=${rates.id}`);
    for (const r of withRates.rows) {
      assert.equal(r.duty_rate, 12.5, 'the rate of 4407 (longer than 44)');
      assert.equal(r.rate_hs, '4407');
      if (r.value_gap_abs === null) assert.equal(r.revenue_loss, null, `${key(r)}: one side, no loss figure`);
      else close(r.revenue_loss, Math.max(0, r.value_gap_abs as number) * 0.125, `${key(r)} loss`);
      assert.ok(!r.caveats.includes('no_rate'));
    }
    close(withRates.summary.revenueLoss, none.summary.positiveGap * 0.125, 'Σ loss');
    // A table without the line: the loss stays unknown.
    const other = await imported(ratesDataset, 'tariff2.csv', 'hs_code,rate\n0101,2\n');
    const unknown = await mirror(`sort=hs_code&dutyRatesVersionId=${other.id}`);
    assert.ok(
      unknown.rows.filter((r) => (r.value_gap_abs as number) > 0).every((r) => r.revenue_loss === null),
    );
    // A trade version is not a rate table.
    assert.equal(
      (
        await analyst.get(
          `/api/analytics/versions/${tradeVersion}/mirror?country=${JAMAICA}&dutyRatesVersionId=${tradeVersion}`,
        )
      ).statusCode,
      400,
    );
  });

  it('a mirror run turns large gaps into I13 alerts with the rows behind them, triaged like the others', async () => {
    assert.equal(
      (await analyst.post('/api/analytics/runs', { datasetVersionId: tradeVersion })).statusCode,
      400,
      'a trade run needs the mirror settings',
    );
    const minGap = 50000;
    const res = await analyst.post('/api/analytics/runs', {
      datasetVersionId: tradeVersion,
      mirror: { country: JAMAICA, factor: 1.1, threshold: Math.LN2, minGap },
    });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const run = (await analyst.get(`/api/analytics/runs/${res.json().id}`)).json();
    assert.equal(run.status, 'done', run.error);
    assert.deepEqual(run.catalogue, { I13: 1, I14: 1, I16: 1 });
    assert.equal(run.params.country, JAMAICA);
    const want = [...independent(rows, JAMAICA, 1.1)].filter(
      ([, w]) =>
        w.value_gap_log !== null &&
        (w.value_gap_log as number) >= Math.LN2 &&
        (w.value_gap_abs as number) >= minGap,
    );
    assert.ok(want.length > 0, 'the slice has large gaps');
    assert.equal(run.alertCount, want.length);
    const alerts = (await analyst.get(`/api/analytics/alerts?indicator=I13&runId=${run.id}`)).json().items;
    assert.deepEqual(
      alerts.map((a: { subjectId: string }) => a.subjectId).sort(),
      want.map(([k]) => k).sort(),
    );
    const a = alerts[0];
    const w = new Map(want).get(a.subjectId) as {
      declared_value: number;
      mirror_value: number;
      value_gap_log: number;
    };
    assert.equal(a.subjectType, 'hs_partner_year');
    close(a.observed, w.declared_value, 'observed = declared imports');
    close(a.expected, w.mirror_value * 1.1, 'expected = partner exports at CIF');
    close(a.limit, w.mirror_value * 1.1 * Math.exp(-Math.LN2), 'limit = declared value at the threshold');
    close(a.score, w.value_gap_log, 'score = log gap');
    assert.match(a.explanation, /Declared imports of HS 440799 from partner/);
    assert.match(a.explanation, /not proof/);
    const [hs, partner, year] = a.subjectId.split('/');
    const partnerName = rows.find((r) => r.reportercode === partner)?.reporter as string;
    assert.ok(a.explanation.includes(`from partner ${partnerName} (${partner}) in ${year}`), a.explanation);
    const behind = (await analyst.get(`/api/analytics/alerts/${a.id}/declarations`)).json();
    const raw = rows.filter(
      (r) =>
        r.productcode === hs &&
        r.year === year &&
        ((r.reportercode === JAMAICA && r.partnercode === partner) ||
          (r.reportercode === partner && r.partnercode === JAMAICA)),
    );
    assert.equal(behind.total, raw.length);
    assert.ok(behind.rows.every((x: unknown[]) => x[behind.columns.indexOf('hs_code')] === '440799'));
    const cell = await analyst.get(
      `/api/analytics/versions/${tradeVersion}/mirror/rows?country=${JAMAICA}&hs=${hs}&partner=${partner}&year=${year}`,
    );
    assert.equal(cell.json().total, raw.length);
    // The documented JSON of `arusha analytics run --json`.
    const [row] = await h.kernel.db.query<Record<string, unknown>>(
      'select * from analytics_alerts where id = $1',
      [a.id],
    );
    const camel = Object.fromEntries(
      Object.entries(row ?? {}).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
    );
    const line = alertLine(camel as never);
    assert.deepEqual(
      {
        indicator: line.indicator,
        subject_type: line.subject_type,
        subject_id: line.subject_id,
        hs_code: (line as Record<string, unknown>).hs_code,
        year: (line as Record<string, unknown>).year,
      },
      {
        indicator: 'I13',
        subject_type: 'hs_partner_year',
        subject_id: a.subjectId,
        hs_code: hs,
        year: Number(year),
      },
    );
    for (const f of ['observed', 'expected', 'limit', 'score'] as const)
      assert.equal(typeof line[f], 'number');
    // Triage goes through the same workflow.
    const esc = await analyst.patch(`/api/analytics/alerts/${a.id}`, {
      status: 'escalated',
      reference: 'CASE-M-1',
      version: 1,
    });
    assert.equal(esc.statusCode, 200, esc.body);
    assert.match(esc.json().reference, /^CASE-\d{4}-\d{4} · CASE-M-1$/, 'a case is opened for the alert');
    assert.equal(esc.json().explanation, a.explanation, 'the answer names the partner too');
    const sub = (await analyst.get('/api/analytics/alerts/substantiation')).json().items;
    const i13 = sub.find((s: { indicatorId: string }) => s.indicatorId === 'I13');
    assert.deepEqual(
      [i13.escalated, i13.casesClosed, i13.substantiated, i13.suppressed],
      [1, null, null, true],
      'its case is still open, and one case is too few to say so',
    );
    // A second run of the same version raises no duplicates.
    const again = await analyst.post('/api/analytics/runs', {
      datasetVersionId: tradeVersion,
      mirror: { country: JAMAICA, minGap },
    });
    await drain();
    assert.equal((await analyst.get(`/api/analytics/runs/${again.json().id}`)).json().alertCount, 0);
  });

  it('bad trade files: a report with row numbers and reasons, nothing half-imported', async () => {
    const head = 'reporter,partner,year,hs_code,flow,value,quantity,net_weight';
    const bad = [
      head,
      '388,840,2012,440799,Import,1000,5,700',
      '388,840,20x2,440799,Import,1000,5,700',
      '388,840,1850,440799,Export,1000,5,700',
      '388,124,2012,440799,Import,-3,5,700',
      '388,124,2012,440799,Transit,10,5,700',
      '388,840,2012,440799,Import,50,1,1',
      '388,76,2012,,Import,abc,,',
      '388,250,2012,440799,Import,NaN,5,700',
      '388,251,2012,440799,Import,1e400,5,700',
      '388,252,2012,440799,Import,10,-inf,700',
    ].join('\n');
    const refused = await imported(tradeDataset, 'bad.csv', bad);
    assert.equal(refused.status, 'rejected');
    assert.equal(refused.rowCount, 10);
    assert.equal(refused.rejectedRows, 9);
    assert.deepEqual(
      refused.report.issues.map(
        (i: { row: number; column: string; reason: string }) => `${i.row}:${i.column}:${i.reason}`,
      ),
      [
        '3:year:bad_year',
        '4:year:bad_year',
        '5:value:negative_value',
        '6:flow:unknown_flow',
        '7:hs_code:duplicate_key',
        '8:hs_code:missing_required',
        '8:value:bad_number',
        '9:value:bad_number',
        '10:value:bad_number',
        '11:quantity:bad_number',
      ],
    );
    assert.equal(
      fs.existsSync(engineOf(h.kernel).parquetPath(h.a.id, refused.id)),
      false,
      'nothing imported',
    );
    const partial = await imported(tradeDataset, 'bad-valid.csv', bad.replaceAll(',', ';'), 'import-valid');
    assert.equal(partial.status, 'imported');
    assert.equal(partial.validRows, 1);
    const rejects = await analyst.get(`/api/analytics/versions/${partial.id}/rejects`);
    assert.equal(rejects.body.trim().split('\n').length, 10);
    const missing = await imported(
      tradeDataset,
      'cols.csv',
      'reporter,partner,year,hs_code\n388,840,2012,440799\n',
      'import-valid',
    );
    assert.equal(missing.status, 'rejected');
    assert.deepEqual(
      missing.report.fileErrors.map((e: { detail: string }) => e.detail),
      ['flow', 'value'],
    );
    const rates = await imported(ratesDataset, 'bad-rates.csv', 'hs_code,rate\n4407,x\n4408,5\n44,-1\n');
    assert.equal(rates.status, 'rejected');
    assert.deepEqual(Object.keys(rates.report.byReason).sort(), ['bad_rate']);
    assert.equal(rates.report.issues.length, 2);
  });

  it('a saved column mapping may name the trade columns of another export', async () => {
    const m = await analyst.post('/api/analytics/mappings', {
      name: 'National statistics office',
      sourceSystem: 'INS',
      columns: {
        reporter: 'Pays',
        partner: 'Partenaire',
        year: 'Annee',
        hs_code: 'SH',
        flow: 'Flux',
        value: 'Valeur',
      },
    });
    assert.equal(m.statusCode, 201, m.body);
    const res = await analyst.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: tradeDataset, mode: 'reject-file', mappingId: m.json().id },
        file: {
          filename: 'ins.csv',
          data: 'Pays;Partenaire;Annee;SH;Flux;Valeur\n388;76;2012;440799;M;1200\n76;388;2012;440799;X;3000\n',
        },
      }),
    });
    assert.equal(res.statusCode, 202, res.body);
    await drain();
    const v = (await analyst.get(`/api/analytics/versions/${res.json().id}`)).json();
    assert.equal(v.status, 'imported', JSON.stringify(v.report));
    const got = (await analyst.get(`/api/analytics/versions/${v.id}/mirror?country=388`)).json();
    assert.equal(got.rows.length, 1);
    close(got.rows[0].value_gap_log, Math.log(3000 * 1.1) - Math.log(1200), 'gap through the mapping');
  });

  it('tenant isolation: another administration reaches none of the mirror routes', async () => {
    const b = await h.as(h.b.users.analyst.email);
    for (const url of [
      `/api/analytics/versions/${tradeVersion}/mirror?country=${JAMAICA}`,
      `/api/analytics/versions/${tradeVersion}/mirror/countries`,
      `/api/analytics/versions/${tradeVersion}/mirror/rows?country=${JAMAICA}&hs=440799&partner=840&year=2012`,
    ])
      assert.equal((await b.get(url)).statusCode, 404, url);
    assert.equal(
      (await b.post('/api/analytics/runs', { datasetVersionId: tradeVersion, mirror: { country: JAMAICA } }))
        .statusCode,
      404,
    );
    // B's own trade dataset cannot borrow A's duty rates.
    const ds = (await b.post('/api/analytics/datasets', { name: 'B trade', kind: 'trade' })).json();
    const res = await b.request({
      method: 'POST',
      url: '/api/analytics/imports',
      ...multipart({
        fields: { datasetId: ds.id, mode: 'reject-file' },
        file: { filename: 't.csv', data: SLICE },
      }),
    });
    await drain();
    const aRates = (await analyst.get(`/api/analytics/datasets/${ratesDataset}`))
      .json()
      .versions.find((v: { status: string }) => v.status === 'imported');
    const r = await b.get(
      `/api/analytics/versions/${res.json().id}/mirror?country=${JAMAICA}&dutyRatesVersionId=${aRates.id}`,
    );
    assert.equal(r.statusCode, 404, r.body);
    assert.equal(
      (await b.get(`/api/analytics/versions/${res.json().id}/mirror?country=${JAMAICA}`)).statusCode,
      200,
    );
  });
});
