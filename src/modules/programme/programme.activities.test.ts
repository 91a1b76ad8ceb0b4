import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import {
  addAgreement,
  addDonor,
  addResult,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
} from './programme.fixture.ts';

/*
 * Editing an activity (PATCH /api/programme/activities/:id), with hand-computed figures in EUR
 * (no rate needed):
 *
 * "Shared workshop" serves partnerships A and B with cost shares A 40 % / B 60 % and is linked to
 * output X1 (of A) and Y1 (of B). One cost line of 100.00 EUR (ag1, donor 1):
 *   X1 = 40 % × 100.00 = 40.00; Y1 = 60.00.
 * Its cost lines replaced by 250.00 + 49.99 = 299.99 EUR (ag1 and ag2):
 *   X1 = 40 % × 29 999 cents = 11 999.6, Y1 = 60 % = 17 999.4: 11 999 + 17 999 = 29 998, the odd
 *   cent to the larger remainder (X1) → X1 120.00, Y1 179.99. Donor 1's agreement has spent
 *   800.00 (the mission) + 250.00 = 1 050.00, donor 2's 49.99.
 */
describe('programme: editing an activity', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let adminB: Client;
  let pmA: Client;
  let staffA: Client;
  let donor1: Client;
  type Key = 'd1' | 'd2' | 'pA' | 'pB' | 'ag1' | 'ag2' | 'X1' | 'Y1' | 'mission' | 'shared';
  const ids = {} as Record<Key, string>;
  const put = (c: Client, url: string, payload: Record<string, unknown>) =>
    c.request({ method: 'PUT', url, payload });
  const cost = (label: string, agreementId: string, amount: string) => ({
    label,
    agreementId,
    amount: { amount, currency: 'EUR' },
  });
  const pct = (a: string, b: string) => [
    { partnershipId: ids.pA, percent: a },
    { partnershipId: ids.pB, percent: b },
  ];
  const read = async (id: string) => ok(await sec.get(`/api/programme/activities/${id}`));
  const edit = (c: Client, id: string, body: Json) => c.patch(`/api/programme/activities/${id}`, body);
  const outputCost = async (partnershipId: string, outputId: string) => {
    const v = await ok(
      await sec.get(
        `/api/programme/partnerships/${partnershipId}/value-for-money?currency=EUR&asOf=2026-12-31`,
      ),
    );
    return v.outcomes.flatMap((o: Json) => o.outputs).find((x: Json) => x.id === outputId).cost as string;
  };
  /** What must not move when an edit is refused: the activity as read, its cost rows, the audit. */
  const snapshot = async (id: string) => ({
    activity: await read(id),
    costs: await h.kernel.db.query(
      'select id, label, amount_minor from programme_costs where activity_id = $1 order by id',
      [id],
    ),
    audit: await h.kernel.db.query(
      "select count(*)::int as n from audit_events where action = 'programme.activity.updated' and entity_id = $1",
      [id],
    ),
  });

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    staffA = await h.as(h.a.users.staff.email);
    const world = await programmeWorld(h, 'edit.');
    ({ sec, donor1 } = world);
    ids.d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    ids.d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    ids.pA = await partnershipOf(sec, officerA, [ids.d1]);
    ids.pB = await partnershipOf(sec, adminB, [ids.d2]);
    ids.ag1 = await addAgreement(sec, ids.d1, 'AG1', '10000.00', 'EUR');
    ids.ag2 = await addAgreement(sec, ids.d2, 'AG2', '10000.00', 'EUR');
    const oA = await addResult(sec, ids.pA, 'outcome', 'OA');
    ids.X1 = await addResult(sec, ids.pA, 'output', 'Officers trained', oA);
    const oB = await addResult(sec, ids.pB, 'outcome', 'OB');
    ids.Y1 = await addResult(sec, ids.pB, 'output', 'Codes adopted', oB);
    ids.mission = (
      await ok(
        await sec.post('/api/programme/activities', {
          type: 'scoping_mission',
          title: 'Scoping misison',
          startsOn: '2026-06-01',
          endsOn: '2026-06-02',
          partnershipIds: [ids.pA],
          experts: ['Expert One'],
          participants: [{ role: 'management', women: 2, men: 3 }],
          costs: [cost('Travel', ids.ag1, '800.00')],
          outputs: 'Scoping note',
        }),
        201,
      )
    ).id;
    const shared = await ok(
      await sec.post('/api/programme/activities', {
        type: 'workshop',
        title: 'Shared workshop',
        startsOn: '2026-07-01',
        endsOn: '2026-07-02',
        partnershipIds: [ids.pA, ids.pB],
        costs: [cost('Venue', ids.ag1, '100.00')],
        costShares: pct('40', '60'),
      }),
      201,
    );
    ids.shared = shared.id;
    await ok(
      await put(sec, `/api/programme/activities/${ids.shared}/outputs`, {
        version: shared.version,
        outputIds: [ids.X1, ids.Y1],
      }),
    );
  });
  after(async () => h?.close());

  it('the Secretariat corrects the title and dates; the rest stays; the audit names the fields', async () => {
    const was = await read(ids.mission);
    const res = await ok(
      await edit(sec, ids.mission, {
        version: was.version,
        title: 'Scoping mission',
        startsOn: '2026-06-03',
        endsOn: '2026-06-05',
      }),
    );
    assert.deepEqual(
      [res.title, res.startsOn, res.endsOn, res.version],
      ['Scoping mission', '2026-06-03', '2026-06-05', was.version + 1],
    );
    const { title, startsOn, endsOn, version, ...rest } = await read(ids.mission);
    assert.deepEqual([title, startsOn, endsOn, version], [res.title, res.startsOn, res.endsOn, res.version]);
    const { title: _t, startsOn: _s, endsOn: _e, version: _v, ...restBefore } = was;
    assert.deepEqual(rest, restBefore, 'type, partners, experts, participants, costs, outputs unchanged');
    const [audit] = await h.kernel.db.query<{ data: Json }>(
      "select data from audit_events where action = 'programme.activity.updated' and entity_id = $1",
      [ids.mission],
    );
    assert.deepEqual(audit!.data, { fields: ['title', 'startsOn', 'endsOn'] });

    // The list shows the new title; saving the same values again changes nothing (no new version).
    const list = (await ok(await sec.get('/api/programme/activities'))).items as Json[];
    assert.equal(list.find((a) => a.id === ids.mission)!.title, 'Scoping mission');
    const again = await ok(await edit(sec, ids.mission, { version: res.version, title: 'Scoping mission' }));
    assert.equal(again.version, res.version);

    // Experts, participants, outputs and report are editable too.
    const more = await ok(
      await edit(sec, ids.mission, {
        version: res.version,
        type: 'diagnostic_mission',
        experts: ['Expert One', 'Expert Two'],
        participants: [{ role: 'officer', women: 4, men: 1 }],
        outputs: 'Scoping and diagnostic note',
        report: 'Delivered',
      }),
    );
    assert.deepEqual(
      [more.type, more.experts, more.participants, more.outputs, more.report],
      [
        'diagnostic_mission',
        ['Expert One', 'Expert Two'],
        [{ role: 'officer', women: 4, men: 1 }],
        'Scoping and diagnostic note',
        'Delivered',
      ],
    );
  });

  it('replacing the cost lines changes value for money and what each donor has spent', async () => {
    assert.deepEqual(
      [await outputCost(ids.pA, ids.X1), await outputCost(ids.pB, ids.Y1)],
      ['40.00', '60.00'],
    );
    const was = await read(ids.shared);
    const res = await ok(
      await edit(sec, ids.shared, {
        version: was.version,
        costs: [cost('Venue', ids.ag1, '250.00'), cost('Interpretation', ids.ag2, '49.99')],
      }),
    );
    assert.deepEqual(res.costs.map((c: Json) => [c.label, c.amount.amount]).sort(), [
      ['Interpretation', '49.99'],
      ['Venue', '250.00'],
    ]);
    const rows = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from programme_costs where activity_id = $1',
      [ids.shared],
    );
    assert.equal(rows[0]!.n, 2, 'the old line replaced, not kept');
    assert.deepEqual(
      [await outputCost(ids.pA, ids.X1), await outputCost(ids.pB, ids.Y1)],
      ['120.00', '179.99'],
    );
    const spent = ((await ok(await sec.get('/api/programme/agreements'))).items as Json[]).map((a) => [
      a.reference,
      a.spent,
    ]);
    assert.deepEqual(spent, [
      ['AG1', [{ amount: '1050.00', currency: 'EUR' }]],
      ['AG2', [{ amount: '49.99', currency: 'EUR' }]],
    ]);
    // Donor 1 sees the activity with its own cost line only.
    const dash = await ok(await donor1.get('/api/programme/donor/dashboard'));
    const seen = (dash.activities as Json[]).find((a) => a.id === ids.shared)!;
    assert.deepEqual(seen.costs, [cost('Venue', ids.ag1, '250.00')]);
  });

  it('a stale version is a 409 and changes nothing', async () => {
    const before = await snapshot(ids.shared);
    const res = await edit(sec, ids.shared, {
      version: before.activity.version - 1,
      title: 'Overwritten',
      costs: [],
    });
    assert.equal(res.statusCode, 409, res.body);
    assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    assert.match(res.json<Json>().detail, /changed by someone else/);
    assert.deepEqual(await snapshot(ids.shared), before);
  });

  it('partners and shares are checked on the result: old shares do not silently survive a removed partner', async () => {
    const before = await snapshot(ids.shared);
    const v = before.activity.version;
    for (const [body, detail] of [
      // Removing B while keeping the 40/60 shares.
      [{ partnershipIds: [ids.pA] }, /each of the activity's partners/],
      // Shares that no longer add up.
      [{ costShares: pct('40', '50') }, /add up to 100 %, not 90.00 %/],
      // Amount shares must add up to the cost lines' total (299.99).
      [
        {
          costShares: [
            { partnershipId: ids.pA, amount: { amount: '100.00', currency: 'EUR' } },
            { partnershipId: ids.pB, amount: { amount: '100.00', currency: 'EUR' } },
          ],
        },
        /add up to the activity's cost, 299.99 EUR, not 200.00/,
      ],
      // Equal split, but B's output is still linked to the activity.
      [{ partnershipIds: [ids.pA], costShares: null }, /contributes to outputs of Tenant B/],
      [{ partnershipIds: [ids.pA, '00000000-0000-4000-8000-000000000000'] }, /Unknown partner/],
      [{ costs: [cost('Venue', '00000000-0000-4000-8000-000000000000', '1.00')] }, /Unknown agreement/],
      // The merged period: an end before the stored start.
      [{ endsOn: '2026-06-30' }, /ends before it starts/],
    ] as [Json, RegExp][]) {
      const res = await edit(sec, ids.shared, { version: v, ...body });
      assert.equal(res.statusCode, 422, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.json<Json>().detail, detail);
    }
    assert.deepEqual(await snapshot(ids.shared), before, 'nothing stored');

    // Unlinking B's output, then removing B with an equal split, is accepted: X1 takes it all.
    const linked = await ok(
      await put(sec, `/api/programme/activities/${ids.shared}/outputs`, { version: v, outputIds: [ids.X1] }),
    );
    const res = await ok(
      await edit(sec, ids.shared, { version: linked.version, partnershipIds: [ids.pA], costShares: null }),
    );
    assert.deepEqual([res.partnershipIds, res.costShares], [[ids.pA], null]);
    assert.equal(await outputCost(ids.pA, ids.X1), '299.99');
  });

  it('only the Secretariat edits: a donor or an administration is refused (403), even with programme.manage (404)', async () => {
    const before = await snapshot(ids.mission);
    const body = { version: before.activity.version, title: 'Renamed' };
    for (const c of [donor1, officerA, staffA])
      assert.equal((await edit(c, ids.mission, body)).statusCode, 403);
    assert.equal((await edit(pmA, ids.mission, body)).statusCode, 404);
    assert.equal((await edit(sec, '00000000-0000-4000-8000-000000000000', body)).statusCode, 404);
    assert.deepEqual(await snapshot(ids.mission), before);
  });

  it('a bad body is a 400 problem+json and changes nothing', async () => {
    const before = await snapshot(ids.mission);
    const v = before.activity.version;
    for (const body of [
      { version: v, title: 'x', unknown: true },
      { version: v, startsOn: '2026-06-05', endsOn: '2026-06-01' },
      { title: 'no version' },
      { version: v, title: '   ' },
      { version: v, type: 'picnic' },
      {
        version: v,
        costs: [{ label: 'x', agreementId: ids.ag1, amount: { amount: '1.005', currency: 'EUR' } }],
      },
      { version: v, costShares: [{ partnershipId: ids.pA, percent: '-5' }] },
    ]) {
      const res = await edit(sec, ids.mission, body);
      assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
      assert.match(res.headers['content-type'] as string, /application\/problem\+json/);
    }
    assert.equal((await edit(sec, 'not-a-uuid', { version: v })).statusCode, 400);
    assert.deepEqual(await snapshot(ids.mission), before);
  });
});
