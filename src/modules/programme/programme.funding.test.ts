import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { addAgreement, addDonor, type Json, ok, partnershipOf, programmeWorld } from './programme.fixture.ts';

/*
 * Correcting donors, agreements and exchange rates (PATCH, version-checked), with a funding gap
 * computed by hand in EUR as of 2026-06-30 (no eligible request, so demand is 0):
 *   AG-1 corrected to 1 500.00 EUR; AG-2 500.00 USD.
 *   A USD→EUR rate mistyped as 9.2 on 2026-06-01: available = 1 500.00 + 500 × 9.2 = 6 100.00 EUR.
 *   Corrected to 0.92: available = 1 500.00 + 460.00 = 1 960.00 EUR, gap −1 960.00.
 */
describe('programme: correcting donors, agreements and rates', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let pmA: Client;
  let staffA: Client;
  let donor1: Client;
  let donor2: Client;
  let donorOrg1: string;
  let donorOrg2: string;
  type Key = 'd1' | 'd2' | 'd3' | 'pA' | 'ag1' | 'ag2' | 'rate' | 'rate2';
  const ids = {} as Record<Key, string>;
  const audits = async (action: string, id: string) =>
    (
      await h.kernel.db.query<{ data: Json }>(
        'select data from audit_events where action = $1 and entity_id = $2 order by seq',
        [action, id],
      )
    ).map((r) => r.data);
  /** What must not move when an edit is refused: the stored row and its audit records. */
  const snapshot = async (table: string, id: string, action: string) => ({
    row: (await h.kernel.db.query(`select * from ${table} where id = $1`, [id]))[0],
    audit: (await audits(action, id)).length,
  });
  const refused = async (
    c: Client,
    url: string,
    body: Json,
    status: number,
    table: string,
    action: string,
    message?: RegExp,
  ) => {
    const id = url.split('/').at(-1)!;
    const before = await snapshot(table, id, action);
    const res = await c.patch(url, body);
    assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
    if (message) assert.match(res.body, message);
    assert.deepEqual(await snapshot(table, id, action), before, `${JSON.stringify(body)} changed something`);
  };
  const agreement = async (id: string) =>
    ((await ok(await sec.get('/api/programme/agreements'))).items as Json[]).find((a) => a.id === id)!;
  const gap = async () =>
    ok(await sec.get('/api/programme/funding-gap?currency=EUR&asOf=2026-06-30')).then((g) => g.total);

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    staffA = await h.as(h.a.users.staff.email);
    ({ sec, donor1, donor2, donorOrg1, donorOrg2 } = await programmeWorld(h, 'fund.'));
    ids.d1 = await addDonor(sec, 'Donor One', donorOrg1);
    ids.d2 = await addDonor(sec, 'Donor Two', donorOrg2);
    ids.d3 = (await ok(await sec.post('/api/programme/donors', { name: 'Donor Tree' }), 201)).id;
    ids.pA = await partnershipOf(sec, officerA, [ids.d1]);
    ids.ag1 = await addAgreement(sec, ids.d1, 'AG-1', '1000.00', 'EUR', { earmarkRegion: 'ESA' });
    ids.ag2 = await addAgreement(sec, ids.d2, 'AG-2', '500.00', 'USD');
  });
  after(() => h.close());

  it('an agreement is corrected at its version: amount, reference and a partner earmark shown by name; audited', async () => {
    const partner = ((await ok(await sec.get('/api/programme/partnerships'))).items as Json[]).find(
      (p) => p.id === ids.pA,
    )!;
    const a = await ok(
      await sec.patch(`/api/programme/agreements/${ids.ag1}`, {
        version: 1,
        reference: 'AG-1 corrected',
        amount: { amount: '1500', currency: 'EUR' },
        earmarkRegion: null,
        earmarkPartnershipId: ids.pA,
      }),
    );
    assert.equal(a.version, 2);
    assert.equal(a.reference, 'AG-1 corrected');
    assert.deepEqual(a.amount, { amount: '1500.00', currency: 'EUR' });
    assert.equal(a.earmarkRegion, null);
    assert.equal(a.earmarkPartnershipId, ids.pA);
    assert.equal(a.earmarkPartner, partner.organisation);
    assert.deepEqual(await agreement(ids.ag1), a);
    assert.deepEqual(await audits('programme.agreement.updated', ids.ag1), [
      {
        fields: ['reference', 'amount', 'earmarkRegion', 'earmarkPartnershipId'],
        amount: { from: { amount: '1000.00', currency: 'EUR' }, to: { amount: '1500.00', currency: 'EUR' } },
      },
    ]);
    // The same values again (1500.00 is 1500): nothing changes, no new version, no audit.
    const same = await ok(
      await sec.patch(`/api/programme/agreements/${ids.ag1}`, {
        version: 2,
        amount: { amount: '1500.00', currency: 'EUR' },
        earmarkPartnershipId: ids.pA,
      }),
    );
    assert.equal(same.version, 2);
    assert.equal((await audits('programme.agreement.updated', ids.ag1)).length, 1);
  });

  it('an agreement edit on an old version is a 409; bad input is a 4xx; nothing is stored', async () => {
    const url = `/api/programme/agreements/${ids.ag1}`;
    const no = (body: Json, status: number, message?: RegExp) =>
      refused(sec, url, body, status, 'programme_agreements', 'programme.agreement.updated', message);
    await no({ version: 1, reference: 'stale' }, 409, /changed by someone else/);
    await no({ version: 2, startsOn: '2029-01-01' }, 422, /period ends before it starts/);
    await no({ version: 2, donorId: ids.pA }, 422, /Unknown donor/);
    await no({ version: 2, earmarkPartnershipId: ids.d1 }, 422, /Unknown partner/);
    // A region added while the partner earmark stays: two earmarks.
    await no({ version: 2, earmarkRegion: 'ESA' }, 422, /not both/);
    await no({ version: 2, earmarkRegion: 'ESA', earmarkPartnershipId: ids.pA }, 400, /not both/);
    await no({ version: 2, amount: { amount: '0.00', currency: 'EUR' } }, 400, /above zero/);
    await no({ version: 2, amount: { amount: '1.005', currency: 'EUR' } }, 400);
    await no({ version: 2, amount: { amount: '10', currency: 'XXX' } }, 400);
    await no({ version: 2, earmarkRegion: 'Atlantis', earmarkPartnershipId: null }, 400);
    await no({ version: 2, surprise: true }, 400);
    // Disbursements are in the agreement's currency: once one is recorded, the currency stays.
    await ok(
      await sec.post(`/api/programme/agreements/${ids.ag1}/disbursements`, {
        receivedOn: '2026-03-01',
        amount: { amount: '250.00', currency: 'EUR' },
      }),
      201,
    );
    await no({ version: 2, amount: { amount: '1500.00', currency: 'USD' } }, 422, /keeps that currency/);
    // A disbursement of nothing is refused, and stores nothing.
    const zero = await sec.post(`/api/programme/agreements/${ids.ag1}/disbursements`, {
      receivedOn: '2026-03-02',
      amount: { amount: '0', currency: 'EUR' },
    });
    assert.equal(zero.statusCode, 400, zero.body);
    assert.deepEqual((await agreement(ids.ag1)).disbursed, { amount: '250.00', currency: 'EUR' });
  });

  it('only the Secretariat corrects: 403 without the permission, 404 for a programme manager elsewhere', async () => {
    const url = `/api/programme/agreements/${ids.ag1}`;
    const body = { version: 2, reference: 'by someone else' };
    await refused(staffA, url, body, 403, 'programme_agreements', 'programme.agreement.updated');
    await refused(donor1, url, body, 403, 'programme_agreements', 'programme.agreement.updated');
    await refused(officerA, url, body, 403, 'programme_agreements', 'programme.agreement.updated');
    await refused(pmA, url, body, 404, 'programme_agreements', 'programme.agreement.updated');
    const donorUrl = `/api/programme/donors/${ids.d1}`;
    for (const [c, status] of [
      [staffA, 403],
      [donor1, 403],
      [pmA, 404],
    ] as const)
      await refused(
        c,
        donorUrl,
        { version: 1, name: 'x' },
        status,
        'programme_donors',
        'programme.donor.updated',
      );
    const rate = await ok(
      await sec.post('/api/programme/rates', { from: 'USD', to: 'EUR', rate: '9.2', asOf: '2026-06-01' }),
      201,
    );
    ids.rate = rate.id;
    assert.equal(rate.version, 1);
    for (const [c, status] of [
      [staffA, 403],
      [donor1, 403],
      [pmA, 404],
    ] as const)
      await refused(
        c,
        `/api/programme/rates/${ids.rate}`,
        { version: 1, rate: '1' },
        status,
        'programme_rates',
        'programme.rate.updated',
      );
  });

  it('a mistyped rate is corrected at its version and the funding gap follows; a second rate of that pair and day is a 409', async () => {
    assert.equal((await gap()).available, '6100.00');
    // Entering the right value again for the same pair and day is a conflict: correct the rate instead.
    const again = await sec.post('/api/programme/rates', {
      from: 'USD',
      to: 'EUR',
      rate: '0.92',
      asOf: '2026-06-01',
    });
    assert.equal(again.statusCode, 409, again.body);
    const r = await ok(await sec.patch(`/api/programme/rates/${ids.rate}`, { version: 1, rate: '0.92' }));
    assert.deepEqual(r, {
      id: ids.rate,
      from: 'USD',
      to: 'EUR',
      rate: '0.92',
      asOf: '2026-06-01',
      version: 2,
    });
    assert.deepEqual(await gap(), { region: null, demand: '0.00', available: '1960.00', gap: '-1960.00' });
    assert.deepEqual(await audits('programme.rate.updated', ids.rate), [
      {
        fields: ['rate'],
        before: { from: 'USD', to: 'EUR', rate: '9.2', asOf: '2026-06-01' },
        after: { from: 'USD', to: 'EUR', rate: '0.92', asOf: '2026-06-01' },
      },
    ]);
    const listed = ((await ok(await sec.get('/api/programme/rates'))).items as Json[]).find(
      (x) => x.id === ids.rate,
    );
    assert.deepEqual(listed, r);

    ids.rate2 = (
      await ok(
        await sec.post('/api/programme/rates', { from: 'USD', to: 'EUR', rate: '0.93', asOf: '2026-07-01' }),
        201,
      )
    ).id;
    const url = `/api/programme/rates/${ids.rate2}`;
    const no = (body: Json, status: number, message?: RegExp) =>
      refused(sec, url, body, status, 'programme_rates', 'programme.rate.updated', message);
    await no({ version: 1, asOf: '2026-06-01' }, 409, /already exists/);
    await no({ version: 0, rate: '0.94' }, 400);
    await no({ version: 2, rate: '0.94' }, 409, /changed by someone else/);
    await no({ version: 1, to: 'USD' }, 422, /two different currencies/);
    await no({ version: 1, from: 'EUR', to: 'EUR' }, 400, /two different currencies/);
    await no({ version: 1, rate: '0' }, 400, /positive/);
    await no({ version: 1, rate: '-1' }, 400);
    await no({ version: 1, asOf: '2026-13-01' }, 400);
    // Its date moved to a free day: fine.
    const moved = await ok(await sec.patch(url, { version: 1, asOf: '2026-07-02' }));
    assert.equal(moved.asOf, '2026-07-02');
  });

  it('a donor is renamed or relinked at its version; the donor organisations see only what they fund', async () => {
    const url = (id: string) => `/api/programme/donors/${id}`;
    const no = (id: string, body: Json, status: number, message?: RegExp) =>
      refused(sec, url(id), body, status, 'programme_donors', 'programme.donor.updated', message);
    const renamed = await ok(await sec.patch(url(ids.d3), { version: 1, name: 'Donor Three' }));
    assert.deepEqual(renamed, { id: ids.d3, name: 'Donor Three', organisationId: null, version: 2 });
    await no(ids.d3, { version: 1, name: 'Donor 3' }, 409, /changed by someone else/);
    await no(ids.d3, { version: 2, name: '  ' }, 400);
    await no(ids.d3, { version: 2, organisationId: 'not-a-uuid' }, 400);
    await no(ids.d3, { version: 2, organisationId: h.a.id }, 422, /Unknown donor organisation/);
    await no(ids.d3, { version: 2, organisationId: donorOrg1 }, 409, /already linked/);

    // AG-2 moves from donor 2 to donor 3: donor 2's organisation no longer sees it.
    const dash = async (c: Client) => ok(await c.get('/api/programme/donor/dashboard'));
    assert.deepEqual(
      (await dash(donor2)).agreements.map((a: Json) => a.reference),
      ['AG-2'],
    );
    await ok(await sec.patch(`/api/programme/agreements/${ids.ag2}`, { version: 1, donorId: ids.d3 }));
    assert.deepEqual((await dash(donor2)).agreements, []);
    // Donor 2 unlinked, donor 3 linked to its organisation: its users see donor 3's agreement.
    await ok(await sec.patch(url(ids.d2), { version: 1, organisationId: null }));
    await ok(await sec.patch(url(ids.d3), { version: 2, organisationId: donorOrg2 }));
    const d2 = await dash(donor2);
    assert.deepEqual(
      d2.donors.map((d: Json) => d.name),
      ['Donor Three'],
    );
    assert.deepEqual(
      d2.agreements.map((a: Json) => a.reference),
      ['AG-2'],
    );
    // Donor 1 sees its own corrected agreement with its partner's name, and nothing of donor 3's.
    const d1 = await dash(donor1);
    assert.deepEqual(
      d1.agreements.map((a: Json) => [a.reference, a.earmarkPartner]),
      [['AG-1 corrected', (await agreement(ids.ag1)).earmarkPartner]],
    );
    assert.deepEqual(await audits('programme.donor.updated', ids.d3), [
      { fields: ['name'], name: { from: 'Donor Tree', to: 'Donor Three' } },
      { fields: ['organisationId'], organisationId: { from: null, to: donorOrg2 } },
    ]);
  });
});
