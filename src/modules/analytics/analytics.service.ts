import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { eq, type SQL } from 'drizzle-orm';
import { withTenant, type TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { CasesApi, MIN_CELL as CASES_MIN_CELL } from '../cases/index.ts';
import { RisksApi } from '../risks/index.ts';
import { CATALOGUE, catalogueFor, definitionHash, indicatorById } from './analytics.catalogue.ts';
import type { z } from 'zod';
import type * as C from './analytics.contract.ts';
import { RunCreate } from './analytics.contract.ts';
import { AnalyticsEngine, lit } from './analytics.engine.ts';
import { expectedHits, hitsSummary, wantsExpectedHits } from './analytics.expected.ts';
import {
  type ColumnMapping,
  type ImportStage,
  importDeclarations,
  removeVersionFiles,
  type ValidationReport,
} from './analytics.import.ts';
import {
  computeIndicators,
  declarationPage,
  type IndicatorResult,
  keepPairs,
  openDataset,
  sourceOf,
} from './analytics.indicators.ts';
import {
  type ActorRow,
  actorPage,
  actorsFlagged,
  declaredRowsBehind,
  declaredSideSummary,
  elasticity,
  type MirrorRow,
  mirrorCountries,
  mirrorFlagged,
  mirrorPage,
  mirrorRowsBehind,
  mirrorSummary,
  openActors,
  openMirror,
} from './analytics.mirror.ts';
import { importTable, type TableMapping } from './analytics.trade.ts';
import {
  caseFromAlert,
  figureFormat,
  officeUnit,
  riskFromAlert,
  substantiation,
} from './analytics.triage.ts';
import {
  type AlertRow,
  type DatasetRow,
  Q,
  type ResultRow,
  type RunRow,
  type VersionRow,
} from './analytics.queries.ts';
import { analyticsAlerts, analyticsMappings } from './analytics.schema.ts';
import type { ALERT_STATUSES, DatasetKind } from './analytics.vocab.ts';

export const IMPORT_JOB = 'analytics.import';
/** The import job's payload; `locale` absent (a job queued before it existed): English. */
export type ImportJob = { versionId: string; locale?: Locale };
export const RUN_JOB = 'analytics.run';
/** Recorded as the author of CLI imports and runs (no signed-in user). */
export const CLI_USER = '00000000-0000-0000-0000-000000000000';

type AlertStatus = (typeof ALERT_STATUSES)[number];
/** Triage: who may go where (dismissed alerts may be reopened; escalations are final). */
export const TRANSITIONS: Record<AlertStatus, readonly AlertStatus[]> = {
  new: ['under_review', 'dismissed', 'escalated', 'risk_map'],
  under_review: ['dismissed', 'escalated', 'risk_map'],
  dismissed: ['under_review'],
  escalated: [],
  risk_map: [],
};

/** A dataset kind in an error message. */
const KIND_LABEL: Record<DatasetKind, string> = {
  declarations: 'declarations',
  trade: 'trade-statistics',
  duty_rates: 'duty-rate',
};

const engines = new WeakMap<object, AnalyticsEngine>();
/** One DuckDB engine per kernel (per process), its files under `<DATA_DIR>/analytics`. */
export function engineOf(k: Pick<Kernel, 'config'>): AnalyticsEngine {
  let e = engines.get(k.config);
  if (!e) {
    e = new AnalyticsEngine({ root: path.join(k.config.dataDir, 'analytics') });
    engines.set(k.config, e);
  }
  return e;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export class AnalyticsService {
  readonly engine: AnalyticsEngine;
  /** `pairsKept`: I10 pairs stored besides the significant ones (PAIRS_KEPT; tests make it small). */
  constructor(
    private readonly k: Kernel,
    private readonly o: { pairsKept?: number } = {},
  ) {
    this.engine = engineOf(k);
  }

  // ---- datasets and versions ----------------------------------------------------------------

  versionView(v: VersionRow): z.infer<typeof C.DatasetVersion> {
    return {
      id: v.id,
      datasetId: v.datasetId,
      number: v.number,
      status: v.status,
      stage: v.stage,
      mode: v.mode,
      sourceName: v.sourceName,
      contentHash: v.contentHash,
      sizeBytes: v.sizeBytes,
      mappingId: v.mappingId,
      columnMapping: v.columnMapping
        ? {
            columns: (v.columnMapping as ColumnMapping).columns as Record<string, string>,
            codes: ((v.columnMapping as ColumnMapping).codes ?? {}) as Record<string, Record<string, string>>,
          }
        : null,
      rowCount: v.rowCount,
      validRows: v.validRows,
      rejectedRows: v.rejectedRows,
      report: (v.report as ValidationReport | null) ?? null,
      error: v.error,
      createdAt: v.createdAt.toISOString(),
      importedAt: iso(v.importedAt),
    };
  }

  private datasetView(d: DatasetRow, versions: VersionRow[]): z.infer<typeof C.Dataset> {
    return {
      id: d.id,
      name: d.name,
      description: d.description,
      kind: d.kind,
      createdAt: d.createdAt.toISOString(),
      version: d.version,
      versions: versions.filter((v) => v.datasetId === d.id).map((v) => this.versionView(v)),
    };
  }

  async listDatasets(tx: TenantTx): Promise<z.infer<typeof C.Dataset>[]> {
    const ds = await Q.datasets(tx);
    const versions = await Q.versionsOf(
      tx,
      ds.map((d) => d.id),
    );
    return ds.map((d) => this.datasetView(d, versions));
  }

  async getDataset(tx: TenantTx, id: string) {
    const d = await Q.dataset(tx, id);
    if (!d) throw notFound('dataset');
    return this.datasetView(d, await Q.versionsOf(tx, [d.id]));
  }

  async findDatasetByName(tx: TenantTx, name: string) {
    const d = await Q.datasetByName(tx, name);
    return d ? this.datasetView(d, await Q.versionsOf(tx, [d.id])) : undefined;
  }

  async createDataset(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    body: z.input<typeof C.DatasetCreate>,
  ) {
    if (await Q.datasetByName(tx, body.name)) throw new AppError('ALREADY_EXISTS', 'a dataset has this name');
    const d = await Q.insertDataset(tx, {
      tenantId,
      name: body.name,
      kind: body.kind ?? 'declarations',
      description: body.description ?? '',
      createdBy: actorId ?? CLI_USER,
    });
    await this.audit(tx, tenantId, actorId, 'analytics.dataset.created', 'analytics_dataset', d.id, {
      name: d.name,
      kind: d.kind,
    });
    return this.getDataset(tx, d.id);
  }

  async getVersion(tx: TenantTx, id: string) {
    const v = await Q.version(tx, id);
    if (!v) throw notFound('dataset version');
    return this.versionView(v);
  }

  /** Where uploaded files wait for their import job (or the wizard's next step). */
  uploadDir(tenantId: string) {
    return path.join(this.engine.tenantDir(tenantId), 'uploads');
  }

  uploadPath(tenantId: string, versionId: string) {
    return path.join(this.uploadDir(tenantId), `${versionId}.src`);
  }

  /**
   * Records a pending version for a file already on disk at `uploadPath` (or given by the CLI),
   * or an `uploaded` one the import wizard stages. The same content already imported (or being
   * imported) into the dataset is refused (409) with that version's number: a re-import is
   * recognised by its SHA-256.
   */
  async createVersion(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    o: {
      datasetId: string;
      sourceName: string;
      contentHash: string;
      sizeBytes: number;
      mode: 'reject-file' | 'import-valid';
      mappingId?: string;
      id?: string;
      status?: 'pending' | 'uploaded';
    },
  ) {
    const d = await Q.dataset(tx, o.datasetId);
    if (!d) throw notFound('dataset');
    if (o.mappingId && !(await Q.mapping(tx, o.mappingId))) throw notFound('mapping');
    const same = await Q.importedWithHash(tx, d.id, o.contentHash);
    if (same)
      throw new AppError('ALREADY_EXISTS', `this file was already imported as version ${same.number}`, [
        { path: 'file', message: `version ${same.number} (${same.id})` },
      ]);
    const v = await Q.insertVersion(tx, {
      id: o.id ?? uuidv7(),
      tenantId,
      datasetId: d.id,
      number: await Q.nextNumber(tx, d.id),
      status: o.status ?? 'pending',
      mode: o.mode,
      sourceName: o.sourceName,
      contentHash: o.contentHash,
      sizeBytes: o.sizeBytes,
      mappingId: o.mappingId ?? null,
      createdBy: actorId ?? CLI_USER,
    });
    const action = v.status === 'uploaded' ? 'analytics.import.uploaded' : 'analytics.import.started';
    await this.audit(tx, tenantId, actorId, action, 'analytics_dataset_version', v.id, {
      dataset: d.name,
      number: v.number,
      sha256: v.contentHash,
      mode: v.mode,
    });
    return v;
  }

  /**
   * A new version of an uploaded file (createVersion's checks), the file written at its
   * `uploadPath` for the import job or the wizard's next step.
   */
  async stageUpload(
    tx: TenantTx,
    tenantId: string,
    actorId: string,
    file: UploadedFile,
    o: Pick<Parameters<AnalyticsService['createVersion']>[3], 'datasetId' | 'mode' | 'mappingId' | 'status'>,
  ) {
    const v = await this.createVersion(tx, tenantId, actorId, {
      ...o,
      sourceName: file.filename,
      contentHash: file.sha256,
      sizeBytes: file.size,
    });
    const target = this.uploadPath(tenantId, v.id);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.data);
    return v;
  }

  /**
   * The upload route: the file is written beside the data, then a job imports it, in the
   * uploader's language (the rejects file's explanations).
   */
  async upload(
    tx: TenantTx,
    tenantId: string,
    actorId: string,
    file: UploadedFile,
    fields: z.infer<typeof C.ImportFields>,
    locale: Locale = 'en',
  ) {
    const v = await this.stageUpload(tx, tenantId, actorId, file, fields);
    await this.enqueueImport(tx, tenantId, v.id, locale);
    return this.versionView(v);
  }

  /**
   * The import job of a pending version. The job carries the language of the user who started
   * the import: the rejects file explains each reason in it.
   */
  async enqueueImport(tx: TenantTx, tenantId: string, versionId: string, locale: Locale) {
    const payload: ImportJob = { versionId, locale };
    await this.k.jobs.enqueue(tx, IMPORT_JOB, payload, { tenantId, maxAttempts: 1 });
  }

  /**
   * Validates and imports a pending version (the job, or the CLI directly). The Parquet file
   * appears whole under its final name, and only then is the version marked imported; any
   * failure leaves no file and the version `failed`.
   */
  async executeImport(
    tenantId: string,
    versionId: string,
    o: { file?: string; onStage?: (s: ImportStage) => void; locale?: Locale } = {},
  ): Promise<VersionRow> {
    const scope = { tenantId, userId: null };
    const { v, mapping, kind } = await withTenant(this.k.db, scope, async (tx) => {
      const v = await Q.version(tx, versionId);
      if (!v) throw notFound('dataset version');
      if (v.status !== 'pending') throw new AppError('CONFLICT', `version is ${v.status}`);
      await Q.setVersion(tx, v.id, { status: 'importing', stage: null });
      return { v, mapping: await this.mappingOf(tx, v), kind: await this.kindOf(tx, v) };
    });
    const file = o.file ?? this.uploadPath(tenantId, versionId);
    try {
      const report = await this.checkAndWrite(kind, {
        tenantId,
        versionId,
        file,
        mode: v.mode,
        mapping,
        onStage: o.onStage,
        locale: o.locale,
      });
      const refused =
        report.fileErrors.length > 0 ||
        report.validRows === 0 ||
        (report.rejectedRows > 0 && v.mode === 'reject-file');
      return await withTenant(this.k.db, scope, async (tx) => {
        await Q.setVersion(tx, v.id, {
          status: refused ? 'rejected' : 'imported',
          stage: 'done',
          rowCount: report.rows,
          validRows: refused ? 0 : report.validRows,
          rejectedRows: report.rejectedRows,
          report,
          importedAt: refused ? null : new Date(),
        });
        await this.audit(
          tx,
          tenantId,
          v.createdBy === CLI_USER ? null : v.createdBy,
          refused ? 'analytics.import.rejected' : 'analytics.import.finished',
          'analytics_dataset_version',
          v.id,
          {
            rows: report.rows,
            valid: report.validRows,
            rejected: report.rejectedRows,
          },
        );
        if (refused) await removeVersionFiles(this.engine, tenantId, v.id);
        return (await Q.version(tx, v.id)) as VersionRow;
      });
    } catch (e) {
      await removeVersionFiles(this.engine, tenantId, v.id);
      await withTenant(this.k.db, scope, (tx) =>
        Q.setVersion(tx, v.id, {
          status: 'failed',
          error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
        }),
      );
      throw e;
    } finally {
      if (!o.file) await fs.rm(file, { force: true });
    }
  }

  /** The mapping a version is read with: the wizard's, else its saved mapping's (else none). */
  async mappingOf(tx: TenantTx, v: VersionRow): Promise<ColumnMapping | undefined> {
    if (v.columnMapping) return v.columnMapping as ColumnMapping;
    return ((v.mappingId ? await Q.mapping(tx, v.mappingId) : undefined)?.mapping ?? undefined) as
      | ColumnMapping
      | undefined;
  }

  async kindOf(tx: TenantTx, v: VersionRow): Promise<DatasetKind> {
    return (await Q.dataset(tx, v.datasetId))?.kind ?? 'declarations';
  }

  /**
   * Reads, validates and (unless refused) writes a version's file, the stage it is at recorded
   * on the version for the wizard to poll. Partner trade statistics and duty-rate tables have
   * their own columns (analytics.trade.ts).
   */
  async checkAndWrite(
    kind: DatasetKind,
    o: {
      tenantId: string;
      versionId: string;
      file: string;
      mode: 'reject-file' | 'import-valid';
      mapping: ColumnMapping | undefined;
      onStage?: (s: ImportStage) => void;
      /** The rejects file's language (import-valid mode). */
      locale?: Locale;
    },
  ): Promise<ValidationReport> {
    // Stages are written one after the other, never blocking the import; the last one is
    // written before the import's own result.
    let written = Promise.resolve();
    const onStage = (s: ImportStage) => {
      o.onStage?.(s);
      written = written
        .then(() =>
          withTenant(this.k.db, { tenantId: o.tenantId, userId: null }, (tx) =>
            Q.setVersion(tx, o.versionId, { stage: s }),
          ),
        )
        .then(
          () => undefined,
          () => undefined,
        );
    };
    const common = {
      tenantId: o.tenantId,
      versionId: o.versionId,
      file: o.file,
      mode: o.mode,
      locale: o.locale,
      onStage,
    };
    try {
      return kind === 'declarations'
        ? await importDeclarations(this.engine, { ...common, mapping: o.mapping })
        : await importTable(this.engine, {
            ...common,
            kind,
            mapping: o.mapping?.columns as TableMapping | undefined,
          });
    } finally {
      await written;
    }
  }

  /** The rejected rows of an import, as saved (CSV with row numbers and reasons). */
  async rejects(tx: TenantTx, tenantId: string, versionId: string) {
    const v = await this.getVersion(tx, versionId);
    if (!v.rejectedRows || v.status !== 'imported') throw notFound('rejected rows');
    return {
      filename: `rejects-${v.number}.csv`,
      data: await fs.readFile(this.engine.rejectsPath(tenantId, v.id)),
    };
  }

  // ---- mappings ------------------------------------------------------------------------------

  private mappingView(m: typeof analyticsMappings.$inferSelect): z.infer<typeof C.Mapping> {
    const mm = m.mapping as ColumnMapping;
    return {
      id: m.id,
      name: m.name,
      sourceSystem: m.sourceSystem,
      columns: mm.columns as Record<string, string>,
      codes: (mm.codes ?? {}) as Record<string, Record<string, string>>,
      version: m.version,
    };
  }

  async listMappings(tx: TenantTx) {
    return (await Q.mappings(tx)).map((m) => this.mappingView(m));
  }

  async findMappingByName(tx: TenantTx, name: string) {
    const m = await Q.mappingByName(tx, name);
    return m ? this.mappingView(m) : undefined;
  }

  async createMapping(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    b: z.infer<typeof C.MappingBody>,
  ) {
    if (await Q.mappingByName(tx, b.name)) throw new AppError('ALREADY_EXISTS', 'a mapping has this name');
    const m = await Q.insertMapping(tx, {
      tenantId,
      name: b.name,
      sourceSystem: b.sourceSystem,
      mapping: { columns: b.columns, codes: b.codes },
      createdBy: actorId ?? CLI_USER,
    });
    await this.audit(tx, tenantId, actorId, 'analytics.mapping.created', 'analytics_mapping', m.id, {
      name: m.name,
    });
    return this.mappingView(m);
  }

  async updateMapping(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    id: string,
    b: z.infer<typeof C.MappingUpdate>,
  ) {
    if (!(await Q.mapping(tx, id))) throw notFound('mapping');
    const other = await Q.mappingByName(tx, b.name);
    if (other && other.id !== id) throw new AppError('ALREADY_EXISTS', 'a mapping has this name');
    const m = await updateVersioned(tx, analyticsMappings, id, b.version, {
      name: b.name,
      sourceSystem: b.sourceSystem,
      mapping: { columns: b.columns, codes: b.codes },
    });
    await this.audit(tx, tenantId, actorId, 'analytics.mapping.updated', 'analytics_mapping', id, {
      name: b.name,
    });
    return this.mappingView(m);
  }

  // ---- catalogue, runs, results ----------------------------------------------------------------

  catalogue(locale: Locale): z.infer<typeof C.IndicatorDef>[] {
    return CATALOGUE.map((i) => ({
      id: i.id,
      version: i.version,
      kind: i.kind,
      name: t(locale, `analytics.indicators.${i.id}.name`),
      description: t(locale, `analytics.indicators.${i.id}.description`),
      unit: i.unit,
      direction: i.direction,
      subject: i.subject,
      radFactor: i.radFactor,
      source: i.source,
      formula: i.formula as Record<string, string | number>,
      hash: definitionHash(i),
    }));
  }

  private runView(r: RunRow): z.infer<typeof C.Run> {
    return {
      id: r.id,
      datasetVersionId: r.datasetVersionId,
      status: r.status,
      periodFrom: r.periodFrom,
      periodTo: r.periodTo,
      catalogue: r.catalogue as Record<string, number>,
      params: (r.params as Record<string, unknown> | null) ?? null,
      alertCount: r.alertCount,
      seconds: r.seconds,
      error: r.error,
      createdAt: r.createdAt.toISOString(),
      finishedAt: iso(r.finishedAt),
    };
  }

  async listRuns(tx: TenantTx, datasetVersionId?: string) {
    return (await Q.runs(tx, datasetVersionId)).map((r) => this.runView(r));
  }

  async getRun(tx: TenantTx, id: string) {
    const r = await Q.run(tx, id);
    if (!r) throw notFound('run');
    return this.runView(r);
  }

  /** A pending run of the whole catalogue over an imported version (`enqueue`: as a job). */
  async createRun(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    unchecked: z.infer<typeof C.RunCreate>,
    enqueue = true,
  ) {
    // A route has parsed the body already; the CLI builds it from its options (--factor abc was
    // NaN, --threshold -1 and --factor 0.5 outside the contract's bounds), so check it here too.
    const parsed = RunCreate.safeParse(unchecked);
    if (!parsed.success) throw validationFailed('The run settings are not valid', parsed.error.issues);
    const b = parsed.data;
    const v = await Q.version(tx, b.datasetVersionId);
    if (!v) throw notFound('dataset version');
    if (v.status !== 'imported') throw new AppError('CONFLICT', `the dataset version is ${v.status}`);
    const kind = (await Q.dataset(tx, v.datasetId))?.kind ?? 'declarations';
    if (kind === 'duty_rates')
      throw new AppError('CONFLICT', 'a duty-rate table has no indicators: use it in a mirror run');
    if (kind === 'trade' && !b.mirror)
      throw new AppError('VALIDATION_FAILED', 'a run over trade statistics is a mirror run', [
        { path: 'mirror', message: 'required (country, factor)' },
      ]);
    if (kind !== 'trade' && b.mirror)
      throw new AppError('VALIDATION_FAILED', 'a mirror run needs a trade-statistics dataset', [
        { path: 'mirror', message: 'not for declarations' },
      ]);
    if (b.mirror?.dutyRatesVersionId) await this.ratesVersion(tx, b.mirror.dutyRatesVersionId);
    if (b.mirror?.declarationsVersionId) await this.declarationsVersion(tx, b.mirror.declarationsVersionId);
    const r = await Q.insertRun(tx, {
      tenantId,
      datasetVersionId: v.id,
      periodFrom: b.from ?? null,
      periodTo: b.to ?? null,
      // I17 needs the declared side from declarations: not in a run over the trade file alone;
      // I15 is one regression over all cells, shown on the mirror page, not a subject's result.
      catalogue: Object.fromEntries(
        catalogueFor(kind)
          .filter((i) => i.id !== 'I15' && (i.id !== 'I17' || b.mirror?.declarationsVersionId))
          .map((i) => [i.id, i.version]),
      ),
      params: b.mirror ? { kind: 'mirror', ...b.mirror } : null,
      createdBy: actorId ?? CLI_USER,
    });
    await this.audit(tx, tenantId, actorId, 'analytics.run.started', 'analytics_run', r.id, {
      datasetVersionId: v.id,
    });
    if (enqueue) await this.k.jobs.enqueue(tx, RUN_JOB, { runId: r.id }, { tenantId, maxAttempts: 1 });
    return this.runView(r);
  }

  /**
   * Computes the catalogue (DuckDB, outside any transaction), then stores results and new alerts.
   * Returns every alert the run's results support: the new ones and those raised before.
   */
  async executeRun(tenantId: string, runId: string): Promise<{ run: RunRow; alerts: RunAlert[] }> {
    const scope = { tenantId, userId: null };
    const run = await withTenant(this.k.db, scope, async (tx) => {
      const r = await Q.run(tx, runId);
      if (!r) throw notFound('run');
      if (r.status !== 'pending') throw new AppError('CONFLICT', `run is ${r.status}`);
      await Q.setRun(tx, r.id, { status: 'running' });
      return r;
    });
    const started = performance.now();
    let results: IndicatorResult[];
    const mirror =
      (run.params as MirrorRunParams | null)?.kind === 'mirror' ? (run.params as MirrorRunParams) : null;
    let summary: Record<string, unknown> | undefined;
    try {
      if (mirror) ({ results, summary } = await this.computeMirror(tenantId, run.datasetVersionId, mirror));
      else {
        const parquet = this.engine.parquetPath(tenantId, run.datasetVersionId);
        const hits = wantsExpectedHits(run.catalogue as Record<string, number>)
          ? await this.expectedHits(tenantId, run.id, parquet)
          : null;
        results = await computeIndicators(this.engine, parquet, {
          from: run.periodFrom ?? undefined,
          to: run.periodTo ?? undefined,
          hits: hits?.file ?? null,
        });
        if (hits) summary = { expectedHits: hitsSummary(hits) };
      }
    } catch (e) {
      await withTenant(this.k.db, scope, (tx) =>
        Q.setRun(tx, run.id, {
          status: 'failed',
          error: (e instanceof Error ? e.message : String(e)).slice(0, 500),
          finishedAt: new Date(),
        }),
      );
      throw e;
    }
    const seconds = (performance.now() - started) / 1000;
    // I10's significant pairs and the most deviant others are written, not every candidate; how
    // many were tested, evaluated and stored goes to the run's params (the pairs page says so).
    const kept = keepPairs(results, this.o.pairsKept);
    return withTenant(this.k.db, scope, async (tx) => {
      await Q.insertResults(
        tx,
        kept.results.map((r) => ({ tenantId, runId: run.id, ...resultOf(r) })),
      );
      // A flagged result already raised on this version for the same period (alertKey) is not
      // raised twice: the run reports the alert there is, with its triage status, beside the new.
      const known = new Map((await Q.alertsOfVersion(tx, run.datasetVersionId)).map((a) => [alertKey(a), a]));
      const again = new Set<AlertRow>();
      const newRows = new Map<string, typeof analyticsAlerts.$inferInsert>();
      for (const r of results) {
        if (!r.flagged) continue;
        const row = {
          tenantId,
          runId: run.id,
          datasetVersionId: run.datasetVersionId,
          ...measure(r),
          periodFrom: run.periodFrom,
          periodTo: run.periodTo,
          limit: limitOf(r),
          score: r.score,
        };
        const key = alertKey(row);
        const old = known.get(key);
        if (old) again.add(old);
        else if (!newRows.has(key)) newRows.set(key, row);
      }
      const fresh = await Q.insertAlerts(tx, [...newRows.values()]);
      await Q.setRun(tx, run.id, {
        status: 'done',
        alertCount: fresh.length,
        seconds,
        finishedAt: new Date(),
        ...(mirror
          ? { params: { ...mirror, summary } }
          : summary || kept.pairs
            ? { params: { ...summary, ...(kept.pairs ? { pairs: kept.pairs } : {}) } }
            : {}),
      });
      await this.audit(
        tx,
        tenantId,
        run.createdBy === CLI_USER ? null : run.createdBy,
        'analytics.run.finished',
        'analytics_run',
        run.id,
        {
          results: kept.results.length,
          ...(kept.pairs ? { pairs: kept.pairs } : {}),
          alerts: fresh.length,
          seconds,
        },
      );
      const alerts: RunAlert[] = [
        ...fresh.map((a) => ({ ...a, isNew: true })),
        ...[...again].map((a) => ({ ...a, isNew: false })),
      ].sort((x, y) => y.score - x.score);
      return { run: (await Q.run(tx, run.id)) as RunRow, alerts };
    });
  }

  /**
   * I6's expected hits for a run (analytics.expected.ts): trained once per version, then reused.
   * The step's progress (stage, folds done) goes to the run's params for the funnel page.
   */
  private async expectedHits(tenantId: string, runId: string, parquet: string) {
    const scope = { tenantId, userId: null };
    let written = Promise.resolve();
    const h = await expectedHits(this.engine, parquet, {
      onProgress: (p) => {
        written = written.then(async () => {
          await withTenant(this.k.db, scope, (tx) => Q.setRun(tx, runId, { params: { expectedHits: p } }));
        });
      },
    });
    await written;
    return h;
  }

  async results(tx: TenantTx, runId: string, indicatorId: string): Promise<z.infer<typeof C.Result>[]> {
    await this.getRun(tx, runId);
    return (await Q.results(tx, runId, indicatorId)).map(resultOf);
  }

  // ---- mirror analysis (partner trade statistics) ----------------------------------------------

  /** An imported version of a dataset of this kind, or 404 (another tenant's is not found). */
  async versionOfKind(tx: TenantTx, id: string, kind: DatasetKind, field?: string) {
    const v = await Q.version(tx, id);
    const d = v && (await Q.dataset(tx, v.datasetId));
    if (!v || !d) throw notFound('dataset version');
    if (d.kind !== kind)
      throw new AppError('VALIDATION_FAILED', `not a ${KIND_LABEL[kind]} dataset`, [
        {
          path: field ?? (kind === 'duty_rates' ? 'dutyRatesVersionId' : 'id'),
          message: `dataset kind is ${d.kind}`,
        },
      ]);
    if (v.status !== 'imported') throw new AppError('CONFLICT', `the dataset version is ${v.status}`);
    return v;
  }

  private ratesVersion(tx: TenantTx, id: string) {
    return this.versionOfKind(tx, id, 'duty_rates');
  }

  private declarationsVersion(tx: TenantTx, id: string) {
    return this.versionOfKind(tx, id, 'declarations', 'declarationsVersionId');
  }

  /** The declared side's Parquet file (of a version checked when asked for, or a run's). */
  private declaredFile(tenantId: string, id: string, currencyFactor?: number): DeclaredFile {
    return { id, path: this.engine.parquetPath(tenantId, id), currencyFactor: currencyFactor ?? 1 };
  }

  /** The declared side's Parquet file when it comes from a declarations version (checked). */
  private async declaredOption(
    tx: TenantTx,
    tenantId: string,
    q: { declarationsVersionId?: string; currencyFactor?: number },
  ) {
    if (!q.declarationsVersionId) return undefined;
    const d = await this.declarationsVersion(tx, q.declarationsVersionId);
    return this.declaredFile(tenantId, d.id, q.currencyFactor);
  }

  /** The declared side as the mirror and actor pages show it (after `openMirror` with it). */
  private async declaredView(c: DuckDBConnection, d: DeclaredFile) {
    return {
      versionId: d.id,
      currencyFactor: d.currencyFactor,
      ...(await declaredSideSummary(this.engine, c)),
    };
  }

  /**
   * The declarations behind a figure of a declared side: a cell's (I13) or an actor's (I17).
   * Which declarations count does not depend on the CIF/FOB factor (a cell is two-sided or not),
   * so the row queries need none.
   */
  private declaredRows(
    trade: string,
    o: { country: string; factor?: number },
    declared: DeclaredFile,
    which: Parameters<typeof declaredRowsBehind>[2],
  ) {
    return this.engine.with(async (c) => {
      await openMirror(c, trade, { country: o.country, factor: o.factor ?? 1.1, declared });
      return declaredRowsBehind(this.engine, c, which);
    });
  }

  /** Mirror gaps of a trade version for one country, computed live in DuckDB (a sorted page). */
  async mirror(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    q: z.infer<typeof C.MirrorQuery>,
  ): Promise<z.infer<typeof C.Mirror>> {
    const v = await this.versionOfKind(tx, versionId, 'trade');
    const rates = q.dutyRatesVersionId ? await this.ratesVersion(tx, q.dutyRatesVersionId) : undefined;
    const declared = await this.declaredOption(tx, tenantId, q);
    const filter = { hs: q.hs, partner: q.partner, year: q.year, twoSided: q.twoSided === 'true' };
    return this.engine.with(async (c) => {
      await openMirror(c, this.engine.parquetPath(tenantId, v.id), {
        country: q.country,
        factor: q.factor,
        rates: rates && this.engine.parquetPath(tenantId, rates.id),
        declared,
      });
      const page = await mirrorPage(this.engine, c, {
        sort: q.sort,
        limit: q.limit,
        offset: q.offset,
        filter,
      });
      return {
        country: q.country,
        factor: q.factor,
        dutyRatesVersionId: rates?.id ?? null,
        declared: declared ? await this.declaredView(c, declared) : null,
        // I15 over every cell with a rate (not only the page shown).
        elasticity: rates ? await elasticity(this.engine, c) : null,
        ...page,
        // The summary covers every cell (one-sided ones too), within the HS / partner / year chosen.
        summary: await mirrorSummary(this.engine, c, { ...filter, twoSided: false }),
      };
    });
  }

  /** The reporters of a trade version with imports (the countries a mirror analysis can take). */
  async mirrorCountries(tx: TenantTx, tenantId: string, versionId: string) {
    const v = await this.versionOfKind(tx, versionId, 'trade');
    return mirrorCountries(this.engine, this.engine.parquetPath(tenantId, v.id));
  }

  /** The rows behind one mirror cell: trade rows (both sides, every flow), or the declarations. */
  async mirrorCell(tx: TenantTx, tenantId: string, versionId: string, q: z.infer<typeof C.MirrorCellQuery>) {
    const v = await this.versionOfKind(tx, versionId, 'trade');
    const declared = await this.declaredOption(tx, tenantId, q);
    const trade = this.engine.parquetPath(tenantId, v.id);
    if (!declared) return mirrorRowsBehind(this.engine, trade, q);
    return this.declaredRows(trade, q, declared, { cell: q });
  }

  /** I17: the declarations of one actor in the cells that gave it a share of a gap. */
  async mirrorActorRows(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    q: z.infer<typeof C.MirrorActorRowsQuery>,
  ) {
    const v = await this.versionOfKind(tx, versionId, 'trade');
    const d = await this.declarationsVersion(tx, q.declarationsVersionId);
    return this.declaredRows(
      this.engine.parquetPath(tenantId, v.id),
      q,
      this.declaredFile(tenantId, d.id, q.currencyFactor),
      { actor: { role: q.role, id: q.actor } },
    );
  }

  /** I17: the mirror gaps attributed to officers, declarants and importers (a sorted page). */
  async mirrorActors(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    q: z.infer<typeof C.MirrorActorsQuery>,
  ): Promise<z.infer<typeof C.MirrorActors>> {
    const v = await this.versionOfKind(tx, versionId, 'trade');
    const d = await this.declarationsVersion(tx, q.declarationsVersionId);
    const declared = this.declaredFile(tenantId, d.id, q.currencyFactor);
    return this.engine.with(async (c) => {
      await openMirror(c, this.engine.parquetPath(tenantId, v.id), {
        country: q.country,
        factor: q.factor,
        declared,
      });
      await openActors(c);
      const page = await actorPage(this.engine, c, { role: q.role, limit: q.limit, offset: q.offset });
      const summary = await mirrorSummary(this.engine, c);
      return {
        country: q.country,
        factor: q.factor,
        declared: await this.declaredView(c, declared),
        ...page,
        positiveGap: summary.positiveGap,
      };
    });
  }

  /** A mirror run: the flagged cells as I13 results (alerts), the summary for the run. */
  private async computeMirror(tenantId: string, versionId: string, p: MirrorRunParams) {
    const declared = p.declarationsVersionId
      ? this.declaredFile(tenantId, p.declarationsVersionId, p.currencyFactor)
      : undefined;
    return this.engine.with(async (c) => {
      await openMirror(c, this.engine.parquetPath(tenantId, versionId), {
        country: p.country,
        factor: p.factor,
        rates: p.dutyRatesVersionId && this.engine.parquetPath(tenantId, p.dutyRatesVersionId),
        declared,
      });
      const flagged = await mirrorFlagged(this.engine, c, { threshold: p.threshold, minGap: p.minGap });
      const ind = indicatorById('I13') as (typeof CATALOGUE)[number];
      const results = flagged.map((r) => mirrorResult(r, ind.version, p.threshold));
      const summary: Record<string, unknown> = {
        ...(await mirrorSummary(this.engine, c)),
        flagged: flagged.length,
      };
      if (declared) {
        await openActors(c);
        const actors = await actorsFlagged(this.engine, c, { threshold: p.threshold, minGap: p.minGap });
        const i17 = indicatorById('I17') as (typeof CATALOGUE)[number];
        results.push(...actors.map((a) => actorResult(a, i17.version, p.threshold)));
        const d = await declaredSideSummary(this.engine, c);
        Object.assign(summary, {
          declarations: d.declarations,
          unmatchedOrigins: d.unmatchedOrigins,
          partialYears: d.partialYears,
          actorsFlagged: actors.length,
        });
      }
      return { results, summary };
    });
  }

  // ---- alerts --------------------------------------------------------------------------------

  /**
   * What the explanations of mirror alerts need beyond the alert's columns, from their run's
   * results: an I13 cell's partner name, an I17 actor's attributed gap and declared value.
   */
  private async partnerNames(tx: TenantTx, alerts: AlertRow[]): Promise<Map<string, Extra>> {
    const mirror = alerts.filter((a) => a.subjectType === 'hs_partner_year' || a.indicatorId === 'I17');
    if (!mirror.length) return new Map();
    const rows = await Q.mirrorResults(
      tx,
      [...new Set(mirror.map((a) => a.runId))],
      mirror.map((a) => a.subjectId),
    );
    return new Map(rows.map((r) => [extraKey(r), (r.extra ?? {}) as Extra]));
  }

  alertView(a: AlertRow, locale: Locale, names?: Map<string, Extra>): z.infer<typeof C.Alert> {
    return {
      id: a.id,
      runId: a.runId,
      datasetVersionId: a.datasetVersionId,
      ...measure(a),
      limit: a.limit,
      score: a.score,
      explanation: explain(a, locale, names?.get(extraKey(a))),
      periodFrom: a.periodFrom,
      periodTo: a.periodTo,
      status: a.status,
      reason: a.reason,
      reference: a.reference,
      caseId: a.caseId,
      riskId: a.riskId,
      createdAt: a.createdAt.toISOString(),
      version: a.version,
    };
  }

  async listAlerts(tx: TenantTx, q: z.infer<typeof C.AlertsQuery>, locale: Locale) {
    const where: SQL[] = [];
    if (q.status) where.push(eq(analyticsAlerts.status, q.status));
    if (q.indicator) where.push(eq(analyticsAlerts.indicatorId, q.indicator));
    if (q.runId) where.push(eq(analyticsAlerts.runId, q.runId));
    const alerts = await Q.alerts(tx, where);
    const names = await this.partnerNames(tx, alerts);
    return alerts.map((a) => this.alertView(a, locale, names));
  }

  async getAlert(tx: TenantTx, id: string, locale: Locale) {
    const a = await Q.alert(tx, id);
    if (!a) throw notFound('alert');
    return this.alertView(a, locale, await this.partnerNames(tx, [a]));
  }

  async triage(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    b: z.infer<typeof C.Triage>,
    locale: Locale,
  ) {
    const actorId = actor.userId;
    const a = await Q.alert(tx, id);
    if (!a) throw notFound('alert');
    if (!TRANSITIONS[a.status].includes(b.status))
      throw new AppError('CONFLICT', `an alert that is ${a.status} cannot become ${b.status}`);
    if (b.status === 'dismissed' && !b.reason)
      throw new AppError('VALIDATION_FAILED', 'a dismissal needs a reason', [
        { path: 'reason', message: 'required' },
      ]);
    // Escalating opens a case in the cases module, adding to the risk map a draft risk in the
    // risks module's register (each once per alert), in this transaction; the alert keeps its id
    // and reference, and the reference typed (if any) next to it. The register asks for its own
    // create permission (403 without it); a case is a referral any triager may make.
    // A mirror alert's explanation quotes its run's results: read once, for the risk and the answer.
    const names = await this.partnerNames(tx, [a]);
    let reference = b.reference ?? a.reference;
    let caseId: string | null = a.caseId;
    let riskId: string | null = a.riskId;
    // The unit the escalated case concerns: the alert's office, when a unit of the organisation
    // is that office (null otherwise, recorded as such with the escalation).
    let caseUnit: string | null = null;
    const typed = (ref: string) => (b.reference ? `${ref} · ${b.reference}` : ref);
    if (b.status === 'escalated') {
      caseUnit = await officeUnit(tx, a.officeCode);
      const opened = await new CasesApi(this.k).openFromSource(tx, tenantId, actor, {
        ...caseFromAlert(a, locale, caseUnit),
        sourceKind: 'analytics_alert',
      });
      caseId = opened.id;
      reference = typed(opened.reference);
    }
    if (b.status === 'risk_map') {
      const extra = names.get(extraKey(a));
      const risk = await new RisksApi(this.k).createFromSource(
        tx,
        tenantId,
        actor,
        riskFromAlert(a, explain(a, locale, extra), locale, extra),
      );
      riskId = risk.id;
      reference = typed(risk.ref);
    }
    const u = await updateVersioned(tx, analyticsAlerts, id, b.version, {
      status: b.status,
      reason: b.reason ?? (b.status === 'under_review' ? null : a.reason),
      reference,
      caseId,
      riskId,
      decidedBy: actorId,
      decidedAt: new Date(),
    });
    await this.audit(tx, tenantId, actorId, `analytics.alert.${b.status}`, 'analytics_alert', id, {
      from: a.status,
      reason: b.reason ?? null,
      reference: b.reference ?? null,
      ...(b.status === 'escalated' ? { caseId, caseUnitId: caseUnit } : {}),
      ...(b.status === 'risk_map' ? { riskId } : {}),
    });
    return this.alertView(u, locale, names);
  }

  /**
   * Per indicator that raises alerts: how triage decided them, and the share of escalated alerts
   * whose case was closed as substantiated (read through the cases module; analytics.triage.ts).
   */
  async substantiation(tx: TenantTx): Promise<z.infer<typeof C.Substantiation>> {
    const rows = await Q.triageRows(tx);
    const ids = (k: 'caseId' | 'riskId') => rows.flatMap((r) => (r[k] ? [r[k]] : []));
    return {
      minCell: CASES_MIN_CELL,
      items: substantiation(
        CATALOGUE.filter((i) => i.alerts).map((i) => i.id),
        rows,
        await new CasesApi(this.k).standing(tx, ids('caseId')),
        await new RisksApi(this.k).statuses(tx, ids('riskId')),
        CASES_MIN_CELL,
      ),
    };
  }

  /** The declarations behind an alert (first 200, and how many in all), read from Parquet. */
  async alertDeclarations(
    tx: TenantTx,
    tenantId: string,
    id: string,
  ): Promise<z.infer<typeof C.DeclarationRows>> {
    const a = await Q.alert(tx, id);
    if (!a) throw notFound('alert');
    const run = await Q.run(tx, a.runId);
    const ind = indicatorById(a.indicatorId);
    if (!ind || !run) throw notFound('indicator');
    if (ind.kind === 'mirror') {
      const p = run.params as MirrorRunParams;
      const trade = this.engine.parquetPath(tenantId, a.datasetVersionId);
      if (!p.declarationsVersionId)
        return mirrorRowsBehind(this.engine, trade, { country: p.country, ...parseCell(a.subjectId) });
      // Declared side from declarations: the declarations of the cell (I13), or those of the
      // officer / declarant in the cells that gave it a share of a gap (I17).
      const d = await this.declarationsVersion(tx, p.declarationsVersionId);
      return this.declaredRows(
        trade,
        p,
        this.declaredFile(tenantId, d.id, p.currencyFactor),
        a.indicatorId === 'I17'
          ? { actor: { role: a.subjectType === 'declarant' ? 'declarant' : 'officer', id: a.subjectId } }
          : { cell: parseCell(a.subjectId) },
      );
    }
    let where: string;
    if (ind.kind === 'funnel')
      where = `(${ind.formula.subject}) = ${lit(a.subjectId)} AND (${ind.formula.filter})`;
    else if (ind.kind === 'pairs')
      where = `officer_id = ${lit(a.officerId ?? '')} AND declarant_id = ${lit(a.declarantId ?? '')} AND office_code = ${lit(a.officeCode ?? '')} AND ${ind.formula.scope}`;
    else where = `officer_id = ${lit(a.officerId ?? '')} AND ${ind.formula.scope ?? 'TRUE'}`;
    return this.engine.with(async (c) => {
      await openDataset(c, this.engine.parquetPath(tenantId, a.datasetVersionId), {
        from: run.periodFrom ?? undefined,
        to: run.periodTo ?? undefined,
        only: [ind.id],
      });
      return declarationPage(this.engine, c, sourceOf(ind.id), where, 200);
    });
  }

  audit(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId, action, entityType, entityId, data });
  }
}

