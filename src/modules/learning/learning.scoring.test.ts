import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCourse } from './learning.course.ts';
import { fixtureCourse } from './learning.fixture.ts';
import {
  AnswerError,
  courseScore,
  drawQuestions,
  passes,
  present,
  prng,
  scoreAttempt,
  scoreQuestion,
  shuffle,
} from './learning.scoring.ts';

const doc = parseCourse(fixtureCourse());
const quiz = doc.modules[0]!.quiz!;
const q = (id: string) => {
  for (const m of doc.modules) for (const x of m.quiz?.questions ?? []) if (x.id === id) return x;
  throw new Error(id);
};

describe('learning scoring: seeded draw', () => {
  it('the same seed gives the same draw, order and presentation; the draw is pinned', () => {
    assert.deepEqual(drawQuestions(quiz, 'seed-1'), drawQuestions(quiz, 'seed-1'));
    assert.deepEqual(present(q('q4'), 'seed-1'), present(q('q4'), 'seed-1'));
    // Pinned: a change of PRNG or hashing would change every stored attempt's quiz.
    assert.deepEqual(drawQuestions(quiz, 'seed-1'), PINNED_DRAW);
    const r = prng('x');
    const first = [r(), r(), r()];
    assert.ok(first.every((v) => v >= 0 && v < 1));
    const again = prng('x');
    assert.deepEqual([again(), again(), again()], first);
    assert.notEqual(prng('y')(), first[0]);
  });

  it('draws `draw` distinct questions of the bank, and seeds vary the draw', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const d = drawQuestions(quiz, `s${i}`);
      assert.equal(d.length, 3);
      assert.equal(new Set(d).size, 3);
      for (const id of d) assert.ok(quiz.questions.some((x) => x.id === id));
      seen.add(d.join(','));
    }
    assert.ok(seen.size > 10, `only ${seen.size} different draws in 50 seeds`);
  });

  it('shuffle is a permutation, and an ordering question is never shown in order', () => {
    const s = shuffle([1, 2, 3, 4, 5], 'k');
    assert.deepEqual([...s].sort(), [1, 2, 3, 4, 5]);
    for (let i = 0; i < 30; i++) {
      const items = present(q('q4'), `o${i}`).items!;
      assert.notDeepEqual(items, ['s1', 's2', 's3']);
      assert.deepEqual([...items].sort(), ['s1', 's2', 's3']);
    }
  });
});

