import './platform/native-memory.ts';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { z } from 'zod';
import { PGlite } from '@electric-sql/pglite';
import { ConfigError, cliLanguageEnv, loadConfig, type Config } from './platform/config.ts';
import { boot } from './platform/boot.ts';
import { openDatabase } from './platform/db/client.ts';
import { migrate } from './platform/db/migrate.ts';
import { acquireLock, DataDirLockedError } from './platform/db/lock.ts';
import { withSystem } from './platform/db/system.ts';
import { createLogger } from './platform/log.ts';
import { MODULES } from './modules.ts';
import { IdentityService } from './modules/identity/index.ts';
import { CertificatesService, verifyPdf } from './modules/learning/index.ts';
import { ResealRefused, resealAssetValues } from './modules/declarations/index.ts';
import {
  AnalyticsService,
  alertLine,
  CanonicalCodes,
  closeAnalytics,
  generateDeclarations,
  FIXED_DETAILS,
  hashFile,
  MappingBody,
  registerModelCommands,
  type ValidationReport,
} from './modules/analytics/index.ts';
import { withTenant } from './platform/db/tenant.ts';
import { isLocale, LOCALES, type Locale, t } from './platform/i18n/i18n.ts';

const program = new Command('arusha').description(
  'Arusha — integrity and anti-corruption platform for Customs administrations',
);

function config(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(78);
    }
    throw e;
  }
}

async function withKernel<T>(fn: (k: Awaited<ReturnType<typeof boot>>) => Promise<T>): Promise<T> {
  const c = config();
  const k = await boot(MODULES, {
    config: c,
    log: createLogger(c.LOG_LEVEL === 'info' ? 'warn' : c.LOG_LEVEL),
  });
  try {
    return await fn(k);
  } finally {
    await k.db.close();
  }
}

function bar(label: string) {
  return new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total}`,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
    },
    cliProgress.Presets.shades_classic,
  );
}

program
  .command('migrate')
  .description('Apply database migrations (also done at every start)')
  .action(async () => {
    const c = config();
    const db = await openDatabase({ databaseUrl: c.DATABASE_URL, dataDir: c.dataDir });
    await migrate(db);
    await db.close();
    console.log(`Database is up to date (${db.kind}).`);
  });

program
  .command('seed-demo')
  .description('Load the demo organisations and users (refused in production)')
  .action(async () => {
    const c = config();
    if (c.production) {
      console.error('Demo data is refused in production.');
      process.exit(1);
    }
    await withKernel(async (k) => {
      for (const m of MODULES) await m.seedDemo?.(k);
    });
    console.log('Demo data is loaded (nothing is added if organisations already exist).');
  });

program
  .command('create-admin')
  .description('Create a platform administrator (and the Secretariat organisation if there is none)')
  .requiredOption('--email <email>', 'e-mail address')
  .option('--name <name>', 'display name', 'Platform administrator')
  .option('--password <password>', 'password (generated and printed if omitted)')
  .option('--organisation <name>', 'Secretariat organisation name', 'WCO Secretariat')
  .action(async (o: { email: string; name: string; password?: string; organisation: string }) => {
    const password = o.password ?? randomBytes(12).toString('base64url');
    if (password.length < 12) {
      console.error('The password must have at least 12 characters.');
      process.exit(1);
    }
    await withKernel(async (k) => {
      const svc = new IdentityService(k);
      const orgs = await svc.listAllOrganisations();
      const org =
        orgs.find((x) => x.type === 'secretariat') ??
        (await svc.createOrganisation(null, {
          type: 'secretariat',
          name: o.organisation,
          wcoRegion: 'EUR',
          country: 'BE',
        }));
      const user = await svc.ensureUser({
        email: o.email.toLowerCase(),
        name: o.name,
        password,
        isPlatformAdmin: true,
      });
      await svc.addMembership(org.id, user.id, ['platform_admin', 'org_admin']);
      console.log(`Platform administrator ${user.email} in "${org.name}".`);
      if (!o.password) console.log(`Password (shown once): ${password}`);
    });
  });

const audit = program.command('audit').description('Audit log');
audit
  .command('verify')
  .description('Recompute every hash chain; exit 1 if any entry was edited or deleted')
  .action(async () => {
    await withKernel(async (k) => {
      const b = bar('Verifying');
      let started = false;
      const result = await withSystem(k.db, (tx) =>
        k.audit.verify(tx, (done, total) => {
          if (!started) {
            b.start(total, 0);
            started = true;
          }
          b.update(done);
        }),
      );
      if (started) b.stop();
      if (result.ok) {
        console.log(`Audit log intact: ${result.checked} entries in ${result.tenants} chains.`);
        return;
      }
      console.error(
        `Audit log NOT intact: ${result.problems.length} problem(s) in ${result.checked} entries:`,
      );
      for (const p of result.problems.slice(0, 100))
        console.error(`  chain ${p.tenantId} entry ${p.seq}: ${p.kind} — ${p.detail}`);
      process.exitCode = 1;
    });
  });

function run(cmd: string, args: string[], onLine?: (l: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      const s = d.toString();
      err += s;
      for (const l of s.split('\n')) if (l) onLine?.(l);
    });
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${code}: ${err.slice(-500)}`)),
    );
  });
}