type Measured = Pick<
  AlertRow,
  | 'indicatorId'
  | 'indicatorVersion'
  | 'subjectType'
  | 'subjectId'
  | 'officerId'
  | 'declarantId'
  | 'officeCode'
  | 'n'
  | 'observed'
  | 'expected'
>;

/** An alert as the run raises it again or not: the same indicator version, subject, office and period. */
export const alertKey = (
  a: Pick<
    AlertRow,
    | 'indicatorId'
    | 'indicatorVersion'
    | 'subjectType'
    | 'subjectId'
    | 'officeCode'
    | 'periodFrom'
    | 'periodTo'
  >,
) =>
  JSON.stringify([
    a.indicatorId,
    a.indicatorVersion,
    a.subjectType,
    a.subjectId,
    a.officeCode,
    a.periodFrom,
    a.periodTo,
  ]);

/** An alert of a run: new in it, or raised before on the same version and period. */
export type RunAlert = AlertRow & { isNew: boolean };

/** The key of a mirror alert's result extras (partner name, attributed gap). */
const extraKey = (a: Pick<AlertRow, 'indicatorId' | 'runId' | 'subjectType' | 'subjectId'>) =>
  `${a.indicatorId}:${a.runId}:${a.subjectType}:${a.subjectId}`;

/** What a result and an alert say about their subject (the columns they share). */
const measure = (r: Measured): Measured => ({
  indicatorId: r.indicatorId,
  indicatorVersion: r.indicatorVersion,
  subjectType: r.subjectType,
  subjectId: r.subjectId,
  officerId: r.officerId,
  declarantId: r.declarantId,
  officeCode: r.officeCode,
  n: r.n,
  observed: r.observed,
  expected: r.expected,
});

