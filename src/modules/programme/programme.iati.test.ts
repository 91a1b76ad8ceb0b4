import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { addAgreement, addDonor, ok, partnershipOf, programmeWorld } from './programme.fixture.ts';
import { escapeAttr, escapeText, type IatiInput, iatiXml } from './programme.iati.ts';
import { splitEqually } from './programme.money.ts';

// The official IATI 2.03 activity schema, kept as fixtures (fixtures/iati-2.03/README.md).
const dir = path.join(import.meta.dirname, 'fixtures', 'iati-2.03');
const schemaFile = (fileName: string) => ({
  fileName,
  contents: readFileSync(path.join(dir, fileName), 'utf8'),
});
const SCHEMA = schemaFile('iati-activities-schema.xsd');
const PRELOAD = [schemaFile('iati-common.xsd'), schemaFile('xml.xsd')];

async function validate(xml: string) {
  return validateXML({
    xml: { fileName: 'activities.xml', contents: xml },
    schema: SCHEMA,
    preload: PRELOAD,
  });
}

const P1 = '11111111-1111-4111-8111-111111111111';
const P2 = '22222222-2222-4222-8222-222222222222';
const D1 = 'dddddddd-0000-4000-8000-000000000001';
const D2 = 'dddddddd-0000-4000-8000-000000000002';
const A1 = 'aaaaaaaa-0000-4000-8000-000000000001';
const A2 = 'aaaaaaaa-0000-4000-8000-000000000002';
const ACT = 'cccccccc-0000-4000-8000-000000000001';

const INPUT: IatiInput = {
  reportingOrgRef: 'XM-DAC-TEST',
  generatedAt: new Date('2026-11-28T10:00:00.123Z'),
  today: '2026-11-28',
  partnerships: [
    {
      id: P1,
      organisation: 'Estavia Customs & Excise <Revenue>',
      country: 'XA',
      startsOn: '2026-01-01',
      endsOn: '2027-12-31',
      donorIds: [D1],
      updatedAt: new Date('2026-11-01T08:00:00Z'),
    },
    {
      id: P2,
      organisation: 'Customs of Bordavia',
      country: null,
      startsOn: '2027-03-01',
      endsOn: '2028-02-28',
      donorIds: [D2],
      updatedAt: new Date('2026-11-02T08:00:00Z'),
    },
  ],
  // The benchmarks are the multi-annual plan's (P2 has no plan).
  plans: [
    {
      partnershipId: P1,
      phases: [
        {
          label: '2026',
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          benchmarks: [
            {
              title: 'Code of conduct "signed"',
              factor: 4,
              due: '2026-06-30',
              status: 'achieved',
              actionIds: [],
            },
          ],
        },
        {
          label: '2027',
          startsOn: '2027-01-01',
          endsOn: '2027-12-31',
          benchmarks: [
            { title: 'Audit unit staffed', factor: null, due: null, status: 'planned', actionIds: [] },
          ],
        },
      ],
    },
  ],
  donors: [
    { id: D1, name: 'Donor One Agency' },
    { id: D2, name: 'Donor Two Fund' },
  ],
  agreements: [
    {
      id: A1,
      donorId: D1,
      reference: 'D1-2026/01',
      amountMinor: '25000050',
      currency: 'EUR',
      startsOn: '2026-01-15',
      endsOn: '2027-12-31',
      earmarkPartnershipId: P1,
    },
    {
      id: A2,
      donorId: D2,
      reference: 'D2-JPY',
      amountMinor: '3000000',
      currency: 'JPY',
      startsOn: '2027-01-01',
      endsOn: '2027-12-31',
      earmarkPartnershipId: null,
    },
  ],
  disbursements: [
    { id: 'e1', agreementId: A1, receivedOn: '2026-02-03', amountMinor: '10000000', currency: 'EUR' },
    { id: 'e2', agreementId: A2, receivedOn: '2027-01-10', amountMinor: '1000000', currency: 'JPY' },
  ],
  activities: [{ id: ACT, title: 'Integrity workshop', startsOn: '2026-05-04', partnershipIds: [P1, P2] }],
  costs: [{ id: 'k1', activityId: ACT, label: 'Expert travel', amountMinor: '300001', currency: 'EUR' }],
  results: [
    { id: 'r2', partnershipId: P1, level: 'output', title: 'Staff trained in the code of conduct' },
    { id: 'r1', partnershipId: P1, level: 'outcome', title: 'Integrity risks managed' },
    { id: 'r3', partnershipId: P1, level: 'output', title: 'Without indicator (left out)' },
  ],
  indicators: [
    {
      id: 'i1',
      resultId: 'r1',
      name: 'Complaints about officers',
      unit: 'per year',
      baseline: '40.0000',
      target: '10.0000',
      direction: 'decrease',
    },
    {
      id: 'i2',
      resultId: 'r2',
      name: 'Officers trained',
      unit: '%',
      baseline: '0.0000',
      target: '80.5000',
      direction: 'increase',
    },
  ],
  actuals: [{ indicatorId: 'i1', periodStart: '2026-01-01', periodEnd: '2026-06-30', value: '31.0000' }],
};