describe('learning scoring: points per type (hand-computed)', () => {
  it('single: 1 for the correct option, 0 otherwise, 0 unanswered; unknown option → error', () => {
    assert.equal(scoreQuestion(q('q1'), { choice: 'a' }, 's'), 1);
    assert.equal(scoreQuestion(q('q1'), { choice: 'b' }, 's'), 0);
    assert.equal(scoreQuestion(q('q1'), undefined, 's'), 0);
    assert.throws(() => scoreQuestion(q('q1'), { choice: 'z' }, 's'), AnswerError);
    assert.throws(() => scoreQuestion(q('q1'), { value: true }, 's'), AnswerError);
  });

  it('multiple: all or nothing — exactly {a, b}', () => {
    assert.equal(scoreQuestion(q('q3'), { choices: ['b', 'a'] }, 's'), 1);
    assert.equal(scoreQuestion(q('q3'), { choices: ['a'] }, 's'), 0);
    assert.equal(scoreQuestion(q('q3'), { choices: ['a', 'b', 'c'] }, 's'), 0);
    assert.equal(scoreQuestion(q('q3'), { choices: [] }, 's'), 0);
    assert.throws(() => scoreQuestion(q('q3'), { choices: ['a', 'a'] }, 's'), AnswerError);
  });

  it('true/false', () => {
    assert.equal(scoreQuestion(q('q2'), { value: true }, 's'), 1);
    assert.equal(scoreQuestion(q('q2'), { value: false }, 's'), 0);
  });

  it('matching: share of pairs right, through the opaque right-hand ids', () => {
    const rights = present(q('q5'), 'm')!.rights!; // rights[k] is shown as r(k+1)
    const shownAs = (pair: string) => `r${rights.indexOf(pair) + 1}`;
    const all = { p1: shownAs('p1'), p2: shownAs('p2'), p3: shownAs('p3') };
    assert.equal(scoreQuestion(q('q5'), { pairs: all }, 'm'), 1);
    // p1 and p2 swapped: 1 of 3 right.
    const swapped = { p1: shownAs('p2'), p2: shownAs('p1'), p3: shownAs('p3') };
    assert.equal(scoreQuestion(q('q5'), { pairs: swapped }, 'm'), 1 / 3);
    // Only p3 answered (right): 1 of 3.
    assert.equal(scoreQuestion(q('q5'), { pairs: { p3: shownAs('p3') } }, 'm'), 1 / 3);
    assert.throws(() => scoreQuestion(q('q5'), { pairs: { p1: 'r1', p2: 'r1' } }, 'm'), AnswerError);
    assert.throws(() => scoreQuestion(q('q5'), { pairs: { p9: 'r1' } }, 'm'), AnswerError);
    assert.throws(() => scoreQuestion(q('q5'), { pairs: { p1: 'r9' } }, 'm'), AnswerError);
  });

  it('ordering: share of positions right, through the opaque item ids', () => {
    const shown = present(q('q4'), 'o')!.items!;
    const as = (id: string) => `i${shown.indexOf(id) + 1}`;
    assert.equal(scoreQuestion(q('q4'), { order: [as('s1'), as('s2'), as('s3')] }, 'o'), 1);
    // s1 s3 s2: only the first position right → 1/3.
    assert.equal(scoreQuestion(q('q4'), { order: [as('s1'), as('s3'), as('s2')] }, 'o'), 1 / 3);
    // s3 s1 s2: none right → 0.
    assert.equal(scoreQuestion(q('q4'), { order: [as('s3'), as('s1'), as('s2')] }, 'o'), 0);
    assert.throws(() => scoreQuestion(q('q4'), { order: [as('s1'), as('s2')] }, 'o'), AnswerError);
    assert.throws(() => scoreQuestion(q('q4'), { order: ['i1', 'i1', 'i2'] }, 'o'), AnswerError);
  });
});

describe('learning scoring: attempts and pass/fail (hand-computed)', () => {
  const drawn = ['q1', 'q2', 'q3'];
  it('score = points / drawn; pass mark 0.6', () => {
    // 1 + 1 + 0 = 2 of 3 = 0.667 ≥ 0.6 → passed
    const r = scoreAttempt(
      quiz,
      drawn,
      { q1: { choice: 'a' }, q2: { value: true }, q3: { choices: ['a'] } },
      's',
    );
    assert.equal(r.score, 2 / 3);
    assert.equal(r.passed, true);
    assert.deepEqual(r.points, { q1: 1, q2: 1, q3: 0 });
    // 1 of 3 = 0.333 < 0.6 → failed; unanswered questions score 0
    const f = scoreAttempt(quiz, drawn, { q1: { choice: 'a' } }, 's');
    assert.equal(f.score, 1 / 3);
    assert.equal(f.passed, false);
  });

  it('an answer to a question not drawn is refused', () => {
    assert.throws(() => scoreAttempt(quiz, drawn, { q4: { order: [] } }, 's'), AnswerError);
    assert.throws(() => scoreAttempt(quiz, drawn, { nope: { value: true } }, 's'), AnswerError);
  });

  it('the pass mark is inclusive and immune to floating-point error', () => {
    assert.equal(passes(0.8, 0.8), true);
    assert.equal(passes(4 / 5, 0.8), true);
    assert.equal(passes(0.1 + 0.7, 0.8), true); // 0.7999999999999999
    assert.equal(passes(0.79, 0.8), false);
    assert.equal(passes(0, 0), true);
  });

  it('course score is the mean of the best quiz scores', () => {
    assert.equal(courseScore([1, 0.5]), 0.75);
    assert.equal(courseScore([]), null);
  });
});

const PINNED_DRAW = ['q4', 'q2', 'q3'];
