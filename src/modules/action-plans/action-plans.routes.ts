import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './action-plans.contract.ts';
import { P } from './action-plans.permissions.ts';
import type { ActionPlansService } from './action-plans.service.ts';

export function actionPlansRoutes(r: Router, svc: ActionPlansService) {
  // ---- plans --------------------------------------------------------------------------
  r.get({
    url: '/api/action-plans',
    access: P.read,
    summary: 'Integrity Action Plans with their action counts',
    response: Items(C.PlanListItem),
    handler: async ({ tx }) => ({ items: await svc.listPlans(tx) }),
  });
  r.post({
    url: '/api/action-plans',
    access: P.manage,
    summary: 'Create a plan (draft)',
    body: C.CreatePlanInput,
    status: 201,
    response: C.PlanDetail,
    handler: async ({ tx, tenantId, actor, body }) => svc.createPlan(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/action-plans/lookups',
    access: P.read,
    summary: 'Units, people, checklist items and risks for the action form',
    response: C.Lookups,
    handler: async ({ tx, locale }) => svc.lookups(tx, locale),
  });
  r.get({
    url: '/api/action-plans/:id',
    access: P.read,
    summary: 'A plan with its actions and milestones',
    params: C.IdParam,
    response: C.PlanDetail,
    handler: async ({ tx, params }) => svc.getPlan(tx, params.id),
  });
  r.patch({
    url: '/api/action-plans/:id',
    access: P.manage,
    summary: "Edit a plan (versioned); an approved plan's horizon changes only by withdrawing the approval",
    params: C.IdParam,
    body: C.UpdatePlanInput,
    response: C.PlanDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updatePlan(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/action-plans/:id/approve',
    access: P.approve,
    summary: 'Approve a draft plan (records who, when and a note)',
    params: C.IdParam,
    body: C.ApprovePlanInput,
    response: C.PlanDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.approvePlan(tx, tenantId, actor, params.id, body),
  });

  // ---- actions ------------------------------------------------------------------------
  r.post({
    url: '/api/action-plans/:id/actions',
    access: P.manage,
    summary: 'Add an action to a plan',
    params: C.IdParam,
    body: C.CreateActionInput,
    status: 201,
    response: C.Action,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      (await svc.createActions(tx, tenantId, actor, params.id, [body], 'manual'))[0]!,
  });
  r.post({
    url: '/api/action-plans/:id/draft',
    access: P.manage,
    summary:
      'Propose actions from the weakest checklist items and the highest residual risks (nothing stored)',
    params: C.IdParam,
    body: C.DraftInput,
    response: C.DraftResult,
    handler: async ({ tx, params, body, locale }) => svc.draft(tx, params.id, body, locale),
  });
  r.post({
    url: '/api/action-plans/:id/actions/accept',
    access: P.manage,
    summary: 'Accept an edited batch of proposals: they become actions (origin proposed), all or none',
    params: C.IdParam,
    body: C.AcceptInput,
    status: 201,
    response: Items(C.Action),
    handler: async ({ tx, tenantId, actor, params, body }) => ({
      items: await svc.createActions(tx, tenantId, actor, params.id, body.actions, 'proposed'),
    }),
  });
  r.patch({
    url: '/api/action-plans/actions/:id',
    access: P.manage,
    summary: 'Edit an action (versioned); status done sets progress 100 and the completion time',
    params: C.IdParam,
    body: C.UpdateActionInput,
    response: C.Action,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateAction(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/action-plans/actions/:id/progress',
    access: P.report,
    summary: 'Report status, progress and evidence on an action one owns (person or unit), or as a manager',
    params: C.IdParam,
    body: C.ProgressInput,
    response: C.Action,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.reportProgress(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/action-plans/actions/:id',
    access: P.manage,
    summary: 'Delete an action and its milestones (give the version you saw)',
    params: C.IdParam,
    query: C.VersionQuery,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteAction(tx, tenantId, actor, params.id, query.version),
  });

  // ---- milestones ---------------------------------------------------------------------
  r.post({
    url: '/api/action-plans/actions/:id/milestones',
    access: P.manage,
    summary: "Add a milestone to an action (inside the plan's horizon)",
    params: C.IdParam,
    body: C.CreateMilestoneInput,
    status: 201,
    response: C.Milestone,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.createMilestone(tx, tenantId, actor, params.id, body),
  });
  r.patch({
    url: '/api/action-plans/milestones/:id',
    access: P.report,
    summary: 'Tick a milestone done (owners) or rename or move it (managers); versioned',
    params: C.IdParam,
    body: C.UpdateMilestoneInput,
    response: C.Milestone,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateMilestone(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/action-plans/milestones/:id',
    access: P.manage,
    summary: 'Delete a milestone (give the version you saw)',
    params: C.IdParam,
    query: C.VersionQuery,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteMilestone(tx, tenantId, actor, params.id, query.version),
  });

  // ---- KPIs ---------------------------------------------------------------------------
  r.get({
    url: '/api/action-plans/kpis',
    access: P.read,
    summary: 'KPIs with their values and progress toward target',
    query: C.PlanIdQuery,
    response: Items(C.Kpi),
    handler: async ({ tx, query }) => ({ items: await svc.listKpis(tx, query.planId) }),
  });
  r.post({
    url: '/api/action-plans/kpis',
    access: P.manage,
    summary: 'Define a KPI',
    body: C.CreateKpiInput,
    status: 201,
    response: C.Kpi,
    handler: async ({ tx, tenantId, actor, body }) => svc.createKpi(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/action-plans/kpis/:id',
    access: P.read,
    summary: 'One KPI with its values',
    params: C.IdParam,
    response: C.Kpi,
    handler: async ({ tx, params }) => svc.getKpi(tx, params.id),
  });
  r.patch({
    url: '/api/action-plans/kpis/:id',
    access: P.manage,
    summary: 'Edit a KPI (versioned)',
    params: C.IdParam,
    body: C.UpdateKpiInput,
    response: C.Kpi,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateKpi(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/action-plans/kpis/:id',
    access: P.manage,
    summary: 'Delete a KPI and its values (give the version you saw)',
    params: C.IdParam,
    query: C.VersionQuery,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      svc.deleteKpi(tx, tenantId, actor, params.id, query.version),
  });
  r.post({
    url: '/api/action-plans/kpis/:id/refresh',
    access: P.manage,
    summary:
      "Record today's value of a fed KPI from its source (learning, conduct, surveys); 409 when the KPI has no feed",
    params: C.IdParam,
    response: C.RefreshResult,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.refreshKpi(tx, tenantId, actor, params.id, locale),
  });
  r.post({
    url: '/api/action-plans/kpis/:id/values',
    access: P.report,
    summary: 'Record the value of a period (replaces the value of the same period and source)',
    params: C.IdParam,
    body: C.KpiValueInput,
    status: 201,
    response: C.Kpi,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.recordValue(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/action-plans/kpis/:id/values/:valueId',
    access: P.manage,
    summary: 'Delete a recorded value',
    params: C.KpiValueParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params }) =>
      svc.deleteValue(tx, tenantId, actor, params.id, params.valueId),
  });
}
