import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { ActionPlansService } from './action-plans.service.ts';

/** Tenant B's plan, action, milestone, KPI and value: tenant A must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new ActionPlansService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    permissions: new Set(['action-plans.read', 'action-plans.manage', 'action-plans.report']),
  } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const plan = await svc.createPlan(tx, h.b.id, actor, {
      title: 'B plan',
      horizonStart: '2026-01-01',
      horizonEnd: '2027-12-31',
    });
    const [action] = await svc.createActions(
      tx,
      h.b.id,
      actor,
      plan.id,
      [
        {
          objective: 'B action',
          startDate: '2026-02-01',
          dueDate: '2026-06-30',
          milestones: [{ title: 'B milestone', dueDate: '2026-04-01' }],
        },
      ],
      'manual',
    );
    const kpi = await svc.createKpi(tx, h.b.id, actor, {
      code: 'B-1',
      name: 'B KPI',
      unit: '%',
      direction: 'increase',
      baseline: 10,
      target: 90,
    });
    const withValue = await svc.recordValue(tx, h.b.id, actor, kpi.id, {
      periodEnd: '2026-03-31',
      value: 20,
    });
    // A fed KPI: A's refresh must answer 404, not record B's rate nor say "no feed".
    const fed = await svc.createKpi(tx, h.b.id, actor, {
      code: 'B-2',
      name: 'B fed KPI',
      unit: '%',
      direction: 'increase',
      feed: { source: 'conduct' },
    });
    return {
      plan,
      action: action!,
      milestone: action!.milestones[0]!,
      kpi,
      fed,
      value: withValue.values[0]!,
    };
  });
  const read = (sql: string, id: string) =>
    h.kernel.db.query<Record<string, unknown>>(sql, [id]).then((r) => r[0]);
  const actionBody = { objective: 'by A', startDate: '2026-03-01', dueDate: '2026-05-01' };
  return {
    'GET /api/action-plans/:id': { id: b.plan.id },
    'PATCH /api/action-plans/:id': {
      id: b.plan.id,
      payload: { title: 'renamed by A', version: 1 },
      unchanged: async () => {
        const p = await read('select title, version, status from action_plans where id = $1', b.plan.id);
        assert.deepEqual(p, { title: 'B plan', version: 1, status: 'draft' });
      },
    },
    'POST /api/action-plans/:id/approve': {
      url: `/api/action-plans/${b.plan.id}/approve`,
      payload: { version: 1 },
    },
    'POST /api/action-plans/:id/actions': {
      url: `/api/action-plans/${b.plan.id}/actions`,
      payload: actionBody,
      unchanged: async () => {
        const n = await read('select count(*)::int as n from plan_actions where plan_id = $1', b.plan.id);
        assert.equal(n!.n, 1);
      },
    },
    'POST /api/action-plans/:id/draft': {
      url: `/api/action-plans/${b.plan.id}/draft`,
      payload: { itemLimit: 3, riskLimit: 3 },
    },
    'POST /api/action-plans/:id/actions/accept': {
      url: `/api/action-plans/${b.plan.id}/actions/accept`,
      payload: { actions: [actionBody] },
    },
    'PATCH /api/action-plans/actions/:id': {
      id: b.action.id,
      payload: { objective: 'changed by A', version: 1 },
      unchanged: async () => {
        const a = await read(
          'select objective, version, status from plan_actions where id = $1',
          b.action.id,
        );
        assert.deepEqual(a, { objective: 'B action', version: 1, status: 'not_started' });
      },
    },
    'POST /api/action-plans/actions/:id/progress': {
      url: `/api/action-plans/actions/${b.action.id}/progress`,
      payload: { status: 'done', version: 1 },
    },
    'DELETE /api/action-plans/actions/:id': { url: `/api/action-plans/actions/${b.action.id}?version=1` },
    'POST /api/action-plans/actions/:id/milestones': {
      url: `/api/action-plans/actions/${b.action.id}/milestones`,
      payload: { title: 'by A', dueDate: '2026-05-01' },
      unchanged: async () => {
        const n = await read(
          'select count(*)::int as n from action_milestones where action_id = $1',
          b.action.id,
        );
        assert.equal(n!.n, 1);
      },
    },
    'PATCH /api/action-plans/milestones/:id': {
      id: b.milestone.id,
      payload: { done: true, version: 1 },
      unchanged: async () => {
        const m = await read('select done_at, version from action_milestones where id = $1', b.milestone.id);
        assert.deepEqual(m, { done_at: null, version: 1 });
      },
    },
    'DELETE /api/action-plans/milestones/:id': {
      url: `/api/action-plans/milestones/${b.milestone.id}?version=1`,
    },
    'GET /api/action-plans/kpis/:id': { id: b.kpi.id },
    'PATCH /api/action-plans/kpis/:id': {
      id: b.kpi.id,
      payload: { name: 'renamed by A', version: 1 },
      unchanged: async () => {
        const k = await read('select name, version from kpis where id = $1', b.kpi.id);
        assert.deepEqual(k, { name: 'B KPI', version: 1 });
      },
    },
    'DELETE /api/action-plans/kpis/:id': { url: `/api/action-plans/kpis/${b.kpi.id}?version=1` },
    'POST /api/action-plans/kpis/:id/values': {
      url: `/api/action-plans/kpis/${b.kpi.id}/values`,
      payload: { periodEnd: '2026-03-31', value: 99 },
      unchanged: async () => {
        const v = await read('select value from kpi_values where kpi_id = $1', b.kpi.id);
        assert.equal(v!.value, 20);
      },
    },
    'POST /api/action-plans/kpis/:id/refresh': {
      url: `/api/action-plans/kpis/${b.fed.id}/refresh`,
      unchanged: async () => {
        const n = await read('select count(*)::int as n from kpi_values where kpi_id = $1', b.fed.id);
        assert.equal(n!.n, 0);
      },
    },
    'DELETE /api/action-plans/kpis/:id/values/:valueId': {
      url: `/api/action-plans/kpis/${b.kpi.id}/values/${b.value.id}`,
      unchanged: async () => {
        const n = await read('select count(*)::int as n from kpi_values where kpi_id = $1', b.kpi.id);
        assert.equal(n!.n, 1);
      },
    },
  };
};