type X = Record<string, unknown> & { '@_': Record<string, string> };
const parse = (xml: string) =>
  new XMLParser({
    ignoreAttributes: false,
    attributesGroupName: '@_',
    attributeNamePrefix: '',
    parseTagValue: false,
    isArray: (name) =>
      ['iati-activity', 'transaction', 'budget', 'participating-org', 'activity-date', 'narrative'].includes(
        name,
      ),
  }).parse(xml) as { 'iati-activities': X & { 'iati-activity': X[] } };

describe('programme: IATI 2.03 activity file', () => {
  const xml = iatiXml(INPUT);

  it('is valid against the official IATI 2.03 activity schema', async () => {
    const r = await validate(xml);
    assert.deepEqual(
      r.errors.map((e) => e.rawMessage),
      [],
    );
    assert.equal(r.valid, true);
  });

  it('the same validation refuses a file with a transaction missing its value, or an element out of order', async () => {
    // A transaction without its <value>: value is required (minOccurs 1).
    const noValue = xml.replace(
      /(<transaction-type code="1"\/>\s*<transaction-date[^>]*\/>)\s*<value[^>]*>[^<]*<\/value>/,
      '$1',
    );
    assert.notEqual(noValue, xml, 'the mutation must change the file');
    const r1 = await validate(noValue);
    assert.equal(r1.valid, false);
    assert.match(r1.errors.map((e) => e.message).join('\n'), /value/);

    // <activity-status> after the activity dates: the sequence order is broken.
    const outOfOrder = xml.replace(
      /(\s*<activity-status code="\d"\/>)((?:\s*<activity-date[^>]*\/>)+)/,
      '$2$1',
    );
    assert.notEqual(outOfOrder, xml, 'the mutation must change the file');
    const r2 = await validate(outOfOrder);
    assert.equal(r2.valid, false);
    assert.match(r2.errors.map((e) => e.message).join('\n'), /activity-status|activity-date/);
  });

  it('reports each partnership with identifier, organisations, status, country, sector, budget and transactions', () => {
    const doc = parse(xml)['iati-activities'];
    assert.equal(doc['@_'].version, '2.03');
    assert.equal(doc['@_']['generated-datetime'], '2026-11-28T10:00:00Z');
    const [a1, a2] = doc['iati-activity'] as X[];
    assert.equal(a1!['iati-identifier'], `XM-DAC-TEST-${P1}`);
    assert.equal((a1!['reporting-org'] as X)['@_'].ref, 'XM-DAC-TEST');

    // Partner names are escaped, not markup.
    const title = ((a1!.title as X).narrative as X[])[0]!;
    assert.equal(title['#text'], 'A-CIP partnership: Estavia Customs & Excise <Revenue>');
    assert.equal(title['@_']['xml:lang'], 'en');

    // The plan's benchmarks, phase by phase, end the description; no plan, no benchmarks.
    const description = (a: X) => (((a.description as X).narrative as X[])[0]!['#text'] as string) ?? '';
    assert.match(description(a1!), /Benchmarks: Code of conduct "signed"; Audit unit staffed\.$/);
    assert.doesNotMatch(description(a2!), /Benchmarks/);

    // Funding donor, implementing WCO and administration.
    const orgs = (a1!['participating-org'] as X[]).map((o) => [
      o['@_'].role,
      (o.narrative as X[])[0]!['#text'],
    ]);
    assert.deepEqual(orgs, [
      ['1', 'Donor One Agency'],
      ['4', 'World Customs Organization'],
      ['4', 'Estavia Customs & Excise <Revenue>'],
    ]);
    // Under way on 2026-11-28: implementation; the second starts in 2027: pipeline, no actual start.
    assert.equal((a1!['activity-status'] as X)['@_'].code, '2');
    assert.equal((a2!['activity-status'] as X)['@_'].code, '1');
    assert.deepEqual(
      (a2!['activity-date'] as X[]).map((d) => d['@_'].type),
      ['1', '3'],
    );
    // Recipient country only when the administration's country is known.
    assert.equal((a1!['recipient-country'] as X)['@_'].code, 'XA');
    assert.equal(a2!['recipient-country'], undefined);
    assert.deepEqual((a1!.sector as X)['@_'], { vocabulary: '1', code: '15113', percentage: '100' });

    // The agreement earmarked to the partnership is its budget, over the agreement's period.
    const [budget] = a1!.budget as X[];
    assert.equal((budget!['period-start'] as X)['@_']['iso-date'], '2026-01-15');
    assert.equal((budget!['period-end'] as X)['@_']['iso-date'], '2027-12-31');
    const bv = budget!.value as X;
    assert.equal(bv['#text'], '250000.50');
    assert.deepEqual(bv['@_'], { currency: 'EUR', 'value-date': '2026-01-15' });
    // Not earmarked to a partnership: no budget in the second (it would count twice otherwise).
    assert.equal(a2!.budget, undefined);

    // Transactions by date: the commitment, the disbursement received, the workshop's cost share.
    const txs = (a1!.transaction as X[]).map((t) => ({
      type: (t['transaction-type'] as X)['@_'].code,
      date: (t['transaction-date'] as X)['@_']['iso-date'],
      value: (t.value as X)['#text'],
      currency: (t.value as X)['@_'].currency,
      valueDate: (t.value as X)['@_']['value-date'],
    }));
    assert.deepEqual(txs, [
      { type: '11', date: '2026-01-15', value: '250000.50', currency: 'EUR', valueDate: '2026-01-15' },
      { type: '1', date: '2026-02-03', value: '100000.00', currency: 'EUR', valueDate: '2026-02-03' },
      { type: '4', date: '2026-05-04', value: '1500.01', currency: 'EUR', valueDate: '2026-05-04' },
    ]);
    const disb = (a1!.transaction as X[])[1]!;
    assert.equal(((disb['provider-org'] as X).narrative as X[])[0]!['#text'], 'Donor One Agency');
    // The other half of the shared workshop cost is the second partnership's; no JPY disbursement
    // there (its agreement is not earmarked to it).
    const txs2 = (a2!.transaction as X[]).map((t) => [
      (t['transaction-type'] as X)['@_'].code,
      (t.value as X)['#text'],
    ]);
    assert.deepEqual(txs2, [['4', '1500.00']]);
  });

  it('reports the results framework: outcome before output, indicators with baseline, target and actuals', () => {
    const [a1, a2] = parse(xml)['iati-activities']['iati-activity'];
    assert.equal(a2!.result, undefined);
    const results = a1!.result as X[];
    // The output without an indicator is left out (IATI needs one per result).
    assert.deepEqual(
      results.map((r) => [r['@_'].type, ((r.title as X).narrative as X[])[0]!['#text']]),
      [
        ['2', 'Integrity risks managed'],
        ['1', 'Staff trained in the code of conduct'],
      ],
    );
    const i1 = results[0]!.indicator as X;
    assert.deepEqual(i1['@_'], { measure: '1', ascending: 'false' });
    assert.deepEqual((i1.baseline as X)['@_'], { year: '2026', value: '40' });
    const periods = (i1.period as X[]).map((p) => [
      (p['period-start'] as X)['@_']['iso-date'],
      (p['period-end'] as X)['@_']['iso-date'],
      ((p.target ?? p.actual) as X)['@_'].value,
      p.target ? 'target' : 'actual',
    ]);
    assert.deepEqual(periods, [
      ['2026-01-01', '2027-12-31', '10', 'target'],
      ['2026-01-01', '2026-06-30', '31', 'actual'],
    ]);
    assert.deepEqual((results[1]!.indicator as X)['@_'], { measure: '2', ascending: 'true' });
  });

  it('escapes text and attributes and splits shared costs exactly', () => {
    assert.equal(escapeText('a & b < c > d\u0001'), 'a &amp; b &lt; c &gt; d');
    assert.equal(escapeAttr(`"x" 'y'\n`), '&quot;x&quot; &apos;y&apos;&#10;');
    assert.deepEqual(splitEqually(100n, 3), [34n, 33n, 33n]);
    assert.equal(
      splitEqually(100n, 3).reduce((s, v) => s + v, 0n),
      100n,
    );
  });
});

