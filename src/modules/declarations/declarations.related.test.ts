import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { AnalyticsService, closeAnalytics, hashFile } from '../analytics/index.ts';
import { REMINDERS_JOB } from './declarations.api.ts';

// The red flag "a declared related broker or importer appears in declarations the officer
// handled", against Customs declaration data imported into the analytics module.

const HEADER = 'declaration_id,office_code,registered_at,declarant_id,importer_id,officer_id,channel_system';

/** Imports a declaration extract into a new dataset of a tenant (as the CLI does). */
async function importDataset(h: Harness, tenantId: string, name: string, lines: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-related-'));
  const file = path.join(dir, `${name}.csv`);
  fs.writeFileSync(file, `${HEADER}\n${lines.join('\n')}\n`);
  const svc = new AnalyticsService(h.kernel);
  const version = await withTenant(h.kernel.db, { tenantId, userId: null }, async (tx) => {
    const ds = await svc.createDataset(tx, tenantId, null, { name, description: '', kind: 'declarations' });
    return svc.createVersion(tx, tenantId, null, {
      datasetId: ds.id,
      sourceName: `${name}.csv`,
      contentHash: await hashFile(file),
      sizeBytes: fs.statSync(file).size,
      mode: 'reject-file',
    });
  });
  const v = await svc.executeImport(tenantId, version.id, { file });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(v.status, 'imported', JSON.stringify(v.report));
  return v;
}

const settings = (officerCodes: Record<string, string>) => ({
  enabledTypes: ['conflict', 'gift', 'asset'],
  baseCurrency: 'USD',
  rates: {},
  giftThreshold: 100,
  repeatGiftCount: 3,
  repeatGiftWindowDays: 90,
  growthFactor: 1.5,
  officerCodes,
  version: 0,
});

const conflict = (partyName: string, partyIdentifier: string, partyKind = 'broker') => ({
  type: 'conflict',
  partyKind,
  partyName,
  partyIdentifier,
  nature: 'My brother-in-law runs it',
  mitigation: 'recusal',
});

