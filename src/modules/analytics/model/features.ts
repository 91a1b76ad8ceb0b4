// Features from any labelled table: column kinds detected from the values and the header
// names; categorical values encoded by out-of-fold target encoding (with smoothing) and by
// frequency; dates split into parts; a unit value (price / mass) where both columns exist.
import { type Column, type ColumnTable, invalid } from './csv.ts';
import { t } from '../../../platform/i18n/i18n.ts';
import { mulberry32 } from '../../../platform/random.ts';

export type ColumnKind = 'number' | 'category' | 'date' | 'ignored';
export type IgnoredWhy = 'excluded' | 'empty' | 'constant' | 'identifier' | 'leak';

export interface ColumnInfo {
  name: string;
  kind: ColumnKind;
  distinct: number;
  /** Why a column is ignored: a key of `analytics.model.why`, said in the CLI's --lang. */
  why?: IgnoredWhy;
  /** The same in English, for the model file's readers and the KCS evaluation. */
  note?: string;
  /** Categorical product codes (HS): also encode their 2- and 4-digit prefixes. */
  hsPrefixes?: boolean;
}

export type DatePart = 'month' | 'weekday' | 'day';

/** A categorical grouping: one column (optionally its first `prefix` characters) or a pair. */
export interface Grouping {
  columns: string[];
  prefix: number | null;
}

export type FeatureDef =
  | { type: 'number'; column: string }
  | { type: 'unit-value'; numerator: string; denominator: string }
  | { type: 'date'; column: string; part: DatePart }
  | (Grouping & { type: 'target'; smoothing: number; prior: number; keys: string[]; values: number[] })
  | (Grouping & { type: 'frequency'; keys: string[]; values: number[] });

