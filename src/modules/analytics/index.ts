import fs from 'node:fs/promises';
import { listValue } from '@duckdb/node-api';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { notFound } from '../../platform/errors.ts';
import { isLocale } from '../../platform/i18n/i18n.ts';
import { perTenantJob } from '../../platform/jobs/per-tenant.ts';
import type { Kernel, Module } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { lit } from './analytics.engine.ts';
import { analyticsPermissions } from './analytics.permissions.ts';
import { PeopleService } from './analytics.people.ts';
import { peopleRoutes } from './analytics.people.routes.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { Q } from './analytics.queries.ts';
import { AnalyticsService, engineOf, IMPORT_JOB, type ImportJob, RUN_JOB } from './analytics.service.ts';
import { seedDemo } from './analytics.seed.ts';
import { EXPIRE_JOB, ImportWizard, VALIDATE_JOB } from './analytics.wizard.ts';
import { wizardRoutes } from './analytics.wizard.routes.ts';

export { AnalyticsService, alertLine, CLI_USER, engineOf } from './analytics.service.ts';
export { generateDeclarations, type GroundTruth } from './analytics.generator.ts';
export { FIXED_DETAILS, hashFile } from './analytics.import.ts';
export { type AnalyticsDemo, DEMO_DECLARATIONS, seedAnalyticsDemo } from './analytics.seed.ts';
export { COMTRADE_MAPPINGS } from './analytics.trade.ts';
export { CanonicalCodes, MappingBody } from './analytics.contract.ts';
export { registerModelCommands } from './model/index.ts';
export type { ColumnMapping, ImportStage, ValidationReport } from './analytics.import.ts';

export const analyticsModule: Module = {
  name: 'analytics',
  permissions: analyticsPermissions,
  seedDemo: async (k) => void (await seedDemo(k)),
  routes: (r, k) => {
    const svc = new AnalyticsService(k);
    analyticsRoutes(r, svc);
    peopleRoutes(r, new PeopleService(svc));
    wizardRoutes(r, new ImportWizard(k, svc));
  },
  // Imports and runs are jobs: DuckDB works on its own threads, the API keeps answering.
  jobs: (k) => [
    {
      name: IMPORT_JOB,
      maxAttempts: 1,
      timeoutSeconds: 3600,
      run: async (p: ImportJob, ctx) => {
        if (ctx.tenantId)
          await new AnalyticsService(k).executeImport(ctx.tenantId, p.versionId, {
            locale: isLocale(p.locale) ? p.locale : 'en',
          });
      },
    },
    {
      name: VALIDATE_JOB,
      maxAttempts: 1,
      timeoutSeconds: 3600,
      run: async (p: { versionId: string }, ctx) => {
        if (ctx.tenantId) {
          const svc = new AnalyticsService(k);
          await new ImportWizard(k, svc).executeValidation(ctx.tenantId, p.versionId);
        }
      },
    },
    // Files staged by the wizard and left there are removed after a day.
    perTenantJob(k, {
      name: EXPIRE_JOB,
      tenants: () => new IdentityService(k).listAllOrganisations(),
      run: (tx, tenantId, now) => new ImportWizard(k, new AnalyticsService(k)).expire(tx, tenantId, now),
    }),
    {
      name: RUN_JOB,
      maxAttempts: 1,
      timeoutSeconds: 3600,
      run: async (p: { runId: string }, ctx) => {
        if (ctx.tenantId) await new AnalyticsService(k).executeRun(ctx.tenantId, p.runId);
      },
    },
  ],
  schedules: [{ name: EXPIRE_JOB, cron: '37 * * * *' }],
};

/** Closes the DuckDB engine of a kernel (CLI, tests). */
export const closeAnalytics = (k: Parameters<typeof engineOf>[0]) => engineOf(k).close();

// ---- read by other modules: a party's activity with an officer (declarations' red flag) -------

/** An identifier as the analytics module compares it: case and ASCII whitespace do not count. */
export const partyKey = (s: string) => s.replace(/[\t\n\f\r ]+/g, '').toLowerCase();
const NORM = (col: string) => `lower(regexp_replace(coalesce(${col}, ''), '\\s+', '', 'g'))`;

/** Declarations of one party handled by one officer in one dataset version: counts and dates only. */
export interface PartyActivity {
  datasetId: string;
  dataset: string;
  versionId: string;
  versionNumber: number;
  /** The normalised identifier (partyKey) that matched declarant_id or importer_id. */
  party: string;
  count: number;
  /** First and last registration day (UTC, YYYY-MM-DD). */
  first: string;
  last: string;
}

