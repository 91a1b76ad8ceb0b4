import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory } from '../identity/index.ts';
import * as q from './action-plans.queries.ts';
import { ActionPlansService } from './action-plans.service.ts';
import { isClosed, isOverdue, kpiProgress } from './action-plans.rules.ts';
import { ACTION_STATUSES, type ActionStatus, RAD_FACTORS } from './action-plans.vocab.ts';
import { isoDay } from '../../platform/dates.ts';

export interface ActionPlansSummary {
  open: number;
  overdue: number;
  done: number;
  byStatus: Record<ActionStatus, number>;
  byFactor: { factor: number; open: number; overdue: number }[];
}

export interface OverdueAction {
  id: string;
  planId: string;
  ref: string;
  objective: string;
  dueDate: string;
  ownerUserId: string | null;
  factor: number | null;
}

export interface KpiProgressRow {
  id: string;
  code: string;
  name: string;
  unit: string;
  direction: 'increase' | 'decrease';
  baseline: number | null;
  target: number | null;
  latest: { periodEnd: string; value: number } | null;
  progress: number | null;
  factor: number | null;
}

/** A KPI's recorded values, one per period end (the latest recorded when sources overlap). */
export interface KpiSeries {
  id: string;
  code: string;
  name: string;
  unit: string;
  values: { periodEnd: string; value: number }[];
}

export interface PlanSummaryAction {
  id: string;
  ref: string;
  objective: string;
  factor: number | null;
  ownerUnit: string | null;
  ownerUser: string | null;
  startDate: string | null;
  dueDate: string | null;
  status: ActionStatus;
  progress: number;
  overdue: boolean;
  budget: number | null;
  currency: string | null;
  milestones: { title: string; dueDate: string; done: boolean }[];
}

export interface PlanSummary {
  id: string;
  title: string;
  horizonStart: string;
  horizonEnd: string;
  status: string;
  fundingSource: string | null;
  approvedBy: string | null;
  approvedAt: string | null;
  approvalNote: string | null;
  totals: { actions: number; done: number; overdue: number; budget: number };
  actions: PlanSummaryAction[];
}

/**
 * How far one plan's actions are, for a partner who was shown the plan (the A-CIP programme):
 * counts by status and the share done, and each action's reference, objective and status — no
 * owner, budget, milestone or evidence. `percentDone` counts cancelled actions out.
 */
export interface PlanProgress {
  id: string;
  title: string;
  horizonStart: string;
  horizonEnd: string;
  total: number;
  byStatus: Record<ActionStatus, number>;
  percentDone: number | null;
  actions: { id: string; ref: string; objective: string; status: ActionStatus }[];
}

const directory = new Directory();

/**
 * The action-plans module's read interface for the dashboard, the PDF report and exports.
 * `today` defaults to the current UTC date; "overdue" is computed (due date passed, not done
 * or cancelled), whatever status people set.
 */
export class ActionPlansApi {
  constructor(readonly k: Kernel) {}

  async summary(tx: TenantTx, today: Date = new Date()): Promise<ActionPlansSummary> {
    const day = isoDay(today);
    const actions = await q.actionsOf(tx);
    const byStatus = Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as Record<ActionStatus, number>;
    const byFactor = RAD_FACTORS.map((factor) => ({ factor, open: 0, overdue: 0 }));
    let open = 0;
    let overdue = 0;
    for (const a of actions) {
      byStatus[a.status]++;
      const late = isOverdue(a, day);
      if (!isClosed(a.status)) open++;
      if (late) overdue++;
      const f = a.factor ? byFactor[a.factor - 1] : undefined;
      if (f) {
        if (!isClosed(a.status)) f.open++;
        if (late) f.overdue++;
      }
    }
    return { open, overdue, done: byStatus.done, byStatus, byFactor };
  }

