import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Router } from '../../platform/http/route.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { ActionPlansApi, type PlanProgress } from '../action-plans/index.ts';
import { IdParam, Text } from './programme.contract.ts';
import { figure } from './programme.money.ts';
import { P } from './programme.permissions.ts';
import * as q from './programme.queries.ts';
import { asTenant, consentStatus, Figure } from './programme.evidence.ts';
import { type PlanKpi, type PlanPhase, programmeConsents, programmePlans } from './programme.schema.ts';
import { BENCHMARK_STATUSES, type BenchmarkStatus } from './programme.vocab.ts';

// A partnership's multi-annual plan (docs/adr/0028, "Multi-annual plan"): phases (years) with
// benchmarks, and the country KPIs with an actual per period — written whole by the Secretariat at
// the version read, read like the partnership. Benchmarks may point to actions of the Integrity
// Action Plan the partner administration shares (consent scope action_plan, naming the plan): while
// it shares it, the plan's progress (counts by status, % done, each action's reference, objective
// and status) is read live in the administration's tenant; withdrawn, nothing of it shows.

const day = z.iso.date();
/** Periods given in order, none overlapping the next (a message at the first offender). */
const inOrder = <T extends { startsOn?: string; periodStart?: string; endsOn?: string; periodEnd?: string }>(
  list: T[],
) => {
  for (let i = 1; i < list.length; i++) {
    const prevEnd = list[i - 1]!.endsOn ?? list[i - 1]!.periodEnd!;
    const start = list[i]!.startsOn ?? list[i]!.periodStart!;
    if (start <= prevEnd) return i;
  }
  return -1;
};

const BenchmarkInput = z
  .object({
    title: Text(500),
    factor: z.number().int().min(1).max(10).nullable().default(null),
    due: day.nullable().default(null),
    status: z.enum(BENCHMARK_STATUSES),
    actionIds: z
      .array(z.uuid())
      .max(50)
      .default([])
      .refine((a) => new Set(a).size === a.length, 'each action once'),
  })
  .strict();
const PhaseInput = z
  .object({
    label: Text(100),
    startsOn: day,
    endsOn: day,
    // Room for a partnership's former list (up to 100, moved here by a migration) beside 50 of the phase's own.
    benchmarks: z.array(BenchmarkInput).max(150).default([]),
  })
  .strict()
  .refine((p) => p.startsOn <= p.endsOn, { path: ['endsOn'], message: 'ends before it starts' });
const KpiActualInput = z
  .object({ periodLabel: Text(60), periodStart: day, periodEnd: day, value: Figure })
  .strict()
  .refine((a) => a.periodStart <= a.periodEnd, { path: ['periodEnd'], message: 'ends before it starts' });
const KpiInput = z
  .object({
    name: Text(300),
    unit: Text(60),
    baseline: Figure,
    target: Figure,
    actuals: z.array(KpiActualInput).max(100).default([]),
  })
  .strict()
  .superRefine((k, ctx) => {
    const i = inOrder(k.actuals);
    if (i >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['actuals', i, 'periodStart'],
        message: 'periods in order, each starting after the previous one ends',
      });
  });

/** The whole plan, at the version the caller read (no plan yet: version 1). */
export const PlanInput = z
  .object({
    version: z.number().int().min(1),
    phases: z.array(PhaseInput).max(20),
    kpis: z.array(KpiInput).max(30),
  })
  .strict()
  .superRefine((p, ctx) => {
    const i = inOrder(p.phases);
    if (i >= 0)
      ctx.addIssue({
        code: 'custom',
        path: ['phases', i, 'startsOn'],
        message: 'phases in order, each starting after the previous one ends',
      });
  });

/**
 * A phase's benchmarks by where they stand on `today` (YYYY-MM-DD): done (achieved), late (marked not
 * achieved, or still open after their target date), due (still open, not late yet).
 */
export function benchmarkTally(
  benchmarks: readonly { status: BenchmarkStatus; due: string | null }[],
  today: string,
) {
  const tally = { done: 0, due: 0, late: 0 };
  for (const b of benchmarks) {
    if (b.status === 'achieved') tally.done++;
    else if (b.status === 'not_achieved' || (b.due !== null && b.due < today)) tally.late++;
    else tally.due++;
  }
  return tally;
}

