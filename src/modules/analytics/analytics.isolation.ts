import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { AnalyticsService } from './analytics.service.ts';

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'indicators.csv');
const TRADE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'comtrade-slice.csv');

/** Tenant B's dataset, version (with rejected rows), mapping, run and alert. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new AnalyticsService(h.kernel);
  const user = h.b.users.analyst.id;
  const scope = { tenantId: h.b.id, userId: user };
  // The fixture plus one bad row (negative value), imported with its rejects saved.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-iso-')), 'b.csv');
  fs.writeFileSync(
    file,
    `${fs.readFileSync(FIXTURE, 'utf8')}999,A,2025-01-06,,,B1,M1,O1,random,green,green,,010101,CN,-5,1,1,1,,\n`,
  );
  const { dataset, version, mapping } = await withTenant(h.kernel.db, scope, async (tx) => {
    const dataset = await svc.createDataset(tx, h.b.id, user, { name: 'B extracts', description: '' });
    const mapping = await svc.createMapping(tx, h.b.id, user, {
      name: 'B ASYCUDA',
      sourceSystem: 'ASYCUDA',
      columns: { officer_id: 'INSPECTOR' },
      codes: {},
    });
    const version = await svc.createVersion(tx, h.b.id, user, {
      datasetId: dataset.id,
      sourceName: 'b.csv',
      contentHash: 'b'.repeat(64),
      sizeBytes: 1,
      mode: 'import-valid',
    });
    return { dataset, version, mapping };
  });
  await svc.executeImport(h.b.id, version.id, { file });
  const run = await withTenant(h.kernel.db, scope, (tx) =>
    svc.createRun(tx, h.b.id, user, { datasetVersionId: version.id }, false),
  );
  const { alerts } = await svc.executeRun(h.b.id, run.id);
  const alert = alerts[0];
  assert.ok(alert, 'tenant B has an alert');
  // Tenant B's partner trade statistics (the mirror routes).
  const trade = await withTenant(h.kernel.db, scope, async (tx) => {
    const ds = await svc.createDataset(tx, h.b.id, user, { name: 'B trade', kind: 'trade' });
    return svc.createVersion(tx, h.b.id, user, {
      datasetId: ds.id,
      sourceName: 'comtrade.csv',
      contentHash: 'c'.repeat(64),
      sizeBytes: 1,
      mode: 'reject-file',
    });
  });
  await svc.executeImport(h.b.id, trade.id, { file: TRADE });
  // Tenant B's file staged in the import wizard (uploaded, its mapping not yet chosen).
  const staged = await withTenant(h.kernel.db, scope, async (tx) => {
    const v = await svc.createVersion(tx, h.b.id, user, {
      datasetId: dataset.id,
      sourceName: 'staged.csv',
      contentHash: 'd'.repeat(64),
      sizeBytes: 1,
      mode: 'reject-file',
      status: 'uploaded',
    });
    fs.mkdirSync(svc.uploadDir(h.b.id), { recursive: true });
    fs.copyFileSync(FIXTURE, svc.uploadPath(h.b.id, v.id));
    return v;
  });
  const stagedUnchanged = async () => {
    const v = await row(
      'select status, column_mapping from analytics_dataset_versions where id = $1',
      staged.id,
    );
    assert.equal(v.status, 'uploaded');
    assert.equal(v.column_mapping, null);
    assert.ok(fs.existsSync(svc.uploadPath(h.b.id, staged.id)), 'the staged file is kept');
  };
  const cell = 'country=388&hs=440799&partner=840&year=2012';
  const row = async (sql: string, id: string) =>
    (await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0] as Record<string, unknown>;
  return {
    'GET /api/analytics/datasets/:id': { id: dataset.id },
    'GET /api/analytics/versions/:id': { id: version.id },
    'GET /api/analytics/versions/:id/rejects': { id: version.id },
    'GET /api/analytics/versions/:id/preview': { id: staged.id },
    'POST /api/analytics/versions/:id/validate': {
      id: staged.id,
      payload: { columns: {} },
      unchanged: stagedUnchanged,
    },
    'POST /api/analytics/versions/:id/choice': {
      id: staged.id,
      payload: { choice: 'reject-file' },
      unchanged: stagedUnchanged,
    },
    'PATCH /api/analytics/mappings/:id': {
      id: mapping.id,
      payload: { name: 'taken', sourceSystem: '', columns: {}, codes: {}, version: 1 },
      unchanged: async () =>
        assert.equal(
          (await row('select name from analytics_mappings where id = $1', mapping.id)).name,
          'B ASYCUDA',
        ),
    },
    'GET /api/analytics/runs/:id': { id: run.id },
    'GET /api/analytics/runs/:id/summary': { id: run.id },
    'GET /api/analytics/versions/:id/officers/:officer': {
      url: `/api/analytics/versions/${version.id}/officers/O1`,
    },
    'GET /api/analytics/versions/:id/declarations': {
      url: `/api/analytics/versions/${version.id}/declarations?officer=O1`,
    },
    'GET /api/analytics/versions/:id/mirror': {
      url: `/api/analytics/versions/${trade.id}/mirror?country=388`,
    },
    'GET /api/analytics/versions/:id/mirror/countries': { id: trade.id },
    'GET /api/analytics/versions/:id/mirror/actors': {
      url: `/api/analytics/versions/${trade.id}/mirror/actors?country=388&declarationsVersionId=${version.id}`,
    },
    'GET /api/analytics/versions/:id/mirror/actors/rows': {
      url: `/api/analytics/versions/${trade.id}/mirror/actors/rows?country=388&declarationsVersionId=${version.id}&role=officer&actor=O1`,
    },
    'GET /api/analytics/versions/:id/mirror/rows': {
      url: `/api/analytics/versions/${trade.id}/mirror/rows?${cell}`,
    },
    'GET /api/analytics/runs/:id/results': { url: `/api/analytics/runs/${run.id}/results?indicator=I1` },
    'GET /api/analytics/alerts/:id': { id: alert.id },
    'GET /api/analytics/alerts/:id/declarations': { id: alert.id },
    'PATCH /api/analytics/alerts/:id': {
      id: alert.id,
      payload: { status: 'under_review', version: 1 },
      unchanged: async () =>
        assert.equal(
          (await row('select status from analytics_alerts where id = $1', alert.id)).status,
          'new',
        ),
    },
  };
};
