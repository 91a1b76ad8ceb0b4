import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// `arusha analytics import` and `arusha analytics run --json` as an operator runs them: child
// processes on a fresh embedded data folder, a generated extract with planted anomalies.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ORG = 'Norland Customs (demo)';

function arusha(dataDir: string, ...args: string[]) {
  return arushaWith({}, dataDir, ...args);
}

/** The CLI with `env` over the test's environment (no language of the machine's: English). */
function arushaWith(env: Record<string, string>, dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ARUSHA_LANG: '',
      LANG: 'C.UTF-8',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'development',
      ...env,
    },
    encoding: 'utf8',
    timeout: 300_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('arusha analytics --lang: an unknown language is a usage error', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-cli-lang-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses --lang de and ARUSHA_LANG=xx with exit code 1 (as every bad option), naming the languages, before doing anything', () => {
    const file = path.join(dataDir, 'x.csv');
    fs.writeFileSync(file, 'declaration_id\n1\n');
    for (const [env, args, message] of [
      [
        {},
        ['import', file, '--lang', 'de'],
        /^--lang de: unknown language; use one of en, fr, es, ru, ar, pt$/m,
      ],
      [{}, ['run', '--dataset', 'x', '--lang', 'FR'], /^--lang FR: unknown language/m],
      [{}, ['mapping', 'list', '--lang', ''], /^--lang : unknown language/m],
      [{ ARUSHA_LANG: 'xx' }, ['mapping', 'list'], /^ARUSHA_LANG=xx: unknown language; use one of en, fr/m],
      // Refused in the language the next choice down gives: ARUSHA_LANG, then LANG.
      [
        { ARUSHA_LANG: 'fr' },
        ['import', file, '--lang', 'de'],
        /^--lang de : langue inconnue ; utilisez l’une de en, fr/m,
      ],
      [
        { ARUSHA_LANG: 'xx', LANG: 'es_ES.UTF-8' },
        ['mapping', 'list'],
        /^ARUSHA_LANG=xx: idioma desconocido; use uno de en/m,
      ],
    ] as const) {
      const r = arushaWith(env, dataDir, 'analytics', ...args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(fs.readdirSync(dataDir), ['x.csv'], 'no database opened, nothing written');
    // --lang is in every analytics subcommand's help.
    for (const cmd of [['import'], ['run'], ['mapping', 'save'], ['model', 'train']]) {
      const help = arusha(dataDir, 'analytics', ...cmd, '--help');
      assert.match(
        help.stdout,
        /--lang <code> +language of the messages: en, fr, es, ru, ar,/,
        cmd.join(' '),
      );
    }
  });
});

describe('arusha analytics model --lang: the model commands speak it too', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-cli-model-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a refused training file is explained in Arabic, with exit code 1 and nothing written', () => {
    const file = path.join(dataDir, 'labels.csv');
    fs.writeFileSync(file, 'a,Fraud\nx,0\ny,2\n');
    const out = path.join(dataDir, 'model.json');
    const r = arusha(
      dataDir,
      'analytics',
      'model',
      'train',
      file,
      '--label',
      'Fraud',
      '--out',
      out,
      '--lang',
      'ar',
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /يجب أن يحتوي عمود التسمية «Fraud» على 0 أو 1؛ السطر 3 يحتوي على «2»/);
    assert.ok(!fs.existsSync(out));
  });
});

describe('arusha analytics run: the period is checked before a run is recorded', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-cli-period-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a day that is not a day and a period that ends before it starts', () => {
    const id = '01a22601-6d7e-7974-a3bc-6ae3d0f93799';
    for (const [args, message] of [
      [['--from', 'notadate'], /--from notadate: write a day as YYYY-MM-DD/],
      [['--to', '2025-13-45'], /--to 2025-13-45: write a day as YYYY-MM-DD/],
      [['--from', '2025-02-30'], /--from 2025-02-30: write a day/],
      [['--from', '2026-01-01', '--to', '2025-01-01'], /--from 2026-01-01 must be before --to 2025-01-01/],
      [['--from', '2025-01-01', '--to', '2025-01-01'], /must be before/],
      [['--to', 'demain', '--lang', 'fr'], /^--to demain : écrivez un jour au format AAAA-MM-JJ$/m],
      [
        ['--from', '2026-01-01', '--to', '2025-01-01', '--lang', 'ru'],
        /^--from 2026-01-01 должен быть раньше --to 2025-01-01/m,
      ],
    ] as const) {
      const r = arusha(dataDir, 'analytics', 'run', '--dataset', id, '--json', ...args);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '', 'no alert printed');
    }
  });
});

