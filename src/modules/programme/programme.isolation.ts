import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { IdentityService } from '../identity/index.ts';
import { recordsFixtures } from './programme.records.isolation.ts';
import { ResultsService } from './programme.results.ts';
import { ProgrammeService } from './programme.service.ts';

/**
 * Tenant B's expression of interest, and a Secretariat's agreement, partnership and activity:
 * tenant A (an administration, not the Secretariat) must not read or change any of them,
 * although its platform administrator holds programme.manage (docs/adr/0028).
 */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new ProgrammeService(h.kernel);
  const ids = new IdentityService(h.kernel);
  const wco = await ids.createOrganisation(null, {
    type: 'secretariat',
    name: 'WCO Secretariat (isolation)',
  });
  const pmUser = await ids.ensureUser({ email: 'pm@isolation.wco.test', name: 'PM' });
  await ids.addMembership(wco.id, pmUser.id, ['programme_manager']);
  const pm = { userId: pmUser.id, email: 'pm@isolation.wco.test' } as unknown as Actor;
  const bUser = h.b.users.integrity_officer;
  const bActor = { userId: bUser.id, email: bUser.email } as unknown as Actor;
  const eoi = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: bUser.id }, (tx) =>
    svc.submitEoi(tx, h.b.id, bActor, {
      headName: 'Head B',
      headTitle: 'Director General',
      endorsedOn: '2026-01-01',
      priorities: [{ factor: 1, note: '' }],
      initiatives: '',
      contactName: 'B contact',
      contactEmail: 'b@example.org',
      contactPhone: null,
    }),
  );
  const made = await withTenant(h.kernel.db, { tenantId: wco.id, userId: pm.userId }, async (tx) => {
    const donor = await svc.createDonor(tx, wco.id, pm, { name: 'Isolation donor', organisationId: null });
    const agreement = await svc.createAgreement(tx, wco.id, pm, {
      donorId: donor.id,
      reference: 'ISO-1',
      amount: { amount: '1000.00', currency: 'EUR' },
      startsOn: '2026-01-01',
      endsOn: '2026-12-31',
      earmarkRegion: null,
      earmarkPartnershipId: null,
    });
    const rate = await svc.addRate(tx, wco.id, pm, {
      from: 'USD',
      to: 'EUR',
      rate: '0.9',
      asOf: '2026-01-01',
    });
    // A second EOI of B made a partner, for the partnership fixture.
    return { donor: donor.id, agreement: agreement.id, rate: rate.id };
  });
  const eoi2 = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: bUser.id }, (tx) =>
    svc.submitEoi(tx, h.b.id, bActor, {
      headName: 'Head B',
      headTitle: 'Director General',
      endorsedOn: '2026-01-01',
      priorities: [{ factor: 2, note: '' }],
      initiatives: '',
      contactName: 'B contact',
      contactEmail: 'b@example.org',
      contactPhone: null,
    }),
  );
  const { partnership, activity, indicator, outcome, actual } = await withTenant(
    h.kernel.db,
    { tenantId: wco.id, userId: pm.userId },
    async (tx) => {
      const step = async (to: 'screening' | 'eligible_awaiting_funding' | 'partner', extra = {}) =>
        svc.transition(tx, wco.id, pm, eoi2.id, {
          version: (await svc.eoi(tx, eoi2.id)).version,
          to,
          reason: 'isolation',
          decidedOn: '2026-01-01',
          ...extra,
        });
      await step('screening');
      await step('eligible_awaiting_funding', { estimatedCost: { amount: '10.00', currency: 'EUR' } });
      await step('partner', {
        partnership: {
          startsOn: '2026-01-01',
          endsOn: '2026-12-31',
          donorIds: [made.donor],
          coordinatorName: 'C',
          coordinatorEmail: 'c@example.org',
        },
      });
      const [p] = await svc.partnerships(tx);
      const a = await svc.createActivity(tx, wco.id, pm, {
        type: 'workshop',
        title: 'Isolation workshop',
        costShares: null,
        startsOn: '2026-02-01',
        endsOn: '2026-02-02',
        partnershipIds: [p!.id],
        experts: [],
        participants: [],
        costs: [],
        outputs: '',
        report: '',
      });
      const results = new ResultsService(h.kernel);
      const outcome = await results.addResult(tx, wco.id, pm, p!.id, { level: 'outcome', title: 'O' });
      const i = await results.addIndicator(tx, wco.id, pm, p!.id, {
        resultId: outcome.id,
        name: 'I',
        unit: 'u',
        baseline: '0',
        target: '1',
        direction: 'increase',
      });
      // A second indicator holds an actual (the first has none, for the POST actuals fixture).
      const i2 = await results.addIndicator(tx, wco.id, pm, p!.id, {
        resultId: outcome.id,
        name: 'I2',
        unit: 'u',
        baseline: '0',
        target: '1',
        direction: 'increase',
      });
      const actual = await results.addActual(tx, wco.id, pm, i2.id, {
        periodLabel: '2026',
        periodStart: '2026-01-01',
        periodEnd: '2026-12-31',
        value: '1',
      });
      return { partnership: p!.id, activity: a.id, indicator: i.id, outcome: outcome.id, actual: actual.id };
    },
  );
  const one = async (sql: string, id: string) => ({
    ...(await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0],
  });
  const eoiUnchanged = async () => {
    assert.deepEqual(
      await one('select count(*)::int as n from programme_eoi_reviews where id = $1', eoi.id),
      { n: 0 },
    );
  };
  const resultUnchanged = async () =>
    assert.deepEqual(await one('select title, version from programme_results where id = $1', outcome), {
      title: 'O',
      version: 1,
    });
  const actualUnchanged = async () =>
    assert.deepEqual(
      await one(
        'select period_label, value::text as value, version from programme_actuals where id = $1',
        actual,
      ),
      { period_label: '2026', value: '1.0000', version: 1 },
    );
  // Files, edits and deletes (programme.records.ts).
  const records = await recordsFixtures(h, {
    eoi: eoi.id,
    wco: wco.id,
    pm,
    activity,
    agreement: made.agreement,
    partnership,
  });
  return {
    ...records,
    'GET /api/programme/eois/:id': { id: eoi.id },
    'PATCH /api/programme/results/:id': {
      id: outcome,
      payload: { version: 1, title: 'renamed by A' },
      unchanged: resultUnchanged,
    },
    'DELETE /api/programme/results/:id': {
      url: `/api/programme/results/${outcome}?version=1`,
      unchanged: resultUnchanged,
    },
    'PATCH /api/programme/actuals/:id': {
      id: actual,
      payload: { version: 1, value: '99' },
      unchanged: actualUnchanged,
    },
    'DELETE /api/programme/actuals/:id': {
      url: `/api/programme/actuals/${actual}?version=1`,
      unchanged: actualUnchanged,
    },
    'GET /api/programme/donors/:id/report': {
      url: `/api/programme/donors/${made.donor}/report?from=2026-01-01&to=2026-12-31&format=csv`,
    },
    'POST /api/programme/eois/:id/transition': {
      id: eoi.id,
      payload: { version: 1, to: 'screening', reason: 'A', decidedOn: '2026-01-01' },
      unchanged: eoiUnchanged,
    },
    'PATCH /api/programme/donors/:id': {
      id: made.donor,
      payload: { version: 1, name: 'renamed by A' },
      unchanged: async () =>
        assert.deepEqual(await one('select name, version from programme_donors where id = $1', made.donor), {
          name: 'Isolation donor',
          version: 1,
        }),
    },
    'PATCH /api/programme/agreements/:id': {
      id: made.agreement,
      payload: { version: 1, reference: 'renamed by A' },
      unchanged: async () =>
        assert.deepEqual(
          await one('select reference, version from programme_agreements where id = $1', made.agreement),
          { reference: 'ISO-1', version: 1 },
        ),
    },
    'PATCH /api/programme/rates/:id': {
      id: made.rate,
      payload: { version: 1, rate: '9' },
      unchanged: async () =>
        assert.deepEqual(
          await one('select rate::text as rate, version from programme_rates where id = $1', made.rate),
          { rate: '0.9000000000', version: 1 },
        ),
    },
    'POST /api/programme/agreements/:id/disbursements': {
      id: made.agreement,
      payload: { receivedOn: '2026-01-01', amount: { amount: '1.00', currency: 'EUR' } },
      unchanged: async () =>
        assert.deepEqual(
          await one(
            'select count(*)::int as n from programme_disbursements where agreement_id = $1',
            made.agreement,
          ),
          { n: 0 },
        ),
    },
    'PATCH /api/programme/partnerships/:id': {
      id: partnership,
      payload: { version: 1, coordinatorName: 'renamed by A' },
      unchanged: async () =>
        assert.deepEqual(
          await one(
            'select coordinator_name, version from programme_partnerships where id = $1',
            partnership,
          ),
          { coordinator_name: 'C', version: 1 },
        ),
    },
    'GET /api/programme/activities/:id': { id: activity },
    'PATCH /api/programme/activities/:id': {
      id: activity,
      payload: { version: 1, title: 'renamed by A' },
      unchanged: async () =>
        assert.deepEqual(
          await one('select title, version from programme_activities where id = $1', activity),
          {
            title: 'Isolation workshop',
            version: 1,
          },
        ),
    },
    'GET /api/programme/partnerships/:id/results': { id: partnership },
    'GET /api/programme/partnerships/:id/value-for-money': { id: partnership },
    'GET /api/programme/mine/partnerships/:id/value-for-money': { id: partnership },
    'GET /api/programme/donor/partnerships/:id/value-for-money': { id: partnership },
    'PUT /api/programme/activities/:id/outputs': {
      id: activity,
      payload: { version: 1, outputIds: [] },
      unchanged: async () =>
        assert.deepEqual(await one('select version from programme_activities where id = $1', activity), {
          version: 1,
        }),
    },
    'GET /api/programme/mine/partnerships/:id/results': { id: partnership },
    'GET /api/programme/donor/partnerships/:id/results': { id: partnership },
    // The multi-annual plan, as each reader sees it (programme.plan.ts).
    'GET /api/programme/partnerships/:id/plan': { id: partnership },
    'GET /api/programme/mine/partnerships/:id/plan': { id: partnership },
    'GET /api/programme/donor/partnerships/:id/plan': { id: partnership },
    'PUT /api/programme/partnerships/:id/plan': {
      id: partnership,
      payload: { version: 1, phases: [], kpis: [] },
      unchanged: async () =>
        assert.deepEqual(
          await one('select count(*)::int as n from programme_plans where partnership_id = $1', partnership),
          { n: 0 },
        ),
    },
    'POST /api/programme/partnerships/:id/results': {
      id: partnership,
      payload: { level: 'outcome', title: 'by A' },
      unchanged: async () =>
        assert.deepEqual(
          await one(
            'select count(*)::int as n from programme_results where partnership_id = $1',
            partnership,
          ),
          { n: 1 },
        ),
    },
    'POST /api/programme/partnerships/:id/indicators': {
      id: partnership,
      payload: {
        resultId: indicator,
        name: 'x',
        unit: 'u',
        baseline: '0',
        target: '1',
        direction: 'increase',
      },
      unchanged: async () =>
        assert.deepEqual(
          await one(
            'select count(*)::int as n from programme_indicators where partnership_id = $1',
            partnership,
          ),
          { n: 2 },
        ),
    },
    'POST /api/programme/partnerships/:id/evaluations': {
      id: partnership,
      payload: {
        title: 'by A',
        evaluator: 'A',
        evaluatedOn: '2026-01-01',
        criteria: ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'].map(
          (criterion) => ({ criterion, rating: 1, findings: 'x' }),
        ),
      },
      unchanged: async () =>
        assert.deepEqual(
          await one(
            // The records fixtures hold an evaluation of their own: none of A's.
            "select count(*)::int as n from programme_evaluations where partnership_id = $1 and title = 'by A'",
            partnership,
          ),
          { n: 0 },
        ),
    },
    'PATCH /api/programme/indicators/:id': {
      id: indicator,
      payload: { version: 1, link: { kind: 'rad_factor', factor: 2 } },
      unchanged: async () =>
        assert.deepEqual(
          await one('select version, link from programme_indicators where id = $1', indicator),
          { version: 1, link: null },
        ),
    },
    'POST /api/programme/indicators/:id/actuals': {
      id: indicator,
      payload: { periodLabel: 'A', periodStart: '2026-01-01', periodEnd: '2026-01-31', value: '1' },
      unchanged: async () =>
        assert.deepEqual(
          await one('select count(*)::int as n from programme_actuals where indicator_id = $1', indicator),
          { n: 0 },
        ),
    },
  };
};