describe('programme: the IATI file over HTTP — the Secretariat, a donor, an administration', () => {
  let h: Harness;
  let sec: Client;
  let pmA: Client;
  let officerA: Client;
  let donor1: Client;
  let donor2: Client;
  let partnershipId = '';

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    const world = await programmeWorld(h, 'iati.');
    ({ sec, donor1, donor2 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    const d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    // Administration A's request, taken through the pipeline to a partnership funded by both donors.
    const dates = { startsOn: '2026-04-01', endsOn: '2027-03-31' };
    partnershipId = await partnershipOf(
      sec,
      officerA,
      [d1, d2],
      { ...dates, coordinatorName: 'Coordinator A', coordinatorEmail: 'coord@example.org' },
      { amount: '90000', currency: 'EUR' },
    );
    const earmarked = { ...dates, earmarkPartnershipId: partnershipId };
    const a1 = await addAgreement(sec, d1, 'IATI-D1-EUR', '60000.50', 'EUR', earmarked);
    const a2 = await addAgreement(sec, d2, 'IATI-D2-USD', '40000', 'USD', earmarked);
    await ok(
      await sec.post(`/api/programme/agreements/${a1}/disbursements`, {
        receivedOn: '2026-05-02',
        amount: { amount: '20000', currency: 'EUR' },
      }),
      201,
    );
    await ok(
      await sec.post(`/api/programme/agreements/${a2}/disbursements`, {
        receivedOn: '2026-05-03',
        amount: { amount: '15000', currency: 'USD' },
      }),
      201,
    );
    await ok(
      await sec.post('/api/programme/activities', {
        type: 'workshop',
        title: 'Integrity workshop',
        startsOn: '2026-06-08',
        endsOn: '2026-06-10',
        partnershipIds: [partnershipId],
        costs: [
          { label: 'Expert fees', agreementId: a1, amount: { amount: '3200', currency: 'EUR' } },
          { label: 'Venue', agreementId: a2, amount: { amount: '900', currency: 'USD' } },
        ],
      }),
      201,
    );
    // A benchmark of the partnership's multi-annual plan (named in its description).
    await ok(
      await sec.request({
        method: 'PUT',
        url: `/api/programme/partnerships/${partnershipId}/plan`,
        payload: {
          version: 1,
          phases: [
            {
              label: 'Year 1',
              startsOn: dates.startsOn,
              endsOn: dates.endsOn,
              benchmarks: [{ title: 'Integrity strategy adopted', status: 'in_progress' }],
            },
          ],
          kpis: [],
        },
      }),
    );
  });
  after(() => h.close());

  it("the Secretariat's file is valid and holds both donors' agreements, funds and costs", async () => {
    const res = await sec.get('/api/programme/iati.xml');
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers['content-type']), /^application\/xml/);
    assert.match(String(res.headers['content-disposition']), /a-cip-iati-activities-\d{4}-\d{2}-\d{2}\.xml/);
    const r = await validate(res.body);
    assert.deepEqual(
      r.errors.map((e) => e.rawMessage),
      [],
    );
    const [act] = parse(res.body)['iati-activities']['iati-activity'];
    assert.equal(act!['iati-identifier'], `XM-DAC-WCO-${partnershipId}`);
    assert.match(
      ((act!.description as X).narrative as X[])[0]!['#text'] as string,
      /Benchmarks: Integrity strategy adopted\.$/,
    );
    const txs = (act!.transaction as X[]).map((t) => [
      (t['transaction-type'] as X)['@_'].code,
      (t.value as X)['#text'],
      (t.value as X)['@_'].currency,
    ]);
    assert.deepEqual(txs, [
      ['11', '60000.50', 'EUR'],
      ['11', '40000.00', 'USD'],
      ['1', '20000.00', 'EUR'],
      ['1', '15000.00', 'USD'],
      ['4', '3200.00', 'EUR'],
      ['4', '900.00', 'USD'],
    ]);
  });

  it("a donor's file holds only what it funds; outside the Secretariat 404, without the permission 403", async () => {
    const res = await donor1.get('/api/programme/donor/iati.xml');
    assert.equal(res.statusCode, 200, res.body);
    assert.equal((await validate(res.body)).valid, true);
    assert.match(res.body, /IATI-D1-EUR/);
    assert.doesNotMatch(res.body, /IATI-D2-USD|Donor Two|Venue/);
    const [act] = parse(res.body)['iati-activities']['iati-activity'];
    assert.deepEqual(
      (act!.transaction as X[]).map((t) => (t['transaction-type'] as X)['@_'].code),
      ['11', '1', '4'],
    );
    const two = await donor2.get('/api/programme/donor/iati.xml');
    assert.doesNotMatch(two.body, /IATI-D1-EUR|Donor One|Expert fees/);
    // A programme manager of an administration holds programme.manage but is not the Secretariat.
    assert.equal((await pmA.get('/api/programme/iati.xml')).statusCode, 404);
    assert.equal((await officerA.get('/api/programme/iati.xml')).statusCode, 403);
    assert.equal((await officerA.get('/api/programme/donor/iati.xml')).statusCode, 403);
  });
});