/** A subject's result with its funnel limits: stored as computed, and shown as stored. */
export const resultOf = (
  r: Measured & Pick<ResultRow, 'lower95' | 'upper95' | 'lower998' | 'upper998' | 'score' | 'extra'>,
): z.infer<typeof C.Result> => ({
  ...measure(r),
  lower95: r.lower95,
  upper95: r.upper95,
  lower998: r.lower998,
  upper998: r.upper998,
  score: r.score,
  extra: r.extra as z.infer<typeof C.Result>['extra'],
});

/** A file as the upload route hands it over. */
export type UploadedFile = { filename: string; data: Buffer; sha256: string; size: number };

/** A declared side from a declarations version: its Parquet file and currency factor. */
type DeclaredFile = { id: string; path: string; currencyFactor: number };

/** A result's `extra` (figures an explanation may quote). */
type Extra = Record<string, unknown>;

/** A mirror run's settings (runs.params), with its summary once done. */
export type MirrorRunParams = z.infer<typeof C.MirrorParams> & { kind: 'mirror'; summary?: unknown };

/** A mirror cell's subject id: `<hs>/<partner>/<year>`. */
export const cellId = (r: Pick<MirrorRow, 'hs_code' | 'partner' | 'year'>) =>
  `${r.hs_code}/${r.partner}/${r.year}`;