  async overdueActions(tx: TenantTx, limit: number, today: Date = new Date()): Promise<OverdueAction[]> {
    const day = isoDay(today);
    return (await q.actionsOf(tx))
      .filter((a) => isOverdue(a, day))
      .sort((x, y) =>
        x.dueDate! < y.dueDate! ? -1 : x.dueDate! > y.dueDate! ? 1 : x.ref.localeCompare(y.ref),
      )
      .slice(0, Math.max(0, limit))
      .map((a) => ({
        id: a.id,
        planId: a.planId,
        ref: a.ref,
        objective: a.objective,
        dueDate: a.dueDate!,
        ownerUserId: a.ownerUserId,
        factor: a.factor,
      }));
  }

  async kpiProgress(tx: TenantTx): Promise<KpiProgressRow[]> {
    const list = await q.listKpis(tx);
    const values = await q.valuesOf(
      tx,
      list.map((k) => k.id),
    );
    return list.map((k) => {
      const last = values.filter((v) => v.kpiId === k.id).at(-1);
      const latest = last ? { periodEnd: last.periodEnd, value: last.value } : null;
      return {
        id: k.id,
        code: k.code,
        name: k.name,
        unit: k.unit,
        direction: k.direction,
        baseline: k.baseline,
        target: k.target,
        latest,
        progress: kpiProgress(k.direction, k.baseline, k.target, latest?.value ?? null),
        factor: k.factor,
      };
    });
  }

  /** The value series of the KPIs with these codes (codes no KPI has are left out). */
  async kpiSeries(tx: TenantTx, codes: string[]): Promise<KpiSeries[]> {
    const list = (await q.listKpis(tx)).filter((k) => codes.includes(k.code));
    const values = await q.valuesOf(
      tx,
      list.map((k) => k.id),
    );
    return list.map((k) => {
      // Ordered by period end, then recording: a later value for the same period end wins.
      const byEnd = new Map<string, number>();
      for (const v of values) if (v.kpiId === k.id) byEnd.set(v.periodEnd, v.value);
      return {
        id: k.id,
        code: k.code,
        name: k.name,
        unit: k.unit,
        values: [...byEnd].map(([periodEnd, value]) => ({ periodEnd, value })),
      };
    });
  }

  /**
   * A plan's header and action rows for the PDF report. Without `planId`: the current plan
   * (approved or in progress, latest horizon first; else the latest plan). Null when none.
   */
  async planSummary(tx: TenantTx, planId?: string, today: Date = new Date()): Promise<PlanSummary | null> {
    const plans = await q.listPlans(tx);
    const plan = planId
      ? plans.find((p) => p.id === planId)
      : (plans.find((p) => p.status === 'approved' || p.status === 'in_progress') ?? plans[0]);
    if (!plan) return null;
    const day = isoDay(today);
    const actions = await q.actionsOf(tx, plan.id);
    const ms = await q.milestonesOf(
      tx,
      actions.map((a) => a.id),
    );
    const units = new Map((await directory.units(tx)).map((u) => [u.id, u.name]));
    const people = new Map((await directory.members(tx)).map((u) => [u.userId, u.name]));
    const rows = actions.map((a) => ({
      id: a.id,
      ref: a.ref,
      objective: a.objective,
      factor: a.factor,
      ownerUnit: a.ownerUnitId ? (units.get(a.ownerUnitId) ?? null) : null,
      ownerUser: a.ownerUserId ? (people.get(a.ownerUserId) ?? null) : null,
      startDate: a.startDate,
      dueDate: a.dueDate,
      status: a.status,
      progress: a.progress,
      overdue: isOverdue(a, day),
      budget: a.budget,
      currency: a.currency,
      milestones: ms
        .filter((m) => m.actionId === a.id)
        .map((m) => ({ title: m.title, dueDate: m.dueDate, done: !!m.doneAt })),
    }));
    return {
      id: plan.id,
      title: plan.title,
      horizonStart: plan.horizonStart,
      horizonEnd: plan.horizonEnd,
      status: plan.status,
      fundingSource: plan.fundingSource,
      approvedBy: plan.approvedBy ? (people.get(plan.approvedBy) ?? null) : null,
      approvedAt: plan.approvedAt ? plan.approvedAt.toISOString() : null,
      approvalNote: plan.approvalNote,
      totals: {
        actions: rows.length,
        done: rows.filter((r) => r.status === 'done').length,
        overdue: rows.filter((r) => r.overdue).length,
        budget: rows.reduce((s, r) => s + (r.budget ?? 0), 0),
      },
      actions: rows,
    };
  }

