import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnTable as table } from './csv.ts';
import {
  DEFAULT_FEATURE_OPTIONS,
  type FeatureDef,
  fitFeatures,
  inferColumns,
  leakingColumns,
  planFeatures,
  transformFeatures,
} from './features.ts';
import { mulberry32 } from '../../../platform/random.ts';

const target = (g: string[]): FeatureDef => ({
  type: 'target',
  columns: g,
  prefix: null,
  smoothing: 10,
  prior: 0,
  keys: [],
  values: [],
});

function correlation(a: Float64Array, b: Uint8Array): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]! / n;
    mb += b[i]! / n;
  }
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

describe('features', () => {
  it('detects kinds from values and KCS-style header names', () => {
    const t = table(
      [
        'Declaration ID',
        'Date',
        'Office ID',
        'HS6 Code',
        'Tax Rate',
        'Net Mass',
        'Zip',
        'Note',
        'Empty',
        'Fraud',
      ],
      [
        ['1', '2020-01-01', '30', '440890', '0.0', '108.0', '01234', 'a', '', '0'],
        ['2', '2020-02-03', '40', '690722', '8.0', '', '02345', 'a', '', '1'],
        ['3', '2020-03-04', '30', '440890', '8.0', '12.5', '01234', 'a', '', '0'],
      ],
    );
    const kinds = Object.fromEntries(
      inferColumns(t, new Set(['Fraud', 'Declaration ID'])).map((c) => [
        c.name,
        c.kind + (c.hsPrefixes ? '+hs' : ''),
      ]),
    );
    assert.deepEqual(kinds, {
      'Declaration ID': 'ignored',
      Date: 'date',
      'Office ID': 'category', // numbers, but the header says it is a code
      'HS6 Code': 'category+hs',
      'Tax Rate': 'number',
      'Net Mass': 'number', // an empty cell is a missing value
      Zip: 'category', // leading zeros: a code
      Note: 'ignored', // constant
      Empty: 'ignored',
      Fraud: 'ignored',
    });
  });

  it('target encoding is out of fold: a row’s own label never enters its encoding', () => {
    const r = mulberry32(3);
    const rows = Array.from({ length: 2000 }, () => [`c${Math.floor(r() * 50)}`, r() < 0.3 ? '1' : '0']);
    const labels = Uint8Array.from(rows, (x) => Number(x[1]));
    const t = table(['cat', 'y'], rows);
    const opts = { ...DEFAULT_FEATURE_OPTIONS, folds: 5, seed: 4 };
    const before = fitFeatures(t, [target(['cat'])], labels, opts)[0]!;
    for (const i of [0, 17, 999, 1999]) {
      const flipped = labels.slice();
      flipped[i] = 1 - flipped[i]!;
      const after = fitFeatures(t, [target(['cat'])], flipped, opts)[0]!;
      assert.equal(after[i], before[i], `row ${i} changed with its own label`);
      // …while the rows of the same category in other folds do move.
      const moved = after.some((v, j) => j !== i && v !== before[j]);
      assert.ok(moved);
    }
  });

  it('on a random high-cardinality id, out-of-fold encoding shows no signal where in-sample would', () => {
    const r = mulberry32(5);
    const rows = Array.from({ length: 4000 }, () => [`id${Math.floor(r() * 1500)}`, r() < 0.25 ? '1' : '0']);
    const labels = Uint8Array.from(rows, (x) => Number(x[1]));
    const t = table(['declarant', 'y'], rows);
    const def = target(['declarant']);
    const oof = fitFeatures(t, [def], labels, DEFAULT_FEATURE_OPTIONS)[0]!;
    // The fitted (all-rows) encoder applied back to the same rows is the leaky in-sample encoding.
    const inSample = transformFeatures(t, [def])[0]!;
    assert.ok(correlation(inSample, labels) > 0.3, `in-sample ${correlation(inSample, labels)}`);
    assert.ok(Math.abs(correlation(oof, labels)) < 0.08, `out-of-fold ${correlation(oof, labels)}`);
  });

  it('smooths towards the prior, encodes missing as a category, unseen as the prior, frequency as a share', () => {
    const rows = [
      ['a', '1'],
      ['a', '1'],
      ['', '0'],
      ['b', '0'],
    ];
    const t = table(['cat', 'y'], rows);
    const labels = Uint8Array.of(1, 1, 0, 0);
    const defs = planFeatures(inferColumns(t, new Set(['y'])), { ...DEFAULT_FEATURE_OPTIONS, smoothing: 2 });
    assert.deepEqual(
      defs.map((d) => d.type),
      ['target', 'frequency'],
    );
    fitFeatures(t, defs, labels, { ...DEFAULT_FEATURE_OPTIONS, smoothing: 2 });
    const fresh = table(['cat'], [['a'], [''], ['z']]);
    const [te, freq] = transformFeatures(fresh, defs);
    assert.deepEqual(Array.from(te!), [(2 + 2 * 0.5) / (2 + 2), (0 + 2 * 0.5) / (1 + 2), 0.5]);
    assert.deepEqual(Array.from(freq!), [0.5, 0.25, 0]);
  });

  it('numbers with missing cells become NaN; dates become parts; price / mass a log unit value', () => {
    const t = table(
      ['Date', 'Item Price', 'Net Mass', 'y'],
      [
        ['2021-03-15', '100', '4', '1'],
        ['2020-12-31', '', '2', '0'],
      ],
    );
    const defs = planFeatures(inferColumns(t, new Set(['y'])), DEFAULT_FEATURE_OPTIONS);
    const m = fitFeatures(t, defs, Uint8Array.of(1, 0), DEFAULT_FEATURE_OPTIONS);
    const byName = Object.fromEntries(
      defs.map((d, f) => [
        d.type === 'date' ? d.part : d.type === 'number' ? d.column : d.type,
        Array.from(m[f]!),
      ]),
    );
    assert.deepEqual(byName.month, [3, 12]);
    assert.deepEqual(byName.weekday, [1, 4]);
    assert.deepEqual(byName.day, [15, 31]);
    assert.ok(Number.isNaN(byName['Item Price']![1]));
    assert.equal(byName['unit-value']![0], Math.log(25));
    assert.ok(Number.isNaN(byName['unit-value']![1]));
  });

  it('finds a column that gives the label on every row (a leak), not an informative one', () => {
    const r = mulberry32(8);
    const rows = Array.from({ length: 1000 }, () => {
      const y = r() < 0.2 ? 1 : 0;
      const grade = y ? String(1 + Math.floor(r() * 2)) : '0';
      const hint = r() < 0.9 ? String(y) : String(1 - y);
      return [grade, hint, String(y)];
    });
    const t = table(['Critical Fraud', 'Hint', 'Fraud'], rows);
    const labels = Uint8Array.from(rows, (x) => Number(x[2]));
    assert.deepEqual(leakingColumns(t, inferColumns(t, new Set(['Fraud'])), labels), ['Critical Fraud']);
  });
});
