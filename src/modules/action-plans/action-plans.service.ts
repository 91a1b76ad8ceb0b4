import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, type ProblemDetail } from '../../platform/errors.ts';
import { t, type Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory } from '../identity/index.ts';
import type * as C from './action-plans.contract.ts';
import { KpiFeeds, type NoFigure } from './action-plans.feeds.ts';
import { Links } from './action-plans.links.ts';
import { P } from './action-plans.permissions.ts';
import * as q from './action-plans.queries.ts';
import {
  actionDateProblems,
  addMonths,
  isOverdue,
  kpiProgress,
  kpiTargetProblem,
  milestoneDateProblems,
  nextRef,
  planDateProblems,
  reminderKey,
  reminderKind,
  statusEffects,
} from './action-plans.rules.ts';
import { actionMilestones, actionPlans, kpis, planActions } from './action-plans.schema.ts';
import { DUE_SOON_DAYS, type KpiFeed, type ReminderKind } from './action-plans.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

/** Why a fed KPI got no value today, in words. */
const feedReason = (locale: Locale, reason: NoFigure, feed: KpiFeed) =>
  t(locale, `actionPlans.kpiFeed.${reason}`, feed.source === 'surveys' ? { factor: feed.factor } : {});

type CreatePlan = z.infer<typeof C.CreatePlanInput>;
type UpdatePlan = z.infer<typeof C.UpdatePlanInput>;
type CreateAction = z.infer<typeof C.CreateActionInput>;
type UpdateAction = z.infer<typeof C.UpdateActionInput>;
type Progress = z.infer<typeof C.ProgressInput>;
type CreateKpi = z.infer<typeof C.CreateKpiInput>;
type UpdateKpi = z.infer<typeof C.UpdateKpiInput>;

const directory = new Directory();
/** Names of these people, by user id (members of the organisation, disabled accounts too). */
const userNames = async (tx: TenantTx, ids: string[]) =>
  new Map([...(await directory.people(tx, ids))].map(([id, p]) => [id, p.name]));
const iso = (d: Date | null) => (d ? d.toISOString() : null);
const invalid = (problems: ProblemDetail[]) => {
  if (problems.length)
    throw new AppError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
};

/** A clock the reminders job and tests can move (ADR 0011). */
export type Clock = () => Date;

export class ActionPlansService {
  readonly links: Links;
  constructor(
    private readonly k: Kernel,
    private readonly clock: Clock = () => new Date(),
  ) {
    this.links = new Links(k);
  }

  today(): string {
    return isoDay(this.clock());
  }

  // ---- shaping ------------------------------------------------------------------------
  private plan(p: q.PlanRow, names: Map<string, string>): C.PlanT {
    return {
      id: p.id,
      title: p.title,
      horizonStart: p.horizonStart,
      horizonEnd: p.horizonEnd,
      status: p.status,
      fundingSource: p.fundingSource,
      assessmentId: p.assessmentId,
      approvedBy: p.approvedBy,
      approvedByName: p.approvedBy ? (names.get(p.approvedBy) ?? null) : null,
      approvedAt: iso(p.approvedAt),
      approvalNote: p.approvalNote,
      createdBy: p.createdBy,
      createdAt: iso(p.createdAt)!,
      updatedAt: iso(p.updatedAt)!,
      version: p.version,
    };
  }

  private milestone(m: q.MilestoneRow, action: q.ActionRow, today: string): C.MilestoneT {
    return {
      id: m.id,
      actionId: m.actionId,
      title: m.title,
      dueDate: m.dueDate,
      doneAt: iso(m.doneAt),
      overdue: !m.doneAt && m.dueDate < today && !['done', 'cancelled'].includes(action.status),
      version: m.version,
    };
  }

  private action(a: q.ActionRow, ms: q.MilestoneRow[], today: string): C.ActionT {
    return {
      id: a.id,
      planId: a.planId,
      ref: a.ref,
      objective: a.objective,
      description: a.description,
      factor: a.factor,
      gapItemUrns: a.gapItemUrns,
      riskIds: a.riskIds,
      ownerUnitId: a.ownerUnitId,
      ownerUserId: a.ownerUserId,
      startDate: a.startDate,
      dueDate: a.dueDate,
      budget: a.budget,
      currency: a.currency,
      status: a.status,
      progress: a.progress,
      evidence: a.evidence,
      origin: a.origin,
      completedAt: iso(a.completedAt),
      overdue: isOverdue(a, today),
      milestones: ms.filter((m) => m.actionId === a.id).map((m) => this.milestone(m, a, today)),
      createdAt: iso(a.createdAt)!,
      updatedAt: iso(a.updatedAt)!,
      version: a.version,
    };
  }

