// Scoring rules of a self-assessment (docs/adr/0011-assessment-scoring.md). Pure functions,
// no imports: the server, the report and the unit tests share them.
//
//   item score      = (rating − scale min) / (scale max − scale min)      (= rating / max on 0–4)
//   factor score %  = Σ wᵢ·(rᵢ − min) / Σ wᵢ·(max − min) × 100   over rated, non-N/A items
//   overall %       = Σ Wf·Sf / Σ Wf                              over factors with a score
//   progress        = (rated + N/A) / items                       (shown apart from the score)
//
// An unrated item is excluded from the score (it counts against progress, not the score),
// an N/A item is excluded from both the score and the denominator, a factor with no scored
// item has no score (null, not 0) and is left out of the overall.

export interface ScoredItem {
  factor: number;
  /** Item weight from the framework (default 1). */
  weight: number;
  rating: number | null;
  notApplicable: boolean;
}

export interface FactorWeight {
  factor: number;
  weight: number;
}

export interface Scale {
  min: number;
  max: number;
}

export interface FactorScore {
  factor: number;
  /** 0–100, one decimal; null when no item of the factor is rated. */
  score: number | null;
  /** Items rated on the scale (N/A and unrated excluded). */
  scored: number;
  notApplicable: number;
  items: number;
}

export interface Progress {
  done: number;
  total: number;
  /** 0–100, whole percent. */
  percent: number;
}

export interface Scores {
  factors: FactorScore[];
  overall: number | null;
  progress: Progress;
}

export const round1 = (x: number) => Math.round(x * 10) / 10;

const isScored = (i: ScoredItem) => !i.notApplicable && i.rating !== null;

/** Unrounded factor score in percent, or null when nothing is scored. */
export function rawFactorScore(items: ScoredItem[], scale: Scale): number | null {
  const span = scale.max - scale.min;
  if (span <= 0) throw new Error('a scale needs max > min');
  let num = 0;
  let den = 0;
  for (const i of items) {
    if (!isScored(i)) continue;
    const w = i.weight > 0 ? i.weight : 1;
    num += w * (i.rating! - scale.min);
    den += w * span;
  }
  return den === 0 ? null : (num / den) * 100;
}

/** Weighted mean of the factor scores that exist; null when none does. */
export function rawOverall(factors: { factor: number; score: number | null }[], weights: FactorWeight[]) {
  let num = 0;
  let den = 0;
  for (const f of factors) {
    if (f.score === null) continue;
    const w = weights.find((x) => x.factor === f.factor)?.weight ?? 1;
    num += w * f.score;
    den += w;
  }
  return den === 0 ? null : num / den;
}

export function progress(items: ScoredItem[]): Progress {
  const done = items.filter((i) => i.notApplicable || i.rating !== null).length;
  return { done, total: items.length, percent: items.length ? Math.round((done / items.length) * 100) : 0 };
}

/**
 * Every factor listed in `factors` gets an entry (in that order), even without items; the
 * overall is computed from the unrounded factor scores, then rounded.
 */
export function computeScores(items: ScoredItem[], factors: FactorWeight[], scale: Scale): Scores {
  const raw = factors.map((f) => {
    const mine = items.filter((i) => i.factor === f.factor);
    return {
      factor: f.factor,
      raw: rawFactorScore(mine, scale),
      scored: mine.filter(isScored).length,
      notApplicable: mine.filter((i) => i.notApplicable).length,
      items: mine.length,
    };
  });
  const overall = rawOverall(
    raw.map((r) => ({ factor: r.factor, score: r.raw })),
    factors,
  );
  return {
    factors: raw.map((r) => ({
      factor: r.factor,
      score: r.raw === null ? null : round1(r.raw),
      scored: r.scored,
      notApplicable: r.notApplicable,
      items: r.items,
    })),
    overall: overall === null ? null : round1(overall),
    progress: progress(items),
  };
}

/** current − previous, one decimal; null when either side has no score. */
export function delta(current: number | null, previous: number | null | undefined): number | null {
  if (current === null || previous === null || previous === undefined) return null;
  return round1(current - previous);
}
