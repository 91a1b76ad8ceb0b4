import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { type FunnelIndicator, indicatorById } from './analytics.catalogue.ts';
import { type AnalyticsEngine, exists, lit, num } from './analytics.engine.ts';
import { hasProcedure } from './analytics.indicators.ts';
import { type ColumnTable, TableBuilder } from './model/csv.ts';
import { FoldTrainingError, trainFolds } from './model/folds.ts';
import { DEFAULT_GBM_PARAMS, type GbmParams } from './model/gbm.ts';
import { MODEL_VERSION, type ModelFile, scoreTable } from './model/model.ts';

/**
 * Expected hits for I6 (docs/adr/0026, "Expected hits for I6"): the expected-hit model trained
 * on a dataset version's controlled declarations (I6's filter) with I6's hit as the label, and
 * each controlled declaration's hit probability from the model of the folds it is not in (k-fold
 * by declaration id), so no probability comes from a model that saw its own label. The
 * probabilities go to a Parquet file beside the version's (`<version>.hits-<key>.parquet`, key =
 * hash of the definition and parameters, with a `.json` summary); a later run over the same
 * version reuses them. Rows pass between DuckDB and the model as interned columns and typed
 * arrays, a chunk at a time; training runs on a worker thread.
 */
export interface ExpectedHitsOptions {
  /** Folds by declaration id (the catalogue's I6 `folds` by default). */
  folds?: number;
  /** At most this many controlled declarations train the models (a sample by id hash); all are scored. */
  sample?: number;
  /** The model only with at least this many controlled declarations … */
  minControlled?: number;
  /** … and this many of each class (hits, non-hits); the strata otherwise. */
  minClass?: number;
  gbm?: Partial<GbmParams>;
  /** Rows scored per batch. */
  batch?: number;
  onProgress?: (p: ExpectedHitsProgress) => void;
}

export interface ExpectedHitsProgress {
  stage: 'reading' | 'training' | 'scoring' | 'writing';
  /** Folds whose declarations are scored so far. */
  done: number;
  folds: number;
}

/** Why a version's I6 falls back to the office × channel average. */
export type FallbackReason = 'too_few_controlled' | 'one_class' | 'few_of_a_class' | 'model_failed';

export interface ExpectedHits {
  method: 'model' | 'strata';
  reason: FallbackReason | null;
  /** The model library's message when training failed. */
  note?: string;
  /** The out-of-fold probabilities (declaration_id, p, fold); null for the strata. */
  file: string | null;
  key: string;
  /** Which model: the library's model format, this file's method (folds, calibration) and I6's
   * version — the parts of the key a reader can name — and the features it learned from. */
  modelVersion: number;
  hitsVersion: number;
  indicatorVersion: number;
  features: string[];
  /** When the probabilities were computed (ISO 8601; a reuse keeps the first time); null for the strata. */
  trainedAt: string | null;
  controlled: number;
  hits: number;
  /** Controlled declarations the models learned from (the sample). */
  trainingRows: number;
  folds: number;
  /** Reused from an earlier run over the same version. */
  cached: boolean;
  /** Wall seconds to train and score (0 when cached). */
  seconds: number;
  /** Out-of-fold quality: AUC and log-loss (of the calibrated probabilities). */
  auc: number | null;
  logLoss: number | null;
  /** Σp after calibration (= the hits) and of the models' own probabilities, and the logit shift. */
  expectedTotal: number | null;
  modelTotal: number | null;
  shift: number | null;
  rounds: number[];
  importance: { feature: string; share: number }[];
}

/** I6's definition: the filter, label and feature columns the model uses. */
function definition(): FunnelIndicator {
  const i = indicatorById('I6');
  if (i?.kind !== 'funnel' || !i.formula.features) throw new Error('I6 has no expected-hit model');
  return i;
}

/** The canonical columns the model reads (never the officer, never the outcome). */
export const hitFeatures = () => String(definition().formula.features).split(/,\s*/);

function settings(o: ExpectedHitsOptions) {
  const f = definition().formula;
  return {
    folds: o.folds ?? Number(f.folds),
    sample: o.sample ?? Number(f.sample),
    minControlled: o.minControlled ?? Number(f.min_controlled),
    minClass: o.minClass ?? Number(f.min_class),
    gbm: { ...DEFAULT_GBM_PARAMS, ...o.gbm },
  };
}

/** How the probabilities file is made (folds, calibration): a change here is a new number. */
const HITS_VERSION = 1;

