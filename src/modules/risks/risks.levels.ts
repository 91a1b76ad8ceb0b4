// Pure rules of the risk register: the matrix (axes and level bands), the level of a rating,
// the consistency flags and the review calendar. No I/O, no clock: callers pass "today".
// Decisions and hand-computed examples: docs/adr/0012-risk-levels.md.
import {
  type AcceptanceState,
  type ControlEffectiveness,
  RISK_FLAGS,
  type RiskFlag,
  type RiskStatus,
  type Treatment,
} from './risks.vocab.ts';
import { addDays } from '../../platform/dates.ts';

/** Translated text: English required, other languages optional (fall back to English). */
export type LText = { en: string } & Partial<Record<'fr' | 'es' | 'ru' | 'ar' | 'pt', string>>;

export interface AxisLevel {
  value: number;
  label: LText;
  description?: LText;
}
/** A level is a band of scores (likelihood × impact), min and max inclusive. */
export interface LevelBand {
  id: string;
  label: LText;
  color: string;
  min: number;
  max: number;
}
export interface RiskMatrix {
  likelihood: AxisLevel[];
  impact: AxisLevel[];
  /** Ascending: the first band starts at 1, the last ends at the highest score, no gap, no overlap. */
  levels: LevelBand[];
}

export interface MatrixProblem {
  path: string;
  message: string;
}

const LEVEL_ID = /^[a-z][a-z0-9_-]{0,30}$/;
const COLOR = /^#[0-9a-fA-F]{6}$/;

export const maxScore = (m: RiskMatrix) => m.likelihood.length * m.impact.length;

/** Every problem of a matrix, with its path; an empty list means the matrix is usable. */
export function matrixProblems(m: RiskMatrix): MatrixProblem[] {
  const out: MatrixProblem[] = [];
  for (const axis of ['likelihood', 'impact'] as const) {
    const levels = m[axis];
    if (levels.length < 2 || levels.length > 10)
      out.push({ path: axis, message: `needs between 2 and 10 levels, has ${levels.length}` });
    levels.forEach((l, i) => {
      if (l.value !== i + 1)
        out.push({ path: `${axis}.${i}.value`, message: `must be ${i + 1} (levels are numbered 1, 2, 3 …)` });
    });
  }
  if (m.levels.length < 1) out.push({ path: 'levels', message: 'needs at least one level' });
  const top = maxScore(m);
  const ids = new Set<string>();
  let expected = 1;
  m.levels.forEach((b, i) => {
    const p = `levels.${i}`;
    if (!LEVEL_ID.test(b.id))
      out.push({ path: `${p}.id`, message: 'lower-case letters, digits, - or _, starting with a letter' });
    if (ids.has(b.id)) out.push({ path: `${p}.id`, message: `duplicate level id ${b.id}` });
    ids.add(b.id);
    if (!COLOR.test(b.color)) out.push({ path: `${p}.color`, message: 'a colour #rrggbb' });
    if (!Number.isInteger(b.min) || !Number.isInteger(b.max))
      out.push({ path: p, message: 'thresholds are whole numbers' });
    if (b.min > b.max)
      out.push({ path: p, message: `from ${b.min} to ${b.max}: the start is above the end` });
    if (b.min > expected)
      out.push({ path: `${p}.min`, message: `scores ${expected}–${b.min - 1} belong to no level (gap)` });
    else if (b.min < expected)
      out.push({
        path: `${p}.min`,
        message:
          expected === 1
            ? 'the first level starts at 1'
            : `scores ${b.min}–${expected - 1} are already in the previous level (overlap)`,
      });
    expected = Math.max(expected, b.max + 1);
  });
  if (m.levels.length > 0 && expected <= top)
    out.push({
      path: `levels.${m.levels.length - 1}.max`,
      message: `scores ${expected}–${top} belong to no level (the last level must end at ${top})`,
    });
  if (m.levels.length > 0 && expected - 1 > top)
    out.push({
      path: `levels.${m.levels.length - 1}.max`,
      message: `the highest possible score is ${top}`,
    });
  return out;
}

export const inAxis = (m: RiskMatrix, axis: 'likelihood' | 'impact', v: number) =>
  Number.isInteger(v) && v >= 1 && v <= m[axis].length;

/** The band holding score = likelihood × impact. Throws RangeError outside the matrix. */
export function levelOf(m: RiskMatrix, likelihood: number, impact: number): LevelBand {
  if (!inAxis(m, 'likelihood', likelihood))
    throw new RangeError(`likelihood ${likelihood} is outside 1–${m.likelihood.length}`);
  if (!inAxis(m, 'impact', impact)) throw new RangeError(`impact ${impact} is outside 1–${m.impact.length}`);
  const s = likelihood * impact;
  const band = m.levels.find((b) => s >= b.min && s <= b.max);
  if (!band) throw new RangeError(`score ${s} is in no level band`);
  return band;
}