export function parseCell(id: string) {
  const a = id.indexOf('/');
  const b = id.lastIndexOf('/');
  return { hs: id.slice(0, a), partner: id.slice(a + 1, b), year: Number(id.slice(b + 1)) };
}

/**
 * A flagged mirror cell as an I13 result: observed = declared imports M, expected = the
 * partner's exports at CIF (X·c), limit = the declared value below which the log gap reaches the
 * threshold (X·c·e^−threshold), score = the log gap.
 */
export function mirrorResult(r: MirrorRow, version: number, threshold: number): IndicatorResult {
  const expected = r.mirror_cif ?? 0;
  return {
    indicatorId: 'I13',
    indicatorVersion: version,
    subjectType: 'hs_partner_year',
    subjectId: cellId(r),
    officerId: null,
    declarantId: null,
    officeCode: null,
    n: r.declared_rows + r.mirror_rows,
    observed: r.declared_value ?? 0,
    expected,
    lower95: null,
    upper95: null,
    lower998: expected * Math.exp(-threshold),
    upper998: null,
    score: r.value_gap_log ?? 0,
    flagged: true,
    extra: {
      hs_code: r.hs_code,
      partner: r.partner,
      partner_name: r.partner_name,
      year: r.year,
      value_gap_log: r.value_gap_log,
      value_gap_abs: r.value_gap_abs,
      quantity_gap_log: r.quantity_gap_log,
      weight_gap_log: r.weight_gap_log,
      reexport_value: r.reexport_value,
      duty_rate: r.duty_rate,
      revenue_loss: r.revenue_loss,
      caveats: r.caveats.join(','),
    },
  };
}

