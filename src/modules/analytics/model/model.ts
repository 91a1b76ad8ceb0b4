// The expected-hit model: a labelled table in, a JSON model file out (feature plan, fitted
// encoders, trees); the same file scores new tables.
import { type ColumnTable, invalid, subTable } from './csv.ts';
import {
  type ColumnInfo,
  DEFAULT_FEATURE_OPTIONS,
  type FeatureDef,
  type FeatureOptions,
  featureName,
  fitFeatures,
  ignoredAs,
  inferColumns,
  leakingColumns,
  planFeatures,
  sourceColumns,
  transformFeatures,
} from './features.ts';
import { type Booster, DEFAULT_GBM_PARAMS, type GbmParams, predictGbm, trainGbm } from './gbm.ts';

export const MODEL_FORMAT = 'arusha.expected-hit-model';
export const MODEL_VERSION = 1;

export interface ModelFile {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  trainedAt: string;
  label: string;
  id: string | null;
  rows: number;
  positiveRate: number;
  columns: ColumnInfo[];
  features: FeatureDef[];
  params: GbmParams;
  rounds: number;
  validLogLoss: number | null;
  /** Share of the total split gain per feature, largest first. */
  importance: { feature: string; share: number }[];
  booster: Booster;
}

export interface TrainOptions {
  label: string;
  id?: string | null;
  exclude?: string[];
  gbm?: Partial<GbmParams>;
  features?: Partial<FeatureOptions>;
}

/** Pairs of columns worth encoding together, when the file has them (matched by header words). */
const PRODUCT = /(^|[^a-z])hs\d*([^a-z]|$)|tariff|commodity/i;
const PAIR_PATTERNS: [RegExp, RegExp][] = [
  [/importer/i, PRODUCT],
  [/declarant|broker/i, /importer/i],
  [/seller|supplier|exporter/i, PRODUCT],
  [PRODUCT, /origin/i],
];

function defaultPairs(infos: ColumnInfo[]): [string, string][] {
  const cats = infos.filter((i) => i.kind === 'category').map((i) => i.name);
  const pairs: [string, string][] = [];
  for (const [a, b] of PAIR_PATTERNS) {
    const x = cats.find((c) => a.test(c));
    const y = cats.find((c) => b.test(c) && c !== x);
    if (x && y) pairs.push([x, y]);
  }
  return pairs;
}

/** Reads the label column as 0/1; anything else is refused with the row and value. */
export function readLabels(table: ColumnTable, label: string): Uint8Array {
  const col = table.columns.find((c) => c.name === label);
  if (!col) throw invalid('no_label', { label, columns: table.headers.join(', ') });
  const byCode = col.dict.map((v) => (v === '0' ? 0 : v === '1' ? 1 : -1));
  const labels = new Uint8Array(table.rows);
  let positives = 0;
  for (let i = 0; i < table.rows; i++) {
    const y = byCode[col.codes[i]!]!;
    if (y < 0) throw invalid('label_value', { label, row: i + 2, value: col.dict[col.codes[i]!]! });
    labels[i] = y;
    positives += y;
  }
  if (positives === 0 || positives === table.rows)
    throw invalid('label_constant', { label, value: positives ? 1 : 0 });
  return labels;
}

/**
 * The rows whose label is given. An extract leaves the label empty where the outcome is unknown —
 * `offence` on a declaration that was never controlled — so training uses the other rows; any
 * other value than 0 or 1 is still refused by readLabels.
 */
export function labelledRows(table: ColumnTable, label: string): { table: ColumnTable; unlabelled: number } {
  const col = table.columns.find((c) => c.name === label);
  if (!col) return { table, unlabelled: 0 };
  const keep: number[] = [];
  for (let i = 0; i < table.rows; i++) if (col.dict[col.codes[i]!] !== '') keep.push(i);
  if (!keep.length) throw invalid('label_empty', { label });
  const unlabelled = table.rows - keep.length;
  return { table: unlabelled ? subTable(table, Int32Array.from(keep)) : table, unlabelled };
}

export function trainModel(table: ColumnTable, options: TrainOptions): ModelFile {
  const labels = readLabels(table, options.label);
  const id = options.id ?? null;
  if (id && !table.headers.includes(id)) throw invalid('no_id', { id });
  for (const x of options.exclude ?? [])
    if (!table.headers.includes(x)) throw invalid('no_exclude', { column: x });
  const exclude = new Set([options.label, ...(id ? [id] : []), ...(options.exclude ?? [])]);
  let infos = inferColumns(table, exclude);
  const leaks = new Set(leakingColumns(table, infos, labels));
  infos = infos.map((i) => (leaks.has(i.name) ? { ...i, ...ignoredAs('leak', options.label) } : i));
  if (!infos.some((i) => i.kind !== 'ignored')) throw invalid('no_feature');
  const featureOptions = { ...DEFAULT_FEATURE_OPTIONS, pairs: defaultPairs(infos), ...options.features };
  const defs = planFeatures(infos, featureOptions);
  const matrix = fitFeatures(table, defs, labels, featureOptions);
  const params = { ...DEFAULT_GBM_PARAMS, ...options.gbm };
  const result = trainGbm(matrix, labels, params);
  const total = result.importance.reduce((a, b) => a + b, 0) || 1;
  let positives = 0;
  for (const y of labels) positives += y;
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    trainedAt: new Date().toISOString(),
    label: options.label,
    id,
    rows: table.rows,
    positiveRate: positives / table.rows,
    columns: infos,
    features: defs,
    params,
    rounds: result.rounds,
    validLogLoss: result.validLogLoss,
    importance: defs
      .map((d, f) => ({ feature: featureName(d), share: result.importance[f]! / total }))
      .sort((a, b) => b.share - a.share),
    booster: result.booster,
  };
}

/** Scores of a table (probability of a hit per row, in file order). */
export function scoreTable(model: ModelFile, table: ColumnTable): Float64Array {
  const missing = sourceColumns(model.features).filter((c) => !table.headers.includes(c));
  if (missing.length) throw invalid('lacks', { columns: missing.join(', ') });
  return predictGbm(model.booster, transformFeatures(table, model.features), table.rows);
}

/** Parses and checks a model file's JSON. */
export function parseModel(text: string): ModelFile {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    throw invalid('not_json');
  }
  const o = m as Partial<ModelFile> | null;
  if (!o || o.format !== MODEL_FORMAT) throw invalid('not_model');
  if (o.version !== MODEL_VERSION)
    throw invalid('version', { version: String(o.version), supported: MODEL_VERSION });
  if (!Array.isArray(o.features) || !o.booster || !Array.isArray(o.booster.trees))
    throw invalid('incomplete');
  return o as ModelFile;
}

/** Share of positives among the top `fraction` of rows by score (ties broken by row order). */
export function precisionAt(scores: Float64Array, labels: Uint8Array, fraction: number): number {
  const k = Math.max(1, Math.round(scores.length * fraction));
  const order = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
  let hits = 0;
  for (let j = 0; j < k; j++) hits += labels[order[j]!]!;
  return hits / k;
}