const ActionRow = z.object({ id: z.uuid(), ref: z.string(), objective: z.string(), status: z.string() });
export const Plan = z.object({
  partnershipId: z.uuid(),
  organisation: z.string(),
  startsOn: z.string(),
  endsOn: z.string(),
  /** 1 while no plan is saved. */
  version: z.number().int(),
  phases: z.array(
    z.object({
      label: z.string(),
      startsOn: z.string(),
      endsOn: z.string(),
      benchmarks: z.array(
        z.object({
          title: z.string(),
          factor: z.number().nullable(),
          due: z.string().nullable(),
          status: z.enum(BENCHMARK_STATUSES),
          actionIds: z.array(z.uuid()),
          /** The linked actions as the shared plan has them now; empty while it is not shared. */
          actions: z.array(ActionRow),
        }),
      ),
      /** Its benchmarks done, due and late today (benchmarkTally). */
      tally: z.object({ done: z.number().int(), due: z.number().int(), late: z.number().int() }),
    }),
  ),
  kpis: z.array(
    z.object({
      name: z.string(),
      unit: z.string(),
      baseline: z.string(),
      target: z.string(),
      actuals: z.array(
        z.object({
          periodLabel: z.string(),
          periodStart: z.string(),
          periodEnd: z.string(),
          value: z.string(),
        }),
      ),
      /** The actual of the last period (they are in order), or null before the first. */
      latest: z.object({ periodLabel: z.string(), value: z.string() }).nullable(),
    }),
  ),
  /** The administration's Integrity Action Plan, as far as its consent covers it. */
  actionPlan: z.object({
    status: z.enum(['ok', 'no_consent', 'consent_withdrawn', 'no_plan']),
    progress: z
      .object({
        id: z.uuid(),
        title: z.string(),
        horizonStart: z.string(),
        horizonEnd: z.string(),
        total: z.number().int(),
        byStatus: z.record(z.string(), z.number().int()),
        percentDone: z.number().nullable(),
        actions: z.array(ActionRow),
      })
      .nullable(),
  }),
  /** For the administration itself: its plans it may share (null for anyone else). */
  shareable: z.array(z.object({ id: z.uuid(), title: z.string(), status: z.string() })).nullable(),
});
export const PlanSaved = z.object({ version: z.number().int() });

type SharedPlan = { status: z.infer<typeof Plan>['actionPlan']['status']; progress: PlanProgress | null };

export class PlanService {
  private readonly actionPlans: ActionPlansApi;
  constructor(private readonly k: Kernel) {
    this.actionPlans = new ActionPlansApi(k);
  }

  /**
   * The administration's shared Integrity Action Plan, read in its own tenant under its active
   * action_plan consent (checked there, in the same scope as the read).
   */
  private sharedPlan(tx: TenantTx, administrationId: string): Promise<SharedPlan> {
    return asTenant(tx, administrationId, async () => {
      const rows = await tx
        .select()
        .from(programmeConsents)
        .where(eq(programmeConsents.tenantId, administrationId));
      const c = consentStatus(rows, 'action_plan');
      if (c.status !== 'ok' || !c.subjectId) return { status: c.status, progress: null };
      const progress = await this.actionPlans.planProgress(tx, c.subjectId);
      return progress ? { status: 'ok', progress } : { status: 'no_plan', progress: null };
    });
  }

  /** The plan of a partnership the caller can read (RLS decides: Secretariat, partner, its donors). */
  async plan(tx: TenantTx, tenantId: string, partnershipId: string): Promise<z.infer<typeof Plan>> {
    const p = await q.findPartnership(tx, partnershipId);
    if (!p) throw notFound('partnership');
    const [row] = await tx.select().from(programmePlans).where(eq(programmePlans.partnershipId, p.id));
    const shared = await this.sharedPlan(tx, p.administrationId);
    const actions = new Map((shared.progress?.actions ?? []).map((a) => [a.id, a]));
    const own = tenantId === p.administrationId;
    const today = new Date().toISOString().slice(0, 10);
    return {
      partnershipId: p.id,
      organisation: p.organisation,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      version: row?.version ?? 1,
      phases: (row?.phases ?? []).map((ph) => ({
        ...ph,
        benchmarks: ph.benchmarks.map((b) => ({
          ...b,
          actions: b.actionIds.flatMap((id) => {
            const a = actions.get(id);
            return a ? [a] : [];
          }),
        })),
        tally: benchmarkTally(ph.benchmarks, today),
      })),
      kpis: (row?.kpis ?? []).map((k) => {
        const last = k.actuals.at(-1);
        return {
          ...k,
          baseline: figure(k.baseline),
          target: figure(k.target),
          actuals: k.actuals.map((a) => ({ ...a, value: figure(a.value) })),
          latest: last ? { periodLabel: last.periodLabel, value: figure(last.value) } : null,
        };
      }),
      actionPlan: shared,
      shareable: own
        ? (await this.actionPlans.plans(tx)).map((x) => ({ id: x.id, title: x.title, status: x.status }))
        : null,
    };
  }