/** Library matrix (standards format: levels + grid of level indexes) → bands on the score. */
export interface LibraryMatrix {
  probability: { value: number; label: LText; description?: LText }[];
  impact: { value: number; label: LText; description?: LText }[];
  levels: { value: number; label: LText; color: string }[];
  grid: number[][];
}

/**
 * Converts a library grid into score bands. Only a grid whose levels follow the score
 * (every cell of level k scores below every cell of level k+1) can be converted; the bands
 * then stretch to meet (5×5: high holds 10–16 in the grid, so 10–19 as a band).
 */
export function bandsFromLibrary(lib: LibraryMatrix): RiskMatrix {
  const ranges = lib.levels.map(() => ({ min: Number.POSITIVE_INFINITY, max: 0 }));
  lib.grid.forEach((row, p) => {
    row.forEach((k, i) => {
      const s = (p + 1) * (i + 1);
      const r = ranges[k]!;
      r.min = Math.min(r.min, s);
      r.max = Math.max(r.max, s);
    });
  });
  const used = ranges.map((r, k) => ({ ...r, k })).filter((r) => r.max > 0);
  for (let j = 1; j < used.length; j++)
    if (used[j]!.min <= used[j - 1]!.max)
      throw new Error('the matrix grid does not follow the score, it cannot be turned into level bands');
  const top = lib.probability.length * lib.impact.length;
  const matrix: RiskMatrix = {
    likelihood: lib.probability.map((l, i) => ({ ...l, value: i + 1 })),
    impact: lib.impact.map((l, i) => ({ ...l, value: i + 1 })),
    levels: used.map((r, j) => {
      const lv = lib.levels[r.k]!;
      return {
        id:
          lv.label.en
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_+|_+$/g, '')
            .slice(0, 30) || `level${j + 1}`,
        label: lv.label,
        color: lv.color,
        min: j === 0 ? 1 : r.min,
        max: j === used.length - 1 ? top : used[j + 1]!.min - 1,
      };
    }),
  };
  return matrix;
}

// ---- consistency flags ------------------------------------------------------------------

export interface Rating {
  likelihood: number;
  impact: number;
}
export interface FlagInput {
  /** Null on a draft not rated yet: no flag compares ratings. */
  inherent: Rating | null;
  residual: Rating | null;
  controls: { effectiveness: ControlEffectiveness }[];
  treatment: Treatment;
  acceptance: AcceptanceState;
  status: RiskStatus;
  nextReviewOn: string | null;
}

/** Residual is above inherent when it is worse on either axis (so also when its score is higher). */
export const residualAboveInherent = (inh: Rating, res: Rating) =>
  res.likelihood > inh.likelihood || res.impact > inh.impact;
/** A reduction: residual lower than inherent on either axis. */
export const isReduction = (inh: Rating, res: Rating) =>
  res.likelihood < inh.likelihood || res.impact < inh.impact;

/** The flags of a risk, in RISK_FLAGS order. `today` is YYYY-MM-DD. */
export function consistencyFlags(r: FlagInput, today: string): RiskFlag[] {
  const set = new Set<RiskFlag>();
  if (r.inherent && r.residual && residualAboveInherent(r.inherent, r.residual))
    set.add('residual_above_inherent');
  if (r.inherent && r.residual && isReduction(r.inherent, r.residual)) {
    if (r.controls.length === 0) set.add('reduction_without_controls');
    else if (r.controls.every((c) => c.effectiveness === 'ineffective' || c.effectiveness === 'untested'))
      set.add('reduction_with_only_ineffective_controls');
  }
  if (r.status === 'open' && r.nextReviewOn !== null && r.nextReviewOn < today) set.add('overdue_review');
  if (r.treatment === 'accept' && r.acceptance === 'pending') set.add('acceptance_pending');
  if (r.treatment === 'accept' && r.acceptance === 'rejected') set.add('acceptance_rejected');
  return RISK_FLAGS.filter((f) => set.has(f));
}

export const isOverdue = (nextReviewOn: string | null, today: string, status: RiskStatus = 'open') =>
  status === 'open' && nextReviewOn !== null && nextReviewOn < today;

// ---- calendar ---------------------------------------------------------------------------

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar date YYYY-MM-DD (2026-02-30 is not). */
export function isIsoDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Review intervals (days) by level id: a level without one falls back to the longest. */
export function nextReviewOn(today: string, levelId: string, reviewDays: Record<string, number>): string {
  const days = reviewDays[levelId] ?? Math.max(365, ...Object.values(reviewDays));
  return addDays(today, days);
}

export const DEFAULT_REVIEW_DAYS: Record<string, number> = { critical: 30, high: 90, medium: 180, low: 365 };
