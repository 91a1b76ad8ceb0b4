import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  bandsFromLibrary,
  consistencyFlags,
  type FlagInput,
  isIsoDate,
  type LibraryMatrix,
  levelOf,
  matrixProblems,
  nextReviewOn,
  type RiskMatrix,
  DEFAULT_REVIEW_DAYS,
} from './risks.levels.ts';
import { addDays } from '../../platform/dates.ts';

const lib = (
  parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../standards/library/matrix-5x5.yaml'), 'utf8'),
  ) as { objects: { matrices: LibraryMatrix[] } }
).objects.matrices[0]!;
const m5 = bandsFromLibrary(lib);

const ax = (n: number) => Array.from({ length: n }, (_, i) => ({ value: i + 1, label: { en: `L${i + 1}` } }));
/** A custom 3×3 matrix: 1–2 low, 3–4 medium, 5–9 high. */
const m3: RiskMatrix = {
  likelihood: ax(3),
  impact: ax(3),
  levels: [
    { id: 'low', label: { en: 'Low' }, color: '#00ff00', min: 1, max: 2 },
    { id: 'medium', label: { en: 'Medium' }, color: '#ffff00', min: 3, max: 4 },
    { id: 'high', label: { en: 'High' }, color: '#ff0000', min: 5, max: 9 },
  ],
};
/** A 4×5 matrix (4 likelihood, 5 impact levels): 1–5 minor, 6–11 serious, 12–20 grave. */
const m45: RiskMatrix = {
  likelihood: ax(4),
  impact: ax(5),
  levels: [
    { id: 'minor', label: { en: 'Minor' }, color: '#00ff00', min: 1, max: 5 },
    { id: 'serious', label: { en: 'Serious' }, color: '#ffff00', min: 6, max: 11 },
    { id: 'grave', label: { en: 'Grave' }, color: '#ff0000', min: 12, max: 20 },
  ],
};

describe('risk levels', () => {
  it('the shipped 5×5 library grid becomes bands 1–4 low, 5–9 medium, 10–19 high, 20–25 critical', () => {
    assert.deepEqual(
      m5.levels.map((b) => [b.id, b.min, b.max, b.color]),
      [
        ['low', 1, 4, '#2f9e44'],
        ['medium', 5, 9, '#f08c00'],
        ['high', 10, 19, '#e8590c'],
        ['critical', 20, 25, '#c92a2a'],
      ],
    );
    assert.equal(m5.likelihood.length, 5);
    assert.equal(m5.impact[4]!.label.fr, 'Grave');
    assert.deepEqual(matrixProblems(m5), []);
  });

  it('every cell of the 5×5 matrix gets the level of its library grid cell', () => {
    for (let p = 1; p <= 5; p++)
      for (let i = 1; i <= 5; i++)
        assert.equal(levelOf(m5, p, i).id, m5.levels[lib.grid[p - 1]![i - 1]!]!.id, `cell ${p}×${i}`);
  });

  it('hand-computed levels on the 5×5 matrix', () => {
    const cases: [number, number, string][] = [
      [1, 1, 'low'], // 1
      [2, 2, 'low'], // 4
      [1, 5, 'medium'], // 5
      [3, 3, 'medium'], // 9
      [2, 5, 'high'], // 10
      [4, 4, 'high'], // 16
      [4, 5, 'critical'], // 20
      [5, 5, 'critical'], // 25
    ];
    for (const [l, i, want] of cases) assert.equal(levelOf(m5, l, i).id, want, `${l}×${i}`);
  });

  it('hand-computed levels on a custom 3×3 and a 4×5 matrix', () => {
    assert.equal(levelOf(m3, 1, 2).id, 'low'); // 2
    assert.equal(levelOf(m3, 1, 3).id, 'medium'); // 3
    assert.equal(levelOf(m3, 2, 2).id, 'medium'); // 4
    assert.equal(levelOf(m3, 3, 2).id, 'high'); // 6
    assert.equal(levelOf(m3, 3, 3).id, 'high'); // 9
    assert.equal(levelOf(m45, 1, 5).id, 'minor'); // 5
    assert.equal(levelOf(m45, 2, 3).id, 'serious'); // 6
    assert.equal(levelOf(m45, 3, 4).id, 'grave'); // 12
    assert.equal(levelOf(m45, 4, 5).id, 'grave'); // 20
    assert.deepEqual(matrixProblems(m3), []);
    assert.deepEqual(matrixProblems(m45), []);
  });

  it('a rating outside the matrix is refused', () => {
    assert.throws(() => levelOf(m3, 4, 1), /likelihood 4 is outside 1–3/);
    assert.throws(() => levelOf(m3, 1, 0), /impact 0 is outside 1–3/);
    assert.throws(() => levelOf(m45, 5, 1), RangeError);
    assert.throws(() => levelOf(m45, 1, 5.5), RangeError);
  });

  it('bands with a gap, an overlap, a bad start or a short end are reported with their path', () => {
    const gap = structuredClone(m3);
    gap.levels[1]!.min = 4;
    assert.deepEqual(matrixProblems(gap), [
      { path: 'levels.1.min', message: 'scores 3–3 belong to no level (gap)' },
    ]);
    const overlap = structuredClone(m3);
    overlap.levels[1]!.min = 2;
    assert.deepEqual(matrixProblems(overlap), [
      { path: 'levels.1.min', message: 'scores 2–2 are already in the previous level (overlap)' },
    ]);
    const short = structuredClone(m3);
    short.levels[2]!.max = 8;
    assert.deepEqual(matrixProblems(short), [
      { path: 'levels.2.max', message: 'scores 9–9 belong to no level (the last level must end at 9)' },
    ]);
    const start = structuredClone(m3);
    start.levels[0]!.min = 0;
    assert.equal(matrixProblems(start)[0]!.message, 'the first level starts at 1');
    const long = structuredClone(m3);
    long.levels[2]!.max = 12;
    assert.equal(matrixProblems(long)[0]!.message, 'the highest possible score is 9');
    const dup = structuredClone(m3);
    dup.levels[1]!.id = 'low';
    dup.levels[2]!.color = 'red';
    assert.deepEqual(
      matrixProblems(dup).map((p) => p.path),
      ['levels.1.id', 'levels.2.color'],
    );
  });

  it('a library grid that does not follow the score cannot become bands', () => {
    const bad = structuredClone(lib);
    bad.grid[0]![0] = 3; // 1×1 critical
    assert.throws(() => bandsFromLibrary(bad), /does not follow the score/);
  });
});

