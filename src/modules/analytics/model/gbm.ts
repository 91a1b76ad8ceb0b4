// A small histogram gradient-boosting trainer for binary classification (log-loss).
// Features are binned once (quantile bins, one extra bin for missing values); trees grow
// leaf-wise (best gain first) up to maxLeaves and maxDepth; a split sends missing values to
// whichever side gains more; each tree sees a row sample and a feature sample; training stops
// when the log-loss on a held-out validation fraction has not improved for a number of rounds.
// Decisions and measurements: docs/adr/0026-expected-hit-model.md.
import { mulberry32 } from '../../../platform/random.ts';

export interface GbmParams {
  learningRate: number;
  maxRounds: number;
  maxLeaves: number;
  maxDepth: number;
  /** Fewest training rows in a leaf. */
  minChildSamples: number;
  /** Smallest sum of hessians in a leaf. */
  minChildWeight: number;
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Share of rows each tree is grown on (sampled without replacement, per tree). */
  rowSample: number;
  /** Share of features each tree may split on. */
  colSample: number;
  /** At most 255 value bins per feature (+1 for missing). */
  maxBins: number;
  /** Share of the rows held out for early stopping (0: no early stopping). */
  validFraction: number;
  earlyStoppingRounds: number;
  seed: number;
}

export const DEFAULT_GBM_PARAMS: GbmParams = {
  learningRate: 0.1,
  maxRounds: 400,
  maxLeaves: 31,
  maxDepth: 8,
  minChildSamples: 20,
  minChildWeight: 1e-3,
  lambda: 1,
  rowSample: 0.8,
  colSample: 0.8,
  maxBins: 255,
  validFraction: 0.1,
  earlyStoppingRounds: 30,
  seed: 1,
};

/**
 * One tree in flat arrays. Node i is a leaf when feature[i] === -1 (its value in value[i]);
 * otherwise x[feature] <= threshold goes to left[i], a larger value to right[i], a missing
 * (NaN) value to left[i] when missingLeft[i] is 1.
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  missingLeft: number[];
  left: number[];
  right: number[];
  value: number[];
}

export interface Booster {
  baseScore: number;
  trees: Tree[];
}

export interface TrainResult {
  booster: Booster;
  /** Rounds kept (the best on the validation rows when early stopping). */
  rounds: number;
  validLogLoss: number | null;
  /** Total gain of the splits on each feature. */
  importance: number[];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Upper bounds of each value bin: value x is in the first bin whose bound is >= x. */
export function binBounds(values: Float64Array, maxBins: number): Float64Array {
  const present = values.filter((v) => !Number.isNaN(v)).sort();
  const distinct: number[] = [];
  for (let i = 0; i < present.length; i++) {
    const v = present[i]!;
    if (i === 0 || v !== present[i - 1]) distinct.push(v);
  }
  // The last bound is the largest finite number, not Infinity, so that it survives JSON.
  if (distinct.length === 0) return new Float64Array([Number.MAX_VALUE]);
  const bounds: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) bounds.push((distinct[i]! + distinct[i + 1]!) / 2);
  } else {
    // Quantiles of the present values; a value repeated many times takes a bin of its own.
    for (let b = 1; b < maxBins; b++) {
      const v = present[Math.floor((b * present.length) / maxBins)]!;
      if (bounds.length === 0 || v > bounds[bounds.length - 1]!) bounds.push(v);
    }
  }
  bounds.push(Number.MAX_VALUE);
  return Float64Array.from(bounds);
}

function binOf(bounds: Float64Array, x: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= bounds[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  missingLeft: boolean;
}

interface Leaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  hist: Float64Array | null;
  g: number;
  h: number;
  split: Split | null;
}

/**
 * Trains on a column-major feature matrix: columns[f][i] is feature f of row i (NaN = missing),
 * labels are 0/1. Deterministic for a given seed.
 */
