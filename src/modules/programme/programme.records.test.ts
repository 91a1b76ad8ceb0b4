import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { multipart, sampleFile } from '../../platform/testing/files.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import {
  addAgreement,
  addDonor,
  EOI,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
} from './programme.fixture.ts';

/*
 * Files, edits and deletes (docs/adr/0028, "Files, edits and deletes"): an expression of
 * interest's attachments and the administration's own read-only view of it; an activity's report
 * files; evaluation corrections; deletes of activities, agreements and evaluations.
 */
describe('programme: files, edits and deletes', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let adminB: Client;
  let staffA: Client;
  let donor1: Client;
  let donor2: Client;
  let donorOrg2: string;
  const ids = {} as Record<'d1' | 'pA' | 'ag1' | 'eoiA' | 'eoiB', string>;
  const CRITERIA = ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'];
  const upload = (c: Client, url: string, filename: string, data: Buffer, fields: Record<string, string>) =>
    c.request({ method: 'POST', url, ...multipart({ file: { filename, data }, fields }) });
  const attach = (c: Client, eoiId: string, filename = 'endorsement.pdf', data = sampleFile('pdf')) =>
    upload(c, '/api/programme/eoi-attachments', filename, data, { eoiId });
  const n = async (sql: string, params: unknown[] = []) =>
    (await h.kernel.db.query<{ n: number }>(sql, params))[0]!.n;
  const audits = (action: string, id: string) =>
    n('select count(*)::int as n from audit_events where action = $1 and entity_id = $2', [action, id]);
  const activity = async (extra: Json = {}) =>
    ok(
      await sec.post('/api/programme/activities', {
        type: 'scoping_mission',
        title: 'Scoping mission',
        startsOn: '2026-06-01',
        endsOn: '2026-06-02',
        partnershipIds: [ids.pA],
        ...extra,
      }),
      201,
    );

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    staffA = await h.as(h.a.users.staff.email);
    const world = await programmeWorld(h, 'records.');
    ({ sec, donor1, donor2, donorOrg2 } = world);
    ids.d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    ids.pA = await partnershipOf(sec, officerA, [ids.d1]);
    ids.ag1 = await addAgreement(sec, ids.d1, 'AG1', '10000.00', 'EUR');
    ids.eoiA = (await ok(await officerA.post('/api/programme/eois', EOI), 201)).id;
    ids.eoiB = (await ok(await adminB.post('/api/programme/eois', EOI), 201)).id;
  });
  after(async () => h?.close());

  it('the RAD factors are named in the caller’s language, from the standards library', async () => {
    const en = (await ok(await officerA.get('/api/programme/rad-factors'))).items as Json[];
    assert.deepEqual(
      en.map((f) => f.factor),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.ok(en.every((f) => typeof f.name === 'string' && f.name.length > 3));
    const fr = (
      await ok(
        await officerA.request({
          method: 'GET',
          url: '/api/programme/rad-factors',
          headers: { 'accept-language': 'fr' },
        }),
      )
    ).items as Json[];
    assert.notEqual(fr[0]!.name, en[0]!.name, 'the French name differs from the English one');
  });

  it('an administration attaches files to its EOI; it reads them back, the Secretariat downloads them', async () => {
    const f = await ok(await attach(officerA, ids.eoiA), 201);
    assert.equal(f.mediaType, 'application/pdf');
    const docx = await ok(await attach(officerA, ids.eoiA, 'plan.docx', sampleFile('docx')), 201);
    const mine = await ok(await officerA.get(`/api/programme/mine/eois/${ids.eoiA}`));
    assert.deepEqual(
      mine.attachments.map((a: Json) => a.filename),
      ['endorsement.pdf', 'plan.docx'],
    );
    assert.equal(mine.canAttach, true);
    assert.equal(mine.status, 'received');
    const own = await officerA.get(`/api/programme/mine/eois/${ids.eoiA}/attachments/${f.id}`);
    assert.equal(own.statusCode, 200);
    assert.deepEqual(own.rawPayload, sampleFile('pdf'));
    const list = (await ok(await sec.get(`/api/programme/eois/${ids.eoiA}/attachments`))).items as Json[];
    assert.deepEqual(
      list.map((a) => a.id),
      [f.id, docx.id],
    );
    const got = await sec.get(`/api/programme/eois/${ids.eoiA}/attachments/${docx.id}`);
    assert.equal(got.statusCode, 200);
    assert.match(String(got.headers['content-disposition']), /attachment; filename="plan.docx"/);
    assert.deepEqual(got.rawPayload, sampleFile('docx'));
    assert.equal(await audits('programme.eoi.file_added', ids.eoiA), 2);
    // Neither a donor nor a staff member without programme.submit reads them.
    assert.equal((await donor1.get(`/api/programme/eois/${ids.eoiA}/attachments/${f.id}`)).statusCode, 403);
    assert.equal(
      (await staffA.get(`/api/programme/mine/eois/${ids.eoiA}/attachments/${f.id}`)).statusCode,
      403,
    );
  });

  it("an administration sees only its own EOIs and files: another administration's are 404, nothing stored", async () => {
    const f = await ok(await attach(adminB, ids.eoiB), 201);
    assert.equal((await officerA.get(`/api/programme/mine/eois/${ids.eoiB}`)).statusCode, 404);
    assert.equal(
      (await officerA.get(`/api/programme/mine/eois/${ids.eoiB}/attachments/${f.id}`)).statusCode,
      404,
    );
    // A's own EOI with B's file id: not A's file either.
    assert.equal(
      (await officerA.get(`/api/programme/mine/eois/${ids.eoiA}/attachments/${f.id}`)).statusCode,
      404,
    );
    const before = await n('select count(*)::int as n from programme_eoi_attachments');
    assert.equal((await attach(officerA, ids.eoiB)).statusCode, 404);
    // An administration is not the Secretariat: the Secretariat's routes show it nothing.
    const adminA = await h.as(h.a.users.platform_admin.email);
    assert.equal((await adminA.get(`/api/programme/eois/${ids.eoiB}/attachments`)).statusCode, 404);
    assert.equal(await n('select count(*)::int as n from programme_eoi_attachments'), before);
  });

  it('a file of a wrong type or too large is refused (4xx), and nothing is stored', async () => {
    const rows = () =>
      n('select count(*)::int as n from programme_eoi_attachments where eoi_id = $1', [ids.eoiA]);
    const files = () =>
      n('select count(*)::int as n from audit_events where action = $1', ['programme.eoi.file_added']);
    const [r0, a0] = [await rows(), await files()];
    // A ZIP is not a document; text renamed .pdf is not a PDF; a GIF is not in the list.
    assert.equal((await attach(officerA, ids.eoiA, 'bundle.zip', sampleFile('zip'))).statusCode, 415);
    assert.equal((await attach(officerA, ids.eoiA, 'fake.pdf', sampleFile('txt'))).statusCode, 415);
    assert.equal((await attach(officerA, ids.eoiA, 'photo.gif', sampleFile('gif'))).statusCode, 415);
    const big = Buffer.concat([sampleFile('pdf'), Buffer.alloc(10 * 1024 * 1024 + 1)]);
    assert.equal((await attach(officerA, ids.eoiA, 'big.pdf', big)).statusCode, 413);
    assert.equal(await rows(), r0);
    assert.equal(await files(), a0);
  });

  it('once the Secretariat screens the EOI it is read-only: no more files (409); the decline reason and date are shown', async () => {
    const eoi = (await ok(await officerA.post('/api/programme/eois', EOI), 201)).id;
    await ok(await attach(officerA, eoi), 201);
    await ok(
      await sec.post(`/api/programme/eois/${eoi}/transition`, {
        version: 1,
        to: 'screening',
        reason: 'Complete',
        decidedOn: '2026-04-01',
      }),
    );
    assert.equal((await attach(officerA, eoi)).statusCode, 409);
    await ok(
      await sec.post(`/api/programme/eois/${eoi}/transition`, {
        version: 2,
        to: 'declined',
        reason: 'No funding for this region this year',
        decidedOn: '2026-04-15',
      }),
    );
    const mine = await ok(await officerA.get(`/api/programme/mine/eois/${eoi}`));
    assert.equal(mine.status, 'declined');
    assert.equal(mine.canAttach, false);
    assert.deepEqual(
      mine.events.map((e: Json) => [e.to, e.decidedOn, e.reason]),
      [
        ['screening', '2026-04-01', 'Complete'],
        ['declined', '2026-04-15', 'No funding for this region this year'],
      ],
    );
    assert.equal(mine.attachments.length, 1);
  });

  it('an activity carries report files (PDF/DOCX); others are refused; removing one is audited', async () => {
    const a = await activity();
    const up = (filename: string, data: Buffer, activityId = a.id) =>
      upload(sec, '/api/programme/activity-reports', filename, data, { activityId });
    const pdf = await ok(await up('mission-report.pdf', sampleFile('pdf')), 201);
    await ok(await up('annex.docx', sampleFile('docx')), 201);
    assert.equal((await up('data.xlsx', sampleFile('xlsx'))).statusCode, 415);
    assert.equal(
      (await up('x.pdf', sampleFile('pdf'), '01900000-0000-7000-8000-000000000001')).statusCode,
      404,
    );
    assert.equal(
      (
        await upload(officerA, '/api/programme/activity-reports', 'r.pdf', sampleFile('pdf'), {
          activityId: a.id,
        })
      ).statusCode,
      403,
    );
    const list = (await ok(await sec.get(`/api/programme/activities/${a.id}/reports`))).items as Json[];
    assert.deepEqual(
      list.map((f) => f.filename),
      ['mission-report.pdf', 'annex.docx'],
    );
    const got = await sec.get(`/api/programme/activities/${a.id}/reports/${pdf.id}`);
    assert.deepEqual(got.rawPayload, sampleFile('pdf'));
    assert.equal((await sec.delete(`/api/programme/activities/${a.id}/reports/${pdf.id}`)).statusCode, 204);
    assert.equal((await sec.get(`/api/programme/activities/${a.id}/reports/${pdf.id}`)).statusCode, 404);
    assert.equal(await audits('programme.activity.report_added', a.id), 2);
    assert.equal(await audits('programme.activity.report_removed', a.id), 1);
  });

  it("an activity's report files are read by its partner and the donors paying for it; anyone else gets 404", async () => {
    const d2 = await addDonor(sec, 'Donor Two', donorOrg2);
    const ag2 = await addAgreement(sec, d2, 'AG2', '10000.00', 'EUR');
    const pB = await partnershipOf(sec, adminB, [d2]);
    const cost = (agreementId: string) => [
      { label: 'Travel', agreementId, amount: { amount: '10.00', currency: 'EUR' } },
    ];
    // A's activity paid by donor 1, B's paid by donor 2, and one of A's that no donor pays for.
    const actA = await activity({ costs: cost(ids.ag1) });
    const actB = await activity({ partnershipIds: [pB], costs: cost(ag2) });
    const unpaid = await activity();
    const report = async (activityId: string, data: Buffer) =>
      ok(await upload(sec, '/api/programme/activity-reports', 'report.pdf', data, { activityId }), 201);
    const pdfA = sampleFile('pdf');
    const fileA = await report(actA.id, pdfA);
    const fileB = await report(actB.id, sampleFile('pdf'));
    const fileUnpaid = await report(unpaid.id, sampleFile('pdf'));
    const mine = (a: string, f?: string) => `/api/programme/mine/activities/${a}/reports${f ? `/${f}` : ''}`;
    const funded = (a: string, f?: string) =>
      `/api/programme/donor/activities/${a}/reports${f ? `/${f}` : ''}`;

    // The partner of A lists and downloads A's file.
    const listA = (await ok(await officerA.get(mine(actA.id)))).items as Json[];
    assert.deepEqual(
      listA.map((f) => f.id),
      [fileA.id],
    );
    const got = await officerA.get(mine(actA.id, fileA.id));
    assert.equal(got.statusCode, 200);
    assert.match(String(got.headers['content-disposition']), /attachment; filename="report.pdf"/);
    assert.deepEqual(got.rawPayload, pdfA);
    // The partner of B: A's activity and file are not found, even through B's own activity.
    assert.equal((await adminB.get(mine(actA.id))).statusCode, 404);
    assert.equal((await adminB.get(mine(actA.id, fileA.id))).statusCode, 404);
    assert.equal((await adminB.get(mine(actB.id, fileA.id))).statusCode, 404);
    assert.equal((await adminB.get(mine(actB.id, fileB.id))).statusCode, 200);
    // Donor 1 pays for A's activity: it reads the file; not B's, nor the activity it does not pay for
    // (although it is listed on A's partnership).
    assert.equal((await donor1.get(funded(actA.id, fileA.id))).statusCode, 200);
    assert.equal(((await ok(await donor1.get(funded(actA.id)))).items as Json[]).length, 1);
    assert.equal((await donor1.get(funded(actB.id, fileB.id))).statusCode, 404);
    assert.equal((await donor1.get(funded(unpaid.id))).statusCode, 404);
    assert.equal((await donor1.get(funded(unpaid.id, fileUnpaid.id))).statusCode, 404);
    // Donor 2 does not fund A's activity: 404, also with its own activity's id beside A's file.
    assert.equal((await donor2.get(funded(actA.id))).statusCode, 404);
    assert.equal((await donor2.get(funded(actA.id, fileA.id))).statusCode, 404);
    assert.equal((await donor2.get(funded(actB.id, fileA.id))).statusCode, 404);
    assert.equal((await donor2.get(funded(actB.id, fileB.id))).statusCode, 200);
    // The Secretariat still reads it through its own route; the routes' permissions hold.
    assert.deepEqual(
      (await sec.get(`/api/programme/activities/${actA.id}/reports/${fileA.id}`)).rawPayload,
      pdfA,
    );
    assert.equal((await sec.get(mine(actA.id, fileA.id))).statusCode, 403);
    assert.equal((await officerA.get(funded(actA.id, fileA.id))).statusCode, 403);
    assert.equal((await staffA.get(mine(actA.id, fileA.id))).statusCode, 403);
  });

  it('an evaluation is corrected at the version read (409 when stale), audited, and deleted', async () => {
    const criteria = CRITERIA.map((criterion) => ({ criterion, rating: 2, findings: `On ${criterion}` }));
    const { id } = await ok(
      await sec.post(`/api/programme/partnerships/${ids.pA}/evaluations`, {
        title: 'Mid-term review',
        evaluator: 'Evaluator',
        evaluatedOn: '2027-06-30',
        criteria,
      }),
      201,
    );
    const e = await ok(await sec.get(`/api/programme/evaluations/${id}`));
    assert.equal(e.version, 1);
    const fixed = criteria.map((c) =>
      c.criterion === 'impact' ? { ...c, rating: 4, findings: 'Strong' } : c,
    );
    const u = await ok(
      await sec.patch(`/api/programme/evaluations/${id}`, { version: 1, title: 'MTR', criteria: fixed }),
    );
    assert.equal(u.version, 2);
    assert.equal(u.title, 'MTR');
    assert.equal(u.criteria.find((c: Json) => c.criterion === 'impact').rating, 4);
    // A second edit from the old version: 409, nothing changed.
    const stale = await sec.patch(`/api/programme/evaluations/${id}`, { version: 1, title: 'Other' });
    assert.equal(stale.statusCode, 409);
    assert.equal((await ok(await sec.get(`/api/programme/evaluations/${id}`))).title, 'MTR');
    // Five criteria, or the partner editing: refused.
    assert.equal(
      (await sec.patch(`/api/programme/evaluations/${id}`, { version: 2, criteria: fixed.slice(1) }))
        .statusCode,
      400,
    );
    assert.equal(
      (await officerA.patch(`/api/programme/evaluations/${id}`, { version: 2, title: 'x' })).statusCode,
      403,
    );
    const [audit] = await h.kernel.db.query<{ data: Json }>(
      "select data from audit_events where action = 'programme.evaluation.updated' and entity_id = $1",
      [id],
    );
    assert.deepEqual(audit!.data.fields, ['title', 'criteria']);
    assert.equal(audit!.data.ratings.from.impact, 2);
    assert.equal(audit!.data.ratings.to.impact, 4);
    // The partner reads the corrected one in its results.
    const res = await ok(await officerA.get(`/api/programme/mine/partnerships/${ids.pA}/results`));
    assert.equal(res.evaluations.find((x: Json) => x.id === id).title, 'MTR');
    assert.equal((await sec.delete(`/api/programme/evaluations/${id}?version=1`)).statusCode, 409);
    assert.equal((await sec.delete(`/api/programme/evaluations/${id}?version=2`)).statusCode, 204);
    assert.equal((await sec.get(`/api/programme/evaluations/${id}`)).statusCode, 404);
    assert.equal(await audits('programme.evaluation.deleted', id), 1);
  });

  it('an agreement is deleted only while nothing refers to it (409 naming them); nothing half-deleted', async () => {
    const free = await addAgreement(sec, ids.d1, 'FREE', '500.00', 'EUR');
    const paid = await addAgreement(sec, ids.d1, 'PAID', '500.00', 'EUR');
    const spent = await addAgreement(sec, ids.d1, 'SPENT', '500.00', 'EUR');
    await ok(
      await sec.post(`/api/programme/agreements/${paid}/disbursements`, {
        receivedOn: '2026-02-01',
        amount: { amount: '100.00', currency: 'EUR' },
      }),
      201,
    );
    await activity({
      costs: [{ label: 'Travel', agreementId: spent, amount: { amount: '50.00', currency: 'EUR' } }],
    });
    for (const id of [paid, spent]) {
      const res = await sec.delete(`/api/programme/agreements/${id}?version=1`);
      assert.equal(res.statusCode, 409, res.body);
      assert.match(res.json().detail, /cannot be deleted: \d disbursement\(s\) and \d cost line\(s\)/);
      assert.equal(await n('select count(*)::int as n from programme_agreements where id = $1', [id]), 1);
    }
    assert.equal(
      await n('select count(*)::int as n from programme_disbursements where agreement_id = $1', [paid]),
      1,
    );
    assert.equal(
      await n('select count(*)::int as n from programme_costs where agreement_id = $1', [spent]),
      1,
    );
    assert.equal(
      (await sec.delete(`/api/programme/agreements/${free}?version=2`)).statusCode,
      409,
      'stale version',
    );
    assert.equal((await donor1.delete(`/api/programme/agreements/${free}?version=1`)).statusCode, 403);
    assert.equal((await sec.delete(`/api/programme/agreements/${free}?version=1`)).statusCode, 204);
    assert.equal(await n('select count(*)::int as n from programme_agreements where id = $1', [free]), 0);
    assert.equal(await audits('programme.agreement.deleted', free), 1);
    assert.equal(await audits('programme.agreement.deleted', paid), 0);
  });

  it('an activity is deleted with its cost lines, output links and report files — all or nothing', async () => {
    const a = await activity({
      costs: [{ label: 'Venue', agreementId: ids.ag1, amount: { amount: '75.00', currency: 'EUR' } }],
    });
    await ok(
      await upload(sec, '/api/programme/activity-reports', 'report.pdf', sampleFile('pdf'), {
        activityId: a.id,
      }),
      201,
    );
    const count = async () => ({
      activity: await n('select count(*)::int as n from programme_activities where id = $1', [a.id]),
      costs: await n('select count(*)::int as n from programme_costs where activity_id = $1', [a.id]),
      reports: await n('select count(*)::int as n from programme_activity_reports where activity_id = $1', [
        a.id,
      ]),
    });
    assert.deepEqual(await count(), { activity: 1, costs: 1, reports: 1 });
    assert.equal((await sec.delete(`/api/programme/activities/${a.id}?version=2`)).statusCode, 409);
    assert.equal((await officerA.delete(`/api/programme/activities/${a.id}?version=1`)).statusCode, 403);
    assert.deepEqual(await count(), { activity: 1, costs: 1, reports: 1 }, 'refused: nothing removed');
    assert.equal((await sec.delete(`/api/programme/activities/${a.id}?version=1`)).statusCode, 204);
    assert.deepEqual(await count(), { activity: 0, costs: 0, reports: 0 });
    assert.equal((await sec.get(`/api/programme/activities/${a.id}`)).statusCode, 404);
    const [audit] = await h.kernel.db.query<{ data: Json }>(
      "select data from audit_events where action = 'programme.activity.deleted' and entity_id = $1",
      [a.id],
    );
    assert.deepEqual(audit!.data.costs, [
      { agreementId: ids.ag1, label: 'Venue', amountMinor: '7500', currency: 'EUR' },
    ]);
    assert.deepEqual(
      audit!.data.reports.map((r: Json) => r.filename),
      ['report.pdf'],
    );
  });
});