/** The latest imported version of each declaration dataset of the caller's tenant (RLS). */
async function latestDeclarationVersions(tx: TenantTx) {
  const ds = (await Q.datasets(tx)).filter((d) => d.kind === 'declarations');
  const versions = await Q.versionsOf(
    tx,
    ds.map((d) => d.id),
  );
  return ds.flatMap((d) => {
    const v = versions.find((x) => x.datasetId === d.id && x.status === 'imported');
    return v ? [{ d, v }] : [];
  });
}

/**
 * How many declarations an officer (`officer_id`) handled where one of `parties` is the declarant
 * (`declarant_id`) or the importer (`importer_id`), with the first and last registration day, per
 * dataset (its latest imported version) and party. Identifiers are matched as text, case and
 * whitespace normalised. A parameterised DuckDB query over the tenant's own Parquet files; only
 * aggregates come back. No dataset: an empty list.
 */
export async function partyActivity(
  k: Pick<Kernel, 'config'>,
  tx: TenantTx,
  tenantId: string,
  officerId: string,
  parties: string[],
): Promise<PartyActivity[]> {
  const keys = [...new Set(parties.map(partyKey).filter(Boolean))];
  const officer = partyKey(officerId);
  if (!keys.length || !officer) return [];
  const engine = engineOf(k);
  const out: PartyActivity[] = [];
  for (const { d, v } of await latestDeclarationVersions(tx)) {
    const file = engine.parquetPath(tenantId, v.id);
    if (!(await fs.stat(file).catch(() => null))) continue;
    const rows = await engine.with(async (c) => {
      await c.run("SET TimeZone = 'UTC'");
      return engine.rows<{ party: string; n: number; first: string; last: string }>(
        c,
        `SELECT p.party, count(*) AS n,
                strftime(min(d.registered_at), '%Y-%m-%d') AS first,
                strftime(max(d.registered_at), '%Y-%m-%d') AS last
         FROM read_parquet(${lit(file)}) d
         JOIN (SELECT unnest($2::VARCHAR[]) AS party) p
           ON ${NORM('d.declarant_id')} = p.party OR ${NORM('d.importer_id')} = p.party
         WHERE ${NORM('d.officer_id')} = $1
         GROUP BY p.party ORDER BY p.party`,
        [officer, listValue(keys)],
      );
    });
    for (const r of rows)
      out.push({
        datasetId: d.id,
        dataset: d.name,
        versionId: v.id,
        versionNumber: v.number,
        party: r.party,
        count: r.n,
        first: r.first,
        last: r.last,
      });
  }
  return out;
}

/**
 * The declarations behind a partyActivity figure (first `limit`, and how many in all), for a
 * reviewer who opens the flag: one version of the caller's tenant (another tenant's: not found).
 */
export async function partyRows(
  k: Pick<Kernel, 'config'>,
  tx: TenantTx,
  tenantId: string,
  versionId: string,
  officerId: string,
  party: string,
  limit = 200,
): Promise<{ columns: string[]; rows: (string | number | null)[][]; total: number }> {
  const v = await Q.version(tx, versionId);
  if (v?.status !== 'imported') throw notFound('dataset version');
  const engine = engineOf(k);
  const file = engine.parquetPath(tenantId, v.id);
  const cols = [
    'declaration_id',
    'office_code',
    'registered_at',
    'declarant_id',
    'importer_id',
    'officer_id',
  ];
  const where = `${NORM('officer_id')} = $1 AND (${NORM('declarant_id')} = $2 OR ${NORM('importer_id')} = $2)`;
  return engine.with(async (c) => {
    await c.run("SET TimeZone = 'UTC'");
    const params = [partyKey(officerId), partyKey(party)];
    const [total] = await engine.rows<{ n: number }>(
      c,
      `SELECT count(*) AS n FROM read_parquet(${lit(file)}) WHERE ${where}`,
      params,
    );
    const rows = await engine.cells(
      c,
      `SELECT declaration_id, office_code, strftime(registered_at, '%Y-%m-%dT%H:%M:%SZ') AS registered_at,
              declarant_id, importer_id, officer_id
       FROM read_parquet(${lit(file)}) WHERE ${where}
       ORDER BY registered_at, declaration_id LIMIT ${Math.max(1, Math.min(1000, Math.trunc(limit)))}`,
      params,
    );
    return { columns: cols, rows, total: total?.n ?? 0 };
  });
}
