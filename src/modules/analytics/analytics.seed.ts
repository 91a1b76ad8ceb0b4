import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { type GroundTruth, generateDeclarations } from './analytics.generator.ts';
import { hashFile } from './analytics.import.ts';
import { AnalyticsService } from './analytics.service.ts';

/** The demo extract: synthetic declarations of one year, with planted anomalies (fixed seed). */
export const DEMO_DECLARATIONS = {
  dataset: 'Demo declarations 2025',
  rows: 30_000,
  seed: 2026,
  year: 2025,
} as const;

/** The real UN Comtrade slice shipped with the module (fixtures/LICENSE-NOTE.md), for the mirror page. */
export const DEMO_TRADE = {
  dataset: 'UN Comtrade sawnwood (HS 440799)',
  file: path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'comtrade-slice.csv'),
  /** The demo mirror run's country: Jamaica (reporter code 388), the slice's richer side. */
  country: '388',
} as const;

export interface AnalyticsDemo {
  /** The imported declarations version. */
  versionId: string;
  rows: number;
  /** What the generator planted (the officers and brokers the indicators should find). */
  truth: GroundTruth;
  /** Alerts raised by the demo runs (the indicator suite and the mirror run). */
  alerts: number;
  /** The imported trade version (undefined when the fixture is missing). */
  tradeVersionId?: string;
}

/**
 * Demo analytics data for one administration: a synthetic declaration extract (the module's
 * generator, fixed seed, planted anomalies) imported as a dataset version through the normal
 * import path (a Parquet file and a validation report), the indicator suite run over it (alerts),
 * and the shipped Comtrade slice as a trade dataset with a mirror run. Authored by the system, as
 * CLI imports are. Idempotent: null when the demo dataset exists.
 */
export async function seedAnalyticsDemo(
  k: Kernel,
  tenantId: string,
  o: { rows?: number } = {},
): Promise<AnalyticsDemo | null> {
  const svc = new AnalyticsService(k);
  const scope = { tenantId, userId: null };
  const rows = o.rows ?? DEMO_DECLARATIONS.rows;
  const dataset = await withTenant(k.db, scope, async (tx) => {
    if (await svc.findDatasetByName(tx, DEMO_DECLARATIONS.dataset)) return null;
    return svc.createDataset(tx, tenantId, null, {
      name: DEMO_DECLARATIONS.dataset,
      kind: 'declarations',
      description: `Synthetic declarations (${rows} rows, seed ${DEMO_DECLARATIONS.seed}) with planted anomalies: demo data.`,
    });
  });
  if (!dataset) return null;
  const started = performance.now();
  const tmp = path.join(svc.engine.tenantDir(tenantId), 'uploads');
  await fs.mkdir(tmp, { recursive: true });
  const file = path.join(tmp, `demo-declarations-${process.pid}.csv`);
  try {
    const truth = await generateDeclarations({
      rows,
      seed: DEMO_DECLARATIONS.seed,
      year: DEMO_DECLARATIONS.year,
      plant: true,
      out: file,
    });
    const versionId = await importFile(k, svc, tenantId, dataset.id, file, 'demo-declarations-2025.csv');
    let alerts = await run(k, svc, tenantId, versionId);

    let tradeVersionId: string | undefined;
    if (await fs.stat(DEMO_TRADE.file).catch(() => null)) {
      const trade = await withTenant(k.db, scope, (tx) =>
        svc.createDataset(tx, tenantId, null, {
          name: DEMO_TRADE.dataset,
          kind: 'trade',
          description: 'UN Comtrade data (HS 440799, 2005–2014), rows with Jamaica or Grenada: demo data.',
        }),
      );
      tradeVersionId = await importFile(k, svc, tenantId, trade.id, DEMO_TRADE.file, 'comtrade-slice.csv');
      alerts += await run(k, svc, tenantId, tradeVersionId, { country: DEMO_TRADE.country });
    }
    k.log.info(
      { tenantId, rows, alerts, seconds: Math.round(performance.now() - started) / 1000 },
      'analytics demo data loaded',
    );
    return { versionId, rows, truth, alerts, tradeVersionId };
  } finally {
    await fs.rm(file, { force: true });
  }
}

/** A new version of `datasetId` from `file`, imported now (as `arusha analytics import` does). */
async function importFile(
  k: Kernel,
  svc: AnalyticsService,
  tenantId: string,
  datasetId: string,
  file: string,
  sourceName: string,
): Promise<string> {
  const contentHash = await hashFile(file);
  const sizeBytes = (await fs.stat(file)).size;
  const version = await withTenant(k.db, { tenantId, userId: null }, (tx) =>
    svc.createVersion(tx, tenantId, null, {
      datasetId,
      sourceName,
      contentHash,
      sizeBytes,
      mode: 'reject-file',
    }),
  );
  const v = await svc.executeImport(tenantId, version.id, { file });
  if (v.status !== 'imported') throw new Error(`demo data: ${sourceName} was not imported (${v.status})`);
  return v.id;
}

/** The indicator suite (or, with `mirror`, a mirror run) over a version, now; its new alerts. */
async function run(
  k: Kernel,
  svc: AnalyticsService,
  tenantId: string,
  datasetVersionId: string,
  mirror?: { country: string },
): Promise<number> {
  const r = await withTenant(k.db, { tenantId, userId: null }, (tx) =>
    svc.createRun(
      tx,
      tenantId,
      null,
      {
        datasetVersionId,
        ...(mirror
          ? { mirror: { country: mirror.country, factor: 1.1, threshold: Math.LN2, minGap: 100_000 } }
          : {}),
      },
      false,
    ),
  );
  return (await svc.executeRun(tenantId, r.id)).alerts.length;
}

/** Norland (the demo administration): its analytics demo data, on first start (idempotent). */
export async function seedDemo(k: Kernel): Promise<AnalyticsDemo | null> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((x) => x.shortName === 'Norland');
  return org ? seedAnalyticsDemo(k, org.id) : null;
}