/**
 * An officer or declarant flagged by I17: observed = its value-weighted log gap, expected = 0 (no
 * gap), limit = the threshold, score = the log gap; the attributed gap, the declared value and
 * the caveats are in `extra`.
 */
export function actorResult(a: ActorRow, version: number, threshold: number): IndicatorResult {
  return {
    indicatorId: 'I17',
    indicatorVersion: version,
    subjectType: a.role === 'declarant' ? 'declarant' : 'officer',
    subjectId: a.actor_id,
    officerId: a.role === 'officer' ? a.actor_id : null,
    declarantId: a.role === 'declarant' ? a.actor_id : null,
    officeCode: null,
    n: a.declarations,
    observed: a.gap_log_weighted ?? 0,
    expected: 0,
    lower95: null,
    upper95: null,
    lower998: null,
    upper998: threshold,
    score: a.gap_log_weighted ?? 0,
    flagged: true,
    extra: {
      role: a.role,
      attributed_gap: a.attributed_gap,
      declared_value: a.declared_value,
      cells: a.cells,
      caveats: a.caveats.join(','),
    },
  };
}

/** The limit an alert's subject crossed: the 99.8 % funnel limit on the bad side, or the count. */
export function limitOf(r: IndicatorResult): number {
  const ind = indicatorById(r.indicatorId);
  if (r.subjectType === 'pair') return r.upper998 ?? 0;
  if (r.subjectType === 'hs_partner_year') return r.lower998 ?? 0;
  return (ind?.direction === 'higher_better' ? r.lower998 : r.upper998) ?? 0;
}

