import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { declarationsModule } from '../declarations/index.ts';
import { IdentityService } from '../identity/index.ts';
import { analyticsModule, partyActivity } from './index.ts';
import { type AnalyticsDemo, DEMO_DECLARATIONS, DEMO_TRADE, seedDemo } from './analytics.seed.ts';
import { engineOf } from './analytics.service.ts';
import { withTenant } from '../../platform/db/tenant.ts';

/**
 * The demo seed on a fresh harness (tenant A named Norland, the demo administration): a real
 * dataset version (Parquet file, validation report) of the generated extract, alerts from the
 * indicator suite — among them the planted collusive pairs — the Comtrade slice with a mirror run;
 * nothing in tenant B, and nothing more on a second start.
 */
interface Version {
  id: string;
  number: number;
  status: string;
  rowCount: number;
  validRows: number;
  rejectedRows: number;
  report: { rows: number; validRows: number; fileErrors: unknown[] } | null;
}
interface Dataset {
  id: string;
  name: string;
  kind: string;
  versions: Version[];
}
interface Alert {
  indicatorId: string;
  subjectType: string;
  officerId: string | null;
  declarantId: string | null;
  datasetVersionId: string;
}

describe('analytics demo data', () => {
  let h: Harness;
  let analyst: Client;
  let demo: AnalyticsDemo | null;
  let seconds = 0;
  const counts = async () => {
    const n = async (table: string) =>
      (
        await h.kernel.db.query<{ n: number }>(
          `select count(*)::int as n from ${table} where tenant_id = $1`,
          [h.a.id],
        )
      )[0]?.n;
    return {
      datasets: await n('analytics_datasets'),
      versions: await n('analytics_dataset_versions'),
      runs: await n('analytics_runs'),
      alerts: await n('analytics_alerts'),
    };
  };

  before(async () => {
    h = await createHarness();
    await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
    analyst = await h.as(h.a.users.analyst.email);
    const started = performance.now();
    demo = await seedDemo(h.kernel);
    seconds = (performance.now() - started) / 1000;
    console.log(`analytics demo seed: ${seconds.toFixed(2)} s, ${demo?.alerts} alerts`);
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('imports the generated extract as a dataset version with its validation report', async () => {
    assert.ok(demo, 'the first seed loads the data');
    const ds = (await analyst.get('/api/analytics/datasets')).json().items as Dataset[];
    const d = ds.find((x) => x.name === DEMO_DECLARATIONS.dataset);
    assert.ok(d, JSON.stringify(ds.map((x) => x.name)));
    assert.equal(d.kind, 'declarations');
    assert.equal(d.versions.length, 1);
    const v = d.versions[0] as Version;
    assert.equal(v.id, demo.versionId);
    assert.equal(v.status, 'imported');
    assert.equal(v.rowCount, DEMO_DECLARATIONS.rows);
    assert.equal(v.validRows, DEMO_DECLARATIONS.rows);
    assert.equal(v.rejectedRows, 0);
    assert.equal(v.report?.rows, DEMO_DECLARATIONS.rows);
    assert.deepEqual(v.report?.fileErrors, []);
    const parquet = engineOf(h.kernel).parquetPath(h.a.id, v.id);
    assert.equal(fs.readFileSync(parquet).subarray(0, 4).toString('latin1'), 'PAR1');
    // The generated CSV does not stay behind.
    const uploads = path.join(engineOf(h.kernel).tenantDir(h.a.id), 'uploads');
    assert.deepEqual(fs.existsSync(uploads) ? fs.readdirSync(uploads) : [], []);
  });

  it('runs the indicator suite: alerts exist, the planted collusive pairs among them', async () => {
    assert.ok(demo);
    const runs = (await analyst.get(`/api/analytics/runs?datasetVersionId=${demo.versionId}`)).json().items;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'done');
    const alerts = (await analyst.get('/api/analytics/alerts')).json().items as Alert[];
    const own = alerts.filter((a) => a.datasetVersionId === demo?.versionId);
    assert.ok(own.length > 0, 'alerts exist');
    assert.equal(runs[0].alertCount, own.length);
    const pairs = own.filter((a) => a.subjectType === 'pair');
    for (const p of demo.truth.collusivePairs)
      assert.ok(
        pairs.some((a) => a.officerId === p.officer_id && a.declarantId === p.declarant_id),
        `planted pair ${p.officer_id} × ${p.declarant_id} raised`,
      );
    // The related-party flag reads these rows: the planted officer handled the planted broker.
    const pair = demo.truth.collusivePairs[0]!;
    const activity = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
      partyActivity(h.kernel, tx, h.a.id, pair.officer_id, [pair.declarant_id]),
    );
    assert.equal(activity.length, 1);
    assert.ok(activity[0]!.count > 10, `${activity[0]!.count} declarations`);
  });

  it('imports the Comtrade slice as trade statistics with a mirror run', async () => {
    assert.ok(demo?.tradeVersionId);
    const ds = (await analyst.get('/api/analytics/datasets')).json().items as Dataset[];
    const t = ds.find((x) => x.name === DEMO_TRADE.dataset);
    assert.equal(t?.kind, 'trade');
    const rows = fs.readFileSync(DEMO_TRADE.file, 'utf8').trim().split('\n').length - 1;
    assert.equal(t?.versions[0]?.status, 'imported');
    assert.equal(t?.versions[0]?.rowCount, rows);
    const runs = (await analyst.get(`/api/analytics/runs?datasetVersionId=${demo.tradeVersionId}`)).json()
      .items;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].status, 'done');
    assert.equal(runs[0].params.country, DEMO_TRADE.country);
    const m = await analyst.get(
      `/api/analytics/versions/${demo.tradeVersionId}/mirror?country=${DEMO_TRADE.country}`,
    );
    assert.equal(m.statusCode, 200, m.body);
    assert.ok(m.json().total > 0);
  });

  it('keeps the added start time small', () => {
    assert.ok(seconds < 30, `${seconds.toFixed(1)} s`);
  });

  it('a second start adds nothing, and the other tenant has nothing', async () => {
    const before = await counts();
    await analyticsModule.seedDemo!(h.kernel);
    assert.equal(await seedDemo(h.kernel), null);
    assert.deepEqual(await counts(), before);
    assert.equal(before.datasets, 2);
    assert.equal(before.versions, 2);
    assert.equal(before.runs, 2);
    const other = await h.as(h.b.users.analyst.email);
    assert.deepEqual((await other.get('/api/analytics/datasets')).json().items, []);
    assert.deepEqual((await other.get('/api/analytics/alerts')).json().items, []);
  });
});