export function trainGbm(
  columns: Float64Array[],
  labels: Uint8Array,
  options: Partial<GbmParams> = {},
): TrainResult {
  const p = { ...DEFAULT_GBM_PARAMS, ...options };
  const nFeatures = columns.length;
  const n = labels.length;
  if (n === 0) throw new Error('trainGbm: no rows');
  const random = mulberry32(p.seed);
  const maxBins = Math.max(2, Math.min(255, p.maxBins));

  // Bins: feature f uses bins offset[f] … offset[f] + nb[f] - 1 for values, then one for missing.
  const bounds = columns.map((c) => binBounds(c, maxBins));
  const nb = bounds.map((b) => b.length);
  const offset = new Int32Array(nFeatures + 1);
  for (let f = 0; f < nFeatures; f++) offset[f + 1] = offset[f]! + nb[f]! + 1;
  const totalBins = offset[nFeatures]!;
  // Row-major: a row's bins are contiguous, so a histogram reads each row's gradient once.
  const bins = new Uint8Array(nFeatures * n);
  for (let f = 0; f < nFeatures; f++) {
    const col = columns[f]!;
    const b = bounds[f]!;
    const missing = nb[f]!;
    for (let i = 0; i < n; i++) {
      const x = col[i]!;
      bins[i * nFeatures + f] = Number.isNaN(x) ? missing : binOf(b, x);
    }
  }
  // Histograms are reused across nodes and trees (they are large: 3 numbers per bin).
  const pool: Float64Array[] = [];
  const release = (h: Float64Array | null) => {
    if (h) pool.push(h);
  };

  // Validation rows for early stopping, drawn at random.
  const isValid = new Uint8Array(n);
  if (p.validFraction > 0 && n >= 20)
    for (let i = 0; i < n; i++) if (random() < p.validFraction) isValid[i] = 1;
  const trainRows: number[] = [];
  const validRows: number[] = [];
  for (let i = 0; i < n; i++) (isValid[i] ? validRows : trainRows).push(i);
  if (trainRows.length === 0) throw new Error('trainGbm: no training rows');

  let positives = 0;
  for (const i of trainRows) positives += labels[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / trainRows.length));
  const baseScore = Math.log(rate / (1 - rate));
  const raw = new Float64Array(n).fill(baseScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const idx = new Uint32Array(trainRows.length);
  const importance = new Array<number>(nFeatures).fill(0);
  const trees: Tree[] = [];
  let best = { loss: Number.POSITIVE_INFINITY, rounds: 0 };

  const lambda = p.lambda;
  const score = (g: number, h: number) => (g * g) / (h + lambda);

  for (let round = 0; round < p.maxRounds; round++) {
    for (const i of trainRows) {
      const pr = sigmoid(raw[i]!);
      grad[i] = pr - labels[i]!;
      hess[i] = Math.max(pr * (1 - pr), 1e-16);
    }
    let m = 0;
    for (const i of trainRows) if (p.rowSample >= 1 || random() < p.rowSample) idx[m++] = i;
    const allowed: number[] = [];
    for (let f = 0; f < nFeatures; f++) if (p.colSample >= 1 || random() < p.colSample) allowed.push(f);
    if (allowed.length === 0) allowed.push(Math.floor(random() * nFeatures));

    const features = Int32Array.from(allowed);
    const nAllowed = features.length;
    const histogram = (start: number, end: number): Float64Array => {
      const hist = pool.pop()?.fill(0) ?? new Float64Array(totalBins * 3);
      for (let k = start; k < end; k++) {
        const i = idx[k]!;
        const g = grad[i]!;
        const h = hess[i]!;
        const row = i * nFeatures;
        for (let a = 0; a < nAllowed; a++) {
          const f = features[a]!;
          const j = (offset[f]! + bins[row + f]!) * 3;
          hist[j] = hist[j]! + g;
          hist[j + 1] = hist[j + 1]! + h;
          hist[j + 2] = hist[j + 2]! + 1;
        }
      }
      return hist;
    };

    const findSplit = (leaf: Leaf): Split | null => {
      if (leaf.depth >= p.maxDepth) return null;
      const count = leaf.end - leaf.start;
      if (count < 2 * p.minChildSamples) return null;
      const hist = leaf.hist!;
      const parent = score(leaf.g, leaf.h);
      let bestSplit: Split | null = null;
      for (const f of allowed) {
        const o = offset[f]!;
        const values = nb[f]!;
        const mj = (o + values) * 3;
        const mg = hist[mj]!;
        const mh = hist[mj + 1]!;
        const mc = hist[mj + 2]!;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let b = 0; b < values; b++) {
          const j = (o + b) * 3;
          gl += hist[j]!;
          hl += hist[j + 1]!;
          cl += hist[j + 2]!;
          // Missing to the right, then missing to the left.
          for (let side = 0; side < 2; side++) {
            if (side === 1 && mc === 0) break;
            const g = side ? gl + mg : gl;
            const h = side ? hl + mh : hl;
            const c = side ? cl + mc : cl;
            const cr = count - c;
            if (c < p.minChildSamples || cr < p.minChildSamples) continue;
            const hr = leaf.h - h;
            if (h < p.minChildWeight || hr < p.minChildWeight) continue;
            const gain = score(g, h) + score(leaf.g - g, hr) - parent;
            if (gain > 1e-12 && (bestSplit === null || gain > bestSplit.gain))
              bestSplit = { gain, feature: f, bin: b, missingLeft: side === 1 };
          }
        }
      }
      return bestSplit;
    };

    const tree: Tree = { feature: [], threshold: [], missingLeft: [], left: [], right: [], value: [] };
    const addNode = () => {
      tree.feature.push(-1);
      tree.threshold.push(0);
      tree.missingLeft.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      return tree.feature.length - 1;
    };
    const sums = (start: number, end: number) => {
      let g = 0;
      let h = 0;
      for (let k = start; k < end; k++) {
        g += grad[idx[k]!]!;
        h += hess[idx[k]!]!;
      }
      return { g, h };
    };

    const root: Leaf = {
      node: addNode(),
      start: 0,
      end: m,
      depth: 0,
      hist: histogram(0, m),
      ...sums(0, m),
      split: null,
    };
    root.split = findSplit(root);
    const open: Leaf[] = [root];
    let leaves = 1;
    while (leaves < p.maxLeaves) {
      let pick = -1;
      for (let k = 0; k < open.length; k++)
        if (open[k]!.split && (pick < 0 || open[k]!.split!.gain > open[pick]!.split!.gain)) pick = k;
      if (pick < 0) break;
      const leaf = open[pick]!;
      open.splice(pick, 1);
      const s = leaf.split!;
      const missing = nb[s.feature]!;
      // Partition idx[start, end) in place: left rows first.
      let lo = leaf.start;
      let hi = leaf.end - 1;
      const goesLeft = (i: number) => {
        const b = bins[i * nFeatures + s.feature]!;
        return b === missing ? s.missingLeft : b <= s.bin;
      };
      while (lo <= hi) {
        if (goesLeft(idx[lo]!)) lo++;
        else {
          const t = idx[lo]!;
          idx[lo] = idx[hi]!;
          idx[hi] = t;
          hi--;
        }
      }
      const node = leaf.node;
      tree.feature[node] = s.feature;
      tree.threshold[node] = bounds[s.feature]![s.bin]!;
      tree.missingLeft[node] = s.missingLeft ? 1 : 0;
      importance[s.feature] = importance[s.feature]! + s.gain;
      const left: Leaf = {
        node: addNode(),
        start: leaf.start,
        end: lo,
        depth: leaf.depth + 1,
        hist: null,
        ...sums(leaf.start, lo),
        split: null,
      };
      const right: Leaf = {
        node: addNode(),
        start: lo,
        end: leaf.end,
        depth: leaf.depth + 1,
        hist: null,
        ...sums(lo, leaf.end),
        split: null,
      };
      tree.left[node] = left.node;
      tree.right[node] = right.node;
      // Histogram of the smaller child; the larger one is the parent's minus it.
      const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
      small.hist = histogram(small.start, small.end);
      const parentHist = leaf.hist!;
      for (let j = 0; j < parentHist.length; j++) parentHist[j] = parentHist[j]! - small.hist[j]!;
      large.hist = parentHist;
      leaf.hist = null;
      left.split = findSplit(left);
      right.split = findSplit(right);
      open.push(left, right);
      leaves++;
    }
    for (const leaf of open) {
      tree.value[leaf.node] = (-leaf.g / (leaf.h + lambda)) * p.learningRate;
      release(leaf.hist);
      leaf.hist = null;
    }
    trees.push(tree);

    // Update every row's raw score through the tree (on bins: same decisions as the thresholds).
    const binThreshold = tree.threshold.map((t, k) =>
      tree.feature[k]! >= 0 ? binOf(bounds[tree.feature[k]!]!, t) : 0,
    );
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k]! >= 0) {
        const f = tree.feature[k]!;
        const b = bins[i * nFeatures + f]!;
        const left = b === nb[f]! ? tree.missingLeft[k] === 1 : b <= binThreshold[k]!;
        k = left ? tree.left[k]! : tree.right[k]!;
      }
      raw[i] = raw[i]! + tree.value[k]!;
      if (isValid[i]) {
        const pr = Math.min(1 - 1e-15, Math.max(1e-15, sigmoid(raw[i]!)));
        loss -= labels[i] ? Math.log(pr) : Math.log(1 - pr);
      }
    }
    if (validRows.length > 0) {
      loss /= validRows.length;
      if (loss < best.loss - 1e-9) best = { loss, rounds: trees.length };
      else if (trees.length - best.rounds >= p.earlyStoppingRounds) break;
    } else best = { loss: Number.NaN, rounds: trees.length };
  }
  const rounds = validRows.length > 0 ? best.rounds : trees.length;
  return {
    booster: { baseScore, trees: trees.slice(0, rounds) },
    rounds,
    validLogLoss: validRows.length > 0 ? best.loss : null,
    importance,
  };
}

/** Probabilities for a column-major matrix (columns in the training order). */
export function predictGbm(booster: Booster, columns: Float64Array[], n: number): Float64Array {
  const raw = new Float64Array(n).fill(booster.baseScore);
  for (const tree of booster.trees) {
    for (let i = 0; i < n; i++) {
      let k = 0;
      while (tree.feature[k]! >= 0) {
        const x = columns[tree.feature[k]!]![i]!;
        const left = Number.isNaN(x) ? tree.missingLeft[k] === 1 : x <= tree.threshold[k]!;
        k = left ? tree.left[k]! : tree.right[k]!;
      }
      raw[i] = raw[i]! + tree.value[k]!;
    }
  }
  for (let i = 0; i < n; i++) raw[i] = sigmoid(raw[i]!);
  return raw;
}
