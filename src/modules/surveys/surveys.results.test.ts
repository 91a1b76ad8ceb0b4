import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suppressGroups } from '../../platform/statistics.ts';
import type { SurveyQuestion } from './surveys.contract.ts';
import { type StoredResponse, answerScore, buildResults, exportRows, threshold } from './surveys.results.ts';

// The one place every figure goes through (API, UI, CSV, XLSX): unit tests on fixtures.

const q = (
  id: string,
  factor: number,
  kind: SurveyQuestion['kind'],
  polarity: 'positive' | 'negative' = 'positive',
) => ({ id, factor, kind, polarity, basis: 'verified', text: { en: id } }) as SurveyQuestion;
const questions = [
  q('a', 1, 'likert5'),
  q('b', 1, 'yesno'),
  q('c', 7, 'frequency', 'negative'),
  q('t', 9, 'text'),
];
const bands = { gender: true, age: false, grade: false, regions: [] };
const responses = (n: number, gender: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({
    bands: { gender: gender(i) },
    answers: { a: 5, b: true, c: 0, t: `comment ${i}` },
  }));
const build = (rs: StoredResponse[], by: 'none' | 'gender' = 'gender', minCell = 10) =>
  buildResults({
    surveyId: 'x',
    name: 'x',
    status: 'open',
    minCell,
    bands,
    questions,
    responses: rs,
    by,
    label: (x) => x.id,
  });

describe('surveys: small-cell suppression and scores', () => {
  it('hides a group whose members did not answer a factor, and one more within that factor', () => {
    // 12 women and 12 men: both groups are published as such. Only 3 women answered factor 1,
    // so their factor 1 cell is hidden; the men's must be hidden too, or the overall figure
    // (15 respondents) minus the men's (12) would give the 3 women's score away.
    const rs = [
      ...Array.from({ length: 12 }, (_, i) => ({
        bands: { gender: 'female' },
        answers: i < 3 ? { a: 1, b: false, c: 4 } : { c: 4 },
      })),
      ...Array.from({ length: 12 }, () => ({ bands: { gender: 'male' }, answers: { a: 5, b: true, c: 0 } })),
    ];
    const r = build(rs);
    assert.deepEqual(
      r.groups.filter((g) => g.key !== '_not_stated').map((g) => [g.key, g.n]),
      [
        ['female', 12],
        ['male', 12],
        ['other', null],
      ],
    );
    const f1 = r.factors.find((f) => f.factor === 1)!;
    assert.equal(f1.overall.n, 15);
    const byKey = new Map(f1.groups.map((g) => [g.key, g.cell]));
    assert.equal(byKey.get('female')!.suppressed, true);
    assert.equal(byKey.get('male')!.suppressed, true, 'complementary suppression within the factor');
    // Factor 7, answered by all 24, still shows both groups.
    const f7 = new Map(r.factors.find((f) => f.factor === 7)!.groups.map((g) => [g.key, g.cell]));
    assert.equal(f7.get('female')!.n, 12);
    assert.equal(f7.get('male')!.n, 12);
  });

  it('never goes below the floor of 5', () => {
    assert.equal(threshold(2), 5);
    assert.equal(threshold(12), 12);
  });

  it('suppresses every group under the threshold, and one more when a single group would be derivable', () => {
    const g = suppressGroups(
      [
        { key: 'a', n: 30 },
        { key: 'b', n: 12 },
        { key: 'c', n: 4 },
        { key: 'd', n: 0 },
      ],
      10,
    );
    assert.deepEqual(
      g.map((x) => x.suppressed),
      [false, true, true, true],
    );
    const two = suppressGroups(
      [
        { key: 'a', n: 30 },
        { key: 'b', n: 3 },
        { key: 'c', n: 2 },
      ],
      10,
    );
    assert.deepEqual(
      two.map((x) => x.suppressed),
      [false, true, true],
    );
  });

  it('with fewer respondents than the threshold in all, no figure, distribution or comment at all', () => {
    const r = build(responses(9, () => 'female'));
    assert.equal(r.total, null);
    for (const f of r.factors) {
      assert.deepEqual(f.overall, { suppressed: true, n: null, score: null, favourable: null });
      for (const g of f.groups) assert.equal(g.cell.score, null);
    }
    assert.ok(r.questions.every((x) => x.distribution === null && x.overall.n === null));
    assert.deepEqual(r.comments, []);
    assert.ok(exportRows(r, String, String).every((row) => row.score === null && row.respondents === null));
  });

  it('shows the totals and the groups at or over the threshold only', () => {
    // 12 women, 10 men, 2 other, 1 not stated: two small groups, neither derivable alone
    const r = build(responses(25, (i) => (i < 12 ? 'female' : i < 22 ? 'male' : i < 24 ? 'other' : '')));
    assert.equal(r.total, 25);
    const f1 = r.factors.find((f) => f.factor === 1)!;
    assert.equal(f1.overall.n, 25);
    assert.equal(f1.overall.score, 100);
    const byKey = Object.fromEntries(f1.groups.map((g) => [g.key, g.cell]));
    assert.equal(byKey.female!.n, 12);
    assert.equal(byKey.male!.n, 10);
    assert.equal(byKey.other!.suppressed, true);
    assert.equal(byKey.other!.score, null);
    assert.equal(byKey._not_stated!.suppressed, true);
    // one small group only (3 other): the next smallest (men) is hidden too, or total − women − men gives it away
    const one = build(responses(25, (i) => (i < 12 ? 'female' : i < 22 ? 'male' : 'other')));
    const g1 = Object.fromEntries(one.factors[0]!.groups.map((g) => [g.key, g.cell]));
    assert.equal(g1.female!.n, 12);
    assert.equal(g1.male!.suppressed, true);
    assert.equal(g1.other!.suppressed, true);
    const rows = exportRows(r, String, String);
    assert.ok(rows.some((row) => row.group === 'other' && row.score === null && row.suppressed === '< 10'));
    // frequency, negative: "never" offered a bribe is the best answer
    assert.equal(r.factors.find((f) => f.factor === 7)!.overall.score, 100);
    // free text is not a factor score
    assert.ok(!r.factors.some((f) => f.factor === 9));
    assert.equal(r.comments.length, 25);
  });

  it('scores: Likert 1–5 and frequency 0–4 to 0–100, negative statements reversed, choices unscored', () => {
    assert.equal(answerScore(q('x', 1, 'likert5'), 1), 0);
    assert.equal(answerScore(q('x', 1, 'likert5'), 4), 75);
    assert.equal(answerScore(q('x', 1, 'likert5', 'negative'), 4), 25);
    assert.equal(answerScore(q('x', 1, 'frequency', 'negative'), 4), 0);
    assert.equal(answerScore(q('x', 1, 'yesno'), false), 0);
    assert.equal(answerScore(q('x', 1, 'single'), 'a'), null);
  });
});
