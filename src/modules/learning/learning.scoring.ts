import { createHash } from 'node:crypto';
import { sfc32 } from '../../platform/random.ts';
import type { Question, Quiz } from './learning.course.ts';

// Quiz draw and scoring: pure functions, no I/O.
//
// Randomness: the attempt stores a seed (random hex). Every random choice is derived from it:
// sha256(seed + ':' + purpose) gives 128 bits that seed sfc32 (Chris Doty-Humphrey's Small
// Fast Counter, 32-bit), a tiny PRNG with good statistical quality. Fisher–Yates shuffles with
// it. The same seed and bank always give the same draw, the same question order and the same
// option / right-hand side / item order, so nothing but the seed needs to be stored and tests
// can reproduce a draw exactly.

/** sfc32 seeded from sha256(seed:purpose); returns floats in [0, 1). */
export function prng(seed: string, purpose = ''): () => number {
  const h = createHash('sha256').update(`${seed}:${purpose}`).digest();
  return sfc32(h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12));
}

/** Fisher–Yates with the seeded PRNG: a new array. */
export function shuffle<T>(items: readonly T[], seed: string, purpose = ''): T[] {
  const out = [...items];
  const rnd = prng(seed, purpose);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** The questions of an attempt: `draw` of the bank, in a random order. */
export function drawQuestions(quiz: Pick<Quiz, 'draw' | 'questions'>, seed: string): string[] {
  return shuffle(
    quiz.questions.map((q) => q.id),
    seed,
    'draw',
  ).slice(0, Math.min(quiz.draw, quiz.questions.length));
}

/**
 * How a drawn question is shown: option order (single/multiple), the right-hand sides of a
 * matching question as opaque ids `r1…rN` in shuffled order (their pair ids would give the
 * answer away), the items of an ordering question as opaque ids `i1…iN` in shuffled order.
 */
export interface Presentation {
  options?: string[];
  /** rights[k] = pair id whose right-hand side is shown as `r${k+1}`. */
  rights?: string[];
  /** items[k] = item id shown as `i${k+1}`. */
  items?: string[];
}

export function present(q: Question, seed: string): Presentation {
  switch (q.type) {
    case 'single':
    case 'multiple':
      return {
        options: shuffle(
          q.options.map((o) => o.id),
          seed,
          `options:${q.id}`,
        ),
      };
    case 'matching':
      return {
        rights: shuffle(
          q.pairs.map((p) => p.id),
          seed,
          `rights:${q.id}`,
        ),
      };
    case 'ordering': {
      const ids = q.items.map((i) => i.id);
      let order = shuffle(ids, seed, `items:${q.id}`);
      // Never show an ordering question already in order.
      if (order.every((id, i) => id === ids[i])) order = [...order.slice(1), order[0]!];
      return { items: order };
    }
    default:
      return {};
  }
}

/** A learner's answer to one question, as submitted. */
export type Answer =
  | { choice: string }
  | { choices: string[] }
  | { value: boolean }
  | { pairs: Record<string, string> }
  | { order: string[] };

export class AnswerError extends Error {}

/**
 * Points for one answer, 0–1 (each question is worth one point). single, true_false: 1 if
 * right; multiple: all or nothing (exactly the correct set); matching: share of pairs right;
 * ordering: share of positions right. An answer of the wrong shape, or naming an option, a
 * left-hand side, a right-hand side or an item the question does not have, throws AnswerError.
 * No answer scores 0.
 */
export function scoreQuestion(q: Question, answer: Answer | undefined, seed: string): number {
  if (answer === undefined) return 0;
  const bad = (why: string): never => {
    throw new AnswerError(`${q.id}: ${why}`);
  };
  switch (q.type) {
    case 'single': {
      if (!('choice' in answer)) return bad('expects { choice }');
      const o = q.options.find((x) => x.id === answer.choice) ?? bad(`no option ${answer.choice}`);
      return o.correct ? 1 : 0;
    }
    case 'multiple': {
      if (!('choices' in answer)) return bad('expects { choices }');
      const chosen = new Set(answer.choices);
      if (chosen.size !== answer.choices.length) bad('an option is chosen twice');
      for (const c of chosen) if (!q.options.some((o) => o.id === c)) bad(`no option ${c}`);
      return q.options.every((o) => o.correct === chosen.has(o.id)) ? 1 : 0;
    }
    case 'true_false':
      if (!('value' in answer)) return bad('expects { value }');
      return answer.value === q.answer ? 1 : 0;
    case 'matching': {
      if (!('pairs' in answer)) return bad('expects { pairs }');
      const rights = present(q, seed).rights!;
      const used = new Set<string>();
      let right = 0;
      for (const [left, shown] of Object.entries(answer.pairs)) {
        if (!q.pairs.some((p) => p.id === left)) bad(`no left-hand side ${left}`);
        const m = /^r(\d+)$/.exec(shown);
        const pairId = m ? rights[Number(m[1]) - 1] : undefined;
        if (!pairId) bad(`no right-hand side ${shown}`);
        if (used.has(shown)) bad(`${shown} is matched twice`);
        used.add(shown);
        if (pairId === left) right++;
      }
      return right / q.pairs.length;
    }
    case 'ordering': {
      if (!('order' in answer)) return bad('expects { order }');
      const shown = present(q, seed).items!;
      if (answer.order.length !== q.items.length || new Set(answer.order).size !== q.items.length)
        bad(`expects each of the ${q.items.length} items once`);
      let right = 0;
      for (const [pos, s] of answer.order.entries()) {
        const m = /^i(\d+)$/.exec(s);
        const id = m ? shown[Number(m[1]) - 1] : undefined;
        if (!id) bad(`no item ${s}`);
        if (q.items[pos]!.id === id) right++;
      }
      return right / q.items.length;
    }
  }
}

export interface AttemptResult {
  score: number;
  passed: boolean;
  points: Record<string, number>;
}

/**
 * Scores an attempt: answers keyed by question id. An answer to a question that was not drawn
 * throws AnswerError (the caller answers 400 and stores nothing). Score = points / drawn;
 * passed when score ≥ pass mark (a tiny epsilon absorbs floating-point error: 0.8 of 5
 * questions is exactly 4 points).
 */
export function scoreAttempt(
  quiz: Pick<Quiz, 'pass_mark' | 'questions'>,
  drawn: readonly string[],
  answers: Record<string, Answer>,
  seed: string,
): AttemptResult {
  for (const id of Object.keys(answers))
    if (!drawn.includes(id)) throw new AnswerError(`${id}: not a question of this attempt`);
  const points: Record<string, number> = {};
  let total = 0;
  for (const id of drawn) {
    const q = quiz.questions.find((x) => x.id === id);
    if (!q) throw new AnswerError(`${id}: not in the question bank`);
    const p = scoreQuestion(q, answers[id], seed);
    points[id] = p;
    total += p;
  }
  const score = drawn.length ? total / drawn.length : 0;
  return { score, passed: passes(score, quiz.pass_mark), points };
}

export const passes = (score: number, passMark: number) => score + 1e-9 >= passMark;

/** Completion score: the mean of the best score of each quiz (null when the course has none). */
export function courseScore(best: readonly number[]): number | null {
  return best.length ? best.reduce((s, x) => s + x, 0) / best.length : null;
}