/**
 * The cache key: this file's and the model library's versions, I6's definition, the parameters,
 * and whether the version's procedure codes are a feature (only then in the key, so a version
 * without them keeps the key, and the probabilities, it had).
 */
export function hitsKey(o: ExpectedHitsOptions = {}, procedure = false): string {
  const i = definition();
  const s = settings(o);
  const what = { hits: HITS_VERSION, model: MODEL_VERSION, i6: [i.version, i.formula], s };
  return createHash('sha256')
    .update(JSON.stringify(procedure ? { ...what, features: [...hitFeatures(), 'procedure'] } : what))
    .digest('hex')
    .slice(0, 16);
}

/** The model a key stands for, in the words of the run's record. */
const modelOf = (features: string[]) => ({
  modelVersion: MODEL_VERSION,
  hitsVersion: HITS_VERSION,
  indicatorVersion: definition().version,
  features,
});

/** The probabilities file of a version's Parquet file for a key (paths only from the engine's). */
export function hitsFile(parquet: string, key: string): string {
  if (!/^[0-9a-f]{16}$/.test(key) || !parquet.endsWith('.parquet')) throw new Error('invalid hits key');
  return `${parquet.slice(0, -'.parquet'.length)}.hits-${key}.parquet`;
}
const summaryFile = (file: string) => file.replace(/\.parquet$/, '.json');

/**
 * The expected-hit probabilities of a version's controlled declarations: cached, computed, or
 * — below the thresholds, or when training fails — the strata fallback (method 'strata').
 */