program
  .command('backup')
  .description(
    'Write a consistent backup folder: the database (embedded: a data-folder dump; server: pg_dump) and stored files',
  )
  .option('--out <dir>', 'backup folder', `arusha-backup-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  .action(async (o: { out: string }) => {
    const c = config();
    const out = path.resolve(o.out);
    if (fs.existsSync(out) && fs.readdirSync(out).length) {
      console.error(`${out} exists and is not empty.`);
      process.exit(1);
    }
    fs.mkdirSync(out, { recursive: true });
    const b = bar('Backup');
    if (c.DATABASE_URL) {
      const [{ n } = { n: 1 }] = await (async () => {
        const db = await openDatabase({ databaseUrl: c.DATABASE_URL, dataDir: c.dataDir });
        const r = await db.query<{ n: number }>(
          "select count(*)::int as n from pg_tables where schemaname in ('public','drizzle')",
        );
        await db.close();
        return r;
      })();
      b.start(n + 1, 0);
      let done = 0;
      await run(
        'pg_dump',
        [
          '--format=custom',
          '--verbose',
          '--no-owner',
          `--file=${path.join(out, 'database.dump')}`,
          c.DATABASE_URL,
        ],
        (l) => {
          if (/dumping contents of table/.test(l)) b.update(++done);
        },
      );
    } else {
      let release: () => void;
      try {
        release = acquireLock(c.dataDir);
      } catch (e) {
        if (e instanceof DataDirLockedError) {
          console.error(`${e.message}\nA consistent copy of the embedded database needs Arusha stopped.`);
          process.exit(75);
        }
        throw e;
      }
      b.start(3, 0);
      const pgl = await PGlite.create(path.join(c.dataDir, 'db'));
      b.update(1);
      const dump = await pgl.dumpDataDir('gzip');
      fs.writeFileSync(path.join(out, 'database.tar.gz'), Buffer.from(await dump.arrayBuffer()));
      await pgl.close();
      release();
      b.update(2);
    }
    const files = path.join(c.dataDir, 'files');
    if (fs.existsSync(files)) fs.cpSync(files, path.join(out, 'files'), { recursive: true });
    fs.writeFileSync(
      path.join(out, 'backup.json'),
      JSON.stringify(
        {
          createdAt: new Date().toISOString(),
          database: c.DATABASE_URL ? 'server' : 'embedded',
          arusha: '0.1.0',
        },
        null,
        2,
      ),
    );
    b.update(b.getTotal());
    b.stop();
    console.log(`Backup written to ${out}`);
  });

program
  .command('restore')
  .description('Restore a backup folder made by `arusha backup` (Arusha must be stopped)')
  .argument('<dir>', 'backup folder')
  .option('--force', 'replace an existing embedded database')
  .action(async (dir: string, o: { force?: boolean }) => {
    const c = config();
    const src = path.resolve(dir);
    const meta = JSON.parse(fs.readFileSync(path.join(src, 'backup.json'), 'utf8')) as { database: string };
    const b = bar('Restore');
    b.start(3, 0);
    if (meta.database === 'server') {
      if (!c.DATABASE_URL) throw new Error('This backup is of a PostgreSQL server: set DATABASE_URL');
      await run('pg_restore', [
        '--clean',
        '--if-exists',
        '--no-owner',
        `--dbname=${c.DATABASE_URL}`,
        path.join(src, 'database.dump'),
      ]);
    } else {
      if (c.DATABASE_URL) throw new Error('This backup is of the embedded database: unset DATABASE_URL');
      const release = acquireLock(c.dataDir);
      const target = path.join(c.dataDir, 'db');
      if (fs.existsSync(target) && fs.readdirSync(target).length) {
        if (!o.force) {
          release();
          console.error(`${target} already holds a database; pass --force to replace it.`);
          process.exit(1);
        }
        fs.renameSync(target, `${target}.replaced-${Date.now()}`);
      }
      b.update(1);
      const pgl = await PGlite.create(target, {
        loadDataDir: new Blob([fs.readFileSync(path.join(src, 'database.tar.gz'))]),
      });
      await pgl.query('select 1');
      await pgl.close();
      release();
    }
    b.update(2);
    if (fs.existsSync(path.join(src, 'files')))
      fs.cpSync(path.join(src, 'files'), path.join(c.dataDir, 'files'), { recursive: true });
    b.update(3);
    b.stop();
    console.log('Restored. Start Arusha to apply any newer migrations.');
  });

const learning = program.command('learning').description('Learning: courses and certificates');
learning
  .command('verify-pdf')
  .description(
    'Check a certificate PDF offline: its printed statement against its Ed25519 signature (needs pdftotext, from poppler-utils)',
  )
  .argument('<file>', 'the certificate PDF')
  .option(
    '--key <pem>',
    'the published public key (GET /api/learning/public-key); without it, read from the database',
  )
  .action(async (file: string, o: { key?: string }) => {
    const pdf = fs.readFileSync(path.resolve(file));
    let keys: Record<string, string>;
    if (o.key) keys = { key: fs.readFileSync(path.resolve(o.key), 'utf8') };
    else
      keys = await withKernel(async (k) =>
        Object.fromEntries(
          (await new CertificatesService(k).publicKeys()).map((x) => [x.keyId, x.publicKeyPem]),
        ),
      );
    const r = await verifyPdf(pdf, keys);
    if (r.valid) {
      console.log(`VALID: ${r.reason}
${r.statement}`);
      return;
    }
    console.error(`NOT valid: ${r.reason}`);
    process.exitCode = 1;
  });

// ---- declarations -------------------------------------------------------------------------

const declarationsCli = program.command('declarations').description('Interest, gift and asset declarations');
declarationsCli
  .command('reseal')
  .description(
    'After a SECRET_KEY change: re-encrypt every sealed asset value from the old key to the current one (batches, one transaction each; safe to run again)',
  )
  .requiredOption('--old-secret-file <file>', 'a file holding the SECRET_KEY in use before the change')
  .option('--batch <n>', 'values per transaction', '500')
  .action(async (o: { oldSecretFile: string; batch: string }) => {
    const file = path.resolve(o.oldSecretFile);
    if (!fs.existsSync(file)) {
      console.error(`${o.oldSecretFile}: no such file`);
      process.exit(1);
    }
    const oldSecret = fs.readFileSync(file, 'utf8').trim();
    if (oldSecret.length < 32) {
      console.error(`${o.oldSecretFile}: a SECRET_KEY has at least 32 characters`);
      process.exit(1);
    }
    await withKernel(async (k) => {
      const b = bar('Re-seal');
      try {
        const r = await resealAssetValues(k, oldSecret, {
          batchSize: Number(o.batch) || 500,
          start: (total) => b.start(total, 0),
          progress: (done) => b.update(done),
        });
        b.stop();
        console.log(
          `${r.resealed} sealed value(s) re-encrypted with the current SECRET_KEY; ${r.already} already were (${r.total} in all).`,
        );
      } catch (e) {
        b.stop();
        if (!(e instanceof ResealRefused)) throw e;
        console.error(e.message);
        process.exitCode = 1;
      }
    });
  });

// ---- analytics (issue 5) ------------------------------------------------------------------

const demoData = program.command('demo-data').description('Generate demonstration data files');
demoData
  .command('declarations')
  .description(
    'Synthetic customs declarations in the canonical schema (deterministic by seed, streamed to disk); --plant adds known anomalies and writes their ground truth to FILE.truth.json',
  )
  // Whole numbers only: parseInt read "abc" as NaN (every such seed gave the same data) and "12abc" as 12.
  .requiredOption('--rows <n>', 'number of declarations', (v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN))
  .option('--seed <s>', 'random seed', (v) => (/^-?\d+$/.test(v) ? Number(v) : Number.NaN), 1)
  .option('--plant', 'plant collusive pairs, down-routing, low detection, lenient valuation, slow processing')
  .option('--delimiter <c>', 'CSV delimiter', ',')
  .requiredOption('--out <file>', 'CSV file to write')
  .action(async (o: { rows: number; seed: number; plant?: boolean; delimiter: string; out: string }) => {
    const refuse = (message: string) => {
      console.error(message);
      process.exit(1);
    };
    if (!Number.isSafeInteger(o.rows) || o.rows < 1) refuse('--rows must be a positive integer');
    if (!Number.isSafeInteger(o.seed)) refuse('--seed must be an integer');
    // A quote or a line end as delimiter writes a file no reader can split.
    if ([...o.delimiter].length !== 1 || /["\r\n]/.test(o.delimiter))
      refuse('--delimiter must be one character other than a quote or a line end');
    if (!fs.existsSync(path.dirname(path.resolve(o.out)))) refuse(`${o.out}: no such folder`);
    const b = bar('Generating');
    b.start(o.rows, 0);
    const truth = await generateDeclarations({
      rows: o.rows,
      seed: o.seed,
      plant: !!o.plant,
      delimiter: o.delimiter,
      out: path.resolve(o.out),
      onProgress: (n) => b.update(n),
    });
    b.stop();
    if (o.plant) fs.writeFileSync(`${path.resolve(o.out)}.truth.json`, `${JSON.stringify(truth, null, 2)}\n`);
    console.log(
      `${o.rows} declarations written to ${o.out}${o.plant ? ` (ground truth: ${o.out}.truth.json)` : ''}`,
    );
  });

/** The organisation a command acts in: --org (id or name), or the only one there is. */
async function organisationOf(k: Awaited<ReturnType<typeof boot>>, org?: string): Promise<string> {
  const all = (await new IdentityService(k).listAllOrganisations()).filter((x) => x.type !== 'secretariat');
  const found = org ? all.filter((x) => x.id === org || x.name === org) : all;
  if (found.length === 1) return found[0]!.id;
  console.error(
    `${org ? say('org_not_found', { org }) : say('org_several')}\n${all.map((x) => `  ${x.id}  ${x.name}`).join('\n')}`,
  );
  process.exit(1);
}

/** An import's fixed file-error sentences (FIXED_DETAILS), back to their key, to say them in --lang. */
const fixedDetail = new Map(Object.entries(FIXED_DETAILS).map(([key, text]) => [text as string, key]));

const analytics = program
  .command('analytics')
  .description(
    'Integrity analytics over declaration extracts (every subcommand speaks the language of --lang: en, fr, es, pt, ru or ar)',
  );

/**
 * The language of every `arusha analytics` subcommand's messages (`--lang`, set before its action
 * runs): the server catalogues' words, as the application shows them. Codes (reasons, statuses in
 * --json) and numbers stay as they are, for programs.
 */
let lang: Locale = 'en';
/** A message of the analytics CLI (`analytics.cli.<key>` in locales/<lang>/server.analytics.json). */
const say = (key: string, vars: Record<string, string | number> = {}) =>
  t(lang, `analytics.cli.${key}`, vars);

/**
 * --lang, else ARUSHA_LANG, else the first two letters of LANG when it is a language we have, else
 * English. An unknown --lang or ARUSHA_LANG is a usage error (exit code 1), never a silent English;
 * the refusal is said in the language the next choice down gives.
 */
function cliLanguage(
  flag: string | undefined,
  env: { ARUSHA_LANG?: string; LANG?: string },
): Locale | { error: string } {
  const system = env.LANG?.slice(0, 2).toLowerCase();
  const fromLang: Locale = isLocale(system) ? system : 'en';
  const fromEnv = env.ARUSHA_LANG ? (isLocale(env.ARUSHA_LANG) ? env.ARUSHA_LANG : null) : fromLang;
  const refused = (given: string, said: Locale) => ({
    error: t(said, 'analytics.cli.unknown_language', { given, known: LOCALES.join(', ') }),
  });
  if (flag !== undefined) return isLocale(flag) ? flag : refused(`--lang ${flag}`, fromEnv ?? fromLang);
  return fromEnv ?? refused(`ARUSHA_LANG=${env.ARUSHA_LANG}`, fromLang);
}
analytics
  .command('import')
  .description(
    'Import a canonical declaration extract, partner trade statistics (UN Comtrade exports recognised by their headers) or a duty-rate table (CSV with any delimiter, or Parquet) as a new dataset version',
  )
  .argument('<file>', 'the extract')
  .option('--kind <kind>', 'declarations, trade (partner trade statistics) or duty_rates', 'declarations')
  .option('--mapping <name>', 'a saved column mapping (source system)')
  .option('--dataset <name>', 'dataset name (created if missing; default: the file name)')
  .option('--org <id|name>', 'organisation')
  .option(
    '--mode <mode>',
    'reject-file (any bad row refuses the file) or import-valid (bad rows saved aside)',
    'reject-file',
  )
  .action(
    async (
      file: string,
      o: { kind: string; mapping?: string; dataset?: string; org?: string; mode: string },
    ) => {
      if (!['declarations', 'trade', 'duty_rates'].includes(o.kind)) {
        console.error(say('bad_kind'));
        process.exit(1);
      }
      const kind = o.kind as 'declarations' | 'trade' | 'duty_rates';
      if (o.mode !== 'reject-file' && o.mode !== 'import-valid') {
        console.error(say('bad_mode'));
        process.exit(1);
      }
      const abs = path.resolve(file);
      if (!fs.existsSync(abs)) {
        console.error(say('no_such_file', { file }));
        process.exit(1);
      }
      await withKernel(async (k) => {
        const tenantId = await organisationOf(k, o.org);
        const svc = new AnalyticsService(k);
        const b = bar('Import');
        b.start(5, 0);
        const hash = await hashFile(abs);
        b.update(1);
        const name = o.dataset ?? path.basename(abs).replace(/\.[^.]+$/, '');
        const version = await withTenant(k.db, { tenantId, userId: null }, async (tx) => {
          const mapping = o.mapping ? await svc.findMappingByName(tx, o.mapping) : undefined;
          if (o.mapping && !mapping) throw new Error(say('no_mapping', { name: o.mapping }));
          const ds =
            (await svc.findDatasetByName(tx, name)) ??
            (await svc.createDataset(tx, tenantId, null, { name, description: '', kind }));
          if (ds.kind !== kind) throw new Error(say('dataset_kind', { name, held: ds.kind, kind }));
          return svc.createVersion(tx, tenantId, null, {
            datasetId: ds.id,
            sourceName: path.basename(abs),
            contentHash: hash,
            sizeBytes: fs.statSync(abs).size,
            mode: o.mode as 'reject-file' | 'import-valid',
            mappingId: mapping?.id,
          });
        });
        const stages = { reading: 2, validating: 3, writing: 4, done: 5 } as const;
        const started = performance.now();
        const v = await svc.executeImport(tenantId, version.id, {
          file: abs,
          onStage: (s) => b.update(stages[s]),
          locale: lang,
        });
        b.update(5);
        b.stop();
        await closeAnalytics(k);
        const seconds = (performance.now() - started) / 1000;
        const report = v.report as ValidationReport | null;
        if (report?.mapping) console.error(say('builtin_mapping', { name: report.mapping }));
        // Headers taken for a column by a looser spelling (no --mapping): said, so nothing is a surprise.
        for (const [column, header] of Object.entries(report?.matchedColumns ?? {}))
          console.error(say('matched_column', { column, header }));
        for (const e of report?.fileErrors ?? [])
          console.error(
            say('file_error', {
              reason: e.reason,
              text: say(`file_error_text.${e.reason}`),
              detail: fixedDetail.has(e.detail) ? say(`detail.${fixedDetail.get(e.detail)}`) : e.detail,
            }),
          );
        // Each reason with what is accepted, in the words of the wizard's report.
        for (const [reason, count] of Object.entries(report?.byReason ?? {}))
          console.error(say('reason_line', { reason, count, text: t(lang, `analytics.reason.${reason}`) }));
        for (const i of (report?.issues ?? []).slice(0, 20))
          console.error(say('issue', { row: i.row, column: i.column, reason: i.reason }));
        console.log(
          say('summary', {
            name,
            number: v.number,
            id: v.id,
            status: say(`status.${v.status}`),
            valid: v.validRows ?? 0,
            rows: v.rowCount ?? 0,
            rejected: v.rejectedRows ?? 0,
            seconds: seconds.toFixed(1),
            rate: Math.round((v.rowCount ?? 0) / seconds),
          }),
        );
        if (v.status !== 'imported') process.exitCode = 1;
      });
    },
  );
const mapping = analytics
  .command('mapping')
  .description('Column mappings of source systems, for `import --mapping NAME` and the import wizard');
mapping
  .command('save')
  .description(
    'Save a column mapping under a name (one of that name is replaced): from a JSON file {"sourceSystem": "ASYCUDA", "columns": {"officer_id": "INSPECTOR"}, "codes": {"channel": {"R": "red"}}} and/or --map and --code',
  )
  .argument('<name>', 'the mapping name, e.g. "ASYCUDA export"')
  .option('--file <mapping.json>', 'the mapping as JSON (columns, codes, sourceSystem)')
  .option(
    '--map <column=header>',
    'a dataset column read from a header of the file (repeatable), e.g. --map officer_id=INSPECTOR',
    (v: string, acc: string[]) => [...acc, v],
    [] as string[],
  )
  .option(
    '--code <code:value=canonical>',
    'a code translated (repeatable; channel, assignment or offence), e.g. --code channel:R=red',
    (v: string, acc: string[]) => [...acc, v],
    [] as string[],
  )
  .option('--source-system <name>', 'the system the files come from')
  .option('--org <id|name>', 'organisation')
  .action(
    async (
      name: string,
      o: { file?: string; map: string[]; code: string[]; sourceSystem?: string; org?: string },
    ) => {
      const fail = (message: string) => {
        console.error(message);
        process.exit(1);
      };
      let json: {
        columns?: Record<string, string>;
        codes?: Record<string, Record<string, string>>;
        sourceSystem?: string;
      } = {};
      if (o.file) {
        try {
          json = JSON.parse(fs.readFileSync(path.resolve(o.file), 'utf8'));
        } catch (e) {
          fail(`${o.file}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const columns: Record<string, string> = { ...json.columns };
      for (const m of o.map) {
        const at = m.indexOf('=');
        if (at < 1) fail(say('bad_map', { map: m }));
        columns[m.slice(0, at)] = m.slice(at + 1);
      }
      const codes: Record<string, Record<string, string>> = { ...json.codes };
      for (const c of o.code) {
        const hit = /^([a-z]+):(.+)=([^=]*)$/.exec(c);
        if (!hit) fail(say('bad_code', { code: c }));
        const [, kind, from, to] = hit as unknown as [string, string, string, string];
        codes[kind] = { ...codes[kind], [from]: to };
      }
      if (!Object.keys(columns).length && !Object.keys(codes).length) fail(say('nothing_to_save'));
      // zod's own messages in the command's language (its locales: every one of ours).
      const parsed = MappingBody.extend({ codes: CanonicalCodes.default({}) }).safeParse(
        { name, sourceSystem: o.sourceSystem ?? json.sourceSystem ?? '', columns, codes },
        { error: z.locales[lang]().localeError },
      );
      if (!parsed.success)
        fail(
          `${say('invalid_mapping')}\n${parsed.error.issues.map((i) => `  ${i.path.join('.') || '(mapping)'}: ${i.message}`).join('\n')}`,
        );
      const body = parsed.data!;
      await withKernel(async (k) => {
        const tenantId = await organisationOf(k, o.org);
        const svc = new AnalyticsService(k);
        const saved = await withTenant(k.db, { tenantId, userId: null }, async (tx) => {
          const existing = await svc.findMappingByName(tx, name);
          return existing
            ? svc.updateMapping(tx, tenantId, null, existing.id, { ...body, version: existing.version })
            : svc.createMapping(tx, tenantId, null, body);
        });
        const n = Object.values(saved.codes).reduce((a, x) => a + Object.keys(x).length, 0);
        console.log(
          say('mapping_saved', {
            name: saved.name,
            id: saved.id,
            columns: Object.keys(saved.columns).length,
            codes: n,
          }),
        );
      });
    },
  );
