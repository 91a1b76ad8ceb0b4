import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { AppError, notFound, type ProblemDetail } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type * as C from './analytics.contract.ts';
import { exists, ident } from './analytics.engine.ts';
import {
  type ColumnMapping,
  emptyReport,
  firstLine,
  readHeader,
  removeVersionFiles,
  suggestColumns,
  type ValidationReport,
} from './analytics.import.ts';
import { Q, type VersionRow } from './analytics.queries.ts';
import { type AnalyticsService, CLI_USER, type UploadedFile } from './analytics.service.ts';
import { comtradeMapping } from './analytics.trade.ts';
import {
  CANONICAL_COLUMNS,
  type DatasetKind,
  RATE_COLUMNS,
  RATE_REQUIRED,
  REQUIRED_COLUMNS,
  TRADE_COLUMNS,
  TRADE_REQUIRED,
} from './analytics.vocab.ts';

// The wizard's suggestion is the import's own (a CLI import without a mapping reads by it too).
export { suggestColumns };

export const VALIDATE_JOB = 'analytics.validate';
export const EXPIRE_JOB = 'analytics.uploads.expire';
/** Rows of a staged file shown on the mapping step. */
export const PREVIEW_ROWS = 10;
/** A staged file the wizard left this long is discarded (its version `discarded`). */
export const STAGED_TTL_MS = 24 * 3600 * 1000;
/** Code values (channel, assignment, offence) are looked for among the first rows only. */
const VALUES_SAMPLE = 10_000;
const MAX_VALUES = 30;

/** The columns of each dataset kind, in order, and those a row cannot go without. */
export const TARGETS: Record<DatasetKind, { columns: readonly string[]; required: readonly string[] }> = {
  declarations: { columns: CANONICAL_COLUMNS, required: REQUIRED_COLUMNS },
  trade: { columns: TRADE_COLUMNS, required: TRADE_REQUIRED },
  duty_rates: { columns: RATE_COLUMNS, required: RATE_REQUIRED },
};

type Mapping = { columns: Record<string, string>; codes: Record<string, Record<string, string>> };
/**
 * What keeps a mapping from reading the file: a column the dataset kind does not have, a header
 * the file does not have, a required column left without one (the file's column of the same
 * name counts), code translations on a file that has no codes.
 */
export function mappingProblems(kind: DatasetKind, header: readonly string[], m: Mapping): ProblemDetail[] {
  const spec = TARGETS[kind];
  const out: ProblemDetail[] = [];
  for (const [col, src] of Object.entries(m.columns)) {
    if (!spec.columns.includes(col))
      out.push({ path: `columns.${col}`, message: `not a column of a ${kind} dataset` });
    else if (!header.includes(src))
      out.push({ path: `columns.${col}`, message: `the file has no column "${src}"` });
  }
  for (const col of spec.required)
    if (m.columns[col] === undefined && !header.includes(col))
      out.push({ path: `columns.${col}`, message: 'required: choose the file column that holds it' });
  if (kind !== 'declarations' && Object.values(m.codes).some((x) => x && Object.keys(x).length > 0))
    out.push({ path: 'codes', message: 'code translations are for declaration extracts only' });
  return out;
}

/**
 * The import wizard (issue 5, "Data in"): the file is uploaded once and staged beside the data
 * (`uploaded`); its header and first rows are read in DuckDB with a suggested mapping; the
 * analyst's mapping is checked against the header, then the whole file validated by a job
 * (`validating` → `validated`, the report kept); the analyst then refuses the file or imports
 * its valid rows with the rejects saved. Validation runs the import's own code in `reject-file`
 * mode, so a clean file is already written whole when the analyst says import; a file with
 * rejected rows is imported by the import job (`import-valid`). Staged files are deleted after
 * the import, the refusal, or a day.
 */
export class ImportWizard {
  constructor(
    private readonly k: Kernel,
    private readonly svc: AnalyticsService,
  ) {}

  private view(v: VersionRow) {
    return this.svc.versionView(v);
  }

  private async version(tx: TenantTx, id: string) {
    const v = await Q.version(tx, id);
    if (!v) throw notFound('dataset version');
    return v;
  }

