import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import ExcelJS from 'exceljs';
import { readTable } from '../../platform/tables/tables.ts';
import {
  addAgreement,
  addDonor,
  addResult,
  EOI,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
} from './programme.fixture.ts';
import { WCO_REGIONS } from './programme.vocab.ts';

// Input the programme used to store although it contradicts itself or what is stored
// (/work/helpers/findings-programme.md): each is a 4xx problem+json naming the field, nothing stored.

/** A 400 problem+json whose message (or a detail's) matches `message`. */
function refused(
  res: { statusCode: number; body: string; headers: Record<string, unknown> },
  message: RegExp,
  status = 400,
) {
  assert.equal(res.statusCode, status, res.body.slice(0, 600));
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  assert.match(res.body, message);
}

describe('programme validation: contradictory input is refused', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let adminB: Client;
  let donor1: Client;
  let donor2: Client;
  const ids = { d1: '', d2: '', pA: '', pB: '' };
  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    adminB = await h.as(h.b.users.org_admin.email);
    const w = await programmeWorld(h, 'val.');
    ({ sec, donor1, donor2 } = w);
    ids.d1 = await addDonor(sec, 'Donor One', w.donorOrg1);
    ids.d2 = await addDonor(sec, 'Donor Two', w.donorOrg2);
    ids.pA = await partnershipOf(sec, officerA, [ids.d1]);
    ids.pB = await partnershipOf(sec, adminB, [ids.d2]);
  });
  after(() => h.close());

  it("an indicator's target lies on the side of its baseline its direction says (400)", async () => {
    const out = await addResult(sec, ids.pA, 'outcome', 'Fewer delays');
    const url = `/api/programme/partnerships/${ids.pA}/indicators`;
    const base = { resultId: out, name: 'n', unit: '%' };
    refused(
      await sec.post(url, { ...base, baseline: '10', target: '5', direction: 'increase' }),
      /rising indicator/,
    );
    refused(
      await sec.post(url, { ...base, baseline: '5', target: '10.5', direction: 'decrease' }),
      /falling one/,
    );
    const none = await ok(await sec.get(`/api/programme/partnerships/${ids.pA}/results`));
    assert.equal(JSON.stringify(none).includes('"name":"n"'), false, 'nothing stored');
    // Equal is "hold the level"; the right side is stored.
    await ok(
      await sec.post(url, { ...base, name: 'hold', baseline: '7', target: '7', direction: 'decrease' }),
      201,
    );
    const i = await ok(
      await sec.post(url, { ...base, baseline: '10', target: '12.5', direction: 'increase' }),
      201,
    );
    // An edit is checked against what it keeps: turning it to "decrease" with the target above is refused.
    const patch = (body: Json) => sec.patch(`/api/programme/indicators/${i.id}`, { version: 1, ...body });
    refused(await patch({ direction: 'decrease' }), /falling one/);
    refused(await patch({ target: '9' }), /rising indicator/);
    const v = await ok(await patch({ direction: 'decrease', target: '9' }));
    assert.equal(v.version, 2);
  });

  it('the same donor or partner twice is refused (400), nothing stored', async () => {
    const eoi = (await ok(await adminB.post('/api/programme/eois', EOI), 201)).id;
    const move = async (to: string, extra: Json = {}) => {
      const cur = await ok(await sec.get(`/api/programme/eois/${eoi}`));
      return sec.post(`/api/programme/eois/${eoi}/transition`, {
        version: cur.version,
        to,
        reason: 'r',
        decidedOn: '2026-04-01',
        ...extra,
      });
    };
    await ok(await move('screening'));
    await ok(await move('eligible_awaiting_funding', { estimatedCost: { amount: '5.00', currency: 'EUR' } }));
    const P = {
      startsOn: '2026-05-01',
      endsOn: '2028-12-31',
      coordinatorName: 'C',
      coordinatorEmail: 'c@example.org',
    };
    refused(await move('partner', { partnership: { ...P, donorIds: [ids.d2, ids.d2] } }), /once/);
    assert.equal((await ok(await sec.get(`/api/programme/eois/${eoi}`))).status, 'eligible_awaiting_funding');
    const list = async () => (await ok(await sec.get('/api/programme/partnerships'))).items as Json[];
    assert.equal(
      (await list()).some((p) => p.eoiId === eoi),
      false,
    );

    const pa = (await list()).find((p) => p.id === ids.pA)!;
    refused(
      await sec.patch(`/api/programme/partnerships/${ids.pA}`, {
        version: pa.version,
        donorIds: [ids.d1, ids.d1],
      }),
      /once/,
    );
    assert.deepEqual((await list()).find((p) => p.id === ids.pA)!.donorIds, [ids.d1]);

    const act = { type: 'workshop', title: 'Twice', startsOn: '2026-06-01', endsOn: '2026-06-02' };
    refused(
      await sec.post('/api/programme/activities', { ...act, partnershipIds: [ids.pA, ids.pA] }),
      /once/,
    );
    const a = await ok(
      await sec.post('/api/programme/activities', { ...act, partnershipIds: [ids.pA] }),
      201,
    );
    refused(
      await sec.patch(`/api/programme/activities/${a.id}`, {
        version: a.version,
        partnershipIds: [ids.pB, ids.pB],
      }),
      /once/,
    );
    assert.deepEqual((await ok(await sec.get(`/api/programme/activities/${a.id}`))).partnershipIds, [ids.pA]);
  });

  it("an earmarked agreement pays only for activities serving its partner or region (400); the donor's report does not show them", async () => {
    const forB = await addAgreement(sec, ids.d2, 'AG-B', '500.00', 'USD', { earmarkPartnershipId: ids.pB });
    const act = {
      type: 'workshop',
      title: 'Only A',
      startsOn: '2026-06-01',
      endsOn: '2026-06-02',
      partnershipIds: [ids.pA],
    };
    const cost = (agreementId: string, currency = 'USD') => [
      { label: 'venue', agreementId, amount: { amount: '10.00', currency } },
    ];
    refused(await sec.post('/api/programme/activities', { ...act, costs: cost(forB) }), /AG-B.*earmarked/);
    const csv = await donor2.get('/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=csv');
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.body.includes('Only A'), false, csv.body);
    // Serving B (with A) it may pay.
    await ok(
      await sec.post('/api/programme/activities', {
        ...act,
        title: 'A and B',
        partnershipIds: [ids.pA, ids.pB],
        costs: cost(forB),
      }),
      201,
    );
    // An edit that drops B while AG-B pays is refused too.
    const onlyA = await ok(await sec.post('/api/programme/activities', { ...act, title: 'A again' }), 201);
    refused(
      await sec.patch(`/api/programme/activities/${onlyA.id}`, { version: onlyA.version, costs: cost(forB) }),
      /earmarked/,
    );

    // By region: at least one of the activity's partners is in that region.
    const parts = (await ok(await sec.get('/api/programme/partnerships'))).items as Json[];
    const regionA = parts.find((p) => p.id === ids.pA)!.region as string | null;
    const elsewhere = WCO_REGIONS.find(
      (r) => r !== regionA && r !== parts.find((p) => p.id === ids.pB)!.region,
    )!;
    const far = await addAgreement(sec, ids.d1, 'AG-FAR', '500.00', 'EUR', { earmarkRegion: elsewhere });
    refused(
      await sec.post('/api/programme/activities', { ...act, costs: cost(far, 'EUR') }),
      new RegExp(`AG-FAR.*${elsewhere}`),
    );
    // A regional event serving no partner is placed by the agreement's region itself.
    await ok(
      await sec.post('/api/programme/activities', {
        ...act,
        title: 'Regional event',
        partnershipIds: [],
        costs: cost(far, 'EUR'),
      }),
      201,
    );
    if (regionA) {
      const near = await addAgreement(sec, ids.d1, 'AG-NEAR', '500.00', 'EUR', { earmarkRegion: regionA });
      await ok(await sec.post('/api/programme/activities', { ...act, costs: cost(near, 'EUR') }), 201);
    }
    // Earmarking an agreement afterwards to a partner its activities do not serve is refused.
    const free = await addAgreement(sec, ids.d1, 'AG-FREE', '500.00', 'EUR');
    await ok(
      await sec.post('/api/programme/activities', { ...act, title: 'Free', costs: cost(free, 'EUR') }),
      201,
    );
    refused(
      await sec.patch(`/api/programme/agreements/${free}`, { version: 1, earmarkPartnershipId: ids.pB }),
      /earmarked|serve/,
    );
    refused(
      await sec.patch(`/api/programme/agreements/${free}`, { version: 1, earmarkRegion: elsewhere }),
      /earmarked|serve/,
    );
  });

  it("shortening a partnership so its plan's phases fall outside is refused (409 naming them)", async () => {
    const pC = await partnershipOf(sec, officerA, [ids.d1]);
    const plan = {
      version: 1,
      phases: [
        { label: 'Inception', startsOn: '2026-05-01', endsOn: '2026-12-31' },
        { label: 'Roll-out', startsOn: '2027-01-01', endsOn: '2028-12-31' },
      ],
      kpis: [],
    };
    await ok(
      await sec.request({ method: 'PUT', url: `/api/programme/partnerships/${pC}/plan`, payload: plan }),
    );
    const version = ((await ok(await sec.get('/api/programme/partnerships'))).items as Json[]).find(
      (p) => p.id === pC,
    )!.version;
    const patch = (body: Json) => sec.patch(`/api/programme/partnerships/${pC}`, { version, ...body });
    const r = await patch({ endsOn: '2027-01-31' });
    refused(r, /Roll-out/, 409);
    assert.equal(r.body.includes('Inception'), false);
    refused(await patch({ startsOn: '2026-06-01' }), /Inception/, 409);
    const p = ((await ok(await sec.get('/api/programme/partnerships'))).items as Json[]).find(
      (x) => x.id === pC,
    )!;
    assert.deepEqual([p.startsOn, p.endsOn, p.version], ['2026-05-01', '2028-12-31', version]);
    // Longer is fine.
    await ok(await patch({ endsOn: '2029-06-30' }));
  });

  it('a pipeline decision is not dated before the previous one nor before the endorsement (400)', async () => {
    const eoi = (await ok(await adminB.post('/api/programme/eois', EOI), 201)).id;
    const move = async (to: string, decidedOn: string, extra: Json = {}) => {
      const cur = await ok(await sec.get(`/api/programme/eois/${eoi}`));
      return sec.post(`/api/programme/eois/${eoi}/transition`, {
        version: cur.version,
        to,
        reason: 'r',
        decidedOn,
        ...extra,
      });
    };
    refused(await move('screening', '2026-03-01'), /2026-03-02/);
    await ok(await move('screening', '2026-04-01'));
    const cost = { estimatedCost: { amount: '5.00', currency: 'EUR' } };
    refused(await move('eligible_awaiting_funding', '1999-01-01', cost), /2026-04-01/);
    const e = await ok(await sec.get(`/api/programme/eois/${eoi}`));
    assert.deepEqual([e.status, e.events.length], ['screening', 1]);
    // The same day as the previous decision is fine.
    await ok(await move('eligible_awaiting_funding', '2026-04-01', cost));
  });

  it('a disbursement falls inside its agreement and the total stays within its amount, in exact minor units (400)', async () => {
    const ag = await addAgreement(sec, ids.d1, 'AG-D', '0.30', 'EUR', {
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
    });
    const url = `/api/programme/agreements/${ag}/disbursements`;
    const pay = (receivedOn: string, amount: string) =>
      sec.post(url, { receivedOn, amount: { amount, currency: 'EUR' } });
    refused(await pay('2025-12-31', '0.10'), /2026-01-01/);
    refused(await pay('2027-01-01', '0.10'), /2026-12-31/);
    // 0.10 + 0.20 is exactly 0.30 (as doubles it is 0.30000000000000004): both accepted.
    await ok(await pay('2026-01-01', '0.10'), 201);
    const full = await ok(await pay('2026-12-31', '0.20'), 201);
    assert.equal(full.disbursed.amount, '0.30');
    refused(await pay('2026-06-01', '0.01'), /0\.30 EUR/);
    const list = (await ok(await sec.get('/api/programme/agreements'))).items as Json[];
    assert.equal(list.find((a) => a.id === ag)!.disbursements.length, 2);
    // The agreement cannot then shrink below what it received, nor leave a disbursement outside.
    const patch = (body: Json) => sec.patch(`/api/programme/agreements/${ag}`, { version: 1, ...body });
    refused(await patch({ amount: { amount: '0.29', currency: 'EUR' } }), /0\.30 EUR/);
    refused(await patch({ endsOn: '2026-12-30' }), /2026-12-31/);
    await ok(await patch({ amount: { amount: '0.30', currency: 'EUR' }, reference: 'AG-D2' }));
  });

  it("a cost line is in its agreement's currency (400), and an agreement keeps the currency its cost lines use", async () => {
    const eur = await addAgreement(sec, ids.d1, 'AG-EUR', '1000.00', 'EUR');
    const act = {
      type: 'workshop',
      title: 'Dollars',
      startsOn: '2026-06-01',
      endsOn: '2026-06-02',
      partnershipIds: [ids.pA],
    };
    const line = (currency: string) => [
      { label: 'venue', agreementId: eur, amount: { amount: '10.00', currency } },
    ];
    refused(await sec.post('/api/programme/activities', { ...act, costs: line('USD') }), /AG-EUR.*EUR/);
    const a = await ok(await sec.post('/api/programme/activities', { ...act, costs: line('EUR') }), 201);
    refused(
      await sec.patch(`/api/programme/activities/${a.id}`, { version: a.version, costs: line('USD') }),
      /EUR/,
    );
    // As with disbursements (422, unchanged): the agreement keeps the currency it is spent in.
    refused(
      await sec.patch(`/api/programme/agreements/${eur}`, {
        version: 1,
        amount: { amount: '1000.00', currency: 'USD' },
      }),
      /Cost lines are charged in EUR/,
      422,
    );
    const ag = ((await ok(await sec.get('/api/programme/agreements'))).items as Json[]).find(
      (x) => x.id === eur,
    )!;
    assert.deepEqual(ag.spent, [{ amount: '10.00', currency: 'EUR' }]);
  });

  it('an agreement may last one day (start = end), not end before it starts', async () => {
    await addAgreement(sec, ids.d1, 'ONE-DAY', '10.00', 'EUR', {
      startsOn: '2026-03-01',
      endsOn: '2026-03-01',
    });
    const r = await sec.post('/api/programme/agreements', {
      donorId: ids.d1,
      reference: 'BACKWARDS',
      amount: { amount: '10.00', currency: 'EUR' },
      startsOn: '2026-03-02',
      endsOn: '2026-03-01',
    });
    refused(r, /ends before it starts/);
  });

  it('the donor report writes every amount and figure exactly (CSV text, XLSX number only when it reads back the same)', async () => {
    await addAgreement(sec, ids.d1, 'HUGE', '999999999999999.99', 'EUR');
    await addAgreement(sec, ids.d1, 'SMALL', '1234.50', 'EUR');
    const out = await addResult(sec, ids.pA, 'outcome', 'Big numbers');
    await ok(
      await sec.post(`/api/programme/partnerships/${ids.pA}/indicators`, {
        resultId: out,
        name: 'Seizures',
        unit: 'EUR',
        baseline: '0',
        target: '123456789012345.1234',
        direction: 'increase',
      }),
      201,
    );
    const url = '/api/programme/donor/report?from=2026-01-01&to=2026-12-31';
    const csv = await donor1.get(`${url}&format=csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /,999999999999999\.99,EUR/);
    assert.equal(csv.body.includes('1000000000000000'), false);
    const t = await readTable(Buffer.from(csv.rawPayload), 'csv');
    const amounts = new Map(t.rows.map((r) => [r[t.headers[2]!], r[t.headers[6]!]]));
    assert.equal(amounts.get('HUGE'), '999999999999999.99');
    assert.equal(amounts.get('SMALL'), 1234.5);

    const xlsx = await donor1.request({ method: 'GET', url: `${url}&format=xlsx` });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const cells = (sheet: ExcelJS.Worksheet) => {
      const rows: unknown[][] = [];
      sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
      return rows;
    };
    const report = cells(wb.worksheets[0]!);
    assert.equal(report.find((r) => r[2] === 'HUGE')![6], '999999999999999.99');
    assert.equal(report.find((r) => r[2] === 'SMALL')![6], 1234.5);
    const results = cells(wb.worksheets.find((w) => w.name === 'Results framework')!);
    const seizures = results.find((r) => r.includes('Seizures'))!;
    assert.ok(seizures.includes('123456789012345.1234'), JSON.stringify(seizures));
    assert.ok(seizures.includes(0), JSON.stringify(seizures));
  });
});
