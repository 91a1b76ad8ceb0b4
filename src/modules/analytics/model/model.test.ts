import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../platform/errors.ts';
import { scoreCommand, trainCommand } from './cli.ts';
import { readColumns } from './csv.ts';
import { mulberry32 } from '../../../platform/random.ts';
import { registerModelCommands } from './index.ts';
import { parseModel, precisionAt, readLabels, scoreTable } from './model.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-model-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const fixtures = path.join(import.meta.dirname, 'fixtures');
const quiet = { log: () => {} };

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Declarations whose fraud depends on the declarant, the product and the unit value. */
function declarations(n: number, seed: number, delimiter = ','): string {
  const r = mulberry32(seed);
  const lines = [
    ['Declaration ID', 'Date', 'Declarant ID', 'HS6 Code', 'Net Mass', 'Item Price', 'Courier', 'Fraud'],
  ];
  for (let i = 0; i < n; i++) {
    const declarant = Math.floor(r() * 40);
    const hs = ['010121', '440890', '690722', '851712'][Math.floor(r() * 4)]!;
    const mass = 1 + Math.floor(r() * 1000);
    const unit = r() < 0.1 ? 1 : 10;
    const risk = (declarant < 8 ? 0.5 : 0.05) + (hs === '440890' ? 0.25 : 0) + (unit === 1 ? 0.3 : 0);
    const day = String(1 + Math.floor(r() * 28)).padStart(2, '0');
    lines.push([
      `D-${seed}-${i}`,
      `2020-0${1 + Math.floor(r() * 9)}-${day}`,
      `B${declarant}`,
      hs,
      String(mass),
      String(mass * unit),
      r() < 0.7 ? '' : `C${Math.floor(r() * 3)}`,
      r() < risk ? '1' : '0',
    ]);
  }
  return `${lines.map((l) => l.join(delimiter)).join('\n')}\n`;
}

async function rejects(p: Promise<unknown>, message: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AppError, String(e));
    assert.equal(e.status, 422);
    assert.match(e.message, message);
    return true;
  });
}