mapping
  .command('list')
  .description('The saved column mappings of an organisation')
  .option('--org <id|name>', 'organisation')
  .option('--json', 'print the mappings as JSON')
  .action(async (o: { org?: string; json?: boolean }) => {
    await withKernel(async (k) => {
      const tenantId = await organisationOf(k, o.org);
      const svc = new AnalyticsService(k);
      const items = await withTenant(k.db, { tenantId, userId: null }, (tx) => svc.listMappings(tx));
      if (o.json) console.log(JSON.stringify(items, null, 2));
      else
        for (const m of items)
          console.log(
            `${m.name}${m.sourceSystem ? ` (${m.sourceSystem})` : ''}: ${Object.entries(m.columns)
              .map(([c, h]) => `${c}=${h}`)
              .join(', ')}`,
          );
    });
  });
analytics
  .command('run')
  .description(
    'Compute the indicator catalogue over a dataset (its latest imported version) or a dataset version',
  )
  .requiredOption('--dataset <id>', 'dataset id or dataset version id')
  .option('--from <day>', 'registrations from this day (YYYY-MM-DD)')
  .option('--to <day>', 'registrations before this day (YYYY-MM-DD)')
  .option('--json', 'print one JSON object per alert')
  .option('--country <code>', 'trade statistics: the reporter code of the administration (mirror run)')
  .option('--factor <c>', 'mirror run: CIF/FOB factor applied to partners’ exports', '1.1')
  .option('--threshold <g>', 'mirror run: alert from this log value gap', '0.693')
  .option('--min-gap <v>', 'mirror run: … and this absolute gap (file currency)', '100000')
  .option('--duty-rates <id>', 'mirror run: a duty-rate dataset or dataset version (revenue loss)')
  .option(
    '--declarations <id>',
    'mirror run: the declared side from a declarations dataset or version (instead of the country’s reporter rows; adds I17, gaps attributed to officers and declarants)',
  )
  .option(
    '--currency-factor <f>',
    'mirror run with --declarations: customs value × f = the trade file’s currency',
    '1',
  )
  .action(
    async (o: {
      dataset: string;
      from?: string;
      to?: string;
      json?: boolean;
      country?: string;
      factor: string;
      threshold: string;
      minGap: string;
      dutyRates?: string;
      declarations?: string;
      currencyFactor: string;
    }) => {
      // Checked before the run is recorded: an impossible day (2025-13-45) or an empty period
      // made a run that failed in DuckDB or silently covered nothing.
      for (const [flag, day] of [
        ['--from', o.from],
        ['--to', o.to],
      ] as const)
        if (day !== undefined && !z.iso.date().safeParse(day).success) {
          console.error(say('bad_day', { flag, day }));
          process.exit(1);
        }
      if (o.from && o.to && o.from >= o.to) {
        console.error(say('bad_period', { from: o.from, to: o.to }));
        process.exit(1);
      }
      await withKernel(async (k) => {
        const latest = async (id: string) =>
          (
            await k.db.query<{ tenant_id: string; version_id: string | null; kind: string }>(
              `select d.tenant_id, d.kind, (select v.id from analytics_dataset_versions v where v.dataset_id = d.id and v.status = 'imported' order by v.number desc limit 1) as version_id
               from analytics_datasets d where d.id::text = $1
             union all
             select v.tenant_id, d.kind, v.id from analytics_dataset_versions v join analytics_datasets d on d.id = v.dataset_id where v.id::text = $1`,
              [id],
            )
          )[0];
        const hit = await latest(o.dataset);
        if (!hit?.version_id) {
          console.error(say('no_dataset', { id: o.dataset }));
          process.exit(1);
        }
        if (hit.kind === 'trade' && !o.country) {
          console.error(say('mirror_country'));
          process.exit(1);
        }
        /** The latest imported version of a companion dataset of `kind` in the run's organisation. */
        const companion = async (
          id: string | undefined,
          kind: string,
          missing: 'no_rates' | 'no_declarations',
        ) => {
          if (!id) return undefined;
          const v = await latest(id);
          if (!v?.version_id || v.tenant_id !== hit.tenant_id || v.kind !== kind) {
            console.error(say(missing, { id }));
            process.exit(1);
          }
          return v.version_id;
        };
        const ratesVersionId = await companion(o.dutyRates, 'duty_rates', 'no_rates');
        const declarationsVersionId = await companion(o.declarations, 'declarations', 'no_declarations');
        const currencyFactor = Number(o.currencyFactor);
        if (!(currencyFactor > 0)) {
          console.error(say('bad_factor'));
          process.exit(1);
        }
        const svc = new AnalyticsService(k);
        const tenantId = hit.tenant_id;
        const run = await withTenant(k.db, { tenantId, userId: null }, (tx) =>
          svc.createRun(
            tx,
            tenantId,
            null,
            {
              datasetVersionId: hit.version_id!,
              from: o.from,
              to: o.to,
              ...(hit.kind === 'trade'
                ? {
                    mirror: {
                      country: o.country!,
                      factor: Number(o.factor),
                      threshold: Number(o.threshold),
                      minGap: Number(o.minGap),
                      ...(ratesVersionId ? { dutyRatesVersionId: ratesVersionId } : {}),
                      ...(declarationsVersionId ? { declarationsVersionId, currencyFactor } : {}),
                    },
                  }
                : {}),
            },
            false,
          ),
        );
        const { run: done, alerts } = await svc.executeRun(tenantId, run.id);
        await closeAnalytics(k);
        // Every alert the results support: raised by this run (new) or before on this version and
        // period, with its triage status.
        for (const a of alerts) {
          if (o.json) console.log(JSON.stringify(alertLine(a)));
          else
            console.log(
              say('alert_line', {
                indicator: a.indicatorId,
                subject: a.subjectId.padEnd(24),
                observed: a.observed.toPrecision(4),
                expected: a.expected.toPrecision(4),
                limit: a.limit.toPrecision(4),
                score: a.score.toFixed(1),
                status: say(`alert_status.${a.isNew ? 'new' : a.status}`),
              }),
            );
        }
        const fresh = alerts.filter((a) => a.isNew).length;
        const summary = say('run_summary', {
          count: alerts.length,
          fresh,
          seconds: done.seconds?.toFixed(2) ?? '',
        });
        if (!o.json) console.log(say('run_line', { id: done.id, summary }));
        else console.error(say('run_note', { id: done.id, summary }));
      });
    },
  );
// `arusha analytics model train|score`: the expected-hit model (docs/adr/0026).
registerModelCommands(analytics, () => lang);

// --lang on every analytics subcommand (shown in its --help), checked before its action runs.
const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
for (const c of leaves(analytics))
  c.option(
    '--lang <code>',
    `language of the messages: ${LOCALES.join(', ')} (default: ARUSHA_LANG, else LANG if one of these, else en)`,
  );
analytics.hook('preAction', (_, action) => {
  const chosen = cliLanguage(action.opts().lang as string | undefined, cliLanguageEnv());
  if (typeof chosen !== 'string') {
    console.error(chosen.error);
    process.exit(1); // as commander's own refusals of a bad option
  }
  lang = chosen;
});

program.parseAsync().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