/**
 * One alert as `arusha analytics run --json` prints it (issue 5): indicator, subject_type,
 * subject_id (for pairs officer_id and declarant_id; for mirror cells hs_code, partner, year),
 * observed, expected, limit, score; with alert_id, its triage status and whether the run raised
 * it (new) or found it raised before on the same version and period (new: false).
 */
export function alertLine(a: AlertRow & { isNew?: boolean }) {
  return {
    alert_id: a.id,
    status: a.status,
    new: a.isNew === true,
    indicator: a.indicatorId,
    indicator_version: a.indicatorVersion,
    subject_type: a.subjectType,
    subject_id: a.subjectId,
    ...(a.subjectType === 'pair' ? { officer_id: a.officerId, declarant_id: a.declarantId } : {}),
    ...(a.indicatorId === 'I17' ? { officer_id: a.officerId, declarant_id: a.declarantId } : {}),
    ...(a.subjectType === 'hs_partner_year'
      ? (({ hs, partner, year }) => ({ hs_code: hs, partner, year }))(parseCell(a.subjectId))
      : { office_code: a.officeCode }),
    n: a.n,
    observed: a.observed,
    expected: a.expected,
    limit: a.limit,
    score: a.score,
    period_from: a.periodFrom,
    period_to: a.periodTo,
  };
}

