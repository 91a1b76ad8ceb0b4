// `arusha analytics model train|score`: the lead wires registerModelCommands under `analytics`.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { type Locale, t } from '../../../platform/i18n/i18n.ts';
import { csvField } from '../../../platform/tables/tables.ts';
import { ModelInputError, readColumns } from './csv.ts';
import { labelledRows, type ModelFile, parseModel, scoreTable, trainModel } from './model.ts';

export interface TrainCommandOptions {
  label: string;
  id?: string;
  exclude?: string[];
  out: string;
  /** Where progress lines go (stderr by default). */
  log?: (line: string) => void;
  /** The language of the progress lines and of a refusal (English by default). */
  locale?: Locale;
}

export interface ScoreCommandOptions {
  out: string;
  log?: (line: string) => void;
  locale?: Locale;
}

const seconds = (t0: number) => ((performance.now() - t0) / 1000).toFixed(1);

/** A line of the model commands (`analytics.cli.model.<key>`) in the command's language. */
const sayer =
  (locale: Locale = 'en') =>
  (key: string, vars: Record<string, string | number> = {}) =>
    t(locale, `analytics.cli.model.${key}`, vars);

/** A refused file or model said in `locale`: the same error, its message translated. */
function translated(e: unknown, locale: Locale = 'en'): unknown {
  if (!(e instanceof ModelInputError) || locale === 'en') return e;
  return new ModelInputError(e.key, e.vars, t(locale, `analytics.model.error.${e.key}`, e.vars));
}

/** Trains on a labelled CSV and writes the model file; returns the model. */
export async function trainCommand(file: string, o: TrainCommandOptions): Promise<ModelFile> {
  try {
    return await train(file, o);
  } catch (e) {
    throw translated(e, o.locale);
  }
}

async function train(file: string, o: TrainCommandOptions): Promise<ModelFile> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const say = sayer(o.locale);
  const t0 = performance.now();
  const read = await readColumns(path.resolve(file));
  log(say('read', { rows: read.rows, columns: read.headers.length, seconds: seconds(t0) }));
  const { table, unlabelled } = labelledRows(read, o.label);
  if (unlabelled) log(say('unlabelled', { label: o.label, unlabelled, rows: table.rows }));
  const t1 = performance.now();
  const model = trainModel(table, { label: o.label, id: o.id ?? null, exclude: o.exclude ?? [] });
  for (const c of model.columns) {
    const kind = say(`kind.${c.kind}`);
    log(
      c.why
        ? say('column_why', {
            name: c.name,
            kind,
            why: t(o.locale ?? 'en', `analytics.model.why.${c.why}`, { label: o.label }),
          })
        : say('column', { name: c.name, kind }),
    );
  }
  const trained = { seconds: seconds(t1), trees: model.rounds, features: model.features.length };
  log(
    model.validLogLoss === null
      ? say('trained', trained)
      : say('trained_loss', { ...trained, loss: model.validLogLoss.toFixed(4) }),
  );
  fs.writeFileSync(path.resolve(o.out), JSON.stringify(model));
  log(say('written', { file: o.out }));
  return model;
}

/** Scores a CSV with a model file and writes `id,score` (the model's id column, else `row`). */
export async function scoreCommand(
  modelFile: string,
  file: string,
  o: ScoreCommandOptions,
): Promise<Float64Array> {
  try {
    return await score(modelFile, file, o);
  } catch (e) {
    throw translated(e, o.locale);
  }
}

async function score(modelFile: string, file: string, o: ScoreCommandOptions): Promise<Float64Array> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const say = sayer(o.locale);
  const model = parseModel(fs.readFileSync(path.resolve(modelFile), 'utf8'));
  const table = await readColumns(path.resolve(file));
  const scores = scoreTable(model, table);
  const idColumn = model.id ? table.columns.find((c) => c.name === model.id) : undefined;
  const key = idColumn ? idColumn.name : 'row';
  if (model.id && !idColumn) log(say('no_id_column', { id: model.id, file }));
  // Written for programs that join the scores back on the id (an evaluation's held-out file), not
  // for spreadsheets: no byte-order mark (Python's csv module would read it into the first header)
  // and ids exactly as in the file — writeTable's apostrophe before = + - @ would break the join.
  const out = fs.openSync(path.resolve(o.out), 'w');
  try {
    let chunk = `${csvField(key)},score\r\n`;
    for (let i = 0; i < scores.length; i++) {
      const id = idColumn ? idColumn.dict[idColumn.codes[i]!]! : String(i + 1);
      chunk += `${csvField(id)},${scores[i]}\r\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(out, chunk);
        chunk = '';
      }
    }
    fs.writeSync(out, chunk);
  } finally {
    fs.closeSync(out);
  }
  log(say('scored', { rows: table.rows, file: o.out }));
  return scores;
}

/**
 * Adds `model train` and `model score` under the given command (e.g. `arusha analytics`);
 * `language` gives the language of their messages when they run (the parent's --lang).
 */
export function registerModelCommands(parent: Command, language: () => Locale = () => 'en'): Command {
  const model = parent.command('model').description('Expected-hit model: risk scoring of declarations');
  model
    .command('train')
    .description('Train a model on a labelled CSV (one row per declaration, a 0/1 label column)')
    .argument('<file>', 'the labelled CSV')
    .requiredOption('--label <column>', 'the 0/1 outcome column, e.g. Fraud')
    .option('--id <column>', 'the declaration id column (not a feature; written beside the scores)')
    .option('--exclude <columns...>', 'other columns that must not be features')
    .requiredOption('--out <model>', 'the model file to write (JSON)')
    .action(async (file: string, o: { label: string; id?: string; exclude?: string[]; out: string }) => {
      await trainCommand(file, { ...o, locale: language() });
    });
  model
    .command('score')
    .description('Score a CSV with a trained model: writes the id column and the score')
    .argument('<model>', 'the model file')
    .argument('<file>', 'the CSV to score')
    .requiredOption('--out <csv>', 'the scores CSV to write')
    .action(async (modelFile: string, file: string, o: { out: string }) => {
      await scoreCommand(modelFile, file, { ...o, locale: language() });
    });
  return model;
}
