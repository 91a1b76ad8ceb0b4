import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { ReportsService } from './reports.service.ts';

const PASS = 'handler passphrase long enough';

// Triage of a report into a case: POST /api/reports/:id/case (reports.handle, assigned only).
describe('reports: triage into a case', () => {
  let h: Harness;
  let admin: Client; // org_admin: manages channels, does not handle reports
  let handler: Client; // case_handler: the channel's recipient
  let officer: Client; // integrity_officer: handles and manages, but not a recipient here
  let office: string;
  let reportId: string;

  const submit = async (answers: Record<string, unknown>) => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/public/reports/${h.a.id}/triage-line`,
      payload: { language: 'fr', answers },
    });
    assert.equal(res.statusCode, 201, res.body);
  };
  const newest = async (known: Set<string>) => {
    const rows = await h.kernel.db.query<{ id: string }>('select id from reports where tenant_id = $1', [
      h.a.id,
    ]);
    return rows.map((r) => r.id).find((id) => !known.has(id))!;
  };

  before(async () => {
    h = await createHarness();
    admin = await h.as(h.a.users.org_admin.email);
    handler = await h.as(h.a.users.case_handler.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    for (const c of [handler, officer])
      assert.equal((await c.post('/api/reports/keys', { passphrase: PASS })).statusCode, 201);
    const [u] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', 'Port Office') returning id`,
      [h.a.id],
    );
    office = u!.id;
    const c = await admin.post('/api/reports/channels', {
      slug: 'triage-line',
      name: { en: 'Report corruption', fr: 'Signaler la corruption' },
      recipients: [h.a.users.case_handler.id],
      languages: ['en', 'fr'],
    });
    assert.equal(c.statusCode, 201, c.body);
    await submit({ what: 'Un agent a demandé de l’argent', procedure: 'valuation', office });
    reportId = await newest(new Set());
  });
  after(() => h.close());

  it('permission matrix: no reports.handle is 403, a handler not assigned is 404, nothing is opened', async () => {
    assert.equal((await admin.post(`/api/reports/${reportId}/case`)).statusCode, 403);
    // The integrity officer manages cases and reports, but the report is not sealed to them.
    assert.equal((await officer.post(`/api/reports/${reportId}/case`)).statusCode, 404);
    const investigator = await h.as(h.a.users.investigator.email);
    assert.equal((await investigator.post(`/api/reports/${reportId}/case`)).statusCode, 404);
    const [n] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from cases where source_kind = 'report'",
    );
    assert.equal(n!.n, 0);
  });

  it('the assigned handler opens a case: titled from channel and procedure, in the office; the report moves to triage', async () => {
    const res = await handler.post(`/api/reports/${reportId}/case`);
    assert.equal(res.statusCode, 200, res.body);
    const { caseId, reference } = res.json();
    assert.match(reference, /^CASE-\d{4}-\d{4}$/);
    const [c] = await h.kernel.db.query<{ title: string; org_unit_id: string; source_ref: string }>(
      'select title, org_unit_id, source_ref from cases where id = $1',
      [caseId],
    );
    assert.equal(c!.source_ref, reportId);
    assert.equal(c!.org_unit_id, office);
    assert.equal(c!.title, 'Report corruption — Valuation');
    const [r] = await h.kernel.db.query<{ status: string; case_id: string; acknowledged_at: Date | null }>(
      'select status, case_id, acknowledged_at from reports where id = $1',
      [reportId],
    );
    assert.equal(r!.status, 'triage');
    assert.equal(r!.case_id, caseId);
    assert.ok(r!.acknowledged_at, 'opening a case acknowledges the report');
    const item = (await handler.get('/api/reports')).json().items[0];
    assert.equal(item.caseId, caseId);
    assert.equal(item.status, 'triage');
    // The head of Internal Affairs (cases.manage) finds the case and its source.
    const opened = await officer.post(`/api/cases/${caseId}/open`);
    assert.equal(opened.statusCode, 200, opened.body);
    assert.equal(opened.json().sourceKind, 'report');
    assert.equal(opened.json().sourceRef, reportId);
  });

  it('idempotent: a second call answers the same case, writes nothing more', async () => {
    const [before] = await h.kernel.db.query<{ version: number }>(
      'select version from reports where id = $1',
      [reportId],
    );
    const again = await handler.post(`/api/reports/${reportId}/case`);
    assert.equal(again.statusCode, 200, again.body);
    const [row] = await h.kernel.db.query<{ n: number; audits: number; version: number }>(
      `select (select count(*)::int from cases where source_kind = 'report' and source_ref = $1::text) as n,
              (select count(*)::int from audit_events where action = 'reports.report.triaged' and entity_id = $1::text) as audits,
              (select version from reports where id = $1::uuid) as version`,
      [reportId],
    );
    assert.deepEqual(row, { n: 1, audits: 1, version: before!.version });
    const [c] = await h.kernel.db.query<{ id: string }>('select case_id as id from reports where id = $1', [
      reportId,
    ]);
    assert.equal(again.json().caseId, c!.id);
  });

  it('a closed report is not triaged (409); a report without an office gets a case without a unit', async () => {
    const known = new Set([reportId]);
    await submit({ what: 'Rien de plus', procedure: 'transit' });
    const plain = await newest(known);
    known.add(plain);
    const res = await handler.post(`/api/reports/${plain}/case`);
    assert.equal(res.statusCode, 200, res.body);
    const [c] = await h.kernel.db.query<{ title: string; org_unit_id: string | null }>(
      'select title, org_unit_id from cases where id = $1',
      [res.json().caseId],
    );
    assert.deepEqual(c, { title: 'Report corruption — Transit', org_unit_id: null });
    await submit({ what: 'Encore', procedure: 'transit' });
    const closed = await newest(known);
    const [r] = await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [
      closed,
    ]);
    const close = await handler.post(`/api/reports/${closed}/close`, {
      version: r!.version,
      reason: 'unfounded',
    });
    assert.equal(close.statusCode, 204, close.body);
    assert.equal((await handler.post(`/api/reports/${closed}/case`)).statusCode, 409);
  });

  it('conflict of interest: sharing with a handler who works under the office named needs confirming', async () => {
    // The integrity officer works in a unit under the Port Office the report names.
    const [sub] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, parent_id, type, name) values (gen_random_uuid(), $1, $2, 'unit', 'Port Office — Examination') returning id`,
      [h.a.id, office],
    );
    await h.kernel.db.query('update memberships set org_unit_id = $1 where tenant_id = $2 and user_id = $3', [
      sub!.id,
      h.a.id,
      h.a.users.integrity_officer.id,
    ]);
    const to = h.a.users.integrity_officer.id;
    const refused = await handler.post(`/api/reports/${reportId}/assignees`, { userId: to });
    assert.equal(refused.statusCode, 409, refused.body);
    assert.equal(refused.json().errors?.[0]?.path, 'acknowledgeConflict');
    assert.equal((await officer.post(`/api/reports/${reportId}/open`)).statusCode, 404, 'not shared yet');
    const ok = await handler.post(`/api/reports/${reportId}/assignees`, {
      userId: to,
      acknowledgeConflict: true,
    });
    assert.equal(ok.statusCode, 204, ok.body);
    assert.equal((await officer.post(`/api/reports/${reportId}/open`)).statusCode, 200);
    const [a] = await h.kernel.db.query<{ data: { userId: string; conflict: boolean } }>(
      "select data from audit_events where action = 'reports.report.assigned' and entity_id = $1::text",
      [reportId],
    );
    assert.deepEqual(a!.data, { userId: to, conflict: true });
  });

  it('statutory clocks: handlers are told once when acknowledgement, then feedback, is overdue', async () => {
    const known = new Set(
      (await h.kernel.db.query<{ id: string }>('select id from reports where tenant_id = $1', [h.a.id])).map(
        (r) => r.id,
      ),
    );
    await submit({ what: 'Une demande de pot-de-vin au guichet', procedure: 'clearance' });
    const fresh = await newest(known);
    const [row] = await h.kernel.db.query<{ received_at: Date }>(
      'select received_at from reports where id = $1',
      [fresh],
    );
    const svc = new ReportsService(h.kernel);
    const remind = (days: number) =>
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        svc.remindOverdue(tx, h.a.id, new Date(row!.received_at.getTime() + days * 86_400_000)),
      );
    const notices = () =>
      h.kernel.db.query<{ message_key: string; link: string; vars: Record<string, string> }>(
        "select message_key, link, vars from notifications where user_id = $1 and kind = 'reports.overdue' and link = $2 order by created_at",
        [h.a.users.case_handler.id, `/reports/${fresh}`],
      );
    await remind(6);
    assert.equal((await notices()).length, 0, 'not due before the 7 days');
    await remind(8);
    let n = await notices();
    assert.deepEqual(
      n.map((x) => x.message_key),
      ['reports.notify.ackOverdue'],
    );
    assert.equal(n[0]!.vars.channel, 'Report corruption');
    assert.ok(!JSON.stringify(n).includes('pot-de-vin'), 'no content in the notice');
    await remind(9);
    assert.equal((await notices()).length, 1, 'once per clock');
    // Acknowledged: no more acknowledgement notices; the feedback clock still runs (90 days).
    const [{ version }] = (await h.kernel.db.query<{ version: number }>(
      'select version from reports where id = $1',
      [fresh],
    )) as [{ version: number }];
    const ack = await handler.post(`/api/reports/${fresh}/acknowledge`, { version });
    assert.equal(ack.statusCode, 204, ack.body);
    await remind(91);
    n = await notices();
    assert.deepEqual(
      n.map((x) => x.message_key),
      ['reports.notify.ackOverdue', 'reports.notify.feedbackOverdue'],
    );
  });

  it('escalation: a report naming a senior manager goes to the second tier only, and its case is escalated', async () => {
    const channels = (await admin.get('/api/reports/channels')).json();
    const ch = (channels.items ?? channels).find((c: { slug: string }) => c.slug === 'triage-line');
    const bad = await admin.patch(`/api/reports/channels/${ch.id}`, {
      version: ch.version,
      escalationRecipients: [h.a.users.org_admin.id],
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.equal(bad.json().errors?.[0]?.path, 'escalationRecipients');
    const set = await admin.patch(`/api/reports/channels/${ch.id}`, {
      version: ch.version,
      escalationRecipients: [h.a.users.integrity_officer.id],
    });
    assert.equal(set.statusCode, 200, set.body);
    assert.deepEqual(set.json().escalationRecipients, [h.a.users.integrity_officer.id]);
    const known = new Set(
      (await h.kernel.db.query<{ id: string }>('select id from reports where tenant_id = $1', [h.a.id])).map(
        (r) => r.id,
      ),
    );
    await submit({
      what: 'Le chef de bureau exige une commission',
      procedure: 'clearance',
      involved_role: ['senior_manager'],
    });
    const escalated = await newest(known);
    known.add(escalated);
    await submit({ what: 'Un agent au guichet', procedure: 'clearance', involved_role: ['officer'] });
    const ordinary = await newest(known);
    const sealedTo = async (id: string) =>
      (
        await h.kernel.db.query<{ user_id: string }>(
          'select user_id from report_seals where report_id = $1',
          [id],
        )
      ).map((r) => r.user_id);
    assert.deepEqual(await sealedTo(escalated), [h.a.users.integrity_officer.id]);
    assert.deepEqual(await sealedTo(ordinary), [h.a.users.case_handler.id]);
    // The first tier cannot read it; the second tier sees it flagged and opens an escalated case.
    assert.equal((await handler.post(`/api/reports/${escalated}/open`)).statusCode, 404);
    const item = (await officer.get('/api/reports'))
      .json()
      .items.find((r: { id: string }) => r.id === escalated);
    assert.equal(item.escalated, true);
    const opened = await officer.post(`/api/reports/${escalated}/case`);
    assert.equal(opened.statusCode, 200, opened.body);
    const [c] = await h.kernel.db.query<{ escalated: boolean }>('select escalated from cases where id = $1', [
      opened.json().caseId,
    ]);
    assert.equal(c!.escalated, true);
  });
});