describe('the demo related-party flag (declarations seed over the analytics demo data)', () => {
  let h: Harness;

  before(async () => {
    h = await createHarness();
    await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
    // The demo staff of Norland (identity's demo seed does nothing where organisations exist).
    const ids = new IdentityService(h.kernel);
    for (const [email, role] of [
      ['staff@norland.demo', 'staff'],
      ['manager@norland.demo', 'line_manager'],
      ['cases@norland.demo', 'case_handler'],
    ] as const)
      await ids.addMembership(h.a.id, (await ids.ensureUser({ email, name: email, passwordHash: 'x' })).id, [
        role,
      ]);
    // As at a first start: the modules' seeds in their order (declarations before analytics).
    await declarationsModule.seedDemo!(h.kernel);
    await analyticsModule.seedDemo!(h.kernel);
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });

  it('gives the demo staff officer codes and flags the conflict naming the broker Samuel Staff handled', async () => {
    const integrity = await h.as(h.a.users.integrity_officer.email);
    const settings = (await integrity.get('/api/declarations/settings')).json();
    const codes = settings.officerCodes as Record<string, string>;
    assert.deepEqual(Object.keys(codes).sort(), [
      'cases@norland.demo',
      'manager@norland.demo',
      'staff@norland.demo',
    ]);
    for (const code of Object.values(codes)) assert.match(code, /^INS\d{4}$/);
    const flags = (await integrity.get('/api/declarations/flags')).json().items as {
      id: string;
      rule: string;
      facts: Record<string, string | number>;
    }[];
    const related = flags.filter((f) => f.rule === 'related_party_handled');
    assert.equal(related.length, 1, JSON.stringify(flags.map((f) => f.rule)));
    const f = related[0]!;
    assert.equal(f.facts.officerCode, codes['staff@norland.demo']);
    assert.equal(f.facts.dataset, DEMO_DECLARATIONS.dataset);
    assert.ok(Number(f.facts.count) > 10, `${f.facts.count} declarations`);
    // The flag's rows are the generated declarations of that officer and broker.
    const rows = (await integrity.get(`/api/declarations/flags/${f.id}/rows`)).json();
    assert.equal(rows.total, f.facts.count);
    const officer = rows.columns.indexOf('officer_id');
    const declarant = rows.columns.indexOf('declarant_id');
    for (const r of rows.rows) {
      assert.equal(r[officer], f.facts.officerCode);
      assert.equal(r[declarant], f.facts.identifier);
    }
    // The analytics module found the same officer and broker: a pair alert.
    const analyst = await h.as(h.a.users.analyst.email);
    const alerts = (await analyst.get('/api/analytics/alerts')).json().items as Alert[];
    assert.ok(
      alerts.some(
        (a) =>
          a.subjectType === 'pair' &&
          a.officerId === f.facts.officerCode &&
          a.declarantId === f.facts.identifier,
      ),
    );
    // The scan (the daily job, or a reviewer) raises it no second time; the data was loaded once.
    assert.equal((await integrity.post('/api/declarations/flags/scan')).json().raised, 0);
    const ds = (await analyst.get('/api/analytics/datasets')).json().items as Dataset[];
    assert.equal(ds.filter((d) => d.name === DEMO_DECLARATIONS.dataset).length, 1);
    assert.equal(ds.find((d) => d.name === DEMO_DECLARATIONS.dataset)?.versions.length, 1);
  });
});
