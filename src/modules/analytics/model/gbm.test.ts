import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mulberry32 } from '../../../platform/random.ts';
import { binBounds, predictGbm, trainGbm } from './gbm.ts';

function accuracy(p: Float64Array, y: Uint8Array): number {
  let right = 0;
  for (let i = 0; i < y.length; i++) right += (p[i]! >= 0.5 ? 1 : 0) === y[i] ? 1 : 0;
  return right / y.length;
}

/** n rows of `features` uniform columns; label from f(row) with `noise` share of labels flipped. */
function dataset(n: number, features: number, seed: number, f: (x: number[]) => boolean, noise = 0) {
  const r = mulberry32(seed);
  const cols = Array.from({ length: features }, () => new Float64Array(n));
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = cols.map((c) => {
      c[i] = r();
      return c[i]!;
    });
    y[i] = f(x) !== r() < noise ? 1 : 0;
  }
  return { cols, y };
}

describe('histogram gradient boosting', () => {
  it('learns XOR, which no single feature separates', () => {
    const xor = (x: number[]) => x[0]! > 0.5 !== x[1]! > 0.5;
    const train = dataset(4000, 4, 1, xor);
    const test = dataset(2000, 4, 2, xor);
    const { booster } = trainGbm(train.cols, train.y, { maxRounds: 150, learningRate: 0.2 });
    const acc = accuracy(predictGbm(booster, test.cols, 2000), test.y);
    assert.ok(acc > 0.95, `XOR accuracy ${acc}`);
    // A depth-1 model (stumps, additive) cannot: close to chance.
    const stumps = trainGbm(train.cols, train.y, { maxRounds: 150, learningRate: 0.2, maxDepth: 1 });
    assert.ok(accuracy(predictGbm(stumps.booster, test.cols, 2000), test.y) < 0.65);
  });

  it('learns an additive signal over several features, with label noise', () => {
    const additive = (x: number[]) => 2 * x[0]! + x[1]! - 1.5 * x[2]! + 0.5 * x[3]! > 1;
    const train = dataset(5000, 6, 3, additive, 0.05);
    const test = dataset(2000, 6, 4, additive, 0);
    const { booster } = trainGbm(train.cols, train.y, { maxRounds: 300 });
    const acc = accuracy(predictGbm(booster, test.cols, 2000), test.y);
    assert.ok(acc > 0.93, `additive accuracy ${acc}`);
  });

  it('is deterministic for a seed and differs with another seed', () => {
    const data = dataset(1500, 5, 5, (x) => x[0]! + x[1]! > 1, 0.1);
    const a = trainGbm(data.cols, data.y, { maxRounds: 30, seed: 7 });
    const b = trainGbm(data.cols, data.y, { maxRounds: 30, seed: 7 });
    const c = trainGbm(data.cols, data.y, { maxRounds: 30, seed: 8 });
    assert.deepEqual(a.booster, b.booster);
    assert.notDeepEqual(a.booster, c.booster);
  });

  it('handles missing values: missingness itself can be the signal, and NaN never breaks a prediction', () => {
    const r = mulberry32(9);
    const n = 3000;
    const x = new Float64Array(n);
    const z = new Float64Array(n);
    const y = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = r() < 0.5 ? 1 : 0;
      // Positives have no x half of the time; present values carry no information.
      x[i] = y[i] && r() < 0.5 ? Number.NaN : r();
      z[i] = Number.NaN; // a column that is always missing
    }
    const { booster } = trainGbm([x, z], y, { maxRounds: 50, validFraction: 0 });
    const p = predictGbm(
      booster,
      [Float64Array.of(Number.NaN, 0.3), Float64Array.of(Number.NaN, Number.NaN)],
      2,
    );
    // P(y=1 | x missing) = 1, P(y=1 | x present) = 1/3.
    assert.ok(p[0]! > 0.9, `missing x → ${p[0]}`);
    assert.ok(p[1]! > 0.2 && p[1]! < 0.45, `present x → ${p[1]}`);
  });

  it('stops early on the validation fraction when more trees stop helping', () => {
    const data = dataset(3000, 3, 11, (x) => x[0]! > 0.5, 0.3);
    const r = trainGbm(data.cols, data.y, { maxRounds: 2000, learningRate: 0.3, earlyStoppingRounds: 20 });
    assert.ok(r.rounds < 200, `kept ${r.rounds} rounds`);
    assert.equal(r.booster.trees.length, r.rounds);
    assert.ok(r.validLogLoss !== null && r.validLogLoss < Math.log(2));
  });

  it('ignores a constant feature and bins a many-valued feature into at most maxBins', () => {
    const data = dataset(2000, 1, 12, (x) => x[0]! > 0.3);
    const constant = new Float64Array(2000).fill(4);
    const { importance } = trainGbm([constant, data.cols[0]!], data.y, { maxRounds: 20 });
    assert.equal(importance[0], 0);
    assert.ok(importance[1]! > 0);
    const bounds = binBounds(data.cols[0]!, 16);
    assert.ok(bounds.length <= 16);
    assert.equal(binBounds(Float64Array.of(1, 1, 2, Number.NaN), 255).length, 2);
  });
});
