import { and, asc, desc, eq, inArray, isNotNull, lte, notInArray, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { deleteVersioned } from '../../platform/db/versioned.ts';
import { actionMilestones, actionPlans, kpis, kpiValues, planActions } from './action-plans.schema.ts';

// Tenant-scoped queries: row-level security confines every one of them to the caller's tenant.

export type PlanRow = typeof actionPlans.$inferSelect;
export type ActionRow = typeof planActions.$inferSelect;
export type MilestoneRow = typeof actionMilestones.$inferSelect;
export type KpiRow = typeof kpis.$inferSelect;
export type KpiValueRow = typeof kpiValues.$inferSelect;

export const listPlans = (tx: TenantTx) =>
  tx.select().from(actionPlans).orderBy(desc(actionPlans.horizonStart), asc(actionPlans.title));

export const findPlan = async (tx: TenantTx, id: string) =>
  (await tx.select().from(actionPlans).where(eq(actionPlans.id, id)))[0];

export const insertPlan = async (tx: TenantTx, v: typeof actionPlans.$inferInsert) =>
  (await tx.insert(actionPlans).values(v).returning())[0]!;

export const actionsOf = (tx: TenantTx, planId?: string) =>
  tx
    .select()
    .from(planActions)
    .where(planId ? eq(planActions.planId, planId) : undefined)
    .orderBy(asc(planActions.planId), asc(planActions.ref));

export const findAction = async (tx: TenantTx, id: string) =>
  (await tx.select().from(planActions).where(eq(planActions.id, id)))[0];

export const refsOf = async (tx: TenantTx, planId: string) =>
  (await tx.select({ ref: planActions.ref }).from(planActions).where(eq(planActions.planId, planId))).map(
    (r) => r.ref,
  );

export const insertActions = (tx: TenantTx, v: (typeof planActions.$inferInsert)[]) =>
  tx.insert(planActions).values(v).returning();

export const deleteAction = async (tx: TenantTx, id: string, version: number) => {
  await deleteVersioned(tx, planActions, id, version);
  await tx.delete(actionMilestones).where(eq(actionMilestones.actionId, id));
};

export const existingActionIds = async (tx: TenantTx, ids: string[]) =>
  ids.length === 0
    ? []
    : (await tx.select({ id: planActions.id }).from(planActions).where(inArray(planActions.id, ids))).map(
        (r) => r.id,
      );

export const milestonesOf = (tx: TenantTx, actionIds: string[]) =>
  actionIds.length === 0
    ? Promise.resolve([] as MilestoneRow[])
    : tx
        .select()
        .from(actionMilestones)
        .where(inArray(actionMilestones.actionId, actionIds))
        .orderBy(asc(actionMilestones.dueDate));

export const findMilestone = async (tx: TenantTx, id: string) =>
  (await tx.select().from(actionMilestones).where(eq(actionMilestones.id, id)))[0];

export const insertMilestones = (tx: TenantTx, v: (typeof actionMilestones.$inferInsert)[]) =>
  v.length === 0 ? Promise.resolve([] as MilestoneRow[]) : tx.insert(actionMilestones).values(v).returning();

export const deleteMilestone = (tx: TenantTx, id: string, version: number) =>
  deleteVersioned(tx, actionMilestones, id, version);

/** Milestones of one plan outside a horizon (to refuse a horizon that would strand them). */
export const milestonesOfPlan = (tx: TenantTx, planId: string) =>
  tx
    .select({ m: actionMilestones })
    .from(actionMilestones)
    .innerJoin(planActions, eq(planActions.id, actionMilestones.actionId))
    .where(eq(planActions.planId, planId));

// ---- reminders ------------------------------------------------------------------------
/** Open actions due on or before `until` (overdue ones included). */
export const openActionsDueBy = (tx: TenantTx, until: string) =>
  tx
    .select({ a: planActions, planCreatedBy: actionPlans.createdBy, planTitle: actionPlans.title })
    .from(planActions)
    .innerJoin(actionPlans, eq(actionPlans.id, planActions.planId))
    .where(
      and(
        notInArray(planActions.status, ['done', 'cancelled']),
        lte(planActions.dueDate, until),
        notInArray(actionPlans.status, ['archived']),
      ),
    );

/** Open milestones of open actions due on or before `until`. */
export const openMilestonesDueBy = (tx: TenantTx, until: string) =>
  tx
    .select({ m: actionMilestones, a: planActions, planCreatedBy: actionPlans.createdBy })
    .from(actionMilestones)
    .innerJoin(planActions, eq(planActions.id, actionMilestones.actionId))
    .innerJoin(actionPlans, eq(actionPlans.id, planActions.planId))
    .where(
      and(
        sql`${actionMilestones.doneAt} is null`,
        notInArray(planActions.status, ['done', 'cancelled']),
        lte(actionMilestones.dueDate, until),
        notInArray(actionPlans.status, ['archived']),
      ),
    );

// ---- KPIs -----------------------------------------------------------------------------
export const listKpis = (tx: TenantTx, planId?: string) =>
  tx
    .select()
    .from(kpis)
    .where(planId ? eq(kpis.planId, planId) : undefined)
    .orderBy(asc(kpis.code));

/** KPIs with a data source, for the daily feeds job. */
export const fedKpis = (tx: TenantTx) =>
  tx.select().from(kpis).where(isNotNull(kpis.feed)).orderBy(asc(kpis.code));

export const findKpi = async (tx: TenantTx, id: string) =>
  (await tx.select().from(kpis).where(eq(kpis.id, id)))[0];

export const insertKpi = async (tx: TenantTx, v: typeof kpis.$inferInsert) =>
  (await tx.insert(kpis).values(v).returning())[0]!;

export const deleteKpi = async (tx: TenantTx, id: string, version: number) => {
  await deleteVersioned(tx, kpis, id, version);
  await tx.delete(kpiValues).where(eq(kpiValues.kpiId, id));
};

export const kpiCodeTaken = async (tx: TenantTx, code: string, exceptId?: string) =>
  (await tx.select({ id: kpis.id }).from(kpis).where(eq(kpis.code, code))).some((r) => r.id !== exceptId);

export const valuesOf = (tx: TenantTx, kpiIds: string[]) =>
  kpiIds.length === 0
    ? Promise.resolve([] as KpiValueRow[])
    : tx
        .select()
        .from(kpiValues)
        .where(inArray(kpiValues.kpiId, kpiIds))
        .orderBy(asc(kpiValues.periodEnd), asc(kpiValues.createdAt));

export const upsertKpiValue = async (tx: TenantTx, v: typeof kpiValues.$inferInsert) =>
  (
    await tx
      .insert(kpiValues)
      .values(v)
      .onConflictDoUpdate({
        target: [kpiValues.kpiId, kpiValues.periodEnd, kpiValues.source],
        set: {
          value: v.value,
          note: v.note ?? null,
          recordedBy: v.recordedBy ?? null,
          createdAt: new Date(),
        },
      })
      .returning()
  )[0]!;

export const findKpiValue = async (tx: TenantTx, kpiId: string, id: string) =>
  (
    await tx
      .select()
      .from(kpiValues)
      .where(and(eq(kpiValues.id, id), eq(kpiValues.kpiId, kpiId)))
  )[0];

export const deleteKpiValue = (tx: TenantTx, id: string) => tx.delete(kpiValues).where(eq(kpiValues.id, id));