describe('arusha demo-data declarations: its options are checked', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-demo-data-options-'));
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a seed or a row count that is not a whole number, an unusable delimiter and a missing folder', () => {
    const out = path.join(dataDir, 'x.csv');
    for (const [args, message] of [
      [['--rows', '5', '--seed', 'abc'], /--seed must be an integer/],
      [['--rows', '5', '--seed', '1.5'], /--seed must be an integer/],
      [['--rows', '12abc'], /--rows must be a positive integer/],
      [['--rows', '0'], /--rows must be a positive integer/],
      [['--rows', '5', '--delimiter', '"'], /--delimiter must be one character/],
      [['--rows', '5', '--delimiter', ';;'], /--delimiter must be one character/],
    ] as const) {
      const r = arusha(dataDir, 'demo-data', 'declarations', ...args, '--out', out);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(fs.existsSync(out), false, 'nothing written');
    }
    const missing = path.join(dataDir, 'no-such-folder', 'x.csv');
    const r = arusha(dataDir, 'demo-data', 'declarations', '--rows', '5', '--out', missing);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no-such-folder\/x\.csv: no such folder/);
    assert.doesNotMatch(r.stderr, /Unhandled 'error' event/);
    // Negative seeds are seeds; a semicolon is a delimiter.
    const ok = arusha(
      dataDir,
      'demo-data',
      'declarations',
      '--rows',
      '5',
      '--seed',
      '-3',
      '--delimiter',
      ';',
      '--out',
      out,
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(fs.readFileSync(out, 'utf8').split('\n')[0] ?? '', /^declaration_id;office_code;/);
  });
});

