import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness, TEST_PASSWORD } from '../../platform/testing/harness.ts';
import { ESCROW_DEFAULT } from './reports.crypto.ts';
import { ReportsService } from './reports.service.ts';

// Key escrow (docs/adr/0023-reporting-encryption.md, "Escrow"): off by default; switched on by
// `reports.escrow` with the password again, audited; custodians open new reports through the
// escrow key, audited; switching off shreds every escrow seal; reporters are told.

const PASS = 'handler passphrase long enough';
const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const NOTICE_EN = 'Designated custodians of this administration can also open reports';
const NOTICE_FR = 'Des dépositaires désignés de cette administration peuvent aussi ouvrir les signalements';

describe('reports: key escrow', () => {
  let h: Harness;
  let admin: Client; // org_admin: holds reports.escrow, no handler key, never a custodian
  let handler: Client; // case_handler: the channel's recipient
  let officer: Client; // integrity_officer: handler and manager; the custodian
  let investigator: Client; // a handler with keys who is not a custodian
  let base: string;
  let page: string;
  const receipts: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const toggle = (c: Client, payload: unknown) => c.post('/api/reports/escrow', payload);
  const submit = (text: string, extra: Record<string, unknown> = {}) =>
    h.app.inject({
      method: 'POST',
      url: `${base}/report`,
      payload: { language: 'en', answers: { what: text, procedure: 'transit' }, ...extra },
    });
  const idOf = async (text: string) => {
    // Decrypting is the only way to find a report by its text: the handler (a recipient) opens each.
    const list = (await handler.get('/api/reports')).json().items as { id: string }[];
    for (const r of list) {
      const d = (await handler.post(`/api/reports/${r.id}/open`)).json();
      if (d.answers.some((a: { value: unknown }) => a.value === text)) return r.id;
    }
    throw new Error(`no report with ${text}`);
  };
  const count = async (table: string, tenant = h.a.id) =>
    (
      await h.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${table} where tenant_id = $1`, [
        tenant,
      ])
    )[0]!.n;
  const audits = (action: string) =>
    h.kernel.db.query<{ entity_id: string; actor_id: string; data: Record<string, unknown> }>(
      'select entity_id, actor_id, data from audit_events where tenant_id = $1 and action = $2 order by seq',
      [h.a.id, action],
    );
  const send = async (key: string, text: string) => {
    const res = await submit(text);
    assert.equal(res.statusCode, 201, res.body);
    receipts[key] = res.json().receipt;
    ids[key] = await idOf(text);
    return res.json() as { receipt: string; escrow: boolean };
  };
  const threadHtml = (receipt: string, lang = 'en') => {
    const boundary = '----escrowtest';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="lang"\r\n\r\n${lang}\r\n--${boundary}\r\nContent-Disposition: form-data; name="receipt"\r\n\r\n${receipt}\r\n--${boundary}--\r\n`;
    return h.app.inject({
      method: 'POST',
      url: `${page}/follow-up`,
      payload: body,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
  };

  before(async () => {
    h = await createHarness();
    admin = await h.as(h.a.users.org_admin.email);
    handler = await h.as(h.a.users.case_handler.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    investigator = await h.as(h.a.users.investigator.email);
    for (const c of [handler, officer, investigator])
      assert.equal((await c.post('/api/reports/keys', { passphrase: PASS })).statusCode, 201);
    const ch = await admin.post('/api/reports/channels', {
      slug: 'report',
      name: { en: 'Report corruption', fr: 'Signaler la corruption', ar: 'الإبلاغ عن الفساد' },
      recipients: [h.a.users.case_handler.id],
      languages: ['en', 'fr', 'ar'],
    });
    assert.equal(ch.statusCode, 201, ch.body);
    base = `/api/public/reports/${h.a.id}`;
    page = `/report/${h.a.id}/report`;
  });
  after(() => h.close());

  it('is off by default: no escrow key, no escrow seal, reporters told nothing about it', async () => {
    assert.equal(ESCROW_DEFAULT, false);
    const state = (await admin.get('/api/reports/escrow')).json();
    assert.equal(state.enabled, false);
    assert.deepEqual(state.custodians, []);
    assert.equal((await handler.get('/api/reports/escrow/notice')).json().enabled, false);
    const sent = await send('before', 'escrow-test report sent before switch-on');
    assert.equal(sent.escrow, false);
    assert.equal(await count('reports_escrow'), 0);
    assert.equal(await count('reports_escrow_seals'), 0);
    const pub = (await h.app.inject({ method: 'GET', url: `${base}/report` })).json();
    assert.equal(pub.escrow, false);
    assert.equal(pub.escrowNotice, null);
    for (const [lang, text] of [
      ['en', NOTICE_EN],
      ['fr', NOTICE_FR],
    ] as const) {
      const form = await h.app.inject({ method: 'GET', url: `${page}?lang=${lang}` });
      assert.equal(form.statusCode, 200);
      assert.doesNotMatch(form.body, /data-escrow/);
      assert.ok(!form.body.includes(text), lang);
    }
    const thread = await threadHtml(receipts.before!);
    assert.equal(thread.statusCode, 200);
    assert.doesNotMatch(thread.body, /data-escrow/);
  });

  it('switching needs reports.escrow (403 for handlers and managers) and the password again', async () => {
    const on = { enabled: true, custodians: [h.a.users.integrity_officer.id], password: TEST_PASSWORD };
    assert.equal((await toggle(handler, on)).statusCode, 403);
    assert.equal((await toggle(officer, on)).statusCode, 403, 'reports.manage is not enough');
    const wrong = await toggle(admin, { ...on, password: 'not my password' });
    assert.equal(wrong.statusCode, 422, wrong.body);
    assert.equal(wrong.json().errors[0].path, 'password');
    // A custodian must be a handler with keys.
    const staff = await toggle(admin, { ...on, custodians: [h.a.users.staff.id] });
    assert.equal(staff.statusCode, 422, staff.body);
    assert.equal(await count('reports_escrow'), 0);
    assert.equal(await count('reports_escrow_custodians'), 0);
    assert.equal((await audits('reports.escrow.enabled')).length, 0);
  });

  it('switching on is audited in the same transaction and names the custodians', async () => {
    const res = await toggle(admin, {
      enabled: true,
      custodians: [h.a.users.integrity_officer.id],
      password: TEST_PASSWORD,
    });
    assert.equal(res.statusCode, 200, res.body);
    const state = res.json();
    assert.equal(state.enabled, true);
    assert.deepEqual(
      state.custodians.map((c: { userId: string }) => c.userId),
      [h.a.users.integrity_officer.id],
    );
    assert.equal(state.custodian, false, 'the administrator is not a custodian');
    const [audit] = await audits('reports.escrow.enabled');
    assert.equal(audit?.actor_id, h.a.users.org_admin.id);
    assert.deepEqual(audit?.data, { custodians: [h.a.users.integrity_officer.id] });
    // The escrow private key is stored only sealed to the custodian: one row, for them.
    const rows = await h.kernel.db.query<{ user_id: string; sealed: Buffer }>(
      'select user_id, sealed from reports_escrow_custodians where tenant_id = $1',
      [h.a.id],
    );
    assert.deepEqual(
      rows.map((r) => r.user_id),
      [h.a.users.integrity_officer.id],
    );
    // Again while on: 409 (switch off first).
    const again = await toggle(admin, {
      enabled: true,
      custodians: [h.a.users.investigator.id],
      password: TEST_PASSWORD,
    });
    assert.equal(again.statusCode, 409);
    assert.equal((await officer.get('/api/reports/escrow/notice')).json().custodian, true);
    assert.equal((await investigator.get('/api/reports/escrow/notice')).json().custodian, false);
  });

  it('while on, each new report is also sealed to the escrow key; earlier reports are not', async () => {
    const sent = await send('after', 'escrow-test report sent after switch-on');
    assert.equal(sent.escrow, true);
    const seals = await h.kernel.db.query<{ report_id: string }>(
      'select report_id from reports_escrow_seals where tenant_id = $1',
      [h.a.id],
    );
    assert.deepEqual(
      seals.map((s) => s.report_id),
      [ids.after],
    );
    const list = (await handler.get('/api/reports')).json().items as { id: string; escrowed: boolean }[];
    assert.equal(list.find((r) => r.id === ids.after)?.escrowed, true);
    assert.equal(list.find((r) => r.id === ids.before)?.escrowed, false);
    // A client that showed the reporter "escrow off" is refused now that it is on: nothing stored.
    const n = await count('reports');
    const stale = await submit('escrow-test stale form', { escrow: false });
    assert.equal(stale.statusCode, 400, stale.body);
    assert.equal(await count('reports'), n);
  });

  it('reporters are told on the form, the receipt form and the thread (en, fr), and in the public JSON', async () => {
    const pub = (await h.app.inject({ method: 'GET', url: `${base}/report?lang=fr` })).json();
    assert.equal(pub.escrow, true);
    assert.ok(pub.escrowNotice.startsWith(NOTICE_FR), pub.escrowNotice);
    for (const [lang, text] of [
      ['en', NOTICE_EN],
      ['fr', NOTICE_FR],
    ] as const) {
      const form = await h.app.inject({ method: 'GET', url: `${page}?lang=${lang}` });
      assert.match(form.body, /data-escrow="on"/, lang);
      assert.ok(form.body.includes(text), lang);
      assert.match(form.body, /name="escrow" value="on"/);
      const follow = await h.app.inject({ method: 'GET', url: `${page}/follow-up?lang=${lang}` });
      assert.ok(follow.body.includes(text), `${lang} follow-up`);
    }
    const ar = await h.app.inject({ method: 'GET', url: `${page}?lang=ar` });
    assert.match(ar.body, /data-escrow="on"/);
    // The report sent while on says so; the one sent before says escrow does not apply to it.
    const after = await threadHtml(receipts.after!);
    assert.match(after.body, /can also open this report/);
    const before = await threadHtml(receipts.before!, 'fr');
    assert.match(before.body, /mais pas pour votre signalement/);
  });

  it('a custodian opens an escrowed report through the escrow key; the opening is audited and in its access history', async () => {
    // The officer is not assigned: the normal way is closed.
    assert.equal((await officer.post(`/api/reports/${ids.after}/open`)).statusCode, 404);
    const res = await officer.post(`/api/reports/${ids.after}/open-via-escrow`);
    assert.equal(res.statusCode, 200, res.body);
    const d = res.json();
    assert.equal(d.viaEscrow, true);
    assert.ok(
      d.answers.some((a: { value: unknown }) => a.value === 'escrow-test report sent after switch-on'),
    );
    const opened = await audits('reports.report.escrow_opened');
    assert.equal(opened.length, 1);
    assert.equal(opened[0]!.entity_id, ids.after);
    assert.equal(opened[0]!.actor_id, h.a.users.integrity_officer.id);
    // The assigned handler sees it in the report's access history.
    const seen = (await handler.post(`/api/reports/${ids.after}/open`)).json();
    assert.ok(
      seen.access.some((a: { action: string; by: string }) => a.action === 'escrow_opened' && a.by),
      JSON.stringify(seen.access),
    );
    // Not retroactive: the report sent before has no escrow seal.
    assert.equal((await officer.post(`/api/reports/${ids.before}/open-via-escrow`)).statusCode, 404);
    // Locked keys: 409, no audit.
    assert.equal((await officer.post('/api/reports/keys/lock')).statusCode, 204);
    assert.equal((await officer.post(`/api/reports/${ids.after}/open-via-escrow`)).statusCode, 409);
    assert.equal((await audits('reports.report.escrow_opened')).length, 1);
    assert.equal((await officer.post('/api/reports/keys/unlock', { passphrase: PASS })).statusCode, 204);
  });

  it("a custodian reads an escrowed report's files through the escrow key, each access audited as such", async () => {
    const boundary = '----escrowfile';
    const notes = 'escrow-test file: the second envelope\n';
    const added = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files`,
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="receipt"\r\n\r\n${receipts.after}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\nContent-Type: text/plain\r\n\r\n${notes}\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(added.statusCode, 201, added.body);
    // Not assigned: the normal way is closed; through the escrow the custodian lists and reads.
    assert.equal((await officer.post(`/api/reports/${ids.after}/files/list`)).statusCode, 404);
    const list = await officer.post(`/api/reports/${ids.after}/files/list?via=escrow`);
    assert.equal(list.statusCode, 200, list.body);
    const items = list.json().items as { id: string; name: string }[];
    assert.deepEqual(
      items.map((f) => f.name),
      ['notes.txt'],
    );
    const got = await officer.post(`/api/reports/${ids.after}/files/${items[0]!.id}/download?via=escrow`);
    assert.equal(got.statusCode, 200, got.body);
    assert.equal(got.body, notes);
    const listed = (await audits('reports.report.files_listed')).filter((a) => a.data.viaEscrow === true);
    const read = (await audits('reports.report.file_read')).filter((a) => a.data.viaEscrow === true);
    assert.equal(listed.length, 1);
    assert.equal(read.length, 1);
    assert.equal(read[0]!.actor_id, h.a.users.integrity_officer.id);
    assert.equal(read[0]!.entity_id, ids.after);
    // Not a custodian: 404 through the escrow (the investigator), 403 without the handler role.
    assert.equal(
      (await investigator.post(`/api/reports/${ids.after}/files/list?via=escrow`)).statusCode,
      404,
    );
    assert.equal((await admin.post(`/api/reports/${ids.after}/files/list?via=escrow`)).statusCode, 403);
    // A report sent before escrow was on: nothing through the escrow.
    assert.equal((await officer.post(`/api/reports/${ids.before}/files/list?via=escrow`)).statusCode, 404);
    // The report's access history, as its handler sees it, marks the file accesses via escrow.
    const history = (await handler.post(`/api/reports/${ids.after}/open`)).json().access as {
      action: string;
      viaEscrow: boolean;
    }[];
    assert.ok(history.some((x) => x.action === 'file_read' && x.viaEscrow));
    assert.ok(history.some((x) => x.action === 'files_listed' && x.viaEscrow));
    assert.ok(history.some((x) => x.action === 'read' && !x.viaEscrow));
    // An unknown way is refused by the contract.
    assert.equal((await officer.post(`/api/reports/${ids.after}/files/list?via=admin`)).statusCode, 400);
  });

  it('an administrator who is not a custodian, and a handler who is not one, still cannot decrypt', async () => {
    assert.equal((await admin.post(`/api/reports/${ids.after}/open-via-escrow`)).statusCode, 403);
    assert.equal((await admin.post(`/api/reports/${ids.after}/open`)).statusCode, 403);
    assert.equal((await investigator.post(`/api/reports/${ids.after}/open-via-escrow`)).statusCode, 404);
    assert.equal((await investigator.post(`/api/reports/${ids.after}/open`)).statusCode, 404);
    assert.equal((await audits('reports.report.escrow_opened')).length, 1);
  });

  it("another tenant's escrow state and custodians are invisible", async () => {
    const bAdmin = await h.as(h.b.users.org_admin.email);
    const state = (await bAdmin.get('/api/reports/escrow')).json();
    assert.equal(state.enabled, false);
    assert.deepEqual(state.custodians, []);
    // The database refuses too: tenant B's transaction sees none of A's escrow rows.
    const seen = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, async (tx) => {
      const n = async (t: string) =>
        (
          (await tx.execute(sql.raw(`select count(*)::int as n from ${t}`))) as unknown as {
            rows: { n: number }[];
          }
        ).rows[0]!.n;
      return [
        await n('reports_escrow'),
        await n('reports_escrow_custodians'),
        await n('reports_escrow_seals'),
      ];
    });
    assert.deepEqual(seen, [0, 0, 0]);
    // B's administrator cannot name A's handler as a custodian (not a member: 422), nor switch A's.
    const cross = await toggle(bAdmin, {
      enabled: true,
      custodians: [h.a.users.integrity_officer.id],
      password: TEST_PASSWORD,
    });
    assert.equal(cross.statusCode, 422, cross.body);
    assert.equal(await count('reports_escrow', h.b.id), 0);
    // A's custodian cannot open B's reports via escrow (there are none; and the id is unknown to A).
    assert.equal(await count('reports_escrow'), 1);
  });

  it('switching off (password again) shreds the escrow key and every escrow seal, audited', async () => {
    const wrong = await toggle(admin, { enabled: false, password: 'nope' });
    assert.equal(wrong.statusCode, 422);
    assert.equal(await count('reports_escrow'), 1);
    const res = await toggle(admin, { enabled: false, password: TEST_PASSWORD });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().enabled, false);
    assert.equal(await count('reports_escrow'), 0);
    assert.equal(await count('reports_escrow_custodians'), 0);
    assert.equal(await count('reports_escrow_seals'), 0);
    const [off] = await audits('reports.escrow.disabled');
    assert.equal(off?.actor_id, h.a.users.org_admin.id);
    assert.equal(off?.data.sealsDestroyed, 1);
    // The custodian can no longer open it; the assigned handler still can.
    assert.equal((await officer.post(`/api/reports/${ids.after}/open-via-escrow`)).statusCode, 404);
    assert.equal((await handler.post(`/api/reports/${ids.after}/open`)).statusCode, 200);
    // Reporters are no longer told, and new reports have no escrow seal.
    for (const [lang, text] of [
      ['en', NOTICE_EN],
      ['fr', NOTICE_FR],
    ] as const) {
      const form = await h.app.inject({ method: 'GET', url: `${page}?lang=${lang}` });
      assert.doesNotMatch(form.body, /data-escrow/);
      assert.ok(!form.body.includes(text));
    }
    const sent = await send('off', 'escrow-test report sent after switch-off');
    assert.equal(sent.escrow, false);
    assert.equal(await count('reports_escrow_seals'), 0);
    assert.equal((await toggle(admin, { enabled: false, password: TEST_PASSWORD })).statusCode, 409);
  });

  it('two switch-ons at once: one wins, the other is a 409 (not a 500); the same for two switch-offs', async () => {
    const on = { enabled: true, custodians: [h.a.users.integrity_officer.id], password: TEST_PASSWORD };
    const enabled = (await audits('reports.escrow.enabled')).length;
    const both = await Promise.all([toggle(admin, on), toggle(admin, on)]);
    assert.deepEqual(both.map((r) => r.statusCode).sort(), [200, 409], both.map((r) => r.body).join('\n'));
    assert.equal(await count('reports_escrow'), 1);
    assert.equal(await count('reports_escrow_custodians'), 1);
    assert.equal((await audits('reports.escrow.enabled')).length, enabled + 1);
    const off = { enabled: false, password: TEST_PASSWORD };
    const disabled = (await audits('reports.escrow.disabled')).length;
    const offs = await Promise.all([toggle(admin, off), toggle(admin, off)]);
    assert.deepEqual(offs.map((r) => r.statusCode).sort(), [200, 409], offs.map((r) => r.body).join('\n'));
    assert.equal(await count('reports_escrow'), 0);
    assert.equal((await audits('reports.escrow.disabled')).length, disabled + 1);
  });

  it("a reporter's reply with files derives the receipt key once and is written atomically", async () => {
    const svc = new ReportsService(h.kernel, { receiptKdf: FAST, handlerKdf: FAST, files: { maxFiles: 2 } });
    const txt = (name: string) => ({
      filename: name,
      type: 'txt' as const,
      data: Buffer.from(`${name} body`),
    });
    const { receipt } = await svc.submit(
      h.a.id,
      'report',
      {
        language: 'en',
        answers: { what: 'escrow-test atomic reply', procedure: 'transit' },
      },
      [txt('first.txt')],
    );
    let derivations = 0;
    const s = svc as unknown as { withReceipt: (...a: unknown[]) => Promise<unknown> };
    const original = s.withReceipt.bind(svc);
    s.withReceipt = (...a: unknown[]) => {
      derivations++;
      return original(...a);
    };
    const rid = (
      await h.kernel.db.query<{ report_id: string }>(
        // The one report with files besides the escrowed report of the files test.
        'select report_id from report_files where tenant_id = $1 and report_id <> $2',
        [h.a.id, ids.after],
      )
    )[0]!.report_id;
    const state = async () =>
      (
        await h.kernel.db.query<{ messages: number; files: number }>(
          `select (select count(*)::int from report_messages where report_id = $1) as messages,
                  (select count(*)::int from report_files where report_id = $1) as files`,
          [rid],
        )
      )[0]!;
    assert.deepEqual(await state(), { messages: 0, files: 1 });
    // Two more files exceed the report's limit (2): the message must not be stored either.
    await assert.rejects(
      svc.reporterReply(
        h.a.id,
        receipt,
        { body: 'with too many files', files: [txt('a.txt'), txt('b.txt')] },
        'en',
      ),
      (e: { code?: string }) => e.code === 'UNPROCESSABLE',
    );
    assert.deepEqual(await state(), { messages: 0, files: 1 }, 'nothing half-written');
    assert.equal(derivations, 1);
    derivations = 0;
    const done = await svc.reporterReply(
      h.a.id,
      receipt,
      { body: 'here is more', files: [txt('c.txt')] },
      'en',
    );
    assert.equal(derivations, 1, 'one receipt derivation for the message, the file and the thread');
    assert.equal(done.closed, false);
    assert.deepEqual(await state(), { messages: 1, files: 2 });
    assert.ok(done.view.messages.some((m) => m.body === 'here is more'));
    const c = done.files.find((f) => f.name === 'c.txt');
    assert.ok(c?.messageId, 'the file goes with its message');
  });
});