  /**
   * Step 1: the file is staged as an `uploaded` version once DuckDB reads a header and rows from
   * it (else 422, nothing kept). The same content already staged in the dataset: that version,
   * to go on with; already imported: 409.
   */
  async upload(
    tx: TenantTx,
    tenantId: string,
    actorId: string,
    file: UploadedFile,
    fields: z.infer<typeof C.UploadFields>,
  ) {
    // An unknown dataset has nothing staged: createVersion answers 404.
    const staged = await Q.stagedWithHash(tx, fields.datasetId, file.sha256);
    if (staged && (await exists(this.svc.uploadPath(tenantId, staged.id)))) return this.view(staged);
    const v = await this.svc.stageUpload(tx, tenantId, actorId, file, {
      datasetId: fields.datasetId,
      mode: 'reject-file',
      status: 'uploaded',
    });
    try {
      await this.read(tenantId, v.id, false);
    } catch (e) {
      await fs.rm(this.svc.uploadPath(tenantId, v.id), { force: true });
      throw e;
    }
    return this.view(v);
  }

  /** Step 2: the staged file's header, first rows and code values, with a suggested mapping. */
  async preview(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    mappingId: string | undefined,
  ): Promise<z.infer<typeof C.Preview>> {
    const v = await this.version(tx, versionId);
    const saved = mappingId ? await Q.mapping(tx, mappingId) : undefined;
    if (mappingId && !saved) throw notFound('mapping');
    const kind = await this.svc.kindOf(tx, v);
    const file = await this.read(tenantId, v.id, kind === 'declarations');
    const spec = TARGETS[kind];
    let from: { mappingId: string | null; name: string } | null = null;
    let base: Mapping = { columns: {}, codes: {} };
    if (saved) {
      const m = saved.mapping as ColumnMapping;
      base = {
        columns: m.columns as Record<string, string>,
        codes: (m.codes ?? {}) as Mapping['codes'],
      };
      from = { mappingId: saved.id, name: saved.name };
    } else if (kind === 'trade') {
      // A UN Comtrade export the import recognises by its headers (analytics.trade.ts).
      const known = comtradeMapping(file.columns);
      if (known) {
        base = { columns: known[1], codes: {} };
        from = { mappingId: null, name: known[0] };
      }
    }
    return {
      kind,
      columns: file.columns,
      rows: file.rows,
      targets: spec.columns.map((column) => ({ column, required: spec.required.includes(column) })),
      suggested: {
        columns: suggestColumns(spec.columns, file.columns, base.columns),
        codes: kind === 'declarations' ? base.codes : {},
      },
      suggestedFrom: from,
      values: file.values,
    };
  }