export interface FeatureOptions {
  /** Smoothing of the target encoding: weight of the prior, in rows. */
  smoothing: number;
  folds: number;
  seed: number;
  /** Pairs of categorical columns encoded together (names as in the header). */
  pairs: [string, string][];
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { smoothing: 20, folds: 5, seed: 1, pairs: [] };

// Header words that mark a code even when its values look like numbers (office 30, HS 440890).
const CODE_NAME =
  /(^|[^a-z])(id|code|type|use|mode|office|country|indicator|hs\d*|class|category|channel)([^a-z]|$)/i;
const HS_NAME = /(^|[^a-z])(hs\d*|tariff|commodity)([^a-z]|$)/i;
const PRICE_NAME = /price|value|amount/i;
const MASS_NAME = /mass|weight|\bkg\b|quantity/i;
const DATE_VALUE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** What an ignored column is marked with: why, as a key and in English (`label`: a leak's). */
export function ignoredAs(why: IgnoredWhy, label = ''): Pick<ColumnInfo, 'kind' | 'why' | 'note'> {
  return { kind: 'ignored', why, note: t('en', `analytics.model.why.${why}`, { label }) };
}

/** Detects the kind of every column of the table (label and id columns excluded). */
export function inferColumns(table: ColumnTable, exclude: Set<string>): ColumnInfo[] {
  return table.columns.map((c): ColumnInfo => {
    // The values the rows hold: a table of the labelled rows only (subTable) keeps the whole
    // file's dictionary, where an id of the left-out rows would hide an identifier or a constant.
    const used = new Uint8Array(c.dict.length);
    for (const k of c.codes) used[k] = 1;
    const values = used.every((u) => u === 1) ? c.dict : c.dict.filter((_, k) => used[k] === 1);
    const distinct = values.length;
    if (exclude.has(c.name)) return { name: c.name, distinct, ...ignoredAs('excluded') };
    const present = values.filter((v) => v !== '');
    if (present.length === 0) return { name: c.name, distinct, ...ignoredAs('empty') };
    if (distinct === 1) return { name: c.name, distinct, ...ignoredAs('constant') };
    if (present.every((v) => DATE_VALUE.test(v) && !Number.isNaN(Date.parse(v.slice(0, 10)))))
      return { name: c.name, kind: 'date', distinct };
    const numeric = present.every((v) => Number.isFinite(Number(v)) && !/^[+-]?0\d/.test(v));
    if (numeric && !CODE_NAME.test(c.name)) return { name: c.name, kind: 'number', distinct };
    if (distinct === table.rows) return { name: c.name, distinct, ...ignoredAs('identifier') };
    const hs =
      HS_NAME.test(c.name) && present.filter((v) => /^\d{4,}$/.test(v)).length >= present.length * 0.9;
    return hs
      ? { name: c.name, kind: 'category', distinct, hsPrefixes: true }
      : { name: c.name, kind: 'category', distinct };
  });
}

/**
 * Columns whose value alone gives the label on every row (e.g. a "Critical Fraud" grade
 * beside "Fraud"): a leak of the outcome, not a predictor. Only few-valued columns are tested,
 * so that identifiers, unique on every row, are not mistaken for leaks.
 */
export function leakingColumns(table: ColumnTable, infos: ColumnInfo[], labels: Uint8Array): string[] {
  const limit = Math.max(2, Math.floor(table.rows / 100));
  const leaks: string[] = [];
  for (const info of infos) {
    if (info.kind === 'ignored' || info.distinct > limit) continue;
    const col = table.columns.find((c) => c.name === info.name)!;
    const seen = new Int8Array(col.dict.length).fill(-1);
    let pure = true;
    for (let i = 0; i < table.rows && pure; i++) {
      const code = col.codes[i]!;
      const y = labels[i]!;
      if (seen[code] === -1) seen[code] = y;
      else if (seen[code] !== y) pure = false;
    }
    if (pure) leaks.push(info.name);
  }
  return leaks;
}

/** The feature plan for the detected columns (encoders not fitted yet). */
export function planFeatures(infos: ColumnInfo[], options: FeatureOptions): FeatureDef[] {
  const defs: FeatureDef[] = [];
  const groupings: Grouping[] = [];
  for (const info of infos) {
    if (info.kind === 'number') defs.push({ type: 'number', column: info.name });
    else if (info.kind === 'date')
      for (const part of ['month', 'weekday', 'day'] as const)
        defs.push({ type: 'date', column: info.name, part });
    else if (info.kind === 'category') {
      groupings.push({ columns: [info.name], prefix: null });
      if (info.hsPrefixes) for (const prefix of [2, 4]) groupings.push({ columns: [info.name], prefix });
    }
  }
  const numbers = infos.filter((i) => i.kind === 'number').map((i) => i.name);
  const price = numbers.find((n) => PRICE_NAME.test(n));
  const mass = numbers.find((n) => MASS_NAME.test(n));
  if (price && mass) defs.push({ type: 'unit-value', numerator: price, denominator: mass });
  const categories = new Set(infos.filter((i) => i.kind === 'category').map((i) => i.name));
  for (const [a, b] of options.pairs)
    if (categories.has(a) && categories.has(b)) groupings.push({ columns: [a, b], prefix: null });
  for (const g of groupings) {
    defs.push({ type: 'target', ...g, smoothing: options.smoothing, prior: 0, keys: [], values: [] });
    defs.push({ type: 'frequency', ...g, keys: [], values: [] });
  }
  return defs;
}

export function featureName(d: FeatureDef): string {
  switch (d.type) {
    case 'number':
      return d.column;
    case 'unit-value':
      return `log(${d.numerator} / ${d.denominator})`;
    case 'date':
      return `${d.column}: ${d.part}`;
    default: {
      const base = d.columns.join(' × ') + (d.prefix ? ` [first ${d.prefix}]` : '');
      return `${base}: ${d.type === 'target' ? 'target rate' : 'frequency'}`;
    }
  }
}

function column(table: ColumnTable, name: string): Column {
  const c = table.columns.find((x) => x.name === name);
  if (!c) throw invalid('needs_column', { column: name });
  return c;
}

/** One code per row for a grouping, and the key (text) of each code. */
function groupCodes(table: ColumnTable, g: Grouping): { codes: Int32Array; keys: string[] } {
  const first = column(table, g.columns[0]!);
  const keyOf = (v: string) => (g.prefix ? v.slice(0, g.prefix) : v);
  const map = new Map<string, number>();
  const keys: string[] = [];
  const intern = (key: string) => {
    let code = map.get(key);
    if (code === undefined) {
      code = keys.length;
      keys.push(key);
      map.set(key, code);
    }
    return code;
  };
  const firstCodes = Int32Array.from(first.dict, (v) => intern(keyOf(v)));
  const codes = new Int32Array(table.rows);
  if (g.columns.length === 1) {
    for (let i = 0; i < table.rows; i++) codes[i] = firstCodes[first.codes[i]!]!;
    return { codes, keys };
  }
  const second = column(table, g.columns[1]!);
  const singles = keys.slice();
  map.clear();
  keys.length = 0;
  const pairCode = new Map<number, number>();
  const width = second.dict.length;
  for (let i = 0; i < table.rows; i++) {
    const a = firstCodes[first.codes[i]!]!;
    const b = second.codes[i]!;
    const k = a * width + b;
    let code = pairCode.get(k);
    if (code === undefined) {
      code = intern(`${singles[a]}\u001f${second.dict[b]}`);
      pairCode.set(k, code);
    }
    codes[i] = code;
  }
  return { codes, keys };
}

function numbers(c: Column): Float64Array {
  return Float64Array.from(c.dict, (v) => {
    const x = v === '' ? Number.NaN : Number(v);
    return Number.isFinite(x) ? x : Number.NaN;
  });
}

function dateParts(c: Column, part: DatePart): Float64Array {
  return Float64Array.from(c.dict, (v) => {
    const t = Date.parse(v.slice(0, 10));
    if (!DATE_VALUE.test(v) || Number.isNaN(t)) return Number.NaN;
    const d = new Date(t);
    return part === 'month' ? d.getUTCMonth() + 1 : part === 'weekday' ? d.getUTCDay() : d.getUTCDate();
  });
}

function byCode(values: Float64Array, c: Column, rows: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = values[c.codes[i]!]!;
  return out;
}

function unitValue(table: ColumnTable, d: { numerator: string; denominator: string }): Float64Array {
  const num = column(table, d.numerator);
  const den = column(table, d.denominator);
  const a = byCode(numbers(num), num, table.rows);
  const b = byCode(numbers(den), den, table.rows);
  for (let i = 0; i < table.rows; i++) {
    const r = a[i]! > 0 && b[i]! > 0 ? Math.log(a[i]! / b[i]!) : Number.NaN;
    a[i] = Number.isFinite(r) ? r : Number.NaN;
  }
  return a;
}

/**
 * Fits the encoders on the training table and returns the training matrix. Target encoding of
 * a training row uses only the rows of the other folds (out-of-fold), so a row's own label
 * never enters its features; the fitted encoder (all rows) serves new files.
 */
export function fitFeatures(
  table: ColumnTable,
  defs: FeatureDef[],
  labels: Uint8Array,
  options: FeatureOptions,
): Float64Array[] {
  const n = table.rows;
  const k = Math.max(2, options.folds);
  const random = mulberry32(options.seed ^ 0x5bd1e995);
  const fold = new Uint8Array(n);
  for (let i = 0; i < n; i++) fold[i] = Math.floor(random() * k);
  // The prior of a fold's rows is also taken from the other folds: nothing of a row's label.
  const foldPositives = new Float64Array(k);
  const foldRows = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    foldPositives[fold[i]!] = foldPositives[fold[i]!]! + labels[i]!;
    foldRows[fold[i]!] = foldRows[fold[i]!]! + 1;
  }
  const positives = foldPositives.reduce((a, b) => a + b, 0);
  const prior = positives / n;
  const foldPrior = Float64Array.from(
    foldRows,
    (r, f) => (positives - foldPositives[f]!) / Math.max(1, n - r),
  );
  return defs.map((d) => {
    if (d.type === 'target') {
      const { codes, keys } = groupCodes(table, d);
      const g = keys.length;
      const sum = new Float64Array(g);
      const count = new Float64Array(g);
      const foldSum = new Float64Array(g * k);
      const foldCount = new Float64Array(g * k);
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        const j = fold[i]! * g + c;
        sum[c] = sum[c]! + labels[i]!;
        count[c] = count[c]! + 1;
        foldSum[j] = foldSum[j]! + labels[i]!;
        foldCount[j] = foldCount[j]! + 1;
      }
      const m = d.smoothing;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        const j = fold[i]! * g + c;
        out[i] = (sum[c]! - foldSum[j]! + m * foldPrior[fold[i]!]!) / (count[c]! - foldCount[j]! + m);
      }
      d.prior = prior;
      d.keys = keys;
      d.values = Array.from(keys, (_, c) => (sum[c]! + m * prior) / (count[c]! + m));
      return out;
    }
    if (d.type === 'frequency') {
      const { codes, keys } = groupCodes(table, d);
      const count = new Float64Array(keys.length);
      for (let i = 0; i < n; i++) count[codes[i]!] = count[codes[i]!]! + 1;
      d.keys = keys;
      d.values = Array.from(count, (c) => c / n);
      return byCode(Float64Array.from(d.values), { name: '', dict: keys, codes }, n);
    }
    return transformOne(table, d);
  });
}

