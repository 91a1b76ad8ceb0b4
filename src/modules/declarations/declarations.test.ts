import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { REMINDERS_JOB } from './declarations.api.ts';

const FUTURE = '2999-01-01';
// Distinctive amounts: a raw dump or a response containing them leaks asset data.
const SECRET_AMOUNTS = ['731942.17', '1245678.93', '48211.55', '96403.29', '183457.61', '22222.71'];

const count = async (h: Harness, sql: string, params: unknown[] = []) =>
  (await h.kernel.db.query<{ n: number }>(sql, params))[0]!.n;

function problem(res: LightMyRequestResponse, status: number) {
  assert.equal(res.statusCode, status, res.body);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
}

describe('declarations', () => {
  let h: Harness;
  let staff: Client;
  let manager: Client;
  let officer: Client;
  let investigator: Client;
  let orgAdmin: Client;
  let analyst: Client;
  let port: string;
  let hq: string;
  before(async () => {
    h = await createHarness();
    const unit = async (name: string) =>
      (
        await h.kernel.db.query<{ id: string }>(
          `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', $2) returning id`,
          [h.a.id, name],
        )
      )[0]!.id;
    port = await unit('Port office');
    hq = await unit('Headquarters');
    const place = (role: keyof Harness['a']['users'], u: string) =>
      h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2 and tenant_id = $3', [
        u,
        h.a.users[role].id,
        h.a.id,
      ]);
    for (const r of ['staff', 'line_manager', 'analyst', 'executive', 'case_handler'] as const)
      await place(r, port);
    await place('integrity_officer', hq);
    staff = await h.as(h.a.users.staff.email);
    manager = await h.as(h.a.users.line_manager.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    investigator = await h.as(h.a.users.investigator.email);
    orgAdmin = await h.as(h.a.users.org_admin.email);
    analyst = await h.as(h.a.users.analyst.email);
  });
  after(() => h.close());

  const decls = () => count(h, 'select count(*)::int as n from declarations');
  const flagsOf = (rule: string, userId?: string) =>
    h.kernel.db.query<{ id: string; declaration_id: string | null; facts: Record<string, unknown> }>(
      `select id, declaration_id, facts from declaration_flags where rule = $1 ${userId ? 'and user_id = $2' : ''}`,
      userId ? [rule, userId] : [rule],
    );
  /** The reviewer's words for the first flag of a rule, in a language. */
  const explanation = async (rule: string, lang: string): Promise<string> => {
    const res = await officer.request({
      method: 'GET',
      url: '/api/declarations/flags',
      headers: { 'accept-language': lang },
    });
    const flag = (res.json().items as { rule: string; explanation: string }[]).find((x) => x.rule === rule);
    assert.ok(flag, `${rule}: ${res.body.slice(0, 200)}`);
    return flag.explanation;
  };
  const gift = (over: Record<string, unknown> = {}) => ({
    type: 'gift',
    giver: 'Acme Clearing Ltd',
    giftDate: '2026-03-01',
    description: 'Dinner',
    value: 40,
    currency: 'USD',
    disposition: 'accepted_under_threshold',
    ...over,
  });

  it('saves settings (version 0 first, 409 when stale) and refuses bad ones with nothing stored', async () => {
    assert.equal((await staff.get('/api/declarations/settings')).json().version, 0);
    const body = {
      enabledTypes: ['conflict', 'gift', 'asset'],
      baseCurrency: 'USD',
      rates: { EUR: 1.1, XOF: 0.0017 },
      giftThreshold: 100,
      repeatGiftCount: 3,
      repeatGiftWindowDays: 90,
      growthFactor: 1.5,
      version: 0,
    };
    problem(
      await orgAdmin.request({
        method: 'PUT',
        url: '/api/declarations/settings',
        payload: { ...body, rates: { XYZ: 2 } },
      }),
      400,
    );
    problem(
      await orgAdmin.request({
        method: 'PUT',
        url: '/api/declarations/settings',
        payload: { ...body, giftThreshold: -1 },
      }),
      400,
    );
    problem(
      await orgAdmin.request({
        method: 'PUT',
        url: '/api/declarations/settings',
        payload: { ...body, colour: 'red' },
      }),
      400,
    );
    assert.equal(await count(h, 'select count(*)::int as n from declaration_settings'), 0);
    problem(await staff.request({ method: 'PUT', url: '/api/declarations/settings', payload: body }), 403);
    const ok = await orgAdmin.request({ method: 'PUT', url: '/api/declarations/settings', payload: body });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().version, 1);
    problem(await orgAdmin.request({ method: 'PUT', url: '/api/declarations/settings', payload: body }), 409);
  });

  it('refuses bad declarations with a 4xx problem and stores nothing', async () => {
    const asset = {
      type: 'asset',
      assetKind: 'annual',
      periodYear: 2025,
      items: [{ category: 'vehicle', description: 'Car', value: 1000, acquiredOn: '2020-01-01' }],
      liabilities: [],
      income: [],
    };
    const bad: [unknown, number][] = [
      [gift({ value: -5 }), 400],
      [gift({ value: 1e13 }), 400],
      [gift({ value: Number.NaN }), 400],
      [gift({ currency: 'ABC' }), 400],
      [gift({ currency: 'usd' }), 400],
      [gift({ currency: 'JPY' }), 422], // a real currency without an exchange rate
      [gift({ giftDate: FUTURE }), 400],
      [gift({ secret: 1 }), 400],
      [{ ...asset, items: [{ ...asset.items[0], acquiredOn: FUTURE }] }, 400],
      [{ ...asset, items: [{ ...asset.items[0], value: -1 }] }, 400],
      [{ ...asset, liabilities: [{ description: 'Loan', amount: 5e12 }] }, 400],
      [{ ...asset, extra: true }, 400],
      [
        {
          type: 'conflict',
          partyKind: 'broker',
          partyName: 'X',
          partyIdentifier: 'T1',
          nature: 'n',
          mitigation: 'pray',
        },
        400,
      ],
      [{ type: 'pension' }, 400],
    ];
    for (const [payload, status] of bad) problem(await staff.post('/api/declarations', payload), status);
    assert.equal(await decls(), 0);
    assert.equal(await count(h, 'select count(*)::int as n from declaration_flags'), 0);
  });

  let conflictId: string;
  it('files conflicts: the unit line manager approves; no mitigation raises a flag', async () => {
    const base = {
      type: 'conflict',
      partyKind: 'broker',
      partyName: 'Harbour Brokers SARL',
      partyIdentifier: 'TIN 44-1029',
      nature: 'My brother is a partner',
    };
    const ok = await staff.post('/api/declarations', { ...base, mitigation: 'recusal' });
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().approval, 'pending');
    conflictId = ok.json().id;
    assert.equal((await flagsOf('conflict_unmitigated')).length, 0, 'mitigated: no flag');
    const none = await analyst.post('/api/declarations', {
      ...base,
      partyName: 'Delta Imports',
      mitigation: 'none',
    });
    assert.equal(none.statusCode, 201);
    const f = await flagsOf('conflict_unmitigated');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.declaration_id, none.json().id);
    // The line manager of the unit was told, and sees both in the approvals list.
    assert.equal(
      await count(
        h,
        "select count(*)::int as n from notifications where user_id = $1 and kind = 'declarations.approval'",
        [h.a.users.line_manager.id],
      ),
      2,
    );
    const list = (await manager.get('/api/declarations/approvals')).json().items as { id: string }[];
    assert.ok(list.some((d) => d.id === conflictId));
    problem(
      await orgAdmin.post(`/api/declarations/${conflictId}/approval`, { decision: 'approved', version: 1 }),
      403,
    );
    problem(
      await staff.post(`/api/declarations/${conflictId}/approval`, { decision: 'approved', version: 1 }),
      403,
    );
    problem(
      await manager.post(`/api/declarations/${conflictId}/approval`, { decision: 'approved', version: 7 }),
      409,
    );
    const approved = await manager.post(`/api/declarations/${conflictId}/approval`, {
      decision: 'approved',
      note: 'Recusal from Harbour files',
      version: 1,
    });
    assert.equal(approved.statusCode, 200, approved.body);
    assert.equal(approved.json().approval, 'approved');
    problem(
      await manager.post(`/api/declarations/${conflictId}/approval`, { decision: 'rejected', version: 2 }),
      409,
    );
    // A line manager of another unit does not see it.
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2', [
      hq,
      h.a.users.line_manager.id,
    ]);
    problem(
      await manager.post(`/api/declarations/${none.json().id}/approval`, {
        decision: 'approved',
        version: 1,
      }),
      404,
    );
    assert.equal((await manager.get(`/api/declarations/${none.json().id}`)).statusCode, 404);
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2', [
      port,
      h.a.users.line_manager.id,
    ]);
    const [audit] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'declarations.declaration.approved' and entity_id = $1",
      [conflictId],
    );
    assert.equal(audit!.n, 1);
  });

  it('flags a gift over the threshold (converted to the base currency), not one under it or declined', async () => {
    const under = await staff.post(
      '/api/declarations',
      gift({ giver: 'Small Co', value: 80, currency: 'EUR' }),
    ); // 88 USD
    assert.equal(under.statusCode, 201, under.body);
    const declined = await staff.post(
      '/api/declarations',
      gift({ giver: 'Big Co', value: 900, disposition: 'declined' }),
    );
    assert.equal(declined.statusCode, 201);
    assert.equal((await flagsOf('gift_over_threshold')).length, 0);
    const over = await staff.post(
      '/api/declarations',
      gift({ giver: 'Rich Co', value: 100, currency: 'EUR' }),
    ); // 110 USD
    assert.equal(over.json().baseValue, 110);
    const f = await flagsOf('gift_over_threshold');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.declaration_id, over.json().id);
    assert.equal(f[0]!.facts.baseValue, 110);
    const flags = (await officer.get('/api/declarations/flags')).json().items as {
      rule: string;
      explanation: string;
    }[];
    const words = flags.find((x) => x.rule === 'gift_over_threshold')!.explanation;
    assert.match(words, /Rich Co.*100 EUR.*110 USD.*threshold of 100 USD/);
    const fr = await officer.request({
      method: 'GET',
      url: '/api/declarations/flags',
      headers: { 'accept-language': 'fr' },
    });
    assert.match(
      fr.json().items.find((x: { rule: string }) => x.rule === 'gift_over_threshold').explanation,
      /dépasse le seuil/,
    );
  });

  it('flags repeated gifts from one giver within the window, not spread-out or fewer ones', async () => {
    // Twice from one giver: no flag; three times within 90 days (spelling varies): a flag.
    await analyst.post('/api/declarations', gift({ giver: 'Port Logistics', giftDate: '2026-01-05' }));
    await analyst.post('/api/declarations', gift({ giver: 'port  logistics.', giftDate: '2026-02-05' }));
    assert.equal((await flagsOf('gift_repeated_giver')).length, 0);
    // Three from another giver, but 100 days apart: no flag.
    for (const d of ['2025-01-01', '2025-04-15', '2025-07-30'])
      await analyst.post('/api/declarations', gift({ giver: 'Slow Freight', giftDate: d }));
    assert.equal((await flagsOf('gift_repeated_giver')).length, 0);
    await analyst.post('/api/declarations', gift({ giver: 'PORT LOGISTICS', giftDate: '2026-03-01' }));
    const f = await flagsOf('gift_repeated_giver', h.a.users.analyst.id);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.facts.count, 3);
    assert.equal(f[0]!.facts.from, '2026-01-05');
    // The counts are written with their nouns in each language's plural form.
    assert.match(
      await explanation('gift_repeated_giver', 'en'),
      /^3 gifts from .*: at least 3 within 90 days\.$/,
    );
    assert.match(
      await explanation('gift_repeated_giver', 'fr'),
      /^3 cadeaux de .* : au moins 3 en 90 jours\.$/,
    );
    assert.match(
      await explanation('gift_repeated_giver', 'ru'),
      /^3 подарка от .*: не менее 3 за 90 дней\.$/,
    );
  });

  const asset = (year: number, items: number[], liabilities: number[], income: number[]) => ({
    type: 'asset',
    assetKind: 'annual',
    periodYear: year,
    items: items.map((value, i) => ({
      category: i ? 'bank_account' : 'real_estate',
      description: `Item ${i}`,
      value,
      acquiredOn: '2019-05-01',
    })),
    liabilities: liabilities.map((amount) => ({ description: 'Mortgage', amount })),
    income: income.map((amount) => ({ description: 'Salary', amount })),
  });

  let grownId: string;
  it('flags asset growth out of line with declared income, not growth within it', async () => {
    // staff: net worth 731942.17 - 48211.55 → 1245678.93; income 96403.29 × 1.5 < the increase.
    const a1 = await staff.post('/api/declarations', asset(2024, [731942.17], [48211.55], [96403.29]));
    assert.equal(a1.statusCode, 201, a1.body);
    const a2 = await staff.post('/api/declarations', asset(2025, [1245678.93], [], [96403.29]));
    grownId = a2.json().id;
    // analyst: 183457.61 → 183457.61 + 22222.71; income 96403.29: within it.
    await analyst.post('/api/declarations', asset(2024, [183457.61], [], [96403.29]));
    await analyst.post('/api/declarations', asset(2025, [183457.61, 22222.71], [], [96403.29]));
    const f = await flagsOf('asset_growth');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.declaration_id, grownId);
    // The facts in clear hold no amount.
    for (const s of SECRET_AMOUNTS) assert.ok(!JSON.stringify(f[0]!.facts).includes(s));
    const list = (await officer.get('/api/declarations/flags')).json().items as {
      rule: string;
      explanation: string;
    }[];
    const growth = list.find((x) => x.rule === 'asset_growth')!;
    assert.match(growth.explanation, /2024 and 2025/);
    assert.doesNotMatch(growth.explanation, /\d{5}/, 'no amount outside the audited asset view');
  });

  it('keeps asset values out of a raw database dump', async () => {
    for (const table of ['declarations', 'declaration_flags', 'audit_events', 'notifications']) {
      const dump = JSON.stringify(await h.kernel.db.query(`select * from ${table}`));
      for (const s of SECRET_AMOUNTS) {
        assert.ok(!dump.includes(s), `${s} in ${table}`);
        assert.ok(!dump.includes(s.replace('.', '')), `${s} (digits) in ${table}`);
      }
    }
    const [row] = await h.kernel.db.query<{ asset_sealed: string }>(
      'select asset_sealed from declarations where id = $1',
      [grownId],
    );
    assert.match(row!.asset_sealed, /^v1\./);
  });

  it('shows asset values to reviewers and the declarant only, auditing every read', async () => {
    const reads = () =>
      count(
        h,
        "select count(*)::int as n from audit_events where action = 'declarations.asset_declaration.read' and entity_id = $1",
        [grownId],
      );
    const before = await reads();
    const seen = await officer.post(`/api/declarations/${grownId}/asset-values`);
    assert.equal(seen.statusCode, 200, seen.body);
    assert.equal(seen.json().items[0].value, 1245678.93);
    assert.match(seen.json().flags[0].explanation, /1245678\.93/);
    assert.equal((await investigator.post(`/api/declarations/${grownId}/asset-values`)).statusCode, 200);
    assert.equal((await staff.post(`/api/declarations/${grownId}/asset-values`)).statusCode, 200);
    assert.equal(await reads(), before + 3);
    // Not the line manager, not the org admin, not anyone else.
    for (const c of [manager, orgAdmin, analyst])
      problem(await c.post(`/api/declarations/${grownId}/asset-values`), 404);
    assert.equal(await reads(), before + 3);
  });

  it('a line manager or an org admin reads no asset value through any route', async () => {
    const routes = h.app.registeredRoutes.filter((r) => r.url.startsWith('/api/declarations'));
    assert.ok(routes.length >= 14);
    for (const c of [manager, orgAdmin]) {
      for (const r of routes) {
        const url = r.url.replace(':id', grownId);
        const res = await c.request({
          method: r.method as 'GET',
          url,
          ...(r.method === 'GET' ? {} : { payload: {} }),
        });
        for (const s of SECRET_AMOUNTS) assert.ok(!res.body.includes(s), `${r.method} ${r.url} leaks ${s}`);
      }
      // Every other route of the application, with the asset declaration's id where one is taken.
      for (const r of h.app.registeredRoutes.filter((x) => x.url.startsWith('/api/') && x.method === 'GET')) {
        const res = await c.get(r.url.replace(/:(id|\w+Id)\b/g, grownId).replace(/:\w+/g, 'x'));
        for (const s of SECRET_AMOUNTS) assert.ok(!res.body.includes(s), `${r.url} leaks ${s}`);
      }
    }
    problem(await manager.get('/api/declarations/queue'), 403);
    problem(await orgAdmin.get('/api/declarations/flags'), 403);
    assert.equal((await manager.get(`/api/declarations/${grownId}`)).statusCode, 404);
    const approvals = (await manager.get('/api/declarations/approvals')).json().items as { type: string }[];
    assert.ok(approvals.length > 0 && approvals.every((d) => d.type !== 'asset'));
  });

  it('moves a declaration through review with its permission checks', async () => {
    const d = (await staff.get('/api/declarations/mine'))
      .json()
      .items.find((x: { id: string }) => x.id === conflictId);
    assert.equal(d.status, 'submitted');
    problem(
      await staff.post(`/api/declarations/${conflictId}/review`, { action: 'start', version: d.version }),
      403,
    );
    problem(
      await manager.post(`/api/declarations/${conflictId}/review`, { action: 'start', version: d.version }),
      403,
    );
    problem(
      await officer.post(`/api/declarations/${conflictId}/review`, {
        action: 'refer',
        reference: 'C-1',
        version: d.version,
      }),
      409,
    );
    let r = await officer.post(`/api/declarations/${conflictId}/review`, {
      action: 'start',
      version: d.version,
    });
    assert.equal(r.json().status, 'under_review');
    r = await officer.post(`/api/declarations/${conflictId}/review`, {
      action: 'flag',
      note: 'Check',
      version: r.json().version,
    });
    assert.equal(r.json().status, 'flagged');
    problem(
      await officer.post(`/api/declarations/${conflictId}/review`, {
        action: 'refer',
        reference: 'X',
        version: 1,
      }),
      409,
    );
    r = await investigator.post(`/api/declarations/${conflictId}/review`, {
      action: 'refer',
      reference: 'IA-2026-007',
      version: r.json().version,
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'referred');
    // The referral opened a case in the cases module, linked; the agency's file number is kept.
    assert.equal(r.json().referralRef, 'IA-2026-007');
    assert.match(r.json().caseReference, /^CASE-\d{4}-\d{4}$/);
    const [opened] = await h.kernel.db.query<{ id: string; reference: string }>(
      'select id, reference from cases where source_ref = $1',
      [`declaration:${conflictId}`],
    );
    assert.equal(opened!.id, r.json().caseId);
    assert.equal(opened!.reference, r.json().caseReference);
    const [subject] = await h.kernel.db.query<{ user_id: string }>(
      'select user_id from case_subjects where case_id = $1',
      [opened!.id],
    );
    assert.equal(subject!.user_id, h.a.users.staff.id);
    problem(
      await officer.post(`/api/declarations/${conflictId}/review`, {
        action: 'clear',
        version: r.json().version,
      }),
      409,
    );
    // Nobody reviews their own declaration.
    const own = await officer.post('/api/declarations', gift({ giver: 'Self', value: 1 }));
    problem(
      await officer.post(`/api/declarations/${own.json().id}/review`, { action: 'start', version: 1 }),
      403,
    );
  });

  it('refers a declaration without an external reference: a case is opened and its reference shown', async () => {
    const g = await staff.post('/api/declarations', gift({ giver: 'Referral Test Co', value: 5 }));
    let r = await officer.post(`/api/declarations/${g.json().id}/review`, { action: 'start', version: 1 });
    r = await officer.post(`/api/declarations/${g.json().id}/review`, {
      action: 'refer',
      version: r.json().version,
    });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().status, 'referred');
    assert.equal(r.json().referralRef, null);
    assert.match(r.json().caseReference, /^CASE-/);
    const cases = await h.kernel.db.query<{ reference: string; tenant_id: string }>(
      'select reference, tenant_id from cases where source_ref = $1',
      [`declaration:${g.json().id}`],
    );
    assert.deepEqual(cases, [{ reference: r.json().caseReference, tenant_id: h.a.id }]);
    const [a] = await h.kernel.db.query<{ data: { caseId: string } }>(
      "select data from audit_events where action = 'declarations.declaration.referred' and entity_id = $1",
      [g.json().id],
    );
    assert.equal(a!.data.caseId, r.json().caseId);
    // Shown to the reviewer in the queue.
    const q = (await officer.get('/api/declarations/queue'))
      .json()
      .items.find((x: { id: string }) => x.id === g.json().id);
    assert.equal(q.caseReference, r.json().caseReference);
  });

  it('dismisses a flag with a reason or refers it with a reference, audited', async () => {
    const [f] = await flagsOf('conflict_unmitigated');
    problem(
      await officer.post(`/api/declarations/flags/${f!.id}/decision`, {
        decision: 'dismiss',
        reason: '',
        version: 1,
      }),
      400,
    );
    problem(
      await manager.post(`/api/declarations/flags/${f!.id}/decision`, {
        decision: 'dismiss',
        reason: 'ok',
        version: 1,
      }),
      403,
    );
    const d = await officer.post(`/api/declarations/flags/${f!.id}/decision`, {
      decision: 'dismiss',
      reason: 'The party has no file in this office',
      version: 1,
    });
    assert.equal(d.json().status, 'dismissed');
    problem(
      await officer.post(`/api/declarations/flags/${f!.id}/decision`, {
        decision: 'refer',
        reason: 'again',
        reference: 'R',
        version: 2,
      }),
      409,
    );
    const [g] = await flagsOf('gift_over_threshold');
    const ref = await officer.post(`/api/declarations/flags/${g!.id}/decision`, {
      decision: 'refer',
      reason: 'Too big',
      reference: 'CASE-12',
      version: 1,
    });
    assert.equal(ref.json().status, 'referred');
    const [a] = await h.kernel.db.query<{
      data: { reference: string; caseReference: string; caseId: string };
    }>("select data from audit_events where action = 'declarations.flag.referred' and entity_id = $1", [
      g!.id,
    ]);
    assert.equal(a!.data.reference, 'CASE-12');
    // The referral opened a real case in the cases module, concerning the declarant (docs/adr/0024).
    const [c] = await h.kernel.db.query<{ id: string; reference: string; source_kind: string }>(
      'select id, reference, source_kind from cases where source_ref = $1',
      [g!.id],
    );
    assert.equal(c!.source_kind, 'declaration_flag');
    assert.equal(a!.data.caseId, c!.id);
    assert.equal(a!.data.caseReference, c!.reference);
    const [s] = await h.kernel.db.query<{ user_id: string }>(
      'select user_id from case_subjects where case_id = $1',
      [c!.id],
    );
    const [flagged] = await h.kernel.db.query<{ user_id: string }>(
      'select user_id from declaration_flags where id = $1',
      [g!.id],
    );
    assert.equal(s!.user_id, flagged!.user_id);
  });

  let cycleId: string;
  const run = async (now: string) => {
    await h.kernel.jobs.enqueue(h.kernel.db.owner, REMINDERS_JOB, { now }, { tenantId: null });
    while ((await h.kernel.jobs.tick()) > 0) {
      /* drain the per-tenant jobs */
    }
  };
  // This cycle's notices only (the late-filing test's cycles are reminded too).
  const notes = () =>
    h.kernel.db.query<{ dedupe_key: string; user_id: string }>(
      'select dedupe_key, user_id from notifications where dedupe_key like $1 order by dedupe_key, user_id',
      [`cycle:${cycleId}:%`],
    );
  const missingHere = async () =>
    (await flagsOf('missing')).filter((f) => f.facts.cycle === 'Annual assets 2026');

  it('flags a late filing, not one on time', async () => {
    const open = await orgAdmin.post('/api/declarations/cycles', {
      title: 'Gifts 2999',
      type: 'gift',
      dueDate: FUTURE,
    });
    const onTime = await staff.post('/api/declarations', gift({ giver: 'Timely', cycleId: open.json().id }));
    assert.equal(onTime.statusCode, 201, onTime.body);
    assert.equal(onTime.json().late, false);
    const past = await orgAdmin.post('/api/declarations/cycles', {
      title: 'Gifts 2020',
      type: 'gift',
      dueDate: '2020-12-31',
    });
    const late = await staff.post('/api/declarations', gift({ giver: 'Tardy', cycleId: past.json().id }));
    assert.equal(late.json().late, true);
    const f = await flagsOf('late');
    assert.equal(f.length, 1);
    assert.equal(f[0]!.declaration_id, late.json().id);
    assert.match(await explanation('late', 'en'), /, \d+ days after the due date /);
    assert.match(await explanation('late', 'fr'), /, \d+ jours après l'échéance /);
    problem(
      await staff.post('/api/declarations', { ...asset(2026, [1], [], []), cycleId: past.json().id }),
      400,
    );
  });

  it('reminds once per due date, escalates to the line manager, and flags missing declarations', async () => {
    const c = await orgAdmin.post('/api/declarations/cycles', {
      title: 'Annual assets 2026',
      type: 'asset',
      assetKind: 'annual',
      year: 2026,
      unitIds: [port],
      dueDate: '2026-06-30',
    });
    assert.equal(c.statusCode, 201, c.body);
    cycleId = c.json().id;
    // The analyst files; four of the five in the port office do not.
    const filed = await analyst.post('/api/declarations', {
      ...asset(2026, [183457.61, 22222.71], [], [96403.29]),
      cycleId,
    });
    assert.equal(filed.statusCode, 201, filed.body);
    await run('2026-06-20T06:00:00Z');
    assert.equal((await notes()).length, 0, 'not yet due soon');
    await run('2026-06-25T06:00:00Z');
    const first = await notes();
    assert.equal(first.length, 4, JSON.stringify(first));
    assert.ok(first.every((n) => n.dedupe_key.endsWith(':due_soon:2026-06-30')));
    assert.ok(!first.some((n) => n.user_id === h.a.users.analyst.id), 'not who filed');
    await run('2026-06-25T06:00:00Z');
    await run('2026-06-26T06:00:00Z');
    assert.equal((await notes()).length, 4, 'never twice');
    assert.equal((await missingHere()).length, 0, 'not missing before the due date');
    await run('2026-07-01T06:00:00Z');
    const after = await notes();
    const overdue = after.filter((n) => n.dedupe_key.includes(':overdue:'));
    const esc = after.filter((n) => n.dedupe_key.includes(':escalation:'));
    assert.equal(overdue.length, 4);
    assert.ok(
      esc.length >= 3 && esc.every((n) => n.user_id === h.a.users.line_manager.id),
      JSON.stringify(esc),
    );
    assert.equal((await missingHere()).length, 4);
    assert.ok(
      !(await flagsOf('missing', h.a.users.analyst.id)).some((f) => f.facts.cycle === 'Annual assets 2026'),
      'no missing flag for who filed',
    );
    const n = (await notes()).length;
    await run('2026-07-02T06:00:00Z');
    assert.equal((await notes()).length, n, 'overdue and escalation once per due date');
    assert.equal((await missingHere()).length, 4);
    // A new due date reminds again.
    const v = (await orgAdmin.get('/api/declarations/cycles'))
      .json()
      .items.find((x: { id: string }) => x.id === cycleId).version;
    const moved = await orgAdmin.patch(`/api/declarations/cycles/${cycleId}`, {
      dueDate: '2026-07-05',
      version: v,
    });
    assert.equal(moved.statusCode, 200, moved.body);
    await run('2026-07-02T06:00:00Z');
    assert.ok((await notes()).some((x) => x.dedupe_key.endsWith(':due_soon:2026-07-05')));
    assert.equal(
      await count(
        h,
        "select count(*)::int as n from notifications where tenant_id = $1 and dedupe_key like 'cycle:%'",
        [h.b.id],
      ),
      0,
    );
  });

  it('gives statistics without individuals: small units suppressed, flags by rule, with no asset value', async () => {
    const res = await analyst.get('/api/declarations/statistics');
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    const c = s.cycles.find((x: { cycleId: string }) => x.cycleId === cycleId);
    assert.equal(c.expected, 5);
    assert.equal(c.submitted, 1);
    assert.equal(c.rate, 0.2);
    const whole = s.cycles.find((x: { title: string }) => x.title === 'Gifts 2020');
    const hqCell = whole.byUnit.find((u: { unitId: string }) => u.unitId === hq);
    assert.equal(hqCell.suppressed, true, 'a one-person unit shows no figure');
    assert.equal(hqCell.submitted, null);
    assert.equal(hqCell.rate, null);
    const portCell = whole.byUnit.find((u: { unitId: string }) => u.unitId === port);
    assert.equal(portCell.submitted, 1);
    // Missing: 4 in the port office for the asset cycle + 11 of 12 members for 'Gifts 2020'.
    assert.equal(s.flagsByRule.find((f: { rule: string }) => f.rule === 'missing').open, 15);
    assert.equal(s.flagsByRule.find((f: { rule: string }) => f.rule === 'conflict_unmitigated').dismissed, 1);
    for (const v of SECRET_AMOUNTS) assert.ok(!res.body.includes(v));
    assert.ok(!res.body.includes(h.a.users.staff.id) && !res.body.includes('staff A'), 'no individual');
    problem(await staff.get('/api/declarations/statistics'), 403);
  });

  it('a line manager alone in their unit has nothing to approve: an empty list, not an error', async () => {
    const [lone] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', 'Lone office') returning id`,
      [h.b.id],
    );
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2 and tenant_id = $3', [
      lone!.id,
      h.b.users.line_manager.id,
      h.b.id,
    ]);
    const res = await (await h.as(h.b.users.line_manager.email)).get('/api/declarations/approvals');
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().items, []);
  });
});

describe('declarations: demo data', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('seeds Norland settings and cycles once', async () => {
    await h.kernel.db.query("update organisations set short_name = 'Norland' where id = $1", [h.a.id]);
    const { declarationsModule } = await import('./index.ts');
    await declarationsModule.seedDemo!(h.kernel);
    await declarationsModule.seedDemo!(h.kernel);
    assert.equal(
      await count(h, 'select count(*)::int as n from declaration_settings where tenant_id = $1', [h.a.id]),
      1,
    );
    assert.equal(
      await count(h, 'select count(*)::int as n from declaration_cycles where tenant_id = $1', [h.a.id]),
      2,
    );
    assert.equal(
      await count(h, 'select count(*)::int as n from declaration_cycles where tenant_id = $1', [h.b.id]),
      0,
    );
  });
});