  /** This organisation's plans (id, title, status, horizon), latest horizon first. */
  async plans(tx: TenantTx) {
    return (await q.listPlans(tx)).map((p) => ({
      id: p.id,
      title: p.title,
      status: p.status,
      horizonStart: p.horizonStart,
      horizonEnd: p.horizonEnd,
    }));
  }

  /** One plan's progress (see PlanProgress); null when this organisation has no such plan. */
  async planProgress(tx: TenantTx, planId: string): Promise<PlanProgress | null> {
    const plan = await q.findPlan(tx, planId);
    if (!plan) return null;
    const actions = await q.actionsOf(tx, plan.id);
    const byStatus = Object.fromEntries(ACTION_STATUSES.map((s) => [s, 0])) as Record<ActionStatus, number>;
    for (const a of actions) byStatus[a.status]++;
    const counted = actions.length - byStatus.cancelled;
    return {
      id: plan.id,
      title: plan.title,
      horizonStart: plan.horizonStart,
      horizonEnd: plan.horizonEnd,
      total: actions.length,
      byStatus,
      percentDone: counted > 0 ? Math.round((byStatus.done / counted) * 100) : null,
      actions: actions.map((a) => ({ id: a.id, ref: a.ref, objective: a.objective, status: a.status })),
    };
  }

  /** Flat rows for XLSX/CSV exports (column names are stable English keys). */
  async rows(
    tx: TenantTx,
    what: 'actions' | 'kpis',
    today: Date = new Date(),
  ): Promise<Record<string, string | number | null>[]> {
    if (what === 'kpis')
      return (await this.kpiProgress(tx)).map((k) => ({
        code: k.code,
        name: k.name,
        unit: k.unit,
        direction: k.direction,
        baseline: k.baseline,
        target: k.target,
        latestPeriod: k.latest?.periodEnd ?? null,
        latestValue: k.latest?.value ?? null,
        progressPercent: k.progress === null ? null : Math.round(k.progress * 100),
        factor: k.factor,
      }));
    const day = isoDay(today);
    const plans = new Map((await q.listPlans(tx)).map((p) => [p.id, p.title]));
    const units = new Map((await directory.units(tx)).map((u) => [u.id, u.name]));
    const people = new Map((await directory.members(tx)).map((u) => [u.userId, u.name]));
    return (await q.actionsOf(tx)).map((a) => ({
      plan: plans.get(a.planId) ?? null,
      ref: a.ref,
      objective: a.objective,
      factor: a.factor,
      ownerUnit: a.ownerUnitId ? (units.get(a.ownerUnitId) ?? null) : null,
      ownerUser: a.ownerUserId ? (people.get(a.ownerUserId) ?? null) : null,
      startDate: a.startDate,
      dueDate: a.dueDate,
      status: a.status,
      overdue: isOverdue(a, day) ? 'yes' : 'no',
      progress: a.progress,
      budget: a.budget,
      currency: a.currency,
      origin: a.origin,
      gapItems: a.gapItemUrns.join(' '),
      risks: a.riskIds.length,
      evidence: a.evidence,
    }));
  }
  /**
   * A draft action (not started, origin "proposed") in one of this organisation's plans, for
   * another module (the best-practice library's "use this"); the same checks and audit as the
   * action routes: an unknown plan is 404, an archived one 409.
   */
  async draftAction(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    planId: string,
    input: { objective: string; description: string | null; factor: number | null },
  ): Promise<{ id: string; ref: string; planId: string }> {
    const [a] = await new ActionPlansService(this.k).createActions(
      tx,
      tenantId,
      actor,
      planId,
      [input],
      'proposed',
    );
    return { id: a!.id, ref: a!.ref, planId };
  }
}
