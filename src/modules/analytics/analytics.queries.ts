import { and, desc, eq, inArray, lt, max, type SQL, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import {
  analyticsAlerts,
  analyticsDatasets,
  analyticsDatasetVersions,
  analyticsMappings,
  analyticsResults,
  analyticsRuns,
} from './analytics.schema.ts';
import { STAGED_STATUSES } from './analytics.vocab.ts';

export type DatasetRow = typeof analyticsDatasets.$inferSelect;
export type VersionRow = typeof analyticsDatasetVersions.$inferSelect;
export type MappingRow = typeof analyticsMappings.$inferSelect;
export type RunRow = typeof analyticsRuns.$inferSelect;
export type ResultRow = typeof analyticsResults.$inferSelect;
export type AlertRow = typeof analyticsAlerts.$inferSelect;

export const Q = {
  datasets: (tx: TenantTx) => tx.select().from(analyticsDatasets).orderBy(analyticsDatasets.name),
  dataset: async (tx: TenantTx, id: string) =>
    (await tx.select().from(analyticsDatasets).where(eq(analyticsDatasets.id, id)))[0],
  datasetByName: async (tx: TenantTx, name: string) =>
    (await tx.select().from(analyticsDatasets).where(eq(analyticsDatasets.name, name)))[0],
  insertDataset: async (tx: TenantTx, v: typeof analyticsDatasets.$inferInsert) =>
    (await tx.insert(analyticsDatasets).values(v).returning())[0] as DatasetRow,

  versionsOf: (tx: TenantTx, datasetIds: string[]) =>
    datasetIds.length
      ? tx
          .select()
          .from(analyticsDatasetVersions)
          .where(inArray(analyticsDatasetVersions.datasetId, datasetIds))
          .orderBy(desc(analyticsDatasetVersions.number))
      : Promise.resolve([] as VersionRow[]),
  version: async (tx: TenantTx, id: string) =>
    (await tx.select().from(analyticsDatasetVersions).where(eq(analyticsDatasetVersions.id, id)))[0],
  importedWithHash: async (tx: TenantTx, datasetId: string, hash: string) =>
    (
      await tx
        .select()
        .from(analyticsDatasetVersions)
        .where(
          and(
            eq(analyticsDatasetVersions.datasetId, datasetId),
            eq(analyticsDatasetVersions.contentHash, hash),
            inArray(analyticsDatasetVersions.status, ['pending', 'importing', 'imported']),
          ),
        )
    )[0],
  /** A version of the dataset with this content staged in the wizard (uploaded, being validated or validated). */
  stagedWithHash: async (tx: TenantTx, datasetId: string, hash: string) =>
    (
      await tx
        .select()
        .from(analyticsDatasetVersions)
        .where(
          and(
            eq(analyticsDatasetVersions.datasetId, datasetId),
            eq(analyticsDatasetVersions.contentHash, hash),
            inArray(analyticsDatasetVersions.status, [...STAGED_STATUSES]),
          ),
        )
    )[0],
  /** Staged versions untouched since `before` (the wizard left them). */
  staleStaged: (tx: TenantTx, before: Date) =>
    tx
      .select()
      .from(analyticsDatasetVersions)
      .where(
        and(
          inArray(analyticsDatasetVersions.status, [...STAGED_STATUSES]),
          lt(analyticsDatasetVersions.updatedAt, before),
        ),
      ),
  nextNumber: async (tx: TenantTx, datasetId: string) =>
    ((
      await tx
        .select({ n: max(analyticsDatasetVersions.number) })
        .from(analyticsDatasetVersions)
        .where(eq(analyticsDatasetVersions.datasetId, datasetId))
    )[0]?.n ?? 0) + 1,
  insertVersion: async (tx: TenantTx, v: typeof analyticsDatasetVersions.$inferInsert) =>
    (await tx.insert(analyticsDatasetVersions).values(v).returning())[0] as VersionRow,
  setVersion: (tx: TenantTx, id: string, v: Partial<typeof analyticsDatasetVersions.$inferInsert>) =>
    tx
      .update(analyticsDatasetVersions)
      .set({ ...v, updatedAt: new Date() })
      .where(eq(analyticsDatasetVersions.id, id)),

  mappings: (tx: TenantTx) => tx.select().from(analyticsMappings).orderBy(analyticsMappings.name),
  mapping: async (tx: TenantTx, id: string) =>
    (await tx.select().from(analyticsMappings).where(eq(analyticsMappings.id, id)))[0],
  mappingByName: async (tx: TenantTx, name: string) =>
    (await tx.select().from(analyticsMappings).where(eq(analyticsMappings.name, name)))[0],
  insertMapping: async (tx: TenantTx, v: typeof analyticsMappings.$inferInsert) =>
    (await tx.insert(analyticsMappings).values(v).returning())[0] as MappingRow,

  runs: (tx: TenantTx, datasetVersionId?: string) =>
    tx
      .select()
      .from(analyticsRuns)
      .where(datasetVersionId ? eq(analyticsRuns.datasetVersionId, datasetVersionId) : undefined)
      .orderBy(desc(analyticsRuns.createdAt))
      .limit(200),
  run: async (tx: TenantTx, id: string) =>
    (await tx.select().from(analyticsRuns).where(eq(analyticsRuns.id, id)))[0],
  insertRun: async (tx: TenantTx, v: typeof analyticsRuns.$inferInsert) =>
    (await tx.insert(analyticsRuns).values(v).returning())[0] as RunRow,
  setRun: (tx: TenantTx, id: string, v: Partial<typeof analyticsRuns.$inferInsert>) =>
    tx
      .update(analyticsRuns)
      .set({ ...v, updatedAt: new Date() })
      .where(eq(analyticsRuns.id, id)),

  insertResults: async (tx: TenantTx, rows: (typeof analyticsResults.$inferInsert)[]) => {
    for (let i = 0; i < rows.length; i += 500)
      await tx.insert(analyticsResults).values(rows.slice(i, i + 500));
  },
  results: (tx: TenantTx, runId: string, indicatorId: string) =>
    tx
      .select()
      .from(analyticsResults)
      .where(and(eq(analyticsResults.runId, runId), eq(analyticsResults.indicatorId, indicatorId)))
      .orderBy(analyticsResults.subjectId),

  /** The I13 results of these runs for these subjects (mirror alerts' partner names). */
  mirrorResults: (tx: TenantTx, runIds: string[], subjectIds: string[]) =>
    tx
      .select({
        indicatorId: analyticsResults.indicatorId,
        runId: analyticsResults.runId,
        subjectType: analyticsResults.subjectType,
        subjectId: analyticsResults.subjectId,
        extra: analyticsResults.extra,
      })
      .from(analyticsResults)
      .where(
        and(
          inArray(analyticsResults.runId, runIds),
          inArray(analyticsResults.indicatorId, ['I13', 'I17']),
          inArray(analyticsResults.subjectId, subjectIds),
        ),
      ),

  alerts: (tx: TenantTx, where: SQL[]) =>
    tx
      .select()
      .from(analyticsAlerts)
      .where(and(...where))
      .orderBy(desc(analyticsAlerts.score))
      .limit(1000),
  alert: async (tx: TenantTx, id: string) =>
    (await tx.select().from(analyticsAlerts).where(eq(analyticsAlerts.id, id)))[0],
  /** Every alert raised on a dataset version (a new run finds the ones its results raise again). */
  alertsOfVersion: (tx: TenantTx, datasetVersionId: string) =>
    tx.select().from(analyticsAlerts).where(eq(analyticsAlerts.datasetVersionId, datasetVersionId)),
  insertAlerts: async (tx: TenantTx, rows: (typeof analyticsAlerts.$inferInsert)[]) => {
    const out: AlertRow[] = [];
    for (let i = 0; i < rows.length; i += 500)
      out.push(
        ...(await tx
          .insert(analyticsAlerts)
          .values(rows.slice(i, i + 500))
          .returning()),
      );
    return out;
  },
  /** Each alert's indicator, status, case and risk (the substantiation counts). */
  triageRows: (tx: TenantTx) =>
    tx
      .select({
        indicatorId: analyticsAlerts.indicatorId,
        status: analyticsAlerts.status,
        caseId: analyticsAlerts.caseId,
        riskId: analyticsAlerts.riskId,
      })
      .from(analyticsAlerts),
};

/** People views (officer profile, dashboard by RAD factor). */
export const PQ = {
  /** The newest finished run over a dataset version. */
  latestDoneRun: async (tx: TenantTx, datasetVersionId: string) =>
    (
      await tx
        .select()
        .from(analyticsRuns)
        .where(and(eq(analyticsRuns.datasetVersionId, datasetVersionId), eq(analyticsRuns.status, 'done')))
        .orderBy(desc(analyticsRuns.createdAt))
        .limit(1)
    )[0],
  /** An officer's results in a run: as the subject, or as the officer of a pair. */
  officerResults: (tx: TenantTx, runId: string, officerId: string) =>
    tx
      .select()
      .from(analyticsResults)
      .where(
        and(
          eq(analyticsResults.runId, runId),
          sql`(${analyticsResults.officerId} = ${officerId} OR (${analyticsResults.subjectType} = 'officer' AND ${analyticsResults.subjectId} = ${officerId}))`,
        ),
      )
      .orderBy(desc(analyticsResults.score)),
  /** An officer's alerts on a dataset version (as subject or in a pair). */
  officerAlerts: (tx: TenantTx, datasetVersionId: string, officerId: string) =>
    tx
      .select()
      .from(analyticsAlerts)
      .where(
        and(
          eq(analyticsAlerts.datasetVersionId, datasetVersionId),
          sql`(${analyticsAlerts.officerId} = ${officerId} OR (${analyticsAlerts.subjectType} = 'officer' AND ${analyticsAlerts.subjectId} = ${officerId}))`,
        ),
      )
      .orderBy(desc(analyticsAlerts.score))
      .limit(200),
  /** Per indicator of a run: subjects, and how many lie beyond each limit on either side. */
  runCounts: (tx: TenantTx, runId: string) =>
    tx
      .select({
        indicatorId: analyticsResults.indicatorId,
        indicatorVersion: analyticsResults.indicatorVersion,
        subjects: sql<number>`count(*)::int`,
        above95: sql<number>`count(*) filter (where ${analyticsResults.observed} > ${analyticsResults.upper95})::int`,
        below95: sql<number>`count(*) filter (where ${analyticsResults.observed} < ${analyticsResults.lower95})::int`,
        above998: sql<number>`count(*) filter (where ${analyticsResults.observed} > ${analyticsResults.upper998} or (${analyticsResults.subjectType} = 'pair' and ${analyticsResults.observed} >= ${analyticsResults.upper998}))::int`,
        below998: sql<number>`count(*) filter (where ${analyticsResults.observed} < ${analyticsResults.lower998} or (${analyticsResults.subjectType} = 'hs_partner_year' and ${analyticsResults.observed} <= ${analyticsResults.lower998}))::int`,
      })
      .from(analyticsResults)
      .where(eq(analyticsResults.runId, runId))
      .groupBy(analyticsResults.indicatorId, analyticsResults.indicatorVersion),
  runAlertCounts: (tx: TenantTx, runId: string) =>
    tx
      .select({ indicatorId: analyticsAlerts.indicatorId, n: sql<number>`count(*)::int` })
      .from(analyticsAlerts)
      .where(eq(analyticsAlerts.runId, runId))
      .groupBy(analyticsAlerts.indicatorId),
};
