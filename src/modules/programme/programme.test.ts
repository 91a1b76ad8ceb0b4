import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { DEMO_ORGANISATIONS, IdentityService } from '../identity/index.ts';
import { programmeModule } from './index.ts';
import { addAgreement, memberOf, programmeWorld } from './programme.fixture.ts';
import { convert, fromMinor, invert, ratioOf, toMinor } from './programme.money.ts';
import { ISO_NUMERIC } from './ui/iso-numeric.ts';

const EOI = {
  headName: 'Nadia Okello',
  headTitle: 'Commissioner General',
  endorsedOn: '2026-03-02',
  priorities: [
    { factor: 6, note: 'An internal affairs unit' },
    { factor: 5, note: 'Asset declarations' },
  ],
  initiatives: 'Code of conduct revised in 2025.',
  contactName: 'Ines Integrity',
  contactEmail: 'ines@example.org',
};

type Json = Record<string, unknown>;

describe('money arithmetic is exact', () => {
  it('parses, formats and converts in minor units, rounding once, halves away from zero', () => {
    assert.equal(toMinor('12500.5', 'EUR'), 1250050n);
    assert.equal(fromMinor(1250050n, 'EUR'), '12500.50');
    assert.equal(fromMinor(-5n, 'EUR'), '-0.05');
    assert.equal(toMinor('1500', 'JPY'), 1500n);
    assert.equal(fromMinor(1234n, 'KWD'), '1.234');
    assert.throws(() => toMinor('1.005', 'EUR'));
    // 1000.01 USD at 0.92 = 920.0092 EUR → 920.01; 0.1 + 0.2 is not a float problem here.
    assert.equal(convert(100001n, 'USD', 'EUR', ratioOf('0.92')), 92001n);
    assert.equal(convert(10n, 'EUR', 'EUR', ratioOf('1')) + convert(20n, 'EUR', 'EUR', ratioOf('1')), 30n);
    // Halves away from zero: 0.05 EUR at 0.5 = 0.025 → 0.03; 100 EUR at 1/0.92 = 108.695652… → 108.70.
    assert.equal(convert(5n, 'EUR', 'USD', ratioOf('0.5')), 3n);
    assert.equal(convert(10000n, 'EUR', 'USD', invert(ratioOf('0.92'))), 10870n);
    // Different minor units: 1,000 JPY at 0.0061 EUR = 6.10 EUR; 1.00 EUR at 160.5 = 161 JPY (160.5 → 161).
    assert.equal(convert(1000n, 'JPY', 'EUR', ratioOf('0.0061')), 610n);
    assert.equal(convert(100n, 'EUR', 'JPY', ratioOf('160.5')), 161n);
  });
});

// The Secretariat's world map keys countries by ISO code (docs/adr/0032): demo administrations with
// invented codes (XA…) drew an empty map, every one listed under it instead.
describe("the demo organisations are on the Secretariat's world map", () => {
  it('every demo organisation carries a real ISO 3166-1 code that the map outline draws', () => {
    const orgs = Object.values(DEMO_ORGANISATIONS);
    assert.ok(orgs.filter((o) => o.type === 'administration').length >= 3);
    for (const o of orgs) assert.ok(o.country && ISO_NUMERIC.has(o.country), `${o.name}: ${o.country}`);
  });
});