describe('declarations: a declared related party in declarations the officer handled', () => {
  let h: Harness;
  let staff: Client;
  let manager: Client;
  let officer: Client;
  let orgAdmin: Client;
  let conflictId: string;
  before(async () => {
    h = await createHarness();
    staff = await h.as(h.a.users.staff.email);
    manager = await h.as(h.a.users.line_manager.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    orgAdmin = await h.as(h.a.users.org_admin.email);
  });
  after(async () => {
    await closeAnalytics(h.kernel);
    await h.close();
  });

  const related = (tenantId = h.a.id) =>
    h.kernel.db.query<{
      id: string;
      user_id: string;
      declaration_id: string;
      facts: Record<string, unknown>;
    }>(
      "select id, user_id, declaration_id, facts from declaration_flags where rule = 'related_party_handled' and tenant_id = $1 order by created_at",
      [tenantId],
    );
  const runJob = async () => {
    await h.kernel.jobs.enqueue(h.kernel.db.owner, REMINDERS_JOB, {}, { tenantId: null });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* drain the per-tenant jobs */
    }
  };

  it('without any dataset: conflicts are filed, a scan raises nothing and fails on nothing', async () => {
    const s = await orgAdmin.request({
      method: 'PUT',
      url: '/api/declarations/settings',
      payload: settings({
        // e-mails are matched whatever their case
        [h.a.users.staff.email.toUpperCase()]: 'OFF-7',
        [h.a.users.line_manager.email]: 'OFF-9',
      }),
    });
    assert.equal(s.statusCode, 200, s.body);
    assert.equal(s.json().officerCodes[h.a.users.staff.email.toLowerCase()], 'OFF-7');
    // Saving the other settings without the codes keeps them.
    const { officerCodes: _codes, ...rest } = settings({});
    const again = await orgAdmin.request({
      method: 'PUT',
      url: '/api/declarations/settings',
      payload: { ...rest, growthFactor: 2, version: 1 },
    });
    assert.equal(again.statusCode, 200, again.body);
    assert.equal(again.json().officerCodes[h.a.users.line_manager.email.toLowerCase()], 'OFF-9');
    // A bad e-mail is refused.
    assert.equal(
      (
        await orgAdmin.request({
          method: 'PUT',
          url: '/api/declarations/settings',
          payload: settings({ 'not an e-mail': 'X' }),
        })
      ).statusCode,
      400,
    );
    const c = await staff.post('/api/declarations', conflict('Swift Clearing', 'BRK-0042'));
    assert.equal(c.statusCode, 201, c.body);
    conflictId = c.json().id;
    const m = await manager.post('/api/declarations', conflict('Other Brokers', 'BRK-7777'));
    assert.equal(m.statusCode, 201, m.body);
    const scan = await officer.post('/api/declarations/flags/scan');
    assert.equal(scan.statusCode, 200, scan.body);
    assert.deepEqual(scan.json(), { raised: 0 });
    await runJob();
    assert.equal((await related()).length, 0);
  });

  it("another tenant's dataset is never used", async () => {
    // Tenant B's data: OFF-7 handled BRK-0042 four times there.
    await importDataset(h, h.b.id, 'b-extract', [
      'B1,P1,2026-01-01T08:00:00Z,BRK-0042,,OFF-7,green',
      'B2,P1,2026-01-02T08:00:00Z,BRK-0042,,OFF-7,green',
      'B3,P1,2026-01-03T08:00:00Z,BRK-0042,,OFF-7,red',
      'B4,P1,2026-01-04T08:00:00Z,BRK-0042,,OFF-7,green',
    ]);
    assert.deepEqual((await officer.post('/api/declarations/flags/scan')).json(), { raised: 0 });
    await runJob();
    assert.equal((await related()).length, 0);
    assert.equal((await related(h.b.id)).length, 0, 'B has no officer codes, hence no flag either');
  });

  it('flags the officer who handled 3 declarations of their declared broker, with the count and dates', async () => {
    await importDataset(h, h.a.id, 'asycuda-2026', [
      // OFF-7 (the staff member) handled the declared broker three times: as declarant, with
      // other case and spacing, and as importer.
      'A1,PORT,2026-02-03T09:00:00Z,BRK-0042,IMP-1,OFF-7,green',
      'A2,PORT,2026-03-10T09:00:00Z, brk-0042 ,IMP-2,off-7,yellow',
      'A3,PORT,2026-04-21T09:00:00Z,BRK-9999,Brk-0042,OFF-7,red',
      // the same broker with another officer: not the staff member's
      'A4,PORT,2026-05-01T09:00:00Z,BRK-0042,,OFF-1,green',
      // the staff member with other brokers
      'A5,PORT,2026-05-02T09:00:00Z,BRK-1234,IMP-1,OFF-7,green',
      // the line manager's declared broker appears only with other officers
      'A6,PORT,2026-05-03T09:00:00Z,BRK-7777,,OFF-7,green',
      'A7,PORT,2026-05-04T09:00:00Z,BRK-7777,,OFF-1,green',
    ]);
    const scan = await officer.post('/api/declarations/flags/scan');
    assert.deepEqual(scan.json(), { raised: 1 });
    const [f, ...rest] = await related();
    assert.equal(rest.length, 0, 'one flag: none for the line manager');
    assert.equal(f!.user_id, h.a.users.staff.id);
    assert.equal(f!.declaration_id, conflictId);
    assert.equal(f!.facts.count, 3);
    assert.equal(f!.facts.first, '2026-02-03');
    assert.equal(f!.facts.last, '2026-04-21');
    assert.equal(f!.facts.identifier, 'BRK-0042');
    assert.equal(f!.facts.dataset, 'asycuda-2026');
    // Explained in words, in the reviewer's language.
    const list = (await officer.get('/api/declarations/flags?status=open')).json().items;
    const view = list.find((x: { id: string }) => x.id === f!.id);
    assert.equal(
      view.explanation,
      'Swift Clearing (customs broker, identifier BRK-0042), declared in this conflict of interest, is the declarant or importer of 3 Customs declarations handled by officer OFF-7 between 2026-02-03 and 2026-04-21 (dataset asycuda-2026, version 1).',
    );
    // The rows behind it.
    const rows = await officer.get(`/api/declarations/flags/${f!.id}/rows`);
    assert.equal(rows.statusCode, 200, rows.body);
    assert.equal(rows.json().total, 3);
    const ids = rows.json().rows.map((r: unknown[]) => r[rows.json().columns.indexOf('declaration_id')]);
    assert.deepEqual(ids, ['A1', 'A2', 'A3']);
    assert.equal((await staff.get(`/api/declarations/flags/${f!.id}/rows`)).statusCode, 403);
    // Once: a new scan or the daily job raises nothing more.
    assert.deepEqual((await officer.post('/api/declarations/flags/scan')).json(), { raised: 0 });
    await runJob();
    assert.equal((await related()).length, 1);
  });

  it('a conflict filed once the data is there is flagged on filing; a flag opens a case', async () => {
    const c = await staff.post('/api/declarations', conflict('Import House', 'imp-1', 'importer'));
    assert.equal(c.statusCode, 201, c.body);
    const mine = (await related()).filter((f) => f.declaration_id === c.json().id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.facts.count, 2);
    const r = await officer.post(`/api/declarations/flags/${mine[0]!.id}/decision`, {
      decision: 'refer',
      reason: 'Handled his relative’s imports',
      version: 1,
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'referred');
    const [k] = await h.kernel.db.query<{ reference: string }>(
      'select reference from cases where source_ref = $1',
      [mine[0]!.id],
    );
    assert.equal(r.json().referralRef, k!.reference);
  });

  it("tenant B's own data flags B's officer in B only; A's flag rows stay A's", async () => {
    const bAdmin = await h.as(h.b.users.org_admin.email);
    const res = await bAdmin.request({
      method: 'PUT',
      url: '/api/declarations/settings',
      payload: settings({ [h.b.users.staff.email]: 'OFF-7' }),
    });
    assert.equal(res.statusCode, 200, res.body);
    const bStaff = await h.as(h.b.users.staff.email);
    assert.equal(
      (await bStaff.post('/api/declarations', conflict('Swift Clearing', 'BRK-0042'))).statusCode,
      201,
    );
    const [bf] = await related(h.b.id);
    assert.equal(bf!.facts.count, 4, "B's data: four declarations");
    assert.equal(bf!.facts.dataset, 'b-extract');
    const [af] = await related();
    const bOfficer = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await bOfficer.get(`/api/declarations/flags/${af!.id}/rows`)).statusCode, 404);
  });
});