function transformOne(table: ColumnTable, d: FeatureDef): Float64Array {
  const n = table.rows;
  switch (d.type) {
    case 'number': {
      const c = column(table, d.column);
      return byCode(numbers(c), c, n);
    }
    case 'date': {
      const c = column(table, d.column);
      return byCode(dateParts(c, d.part), c, n);
    }
    case 'unit-value':
      return unitValue(table, d);
    default: {
      const { codes, keys } = groupCodes(table, d);
      const fitted = new Map<string, number>();
      for (let j = 0; j < d.keys.length; j++) fitted.set(d.keys[j]!, d.values[j]!);
      const unseen = d.type === 'target' ? d.prior : 0;
      const values = Float64Array.from(keys, (key) => fitted.get(key) ?? unseen);
      return byCode(values, { name: '', dict: keys, codes }, n);
    }
  }
}

/** The feature matrix of a new table with fitted encoders (unseen categories → prior / 0). */
export function transformFeatures(table: ColumnTable, defs: FeatureDef[]): Float64Array[] {
  return defs.map((d) => transformOne(table, d));
}

/** Source columns a feature plan reads. */
export function sourceColumns(defs: FeatureDef[]): string[] {
  const s = new Set<string>();
  for (const d of defs) {
    if (d.type === 'number' || d.type === 'date') s.add(d.column);
    else if (d.type === 'unit-value') {
      s.add(d.numerator);
      s.add(d.denominator);
    } else for (const c of d.columns) s.add(c);
  }
  return [...s];
}
