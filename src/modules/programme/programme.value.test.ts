import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { readTable } from '../../platform/tables/tables.ts';
import ExcelJS from 'exceljs';
import {
  addAgreement,
  addDonor,
  addResult,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
} from './programme.fixture.ts';
import { partnerWeights, splitByWeights, splitEqually } from './programme.money.ts';
import { perUnit } from './programme.value.ts';

/*
 * The hand-computed example (two currencies, reported in EUR as of 2026-12-31).
 *
 * Rates: USD→EUR 0.8 (2025-01-01, older), 0.9 (2026-01-01, the one used), 2.0 (2027-01-01, after the date).
 * Partnership A (donors 1 and 2), partnership B (donor 2). Agreements: ag1 (donor 1, EUR), ag2 (donor 2, USD).
 * Results of A: outcome O1 → outputs X1, X2, X3. Result of B: output Y1 (under outcome OB).
 *
 * Activities serving A, cost lines each converted once (half away from zero) then split equally
 * between the activity's links, odd cents to the first link:
 *   Act1 → [X1]:      1000.00 EUR (ag1) + 1500.00 USD (ag2) × 0.9 = 1350.00  → 2350.00
 *   Act2 → [X1, X2]:  100.01 EUR (ag1) + 333.33 USD (ag2) × 0.9 = 299.997 → 300.00  → 400.01
 *                     split: X1 200.01, X2 200.00
 *   Act3 → []:        50.00 EUR (ag1)                                         → unlinked 50.00
 *   Act4 (serves A and B) → [X2, Y1]: 99.99 EUR (ag1) → X2 50.00, Y1 49.99 (elsewhere for A)
 * X1 = 2350.00 + 200.01 = 2550.01; X2 = 200.00 + 50.00 = 250.00; X3 = 0.00
 * O1 = 2550.01 + 250.00 + 0.00 = 2800.01; total A = 2350.00 + 400.01 + 50.00 + 99.99 = 2900.00
 *
 * Per unit of indicator change (latest actual vs baseline):
 *   O1 "Complaints handled" ↑ 10 → 40: change 30,   2800.01 / 30   = 93.3336…  → 93.33
 *   X1 "Officers trained"   ↑ 0 → 82.5: change 82.5, 2550.01 / 82.5 = 30.9092…  → 30.91
 *   X1 "Clearance days"     ↓ 5 → 3.5: change 1.5,  2550.01 / 1.5  = 1700.0066… → 1700.01
 *   X1 "Delay complaints"   ↓ 5 → 6:   change −1 → not computable (wrong_direction)
 *   X1 "Survey index"       no actual → not computable (no_actual)
 *   X2 "Codes adopted"      ↑ 0 → 0: change 0 → not computable (no_change)
 *   X3 "Unfunded output"    ↑ 0 → 3, cost 0 → not computable (no_cost)
 *
 * Donor 1 reads only the cost lines of ag1 (EUR, no rate used):
 *   X1 = 1000.00 + 50.01 (100.01 split) = 1050.01; X2 = 50.00 + 50.00 (99.99 split) = 100.00; O1 = 1150.01
 *   X1 "Officers trained": 1050.01 / 82.5 = 12.7274… → 12.73
 * Donor 2 reads only the cost lines of ag2 (USD × 0.9):
 *   X1 = 1350.00 + 150.00 (300.00 split) = 1500.00; X2 = 150.00; O1 = 1650.00
 *
 * In USD (the inverse of USD→EUR 0.9, i.e. EUR→USD 1/0.9), the Secretariat's X1:
 *   Act1: 1000.00 / 0.9 = 1111.111… → 1111.11, + 1500.00 = 2611.11
 *   Act2: 100.01 / 0.9 = 111.122… → 111.12, + 333.33 = 444.45 → split 222.23 / 222.22
 *   X1 = 2611.11 + 222.23 = 2833.34
 */