describe('programme: expressions of interest, pipeline, donors, funding gap, partners, activities', () => {
  let h: Harness;
  let sec: Client;
  let secretariatId: string;
  let officerA: Client;
  let adminB: Client;
  let staffA: Client;
  let pmA: Client;
  let donor1: Client;
  let donor2: Client;
  let donorOrg1: string;
  let donorOrg2: string;
  // Filled as the tests go.
  const ids: Record<string, string> = {};

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    staffA = await h.as(h.a.users.staff.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    ({ secretariatId, sec, donorOrg1, donorOrg2, donor1, donor2 } = await programmeWorld(h));
  });
  after(() => h.close());

  const ok = async (res: { statusCode: number; body: string; json(): unknown }, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json() as Json;
  };
  const submit = async (c: Client, body: unknown = EOI) => ok(await c.post('/api/programme/eois', body), 201);
  const move = async (id: string, to: string, extra: Json = {}) => {
    const cur = await ok(await sec.get(`/api/programme/eois/${id}`));
    return sec.post(`/api/programme/eois/${id}/transition`, {
      version: cur.version,
      to,
      reason: `to ${to}`,
      decidedOn: '2026-04-01',
      ...extra,
    });
  };
  const count = async (table: string) =>
    (await h.kernel.db.query<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

  it('the Secretariat links donors to donor organisations and records agreements in two currencies', async () => {
    const orgs = (await ok(await sec.get('/api/programme/donor-organisations'))).items as { id: string }[];
    assert.deepEqual(orgs.map((o) => o.id).sort(), [donorOrg1, donorOrg2].sort());
    // Outside the Secretariat the list is empty, even for a programme manager.
    assert.deepEqual((await ok(await pmA.get('/api/programme/donor-organisations'))).items, []);
    ids.d1 = (
      await ok(await sec.post('/api/programme/donors', { name: 'Donor One', organisationId: donorOrg1 }), 201)
    ).id as string;
    ids.d2 = (
      await ok(await sec.post('/api/programme/donors', { name: 'Donor Two', organisationId: donorOrg2 }), 201)
    ).id as string;
    assert.equal(
      (await sec.post('/api/programme/donors', { name: 'Again', organisationId: donorOrg1 })).statusCode,
      409,
    );
    assert.equal(
      (await sec.post('/api/programme/donors', { name: 'X', organisationId: h.a.id })).statusCode,
      422,
    );
    ids.ag1 = await addAgreement(sec, ids.d1, 'D1-EUR', '500000.00', 'EUR', { earmarkRegion: 'ESA' });
    ids.ag2 = await addAgreement(sec, ids.d2, 'D2-USD', '120000', 'USD', { earmarkRegion: 'WCA' });
    ids.ag3 = await addAgreement(sec, ids.d1, 'D1-USD', '10000.00', 'USD', { earmarkRegion: null });
    const d = await ok(
      await sec.post(`/api/programme/agreements/${ids.ag1}/disbursements`, {
        receivedOn: '2026-02-01',
        amount: { amount: '200000.50', currency: 'EUR' },
      }),
      201,
    );
    assert.deepEqual(d.disbursed, { amount: '200000.50', currency: 'EUR' });
    assert.deepEqual(d.amount, { amount: '500000.00', currency: 'EUR' });
    const wrongCurrency = await sec.post(`/api/programme/agreements/${ids.ag1}/disbursements`, {
      receivedOn: '2026-02-01',
      amount: { amount: '1.00', currency: 'USD' },
    });
    assert.equal(wrongCurrency.statusCode, 422);
    for (const [rate, asOf] of [
      ['0.9', '2026-01-01'],
      ['0.92', '2026-06-01'],
    ])
      await ok(await sec.post('/api/programme/rates', { from: 'USD', to: 'EUR', rate, asOf }), 201);
    assert.equal(
      (await sec.post('/api/programme/rates', { from: 'USD', to: 'EUR', rate: '1', asOf: '2026-06-01' }))
        .statusCode,
      409,
    );
  });

  it('an administration submits an expression of interest; the pipeline moves it with reasons and dates, version-checked; illegal jumps are 409', async () => {
    const a = await submit(officerA);
    assert.equal(a.status, 'received');
    assert.equal(a.organisation, 'Tenant A Customs');
    assert.equal(a.region, 'ESA');
    ids.eoiA = a.id as string;
    ids.eoiB = (await submit(adminB, { ...EOI, headName: 'Moussa Diarra' })).id as string;

    const pipeline = await ok(await sec.get('/api/programme/pipeline'));
    assert.equal((pipeline.counts as Json).received, 2);
    // Illegal jumps: received → partner, received → eligible.
    assert.equal((await move(ids.eoiA, 'partner')).statusCode, 409);
    assert.equal(
      (
        await move(ids.eoiA, 'eligible_awaiting_funding', {
          estimatedCost: { amount: '1.00', currency: 'EUR' },
        })
      ).statusCode,
      409,
    );
    const screening = await ok(await move(ids.eoiA, 'screening'));
    assert.equal(screening.status, 'screening');
    assert.equal(screening.version, 2);
    // A stale version is refused.
    const stale = await sec.post(`/api/programme/eois/${ids.eoiA}/transition`, {
      version: 1,
      to: 'declined',
      reason: 'x',
      decidedOn: '2026-04-01',
    });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json().code, 'VERSION_CONFLICT');
    // Eligible needs an estimated cost.
    assert.equal((await move(ids.eoiA, 'eligible_awaiting_funding')).statusCode, 422);
    const eligible = await ok(
      await move(ids.eoiA, 'eligible_awaiting_funding', {
        estimatedCost: { amount: '100000', currency: 'EUR' },
      }),
    );
    assert.deepEqual(eligible.estimatedCost, { amount: '100000.00', currency: 'EUR' });
    await ok(await move(ids.eoiB, 'screening'));
    await ok(
      await move(ids.eoiB, 'eligible_awaiting_funding', {
        estimatedCost: { amount: '250000.00', currency: 'USD' },
      }),
    );
    // Partner: with the partnership, whose donors must exist.
    const partnership = {
      startsOn: '2026-05-01',
      endsOn: '2028-12-31',
      donorIds: [ids.d1],
      coordinatorName: 'Ines Integrity',
      coordinatorEmail: 'ines@example.org',
    };
    assert.equal((await move(ids.eoiA, 'partner')).statusCode, 422);
    const partner = await ok(await move(ids.eoiA, 'partner', { partnership }));
    assert.equal(partner.status, 'partner');
    assert.deepEqual(
      (partner.events as Json[]).map((e) => [e.from, e.to, e.reason, e.decidedOn]),
      [
        ['received', 'screening', 'to screening', '2026-04-01'],
        ['screening', 'eligible_awaiting_funding', 'to eligible_awaiting_funding', '2026-04-01'],
        ['eligible_awaiting_funding', 'partner', 'to partner', '2026-04-01'],
      ],
    );
    // Final: nothing after partner.
    assert.equal((await move(ids.eoiA, 'declined')).statusCode, 409);
    const parts = (await ok(await sec.get('/api/programme/partnerships'))).items as Json[];
    assert.equal(parts.length, 1);
    assert.equal(parts[0]!.organisation, 'Tenant A Customs');
    ids.partnerA = parts[0]!.id as string;
    // A declined EOI, with its reason, from screening.
    const third = (await submit(adminB, { ...EOI, headName: 'Third' })).id as string;
    await ok(await move(third, 'screening'));
    const declined = await ok(await move(third, 'declined'));
    assert.equal(declined.status, 'declined');
    const audit = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where tenant_id = $1 and action = 'programme.eoi.transitioned'",
      [secretariatId],
    );
    assert.equal(audit[0]!.n, 7);
    const counts = (await ok(await sec.get('/api/programme/pipeline'))).counts;
    assert.deepEqual(counts, {
      received: 0,
      screening: 0,
      eligible_awaiting_funding: 1,
      partner: 1,
      declined: 1,
    });
  });

  it('activities record partners, experts, participants by gender and role, and costs charged to agreements', async () => {
    const res = await ok(
      await sec.post('/api/programme/activities', {
        type: 'diagnostic_mission',
        title: 'Diagnostic mission to A',
        startsOn: '2026-06-08',
        endsOn: '2026-06-12',
        partnershipIds: [ids.partnerA],
        experts: ['Expert One', 'Expert Two'],
        participants: [
          { role: 'management', women: 3, men: 5 },
          { role: 'officer', women: 7, men: 9 },
        ],
        costs: [{ label: 'Travel', agreementId: ids.ag1, amount: { amount: '12345.67', currency: 'EUR' } }],
        outputs: 'Diagnostic report',
      }),
      201,
    );
    assert.deepEqual(res.partners, ['Tenant A Customs']);
    assert.deepEqual(res.costs, [
      { label: 'Travel', agreementId: ids.ag1, amount: { amount: '12345.67', currency: 'EUR' } },
    ]);
    ids.act1 = res.id as string;
    ids.act2 = (
      await ok(
        await sec.post('/api/programme/activities', {
          type: 'regional_event',
          title: 'Regional workshop WCA',
          startsOn: '2026-09-01',
          endsOn: '2026-09-03',
          costs: [{ label: 'Venue', agreementId: ids.ag2, amount: { amount: '1000.01', currency: 'USD' } }],
        }),
        201,
      )
    ).id as string;
    assert.equal(
      (await ok(await sec.get(`/api/programme/activities/${ids.act1}`))).title,
      'Diagnostic mission to A',
    );
    const ag = ((await ok(await sec.get('/api/programme/agreements'))).items as Json[]).find(
      (a) => a.id === ids.ag1,
    )!;
    assert.deepEqual(ag.spent, [{ amount: '12345.67', currency: 'EUR' }]);
  });

  it("a partnership's edits are version-checked and validated; its benchmarks are the plan's (a PATCH with them: 400)", async () => {
    const [p] = (await ok(await sec.get('/api/programme/partnerships'))).items as Json[];
    assert.equal('benchmarks' in p!, false, 'no benchmarks of its own');
    const updated = await ok(
      await sec.patch(`/api/programme/partnerships/${p!.id}`, {
        version: p!.version,
        coordinatorName: 'Coordinator B',
      }),
    );
    assert.equal(updated.coordinatorName, 'Coordinator B');
    assert.equal(updated.version, (p!.version as number) + 1);
    const stale = await sec.patch(`/api/programme/partnerships/${p!.id}`, {
      version: p!.version,
      coordinatorName: 'Someone else',
    });
    assert.equal(stale.statusCode, 409);
    const v = updated.version as number;
    for (const [body, status] of [
      [{ version: v, endsOn: '2025-01-01' }, 422],
      [{ version: v, donorIds: ['01900000-0000-7000-8000-000000000009'] }, 422],
      [{ version: v, benchmarks: [{ title: 'x', status: 'done' }] }, 400],
    ] as [Json, number][])
      assert.equal(
        (await sec.patch(`/api/programme/partnerships/${p!.id}`, body)).statusCode,
        status,
        JSON.stringify(body),
      );
    // Benchmarks, even well-formed or none, are refused with a message pointing to the plan.
    for (const benchmarks of [[{ title: 'Integrity strategy adopted', due: null, status: 'achieved' }], []]) {
      const res = await sec.patch(`/api/programme/partnerships/${p!.id}`, {
        version: v,
        coordinatorName: 'Not saved',
        benchmarks,
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.headers['content-type'] as string, /problem\+json/);
      assert.match(
        res.body,
        /multi-annual plan now: save them with PUT \/api\/programme\/partnerships\/\{id\}\/plan/,
      );
    }
    const now = ((await ok(await sec.get('/api/programme/partnerships'))).items as Json[])[0]!;
    assert.equal(now.version, v);
    assert.equal(now.coordinatorName, 'Coordinator B');
    assert.equal(now.endsOn, '2028-12-31');
    // The partner administration reads the plan's benchmarks, as the Secretariat saved them.
    const phase = { label: 'All years', startsOn: now.startsOn, endsOn: now.endsOn };
    const bench = {
      title: 'Integrity strategy adopted',
      factor: null,
      due: '2026-12-31',
      status: 'achieved',
    };
    await ok(
      await sec.request({
        method: 'PUT',
        url: `/api/programme/partnerships/${now.id}/plan`,
        payload: { version: 1, phases: [{ ...phase, benchmarks: [bench] }], kpis: [] },
      }),
    );
    const plan = await ok(await officerA.get(`/api/programme/mine/partnerships/${now.id}/plan`));
    assert.deepEqual(
      ((plan.phases as Json[])[0]!.benchmarks as Json[]).map((b) => [b.title, b.due, b.status]),
      [['Integrity strategy adopted', '2026-12-31', 'achieved']],
    );
    const mine = await ok(await officerA.get('/api/programme/mine'));
    assert.equal('benchmarks' in ((mine.partnerships as Json[])[0] as Json), false);
  });

  it('the funding gap by region matches a hand-computed example in two currencies, with the rates used', async () => {
    // Demand (eligible): B 250,000.00 USD (WCA). A became a partner, so it no longer counts.
    // Funds: ag1 500,000.00 EUR (ESA) − 12,345.67 EUR; ag2 120,000.00 USD (WCA) − 1,000.01 USD;
    //        ag3 10,000.00 USD not earmarked. USD→EUR 0.92 as of 2026-06-01.
    const eur = await ok(await sec.get('/api/programme/funding-gap?currency=EUR&asOf=2026-11-01'));
    const row = (r: string | null) => (eur.rows as Json[]).find((x) => x.region === r);
    // WCA: demand 250,000 × 0.92 = 230,000.00; funds 110,400.00 − 920.01 (920.0092) = 109,479.99.
    assert.deepEqual(row('WCA'), {
      region: 'WCA',
      demand: '230000.00',
      available: '109479.99',
      gap: '120520.01',
    });
    assert.deepEqual(row('ESA'), {
      region: 'ESA',
      demand: '0.00',
      available: '487654.33',
      gap: '-487654.33',
    });
    assert.deepEqual(row(null), { region: null, demand: '0.00', available: '9200.00', gap: '-9200.00' });
    assert.deepEqual(row('EUR'), { region: 'EUR', demand: '0.00', available: '0.00', gap: '0.00' });
    // 487,654.33 + 109,479.99 + 9,200.00 = 606,334.32; 230,000.00 − 606,334.32 = −376,334.32.
    assert.deepEqual(eur.total, {
      region: null,
      demand: '230000.00',
      available: '606334.32',
      gap: '-376334.32',
    });
    assert.deepEqual(eur.rates, [
      { from: 'USD', to: 'EUR', rate: '0.92', asOf: '2026-06-01', inverse: false },
    ]);

    // In USD, through the inverse rate (1/0.92), each amount rounded once:
    // 500,000.00 / 0.92 = 543,478.26; 12,345.67 / 0.92 = 13,419.21 → ESA 530,059.05.
    const usd = await ok(await sec.get('/api/programme/funding-gap?currency=USD&asOf=2026-11-01'));
    const urow = (r: string | null) => (usd.rows as Json[]).find((x) => x.region === r);
    assert.deepEqual(urow('ESA'), {
      region: 'ESA',
      demand: '0.00',
      available: '530059.05',
      gap: '-530059.05',
    });
    assert.deepEqual(urow('WCA'), {
      region: 'WCA',
      demand: '250000.00',
      available: '118999.99',
      gap: '131000.01',
    });
    assert.deepEqual(usd.total, {
      region: null,
      demand: '250000.00',
      available: '659059.04',
      gap: '-409059.04',
    });
    assert.deepEqual(usd.rates, [
      { from: 'USD', to: 'EUR', rate: '0.92', asOf: '2026-06-01', inverse: true },
    ]);

    // An earlier date takes the earlier rate: 250,000 × 0.9 = 225,000.00.
    const early = await ok(await sec.get('/api/programme/funding-gap?currency=EUR&asOf=2026-03-01'));
    assert.equal((early.total as Json).demand, '225000.00');
    // No rate: a clear 422 naming the pair and the date.
    const gbp = await sec.get('/api/programme/funding-gap?currency=GBP&asOf=2026-11-01');
    assert.equal(gbp.statusCode, 422);
    assert.match(
      gbp.json().detail ?? gbp.body,
      /No exchange rate from (USD|EUR) to GBP on or before 2026-11-01/,
    );
    const before = await sec.get('/api/programme/funding-gap?currency=EUR&asOf=2025-12-31');
    assert.equal(before.statusCode, 422);
    assert.match(before.body, /No exchange rate from USD to EUR on or before 2025-12-31/);
    assert.equal((await sec.get('/api/programme/funding-gap?currency=EURO')).statusCode, 400);
  });

  it('a donor sees only what it funds: its agreements, the partnerships listing it, the activities and cost lines it pays', async () => {
    const one = await ok(await donor1.get('/api/programme/donor/dashboard'));
    assert.deepEqual((one.agreements as Json[]).map((a) => a.reference).sort(), ['D1-EUR', 'D1-USD']);
    assert.deepEqual(
      (one.activities as Json[]).map((a) => a.id),
      [ids.act1],
    );
    assert.deepEqual(
      (one.partnerships as Json[]).map((p) => p.id),
      [ids.partnerA],
    );
    const two = await ok(await donor2.get('/api/programme/donor/dashboard'));
    assert.deepEqual(
      (two.agreements as Json[]).map((a) => a.reference),
      ['D2-USD'],
    );
    assert.deepEqual(
      (two.activities as Json[]).map((a) => a.id),
      [ids.act2],
    );
    assert.deepEqual(two.partnerships, []);
    // The database agrees, with no application filter: donor 1's tenant reads none of donor 2's rows.
    const raw = await withTenant(h.kernel.db, { tenantId: donorOrg1, userId: null }, async (tx) => {
      const n = async (q: ReturnType<typeof sql>) =>
        ((await tx.execute(q)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
      return {
        agreements: await n(sql`select count(*)::int as n from programme_agreements`),
        other: await n(sql`select count(*)::int as n from programme_agreements where donor_id = ${ids.d2}`),
        costs: await n(sql`select count(*)::int as n from programme_costs`),
        activities: await n(sql`select count(*)::int as n from programme_activities`),
        eois: await n(sql`select count(*)::int as n from programme_eois`),
        reviews: await n(sql`select count(*)::int as n from programme_eoi_reviews`),
        rates: await n(sql`select count(*)::int as n from programme_rates`),
      };
    });
    assert.deepEqual(raw, {
      agreements: 2,
      other: 0,
      costs: 1,
      activities: 1,
      eois: 0,
      reviews: 0,
      // The Secretariat's exchange rates: donor 1 is listed on a partnership (value for money is
      // reported in a chosen currency, ADR 0028); donor 2, listed on none, reads none.
      rates: 2,
    });
    const ratesOf2 = await withTenant(
      h.kernel.db,
      { tenantId: donorOrg2, userId: null },
      async (tx) =>
        (
          (await tx.execute(sql`select count(*)::int as n from programme_rates`)) as unknown as {
            rows: { n: number }[];
          }
        ).rows[0]!.n,
    );
    assert.equal(ratesOf2, 0);
    // Donors do not reach the Secretariat's routes; administrations do not reach the donor's view.
    assert.equal((await donor1.get('/api/programme/pipeline')).statusCode, 403);
    assert.equal((await donor1.get(`/api/programme/activities/${ids.act2}`)).statusCode, 403);
    assert.equal((await officerA.get('/api/programme/donor/dashboard')).statusCode, 403);
  });

  it("a donor's report for a period lists only what it funds, in the user's language (CSV and XLSX)", async () => {
    const csv = await donor1.get('/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=csv');
    assert.equal(csv.statusCode, 200, csv.body);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /a-cip-donor-report-2026-01-01-2026-12-31\.csv/);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/);
    assert.equal(lines[0], 'Kind,Date,Agreement,Description,Women,Men,Amount,Currency');
    assert.ok(
      lines.includes('Agreement,2026-01-01,D1-EUR,2026-01-01 – 2028-12-31 · ESA,,,500000,EUR'),
      lines.join('\n'),
    );
    assert.ok(lines.includes('Disbursement,2026-02-01,D1-EUR,,,,200000.5,EUR'), lines.join('\n'));
    assert.ok(
      lines.includes(
        'Activity,2026-06-08,,Diagnostic mission: Diagnostic mission to A (Tenant A Customs),10,14,,',
      ),
      lines.join('\n'),
    );
    assert.ok(
      lines.includes('Cost,2026-06-08,D1-EUR,Diagnostic mission to A: Travel,,,12345.67,EUR'),
      lines.join('\n'),
    );
    assert.doesNotMatch(csv.body, /D2-USD|Regional workshop WCA|1000\.01/);
    // Another period: the agreements in force, no activity.
    const later = await donor1.get('/api/programme/donor/report?from=2027-01-01&to=2027-12-31&format=csv');
    assert.doesNotMatch(later.body, /Activity|Disbursement/);
    assert.match(later.body, /D1-EUR/);
    // In French, and as XLSX by default.
    const fr = await donor1.request({
      method: 'GET',
      url: '/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=csv',
      headers: { 'accept-language': 'fr' },
    });
    assert.match(fr.body, /^\uFEFF?Nature,Date,Accord,Description,Femmes,Hommes,Montant,Devise/);
    assert.match(fr.body, /Versement,2026-02-01/);
    assert.match(fr.body, /Mission de diagnostic: Diagnostic mission to A/);
    const xlsx = await donor1.get('/api/programme/donor/report?from=2026-01-01&to=2026-12-31');
    assert.equal(xlsx.statusCode, 200);
    assert.match(String(xlsx.headers['content-type']), /spreadsheetml/);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    const two = await donor2.get('/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=csv');
    assert.match(two.body, /D2-USD/);
    assert.doesNotMatch(two.body, /D1-EUR|Diagnostic mission to A/);
    assert.equal(
      (await donor1.get('/api/programme/donor/report?from=2026-12-31&to=2026-01-01')).statusCode,
      400,
    );
    assert.equal(
      (await officerA.get('/api/programme/donor/report?from=2026-01-01&to=2026-12-31')).statusCode,
      403,
    );
  });

  it("the Secretariat downloads any donor's report: exactly what that donor's own report holds; no one else can", async () => {
    const q = 'from=2026-01-01&to=2026-12-31&format=csv';
    for (const [donor, id, slug] of [
      [donor1, ids.d1, 'donor-one'],
      [donor2, ids.d2, 'donor-two'],
    ] as const) {
      const own = await donor.get(`/api/programme/donor/report?${q}`);
      const copy = await sec.get(`/api/programme/donors/${id}/report?${q}`);
      assert.equal(copy.statusCode, 200, copy.body);
      assert.equal(copy.body, own.body);
      assert.match(
        String(copy.headers['content-disposition']),
        new RegExp(`a-cip-donor-report-${slug}-2026-01-01-2026-12-31\\.csv`),
      );
      // The value-for-money part counts the donor's own cost lines only, as in its own report.
      const part = `${q}&part=value_for_money&currency=EUR`;
      assert.equal(
        (await sec.get(`/api/programme/donors/${id}/report?${part}`)).body,
        (await donor.get(`/api/programme/donor/report?${part}`)).body,
      );
    }
    const xlsx = await sec.get(`/api/programme/donors/${ids.d1}/report?from=2026-01-01&to=2026-12-31`);
    assert.equal(xlsx.statusCode, 200);
    assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK');
    assert.equal(
      (await sec.get(`/api/programme/donors/${ids.d1}/report?from=2026-12-31&to=2026-01-01`)).statusCode,
      400,
    );
    assert.equal((await sec.get(`/api/programme/donors/${crypto.randomUUID()}/report?${q}`)).statusCode, 404);
    // An administration's programme manager (programme.manage, not the Secretariat) and donors: no.
    assert.equal((await pmA.get(`/api/programme/donors/${ids.d1}/report?${q}`)).statusCode, 404);
    assert.equal((await donor1.get(`/api/programme/donors/${ids.d1}/report?${q}`)).statusCode, 403);
    assert.equal((await donor1.get(`/api/programme/donors/${ids.d2}/report?${q}`)).statusCode, 403);
  });

  it('a partner administration sees only its own EOIs and partnership; the Secretariat reads only what was submitted', async () => {
    const a = await ok(await officerA.get('/api/programme/mine'));
    assert.deepEqual(
      (a.eois as Json[]).map((e) => e.id),
      [ids.eoiA],
    );
    assert.equal((a.eois as Json[])[0]!.status, 'partner');
    assert.deepEqual(
      (a.partnerships as Json[]).map((p) => p.id),
      [ids.partnerA],
    );
    assert.deepEqual(
      (a.activities as Json[]).map((x) => x.id),
      [ids.act1],
    );
    assert.deepEqual((a.activities as Json[])[0]!.costs, [], 'costs are not shown to the partner');
    const b = await ok(await adminB.get('/api/programme/mine'));
    assert.equal((b.eois as Json[]).length, 2);
    assert.ok((b.eois as Json[]).every((e) => e.organisation === 'Tenant B Customs'));
    assert.deepEqual(b.partnerships, []);
    assert.deepEqual(b.activities, []);
    // B's tenant reads none of A's pipeline rows or partnership, even with raw SQL.
    const raw = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, async (tx) => {
      const n = async (q: ReturnType<typeof sql>) =>
        ((await tx.execute(q)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
      return {
        eois: await n(sql`select count(*)::int as n from programme_eois where tenant_id <> ${h.b.id}`),
        events: await n(sql`select count(*)::int as n from programme_eoi_events where eoi_id = ${ids.eoiA}`),
        partnerships: await n(sql`select count(*)::int as n from programme_partnerships`),
      };
    });
    assert.deepEqual(raw, { eois: 0, events: 0, partnerships: 0 });
    // An EOI cannot be edited after submission, not even by its administration.
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        tx.execute(sql`update programme_eois set head_name = 'changed' where id = ${ids.eoiA}`),
      ),
      (err: Error & { cause?: Error }) => /permission denied/.test(`${err.message} ${err.cause?.message}`),
    );
    // The Secretariat reads the submitted EOIs and nothing else of the administrations.
    const seen = await withTenant(h.kernel.db, { tenantId: secretariatId, userId: null }, async (tx) => {
      const n = async (q: ReturnType<typeof sql>) =>
        ((await tx.execute(q)) as unknown as { rows: { n: number }[] }).rows[0]!.n;
      return {
        eois: await n(sql`select count(*)::int as n from programme_eois`),
        organisations: await n(sql`select count(*)::int as n from organisations where id = ${h.a.id}`),
        plans: await n(sql`select count(*)::int as n from action_plans`),
        members: await n(sql`select count(*)::int as n from memberships where tenant_id = ${h.a.id}`),
      };
    });
    assert.deepEqual(seen, { eois: 3, organisations: 0, plans: 0, members: 0 });
  });

  it('bad input: wrong currency, periods out of order, unknown partners or donors are a clear 4xx and store nothing', async () => {
    const tables = [
      'programme_agreements',
      'programme_activities',
      'programme_costs',
      'programme_partnerships',
      'programme_rates',
    ];
    const before = await Promise.all(tables.map(count));
    const agreement = {
      donorId: ids.d1,
      reference: 'Bad',
      amount: { amount: '100.00', currency: 'EUR' },
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    };
    for (const [body, status] of [
      [{ ...agreement, amount: { amount: '100.00', currency: 'EURO' } }, 400],
      [{ ...agreement, amount: { amount: '100.00', currency: 'XXX' } }, 400],
      [{ ...agreement, amount: { amount: '100.005', currency: 'EUR' } }, 400],
      [{ ...agreement, amount: { amount: '12', currency: 'JPY' } }, 201],
      [{ ...agreement, amount: { amount: '12.5', currency: 'JPY' } }, 400],
      [{ ...agreement, amount: { amount: '-5.00', currency: 'EUR' } }, 400],
      [{ ...agreement, amount: 100 }, 400],
      [{ ...agreement, startsOn: '2027-01-01' }, 400],
      [{ ...agreement, donorId: '01900000-0000-7000-8000-000000000009' }, 422],
      [{ ...agreement, earmarkPartnershipId: '01900000-0000-7000-8000-000000000009' }, 422],
      [{ ...agreement, earmarkRegion: 'ESA', earmarkPartnershipId: ids.partnerA }, 400],
      [{ ...agreement, earmarkRegion: 'Europe' }, 400],
    ] as [Json, number][]) {
      const res = await sec.post('/api/programme/agreements', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
      if (status >= 400) assert.match(String(res.headers['content-type']), /problem\+json/);
    }
    const activity = { type: 'workshop', title: 'Bad', startsOn: '2026-01-02', endsOn: '2026-01-03' };
    for (const [body, status] of [
      [{ ...activity, endsOn: '2026-01-01' }, 400],
      [{ ...activity, type: 'party' }, 400],
      [{ ...activity, partnershipIds: ['01900000-0000-7000-8000-000000000009'] }, 422],
      [
        {
          ...activity,
          costs: [
            {
              label: 'x',
              agreementId: '01900000-0000-7000-8000-000000000009',
              amount: { amount: '1.00', currency: 'EUR' },
            },
          ],
        },
        422,
      ],
      [
        {
          ...activity,
          costs: [{ label: 'x', agreementId: ids.ag1, amount: { amount: '1.00', currency: 'eur' } }],
        },
        400,
      ],
      [{ ...activity, participants: [{ role: 'officer', women: -1, men: 2 }] }, 400],
    ] as [Json, number][]) {
      const res = await sec.post('/api/programme/activities', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
    }
    for (const body of [
      { from: 'USD', to: 'USD', rate: '1', asOf: '2026-01-01' },
      { from: 'USD', to: 'EUR', rate: '0', asOf: '2026-01-01' },
      { from: 'USD', to: 'EUR', rate: '-1', asOf: '2026-01-01' },
      { from: 'USD', to: 'EUR', rate: 0.9, asOf: '2026-01-01' },
    ])
      assert.equal((await sec.post('/api/programme/rates', body)).statusCode, 400, JSON.stringify(body));
    // A partner with an unknown donor, or a period out of order: nothing moves.
    const eligible = ((await ok(await sec.get('/api/programme/pipeline'))).items as Json[]).find(
      (e) => e.status === 'eligible_awaiting_funding',
    )!;
    const partnership = {
      startsOn: '2026-05-01',
      endsOn: '2028-12-31',
      donorIds: ['01900000-0000-7000-8000-000000000009'],
      coordinatorName: 'X',
      coordinatorEmail: 'x@example.org',
    };
    const bad = await move(eligible.id as string, 'partner', { partnership });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Unknown donor/);
    assert.equal(
      (
        await move(eligible.id as string, 'partner', {
          partnership: { ...partnership, donorIds: [], endsOn: '2026-01-01' },
        })
      ).statusCode,
      400,
    );
    assert.equal(
      (await ok(await sec.get(`/api/programme/eois/${eligible.id}`))).status,
      'eligible_awaiting_funding',
    );
    // EOIs: a factor outside 1–10, twice the same factor, a missing endorsement.
    for (const body of [
      { ...EOI, priorities: [{ factor: 11, note: '' }] },
      {
        ...EOI,
        priorities: [
          { factor: 2, note: '' },
          { factor: 2, note: '' },
        ],
      },
      { ...EOI, headName: '' },
      { ...EOI, endorsedOn: '2026-13-01' },
      { ...EOI, extra: 1 },
    ])
      assert.equal((await officerA.post('/api/programme/eois', body)).statusCode, 400, JSON.stringify(body));
    const after = await Promise.all(tables.map(count));
    // Only the one valid JPY agreement was stored.
    assert.deepEqual(
      after,
      before.map((n, i) => (i === 0 ? n + 1 : n)),
    );
  });

  it('permissions: only the Secretariat manages, only administrations submit, staff do neither', async () => {
    assert.equal((await staffA.get('/api/programme/pipeline')).statusCode, 403);
    assert.equal((await staffA.post('/api/programme/eois', EOI)).statusCode, 403);
    assert.equal((await staffA.get('/api/programme/mine')).statusCode, 403);
    assert.equal((await sec.post('/api/programme/eois', EOI)).statusCode, 403);
    assert.equal((await h.anonymous().get('/api/programme/pipeline')).statusCode, 401);
    // A programme manager outside the Secretariat: empty lists, 404 on ids, no writes.
    const pipeline = await ok(await pmA.get('/api/programme/pipeline'));
    assert.deepEqual(pipeline.items, []);
    assert.equal((await pmA.get(`/api/programme/eois/${ids.eoiB}`)).statusCode, 404);
    assert.equal(
      (
        await pmA.post(`/api/programme/eois/${ids.eoiB}/transition`, {
          version: 3,
          to: 'partner',
          reason: 'x',
          decidedOn: '2026-01-01',
        })
      ).statusCode,
      404,
    );
    assert.equal((await pmA.post('/api/programme/donors', { name: 'Rogue' })).statusCode, 403);
    assert.deepEqual((await ok(await pmA.get('/api/programme/agreements'))).items, []);
    assert.equal((await pmA.get(`/api/programme/activities/${ids.act1}`)).statusCode, 404);
    // A donor organisation's administrator holds programme.submit but is no Customs administration.
    const d1admin = await memberOf(h, donorOrg1, 'admin@donor1.test', ['org_admin']);
    assert.equal((await d1admin.post('/api/programme/eois', EOI)).statusCode, 403);
    assert.deepEqual((await ok(await d1admin.get('/api/programme/mine'))).eois, []);
  });

  it('the demo seed builds the pipeline, donor, agreements in EUR and USD, a partner and an activity, once', async () => {
    const idsvc = new IdentityService(h.kernel);
    const [{ hash } = { hash: '' }] = await h.kernel.db.query<{ hash: string }>(
      'select password_hash as hash from users where email = $1',
      [h.a.users.staff.email],
    );
    // A fresh set of demo organisations (the test's Secretariat already holds donors).
    const wco = await idsvc.createOrganisation(null, {
      type: 'secretariat',
      name: 'WCO demo',
      shortName: 'WCO',
    });
    const orgs: Record<string, string> = { WCO: wco.id };
    for (const [short, type, region] of [
      ['Norland', 'administration', 'ESA'],
      ['Sudmark', 'administration', 'WCA'],
      ['Estavia', 'administration', 'AMC'],
      ['IFund', 'donor', null],
    ] as const)
      orgs[short] = (
        await idsvc.createOrganisation(null, {
          type,
          name: `${short} demo`,
          shortName: short,
          wcoRegion: region,
        })
      ).id;
    const roles: [string, string][] = [
      ['WCO', 'programme_manager'],
      ['Norland', 'integrity_officer'],
      ['Sudmark', 'org_admin'],
      ['Estavia', 'org_admin'],
    ];
    for (const [short, role] of roles) {
      const u = await idsvc.ensureUser({ email: `${role}@${short}.seed`, name: short, passwordHash: hash });
      await idsvc.addMembership(orgs[short]!, u.id, [role]);
    }
    await programmeModule.seedDemo!(h.kernel);
    await programmeModule.seedDemo!(h.kernel);
    const n = async (q: string) => (await h.kernel.db.query<{ n: number }>(q, [wco.id]))[0]!.n;
    assert.equal(await n('select count(*)::int as n from programme_donors where tenant_id = $1'), 1);
    assert.equal(
      await n(
        "select count(distinct currency)::int as n from programme_agreements where tenant_id = $1 and currency in ('EUR','USD')",
      ),
      2,
    );
    assert.equal(await n('select count(*)::int as n from programme_partnerships where tenant_id = $1'), 1);
    assert.equal(await n('select count(*)::int as n from programme_activities where tenant_id = $1'), 1);
    const donor = await h.kernel.db.query<{ id: string }>(
      'select u.email as id from users u join memberships m on m.user_id = u.id where m.tenant_id = $1',
      [orgs.IFund],
    );
    assert.equal(donor.length, 0, 'no donor user was needed to seed');
  });
});
