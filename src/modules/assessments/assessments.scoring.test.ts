import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  computeScores,
  delta,
  progress,
  rawFactorScore,
  rawOverall,
  round1,
  type ScoredItem,
} from './assessments.scoring.ts';

// Every rule against numbers computed by hand (the arithmetic is in the comments).
const S04 = { min: 0, max: 4 };
const item = (factor: number, rating: number | null, weight = 1, notApplicable = false): ScoredItem => ({
  factor,
  rating,
  weight,
  notApplicable,
});

describe('assessment scoring', () => {
  it('factor score, equal weights: ratings 4, 2, 3 on 0–4 → (4+2+3)/(3·4) = 9/12 = 75 %', () => {
    assert.equal(rawFactorScore([item(1, 4), item(1, 2), item(1, 3)], S04), 75);
  });

  it('factor score, weights: (w2·r4 + w1·r1) / ((2+1)·4) = 9/12 = 75 %; unweighted it would be 62.5 %', () => {
    assert.equal(rawFactorScore([item(1, 4, 2), item(1, 1, 1)], S04), 75);
    assert.equal(rawFactorScore([item(1, 4, 1), item(1, 1, 1)], S04), 62.5);
  });

  it('N/A items leave the denominator: 3, N/A(would be 0), 1 → (3+1)/(2·4) = 50 %', () => {
    assert.equal(rawFactorScore([item(1, 3), item(1, null, 1, true), item(1, 1)], S04), 50);
  });

  it('an N/A item that still carries a rating is not scored', () => {
    assert.equal(rawFactorScore([item(1, 4), item(1, 0, 1, true)], S04), 100);
  });

  it('unrated items are excluded from the score: 2, unrated, unrated → 2/4 = 50 % (not 2/12)', () => {
    assert.equal(rawFactorScore([item(1, 2), item(1, null), item(1, null)], S04), 50);
  });

  it('a rating of 0 counts (it is not "unrated"): 0, 4 → 4/8 = 50 %', () => {
    assert.equal(rawFactorScore([item(1, 0), item(1, 4)], S04), 50);
  });

  it('a factor with nothing scored has no score (null, not 0)', () => {
    assert.equal(rawFactorScore([item(1, null), item(1, null, 1, true)], S04), null);
    assert.equal(rawFactorScore([], S04), null);
  });

  it('a 1–5 scale is normalised from its minimum: 1 → 0 %, 5 → 100 %, 3 → 50 %', () => {
    const s15 = { min: 1, max: 5 };
    assert.equal(rawFactorScore([item(1, 1)], s15), 0);
    assert.equal(rawFactorScore([item(1, 5)], s15), 100);
    assert.equal(rawFactorScore([item(1, 3)], s15), 50);
    // (2−1 + 4−1) / (2·4) = 4/8 = 50 %
    assert.equal(rawFactorScore([item(1, 2), item(1, 4)], s15), 50);
  });

  it('overall is the weighted mean of factor scores; factors without a score are left out', () => {
    // equal weights: (75 + 50 + 100)/3 = 75
    assert.equal(
      rawOverall(
        [
          { factor: 1, score: 75 },
          { factor: 2, score: 50 },
          { factor: 3, score: 100 },
          { factor: 4, score: null },
        ],
        [],
      ),
      75,
    );
    // weights 3 and 1: (3·80 + 1·40)/4 = 280/4 = 70
    assert.equal(
      rawOverall(
        [
          { factor: 1, score: 80 },
          { factor: 2, score: 40 },
        ],
        [
          { factor: 1, weight: 3 },
          { factor: 2, weight: 1 },
        ],
      ),
      70,
    );
    assert.equal(rawOverall([{ factor: 1, score: null }], []), null);
  });

  it('computeScores: two factors, hand-computed end to end, with rounding to one decimal', () => {
    // factor 1: 3, 3, 2 → 8/12 = 66.666… → 66.7
    // factor 2: 1, N/A, unrated → 1/4 = 25
    // factor 3: unrated only → null
    // overall from unrounded values: (66.666… + 25)/2 = 45.833… → 45.8
    // progress: rated or N/A = 3 + 2 = 5 of 7 → 71 %
    const items = [
      item(1, 3),
      item(1, 3),
      item(1, 2),
      item(2, 1),
      item(2, null, 1, true),
      item(2, null),
      item(3, null),
    ];
    const s = computeScores(
      items,
      [1, 2, 3].map((f) => ({ factor: f, weight: 1 })),
      S04,
    );
    assert.deepEqual(
      s.factors.map((f) => f.score),
      [66.7, 25, null],
    );
    assert.deepEqual(
      s.factors.map((f) => [f.scored, f.notApplicable, f.items]),
      [
        [3, 0, 3],
        [1, 1, 3],
        [0, 0, 1],
      ],
    );
    assert.equal(s.overall, 45.8);
    assert.deepEqual(s.progress, { done: 5, total: 7, percent: 71 });
  });

  it('factor scores of 1/12 and 8/12 round to one decimal; overall (8.33…+66.66…)/2 = 37.5', () => {
    const s = computeScores(
      [item(1, 1), item(1, 0), item(1, 0), item(2, 4), item(2, 4), item(2, 0)],
      [
        { factor: 1, weight: 1 },
        { factor: 2, weight: 1 },
      ],
      S04,
    );
    // f1 = 1/12 = 8.333…, f2 = 8/12 = 66.666…, overall = 75/2 = 37.5
    assert.deepEqual(
      s.factors.map((f) => f.score),
      [8.3, 66.7],
    );
    assert.equal(s.overall, 37.5);
  });

  it('factor weights in computeScores: weights 2 and 1, scores 100 and 40 → (200+40)/3 = 80', () => {
    const s = computeScores(
      [item(1, 4), item(2, 2), item(2, 1), item(2, 1) /* (2+1+1)/12 = 33.3 */],
      [
        { factor: 1, weight: 2 },
        { factor: 2, weight: 1 },
      ],
      S04,
    );
    // f2 = 4/12 = 33.333…, overall = (2·100 + 33.333…)/3 = 77.777… → 77.8
    assert.deepEqual(
      s.factors.map((f) => f.score),
      [100, 33.3],
    );
    assert.equal(s.overall, 77.8);
  });

  it('progress: rated and N/A are done, unrated are not; empty is 0 %', () => {
    assert.deepEqual(progress([item(1, 0), item(1, null, 1, true), item(1, null), item(1, null)]), {
      done: 2,
      total: 4,
      percent: 50,
    });
    assert.deepEqual(progress([]), { done: 0, total: 0, percent: 0 });
  });

  it('progress and score are independent: one item rated 4 of ten → score 100 %, progress 10 %', () => {
    const items = [item(1, 4), ...Array.from({ length: 9 }, () => item(1, null))];
    const s = computeScores(items, [{ factor: 1, weight: 1 }], S04);
    assert.equal(s.overall, 100);
    assert.equal(s.progress.percent, 10);
  });

  it('delta = current − previous, null when either is missing', () => {
    assert.equal(delta(62.5, 50), 12.5);
    assert.equal(delta(40, 55.5), -15.5);
    assert.equal(delta(null, 50), null);
    assert.equal(delta(50, null), null);
    assert.equal(delta(50, undefined), null);
    assert.equal(round1(66.66666), 66.7);
  });

  it('a degenerate scale is refused', () => {
    assert.throws(() => rawFactorScore([item(1, 1)], { min: 1, max: 1 }));
  });
});