const base: FlagInput = {
  inherent: { likelihood: 4, impact: 4 },
  residual: { likelihood: 4, impact: 4 },
  controls: [],
  treatment: 'reduce',
  acceptance: 'none',
  status: 'open',
  nextReviewOn: '2026-06-01',
};
const TODAY = '2026-05-15';

describe('consistency flags', () => {
  it('an unchanged rating without controls raises nothing', () => {
    assert.deepEqual(consistencyFlags(base, TODAY), []);
  });
  it('residual above inherent: on either axis, also when the score falls', () => {
    assert.deepEqual(consistencyFlags({ ...base, residual: { likelihood: 5, impact: 4 } }, TODAY), [
      'residual_above_inherent',
    ]);
    // 4×2 = 8 inherent, 2×3 = 6 residual: the score falls but controls cannot raise impact.
    const f = consistencyFlags(
      { ...base, inherent: { likelihood: 4, impact: 2 }, residual: { likelihood: 2, impact: 3 } },
      TODAY,
    );
    assert.deepEqual(f, ['residual_above_inherent', 'reduction_without_controls']);
  });
  it('a reduction without any control is flagged; with an effective control it is not', () => {
    const reduced = { ...base, residual: { likelihood: 2, impact: 4 } };
    assert.deepEqual(consistencyFlags(reduced, TODAY), ['reduction_without_controls']);
    assert.deepEqual(consistencyFlags({ ...reduced, controls: [{ effectiveness: 'effective' }] }, TODAY), []);
    assert.deepEqual(
      consistencyFlags(
        { ...reduced, controls: [{ effectiveness: 'untested' }, { effectiveness: 'partially_effective' }] },
        TODAY,
      ),
      [],
    );
  });
  it('a reduction resting only on ineffective or untested controls is a warning', () => {
    const reduced = { ...base, residual: { likelihood: 4, impact: 3 } };
    assert.deepEqual(
      consistencyFlags(
        { ...reduced, controls: [{ effectiveness: 'ineffective' }, { effectiveness: 'untested' }] },
        TODAY,
      ),
      ['reduction_with_only_ineffective_controls'],
    );
  });
  it('overdue review: the day after next_review_on, for open risks only', () => {
    assert.deepEqual(consistencyFlags({ ...base, nextReviewOn: TODAY }, TODAY), []);
    assert.deepEqual(consistencyFlags({ ...base, nextReviewOn: '2026-05-14' }, TODAY), ['overdue_review']);
    assert.deepEqual(consistencyFlags({ ...base, nextReviewOn: '2026-05-14', status: 'closed' }, TODAY), []);
    assert.deepEqual(consistencyFlags({ ...base, nextReviewOn: null }, TODAY), []);
  });
  it('acceptance pending and rejected are flagged only under treatment accept', () => {
    assert.deepEqual(consistencyFlags({ ...base, treatment: 'accept', acceptance: 'pending' }, TODAY), [
      'acceptance_pending',
    ]);
    assert.deepEqual(consistencyFlags({ ...base, treatment: 'accept', acceptance: 'rejected' }, TODAY), [
      'acceptance_rejected',
    ]);
    assert.deepEqual(consistencyFlags({ ...base, treatment: 'accept', acceptance: 'approved' }, TODAY), []);
  });
});

describe('review calendar', () => {
  it('next review = today + the days of the residual level', () => {
    assert.equal(nextReviewOn('2026-01-15', 'critical', DEFAULT_REVIEW_DAYS), '2026-02-14');
    assert.equal(nextReviewOn('2026-01-15', 'high', DEFAULT_REVIEW_DAYS), '2026-04-15');
    assert.equal(nextReviewOn('2026-01-15', 'medium', DEFAULT_REVIEW_DAYS), '2026-07-14');
    assert.equal(nextReviewOn('2026-01-15', 'low', DEFAULT_REVIEW_DAYS), '2027-01-15');
    assert.equal(nextReviewOn('2028-02-01', 'critical', DEFAULT_REVIEW_DAYS), '2028-03-02'); // leap year
    assert.equal(nextReviewOn('2026-01-15', 'unknown', { a: 10 }), '2027-01-15');
  });
  it('dates are real calendar dates', () => {
    assert.ok(isIsoDate('2028-02-29'));
    assert.ok(!isIsoDate('2026-02-29'));
    assert.ok(!isIsoDate('2026-13-01'));
    assert.ok(!isIsoDate('15/01/2026'));
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  });
});