  /**
   * Saves the whole plan (the Secretariat), at the version read: phases inside the partnership's
   * period; an action a benchmark points to must be one of the plan the administration shares now
   * (an id already linked stays when the plan is no longer shared, so a withdrawn consent does not
   * make the plan unsaveable).
   */
  async save(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    partnershipId: string,
    input: z.infer<typeof PlanInput>,
  ) {
    const p = (await q.isSecretariat(tx)) ? await q.findPartnership(tx, partnershipId) : undefined;
    if (!p) throw notFound('partnership');
    const outside = input.phases.findIndex((ph) => ph.startsOn < p.startsOn || ph.endsOn > p.endsOn);
    if (outside >= 0)
      throw new AppError(
        'UNPROCESSABLE',
        `A phase falls outside the partnership (${p.startsOn} to ${p.endsOn})`,
        [{ path: `phases.${outside}`, message: 'outside the partnership period' }],
      );
    const [row] = await tx.select().from(programmePlans).where(eq(programmePlans.partnershipId, p.id));
    const linkedBefore = new Set(
      (row?.phases ?? []).flatMap((ph) => ph.benchmarks.flatMap((b) => b.actionIds)),
    );
    const wanted = [...new Set(input.phases.flatMap((ph) => ph.benchmarks.flatMap((b) => b.actionIds)))];
    const fresh = wanted.filter((id) => !linkedBefore.has(id));
    if (fresh.length) {
      const shared = await this.sharedPlan(tx, p.administrationId);
      const known = new Set((shared.progress?.actions ?? []).map((a) => a.id));
      const unknown = fresh.filter((id) => !known.has(id));
      if (unknown.length)
        throw new AppError(
          'UNPROCESSABLE',
          shared.status === 'ok'
            ? `Unknown actions of the shared Integrity Action Plan: ${unknown.join(', ')}`
            : 'The administration shares no Integrity Action Plan: benchmarks cannot point to its actions',
        );
    }
    const phases: PlanPhase[] = input.phases;
    const kpis: PlanKpi[] = input.kpis;
    let version: number;
    if (row)
      version = (await updateVersioned(tx, programmePlans, row.id, input.version, { phases, kpis })).version;
    else {
      // No plan yet reads as version 1; the first save writes version 2 (a second first save is 409).
      if (input.version !== 1) throw new AppError('VERSION_CONFLICT', 'The plan was changed by someone else');
      const [created] = await tx
        .insert(programmePlans)
        .values({ tenantId, partnershipId: p.id, phases, kpis, version: 2 })
        .onConflictDoNothing()
        .returning();
      if (!created) throw new AppError('VERSION_CONFLICT', 'The plan was changed by someone else');
      version = created.version;
    }
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'programme.plan.saved',
      entityType: 'programme_partnership',
      entityId: p.id,
      data: {
        phases: phases.length,
        benchmarks: phases.reduce((n, ph) => n + ph.benchmarks.length, 0),
        kpis: kpis.length,
        actionIds: wanted.length,
      },
    });
    return { version };
  }
}

export function planRoutes(r: Router, svc: PlanService) {
  const readers = [
    ['/api/programme/partnerships/:id/plan', P.manage, 'The Secretariat'],
    ['/api/programme/mine/partnerships/:id/plan', P.submit, 'The partner administration'],
    ['/api/programme/donor/partnerships/:id/plan', P.donorRead, 'A donor funding the partnership'],
  ] as const;
  for (const [url, access, who] of readers)
    r.get({
      url,
      access,
      summary: `${who}: the partnership's multi-annual plan (phases, benchmarks, country KPIs) and, while the administration shares it, its Integrity Action Plan's progress`,
      params: IdParam,
      response: Plan,
      handler: async ({ tx, tenantId, params }) => svc.plan(tx, tenantId, params.id),
    });
  r.put({
    url: '/api/programme/partnerships/:id/plan',
    access: P.manage,
    summary:
      "Save a partnership's multi-annual plan: phases in order inside the partnership, benchmarks (RAD factor, target date, status, actions of the shared Integrity Action Plan), country KPIs with actuals per period (version-checked; no plan yet = version 1)",
    params: IdParam,
    body: PlanInput,
    bodyLimit: 512 * 1024,
    response: PlanSaved,
    handler: async ({ tx, tenantId, actor, params, body }) => svc.save(tx, tenantId, actor, params.id, body),
  });
}