  private async audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor | null,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    await this.k.audit.record(tx, tenantId, {
      actorId: actor?.userId ?? null,
      action: `action-plans.${action}`,
      entityType,
      entityId,
      data,
    });
  }

  // ---- plans --------------------------------------------------------------------------
  async listPlans(tx: TenantTx): Promise<C.PlanListItemT[]> {
    const today = this.today();
    const [plans, actions] = await Promise.all([q.listPlans(tx), q.actionsOf(tx)]);
    const names = await userNames(tx, [
      ...new Set(plans.flatMap((p) => (p.approvedBy ? [p.approvedBy] : []))),
    ]);
    return plans.map((p) => {
      const mine = actions.filter((a) => a.planId === p.id);
      return {
        ...this.plan(p, names),
        actionCount: mine.length,
        doneCount: mine.filter((a) => a.status === 'done').length,
        overdueCount: mine.filter((a) => isOverdue(a, today)).length,
      };
    });
  }

  private async mustPlan(tx: TenantTx, id: string) {
    const p = await q.findPlan(tx, id);
    if (!p) throw new AppError('NOT_FOUND', 'plan not found');
    return p;
  }

  async getPlan(tx: TenantTx, id: string): Promise<C.PlanDetailT> {
    const today = this.today();
    const p = await this.mustPlan(tx, id);
    const actions = await q.actionsOf(tx, id);
    const ms = await q.milestonesOf(
      tx,
      actions.map((a) => a.id),
    );
    const names = await userNames(tx, p.approvedBy ? [p.approvedBy] : []);
    return { ...this.plan(p, names), actions: actions.map((a) => this.action(a, ms, today)), today };
  }

  async createPlan(tx: TenantTx, tenantId: string, actor: Actor, input: CreatePlan) {
    invalid(planDateProblems(input));
    const p = await q.insertPlan(tx, {
      tenantId,
      title: input.title,
      horizonStart: input.horizonStart,
      horizonEnd: input.horizonEnd,
      fundingSource: input.fundingSource ?? null,
      assessmentId: input.assessmentId ?? null,
      createdBy: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'plan.created', 'action_plan', p.id, {
      title: p.title,
      horizon: [p.horizonStart, p.horizonEnd],
    });
    return this.getPlan(tx, p.id);
  }

  async updatePlan(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: UpdatePlan) {
    const before = await this.mustPlan(tx, id);
    const { version, withdrawApproval, ...changes } = input;
    const horizon = {
      horizonStart: changes.horizonStart ?? before.horizonStart,
      horizonEnd: changes.horizonEnd ?? before.horizonEnd,
    };
    invalid(planDateProblems(horizon));
    const horizonChanged =
      horizon.horizonStart !== before.horizonStart || horizon.horizonEnd !== before.horizonEnd;
    const values: Partial<typeof actionPlans.$inferInsert> = { ...changes };
    if (horizonChanged) {
      // Actions and milestones must stay inside the new horizon.
      const problems: ProblemDetail[] = [];
      for (const a of await q.actionsOf(tx, id))
        for (const p of actionDateProblems(a, horizon))
          problems.push({
            path: p.path.replace('body.', `actions.${a.ref}.`),
            message: `${a.ref}: ${p.message}`,
          });
      for (const { m } of await q.milestonesOfPlan(tx, id))
        for (const p of milestoneDateProblems(m.dueDate, horizon))
          problems.push({ path: `milestones.${m.id}`, message: `${m.title}: ${p.message}` });
      invalid(problems);
      if (before.approvedAt) {
        if (!withdrawApproval)
          throw new AppError(
            'CONFLICT',
            'This plan is approved: changing its horizon withdraws the approval (send withdrawApproval: true)',
          );
        Object.assign(values, { status: 'draft', approvedAt: null, approvedBy: null, approvalNote: null });
      }
    }
    if (changes.status && changes.status !== 'archived' && !before.approvedAt && !values.approvedAt)
      throw new AppError('CONFLICT', 'A plan must be approved before it is in progress or completed');
    if (changes.status && horizonChanged && before.approvedAt && changes.status !== 'archived')
      throw new AppError('CONFLICT', 'A plan whose approval is withdrawn goes back to draft');
    const updated = await updateVersioned(tx, actionPlans, id, version, values);
    await this.audit(tx, tenantId, actor, 'plan.updated', 'action_plan', id, {
      before: {
        title: before.title,
        horizon: [before.horizonStart, before.horizonEnd],
        status: before.status,
        fundingSource: before.fundingSource,
      },
      changes,
    });
    if (horizonChanged && before.approvedAt)
      await this.audit(tx, tenantId, actor, 'plan.approval_withdrawn', 'action_plan', id, {
        approvedBy: before.approvedBy,
        approvedAt: iso(before.approvedAt),
        horizon: {
          before: [before.horizonStart, before.horizonEnd],
          after: [updated.horizonStart, updated.horizonEnd],
        },
      });
    return this.getPlan(tx, id);
  }

  async approvePlan(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.ApprovePlanInput>,
  ) {
    const before = await this.mustPlan(tx, id);
    if (before.status !== 'draft')
      throw new AppError('CONFLICT', `The plan is ${before.status}, not a draft`);
    const at = this.clock();
    await updateVersioned(tx, actionPlans, id, input.version, {
      status: 'approved',
      approvedBy: actor.userId,
      approvedAt: at,
      approvalNote: input.note ?? null,
    });
    await this.audit(tx, tenantId, actor, 'plan.approved', 'action_plan', id, {
      note: input.note ?? null,
      horizon: [before.horizonStart, before.horizonEnd],
    });
    return this.getPlan(tx, id);
  }

  // ---- actions ------------------------------------------------------------------------
  /** Links, owners and dates of an action, checked against the plan and the other modules. */
  private async checkAction(
    tx: TenantTx,
    plan: q.PlanRow,
    a: {
      gapItemUrns?: string[];
      riskIds?: string[];
      ownerUnitId?: string | null;
      ownerUserId?: string | null;
      startDate?: string | null;
      dueDate?: string | null;
    },
    prefix = 'body',
  ) {
    const problems: ProblemDetail[] = actionDateProblems(
      { startDate: a.startDate ?? null, dueDate: a.dueDate ?? null },
      plan,
    ).map((p) => ({ ...p, path: p.path.replace('body', prefix) }));
    const urns = [...new Set(a.gapItemUrns ?? [])];
    for (const u of await this.links.unknownItemUrns(tx, urns))
      problems.push({ path: `${prefix}.gapItemUrns`, message: `unknown checklist item ${u}` });
    const risks = [...new Set(a.riskIds ?? [])];
    for (const r of await this.links.unknownRiskIds(tx, risks))
      problems.push({ path: `${prefix}.riskIds`, message: `unknown risk ${r}` });
    if (a.ownerUnitId && !(await directory.units(tx)).some((u) => u.id === a.ownerUnitId))
      problems.push({ path: `${prefix}.ownerUnitId`, message: 'unknown unit' });
    if (a.ownerUserId && !(await directory.members(tx)).some((u) => u.userId === a.ownerUserId))
      problems.push({ path: `${prefix}.ownerUserId`, message: 'not a member of this organisation' });
    return problems;
  }

  private async mustAction(tx: TenantTx, id: string) {
    const a = await q.findAction(tx, id);
    if (!a) throw new AppError('NOT_FOUND', 'action not found');
    return a;
  }

  async createActions(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    planId: string,
    inputs: CreateAction[],
    origin: 'manual' | 'proposed',
  ): Promise<C.ActionT[]> {
    const plan = await this.mustPlan(tx, planId);
    if (plan.status === 'archived') throw new AppError('CONFLICT', 'The plan is archived');
    const problems: ProblemDetail[] = [];
    for (const [i, a] of inputs.entries()) {
      const prefix = origin === 'proposed' ? `body.actions.${i}` : 'body';
      problems.push(...(await this.checkAction(tx, plan, a, prefix)));
      for (const [j, m] of (a.milestones ?? []).entries())
        problems.push(
          ...milestoneDateProblems(m.dueDate, plan).map((p) => ({
            ...p,
            path: `${prefix}.milestones.${j}.dueDate`,
          })),
        );
    }
    invalid(problems);
    const refs = nextRef(await q.refsOf(tx, planId), inputs.length);
    const now = this.clock();
    const rows = await q.insertActions(
      tx,
      inputs.map((a, i) => {
        const fx = statusEffects(
          { status: 'not_started', progress: 0, completedAt: null },
          { status: a.status },
          now,
        );
        return {
          tenantId,
          planId,
          ref: refs[i]!,
          objective: a.objective,
          description: a.description ?? null,
          factor: a.factor ?? null,
          gapItemUrns: [...new Set(a.gapItemUrns ?? [])],
          riskIds: [...new Set(a.riskIds ?? [])],
          ownerUnitId: a.ownerUnitId ?? null,
          ownerUserId: a.ownerUserId ?? null,
          startDate: a.startDate ?? null,
          dueDate: a.dueDate ?? null,
          budget: a.budget ?? null,
          currency: a.currency ?? null,
          origin,
          createdBy: actor.userId,
          ...fx,
        };
      }),
    );
    const ms = await q.insertMilestones(
      tx,
      rows.flatMap((r, i) =>
        (inputs[i]!.milestones ?? []).map((m) => ({
          tenantId,
          actionId: r.id,
          title: m.title,
          dueDate: m.dueDate,
        })),
      ),
    );
    for (const r of rows)
      await this.audit(tx, tenantId, actor, 'action.created', 'plan_action', r.id, {
        planId,
        ref: r.ref,
        objective: r.objective,
        origin,
        gapItemUrns: r.gapItemUrns,
        riskIds: r.riskIds,
      });
    const today = this.today();
    return rows.map((r) => this.action(r, ms, today));
  }

  async updateAction(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: UpdateAction) {
    const before = await this.mustAction(tx, id);
    const plan = await this.mustPlan(tx, before.planId);
    const { version, ...changes } = input;
    const merged = {
      startDate: changes.startDate !== undefined ? changes.startDate : before.startDate,
      dueDate: changes.dueDate !== undefined ? changes.dueDate : before.dueDate,
      ownerUnitId: changes.ownerUnitId,
      ownerUserId: changes.ownerUserId,
      gapItemUrns: changes.gapItemUrns,
      riskIds: changes.riskIds,
    };
    invalid(await this.checkAction(tx, plan, merged));
    const fx = statusEffects(before, { status: changes.status, progress: changes.progress }, this.clock());
    const values: Partial<typeof planActions.$inferInsert> = {
      ...changes,
      ...(changes.gapItemUrns ? { gapItemUrns: [...new Set(changes.gapItemUrns)] } : {}),
      ...(changes.riskIds ? { riskIds: [...new Set(changes.riskIds)] } : {}),
      ...fx,
    };
    const updated = await updateVersioned(tx, planActions, id, version, values);
    await this.audit(tx, tenantId, actor, 'action.updated', 'plan_action', id, {
      planId: before.planId,
      ref: before.ref,
      before: pick(before, Object.keys(changes)),
      changes,
    });
    return this.actionOut(tx, updated);
  }

  private async actionOut(tx: TenantTx, a: q.ActionRow) {
    return this.action(a, await q.milestonesOf(tx, [a.id]), this.today());
  }

  /**
   * May this actor report on this action? Managers always; holders of action-plans.report
   * when they own it: its owner person, or a member of its owner unit (ADR 0011).
   */
  private async mayReport(tx: TenantTx, actor: Actor, a: q.ActionRow): Promise<boolean> {
    if (actor.permissions.has(P.manage)) return true;
    if (!actor.permissions.has(P.report)) return false;
    if (a.ownerUserId === actor.userId) return true;
    if (a.ownerUnitId && (await directory.unitOf(tx, actor.userId)) === a.ownerUnitId) return true;
    return false;
  }

  async reportProgress(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: Progress) {
    const before = await this.mustAction(tx, id);
    if (!(await this.mayReport(tx, actor, before)))
      throw new AppError(
        'FORBIDDEN',
        'Only the owner of this action (person or unit) or a plan manager may report on it',
      );
    const { version, ...changes } = input;
    const fx = statusEffects(before, changes, this.clock());
    const updated = await updateVersioned(tx, planActions, id, version, {
      ...(changes.evidence !== undefined ? { evidence: changes.evidence } : {}),
      ...fx,
    });
    await this.audit(tx, tenantId, actor, 'action.progress_reported', 'plan_action', id, {
      planId: before.planId,
      ref: before.ref,
      before: { status: before.status, progress: before.progress },
      after: { status: updated.status, progress: updated.progress },
      evidence: changes.evidence,
    });
    return this.actionOut(tx, updated);
  }

  async deleteAction(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const before = await this.mustAction(tx, id);
    await q.deleteAction(tx, id, version);
    await this.audit(tx, tenantId, actor, 'action.deleted', 'plan_action', id, {
      planId: before.planId,
      ref: before.ref,
      objective: before.objective,
    });
  }

  // ---- milestones ---------------------------------------------------------------------
  async createMilestone(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    actionId: string,
    input: { title: string; dueDate: string },
  ) {
    const a = await this.mustAction(tx, actionId);
    const plan = await this.mustPlan(tx, a.planId);
    invalid(milestoneDateProblems(input.dueDate, plan));
    const [m] = await q.insertMilestones(tx, [
      { tenantId, actionId, title: input.title, dueDate: input.dueDate },
    ]);
    await this.audit(tx, tenantId, actor, 'milestone.created', 'action_milestone', m!.id, {
      actionId,
      title: m!.title,
      dueDate: m!.dueDate,
    });
    return this.milestone(m!, a, this.today());
  }

  private async mustMilestone(tx: TenantTx, id: string) {
    const m = await q.findMilestone(tx, id);
    if (!m) throw new AppError('NOT_FOUND', 'milestone not found');
    return { m, a: await this.mustAction(tx, m.actionId) };
  }

  /** Owners may tick a milestone done; only managers may retitle or move it. */
  async updateMilestone(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdateMilestoneInput>,
  ) {
    const { m, a } = await this.mustMilestone(tx, id);
    if (!(await this.mayReport(tx, actor, a)))
      throw new AppError(
        'FORBIDDEN',
        'Only the owner of this action or a plan manager may update its milestones',
      );
    if ((input.title !== undefined || input.dueDate !== undefined) && !actor.permissions.has(P.manage))
      throw new AppError('FORBIDDEN', 'Only a plan manager may rename or move a milestone');
    if (input.dueDate) invalid(milestoneDateProblems(input.dueDate, await this.mustPlan(tx, a.planId)));
    const { version, done, ...changes } = input;
    const values: Partial<typeof actionMilestones.$inferInsert> = { ...changes };
    if (done !== undefined) values.doneAt = done ? (m.doneAt ?? this.clock()) : null;
    const updated = await updateVersioned(tx, actionMilestones, id, version, values);
    await this.audit(tx, tenantId, actor, 'milestone.updated', 'action_milestone', id, {
      actionId: a.id,
      before: { title: m.title, dueDate: m.dueDate, done: !!m.doneAt },
      changes: input,
    });
    return this.milestone(updated, a, this.today());
  }

  async deleteMilestone(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const { m } = await this.mustMilestone(tx, id);
    await q.deleteMilestone(tx, id, version);
    await this.audit(tx, tenantId, actor, 'milestone.deleted', 'action_milestone', id, {
      actionId: m.actionId,
      title: m.title,
    });
  }

  // ---- draft from evidence ------------------------------------------------------------
  /**
   * Proposals, not stored (ADR 0011): the weakest checklist items of the assessment and the
   * highest residual risks, minus those an action of the plan already answers.
   */
  async draft(
    tx: TenantTx,
    planId: string,
    input: z.infer<typeof C.DraftInput>,
    locale: Locale,
  ): Promise<C.DraftResultT> {
    const plan = await this.mustPlan(tx, planId);
    const existing = await q.actionsOf(tx, planId);
    const coveredItems = new Set(existing.flatMap((a) => a.gapItemUrns));
    const coveredRisks = new Set(existing.flatMap((a) => a.riskIds));
    const today = this.today();
    const startDate = today > plan.horizonStart && today <= plan.horizonEnd ? today : plan.horizonStart;
    const sixMonths = addMonths(startDate, 6);
    const dueDate = [sixMonths, plan.horizonEnd].sort()[0]!; // the earlier of two ISO dates
    const notes: string[] = [];
    const proposals: C.ProposalT[] = [];
    let assessmentId: string | null = null;
    if (input.itemLimit > 0) {
      const weak = await this.links.weakestItems(
        tx,
        input.assessmentId ?? plan.assessmentId ?? undefined,
        input.itemLimit + coveredItems.size,
        locale,
      );
      if (!weak) notes.push(t(locale, 'actionPlans.draft.noAssessment'));
      else {
        assessmentId = weak.assessmentId;
        for (const it of weak.items.filter((i) => !coveredItems.has(i.itemUrn)).slice(0, input.itemLimit)) {
          const weaknesses = it.weaknesses ?? '';
          proposals.push({
            source: 'item',
            sourceRef: it.refId,
            objective: t(locale, 'actionPlans.draft.itemObjective', {
              ref: it.refId,
              text: clip(it.text, 300),
              rating: it.rating,
              max: it.scaleMax,
            }).slice(0, 500),
            description: weaknesses
              ? t(locale, 'actionPlans.draft.itemWeaknesses', { weaknesses: clip(weaknesses, 3000) })
              : t(locale, 'actionPlans.draft.itemNoWeaknesses'),
            factor: it.factor,
            gapItemUrns: [it.itemUrn],
            riskIds: [],
            startDate,
            dueDate,
            rating: it.rating,
            scaleMax: it.scaleMax,
            level: null,
          });
        }
      }
    }
    if (input.riskLimit > 0) {
      const risks = await this.links.topRisks(tx, input.riskLimit + coveredRisks.size, locale);
      for (const r of risks.filter((x) => !coveredRisks.has(x.id)).slice(0, input.riskLimit))
        proposals.push({
          source: 'risk',
          sourceRef: r.ref,
          objective: t(locale, 'actionPlans.draft.riskObjective', {
            ref: r.ref,
            title: clip(r.title, 300),
            level: r.residualLevel.label,
          }).slice(0, 500),
          description: t(locale, 'actionPlans.draft.riskDescription', {
            score: r.residualScore,
            process: r.process,
          }),
          factor: r.factors[0] ?? null,
          gapItemUrns: [],
          riskIds: [r.id],
          startDate,
          dueDate,
          rating: r.residualScore,
          scaleMax: null,
          level: r.residualLevel,
        });
    }
    return { assessmentId, proposals, notes };
  }

  // ---- KPIs ---------------------------------------------------------------------------
  private kpi(k: q.KpiRow, values: q.KpiValueRow[]): C.KpiT {
    const mine = values.filter((v) => v.kpiId === k.id);
    const last = mine.at(-1);
    const latest = last ? { periodEnd: last.periodEnd, value: last.value } : null;
    return {
      id: k.id,
      planId: k.planId,
      code: k.code,
      name: k.name,
      definition: k.definition,
      unit: k.unit,
      direction: k.direction,
      baseline: k.baseline,
      target: k.target,
      targetDate: k.targetDate,
      factor: k.factor,
      actionIds: k.actionIds,
      feed: k.feed ?? null,
      latest,
      progress: kpiProgress(k.direction, k.baseline, k.target, latest?.value ?? null),
      values: mine.map((v) => ({
        id: v.id,
        periodEnd: v.periodEnd,
        value: v.value,
        note: v.note,
        source: v.source,
        recordedBy: v.recordedBy,
        createdAt: iso(v.createdAt)!,
      })),
      version: k.version,
    };
  }

  async listKpis(tx: TenantTx, planId?: string): Promise<C.KpiT[]> {
    const list = await q.listKpis(tx, planId);
    const values = await q.valuesOf(
      tx,
      list.map((k) => k.id),
    );
    return list.map((k) => this.kpi(k, values));
  }

  private async mustKpi(tx: TenantTx, id: string) {
    const k = await q.findKpi(tx, id);
    if (!k) throw new AppError('NOT_FOUND', 'KPI not found');
    return k;
  }

  async getKpi(tx: TenantTx, id: string) {
    const k = await this.mustKpi(tx, id);
    return this.kpi(k, await q.valuesOf(tx, [id]));
  }

  private async checkKpi(
    tx: TenantTx,
    v: {
      planId?: string | null;
      code?: string;
      direction: C.KpiT['direction'];
      baseline?: number | null;
      target?: number | null;
      actionIds?: string[];
    },
    exceptId?: string,
  ) {
    const problems: ProblemDetail[] = [];
    const target = kpiTargetProblem(v.direction, v.baseline, v.target);
    if (target) problems.push({ path: 'body.target', message: target });
    if (v.planId && !(await q.findPlan(tx, v.planId)))
      problems.push({ path: 'body.planId', message: 'unknown plan' });
    const ids = [...new Set(v.actionIds ?? [])];
    const known = new Set(await q.existingActionIds(tx, ids));
    for (const id of ids.filter((x) => !known.has(x)))
      problems.push({ path: 'body.actionIds', message: `unknown action ${id}` });
    invalid(problems);
    if (v.code && (await q.kpiCodeTaken(tx, v.code, exceptId)))
      throw new AppError('ALREADY_EXISTS', `A KPI with the code ${v.code} exists`);
  }

  async createKpi(tx: TenantTx, tenantId: string, actor: Actor, input: CreateKpi) {
    await this.checkKpi(tx, input);
    const k = await q.insertKpi(tx, {
      tenantId,
      planId: input.planId ?? null,
      code: input.code,
      name: input.name,
      definition: input.definition ?? null,
      unit: input.unit,
      direction: input.direction,
      baseline: input.baseline ?? null,
      target: input.target ?? null,
      targetDate: input.targetDate ?? null,
      factor: input.factor ?? null,
      actionIds: [...new Set(input.actionIds ?? [])],
      feed: input.feed ?? null,
    });
    await this.audit(tx, tenantId, actor, 'kpi.created', 'kpi', k.id, { code: k.code, name: k.name });
    return this.kpi(k, []);
  }

  async updateKpi(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: UpdateKpi) {
    const before = await this.mustKpi(tx, id);
    const { version, ...changes } = input;
    await this.checkKpi(
      tx,
      {
        ...changes,
        direction: changes.direction ?? before.direction,
        baseline: changes.baseline !== undefined ? changes.baseline : before.baseline,
        target: changes.target !== undefined ? changes.target : before.target,
      },
      id,
    );
    await updateVersioned(tx, kpis, id, version, {
      ...changes,
      ...(changes.actionIds ? { actionIds: [...new Set(changes.actionIds)] } : {}),
    });
    await this.audit(tx, tenantId, actor, 'kpi.updated', 'kpi', id, {
      before: pick(before, Object.keys(changes)),
      changes,
    });
    return this.getKpi(tx, id);
  }

  async deleteKpi(tx: TenantTx, tenantId: string, actor: Actor, id: string, version: number) {
    const before = await this.mustKpi(tx, id);
    await q.deleteKpi(tx, id, version);
    await this.audit(tx, tenantId, actor, 'kpi.deleted', 'kpi', id, { code: before.code, name: before.name });
  }

  /** Records (or corrects) the value of one period; one value per period and source. */
  async recordValue(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    kpiId: string,
    input: z.infer<typeof C.KpiValueInput>,
  ) {
    await this.mustKpi(tx, kpiId);
    const v = await q.upsertKpiValue(tx, {
      tenantId,
      kpiId,
      periodEnd: input.periodEnd,
      value: input.value,
      note: input.note ?? null,
      source: input.source ?? 'manual',
      recordedBy: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'kpi.value_recorded', 'kpi', kpiId, {
      periodEnd: v.periodEnd,
      value: v.value,
      source: v.source,
    });
    return this.getKpi(tx, kpiId);
  }

  /**
   * Reads the current figure of a fed KPI from its source module and records it for today under
   * the feed's source (replacing today's value of that source), audited like a value entered by
   * hand. 409 when the KPI has no feed. Nothing is recorded when the source has no figure (nobody
   * enrolled or asked, a survey under its anonymity threshold): the result says why, in `locale`.
   */
  async refreshKpi(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const k = await this.mustKpi(tx, id);
    if (!k.feed)
      throw new AppError('CONFLICT', 'This KPI has no data source: its values are entered by hand');
    const r = await this.recordFeed(tx, tenantId, actor, k, k.feed, this.clock());
    return {
      kpi: await this.getKpi(tx, id),
      recorded: r.value !== null,
      value: r.value,
      reason: r.reason && feedReason(locale, r.reason, k.feed),
    };
  }

  /** The daily feeds job: refreshes every fed KPI of the tenant (a deleted source spares the rest). */
  async refreshFeeds(tx: TenantTx, tenantId: string, now: Date) {
    let recorded = 0;
    let skipped = 0;
    for (const k of await q.fedKpis(tx)) {
      if (!k.feed) continue;
      const r = await this.recordFeed(tx, tenantId, null, k, k.feed, now);
      if (r.value !== null) recorded++;
      else skipped++;
    }
    return { recorded, skipped };
  }

  /** Records today's figure of a fed KPI, or audits why there is none. */
  private async recordFeed(
    tx: TenantTx,
    tenantId: string,
    actor: Actor | null,
    k: typeof kpis.$inferSelect,
    feed: KpiFeed,
    now: Date,
  ): Promise<{ value: number; reason: null } | { value: null; reason: NoFigure }> {
    const figure = await new KpiFeeds(this.k).current(tx, feed, k.unit);
    if (figure.value === null) {
      await this.audit(tx, tenantId, actor, 'kpi.feed_skipped', 'kpi', k.id, {
        source: feed.source,
        reason: feedReason('en', figure.reason, feed),
      });
      return { value: null, reason: figure.reason };
    }
    const v = await q.upsertKpiValue(tx, {
      tenantId,
      kpiId: k.id,
      periodEnd: isoDay(now),
      value: figure.value,
      note: figure.note,
      source: feed.source,
      recordedBy: actor?.userId ?? null,
    });
    await this.audit(tx, tenantId, actor, 'kpi.value_recorded', 'kpi', k.id, {
      periodEnd: v.periodEnd,
      value: v.value,
      source: v.source,
      feed,
    });
    return { value: v.value, reason: null };
  }

  async deleteValue(tx: TenantTx, tenantId: string, actor: Actor, kpiId: string, valueId: string) {
    await this.mustKpi(tx, kpiId);
    const v = await q.findKpiValue(tx, kpiId, valueId);
    if (!v) throw new AppError('NOT_FOUND', 'value not found');
    await q.deleteKpiValue(tx, valueId);
    await this.audit(tx, tenantId, actor, 'kpi.value_deleted', 'kpi', kpiId, {
      periodEnd: v.periodEnd,
      value: v.value,
      source: v.source,
    });
  }

  // ---- lookups ------------------------------------------------------------------------
  async lookups(tx: TenantTx, locale: Locale): Promise<C.LookupsT> {
    const [units, members, items, risks] = await Promise.all([
      directory.units(tx),
      directory.members(tx),
      this.links.itemOptions(tx, locale),
      this.links.topRisks(tx, 500, locale),
    ]);
    return {
      units: units.map((u) => ({ id: u.id, name: u.name })),
      users: members.map((m) => ({ id: m.userId, name: m.name, unitId: m.unitId })),
      items,
      risks: risks.map((r) => ({ id: r.id, ref: r.ref, title: r.title })),
    };
  }

  // ---- reminders ----------------------------------------------------------------------
  /**
   * Due-soon and overdue reminders of one tenant as of `now`: one notification (and one
   * e-mail) per recipient and event; the event key holds the due date, so a moved due date
   * is a new event and a repeated run sends nothing. Returns how many were new.
   */
  async sendReminders(tx: TenantTx, tenantId: string, now: Date): Promise<{ sent: number; skipped: number }> {
    const today = isoDay(now);
    const until = addDays(today, DUE_SOON_DAYS);
    const members = new Map((await directory.members(tx)).map((m) => [m.userId, m]));
    let sent = 0;
    let skipped = 0;
    const send = async (o: {
      what: 'action' | 'milestone';
      id: string;
      planId: string;
      dueDate: string;
      kind: ReminderKind;
      recipient: string;
      vars: Record<string, string | number>;
    }) => {
      const user = members.get(o.recipient);
      if (!user) {
        skipped++;
        return;
      }
      const isNew = await this.links.notify(tx, {
        tenantId,
        userId: user.userId,
        kind: `action-plans.${o.kind}`,
        messageKey: `actionPlans.notify.${o.what}_${o.kind}`,
        vars: { ...o.vars, dueDate: o.dueDate },
        link: `/action-plans/${o.planId}`,
        dedupeKey: reminderKey(o.what, o.id, o.kind, o.dueDate),
        email: true,
      });
      if (isNew) sent++;
      else skipped++;
    };
    for (const { a, planCreatedBy, planTitle } of await q.openActionsDueBy(tx, until)) {
      const kind = reminderKind(a.dueDate!, today);
      if (!kind) continue;
      await send({
        what: 'action',
        id: a.id,
        planId: a.planId,
        dueDate: a.dueDate!,
        kind,
        recipient: a.ownerUserId ?? planCreatedBy,
        vars: { ref: a.ref, objective: clip(a.objective, 200), plan: clip(planTitle, 200) },
      });
    }
    for (const { m, a, planCreatedBy } of await q.openMilestonesDueBy(tx, until)) {
      const kind = reminderKind(m.dueDate, today);
      if (!kind) continue;
      await send({
        what: 'milestone',
        id: m.id,
        planId: a.planId,
        dueDate: m.dueDate,
        kind,
        recipient: a.ownerUserId ?? planCreatedBy,
        vars: { ref: a.ref, title: clip(m.title, 200), objective: clip(a.objective, 200) },
      });
    }
    return { sent, skipped };
  }
}

function clip(s: string, n: number) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function pick<T extends object>(o: T, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in o) out[k] = (o as Record<string, unknown>)[k];
  return out;
}