describe('expected-hit model: train and score', () => {
  it('a model file loaded back scores a new file exactly as the model right after training', async () => {
    const train = write('train.csv', declarations(3000, 1));
    const fresh = write('fresh.csv', declarations(800, 2));
    const out = path.join(dir, 'model.json');
    const model = await trainCommand(train, { label: 'Fraud', id: 'Declaration ID', out, ...quiet });
    const freshTable = await readColumns(fresh);
    const direct = scoreTable(model, freshTable);
    const scoresFile = path.join(dir, 'scores.csv');
    const viaFile = await scoreCommand(out, fresh, { out: scoresFile, ...quiet });
    assert.deepEqual(Array.from(viaFile), Array.from(direct));

    // The scores CSV: the id column as in the file, then the score, row for row.
    const written = await readColumns(scoresFile);
    assert.deepEqual(written.headers, ['Declaration ID', 'score']);
    const ids = written.columns[0]!;
    const sc = written.columns[1]!;
    const inputIds = freshTable.columns[0]!;
    for (let i = 0; i < written.rows; i++) {
      assert.equal(ids.dict[ids.codes[i]!], inputIds.dict[inputIds.codes[i]!]);
      assert.equal(Number(sc.dict[sc.codes[i]!]), direct[i]);
    }
    // It learned something: the riskiest 10 % hold far more frauds than the base rate.
    const labels = readLabels(freshTable, 'Fraud');
    const base = labels.reduce((a, b) => a + b, 0) / labels.length;
    assert.ok(
      precisionAt(direct, labels, 0.1) > base + 0.25,
      `p@10 ${precisionAt(direct, labels, 0.1)} base ${base}`,
    );
    // The file says what it is and how it read the columns.
    const saved = parseModel(fs.readFileSync(out, 'utf8'));
    assert.equal(saved.version, 1);
    assert.equal(saved.columns.find((c) => c.name === 'HS6 Code')?.hsPrefixes, true);
    assert.equal(saved.columns.find((c) => c.name === 'Declaration ID')?.kind, 'ignored');
  });

  it('reads the KCS files with their own headers; Critical Fraud is set aside as a leak of Fraud', async () => {
    const out = path.join(dir, 'kcs.json');
    const model = await trainCommand(path.join(fixtures, 'kcs-train-slice.csv'), {
      label: 'Fraud',
      id: 'Declaration ID',
      out,
      ...quiet,
    });
    const critical = model.columns.find((c) => c.name === 'Critical Fraud')!;
    assert.equal(critical.kind, 'ignored');
    assert.match(critical.note!, /leak/);
    assert.equal(model.columns.find((c) => c.name === 'Office ID')?.kind, 'category');
    assert.equal(model.columns.find((c) => c.name === 'Date')?.kind, 'date');
    assert.ok(model.features.some((f) => f.type === 'unit-value'));
    const scores = await scoreCommand(out, path.join(fixtures, 'kcs-valid-slice.csv'), {
      out: path.join(dir, 'kcs-scores.csv'),
      ...quiet,
    });
    assert.equal(scores.length, 400);
    const head = fs.readFileSync(path.join(dir, 'kcs-scores.csv'), 'utf8').split('\r\n').slice(0, 2);
    assert.equal(
      head[0],
      'Declaration ID,score',
      'no byte-order mark: a program reading the header gets the id column by its name',
    );
    assert.match(head[1]!, /^\d+,0\.\d+/);
  });

  it('reads semicolon-delimited files, and scores without an id column by row number', async () => {
    const train = write('semi.csv', declarations(600, 3, ';'));
    const out = path.join(dir, 'semi.json');
    await trainCommand(train, { label: 'Fraud', out, exclude: ['Declaration ID'], ...quiet });
    await scoreCommand(out, train, { out: path.join(dir, 'semi-scores.csv'), ...quiet });
    const lines = fs.readFileSync(path.join(dir, 'semi-scores.csv'), 'utf8').trimEnd().split('\r\n');
    assert.equal(lines.length, 601);
    assert.equal(lines[0], 'row,score');
    assert.match(lines[600]!, /^600,/);
  });

  it('writes the ids exactly as in the scored file, so scores join back on them', async () => {
    // Ids a spreadsheet guard would prefix with an apostrophe (=, -, +, @), one with a comma, one
    // with a quote, one that looks like a number with leading zeros.
    const ids = ['=1+1', '-17', '+33', '@x', 'A,1', 'say "hi"', '007'];
    const lines = declarations(600, 4).trimEnd().split('\n');
    const train = write('ids.csv', `${lines.join('\n')}\n`);
    const out = path.join(dir, 'ids.json');
    await trainCommand(train, { label: 'Fraud', id: 'Declaration ID', out, ...quiet });
    const quoted = (id: string) => (/[",]/.test(id) ? `"${id.replaceAll('"', '""')}"` : id);
    const body = ids.map((id, i) => `${quoted(id)}${lines[i + 1]!.slice(lines[i + 1]!.indexOf(','))}`);
    const file = write('ids-score.csv', `${[lines[0], ...body].join('\n')}\n`);
    const scores = await scoreCommand(out, file, { out: path.join(dir, 'ids-scores.csv'), ...quiet });
    const text = fs.readFileSync(path.join(dir, 'ids-scores.csv'), 'utf8');
    const parsed = parse(text, { columns: true }) as { 'Declaration ID': string; score: string }[];
    assert.deepEqual(
      parsed.map((r) => r['Declaration ID']),
      ids,
    );
    assert.deepEqual(
      parsed.map((r) => Number(r.score)),
      Array.from(scores),
    );
  });

  it('trains on the rows with a label: an empty one (a declaration never controlled) is left out, not refused', async () => {
    // The canonical extract leaves `offence` empty where it is unknown; blank about a third of the labels.
    const lines = declarations(1200, 6).trimEnd().split('\n');
    const blanked = lines.map((l, i) => (i > 0 && i % 3 === 0 ? l.replace(/,[01]$/, ',') : l));
    const file = write('partly-labelled.csv', `${blanked.join('\n')}\n`);
    const logged: string[] = [];
    const out = path.join(dir, 'partly.json');
    const model = await trainCommand(file, {
      label: 'Fraud',
      id: 'Declaration ID',
      out,
      log: (l) => logged.push(l),
    });
    assert.equal(model.rows, 800);
    assert.ok(
      logged.includes('Left out, with an empty "Fraud" (outcome unknown) — rows: 400; rows to train on: 800'),
      logged.join('\n'),
    );
    // Every row is scored, labelled or not.
    const scores = await scoreCommand(out, file, { out: path.join(dir, 'partly-scores.csv'), ...quiet });
    assert.equal(scores.length, 1200);
    assert.ok(scores.every((x) => x > 0 && x < 1));
  });

  it('refuses bad input with a clear message', async () => {
    const out = path.join(dir, 'bad.json');
    const train = (file: string, label = 'Fraud') => trainCommand(file, { label, out, ...quiet });
    await rejects(train(write('empty.csv', '')), /empty/);
    await rejects(train(write('header.csv', 'a,b,Fraud\n')), /no data rows/);
    await rejects(train(write('two.csv', 'a,Fraud\nx,0\ny,2\n')), /must hold 0 or 1; row 3 holds "2"/);
    await rejects(train(write('yes.csv', 'a,Fraud\nx,yes\n')), /must hold 0 or 1; row 2 holds "yes"/);
    // An empty label is an unknown outcome, left out; what is left must still hold both outcomes.
    await rejects(train(write('blank.csv', 'a,Fraud\nx,1\ny,\n')), /only 1/);
    await rejects(train(write('allblank.csv', 'a,Fraud\nx,\ny,\n')), /empty on every row/);
    await rejects(train(write('zeros.csv', 'a,Fraud\nx,0\ny,0\n')), /only 0/);
    await rejects(train(write('nolabel.csv', 'a,b\nx,0\n'), 'Fraud'), /no label column "Fraud"/);
    await rejects(train(write('ragged.csv', 'a,b,Fraud\nx,1\n')), /Row 2 has 2 cells for 3 columns/);
    await rejects(train(write('dup.csv', 'a,a,Fraud\nx,1,0\n')), /appears twice/);
    await rejects(train(write('binary.csv', 'a,Fraud\n\u0000\u0001,1\n')), /binary data/);
    await rejects(train(write('onlyconst.csv', 'a,Fraud\nx,0\nx,1\n')), /No column/);
    await rejects(
      trainCommand(write('noid.csv', 'a,Fraud\nx,0\ny,1\n'), { label: 'Fraud', id: 'ID', out, ...quiet }),
      /no id column "ID"/,
    );

    // Scoring: a file without a column the model reads; a file that is not a model.
    const model = path.join(dir, 'ok.json');
    await trainCommand(write('ok.csv', declarations(300, 4)), { label: 'Fraud', out: model, ...quiet });
    await rejects(
      scoreCommand(model, write('short.csv', 'Declaration ID,Date\nD1,2020-01-01\n'), { out, ...quiet }),
      /lacks columns the model needs: .*Declarant ID/,
    );
    await rejects(scoreCommand(write('notjson.json', '{'), model, { out, ...quiet }), /not JSON/);
    await rejects(scoreCommand(write('other.json', '{"a":1}'), model, { out, ...quiet }), /not an Arusha/);
    await rejects(
      scoreCommand(write('v9.json', '{"format":"arusha.expected-hit-model","version":9}'), model, {
        out,
        ...quiet,
      }),
      /version 9/,
    );
  });

  it('speaks the language it is given: progress, column notes and refusals (French here)', async () => {
    const lines: string[] = [];
    const fr = { locale: 'fr' as const, log: (l: string) => lines.push(l) };
    const model = path.join(dir, 'fr.json');
    const csv = declarations(300, 6).replace(/\n/, '\nx,,,,,,,\n'); // one row with an unknown outcome
    await trainCommand(write('fr.csv', csv), { label: 'Fraud', out: model, ...fr });
    assert.match(lines[0]!, /^Lu — lignes : 301, colonnes : 8 \(\d+\.\d s\)$/);
    assert.ok(
      lines.includes(
        "Écartées, avec « Fraud » vide (résultat inconnu) — lignes : 1 ; lignes pour l'entraînement : 300",
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('  Declaration ID : ignorée — une valeur différente sur chaque ligne (un identifiant)'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('  Net Mass : nombre'), lines.join('\n'));
    assert.ok(
      lines.some((l) => /^Entraîné en \d+\.\d s — arbres : \d+, variables : \d+/.test(l)),
      lines.join('\n'),
    );
    assert.equal(lines.at(-1), `Modèle écrit dans ${model}`);
    // The model file keeps its English notes: the language is the command's, not the model's.
    assert.ok(
      parseModel(fs.readFileSync(model, 'utf8')).columns.some((c) => c.note?.includes('an identifier')),
    );
    lines.length = 0;
    await scoreCommand(model, write('fr-score.csv', declarations(20, 7)), {
      out: path.join(dir, 'fr-scores.csv'),
      ...fr,
    });
    assert.deepEqual(lines, [`Scoré — lignes : 20 ; écrit dans ${path.join(dir, 'fr-scores.csv')}`]);
    const refused = write('fr-two.csv', 'a,Fraud\nx,0\ny,2\n');
    await rejects(
      trainCommand(refused, { label: 'Fraud', out: model, ...fr }),
      /^La colonne d'étiquette « Fraud » doit contenir 0 ou 1 ; la ligne 3 contient « 2 »$/,
    );
    await rejects(
      scoreCommand(write('fr-notjson.json', '{'), refused, { out: model, ...fr }),
      /^Le fichier de modèle n'est pas du JSON$/,
    );
    // English unless told.
    await rejects(
      trainCommand(refused, { label: 'Fraud', out: model, ...quiet }),
      /^The label column "Fraud" must hold 0 or 1/,
    );
  });

  it('registers `model train` and `model score` under a parent command', async () => {
    const parent = new Command('analytics').exitOverride();
    registerModelCommands(parent);
    const model = path.join(dir, 'cli.json');
    const scores = path.join(dir, 'cli.csv');
    const train = write('cli-train.csv', declarations(400, 5));
    const stderr = process.stderr.write;
    process.stderr.write = () => true;
    try {
      await parent.parseAsync(
        ['model', 'train', train, '--label', 'Fraud', '--id', 'Declaration ID', '--out', model],
        {
          from: 'user',
        },
      );
      await parent.parseAsync(['model', 'score', model, train, '--out', scores], { from: 'user' });
    } finally {
      process.stderr.write = stderr;
    }
    assert.equal(parseModel(fs.readFileSync(model, 'utf8')).id, 'Declaration ID');
    assert.equal(fs.readFileSync(scores, 'utf8').trim().split('\r\n').length, 401);
  });
});
