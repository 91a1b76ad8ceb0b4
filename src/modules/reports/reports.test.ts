import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { ReportsService } from './reports.service.ts';

const CANARY_IP = '203.0.113.187';
const CANARY_UA = 'CanaryBrowser/9.8.7 (reports-test-ua-5c1e)';
const CANARY_REF = 'https://referrer-canary.example/page-77a1';
const CANARY_TEXT = 'canary-text-9f3b2c7e-officer-demanded-bribe';
const PASS = 'handler passphrase long enough';

describe('reports', () => {
  let h: Harness;
  const lines: string[] = [];
  let admin: Client; // org_admin: manages channels, is assigned nothing
  let handler: Client; // case_handler: a recipient
  let officer: Client; // integrity_officer: a recipient and manager
  let investigator: Client; // holds reports.handle, not a recipient
  let base: string;
  let receipt: string;
  let reportId: string;

  before(async () => {
    h = await createHarness({ env: { TRUST_PROXY: 'true' }, logSink: (l) => lines.push(l) });
    admin = await h.as(h.a.users.org_admin.email);
    handler = await h.as(h.a.users.case_handler.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    investigator = await h.as(h.a.users.investigator.email);
    base = `/api/public/reports/${h.a.id}`;
  });
  after(() => h.close());

  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'POST', url: `${base}/report`, payload: body as object, headers });
  const follow = (body: unknown) =>
    h.app.inject({ method: 'POST', url: `${base}/follow-up`, payload: body as object });
  const count = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from reports'))[0]!.n;

  it('handlers create their keys (recovery key shown once); a second set-up is refused', async () => {
    for (const c of [handler, officer, investigator]) {
      const res = await c.post('/api/reports/keys', { passphrase: PASS });
      assert.equal(res.statusCode, 201, res.body);
      assert.match(res.json().recoveryKey, /^([A-Z2-9]{4}-){12}[A-Z2-9]{4}$/);
    }
    assert.equal((await handler.post('/api/reports/keys', { passphrase: PASS })).statusCode, 409);
    assert.equal((await handler.post('/api/reports/keys', { passphrase: 'short' })).statusCode, 400);
    assert.deepEqual((await handler.get('/api/reports/keys')).json(), { hasKey: true, unlocked: true });
    const [row] = await h.kernel.db.query<{ kdf: { memoryCost: number } }>(
      'select kdf from report_handler_keys where user_id = $1',
      [h.a.users.case_handler.id],
    );
    assert.equal(row!.kdf.memoryCost, 131072);
  });

  it('a channel manager creates the customs channel; recipients must be handlers', async () => {
    const bad = await admin.post('/api/reports/channels', {
      slug: 'report',
      name: { en: 'Report corruption', fr: 'Signaler la corruption' },
      recipients: [h.a.users.staff.id],
    });
    assert.equal(bad.statusCode, 422, bad.body);
    const res = await admin.post('/api/reports/channels', {
      slug: 'report',
      name: { en: 'Report corruption', fr: 'Signaler la corruption' },
      recipients: [h.a.users.case_handler.id, h.a.users.integrity_officer.id],
      languages: ['en', 'fr', 'ar'],
    });
    assert.equal(res.statusCode, 201, res.body);
    const c = res.json();
    assert.equal(c.retentionDays, 90);
    assert.equal(c.ackDays, 7);
    assert.equal(c.feedbackDays, 90);
    assert.equal(c.path, `/report/${h.a.id}/report`);
    const stale = await admin.patch(`/api/reports/channels/${c.id}`, { version: 99, retentionDays: 60 });
    assert.equal(stale.statusCode, 409);
    assert.equal((await handler.get('/api/reports/channels')).statusCode, 403);
  });

  it('the questionnaire is public, translated, with offices and strict headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: `${base}/report?lang=fr` });
    assert.equal(res.statusCode, 200, res.body);
    const q = res.json();
    assert.equal(q.name, 'Signaler la corruption');
    assert.equal(q.fields.find((f: { id: string }) => f.id === 'what').label, 'Que s’est-il passé ?');
    assert.ok(q.fields.some((f: { type: string }) => f.type === 'office'));
    assert.equal(q.receiptDigits, 20);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-security-policy']), /default-src 'none'/);
    assert.equal(res.headers['set-cookie'], undefined);
    const ar = (await h.app.inject({ method: 'GET', url: `${base}/report?lang=ar` })).json();
    assert.equal(ar.language, 'ar');
    // Another organisation's address does not know this channel.
    assert.equal(
      (await h.app.inject({ method: 'GET', url: `/api/public/reports/${h.b.id}/report` })).statusCode,
      404,
    );
    assert.equal((await h.app.inject({ method: 'GET', url: `${base}/nope` })).statusCode, 404);
  });

  it('bad submissions get a clear 4xx and store nothing', async () => {
    const before = await count();
    const cases: [unknown, number][] = [
      [{ language: 'fr', answers: { procedure: 'clearance' } }, 400], // `what` is required
      [{ language: 'fr', answers: { what: 'x', procedure: 'bribery-desk' } }, 400], // not an option
      [{ language: 'fr', answers: { what: 'x', procedure: 'clearance', hacker: 'y' } }, 400], // unknown field
      [{ language: 'fr', answers: { what: 42, procedure: 'clearance' } }, 400], // wrong type
      [{ language: 'fr', answers: { what: 'x'.repeat(10_001), procedure: 'clearance' } }, 400], // too long
      [{ language: 'fr', answers: { what: 'x', procedure: 'clearance', office: h.b.id } }, 400], // not an office
      [{ language: 'fr', answers: { what: 'x', procedure: 'clearance', when: '2999-01-01' } }, 400],
      [{ language: 'es', answers: { what: 'x', procedure: 'clearance' } }, 400], // not offered
      [{ language: 'fr', answers: {}, extra: 1 }, 400], // unknown top-level key
    ];
    for (const [body, status] of cases) {
      const res = await submit(body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 80)} → ${res.body}`);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
    const huge = await submit({ language: 'fr', answers: { what: 'x'.repeat(300_000) } });
    assert.equal(huge.statusCode, 413);
    const utf8 = await h.app.inject({
      method: 'POST',
      url: `${base}/report`,
      headers: { 'content-type': 'application/json' },
      payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    assert.equal(utf8.statusCode, 400);
    assert.equal(await count(), before);
  });

  it('canary: a submission leaves no IP, user agent, referrer or text in the database, files or logs', async () => {
    lines.length = 0;
    const [unit] = await h.kernel.db.query<{ id: string }>(
      'select id from org_units where tenant_id = $1 limit 1',
      [h.a.id],
    );
    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/report`,
      remoteAddress: CANARY_IP,
      headers: {
        'x-forwarded-for': CANARY_IP,
        'user-agent': CANARY_UA,
        referer: CANARY_REF,
        'accept-language': 'fr',
      },
      payload: {
        language: 'fr',
        answers: {
          what: `At the border post an officer asked for money. ${CANARY_TEXT}`,
          procedure: 'examination',
          involved_role: ['officer', 'supervisor'],
          involved: CANARY_TEXT,
          amount: 500,
          when: '2026-11-01',
          ...(unit ? { office: unit.id } : {}),
        },
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['cache-control'], 'no-store');
    receipt = res.json().receipt;
    assert.match(receipt, /^(\d{4} ){4}\d{4}$/);

    // Every table, as text (a pg_dump of the data), and the times on the report's rows.
    const tables = await h.kernel.db.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    let dump = '';
    for (const { t } of tables) {
      const rows = await h.kernel.db.query<{ r: string }>(`select x::text as r from "${t}" x`);
      dump += `${t}\n${rows.map((r) => r.r).join('\n')}\n`;
    }
    const hex = (s: string) => Buffer.from(s).toString('hex');
    const digits = receipt.replaceAll(' ', '');
    for (const needle of [
      CANARY_IP,
      CANARY_UA,
      CANARY_REF,
      CANARY_TEXT,
      digits,
      'CanaryBrowser',
      'referrer-canary',
    ]) {
      assert.equal(dump.includes(needle), false, `database holds ${needle}`);
      assert.equal(dump.includes(hex(needle)), false, `database holds ${needle} as hex`);
    }
    const [r] = await h.kernel.db.query<{
      id: string;
      received_at: Date;
      created_at: Date;
      statistical: object;
    }>('select id, received_at, created_at, statistical from reports');
    reportId = r!.id;
    assert.equal(
      r!.received_at.getUTCMinutes() + r!.received_at.getUTCSeconds() + r!.received_at.getUTCMilliseconds(),
      0,
    );
    assert.equal(r!.created_at.getUTCMinutes(), 0);
    assert.equal(reportId[14], '4', 'a random (v4) id, not a time-ordered one');
    assert.deepEqual(r!.statistical, {
      procedure: 'examination',
      involved_role: ['officer', 'supervisor'],
      ...(unit ? { office: unit.id } : {}),
    });
    // The data directory and the file store (local storage lives under it).
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true }))
        e.isDirectory() ? walk(path.join(d, e.name)) : files.push(path.join(d, e.name));
    };
    walk(h.config.dataDir);
    for (const f of files) {
      const bytes = fs.readFileSync(f);
      for (const needle of [CANARY_IP, CANARY_UA, CANARY_TEXT])
        assert.equal(bytes.includes(needle), false, `${f} holds ${needle}`);
    }
    // The logs: not even a request line (it would date the submission).
    const log = lines.join('\n');
    for (const needle of [CANARY_IP, CANARY_UA, CANARY_REF, CANARY_TEXT, digits, '/api/public/reports'])
      assert.equal(log.includes(needle), false, `log holds ${needle}`);
    // The canaries can be found where they are: the same IP on a signed-in route is logged.
    await h.app.inject({ method: 'GET', url: '/api/health', headers: { 'x-forwarded-for': CANARY_IP } });
    assert.ok(lines.join('\n').includes(CANARY_IP), 'the log check can fail');
  });

  it('only assigned handlers with unlocked keys read the report; an administrator cannot', async () => {
    const list = (await handler.get('/api/reports')).json().items;
    assert.deepEqual(
      list.map((x: { id: string }) => x.id),
      [reportId],
    );
    assert.equal(list[0].status, 'new');
    assert.equal(list[0].assigned, true);
    // The organisation administrator: no permission to handle, and nothing sealed to them.
    assert.equal((await admin.post(`/api/reports/${reportId}/open`)).statusCode, 403);
    // A handler not assigned: not found, and not listed.
    assert.equal((await investigator.post(`/api/reports/${reportId}/open`)).statusCode, 404);
    assert.deepEqual((await investigator.get('/api/reports')).json().items, []);
    // Locked keys: 409 until unlocked; a wrong passphrase unlocks nothing.
    assert.equal((await handler.post('/api/reports/keys/lock')).statusCode, 204);
    assert.equal((await handler.post(`/api/reports/${reportId}/open`)).statusCode, 409);
    assert.equal(
      (await handler.post('/api/reports/keys/unlock', { passphrase: 'wrong passphrase!' })).statusCode,
      422,
    );
    assert.equal((await handler.post('/api/reports/keys/unlock', { passphrase: PASS })).statusCode, 204);
    const open = await handler.post(`/api/reports/${reportId}/open`);
    assert.equal(open.statusCode, 200, open.body);
    const d = open.json();
    assert.ok(d.answers.find((a: { id: string }) => a.id === 'what').value.includes(CANARY_TEXT));
    assert.equal(d.answers.find((a: { id: string }) => a.id === 'amount').value, 500);
    assert.equal(d.assignees.length, 2);
    const [audit] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'reports.report.read' and entity_id = $1",
      [reportId],
    );
    assert.equal(audit!.n, 1, 'the read is audited');
    // The manager (integrity officer) sees the metadata of every report.
    const managerList = (await officer.get('/api/reports')).json().items;
    assert.equal(managerList.length, 1);
  });

  it('the reporter follows up: reads the question, answers it; a wrong receipt fails and is slowed', async () => {
    const [r] = await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [
      reportId,
    ]);
    assert.equal(
      (await handler.post(`/api/reports/${reportId}/acknowledge`, { version: r!.version })).statusCode,
      204,
    );
    const q = await handler.post(`/api/reports/${reportId}/messages`, {
      body: 'Which office exactly, and what day?',
    });
    assert.equal(q.statusCode, 204, q.body);

    const view = await follow({ receipt });
    assert.equal(view.statusCode, 200, view.body);
    assert.equal(view.headers['referrer-policy'], 'no-referrer');
    const v = view.json();
    assert.equal(v.status, 'acknowledged');
    assert.equal(v.messages.length, 1);
    assert.equal(v.messages[0].direction, 'handler');
    assert.equal(v.messages[0].body, 'Which office exactly, and what day?');
    assert.match(v.messages[0].at, /T\d{2}:00:00\.000Z$/);
    assert.ok(v.answers.some((a: { value: string }) => a.value.includes(CANARY_TEXT)));

    const answer = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/messages`,
      payload: { receipt: receipt.replaceAll(' ', '-'), body: 'The main office, on the 1st.' },
    });
    assert.equal(answer.statusCode, 204, answer.body);
    const d = (await handler.post(`/api/reports/${reportId}/open`)).json();
    assert.deepEqual(
      d.messages.map((m: { direction: string; body: string }) => [m.direction, m.body]),
      [
        ['handler', 'Which office exactly, and what day?'],
        ['reporter', 'The main office, on the 1st.'],
      ],
    );

    // Wrong receipts: 404, each slower than the one before.
    const wrong = `${digitsPlusOne(receipt)}`;
    const t0 = performance.now();
    assert.equal((await follow({ receipt: wrong })).statusCode, 404);
    const first = performance.now() - t0;
    const t1 = performance.now();
    assert.equal((await follow({ receipt: 'not a receipt' })).statusCode, 404);
    const second = performance.now() - t1;
    assert.ok(first >= 450, `first failure took ${first} ms`);
    assert.ok(second >= 900, `second failure took ${second} ms`);
    // Another organisation's address does not find it either.
    const other = await h.app.inject({
      method: 'POST',
      url: `/api/public/reports/${h.b.id}/follow-up`,
      payload: { receipt },
    });
    assert.equal(other.statusCode, 404);
  });

  it('assignment re-seals the key to a new handler; removal revokes it; the last handler stays', async () => {
    const assign = await handler.post(`/api/reports/${reportId}/assignees`, {
      userId: h.a.users.investigator.id,
    });
    assert.equal(assign.statusCode, 204, assign.body);
    assert.equal((await investigator.post(`/api/reports/${reportId}/open`)).statusCode, 200);
    const staff = await handler.post(`/api/reports/${reportId}/assignees`, { userId: h.a.users.staff.id });
    assert.equal(staff.statusCode, 422);
    const rm = await handler.delete(`/api/reports/${reportId}/assignees/${h.a.users.investigator.id}`);
    assert.equal(rm.statusCode, 204);
    assert.equal((await investigator.post(`/api/reports/${reportId}/open`)).statusCode, 404);
    assert.equal(
      (await officer.delete(`/api/reports/${reportId}/assignees/${h.a.users.integrity_officer.id}`))
        .statusCode,
      204,
    );
    const last = await handler.delete(`/api/reports/${reportId}/assignees/${h.a.users.case_handler.id}`);
    assert.equal(last.statusCode, 409);
    const [seals] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from report_seals where report_id = $1',
      [reportId],
    );
    assert.equal(seals!.n, 1);
  });

  it('the recovery key sets a new passphrase; closing takes a reason and ends the conversation', async () => {
    const rec = await investigator.post('/api/reports/keys/recover', {
      recoveryKey: 'AAAA-'.repeat(13),
      passphrase: PASS,
    });
    assert.equal(rec.statusCode, 422);
    const [r] = await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [
      reportId,
    ]);
    assert.equal(
      (await handler.post(`/api/reports/${reportId}/close`, { version: r!.version, reason: 'nope' }))
        .statusCode,
      400,
    );
    const closed = await handler.post(`/api/reports/${reportId}/close`, {
      version: r!.version,
      reason: 'referred',
    });
    assert.equal(closed.statusCode, 204, closed.body);
    const after = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/messages`,
      payload: { receipt, body: 'more' },
    });
    assert.equal(after.statusCode, 409);
    const [row] = await h.kernel.db.query<{ status: string; close_reason: string; closed_at: Date | null }>(
      'select status, close_reason, closed_at from reports where id = $1',
      [reportId],
    );
    assert.equal(row!.status, 'closed');
    assert.equal(row!.close_reason, 'referred');
    assert.ok(row!.closed_at);
  });

  it('retention: purged at the end of the period after closure, never under legal hold', async () => {
    const svc = new ReportsService(h.kernel);
    const purge = async (days: number) => {
      const [row] = await h.kernel.db.query<{ closed_at: Date }>(
        'select closed_at from reports where id = $1',
        [reportId],
      );
      const now = new Date(row!.closed_at.getTime() + days * 86_400_000);
      return withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        svc.purgeExpired(tx, h.a.id, now),
      );
    };
    const version = async () =>
      (
        await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [reportId])
      )[0]!.version;
    const hold = await officer.post(`/api/reports/${reportId}/legal-hold`, {
      version: await version(),
      hold: true,
    });
    assert.equal(hold.statusCode, 204, hold.body);
    assert.deepEqual(await purge(91), { purged: 0 }, 'legal hold stops expiry');
    assert.equal(
      (await officer.post(`/api/reports/${reportId}/legal-hold`, { version: await version(), hold: false }))
        .statusCode,
      204,
    );
    assert.deepEqual(await purge(89), { purged: 0 }, 'not before 90 days');
    assert.equal((await follow({ receipt })).statusCode, 200);
    assert.deepEqual(await purge(90), { purged: 1 });
    const [row] = await h.kernel.db.query<{
      answers: Buffer;
      status: string;
      statistical: object;
      purged: boolean;
    }>('select answers, status, statistical, purged_at is not null as purged from reports where id = $1', [
      reportId,
    ]);
    assert.equal(row!.answers.length, 0);
    assert.equal(row!.status, 'closed');
    assert.equal(row!.purged, true);
    assert.ok(Object.keys(row!.statistical).length > 0, 'the tombstone keeps the statistics');
    const [left] = await h.kernel.db.query<{ n: number }>(
      `select (select count(*) from report_seals where report_id = $1)::int
            + (select count(*) from report_messages where report_id = $1)::int as n`,
      [reportId],
    );
    assert.equal(left!.n, 0);
    assert.equal((await follow({ receipt })).statusCode, 404);
    assert.equal((await handler.post(`/api/reports/${reportId}/open`)).statusCode, 404);
    // A tombstone is no longer listed, not even to a manager (who sees every live report).
    assert.deepEqual((await officer.get('/api/reports')).json().items, []);
  });
});

function digitsPlusOne(receipt: string) {
  const d = receipt.replaceAll(' ', '');
  return `${d.slice(0, -1)}${(Number(d.at(-1)) + 1) % 10}`;
}