describe('programme value for money: cost per output, per outcome and per unit of indicator change', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let adminB: Client;
  let donor1: Client;
  let donor2: Client;
  type Key = 'pA' | 'pB' | 'd1' | 'd2' | 'ag1' | 'ag2' | 'O1' | 'X1' | 'X2' | 'X3' | 'OB' | 'Y1';
  const ids = {} as Record<Key | 'act1' | 'act2' | 'act3' | 'act4', string>;
  const ind: Record<string, string> = {};
  const put = (c: Client, url: string, payload: Record<string, unknown>) =>
    c.request({ method: 'PUT', url, payload });
  const vfm = (c: Client, prefix: string, p: string, q = 'currency=EUR&asOf=2026-12-31') =>
    c.get(`/api/programme/${prefix}partnerships/${p}/value-for-money?${q}`);
  const activity = async (title: string, partnershipIds: string[], costs: Json[]) =>
    (
      await ok(
        await sec.post('/api/programme/activities', {
          type: 'workshop',
          title,
          startsOn: '2026-06-01',
          endsOn: '2026-06-02',
          partnershipIds,
          costs,
        }),
        201,
      )
    ).id as string;
  const cost = (agreementId: string, amount: string, currency: string) => ({
    label: 'Cost',
    agreementId,
    amount: { amount, currency },
  });
  const links = async (activityId: string, outputIds: string[]) => {
    const a = await ok(await sec.get(`/api/programme/activities/${activityId}`));
    return put(sec, `/api/programme/activities/${activityId}/outputs`, { version: a.version, outputIds });
  };
  const linkCount = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from programme_activity_outputs'))[0]!
      .n;

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    const world = await programmeWorld(h, 'vfm.');
    ({ sec, donor1, donor2 } = world);
    ids.d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    ids.d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    ids.pA = await partnershipOf(sec, officerA, [ids.d1, ids.d2]);
    ids.pB = await partnershipOf(sec, adminB, [ids.d2]);
    for (const [rate, asOf] of [
      ['0.8', '2025-01-01'],
      ['0.9', '2026-01-01'],
      ['2.0', '2027-01-01'],
    ] as const)
      await ok(await sec.post('/api/programme/rates', { from: 'USD', to: 'EUR', rate, asOf }), 201);
    ids.ag1 = await addAgreement(sec, ids.d1, 'AG1-EUR', '100000.00', 'EUR');
    ids.ag2 = await addAgreement(sec, ids.d2, 'AG2-USD', '100000.00', 'USD');

    ids.O1 = await addResult(sec, ids.pA, 'outcome', 'Integrity improved');
    ids.X1 = await addResult(sec, ids.pA, 'output', 'Officers trained', ids.O1);
    ids.X2 = await addResult(sec, ids.pA, 'output', 'Code of conduct adopted', ids.O1);
    ids.X3 = await addResult(sec, ids.pA, 'output', 'Unfunded output', ids.O1);
    ids.OB = await addResult(sec, ids.pB, 'outcome', 'B outcome');
    ids.Y1 = await addResult(sec, ids.pB, 'output', 'B output', ids.OB);

    const indicator = async (
      resultId: string,
      name: string,
      baseline: string,
      direction: string,
      actual?: string,
    ) => {
      const i = (
        await ok(
          await sec.post(`/api/programme/partnerships/${ids.pA}/indicators`, {
            resultId,
            name,
            unit: 'u',
            baseline,
            // A target on the side of the baseline the direction says (else 400).
            target: direction === 'decrease' ? '0' : '100',
            direction,
          }),
          201,
        )
      ).id as string;
      if (actual !== undefined)
        await ok(
          await sec.post(`/api/programme/indicators/${i}/actuals`, {
            periodLabel: '2026',
            periodStart: '2026-01-01',
            periodEnd: '2026-12-31',
            value: actual,
          }),
          201,
        );
      ind[name] = i;
    };
    await indicator(ids.O1, 'Complaints handled', '10', 'increase', '40');
    await indicator(ids.X1, 'Officers trained', '0', 'increase', '82.5');
    await indicator(ids.X1, 'Clearance days', '5', 'decrease', '3.5');
    await indicator(ids.X1, 'Delay complaints', '5', 'decrease', '6');
    await indicator(ids.X1, 'Survey index', '2', 'increase');
    await indicator(ids.X2, 'Codes adopted', '0', 'increase', '0');
    await indicator(ids.X3, 'Unfunded output', '0', 'increase', '3');

    ids.act1 = await activity(
      'Act1',
      [ids.pA],
      [cost(ids.ag1, '1000.00', 'EUR'), cost(ids.ag2, '1500.00', 'USD')],
    );
    ids.act2 = await activity(
      'Act2',
      [ids.pA],
      [cost(ids.ag1, '100.01', 'EUR'), cost(ids.ag2, '333.33', 'USD')],
    );
    ids.act3 = await activity('Act3', [ids.pA], [cost(ids.ag1, '50.00', 'EUR')]);
    ids.act4 = await activity('Act4', [ids.pA, ids.pB], [cost(ids.ag1, '99.99', 'EUR')]);
  });
  after(() => h.close());

  it('splits exactly and divides by the change achieved (unit)', () => {
    assert.deepEqual(splitEqually(40001n, 2), [20001n, 20000n]);
    // By weights: equal weights as splitEqually; the left-over cent to the largest remainder.
    assert.deepEqual(splitByWeights(100n, [1n, 1n, 1n]), splitEqually(100n, 3));
    assert.deepEqual(splitByWeights(28001n, [3333n, 6667n]), [9333n, 18668n]);
    assert.deepEqual(splitByWeights(10001n, [3333n, 6667n]), [3333n, 6668n]);
    assert.deepEqual(splitByWeights(30001n, [10000n, 20001n]), [10000n, 20001n]);
    const shares = [
      { partnershipId: 'a', percent: '33.33' },
      { partnershipId: 'b', percent: '66.67' },
    ];
    assert.deepEqual(partnerWeights({ partnershipIds: ['b', 'a'], costShares: shares }), [6667n, 3333n]);
    assert.deepEqual(partnerWeights({ partnershipIds: ['a', 'b'], costShares: null }), [1n, 1n]);
    assert.deepEqual(splitEqually(10n, 3), [4n, 3n, 3n]);
    const i = (baseline: string, value: string | null, direction: 'increase' | 'decrease' = 'increase') => ({
      id: '00000000-0000-7000-8000-000000000000',
      name: 'n',
      unit: 'u',
      baseline,
      target: '1',
      direction,
      link: null,
      version: 1,
      actuals: [],
      latest:
        value === null
          ? null
          : {
              id: null,
              version: null,
              periodLabel: 'p',
              periodStart: null,
              periodEnd: null,
              value,
              source: 'entered' as const,
              status: 'ok' as const,
              evidence: null,
            },
    });
    assert.equal(perUnit(i('0', '82.5'), 255001n, 'EUR').costPerUnit, '30.91');
    assert.equal(perUnit(i('0.0001', '0.0003'), 1n, 'JPY').costPerUnit, '5000');
    assert.equal(perUnit(i('-2', '1'), 300n, 'EUR').change, '3');
    assert.equal(perUnit(i('5', '6', 'decrease'), 300n, 'EUR').change, '-1');
    assert.equal(perUnit(i('5', null), 300n, 'EUR').reason, 'no_actual');
  });

  it('links activities to outputs; bad links are 4xx and store nothing', async () => {
    await ok(await links(ids.act1, [ids.X1]));
    await ok(await links(ids.act2, [ids.X1, ids.X2]));
    const four = await ok(await links(ids.act4, [ids.X2, ids.Y1]));
    assert.deepEqual(four.outputIds, [ids.X2, ids.Y1], 'in the order given');
    const n = await linkCount();
    const act3 = await ok(await sec.get(`/api/programme/activities/${ids.act3}`));
    const url = `/api/programme/activities/${ids.act3}/outputs`;
    const refused = async (payload: Record<string, unknown>, status: number, why: string) => {
      const res = await put(sec, url, payload);
      assert.equal(res.statusCode, status, `${why}: ${res.body.slice(0, 300)}`);
      return res.json() as Json;
    };
    const unknown = '01900000-0000-7000-8000-000000000000';
    assert.match(
      (await refused({ version: act3.version, outputIds: [unknown] }, 422, 'unknown output')).detail,
      /Unknown output/,
    );
    await refused({ version: act3.version, outputIds: [ids.O1] }, 422, 'an outcome is not an output');
    assert.match(
      (
        await refused(
          { version: act3.version, outputIds: [ids.X3, ids.Y1] },
          422,
          "another partnership's output",
        )
      ).detail,
      /does not serve/,
    );
    await refused({ version: act3.version, outputIds: [ids.X3, ids.X3] }, 400, 'twice');
    await refused({ version: act3.version, outputIds: 'x' }, 400, 'not a list');
    await refused({ version: act3.version + 1, outputIds: [ids.X3] }, 409, 'stale version');
    assert.equal(
      (await put(sec, `/api/programme/activities/${unknown}/outputs`, { version: 1, outputIds: [] }))
        .statusCode,
      404,
    );
    assert.equal((await put(officerA, url, { version: act3.version, outputIds: [ids.X3] })).statusCode, 403);
    assert.equal((await put(donor1, url, { version: act3.version, outputIds: [ids.X3] })).statusCode, 403);
    assert.equal(await linkCount(), n, 'nothing stored');
    assert.equal((await ok(await sec.get(`/api/programme/activities/${ids.act3}`))).version, act3.version);
    // Relinking keeps the links' order and bumps the version; an empty list unlinks.
    const again = await ok(await links(ids.act3, [ids.X3]));
    assert.equal(again.version, act3.version + 1);
    await ok(await links(ids.act3, []));
    assert.equal(await linkCount(), n);
  });

  it("the Secretariat's figures match the hand-computed example (EUR, two currencies)", async () => {
    const v = await ok(await vfm(sec, '', ids.pA));
    assert.equal(v.costBasis, 'all');
    assert.deepEqual(v.rates, [{ from: 'USD', to: 'EUR', rate: '0.9', asOf: '2026-01-01', inverse: false }]);
    const [o] = v.outcomes;
    assert.deepEqual(
      [o.cost, ...o.outputs.map((x: Json) => x.cost)],
      ['2800.01', '2550.01', '250.00', '0.00'],
    );
    assert.deepEqual([v.total, v.unlinked, v.elsewhere], ['2900.00', '50.00', '49.99']);
    assert.deepEqual(
      o.outputs[0].activities.map((a: Json) => [a.title, a.share]),
      [
        ['Act1', '2350.00'],
        ['Act2', '200.01'],
      ],
    );
    assert.deepEqual(
      o.outputs[1].activities.map((a: Json) => [a.title, a.share]),
      [
        ['Act2', '200.00'],
        ['Act4', '50.00'],
      ],
    );
    const rows = [...o.indicators, ...o.outputs.flatMap((x: Json) => x.indicators)].map((i: Json) => [
      i.name,
      i.change,
      i.costPerUnit,
      i.reason,
    ]);
    assert.deepEqual(rows, [
      ['Complaints handled', '30', '93.33', null],
      ['Officers trained', '82.5', '30.91', null],
      ['Clearance days', '1.5', '1700.01', null],
      ['Delay complaints', '-1', null, 'wrong_direction'],
      ['Survey index', null, null, 'no_actual'],
      ['Codes adopted', '0', null, 'no_change'],
      ['Unfunded output', '3', null, 'no_cost'],
    ]);
    const act4 = v.activities.find((a: Json) => a.id === ids.act4);
    assert.deepEqual([act4.cost, act4.outputIds, act4.links], ['99.99', [ids.X2], 2]);
  });

  it('in USD, the inverse rate converts each EUR cost line once', async () => {
    const v = await ok(await vfm(sec, '', ids.pA, 'currency=USD&asOf=2026-12-31'));
    assert.equal(v.outcomes[0].outputs[0].cost, '2833.34');
    assert.deepEqual(v.rates, [{ from: 'USD', to: 'EUR', rate: '0.9', asOf: '2026-01-01', inverse: true }]);
    // No rate for GBP: a clear 422 naming the pair.
    const res = await vfm(sec, '', ids.pA, 'currency=GBP&asOf=2026-12-31');
    assert.equal(res.statusCode, 422);
    assert.match(res.json<Json>().detail, /EUR to GBP/);
    assert.equal((await vfm(sec, '', ids.pA, 'currency=XXX')).statusCode, 400);
    assert.equal((await vfm(sec, '', ids.pA, 'currency=EUR&asOf=yesterday')).statusCode, 400);
  });

  it('a donor sees only the costs charged to its own agreements; a partner its own partnership', async () => {
    const d1 = await ok(await vfm(donor1, 'donor/', ids.pA));
    assert.equal(d1.costBasis, 'own_agreements');
    assert.deepEqual(d1.rates, []);
    assert.deepEqual(
      [d1.outcomes[0].cost, ...d1.outcomes[0].outputs.map((x: Json) => x.cost)],
      ['1150.01', '1050.01', '100.00', '0.00'],
    );
    assert.equal(d1.outcomes[0].outputs[0].indicators[0].costPerUnit, '12.73');
    const d2 = await ok(await vfm(donor2, 'donor/', ids.pA));
    assert.deepEqual(
      [d2.outcomes[0].cost, ...d2.outcomes[0].outputs.map((x: Json) => x.cost)],
      ['1650.00', '1500.00', '150.00', '0.00'],
    );
    assert.deepEqual(
      d2.activities.map((a: Json) => a.title).sort(),
      ['Act1', 'Act2'],
      'only the activities it pays for',
    );
    // Donor 1 does not fund B.
    assert.equal((await vfm(donor1, 'donor/', ids.pB)).statusCode, 404);
    // The partner reads its own partnership with every cost (the same figures as the Secretariat)…
    const mine = await ok(await vfm(officerA, 'mine/', ids.pA));
    assert.equal(mine.costBasis, 'all');
    assert.equal(mine.outcomes[0].cost, '2800.01');
    assert.equal(mine.total, '2900.00');
    // …and not the other's; nor the Secretariat's URL.
    assert.equal((await vfm(officerA, 'mine/', ids.pB)).statusCode, 404);
    assert.equal((await vfm(adminB, 'mine/', ids.pA)).statusCode, 404);
    assert.equal((await vfm(officerA, '', ids.pA)).statusCode, 403);
    assert.equal((await vfm(donor1, '', ids.pA)).statusCode, 403);
    // B's own view: Act4's share to Y1 (49.99), its output.
    const b = await ok(await vfm(adminB, 'mine/', ids.pB));
    assert.equal(b.outcomes[0].outputs[0].cost, '49.99');
    // The partner's activities list still shows it no cost line.
    const m = await ok(await officerA.get('/api/programme/mine'));
    assert.ok(m.activities.every((a: Json) => a.costs.length === 0));
  });

  it("the donor report holds a value-for-money sheet (XLSX) or table (CSV part) with the donor's own figures", async () => {
    const url = '/api/programme/donor/report?from=2026-01-01&to=2026-12-31';
    const xlsx = await donor1.request({ method: 'GET', url: `${url}&format=xlsx&currency=EUR` });
    assert.equal(xlsx.statusCode, 200, xlsx.body.slice(0, 300));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    assert.deepEqual(
      wb.worksheets.map((w) => w.name),
      ['A-CIP donor report', 'Value for money', 'Results framework'],
    );
    const sheet = wb.worksheets[1]!;
    const cells = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    assert.deepEqual(cells(1).slice(0, 6), [
      'Partnership',
      'Level',
      'Title',
      'Cost',
      'Change achieved',
      'Cost per unit',
    ]);
    const byTitle = new Map<string, unknown[]>();
    sheet.eachRow((_r, n) => {
      if (n > 1) byTitle.set(String(cells(n)[2]), cells(n));
    });
    assert.equal(byTitle.get('Officers trained')![3], 1050.01);
    assert.deepEqual(byTitle.get('Officers trained (u)')!.slice(4, 7), [82.5, 12.73, 'EUR']);
    assert.equal(
      byTitle.get('Delay complaints (u)')![7],
      'Not computable: the indicator moved the wrong way',
    );
    // CSV holds one table: part=value_for_money, in French, donor 2 in EUR from USD costs, with the rate used.
    const csv = await donor2.request({
      method: 'GET',
      url: `${url}&format=csv&part=value_for_money&currency=EUR`,
      headers: { 'accept-language': 'fr' },
    });
    assert.equal(csv.statusCode, 200, csv.body.slice(0, 300));
    assert.match(String(csv.headers['content-disposition']), /value-for-money\.csv/);
    const t = await readTable(Buffer.from(csv.rawPayload), 'csv');
    assert.deepEqual(t.headers.slice(0, 4), ['Partenariat', 'Niveau', 'Intitulé', 'Coût']);
    const out = t.rows.find((r) => r.Intitulé === 'Officers trained')!;
    assert.deepEqual([out.Niveau, out.Coût], ['Produit', 1500]);
    assert.ok(
      t.rows.some((r) => r.Intitulé === '1 USD = 0.9 EUR (2026-01-01)' && r.Niveau === 'Taux utilisé'),
    );
    // A currency with no rate: a row saying so, not a failed report.
    const gbp = await donor2.request({
      method: 'GET',
      url: `${url}&format=csv&part=value_for_money&currency=GBP`,
    });
    assert.equal(gbp.statusCode, 200);
    assert.match(gbp.body, /No exchange rate from USD to GBP/);
  });

  /*
   * Explicit cost shares (appended last: they change partnership A's figures above).
   * Act5 serves A and B, shares A 33.33 %, B 66.67 %, links [X3, Y1]:
   *   100.01 EUR (ag1) + 200.00 USD (ag2) × 0.9 = 180.00 → 280.01 EUR
   *   A: 280.01 × 0.3333 = 93.327…, B: 280.01 × 0.6667 = 186.682…; rounded down 93.32 + 186.68 = 280.00,
   *   the cent left goes to the larger remainder (A's .7333 > B's .2667): A 93.33, B 186.68
   *   (an equal split would have given 140.01 / 140.00).
   * A: X3 = 93.33, "Unfunded output" ↑ 0 → 3: 93.33 / 3 = 31.11; O1 = 2800.01 + 93.33 = 2893.34;
   *    total 2900.00 + 280.01 = 3180.01; elsewhere 49.99 + 186.68 = 236.67.
   * B: Y1 = 49.99 (Act4, equal split) + 186.68 = 236.67.
   */
  it('explicit cost shares per partner replace the equal split; bad shares are a clear 422 and store nothing', async () => {
    const count = async () =>
      (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from programme_activities'))[0]!.n;
    const before = await count();
    const create = (costShares: Json[] | null, costs: Json[] = [cost(ids.ag1, '100.01', 'EUR')]) =>
      sec.post('/api/programme/activities', {
        type: 'workshop',
        title: 'Shared',
        startsOn: '2026-07-01',
        endsOn: '2026-07-02',
        partnershipIds: [ids.pA, ids.pB],
        costs,
        costShares,
      });
    const pct = (a: string, b: string) => [
      { partnershipId: ids.pA, percent: a },
      { partnershipId: ids.pB, percent: b },
    ];
    const amt = (a: string, b: string, currency = 'EUR') => [
      { partnershipId: ids.pA, amount: { amount: a, currency } },
      { partnershipId: ids.pB, amount: { amount: b, currency } },
    ];
    for (const [shares, detail, costs] of [
      [pct('33.33', '66.66'), /add up to 100 %, not 99.99 %/],
      [pct('50', '60'), /add up to 100 %, not 110.00 %/],
      [[{ partnershipId: ids.pA, percent: '100' }], /each of the activity's partners/],
      [[...pct('50', '50'), { partnershipId: ids.pA, percent: '0' }], /each of the activity's partners/],
      [[pct('50', '50')[0], amt('50.00', '50.01')[1]], /not a mix/],
      [amt('50.00', '50.00'), /add up to the activity's cost, 100.01 EUR, not 100.00/],
      [amt('50.00', '50.01', 'USD'), /currency/],
      [amt('50.00', '50.01'), /currency/, [cost(ids.ag1, '100.01', 'EUR'), cost(ids.ag2, '1.00', 'USD')]],
      [amt('0.00', '0.00'), /need cost lines/, []],
    ] as [Json[], RegExp, Json[]?][]) {
      const res = await create(shares, costs);
      assert.equal(res.statusCode, 422, JSON.stringify(shares));
      assert.match(res.json<Json>().detail, detail);
    }
    for (const bad of [
      pct('33.333', '66.667'),
      [{ partnershipId: ids.pA, percent: '-5' }],
      [{ partnershipId: ids.pA }],
    ])
      assert.equal((await create(bad)).statusCode, 400, JSON.stringify(bad));
    assert.equal(await count(), before, 'nothing stored');

    // Amount shares that add up are kept as given.
    const byAmount = await ok(await create(amt('30.00', '70.01')), 201);
    assert.deepEqual(byAmount.costShares, amt('30.00', '70.01'));

    const act5 = await ok(
      await create(pct('33.33', '66.67'), [cost(ids.ag1, '100.01', 'EUR'), cost(ids.ag2, '200.00', 'USD')]),
      201,
    );
    assert.deepEqual(act5.costShares, pct('33.33', '66.67'));
    await ok(await links(act5.id, [ids.X3, ids.Y1]));
    const v = await ok(await vfm(sec, '', ids.pA));
    const [o] = v.outcomes;
    assert.deepEqual([o.cost, o.outputs[2].cost], ['2893.34', '93.33']);
    assert.deepEqual(
      o.outputs[2].indicators.map((i: Json) => [i.name, i.costPerUnit]),
      [['Unfunded output', '31.11']],
    );
    // Act5's whole cost counts in A's total; B's share is elsewhere (the amount-shared activity
    // above has no links: A's 30.00 is unlinked, B's 70.01 elsewhere).
    assert.deepEqual([v.total, v.unlinked, v.elsewhere], ['3280.02', '80.00', '306.68']);
    const b = await ok(await vfm(sec, '', ids.pB));
    assert.equal(b.outcomes[0].outputs[0].cost, '236.67');
  });
});