  /**
   * Step 3: the mapping is checked against the file's header (422 naming each problem, nothing
   * changed), recorded with the version, and the whole file validated by a job. A validated
   * version may be validated again with another mapping.
   */
  async validate(
    tx: TenantTx,
    tenantId: string,
    actorId: string,
    versionId: string,
    body: z.infer<typeof C.ValidateBody>,
  ) {
    const v = await this.version(tx, versionId);
    if (v.status !== 'uploaded' && v.status !== 'validated')
      throw new AppError('CONFLICT', `the version is ${v.status}: only an uploaded file is validated`);
    if (body.mappingId && !(await Q.mapping(tx, body.mappingId))) throw notFound('mapping');
    const kind = await this.svc.kindOf(tx, v);
    const mapping: Mapping = {
      columns: body.columns as Record<string, string>,
      codes: Object.fromEntries(
        Object.entries(body.codes).filter(([, x]) => x && Object.keys(x).length > 0),
      ) as Mapping['codes'],
    };
    const { columns } = await this.read(tenantId, v.id, false);
    const problems = mappingProblems(kind, columns, mapping);
    if (problems.length)
      throw new AppError(
        'UNPROCESSABLE',
        `the mapping does not fit the file: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
        problems,
      );
    // A clean file validated before was written whole: validated again, it is written again.
    if (v.status === 'validated') await removeVersionFiles(this.svc.engine, tenantId, v.id);
    await Q.setVersion(tx, v.id, {
      status: 'validating',
      stage: null,
      columnMapping: mapping,
      mappingId: body.mappingId ?? null,
      report: null,
      rowCount: null,
      validRows: null,
      rejectedRows: null,
      error: null,
    });
    await this.svc.audit(
      tx,
      tenantId,
      actorId,
      'analytics.import.validating',
      'analytics_dataset_version',
      v.id,
      {
        mappingId: body.mappingId ?? null,
        columns: mapping.columns,
        codes: mapping.codes,
      },
    );
    await this.k.jobs.enqueue(tx, VALIDATE_JOB, { versionId: v.id }, { tenantId, maxAttempts: 1 });
    return this.view(await this.version(tx, v.id));
  }

  /** The validation job: the import's own checks in `reject-file` mode, the report kept. */
  async executeValidation(tenantId: string, versionId: string): Promise<VersionRow> {
    const scope = { tenantId, userId: null };
    const { v, kind, mapping } = await withTenant(this.k.db, scope, async (tx) => {
      const v = await this.version(tx, versionId);
      if (v.status !== 'validating') throw new AppError('CONFLICT', `version is ${v.status}`);
      return { v, kind: await this.svc.kindOf(tx, v), mapping: await this.svc.mappingOf(tx, v) };
    });
    const file = this.svc.uploadPath(tenantId, v.id);
    const drop = async () => {
      await removeVersionFiles(this.svc.engine, tenantId, v.id);
      await fs.rm(file, { force: true });
    };
    try {
      const report = await this.svc.checkAndWrite(kind, {
        tenantId,
        versionId: v.id,
        file,
        mode: 'reject-file',
        mapping,
      });
      // An unreadable file leaves nothing to choose.
      const unreadable = report.fileErrors.length > 0;
      return await withTenant(this.k.db, scope, async (tx) => {
        await Q.setVersion(tx, v.id, {
          status: unreadable ? 'rejected' : 'validated',
          stage: 'done',
          rowCount: report.rows,
          validRows: unreadable ? 0 : report.validRows,
          rejectedRows: report.rejectedRows,
          report,
        });
        await this.svc.audit(
          tx,
          tenantId,
          actorOf(v),
          unreadable ? 'analytics.import.rejected' : 'analytics.import.validated',
          'analytics_dataset_version',
          v.id,
          { rows: report.rows, valid: report.validRows, rejected: report.rejectedRows },
        );
        if (unreadable) await drop();
        return this.version(tx, v.id);
      });
    } catch (e) {
      await drop();
      await withTenant(this.k.db, scope, (tx) =>
        Q.setVersion(tx, v.id, {
          status: 'failed',
          error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
        }),
      );
      throw e;
    }
  }

  /**
   * Step 4, the analyst's choice. `reject-file`: nothing is imported (a validated file is
   * `rejected`, one never validated `discarded`). `import-valid`: a clean file, already written
   * whole by its validation, is imported at once; one with rejected rows is imported by the
   * import job, its rejects saved. Files are removed once the choice is committed.
   */
  async choose(
    tx: TenantTx,
    tenantId: string,
    actorId: string,
    versionId: string,
    choice: z.infer<typeof C.ChoiceBody>['choice'],
    afterCommit: (fn: () => void) => void,
    /** The analyst's language: the import job writes the rejects file's explanations in it. */
    locale: Locale = 'en',
  ) {
    const v = await this.version(tx, versionId);
    const staged = this.svc.uploadPath(tenantId, v.id);
    const record = (action: string, data: Record<string, unknown>) =>
      this.svc.audit(tx, tenantId, actorId, action, 'analytics_dataset_version', v.id, { choice, ...data });
    if (choice === 'reject-file') {
      if (v.status !== 'uploaded' && v.status !== 'validated')
        throw new AppError('CONFLICT', `the version is ${v.status}: there is nothing to refuse`);
      const validated = v.status === 'validated';
      await Q.setVersion(tx, v.id, {
        status: validated ? 'rejected' : 'discarded',
        mode: 'reject-file',
        validRows: validated ? 0 : null,
      });
      await record(validated ? 'analytics.import.rejected' : 'analytics.import.discarded', {
        rows: v.rowCount,
        rejected: v.rejectedRows,
      });
      afterCommit(() => {
        void removeVersionFiles(this.svc.engine, tenantId, v.id).catch(() => {});
        void fs.rm(staged, { force: true }).catch(() => {});
      });
      return this.view(await this.version(tx, v.id));
    }
    if (v.status !== 'validated')
      throw new AppError('CONFLICT', `the version is ${v.status}: validate the file first`);
    const report = v.report as ValidationReport | null;
    if (!report || report.fileErrors.length > 0 || report.validRows === 0)
      throw new AppError('CONFLICT', 'the file has no valid rows to import');
    const same = await Q.importedWithHash(tx, v.datasetId, v.contentHash);
    if (same && same.id !== v.id)
      throw new AppError('ALREADY_EXISTS', `this file was already imported as version ${same.number}`, [
        { path: 'file', message: `version ${same.number} (${same.id})` },
      ]);
    if (report.rejectedRows === 0) {
      if (!(await exists(this.svc.engine.parquetPath(tenantId, v.id))))
        throw new AppError('CONFLICT', 'the validated file is no longer there: validate it again');
      await Q.setVersion(tx, v.id, {
        status: 'imported',
        mode: 'import-valid',
        stage: 'done',
        validRows: report.validRows,
        importedAt: new Date(),
      });
      await record('analytics.import.finished', { rows: report.rows, valid: report.validRows, rejected: 0 });
      afterCommit(() => void fs.rm(staged, { force: true }).catch(() => {}));
    } else {
      await Q.setVersion(tx, v.id, { status: 'pending', mode: 'import-valid', stage: null });
      await record('analytics.import.accepted', {
        rows: report.rows,
        valid: report.validRows,
        rejected: report.rejectedRows,
      });
      await this.svc.enqueueImport(tx, tenantId, v.id, locale);
    }
    return this.view(await this.version(tx, v.id));
  }

  /**
   * Staged versions left for a day are discarded with their files; uploaded files nobody waits
   * for any more (an upload that failed half-way) are removed.
   */
  async expire(tx: TenantTx, tenantId: string, now: Date) {
    const before = new Date(now.getTime() - STAGED_TTL_MS);
    const stale = await Q.staleStaged(tx, before);
    for (const v of stale) {
      await Q.setVersion(tx, v.id, { status: 'discarded' });
      await this.svc.audit(
        tx,
        tenantId,
        null,
        'analytics.import.discarded',
        'analytics_dataset_version',
        v.id,
        {
          reason: 'expired',
        },
      );
      await removeVersionFiles(this.svc.engine, tenantId, v.id);
      await fs.rm(this.svc.uploadPath(tenantId, v.id), { force: true });
    }
    const dir = this.svc.uploadDir(tenantId);
    let removed = 0;
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const id = /^([0-9a-f-]{36})\.src$/.exec(name)?.[1];
      const stat = await fs.stat(path.join(dir, name)).catch(() => null);
      if (!id || !stat || stat.mtime >= before) continue;
      const v = await Q.version(tx, id);
      if (v && ['pending', 'importing', 'uploaded', 'validating', 'validated'].includes(v.status)) continue;
      await fs.rm(path.join(dir, name), { force: true });
      removed++;
    }
    return { discarded: stale.length, removed };
  }

  /**
   * The staged file's header and first rows (text), read in DuckDB — never the whole file —
   * and with `values` the few distinct values of each column among its first rows. 410 when
   * the file is no longer kept; 422 when it is unreadable, or has a header and no rows.
   */
  private async read(tenantId: string, versionId: string, values: boolean) {
    const file = this.svc.uploadPath(tenantId, versionId);
    if (!(await exists(file)))
      throw new AppError('GONE', 'the uploaded file is no longer kept: upload it again');
    const engine = this.svc.engine;
    return engine.with(async (c) => {
      await c.run("SET TimeZone = 'UTC'");
      const report = emptyReport();
      const header = await readHeader(engine, c, file, report);
      const refuse = (detail: string) =>
        new AppError('UNPROCESSABLE', `the file cannot be read as CSV or Parquet: ${detail}`, [
          { path: 'file', message: detail },
        ]);
      if (!header) throw refuse(report.fileErrors[0]?.detail ?? 'unreadable');
      let rows: (string | number | null)[][];
      try {
        rows = await engine.cells(c, `SELECT * FROM ${header.source} LIMIT ${PREVIEW_ROWS}`);
      } catch (e) {
        throw refuse(firstLine(e));
      }
      if (!rows.length) throw refuse('the file has a header but no rows');
      const seen: Record<string, string[]> = {};
      if (values) {
        const select = header.cols.map((col, i) => {
          const x = `nullif(trim(${ident(col)}), '')`;
          return `CASE WHEN count(DISTINCT ${x}) <= ${MAX_VALUES} THEN list_sort(list(DISTINCT ${x}) FILTER (WHERE ${x} IS NOT NULL)) END AS v${i}`;
        });
        const [r] = await engine.rows<Record<string, string[] | null>>(
          c,
          `SELECT ${select.join(', ')} FROM (SELECT * FROM ${header.source} LIMIT ${VALUES_SAMPLE})`,
        );
        header.cols.forEach((col, i) => {
          const xs = r?.[`v${i}`];
          if (xs?.length && xs.every((x) => x.length <= 100)) seen[col] = xs;
        });
      }
      return {
        columns: header.cols,
        rows: rows.map((row) => row.map((x) => (x === null ? null : String(x)))),
        values: seen,
      };
    });
  }
}

const actorOf = (v: VersionRow) => (v.createdBy === CLI_USER ? null : v.createdBy);
