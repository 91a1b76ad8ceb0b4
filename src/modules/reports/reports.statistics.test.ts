import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { readTable } from '../../platform/tables/tables.ts';
import { ReportsService } from './reports.service.ts';

const PASS = 'handler passphrase long enough';
const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const CANARY = 'canary-free-text-7d41e9-never-in-statistics';

interface Group {
  key: string;
  label: string;
  n: number | null;
}
interface Stats {
  minCell: number;
  total: number | null;
  byChannel: Group[];
  byStatus: Group[];
  byCloseReason: Group[];
  byMonth: Group[];
  fields: { id: string; label: string; groups: Group[] }[];
  closed: number | null;
  acknowledged: number | null;
  medianDaysToAcknowledge: number | null;
  medianDaysToClose: number | null;
}

// Report statistics without decryption (GET /api/reports/statistics, reports.manage): 13
// reports over two channels, counted by hand.
describe('reports: statistics', () => {
  let h: Harness;
  let admin: Client; // org_admin: reports.manage, reads no content
  let handler: Client; // case_handler: reports.handle only
  let port: string;
  let airport: string;
  let channelA: string;
  let channelB: string;

  const get = async (c: Client, url: string, lang = 'en') => {
    const res = await c.request({ method: 'GET', url, headers: { 'accept-language': lang } });
    assert.equal(res.statusCode, 200, res.body);
    return res;
  };
  const stats = async (c: Client = admin, lang = 'en') =>
    (await get(c, '/api/reports/statistics', lang)).json() as Stats;
  const n = (list: Group[], key: string) => list.find((g) => g.key === key)?.n;
  const field = (s: Stats, id: string) => s.fields.find((f) => f.id === id)!.groups;

  before(async () => {
    h = await createHarness();
    admin = await h.as(h.a.users.org_admin.email);
    handler = await h.as(h.a.users.case_handler.email);
    assert.equal((await handler.post('/api/reports/keys', { passphrase: PASS })).statusCode, 201);
    const unit = async (name: string) =>
      (
        await h.kernel.db.query<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', $2) returning id`,
          [h.a.id, name],
        )
      )[0]!.id;
    port = await unit('Port Office');
    airport = await unit('Airport Office');
    const channel = async (slug: string, en: string, fr: string) => {
      const res = await admin.post('/api/reports/channels', {
        slug,
        name: { en, fr },
        recipients: [h.a.users.case_handler.id],
        languages: ['en', 'fr'],
      });
      assert.equal(res.statusCode, 201, res.body);
      return res.json().id as string;
    };
    channelA = await channel('line-a', 'Customs line', 'Ligne douane');
    channelB = await channel('line-b', 'Staff line', 'Ligne du personnel');

    // By hand: channel A 8, B 5. procedure: clearance 6, valuation 5, transit 2.
    // office: Port 6, Airport 5, none 2. money: asked 8, paid 5. involved_role: officer 13, broker 6.
    const svc = new ReportsService(h.kernel, { receiptKdf: FAST });
    const plan: [string, string, string | null, string][] = [
      ...Array.from(
        { length: 6 },
        () => ['line-a', 'clearance', port, 'asked'] as [string, string, string, string],
      ),
      ['line-a', 'valuation', airport, 'asked'],
      ['line-a', 'valuation', airport, 'asked'],
      ['line-b', 'valuation', airport, 'paid'],
      ['line-b', 'valuation', airport, 'paid'],
      ['line-b', 'valuation', airport, 'paid'],
      ['line-b', 'transit', null, 'paid'],
      ['line-b', 'transit', null, 'paid'],
    ];
    for (const [i, [slug, procedure, office, money]] of plan.entries())
      await svc.submit(h.a.id, slug, {
        language: 'fr',
        answers: {
          what: `${CANARY} report ${i}`,
          involved: CANARY,
          procedure,
          money,
          involved_role: i % 2 === 0 ? ['officer', 'broker'] : ['officer'],
          ...(office ? { office } : {}),
        },
      });
    // Five reports acknowledged after 1 day and closed after 2 days as unfounded; one of them
    // purged since (a tombstone: it still counts).
    await h.kernel.db.query(
      `update reports set status = 'closed', close_reason = 'unfounded',
              acknowledged_at = received_at + interval '1 day', closed_at = received_at + interval '2 days'
        where id in (select id from reports where tenant_id = $1 and channel_id = $2 limit 5)`,
      [h.a.id, channelA],
    );
    await h.kernel.db.query(
      `update reports set purged_at = now(), answers = ''::bytea
        where id = (select id from reports where tenant_id = $1 and status = 'closed' limit 1)`,
      [h.a.id],
    );
    // Another organisation's reports are never counted in A's figures.
    for (let i = 0; i < 7; i++)
      await h.kernel.db.query(
        `insert into reports (tenant_id, channel_id, receipt_lookup, reporter_seal, answers, statistical, language)
         values ($1, gen_random_uuid(), $2, '\\x00'::bytea, '\\x00'::bytea, '{"procedure":"transit"}', 'en')`,
        [h.b.id, `b-lookup-${i}`],
      );
  });
  after(() => h.close());

  it('counts by channel, option, office, status, reason and month equal the hand count; purged tombstones count', async () => {
    const s = await stats();
    assert.equal(s.minCell, 5);
    assert.equal(s.total, 13);
    assert.equal(n(s.byChannel, channelA), 8);
    assert.equal(n(s.byChannel, channelB), 5);
    assert.equal(s.byChannel.find((g) => g.key === channelA)!.label, 'Customs line');
    const money = field(s, 'money');
    assert.equal(n(money, 'asked'), 8);
    assert.equal(n(money, 'paid'), 5);
    assert.equal(n(money, 'none'), 0, 'zero identifies nobody: shown');
    assert.equal(n(money, '_none'), 0);
    assert.equal(money.find((g) => g.key === 'paid')!.label, 'Paid');
    const role = field(s, 'involved_role');
    assert.equal(n(role, 'officer'), 13);
    assert.equal(n(role, 'broker'), 7);
    const office = field(s, 'office');
    assert.equal(n(office, port), 6);
    assert.equal(office.find((g) => g.key === port)!.label, 'Port Office');
    assert.equal(n(s.byStatus, 'closed'), 5);
    assert.equal(n(s.byStatus, 'new'), 8);
    assert.equal(n(s.byCloseReason, 'unfounded'), 5);
    assert.equal(
      s.byMonth.reduce((sum, g) => sum + (g.n ?? 0), 0),
      13,
    );
    assert.equal(s.closed, 5);
    assert.equal(s.acknowledged, 5);
    assert.equal(s.medianDaysToAcknowledge, 1);
    assert.equal(s.medianDaysToClose, 2);
    // Labels in the caller's language, from the channel's questionnaire.
    const fr = await stats(admin, 'fr');
    assert.equal(fr.byChannel.find((g) => g.key === channelA)!.label, 'Ligne douane');
    assert.equal(field(fr, 'money').find((g) => g.key === 'paid')!.label, 'Payé');
    assert.equal(fr.fields.find((f) => f.id === 'procedure')!.label, 'Quelle procédure ?');
  });

  it('a count under 5 is suppressed, and so is the next smallest, so it cannot be derived from the total', async () => {
    const s = await stats();
    const procedure = field(s, 'procedure');
    assert.equal(n(procedure, 'clearance'), 6);
    assert.equal(n(procedure, 'transit'), null, 'two reports: suppressed');
    assert.equal(n(procedure, 'valuation'), null, 'complementary: 13 − 6 would give transit away');
    const office = field(s, 'office');
    assert.equal(n(office, '_none'), null, 'two reports without office');
    assert.equal(n(office, airport), null, 'complementary');
    // Total minus the shown counts (13 − 6) is the sum of two hidden counts, not one of them.
    assert.equal(procedure.filter((g) => g.n === null).length, 2);
  });

  it('free-text answers never appear, in the JSON or the exports', async () => {
    const json = (await get(admin, '/api/reports/statistics')).body;
    assert.doesNotMatch(json, new RegExp(CANARY));
    assert.ok(!json.includes('"what"') && !json.includes('"involved"'), 'free-text fields are not listed');
    const csv = (await get(admin, '/api/reports/statistics/export?format=csv')).body;
    assert.doesNotMatch(csv, new RegExp(CANARY));
    const xlsx = await get(admin, '/api/reports/statistics/export?format=xlsx');
    const { rows } = await readTable(xlsx.rawPayload, 'xlsx');
    assert.ok(rows.length > 20);
    assert.doesNotMatch(JSON.stringify(rows), new RegExp(CANARY));
  });

  it('managers only: a handler without reports.manage gets 403', async () => {
    for (const url of ['/api/reports/statistics', '/api/reports/statistics/export?format=csv']) {
      const res = await handler.get(url);
      assert.equal(res.statusCode, 403, res.body);
      assert.match(String(res.headers['content-type']), /problem\+json/);
    }
    assert.equal((await admin.get('/api/reports/statistics/export?format=pdf')).statusCode, 400);
  });

  it("tenant isolation: another organisation's reports are never counted", async () => {
    const a = await stats();
    assert.equal(a.total, 13);
    assert.equal(n(field(a, 'procedure'), 'transit'), null);
    const bAdmin = await h.as(h.b.users.org_admin.email);
    const b = await stats(bAdmin);
    assert.equal(b.total, 7);
    assert.equal(b.byChannel.length, 0, "B has no channel; A's are not listed");
    assert.ok(!JSON.stringify(b).includes('Port Office'));
  });

  it('exports XLSX and CSV with French headers and the same suppression', async () => {
    for (const format of ['xlsx', 'csv'] as const) {
      const res = await get(admin, `/api/reports/statistics/export?format=${format}`, 'fr');
      assert.match(String(res.headers['content-disposition']), new RegExp(`report-statistics\\.${format}`));
      const { headers, rows } = await readTable(res.rawPayload, format);
      assert.deepEqual(headers, ['Dimension', 'Valeur', 'Nombre']);
      const row = (dim: string, value: string) =>
        rows.find((r) => r.Dimension === dim && r.Valeur === value)?.Nombre;
      assert.equal(Number(row('Canal', 'Ligne douane')), 8, format);
      assert.equal(Number(row('Quelle procédure ?', 'Dédouanement des marchandises')), 6, format);
      assert.equal(row('Quelle procédure ?', 'Transit') ?? null, null, `${format}: suppressed`);
      assert.equal(Number(rows.find((r) => r.Dimension === 'Tous les signalements')?.Nombre), 13, format);
      assert.equal(Number(row('Motif de clôture', 'Non fondé')), 5, format);
    }
  });
});