/** The alert in words, in the reader's language. */
export function explain(
  a: Pick<
    AlertRow,
    | 'indicatorId'
    | 'subjectType'
    | 'subjectId'
    | 'officerId'
    | 'declarantId'
    | 'n'
    | 'observed'
    | 'expected'
    | 'limit'
  >,
  locale: Locale,
  extra?: Extra,
) {
  const ind = indicatorById(a.indicatorId);
  const partnerName = typeof extra?.partner_name === 'string' ? extra.partner_name : undefined;
  const { nf, f } = figureFormat(ind?.unit, locale);
  const name = t(locale, `analytics.indicators.${a.indicatorId}.name`);
  if (a.subjectType === 'hs_partner_year') {
    const cell = parseCell(a.subjectId);
    return t(locale, 'analytics.explain.mirror', {
      hs: cell.hs,
      partner: partnerName ? `${partnerName} (${cell.partner})` : cell.partner,
      year: String(cell.year),
      observed: nf.format(a.observed),
      expected: nf.format(a.expected),
      gap: nf.format(a.observed > 0 && a.expected > 0 ? Math.log(a.expected / a.observed) : 0),
      limit: nf.format(a.limit),
    });
  }
  if (a.indicatorId === 'I17')
    return t(locale, `analytics.explain.actor.${a.subjectType === 'declarant' ? 'declarant' : 'officer'}`, {
      subject: a.subjectId,
      gap: nf.format(Number(extra?.attributed_gap ?? 0)),
      value: nf.format(Number(extra?.declared_value ?? 0)),
      inCells: t(locale, 'analytics.explain.actor.inCells', { count: Number(extra?.cells ?? 0) }),
      count: a.n,
      observed: nf.format(a.observed),
      limit: nf.format(a.limit),
    });
  if (a.subjectType === 'pair')
    return t(locale, 'analytics.explain.pair', {
      officer: a.officerId ?? '',
      declarant: a.declarantId ?? '',
      count: a.observed,
      expected: nf.format(a.expected),
      limit: nf.format(a.limit),
      ratio: nf.format(a.observed / (a.expected || 1)),
    });
  return t(locale, ind?.direction === 'higher_better' ? 'analytics.explain.low' : 'analytics.explain.high', {
    indicator: name,
    subject: a.subjectId,
    observed: f(a.observed),
    expected: f(a.expected),
    limit: f(a.limit),
    count: a.n,
  });
}