export async function expectedHits(
  engine: AnalyticsEngine,
  parquet: string,
  o: ExpectedHitsOptions = {},
): Promise<ExpectedHits> {
  const s = settings(o);
  // The customs procedure is a feature when the version has codes (issue 5, "same office,
  // channel, procedure, product risk"); without them the model is the one it always was.
  const procedure = await engine.with((c) => hasProcedure(c, `read_parquet(${lit(parquet)})`));
  const key = hitsKey(o, procedure);
  const file = hitsFile(parquet, key);
  const features = procedure ? [...hitFeatures(), 'procedure'] : hitFeatures();
  if ((await exists(file)) && (await exists(summaryFile(file)))) {
    const cached = JSON.parse(await fs.readFile(summaryFile(file), 'utf8')) as ExpectedHits;
    // The key fixes the versions and features; a summary written before they were recorded
    // takes them from it, and the file's time as when it was trained.
    const trainedAt = cached.trainedAt ?? (await fs.stat(file)).mtime.toISOString();
    return { ...modelOf(features), ...cached, trainedAt, file, cached: true, seconds: 0 };
  }
  const f = definition().formula;
  const t0 = performance.now();
  const base: ExpectedHits = {
    method: 'strata',
    reason: null,
    file: null,
    key,
    ...modelOf(features),
    trainedAt: null,
    controlled: 0,
    hits: 0,
    trainingRows: 0,
    folds: s.folds,
    cached: false,
    seconds: 0,
    auc: null,
    logLoss: null,
    expectedTotal: null,
    modelTotal: null,
    shift: null,
    rounds: [],
    importance: [],
  };
  const progress = (stage: ExpectedHitsProgress['stage'], done: number) =>
    o.onProgress?.({ stage, done, folds: s.folds });
  return engine.with(async (c) => {
    progress('reading', 0);
    await c.run(`CREATE OR REPLACE TEMP TABLE ctl AS
      SELECT (row_number() OVER () - 1)::INTEGER AS rid, declaration_id,
             (hash(declaration_id) % ${s.folds})::UTINYINT AS fold,
             hash(declaration_id || '|sample') AS h,
             (${f.y})::INTEGER::VARCHAR AS hit,
             ${features.map((x) => `${x}::VARCHAR AS ${x}`).join(', ')}
      FROM read_parquet(${lit(parquet)}) WHERE ${f.filter} AND declaration_id IS NOT NULL`);
    const [count] = await engine.rows<{ n: number; hits: number }>(
      c,
      `SELECT count(*) AS n, coalesce(sum(hit::INTEGER), 0) AS hits FROM ctl`,
    );
    const controlled = num(count?.n) ?? 0;
    const hits = num(count?.hits) ?? 0;
    const counts = { ...base, controlled, hits };
    if (controlled < s.minControlled) return { ...counts, reason: 'too_few_controlled' };
    if (hits === 0 || hits === controlled) return { ...counts, reason: 'one_class' };
    if (Math.min(hits, controlled - hits) < s.minClass) return { ...counts, reason: 'few_of_a_class' };

    // The training sample (all controlled declarations up to `sample`), with each row's fold.
    const sql = `SELECT fold, hit, ${features.join(', ')} FROM ctl ORDER BY h LIMIT ${s.sample}`;
    let table: ColumnTable | null = null;
    let foldOf = new Uint8Array(0);
    for await (const b of batches(c, sql, ['hit', ...features], Number.POSITIVE_INFINITY)) {
      table = b.table;
      foldOf = Uint8Array.from(b.first);
    }
    if (!table) throw new Error('expected hits: no training rows');
    await c.run('CREATE OR REPLACE TEMP TABLE oof (rid INTEGER, p DOUBLE)');
    const rounds: number[] = [];
    let first: ModelFile | null = null;
    try {
      progress('training', 0);
      for await (const m of trainFolds({
        table,
        fold: foldOf,
        folds: s.folds,
        options: { label: 'hit', gbm: s.gbm },
      })) {
        first ??= m.model;
        rounds.push(m.model.rounds);
        progress('scoring', m.fold);
        await scoreFold(c, m.model, m.fold, features, o.batch ?? 65_536);
        progress(m.fold + 1 < s.folds ? 'training' : 'writing', m.fold + 1);
      }
    } catch (e) {
      // A fold the library refuses (one class in a fold, no usable feature): the strata serve.
      if (!(e instanceof FoldTrainingError)) throw e;
      return { ...counts, trainingRows: table.rows, reason: 'model_failed', note: e.message };
    }
    const [raw] = await engine.rows<{ n: number; sp: number }>(
      c,
      'SELECT count(*) AS n, sum(p) AS sp FROM oof',
    );
    if ((num(raw?.n) ?? 0) !== controlled)
      throw new Error('expected hits: not every controlled declaration was scored');
    const shift = await calibrate(engine, c, hits);
    const [q] = await engine.rows<{ auc: number; log_loss: number; sp: number }>(
      c,
      `WITH r AS (SELECT hit::INTEGER AS y, p,
                         rank() OVER (ORDER BY p) + (count(*) OVER (PARTITION BY p) - 1) / 2.0 AS rk
                  FROM ctl JOIN (SELECT rid, ${calibrated(shift)} AS p FROM oof) USING (rid))
       SELECT sum(p) AS sp,
              avg(-(y * ln(greatest(p, 1e-15)) + (1 - y) * ln(greatest(1 - p, 1e-15)))) AS log_loss,
              (sum(rk) FILTER (WHERE y = 1) - sum(y) * (sum(y) + 1) / 2.0) / (sum(y) * (count(*) - sum(y)))::DOUBLE AS auc
       FROM r`,
    );
    const tmp = `${file}.tmp`;
    await c.run(
      `COPY (SELECT declaration_id, ${calibrated(shift)} AS p, p AS p_model, fold FROM ctl JOIN oof USING (rid))
       TO ${lit(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    const result: ExpectedHits = {
      ...counts,
      method: 'model',
      file,
      trainedAt: new Date().toISOString(),
      trainingRows: table.rows,
      seconds: (performance.now() - t0) / 1000,
      auc: num(q?.auc),
      logLoss: num(q?.log_loss),
      expectedTotal: num(q?.sp),
      modelTotal: num(raw?.sp),
      shift,
      rounds,
      importance: (first?.importance ?? []).slice(0, 10),
    };
    await fs.writeFile(`${summaryFile(file)}.tmp`, JSON.stringify(result));
    await fs.rename(tmp, file);
    await fs.rename(`${summaryFile(file)}.tmp`, summaryFile(file));
    await c.run('DROP TABLE IF EXISTS ctl; DROP TABLE IF EXISTS oof');
    return result;
  });
}

/** A probability `p` (column of oof) moved by `shift` on the logit scale. */
const calibrated = (shift: number) =>
  `1 / (1 + exp(-(ln(greatest(least(p, 1 - 1e-12), 1e-12) / (1 - greatest(least(p, 1 - 1e-12), 1e-12))) + ${shift})))`;

/**
 * Calibration in the large: the logit shift δ with Σ sigmoid(logit p + δ) = the hits (Newton's
 * method), so that, as with the strata, the expected hits of all officers add up to the observed
 * ones and the funnel compares officers with each other, not with a model a few per cent off
 * overall (measured: −1.6 % at 1 M declarations, −9 % to +13 % at a few thousand). One number
 * from every label, as a stratum mean is; each probability itself still comes from a model that
 * never saw its declaration's label (the file keeps it as p_model).
 */
async function calibrate(engine: AnalyticsEngine, c: DuckDBConnection, hits: number): Promise<number> {
  let shift = 0;
  for (let k = 0; k < 30; k++) {
    const [r] = await engine.rows<{ e: number; d: number }>(
      c,
      `SELECT sum(q) AS e, sum(q * (1 - q)) AS d FROM (SELECT ${calibrated(shift)} AS q FROM oof)`,
    );
    const gap = hits - (r?.e ?? hits);
    if (!r || !(r.d > 0) || Math.abs(gap) < 1e-9 * Math.max(1, hits)) break;
    shift += gap / r.d;
  }
  return shift;
}

/**
 * A query's rows as column tables of at most `size` rows, read a DuckDB chunk (2,048 rows) at a
 * time: the first column as numbers (the fold, or the row id), the others as text (NULL →
 * empty) interned by the model library — never one object per row.
 */
async function* batches(
  c: DuckDBConnection,
  sql: string,
  headers: string[],
  size: number,
): AsyncGenerator<{ table: ColumnTable; first: Int32Array }> {
  const result = await c.stream(sql);
  let b = new TableBuilder(headers);
  let first = new Int32Array(1024);
  const out = () => ({ table: b.table(), first: first.subarray(0, b.rows) });
  for await (const chunk of result) {
    const n = chunk.rowCount;
    b.reserve(n);
    if (first.length < b.rows + n) {
      const grown = new Int32Array(Math.max(2 * first.length, b.rows + n));
      grown.set(first);
      first = grown;
    }
    const head = chunk.getColumnVector(0);
    for (let i = 0; i < n; i++) first[b.rows + i] = Number(head.getItem(i));
    for (let col = 0; col < headers.length; col++) {
      const v = chunk.getColumnVector(col + 1);
      for (let i = 0; i < n; i++) {
        const x = v.getItem(i);
        b.set(col, b.rows + i, x === null ? '' : String(x));
      }
    }
    b.commit(n);
    if (b.rows >= size) {
      yield out();
      b = new TableBuilder(headers);
      first = new Int32Array(1024);
    }
  }
  if (b.rows > 0) yield out();
}

/**
 * Scores the declarations of one fold with the model trained without them, a batch at a time.
 * The probabilities are kept in typed arrays (12 bytes a row) and appended once the stream is
 * done: an appender flushes every 204,800 rows on the same connection, and a flush ends the
 * connection's open stream without an error — a fold that size lost the rest of its rows.
 */
async function scoreFold(
  c: DuckDBConnection,
  model: ModelFile,
  fold: number,
  features: string[],
  batch: number,
) {
  const scored: { rid: Int32Array; p: Float64Array }[] = [];
  const sql = `SELECT rid, ${features.join(', ')} FROM ctl WHERE fold = ${fold}`;
  for await (const { table, first } of batches(c, sql, features, batch))
    scored.push({ rid: first.slice(), p: scoreTable(model, table) });
  const appender = await c.createAppender('oof', 'main', 'temp');
  try {
    for (const { rid, p } of scored)
      for (let i = 0; i < rid.length; i++) {
        appender.appendInteger(rid[i] as number);
        appender.appendDouble(p[i] as number);
        appender.endRow();
      }
  } finally {
    appender.closeSync();
  }
}

/** Whether a run's catalogue ({id: version}) holds the I6 that is expected from the model. */
export const wantsExpectedHits = (catalogue: Record<string, number>) => catalogue.I6 === definition().version;

/**
 * What a run records of its expected hits (the run's `params.expectedHits`): the method, why
 * the strata served, and the model's figures — not the file's path (the key finds it again).
 */
export function hitsSummary(h: ExpectedHits) {
  const { file: _file, importance: _importance, ...rest } = h;
  return rest;
}

/**
 * The probabilities file a finished run used for I6 (from its params) while it is kept, or null
 * (the strata served, or the file is gone).
 */
export async function runHitsFile(params: unknown, parquet: string): Promise<string | null> {
  const h = (params as { expectedHits?: Partial<ExpectedHits> } | null)?.expectedHits;
  if (h?.method !== 'model' || typeof h.key !== 'string') return null;
  const file = hitsFile(parquet, h.key);
  return (await exists(file)) ? file : null;
}