describe('arusha analytics CLI: import and run --json', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-cli-'));
  const csv = path.join(dataDir, 'extract.csv');
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints one JSON object per alert with the fields of issue 5, planted subjects among them', () => {
    let r = arusha(dataDir, 'seed-demo');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    r = arusha(
      dataDir,
      'demo-data',
      'declarations',
      '--rows',
      '6000',
      '--seed',
      '5',
      '--plant',
      '--out',
      csv,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const truth = JSON.parse(fs.readFileSync(`${csv}.truth.json`, 'utf8'));

    r = arusha(dataDir, 'analytics', 'import', csv, '--dataset', 'CLI extract', '--org', ORG);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const m =
      /Dataset "CLI extract" version 1 \(([0-9a-f-]{36})\): imported, 6000 of 6000 rows imported, 0 rejected/.exec(
        r.stdout,
      );
    assert.ok(m, r.stdout);
    // The same file again is recognised (content hash) and refused.
    const again = arusha(dataDir, 'analytics', 'import', csv, '--dataset', 'CLI extract', '--org', ORG);
    assert.notEqual(again.code, 0);
    assert.match(again.stdout + again.stderr, /already imported as version 1/);

    r = arusha(dataDir, 'analytics', 'run', '--dataset', m[1] as string, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(alerts.length > 0, 'alerts printed');
    for (const a of alerts) {
      for (const k of ['indicator', 'subject_type', 'subject_id', 'observed', 'expected', 'limit', 'score'])
        assert.ok(k in a, `${k} in ${JSON.stringify(a)}`);
      assert.match(a.indicator as string, /^I\d+$/);
      for (const k of ['observed', 'expected', 'limit', 'score']) assert.equal(typeof a[k], 'number', k);
      if (a.subject_type === 'pair') {
        assert.equal(a.subject_id, `${a.officer_id}/${a.declarant_id}`);
        // Flagged pairs meet more often than expected, at least the limit count.
        assert.ok(
          (a.observed as number) >= (a.limit as number) && (a.observed as number) > (a.expected as number),
        );
      } else assert.equal(a.subject_type, 'officer');
    }
    const pairs = alerts.filter((a) => a.subject_type === 'pair');
    const planted = new Set(
      truth.collusivePairs.map(
        (p: { officer_id: string; declarant_id: string }) => `${p.officer_id}/${p.declarant_id}`,
      ),
    );
    assert.ok(pairs.length > 0 && pairs.every((p) => planted.has(p.subject_id)), JSON.stringify(pairs));
    const slow = alerts.find((a) => a.indicator === 'I2' && truth.slowProcessing.includes(a.subject_id));
    assert.ok(slow, 'a planted slow officer is flagged on I2');
    assert.ok((slow.observed as number) > (slow.limit as number), 'beyond its limit');
    for (const a of alerts) {
      assert.match(a.alert_id as string, /^[0-9a-f-]{36}$/);
      assert.equal(a.status, 'new');
      assert.equal(a.new, true, 'the first run raises every alert');
    }
    process.stdout.write(
      `# ${alerts.length} alerts, ${pairs.length} pairs (all planted); I2 ${slow.subject_id} observed ${slow.observed} limit ${slow.limit}\n`,
    );

    // A second run over the same version and period raises nothing new, and still prints every
    // alert its results support, with its current status.
    const lines = (out: string) =>
      out
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    r = arusha(dataDir, 'analytics', 'run', '--dataset', m[1] as string, '--json');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const second = lines(r.stdout);
    const key = (a: Record<string, unknown>) => `${a.alert_id} ${a.indicator} ${a.subject_id} ${a.score}`;
    assert.deepEqual(second.map(key).sort(), alerts.map(key).sort(), 'the same alerts, by id');
    assert.ok(
      second.every((a) => a.new === false && a.status === 'new'),
      'new: false, status as triaged (untouched)',
    );
    assert.match(r.stderr, new RegExp(`${alerts.length} alerts?, 0 new`));

    // Another period is another question: its alerts are raised anew.
    r = arusha(
      dataDir,
      'analytics',
      'run',
      '--dataset',
      m[1] as string,
      '--from',
      '2025-01-01',
      '--to',
      '2025-07-01',
      '--json',
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const half = lines(r.stdout);
    assert.ok(half.length > 0);
    assert.ok(
      half.every((a) => a.new === true && a.period_from === '2025-01-01' && a.period_to === '2025-07-01'),
    );
    const earlier = new Set(alerts.map((a) => a.alert_id));
    assert.ok(half.every((a) => !earlier.has(a.alert_id)));
  });

  it('saves a column mapping by name (--map, --code, --file) and imports an export through it (--mapping)', () => {
    const fixture = fs.readFileSync(path.join(ROOT, 'src/modules/analytics/fixtures/indicators.csv'), 'utf8');
    const codes: Record<string, string> = { green: 'V', red: 'R', yellow: 'J' };
    const exported = path.join(dataDir, 'asycuda.csv');
    fs.writeFileSync(
      exported,
      fixture
        .replace('officer_id', 'INSPECTOR')
        .replace('channel_system', 'SEL_COLOUR')
        .split('\n')
        .map((line) =>
          line
            .split(',')
            .map((x, i) => (i === 9 ? (codes[x] ?? x) : x))
            .join(','),
        )
        .join('\n'),
    );
    // A bad mapping is refused with the reason, nothing saved.
    let r = arusha(
      dataDir,
      'analytics',
      'mapping',
      'save',
      'ASYCUDA export',
      '--map',
      'officer=INSPECTOR',
      '--org',
      ORG,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /columns: Unrecognized key: "officer"/);
    const crimson = (...lang: string[]) =>
      arusha(
        dataDir,
        'analytics',
        'mapping',
        'save',
        'ASYCUDA export',
        '--code',
        'channel:R=crimson',
        '--org',
        ORG,
        ...lang,
      );
    r = crimson();
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /codes\.channel\.R/);
    // In French, zod's own words too.
    r = crimson('--lang', 'fr');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^La correspondance n’est pas valide :\n {2}codes\.channel\.R: Option invalide/m);
    // Saved from the command line, then replaced from a JSON file under the same name.
    r = arusha(
      dataDir,
      'analytics',
      'mapping',
      'save',
      'ASYCUDA export',
      '--map',
      'officer_id=INSPECTOR',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const json = path.join(dataDir, 'mapping.json');
    fs.writeFileSync(
      json,
      JSON.stringify({
        sourceSystem: 'ASYCUDA',
        columns: { officer_id: 'INSPECTOR' },
        codes: { channel: { V: 'green' } },
      }),
    );
    r = arusha(
      dataDir,
      'analytics',
      'mapping',
      'save',
      'ASYCUDA export',
      '--file',
      json,
      '--map',
      'channel_system=SEL_COLOUR',
      '--code',
      'channel:R=red',
      '--code',
      'channel:J=yellow',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      /Mapping "ASYCUDA export" \([0-9a-f-]{36}\) saved — columns: 2, code translations: 3;/,
    );
    r = arusha(dataDir, 'analytics', 'mapping', 'list', '--org', ORG, '--json');
    assert.equal(r.code, 0, r.stderr);
    const [saved] = JSON.parse(r.stdout);
    assert.equal(saved.version, 2, 'the same name replaced, not duplicated');
    assert.equal(saved.sourceSystem, 'ASYCUDA');
    assert.deepEqual(saved.columns, { officer_id: 'INSPECTOR', channel_system: 'SEL_COLOUR' });
    r = arusha(
      dataDir,
      'analytics',
      'import',
      exported,
      '--mapping',
      'ASYCUDA export',
      '--dataset',
      'CLI ASYCUDA',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /imported, 103 of 103 rows imported, 0 rejected/);
  });

  it('a refused file: each reason counted with what is accepted, as the wizard words it', () => {
    const bad = path.join(dataDir, 'bad.csv');
    const head =
      'declaration_id,office_code,registered_at,declarant_id,officer_id,channel_system,customs_value';
    fs.writeFileSync(
      bad,
      `${head}\nB1,OFF01,2200-01-01,BRK1,INS1,green,10\nB2,OFF01,2025-01-01,BRK1,INS1,green,inf\nB3,OFF01,2025-01-02,BRK1,INS1,green,5\n`,
    );
    const r = arusha(dataDir, 'analytics', 'import', bad, '--dataset', 'CLI bad', '--org', ORG);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^bad_date: 1 \(not a date in ISO 8601 \(2025-03-01 or 2025-03-01T10:00:00\+02:00\) between 1900-01-01 and 2100-12-31, with a real time offset \(at most ±14:00\)\)$/m,
    );
    assert.match(
      r.stderr,
      /^bad_number: 1 \(not a finite number \(such as 1234\.56\): NaN, inf and overflows such as 1e400 are refused\)$/m,
    );
    assert.match(r.stderr, /^ {2}row 2, registered_at: bad_date$/m);
  });

  it('--lang fr (or ARUSHA_LANG, or LANG): the reasons, problems, file errors and summary in French; the rejects file explains in French', () => {
    const head =
      'declaration_id,office_code,registered_at,declarant_id,officer_id,channel_system,customs_value';
    const rows =
      'B1,OFF01,2200-01-01,BRK1,INS1,green,10\nB2,OFF01,2025-01-01,BRK1,INS1,green,inf\nB3,OFF01,2025-01-02,BRK1,INS1,green,5';
    const bad = path.join(dataDir, 'bad-fr.csv');
    fs.writeFileSync(bad, `${head}\n${rows}\n`);
    let r = arusha(dataDir, 'analytics', 'import', bad, '--dataset', 'CLI fr', '--org', ORG, '--lang', 'fr');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^bad_date : 1 \(pas une date ISO 8601 \(2025-03-01 ou 2025-03-01T10:00:00\+02:00\) entre le 1900-01-01 et le 2100-12-31, avec un décalage horaire réel \(±14:00 au plus\)\)$/m,
    );
    assert.match(r.stderr, /^bad_number : 1 \(pas un nombre fini \(comme 1234\.56\) : NaN, inf/m);
    assert.match(r.stderr, /^ {2}ligne 2, registered_at : bad_date$/m);
    assert.match(
      r.stdout,
      /^Jeu de données « CLI fr » version 1 \([0-9a-f-]{36}\) : refusé, 0 lignes importées sur 3, 2 rejetées, /m,
    );
    assert.doesNotMatch(r.stdout + r.stderr, /not a date|rows imported/);

    // A file error, the language from ARUSHA_LANG.
    const header = path.join(dataDir, 'header-fr.csv');
    fs.writeFileSync(header, `${head}\n`);
    r = arushaWith(
      { ARUSHA_LANG: 'fr' },
      dataDir,
      'analytics',
      'import',
      header,
      '--dataset',
      'CLI fr',
      '--org',
      ORG,
    );
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^fichier : empty \(fichier vide\) — le fichier a une ligne d'en-tête mais aucune ligne de données$/m,
    );
    // --lang wins over the environment.
    r = arushaWith({ ARUSHA_LANG: 'fr' }, dataDir, 'analytics', 'import', '/no/such.csv', '--lang', 'en');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\/no\/such\.csv: no such file$/m);

    // The valid rows imported, the language from LANG: the rejects file explains in French.
    r = arushaWith(
      { LANG: 'fr_FR.UTF-8' },
      dataDir,
      'analytics',
      'import',
      bad,
      '--dataset',
      'CLI fr valid',
      '--mode',
      'import-valid',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const id = /version 1 \(([0-9a-f-]{36})\) : importé, 1 lignes importées sur 3, 2 rejetées/.exec(
      r.stdout,
    )?.[1];
    assert.ok(id, r.stdout);
    const rejects = (fs.readdirSync(dataDir, { recursive: true }) as string[]).find((f) =>
      f.endsWith(`${id}.rejects.csv`),
    );
    assert.ok(rejects, 'the rejects file is written');
    const lines = fs.readFileSync(path.join(dataDir, rejects), 'utf8').trim().split('\n');
    assert.equal(
      lines[0],
      'row,reasons,declaration_id,office_code,registered_at,assessed_at,released_at,declarant_id,importer_id,officer_id,assignment,channel_system,channel_final,rerouted_by,hs6,origin,customs_value,net_mass_kg,duties_declared,duties_assessed,offence,procedure,explanation',
      'the row as read in the canonical columns, the explanation last',
    );
    assert.equal(
      lines[1],
      '2,registered_at: bad_date,B1,OFF01,2200-01-01,,,BRK1,,INS1,,green,,,,,10,,,,,,"registered_at: pas une date ISO 8601 (2025-03-01 ou 2025-03-01T10:00:00+02:00) entre le 1900-01-01 et le 2100-12-31, avec un décalage horaire réel (±14:00 au plus)"',
    );
    assert.match(
      lines[2] as string,
      /^3,customs_value: bad_number,.*,"customs_value: pas un nombre fini \(comme 1234\.56\) : NaN, inf/,
    );
  });

  it('without --mapping, upper-case headers are read as the canonical columns and said; look-alikes are refused', () => {
    const lines = fs.readFileSync(csv, 'utf8').split('\n');
    const head = lines[0] as string;
    const body = lines.slice(1, 51).join('\n');
    const upper = path.join(dataDir, 'upper.csv');
    fs.writeFileSync(upper, `${head.toUpperCase()}\n${body}\n`);
    let r = arusha(dataDir, 'analytics', 'import', upper, '--dataset', 'CLI upper', '--org', ORG);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /imported, 50 of 50 rows imported, 0 rejected/);
    assert.match(r.stderr, /^column declaration_id read from the file's "DECLARATION_ID"$/m);
    assert.match(r.stderr, /^column officer_id read from the file's "OFFICER_ID"$/m);

    const twice = path.join(dataDir, 'twice.csv');
    const cols = head.split(',');
    cols[cols.indexOf('officer_id')] = 'OFFICER_ID';
    const rows = lines.slice(1, 11).map((l) => `${l},X`);
    fs.writeFileSync(twice, `${[...cols, 'officer-id'].join(',')}\n${rows.join('\n')}\n`);
    r = arusha(dataDir, 'analytics', 'import', twice, '--dataset', 'CLI twice', '--org', ORG);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(
      r.stderr,
      /^file: missing_column \(missing column\) — officer_id: "OFFICER_ID" and "officer-id" could each be it; rename all but one, or import with a mapping$/m,
    );
    assert.match(r.stdout, /: rejected, 0 of /);
  });

  it('a mirror run with the declared side from declarations (--declarations) prints I13 and I17 alerts', () => {
    const fixtures = path.join(ROOT, 'src/modules/analytics/fixtures');
    const id = (out: string) => (/version 1 \(([0-9a-f-]{36})\): imported/.exec(out) ?? [])[1] as string;
    let r = arusha(
      dataDir,
      'analytics',
      'import',
      path.join(fixtures, 'mirror-declared-trade.csv'),
      '--dataset',
      'CLI trade',
      '--kind',
      'trade',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const trade = id(r.stdout);
    r = arusha(
      dataDir,
      'analytics',
      'import',
      path.join(fixtures, 'mirror-declared-declarations.csv'),
      '--dataset',
      'CLI declared side',
      '--org',
      ORG,
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const decl = id(r.stdout);
    assert.ok(trade && decl, r.stdout);
    const bad = arusha(
      dataDir,
      'analytics',
      'run',
      '--dataset',
      trade,
      '--country',
      '834',
      '--declarations',
      trade,
    );
    assert.notEqual(bad.code, 0, 'a trade version is not a declared side');
    assert.match(bad.stderr, /No imported declarations dataset/);
    r = arusha(
      dataDir,
      'analytics',
      'run',
      '--dataset',
      trade,
      '--country',
      '834',
      '--declarations',
      decl,
      '--min-gap',
      '10000',
      '--json',
    );
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // Hand-computed in analytics.mirror-declared.test.ts.
    assert.deepEqual(
      alerts
        .map(
          (a) =>
            `${a.indicator} ${a.subject_type} ${a.subject_id} ${a.officer_id ?? ''} ${a.declarant_id ?? ''}`,
        )
        .sort(),
      ['I13 hs_partner_year 8703/699/2025  ', 'I17 declarant B2  B2', 'I17 officer O2 O2 '],
    );
  });
});
