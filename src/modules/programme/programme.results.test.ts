import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { AssessmentsApi } from '../assessments/index.ts';
import {
  addDonor,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
  validatedAssessment,
} from './programme.fixture.ts';

describe('programme results framework: outcomes, outputs, indicators, actuals, evidence under consent', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let analystA: Client;
  let executiveA: Client;
  let adminB: Client;
  let donor1: Client;
  let donor2: Client;
  const ids: Record<string, string> = {};

  const validated = (title: string, rating: (refId: string) => number) =>
    validatedAssessment(h, { officer: officerA, analyst: analystA, executive: executiveA }, title, rating);

  const put = (c: Client, url: string, payload: Record<string, unknown>) =>
    c.request({ method: 'PUT', url, payload });
  /** A delete that answered 204 No Content. */
  const noContent = (res: { statusCode: number; body: string }) =>
    assert.equal(res.statusCode, 204, res.body);

  /** Factor 6's score as the assessments module computes it, read in tenant A itself. */
  const factor6InA = () =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) => {
      const a = await new AssessmentsApi(h.kernel).latestValidated(tx);
      return a?.factors.find((f) => f.factor === 6)?.score ?? null;
    });

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    analystA = await h.as(h.a.users.analyst.email);
    executiveA = await h.as(h.a.users.executive.email);
    adminB = await h.as(h.b.users.org_admin.email);
    const world = await programmeWorld(h);
    ({ sec, donor1, donor2 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    const d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    // Administration A is funded by donor 1, administration B by donor 2.
    ids.pA = await partnershipOf(sec, officerA, [d1]);
    ids.pB = await partnershipOf(sec, adminB, [d2]);
  });
  after(() => h.close());

  it('the Secretariat builds outcomes → outputs → indicators with entered actuals; bad references are 4xx', async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    ids.outcome = (
      await ok(await sec.post(`${base}/results`, { level: 'outcome', title: 'Integrity improved' }), 201)
    ).id;
    ids.output = (
      await ok(
        await sec.post(`${base}/results`, {
          level: 'output',
          parentId: ids.outcome,
          title: 'Officers trained',
        }),
        201,
      )
    ).id;
    // An output needs an outcome of the same partnership; an outcome has no parent.
    assert.equal((await sec.post(`${base}/results`, { level: 'output', title: 'Orphan' })).statusCode, 422);
    assert.equal(
      (
        await sec.post(`/api/programme/partnerships/${ids.pB}/results`, {
          level: 'output',
          parentId: ids.outcome,
          title: 'x',
        })
      ).statusCode,
      422,
    );
    assert.equal(
      (await sec.post(`${base}/results`, { level: 'outcome', parentId: ids.outcome, title: 'x' })).statusCode,
      422,
    );
    const indicator = {
      resultId: ids.output,
      name: 'Officers trained in integrity',
      unit: 'officers',
      baseline: '0',
      target: '120',
      direction: 'increase',
    };
    ids.trained = (await ok(await sec.post(`${base}/indicators`, indicator), 201)).id;
    ids.radF6 = (
      await ok(
        await sec.post(`${base}/indicators`, {
          ...indicator,
          resultId: ids.outcome,
          name: 'RAD factor 6 score',
          unit: 'score',
          baseline: '1.5',
          target: '3',
          link: { kind: 'rad_factor', factor: 6 },
        }),
        201,
      )
    ).id;
    assert.equal(
      (await sec.post(`/api/programme/partnerships/${ids.pB}/indicators`, indicator)).statusCode,
      422,
      'an output of another partnership',
    );
    assert.equal((await sec.post(`${base}/indicators`, { ...indicator, extra: 1 })).statusCode, 400);
    const actual = (period: string, start: string, end: string, value: string) =>
      sec.post(`/api/programme/indicators/${ids.trained}/actuals`, {
        periodLabel: period,
        periodStart: start,
        periodEnd: end,
        value,
      });
    await ok(await actual('2026 H1', '2026-01-01', '2026-06-30', '35'), 201);
    await ok(await actual('2026 H2', '2026-07-01', '2026-12-31', '82.5'), 201);
    assert.equal((await actual('2026 H2', '2026-07-01', '2026-12-31', '90')).statusCode, 409);
    assert.equal((await actual('bad', '2026-07-01', '2026-01-01', '1')).statusCode, 400);
    assert.equal(
      (
        await sec.post(`/api/programme/indicators/${ids.radF6}/actuals`, {
          periodLabel: '2026',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          value: '2',
        })
      ).statusCode,
      409,
      'a linked indicator is not entered',
    );
    const tree = await ok(await sec.get(`${base}/results`));
    assert.equal(tree.outcomes.length, 1);
    const out = tree.outcomes[0].outputs[0];
    assert.equal(out.title, 'Officers trained');
    assert.deepEqual(
      out.indicators[0].actuals.map((a: Json) => [a.periodLabel, a.value, a.source]),
      [
        ['2026 H1', '35', 'entered'],
        ['2026 H2', '82.5', 'entered'],
      ],
    );
    assert.equal(out.indicators[0].latest.value, '82.5');
    // No consent yet: the linked indicator shows no figure.
    const linked = tree.outcomes[0].indicators[0];
    assert.deepEqual([linked.latest.status, linked.latest.value], ['no_consent', null]);
  });

  it("a linked RAD factor indicator follows the partner's latest validated assessment under its consent, and stops when consent is withdrawn", async () => {
    const linked = async (c: Client = sec, url = `/api/programme/partnerships/${ids.pA}/results`) =>
      (await ok(await c.get(url))).outcomes[0].indicators[0].latest as Json;
    await validated('RAD 2025', () => 1);
    // Validated, but not shared: still nothing.
    assert.equal((await linked()).status, 'no_consent');
    // Only the administration gives consent.
    assert.equal((await put(sec, '/api/programme/consent', { share: true })).statusCode, 403);
    const c = await ok(await put(officerA, '/api/programme/consent', { share: true }));
    assert.equal(c.active, true);
    const first = await factor6InA();
    assert.notEqual(first, null);
    let l = await linked();
    assert.equal(l.status, 'ok');
    assert.equal(Number(l.value), first);
    assert.equal(l.evidence.title, 'RAD 2025');
    assert.ok(l.evidence.validatedAt);
    // A newer validated assessment changes the figure when read.
    await validated('RAD 2026', (ref) => (ref.startsWith('6.') ? 4 : 2));
    const second = await factor6InA();
    assert.notEqual(second, first);
    l = await linked();
    assert.equal(Number(l.value), second);
    assert.equal(l.evidence.title, 'RAD 2026');
    // The funding donor reads the same live figure.
    assert.equal(
      Number((await linked(donor1, `/api/programme/donor/partnerships/${ids.pA}/results`)).value),
      second,
    );
    // Withdrawn: no figure, no source, for everyone.
    assert.equal((await ok(await put(officerA, '/api/programme/consent', { share: false }))).active, false);
    l = await linked();
    assert.deepEqual([l.status, l.value, l.evidence], ['consent_withdrawn', null, null]);
    l = await linked(officerA, `/api/programme/mine/partnerships/${ids.pA}/results`);
    assert.deepEqual([l.status, l.value], ['consent_withdrawn', null]);
    const audit = await h.kernel.db.query<{ action: string }>(
      "select action from audit_events where tenant_id = $1 and action like 'programme.consent.%' order by seq",
      [h.a.id],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['programme.consent.granted', 'programme.consent.revoked'],
    );
  });

  it("an indicator's RAD factor link is editable, version-checked: linked, it reads the live score; unlinked, actuals are entered", async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const patch = (id: string, body: Json) => sec.patch(`/api/programme/indicators/${id}`, body);
    const view = async (name: string) =>
      (await ok(await sec.get(`${base}/results`))).outcomes[0].indicators.find((i: Json) => i.name === name);
    const id = (
      await ok(
        await sec.post(`${base}/indicators`, {
          resultId: ids.outcome,
          name: 'Factor 2 score',
          unit: 'score',
          baseline: '1',
          target: '3',
          direction: 'increase',
        }),
        201,
      )
    ).id as string;
    await ok(await put(officerA, '/api/programme/consent', { share: true }));
    let i = await view('Factor 2 score');
    assert.deepEqual([i.link, i.latest, i.version], [null, null, 1]);
    // Bad input and a stale version change nothing.
    assert.equal((await patch(id, { version: 1, link: { kind: 'rad_factor', factor: 11 } })).statusCode, 400);
    assert.equal((await patch(id, { link: { kind: 'rad_factor', factor: 2 } })).statusCode, 400);
    assert.equal((await patch(id, { version: 2, link: { kind: 'rad_factor', factor: 2 } })).statusCode, 409);
    assert.equal(
      (await sec.patch('/api/programme/indicators/00000000-0000-7000-8000-000000000000', { version: 1 }))
        .statusCode,
      404,
    );
    assert.equal(
      (await officerA.patch(`/api/programme/indicators/${id}`, { version: 1, link: null })).statusCode,
      403,
    );
    assert.equal((await view('Factor 2 score')).version, 1);
    // Linked: the live factor 2 score of the latest validated assessment, with its source.
    const linked = await ok(await patch(id, { version: 1, link: { kind: 'rad_factor', factor: 2 } }));
    assert.equal(linked.version, 2);
    const factor2 = await withTenant(
      h.kernel.db,
      { tenantId: h.a.id, userId: null },
      async (tx) =>
        (await new AssessmentsApi(h.kernel).latestValidated(tx))?.factors.find((f) => f.factor === 2)?.score,
    );
    i = await view('Factor 2 score');
    assert.deepEqual(i.link, { kind: 'rad_factor', factor: 2 });
    assert.deepEqual(
      [i.latest.status, Number(i.latest.value), i.latest.evidence.title],
      ['ok', factor2, 'RAD 2026'],
    );
    // Re-linked to another factor by a second editor who read version 1: refused.
    assert.equal((await patch(id, { version: 1, link: { kind: 'rad_factor', factor: 6 } })).statusCode, 409);
    // An indicator with entered actuals cannot be linked (they would vanish from the reports).
    const trained = (await ok(await sec.get(`${base}/results`))).outcomes[0].outputs[0].indicators[0];
    const refused = await patch(ids.trained!, {
      version: trained.version,
      link: { kind: 'rad_factor', factor: 2 },
    });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.json<Json>().detail, /entered actuals/);
    // Unlinked (and renamed): no live figure; actuals can be entered again.
    await ok(await patch(id, { version: 2, link: null, name: 'Factor 2 (entered)' }));
    i = await view('Factor 2 (entered)');
    assert.deepEqual([i.link, i.latest, i.version], [null, null, 3]);
    await ok(
      await sec.post(`/api/programme/indicators/${id}/actuals`, {
        periodLabel: '2026',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        value: '2.5',
      }),
      201,
    );
    const audit = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'programme.indicator.updated' and entity_id = $1",
      [id],
    );
    assert.equal(audit[0]!.n, 2);
    await ok(await put(officerA, '/api/programme/consent', { share: false }));
  });

  it('an evaluation rates each OECD-DAC criterion 1–4 with its name and findings; incomplete or repeated criteria are refused', async () => {
    const all = ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'];
    const body = (criteria: Json[]) => ({
      title: 'Mid-term review',
      evaluator: 'Independent evaluator',
      evaluatedOn: '2027-06-30',
      criteria,
    });
    // Sent in reverse order; shown in the criteria's order.
    const criteria = [...all]
      .reverse()
      .map((criterion, i) => ({ criterion, rating: (i % 4) + 1, findings: `On ${criterion}` }));
    const url = `/api/programme/partnerships/${ids.pA}/evaluations`;
    await ok(await sec.post(url, body(criteria)), 201);
    assert.equal((await sec.post(url, body(criteria.slice(1)))).statusCode, 400, 'five criteria');
    assert.equal(
      (await sec.post(url, body([...criteria.slice(1), { ...criteria[1]! }]))).statusCode,
      400,
      'one criterion twice',
    );
    assert.equal((await sec.post(url, body(criteria.map((c) => ({ ...c, rating: 5 }))))).statusCode, 400);
    assert.equal((await officerA.post(url, body(criteria))).statusCode, 403);
    const [e] = (await ok(await donor1.get(`/api/programme/donor/partnerships/${ids.pA}/results`)))
      .evaluations;
    assert.deepEqual(
      e.criteria.map((c: Json) => [c.criterion, c.rating, c.ratingName]),
      [
        ['relevance', 2, 'partly_satisfactory'],
        ['coherence', 1, 'unsatisfactory'],
        ['effectiveness', 4, 'highly_satisfactory'],
        ['efficiency', 3, 'satisfactory'],
        ['impact', 2, 'partly_satisfactory'],
        ['sustainability', 1, 'unsatisfactory'],
      ],
    );
    assert.equal(e.criteria[0].findings, 'On relevance');
    // Donor 2 does not fund this partnership.
    assert.equal((await donor2.get(`/api/programme/donor/partnerships/${ids.pA}/results`)).statusCode, 404);
  });

  it('a partner sees only its own results; a donor only those of partnerships it funds', async () => {
    await ok(
      await sec.post(`/api/programme/partnerships/${ids.pB}/results`, {
        level: 'outcome',
        title: 'B outcome',
      }),
      201,
    );
    const a = await ok(await officerA.get(`/api/programme/mine/partnerships/${ids.pA}/results`));
    assert.equal(a.outcomes[0].title, 'Integrity improved');
    assert.equal((await officerA.get(`/api/programme/mine/partnerships/${ids.pB}/results`)).statusCode, 404);
    assert.equal(
      (await ok(await adminB.get(`/api/programme/mine/partnerships/${ids.pB}/results`))).outcomes[0].title,
      'B outcome',
    );
    assert.equal((await adminB.get(`/api/programme/mine/partnerships/${ids.pA}/results`)).statusCode, 404);
    assert.equal(
      (await ok(await donor1.get(`/api/programme/donor/partnerships/${ids.pA}/results`))).outcomes.length,
      1,
    );
    assert.equal((await donor1.get(`/api/programme/donor/partnerships/${ids.pB}/results`)).statusCode, 404);
    assert.equal((await donor2.get(`/api/programme/donor/partnerships/${ids.pA}/results`)).statusCode, 404);
    // Nor can a partner or donor write, even through the Secretariat's URL.
    assert.equal((await officerA.get(`/api/programme/partnerships/${ids.pA}/results`)).statusCode, 403);
    assert.equal(
      (await donor1.post(`/api/programme/partnerships/${ids.pA}/results`, { level: 'outcome', title: 'x' }))
        .statusCode,
      403,
    );
    // The rows are the Secretariat's; the database refuses a results row of an unknown partnership.
    await assert.rejects(
      h.kernel.db.query(
        "insert into programme_results (tenant_id, partnership_id, level, title, id) values ($1, gen_random_uuid(), 'outcome', 'x', gen_random_uuid())",
        [h.a.id],
      ),
      /foreign key/,
    );
    // An administration in a partnership cannot be deleted from under it.
    await assert.rejects(
      h.kernel.db.query('delete from organisations where id = $1', [h.b.id]),
      /foreign key/,
    );
  });

  it("the XLSX donor report holds the results framework: outcomes → outputs → indicators, each actual of the period with its evidence, only the donor's partnerships", async () => {
    const bOutcome = (
      await ok(
        await sec.post(`/api/programme/partnerships/${ids.pB}/results`, {
          level: 'outcome',
          title: 'B outcome',
        }),
        201,
      )
    ).id;
    await ok(
      await sec.post(`/api/programme/partnerships/${ids.pB}/indicators`, {
        resultId: bOutcome,
        name: 'B only',
        unit: 'u',
        baseline: '0',
        target: '1',
        direction: 'increase',
      }),
      201,
    );
    await ok(await put(officerA, '/api/programme/consent', { share: true }));
    const sheetOf = async (c: Client, lang = 'en') => {
      const res = await c.request({
        method: 'GET',
        url: '/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=xlsx&currency=EUR',
        headers: { 'accept-language': lang },
      });
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[2]!;
      const rows: unknown[][] = [];
      ws.eachRow((r) => {
        const v = r.values as unknown[];
        rows.push(Array.from({ length: 12 }, (_, k) => v[k + 1] ?? null));
      });
      return { names: wb.worksheets.map((w) => w.name), rows };
    };
    const { names, rows } = await sheetOf(donor1);
    assert.deepEqual(names, ['A-CIP donor report', 'Value for money', 'Results framework']);
    assert.deepEqual(rows[0], [
      'Partnership',
      'Level',
      'Outcome',
      'Output',
      'Indicator',
      'Unit',
      'Baseline',
      'Target',
      'Period',
      'Actual',
      'Source',
      'Evidence',
    ]);
    const data = rows.slice(1);
    const org = data[0]![0];
    assert.ok(
      data.every((r) => r[0] === org),
      'only the partnership donor 1 funds',
    );
    assert.ok(!data.some((r) => r[4] === 'B only'));
    const of = (name: string) => data.filter((r) => r[4] === name).map((r) => r.slice(1));
    // Each entered actual of the period, with its period.
    assert.deepEqual(of('Officers trained in integrity'), [
      [
        'Output',
        'Integrity improved',
        'Officers trained',
        'Officers trained in integrity',
        'officers',
        0,
        120,
        '2026 H1 (2026-01-01 – 2026-06-30)',
        35,
        'Entered',
        null,
      ],
      [
        'Output',
        'Integrity improved',
        'Officers trained',
        'Officers trained in integrity',
        'officers',
        0,
        120,
        '2026 H2 (2026-07-01 – 2026-12-31)',
        82.5,
        'Entered',
        null,
      ],
    ]);
    // The linked indicator: the live figure with its evidence (the validated assessment).
    const f6 = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) =>
      new AssessmentsApi(h.kernel).latestValidated(tx),
    );
    const [linked] = of('RAD factor 6 score');
    assert.deepEqual(linked!.slice(0, 3), ['Outcome', 'Integrity improved', null]);
    assert.equal(linked![8], f6!.factors.find((f) => f.factor === 6)!.score);
    assert.equal(linked![9], 'RAD factor 6 (linked)');
    assert.equal(
      linked![10],
      `RAD factor 6, RAD 2026, validated ${f6!.validatedAt.toISOString().slice(0, 10)}`,
    );
    // Consent withdrawn: the row stays, without a figure, saying why.
    await ok(await put(officerA, '/api/programme/consent', { share: false }));
    const after = await sheetOf(donor1, 'fr');
    assert.equal(after.names[2], 'Cadre de résultats');
    const w = after.rows.slice(1).find((r) => r[4] === 'RAD factor 6 score')!;
    assert.deepEqual([w[9], w[11]], [null, 'Consentement retiré']);
    // Donor 2 funds B only.
    const b = (await sheetOf(donor2)).rows.slice(1);
    assert.deepEqual(
      b.map((r) => [r[4], r[9], r[10]]),
      [['B only', null, 'No figure for the period']],
    );
  });
  it('the Secretariat renames an outcome and an output, version-checked; nobody else can', async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const outcome = (
      await ok(await sec.post(`${base}/results`, { level: 'outcome', title: 'Old outcome' }), 201)
    ).id as string;
    const output = (
      await ok(
        await sec.post(`${base}/results`, { level: 'output', parentId: outcome, title: 'Old output' }),
        201,
      )
    ).id as string;
    const rename = (c: Client, id: string, body: Json) => c.patch(`/api/programme/results/${id}`, body);
    const tree = async () =>
      (await ok(await sec.get(`${base}/results`))).outcomes.find((o: Json) => o.id === outcome);
    let o = await tree();
    assert.deepEqual(
      [o.title, o.version, o.outputs[0].title, o.outputs[0].version],
      ['Old outcome', 1, 'Old output', 1],
    );
    assert.deepEqual(await ok(await rename(sec, outcome, { version: 1, title: '  Corruption reduced ' })), {
      id: outcome,
      version: 2,
    });
    await ok(await rename(sec, output, { version: 1, title: 'Officers trained twice' }));
    // Stale, empty, unknown field, unknown id: nothing changes.
    const stale = await rename(sec, outcome, { version: 1, title: 'Lost update' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json<Json>().code, 'VERSION_CONFLICT');
    assert.equal((await rename(sec, outcome, { version: 2, title: '  ' })).statusCode, 400);
    assert.equal((await rename(sec, outcome, { version: 2, title: 'x', level: 'output' })).statusCode, 400);
    assert.equal((await rename(sec, outcome, { title: 'x' })).statusCode, 400);
    assert.equal(
      (await rename(sec, '00000000-0000-7000-8000-000000000000', { version: 1, title: 'x' })).statusCode,
      404,
    );
    // The administration and the donor read the framework but cannot edit it; another
    // organisation's platform administrator holds programme.manage, yet it is not its framework.
    assert.equal((await rename(officerA, outcome, { version: 2, title: 'by A' })).statusCode, 403);
    assert.equal((await rename(donor1, outcome, { version: 2, title: 'by donor' })).statusCode, 403);
    const platformA = await h.as(h.a.users.platform_admin.email);
    assert.equal((await rename(platformA, outcome, { version: 2, title: 'by A admin' })).statusCode, 404);
    o = await tree();
    assert.deepEqual(
      [o.title, o.version, o.outputs[0].title, o.outputs[0].version],
      ['Corruption reduced', 2, 'Officers trained twice', 2],
    );
    // The partner and the donor see the new titles.
    const mine = await ok(await officerA.get(`/api/programme/mine/partnerships/${ids.pA}/results`));
    assert.ok(mine.outcomes.some((x: Json) => x.title === 'Corruption reduced'));
    const audit = await h.kernel.db.query<{ data: Json }>(
      "select data from audit_events where action = 'programme.result.updated' and entity_id = $1",
      [outcome],
    );
    assert.deepEqual(
      audit.map((a) => a.data.title),
      [{ from: 'Old outcome', to: 'Corruption reduced' }],
    );
    ids.renamedOutcome = outcome;
    ids.renamedOutput = output;
  });

  it('an outcome or output is deleted with its indicators only while nothing under it holds data (entered actuals, linked activities)', async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const outcome = ids.renamedOutcome!;
    const output = ids.renamedOutput!;
    const del = (c: Client, id: string, version: number | string) =>
      c.delete(`/api/programme/results/${id}?version=${version}`);
    const indicator = async (resultId: string, name: string) =>
      (
        await ok(
          await sec.post(`${base}/indicators`, {
            resultId,
            name,
            unit: 'u',
            baseline: '0',
            target: '10',
            direction: 'increase',
          }),
          201,
        )
      ).id as string;
    const onOutput = await indicator(output, 'Held by the output');
    const onOutcome = await indicator(outcome, 'Held by the outcome');
    const actual = (
      await ok(
        await sec.post(`/api/programme/indicators/${onOutput}/actuals`, {
          periodLabel: '2026',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          value: '4',
        }),
        201,
      )
    ).id as string;
    const count = async (table: string, where: string, id: string) =>
      (
        await h.kernel.db.query<{ n: number }>(
          `select count(*)::int as n from ${table} where ${where} = $1`,
          [id],
        )
      )[0]!.n;
    // An entered actual under the output: neither the output nor its outcome can go.
    for (const [id, version] of [
      [output, 2],
      [outcome, 2],
    ] as const) {
      const refused = await del(sec, id, version);
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(refused.json<Json>().code, 'CONFLICT');
      assert.match(refused.json<Json>().detail, /1 entered actual/);
    }
    // Other roles and bad input: refused, nothing deleted.
    assert.equal((await del(officerA, output, 2)).statusCode, 403);
    assert.equal((await del(donor1, output, 2)).statusCode, 403);
    assert.equal((await del(await h.as(h.a.users.platform_admin.email), output, 2)).statusCode, 404);
    assert.equal((await sec.delete(`/api/programme/results/${output}`)).statusCode, 400);
    assert.equal((await del(sec, output, 'two')).statusCode, 400);
    assert.equal((await del(sec, '00000000-0000-7000-8000-000000000000', 1)).statusCode, 404);
    // The actual deleted, an activity linked to the output holds it still.
    const act = await ok(
      await sec.post('/api/programme/activities', {
        type: 'workshop',
        title: 'Workshop on the output',
        startsOn: '2026-06-01',
        endsOn: '2026-06-02',
        partnershipIds: [ids.pA],
        costs: [],
      }),
      201,
    );
    const linkTo = async (outputIds: string[]) => {
      const a = await ok(await sec.get(`/api/programme/activities/${act.id}`));
      await ok(
        await put(sec, `/api/programme/activities/${act.id}/outputs`, { version: a.version, outputIds }),
      );
    };
    await linkTo([output]);
    noContent(await sec.delete(`/api/programme/actuals/${actual}?version=1`));
    const held = await del(sec, output, 2);
    assert.equal(held.statusCode, 409);
    assert.match(held.json<Json>().detail, /0 entered actual\(s\) and 1 linked activit/);
    assert.equal(await count('programme_results', 'id', output), 1);
    await linkTo([]);
    // Empty now: a stale version is still refused; the current one deletes the output and its indicator.
    assert.equal((await del(sec, output, 1)).json<Json>().code, 'VERSION_CONFLICT');
    noContent(await del(sec, output, 2));
    assert.equal(await count('programme_results', 'id', output), 0);
    assert.equal(await count('programme_indicators', 'id', onOutput), 0);
    // The outcome goes with its own indicator; the partnership's other outcomes stay.
    const others = (await ok(await sec.get(`${base}/results`))).outcomes.length;
    noContent(await del(sec, outcome, 2));
    assert.equal(await count('programme_indicators', 'id', onOutcome), 0);
    const after = (await ok(await sec.get(`${base}/results`))).outcomes as Json[];
    assert.equal(after.length, others - 1);
    assert.ok(!after.some((o) => o.id === outcome));
    assert.equal((await del(sec, outcome, 2)).statusCode, 404);
    const audit = await h.kernel.db.query<{ entity_id: string; data: Json }>(
      "select entity_id, data from audit_events where action = 'programme.result.deleted' order by seq",
    );
    assert.deepEqual(
      audit.map((a) => [a.entity_id, a.data.level, a.data.title, a.data.outputs, a.data.indicators]),
      [
        [output, 'output', 'Officers trained twice', 0, 1],
        [outcome, 'outcome', 'Corruption reduced', 0, 1],
      ],
    );
  });

  it('an outcome with outputs and indicators but no data goes in one step', async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const outcome = (await ok(await sec.post(`${base}/results`, { level: 'outcome', title: 'Draft' }), 201))
      .id as string;
    for (const title of ['Draft output 1', 'Draft output 2']) {
      const out = (
        await ok(await sec.post(`${base}/results`, { level: 'output', parentId: outcome, title }), 201)
      ).id as string;
      await ok(
        await sec.post(`${base}/indicators`, {
          resultId: out,
          name: `${title} indicator`,
          unit: 'u',
          baseline: '0',
          target: '1',
          direction: 'increase',
          // A linked indicator holds no stored figure.
          link: { kind: 'rad_factor', factor: 3 },
        }),
        201,
      );
    }
    noContent(await sec.delete(`/api/programme/results/${outcome}?version=1`));
    const left = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from programme_results where title like 'Draft%'",
    );
    assert.equal(left[0]!.n, 0);
    const [a] = await h.kernel.db.query<{ data: Json }>(
      "select data from audit_events where action = 'programme.result.deleted' and entity_id = $1",
      [outcome],
    );
    assert.deepEqual([a!.data.outputs, a!.data.indicators], [2, 2]);
  });

  it('an entered actual is corrected or deleted, version-checked and audited; a linked figure has no row to correct', async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const find = async () =>
      (await ok(await sec.get(`${base}/results`))).outcomes
        .flatMap((o: Json) => [...o.indicators, ...o.outputs.flatMap((x: Json) => x.indicators)])
        .find((i: Json) => i.id === ids.trained) as Json;
    let i = await find();
    const [h1, h2] = i.actuals as Json[];
    assert.deepEqual(
      [h1!.periodLabel, h1!.version, h2!.periodLabel, h2!.version],
      ['2026 H1', 1, '2026 H2', 1],
    );
    const patch = (c: Client, id: string, body: Json) => c.patch(`/api/programme/actuals/${id}`, body);
    // The wrong figure of H1 corrected.
    assert.deepEqual(await ok(await patch(sec, h1!.id, { version: 1, value: '36' })), {
      id: h1!.id,
      version: 2,
    });
    // A second editor who read version 1: refused; so are bad input and other roles.
    const stale = await patch(sec, h1!.id, { version: 1, value: '99' });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json<Json>().code, 'VERSION_CONFLICT');
    assert.equal((await patch(sec, h1!.id, { version: 2, value: 'many' })).statusCode, 400);
    assert.equal(
      (await patch(sec, h1!.id, { version: 2, periodStart: '2026-02-01', periodEnd: '2026-01-01' }))
        .statusCode,
      400,
    );
    // The merged period ends before it starts (only its start sent).
    const backwards = await patch(sec, h1!.id, { version: 2, periodStart: '2027-01-01' });
    assert.equal(backwards.statusCode, 422);
    // H1 moved onto H2's period: refused as a second entry for the period.
    const twice = await patch(sec, h1!.id, {
      version: 2,
      periodStart: '2026-07-01',
      periodEnd: '2026-12-31',
    });
    assert.equal(twice.statusCode, 409);
    assert.match(twice.json<Json>().detail, /already entered for this period/);
    assert.equal((await patch(officerA, h1!.id, { version: 2, value: '1' })).statusCode, 403);
    assert.equal((await patch(donor1, h1!.id, { version: 2, value: '1' })).statusCode, 403);
    assert.equal(
      (await patch(await h.as(h.a.users.platform_admin.email), h1!.id, { version: 2, value: '1' }))
        .statusCode,
      404,
    );
    assert.equal(
      (await patch(sec, '00000000-0000-7000-8000-000000000000', { version: 1, value: '1' })).statusCode,
      404,
    );
    i = await find();
    assert.deepEqual(
      i.actuals.map((a: Json) => [a.periodLabel, a.value, a.version]),
      [
        ['2026 H1', '36', 2],
        ['2026 H2', '82.5', 1],
      ],
    );
    // The period relabelled and its start moved, in one correction.
    await ok(await patch(sec, h1!.id, { version: 2, periodLabel: '2026 Q1–Q2', periodStart: '2026-01-02' }));
    // H2 deleted: a stale version is refused, then it goes; the latest is H1 again.
    assert.equal((await sec.delete(`/api/programme/actuals/${h2!.id}?version=2`)).statusCode, 409);
    assert.equal((await officerA.delete(`/api/programme/actuals/${h2!.id}?version=1`)).statusCode, 403);
    assert.equal((await donor1.delete(`/api/programme/actuals/${h2!.id}?version=1`)).statusCode, 403);
    noContent(await sec.delete(`/api/programme/actuals/${h2!.id}?version=1`));
    assert.equal((await sec.delete(`/api/programme/actuals/${h2!.id}?version=1`)).statusCode, 404);
    i = await find();
    assert.deepEqual(
      i.actuals.map((a: Json) => [a.periodLabel, a.periodStart, a.value]),
      [['2026 Q1–Q2', '2026-01-02', '36']],
    );
    assert.equal(i.latest.value, '36');
    // Its period free again, H2 is entered anew.
    await ok(
      await sec.post(`/api/programme/indicators/${ids.trained}/actuals`, {
        periodLabel: '2026 H2',
        periodStart: '2026-07-01',
        periodEnd: '2026-12-31',
        value: '80',
      }),
      201,
    );
    // A linked indicator's figure carries no id: nothing to correct but its link.
    const linked = (await ok(await sec.get(`${base}/results`))).outcomes[0].indicators.find(
      (x: Json) => x.id === ids.radF6,
    );
    assert.deepEqual([linked.latest.id, linked.latest.version], [null, null]);
    const audit = await h.kernel.db.query<{ action: string; data: Json }>(
      "select action, data from audit_events where entity_type = 'programme_actual' and data->>'indicatorId' = $1 order by seq",
      [ids.trained],
    );
    assert.deepEqual(
      audit.map((a) => [a.action, a.data.from, a.data.to, a.data.period, a.data.value]),
      [
        ['programme.actual.corrected', { value: '35.0000' }, { value: '36.0000' }, undefined, undefined],
        [
          'programme.actual.corrected',
          { periodLabel: '2026 H1', periodStart: '2026-01-01' },
          { periodLabel: '2026 Q1–Q2', periodStart: '2026-01-02' },
          undefined,
          undefined,
        ],
        ['programme.actual.deleted', undefined, undefined, '2026 H2', '82.5000'],
      ],
    );
  });
  it("an indicator linked to the partner's KPI series shows each recorded value, follows new ones, and stops when the KPI consent is withdrawn", async () => {
    const base = `/api/programme/partnerships/${ids.pA}`;
    const kpi = await ok(
      await officerA.post('/api/action-plans/kpis', {
        code: 'K-TRAIN',
        name: 'Officers trained in integrity',
        unit: 'officers',
        direction: 'increase',
      }),
      201,
    );
    const record = async (periodEnd: string, value: number) =>
      ok(await officerA.post(`/api/action-plans/kpis/${kpi.id}/values`, { periodEnd, value }), 201);
    await record('2026-03-31', 12);
    await record('2026-06-30', 30.5);
    const outcome = (
      await ok(await sec.post(`${base}/results`, { level: 'outcome', title: 'KPI outcome' }), 201)
    ).id as string;
    const indicator = (name: string, code: string) =>
      sec.post(`${base}/indicators`, {
        resultId: outcome,
        name,
        unit: 'officers',
        baseline: '0',
        target: '50',
        direction: 'increase',
        link: { kind: 'kpi', code },
      });
    const linked = (await ok(await indicator('Trained (KPI)', 'K-TRAIN'), 201)).id as string;
    await ok(await indicator('Unknown KPI', 'K-NONE'), 201);
    assert.equal((await indicator('Bad code', 'K TRAIN')).statusCode, 400);
    assert.equal((await indicator('Empty code', '')).statusCode, 400);
    const view = async (c: Client = sec, url = `${base}/results`) => {
      const o = (await ok(await c.get(url))).outcomes.find((x: Json) => x.title === 'KPI outcome');
      return Object.fromEntries(o.indicators.map((i: Json) => [i.name, i])) as Record<string, Json>;
    };
    // The RAD scores are shared; the KPIs are not yet: consent is given per kind of evidence.
    await ok(await put(officerA, '/api/programme/consent', { share: true }));
    let v = await view();
    assert.deepEqual(v['Trained (KPI)']!.link, { kind: 'kpi', code: 'K-TRAIN' });
    assert.deepEqual(
      v['Trained (KPI)']!.actuals.map((a: Json) => [a.status, a.value]),
      [['no_consent', null]],
    );
    assert.equal((await put(sec, '/api/programme/consent', { share: true, scope: 'kpis' })).statusCode, 403);
    assert.equal(
      (await put(officerA, '/api/programme/consent', { share: true, scope: 'ratings' })).statusCode,
      400,
    );
    const granted = await ok(await put(officerA, '/api/programme/consent', { share: true, scope: 'kpis' }));
    assert.deepEqual([granted.scope, granted.active], ['kpis', true]);
    v = await view();
    const series = (i: Json) => i.actuals.map((a: Json) => [a.periodEnd, a.value, a.source, a.status]);
    assert.deepEqual(series(v['Trained (KPI)']!), [
      ['2026-03-31', '12', 'kpi', 'ok'],
      ['2026-06-30', '30.5', 'kpi', 'ok'],
    ]);
    assert.deepEqual(v['Trained (KPI)']!.latest.evidence, {
      kind: 'kpi',
      kpiId: kpi.id,
      code: 'K-TRAIN',
      name: 'Officers trained in integrity',
      unit: 'officers',
    });
    assert.deepEqual(
      v['Unknown KPI']!.actuals.map((a: Json) => [a.status, a.value]),
      [['no_kpi', null]],
    );
    // A value recorded later, and a period's value replaced, show at the next read.
    await record('2026-09-30', 41);
    await record('2026-06-30', 31);
    v = await view();
    assert.deepEqual(
      v['Trained (KPI)']!.actuals.map((a: Json) => [a.periodEnd, a.value]),
      [
        ['2026-03-31', '12'],
        ['2026-06-30', '31'],
        ['2026-09-30', '41'],
      ],
    );
    assert.equal(v['Trained (KPI)']!.latest.value, '41');
    // The donor's report for a period shows the KPI's last value in that period, with its source.
    const report = async (from: string, to: string) => {
      const res = await donor1.get(`/api/programme/donor/report?from=${from}&to=${to}&format=html`);
      assert.equal(res.statusCode, 200, res.body.slice(0, 300));
      return res.body;
    };
    const h1 = await report('2026-01-01', '2026-06-30');
    assert.match(h1, /KPI K-TRAIN, Officers trained in integrity, period ending 2026-06-30/);
    assert.doesNotMatch(h1, /period ending 2026-09-30/);
    assert.match(
      await report('2026-07-01', '2026-12-31'),
      /KPI K-TRAIN, Officers trained in integrity, period ending 2026-09-30/,
    );
    // The funding donor reads the same series; a linked indicator takes no entered actual.
    const donorView = await view(donor1, `/api/programme/donor/partnerships/${ids.pA}/results`);
    assert.deepEqual(series(donorView['Trained (KPI)']!), series(v['Trained (KPI)']!));
    assert.equal(
      (
        await sec.post(`/api/programme/indicators/${linked}/actuals`, {
          periodLabel: '2026',
          periodStart: '2026-01-01',
          periodEnd: '2026-12-31',
          value: '1',
        })
      ).statusCode,
      409,
    );
    // Withdrawn: no figure, no source, for everyone; the RAD scores stay shared.
    assert.equal(
      (await ok(await put(officerA, '/api/programme/consent', { share: false, scope: 'kpis' }))).active,
      false,
    );
    for (const [c, url] of [
      [sec, `${base}/results`],
      [donor1, `/api/programme/donor/partnerships/${ids.pA}/results`],
      [officerA, `/api/programme/mine/partnerships/${ids.pA}/results`],
    ] as const) {
      const w = (await view(c, url))['Trained (KPI)']!;
      assert.deepEqual(
        w.actuals.map((a: Json) => [a.status, a.value, a.evidence]),
        [['consent_withdrawn', null, null]],
      );
    }
    const rad = (await ok(await sec.get(`${base}/results`))).outcomes[0].indicators.find(
      (i: Json) => i.id === ids.radF6,
    );
    assert.equal(rad.latest.status, 'ok');
    assert.equal((await ok(await officerA.get('/api/programme/consent?scope=kpis'))).active, false);
    assert.equal((await ok(await officerA.get('/api/programme/consent'))).active, true);
    const audit = await h.kernel.db.query<{ action: string; scope: string }>(
      "select action, data->>'scope' as scope from audit_events where tenant_id = $1 and action like 'programme.consent.%' and data->>'scope' = 'kpis' order by seq",
      [h.a.id],
    );
    assert.deepEqual(
      audit.map((a) => a.action),
      ['programme.consent.granted', 'programme.consent.revoked'],
    );
    // Unlinked: the KPI code goes with the link.
    const cur = v['Trained (KPI)']!;
    await ok(await sec.patch(`/api/programme/indicators/${linked}`, { version: cur.version, link: null }));
    const [row] = await h.kernel.db.query<{ link: string | null; link_kpi: string | null }>(
      'select link, link_kpi from programme_indicators where id = $1',
      [linked],
    );
    assert.deepEqual(row, { link: null, link_kpi: null });
    await ok(await put(officerA, '/api/programme/consent', { share: false }));
  });
});
