import { and, asc, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory, lineManagersOf } from '../identity/index.ts';
import { RisksApi } from '../risks/index.ts';
import type * as C from './postings.contract.ts';
import { P } from './postings.permissions.ts';
import { postingRules, positions, postings } from './postings.schema.ts';
import type { TenureStatus } from './postings.vocab.ts';
import { addDays, isoDay } from '../../platform/dates.ts';

const directory = new Directory();
const DEFAULT_RULES = { enabled: true, alertDays: 90 };

/** `day` plus whole months; the 31st of a shorter month falls on its last day (2027-01-31 + 1 → 2027-02-28). */
export function addMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return isoDay(new Date(Date.UTC(year, month, Math.min(d, last))));
}

/** Whole months from `from` to `to` (a month counts once its day is reached). */
export function monthsBetween(from: string, to: string): number {
  let n = 0;
  while (addMonths(from, n + 1) <= to) n++;
  return n;
}

/** Where a posting stands: overdue once its tenure end has passed, due soon within `alertDays` before. */
export function tenureStatus(tenureEnd: string, today: string, alertDays: number): TenureStatus {
  if (tenureEnd < today) return 'overdue';
  if (addDays(tenureEnd, -alertDays) <= today) return 'due_soon';
  return 'ok';
}

type PositionRow = typeof positions.$inferSelect;
type PostingRow = typeof postings.$inferSelect;

export class PostingsService {
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private today() {
    return isoDay(this.clock());
  }

  // ---- rules ------------------------------------------------------------------------------------

  async rules(tx: TenantTx): Promise<C.Rules> {
    const [r] = await tx.select().from(postingRules);
    return r
      ? { enabled: r.enabled, alertDays: r.alertDays, version: r.version }
      : { ...DEFAULT_RULES, version: 0 };
  }

  async setRules(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: z.infer<typeof C.RulesInput>,
  ): Promise<C.Rules> {
    const [r] = await tx.select().from(postingRules);
    const { version, ...values } = input;
    if (!r) {
      if (version !== 0) throw new AppError('VERSION_CONFLICT', 'The rules have changed; reload');
      await tx
        .insert(postingRules)
        .values({ tenantId, ...values })
        .onConflictDoNothing();
    } else await updateVersioned(tx, postingRules, r.id, version, values);
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'postings.rules.updated',
      entityType: 'posting_rules',
      entityId: tenantId,
      data: values,
    });
    return this.rules(tx);
  }

  // ---- positions --------------------------------------------------------------------------------

  private async checkRefs(tx: TenantTx, input: { orgUnitId?: string | null; riskIds?: string[] }) {
    const problems: { path: string; message: string }[] = [];
    if (input.orgUnitId && !(await directory.units(tx)).some((u) => u.id === input.orgUnitId))
      problems.push({ path: 'orgUnitId', message: 'Unknown unit' });
    if (input.riskIds?.length) {
      const known = new Set(await new RisksApi(this.k).exists(tx, input.riskIds));
      for (const r of input.riskIds.filter((x) => !known.has(x)))
        problems.push({ path: 'riskIds', message: `Unknown risk ${r}` });
    }
    if (problems.length) throw new AppError('VALIDATION_FAILED', problems[0]!.message, problems);
  }

  async listPositions(tx: TenantTx, locale: Locale): Promise<C.Position[]> {
    const list = await tx.select().from(positions).orderBy(asc(positions.title));
    const units = new Map((await directory.units(tx)).map((u) => [u.id, u.name]));
    const open = await tx.select().from(postings).where(isNull(postings.endDate));
    const names = await directory.people(
      tx,
      open.map((p) => p.userId),
    );
    const linked = list.some((p) => p.riskIds.length);
    const risks = linked ? await new RisksApi(this.k).topResidual(tx, 1000, locale) : [];
    const today = this.today();
    return list.map((p) => {
      const top = risks.find((r) => p.riskIds.includes(r.id));
      return {
        id: p.id,
        orgUnitId: p.orgUnitId,
        unit: p.orgUnitId ? (units.get(p.orgUnitId) ?? null) : null,
        title: p.title,
        function: p.function,
        vulnerability: p.vulnerability,
        riskIds: p.riskIds,
        riskLevel: top
          ? { label: top.residualLevel.label, color: top.residualLevel.color, score: top.residualScore }
          : null,
        maxTenureMonths: p.maxTenureMonths,
        coolingOffMonths: p.coolingOffMonths,
        archived: p.archived,
        holders: open
          .filter((o) => o.positionId === p.id && o.startDate <= today)
          .map((o) => ({ userId: o.userId, name: names.get(o.userId)?.name ?? '—' })),
        version: p.version,
      };
    });
  }

  private async position(tx: TenantTx, id: string, locale: Locale) {
    const p = (await this.listPositions(tx, locale)).find((x) => x.id === id);
    if (!p) throw notFound('position');
    return p;
  }

  async createPosition(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: z.infer<typeof C.PositionInput>,
    locale: Locale,
  ) {
    await this.checkRefs(tx, input);
    const [p] = await tx
      .insert(positions)
      .values({
        tenantId,
        orgUnitId: input.orgUnitId ?? null,
        title: input.title,
        function: input.function ?? '',
        vulnerability: input.vulnerability,
        riskIds: [...new Set(input.riskIds ?? [])],
        maxTenureMonths: input.maxTenureMonths ?? null,
        coolingOffMonths: input.coolingOffMonths ?? null,
      })
      .returning();
    await this.audit(tx, tenantId, actor, 'postings.position.created', 'position', p!.id, { ...input });
    return this.position(tx, p!.id, locale);
  }

  async updatePosition(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdatePositionInput>,
    locale: Locale,
  ) {
    const [cur] = await tx.select().from(positions).where(eq(positions.id, id));
    if (!cur) throw notFound('position');
    await this.checkRefs(tx, input);
    const { version, ...values } = input;
    await updateVersioned(tx, positions, id, version, values);
    await this.audit(tx, tenantId, actor, 'postings.position.updated', 'position', id, values);
    return this.position(tx, id, locale);
  }

  // ---- postings ---------------------------------------------------------------------------------

  private async present(tx: TenantTx, rows: PostingRow[]): Promise<C.Posting[]> {
    const pos = new Map((await tx.select().from(positions)).map((p) => [p.id, p]));
    const units = new Map((await directory.units(tx)).map((u) => [u.id, u.name]));
    const names = await directory.people(
      tx,
      rows.map((r) => r.userId),
    );
    const today = this.today();
    return rows.map((r) => {
      const p = pos.get(r.positionId);
      return {
        id: r.id,
        userId: r.userId,
        name: names.get(r.userId)?.name ?? '—',
        positionId: r.positionId,
        position: p?.title ?? '',
        unit: p?.orgUnitId ? (units.get(p.orgUnitId) ?? null) : null,
        startDate: r.startDate,
        endDate: r.endDate,
        reason: r.reason,
        overrideReason: r.overrideReason,
        months: monthsBetween(r.startDate, r.endDate ?? today),
        tenureEnd: p?.maxTenureMonths ? addMonths(r.startDate, p.maxTenureMonths) : null,
        version: r.version,
      };
    });
  }

  async listPostings(tx: TenantTx, query: z.infer<typeof C.PostingQuery>) {
    const rows = await tx
      .select()
      .from(postings)
      .where(
        and(
          query.userId ? eq(postings.userId, query.userId) : undefined,
          query.positionId ? eq(postings.positionId, query.positionId) : undefined,
        ),
      )
      .orderBy(asc(postings.startDate));
    return this.present(tx, rows);
  }

  /**
   * Posts someone: the member and position must exist; their open posting (if any, started
   * before) ends the day before; posting someone back to a position within its cooling-off
   * period is refused (409) unless a reason is given — when the rules are on.
   */
  async createPosting(tx: TenantTx, tenantId: string, actor: Actor, input: z.infer<typeof C.PostingInput>) {
    if (!(await directory.people(tx, [input.userId])).has(input.userId))
      throw new AppError('VALIDATION_FAILED', 'Unknown member', [
        { path: 'userId', message: 'Not a member' },
      ]);
    const [pos] = await tx.select().from(positions).where(eq(positions.id, input.positionId));
    if (!pos)
      throw new AppError('VALIDATION_FAILED', 'Unknown position', [
        { path: 'positionId', message: 'Unknown position' },
      ]);
    const history = await tx.select().from(postings).where(eq(postings.userId, input.userId));
    const rules = await this.rules(tx);
    const check = cooling(history, pos, input.startDate);
    if (check && rules.enabled && !input.overrideReason)
      throw new AppError(
        'CONFLICT',
        `Cooling-off: ${pos.coolingOffMonths} months after leaving this position on ${check.lastEnd}; posting back is possible from ${check.until}, or give a reason`,
        [{ path: 'overrideReason', message: `Cooling-off until ${check.until}` }],
      );
    const openBefore = history.filter((h) => !h.endDate && h.startDate < input.startDate);
    for (const o of openBefore) {
      await updateVersioned(tx, postings, o.id, o.version, { endDate: addDays(input.startDate, -1) });
      await this.audit(tx, tenantId, actor, 'postings.posting.closed', 'posting', o.id, {
        endDate: addDays(input.startDate, -1),
      });
    }
    const [p] = await tx
      .insert(postings)
      .values({
        tenantId,
        userId: input.userId,
        positionId: input.positionId,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
        reason: input.reason,
        overrideReason: check && rules.enabled ? (input.overrideReason ?? null) : null,
        createdBy: actor.userId,
      })
      .returning();
    await this.audit(tx, tenantId, actor, 'postings.posting.created', 'posting', p!.id, {
      ...input,
      coolingOffOverridden: !!(check && rules.enabled),
    });
    return (await this.present(tx, [p!]))[0]!;
  }

  async updatePosting(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: z.infer<typeof C.UpdatePostingInput>,
  ) {
    const [cur] = await tx.select().from(postings).where(eq(postings.id, id));
    if (!cur) throw notFound('posting');
    if (input.endDate && input.endDate < cur.startDate)
      throw new AppError('VALIDATION_FAILED', 'Ends before it starts', [
        { path: 'endDate', message: 'Ends before it starts' },
      ]);
    const { version, ...values } = input;
    const p = await updateVersioned(tx, postings, id, version, values);
    await this.audit(tx, tenantId, actor, 'postings.posting.updated', 'posting', id, values);
    return (await this.present(tx, [p]))[0]!;
  }

  // ---- rotation plan and tenure alerts ----------------------------------------------------------

  /** The rules, the open postings with a tenure limit (by tenure end), and the units they read. */
  private async tenure(tx: TenantTx) {
    const rules = await this.rules(tx);
    const today = this.today();
    const open = await tx.select().from(postings).where(isNull(postings.endDate));
    const pos = new Map((await tx.select().from(positions)).map((p) => [p.id, p]));
    const units = await directory.units(tx);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const names = await directory.people(
      tx,
      open.map((o) => o.userId),
    );
    const items: C.Plan['items'] = open
      .filter((o) => pos.get(o.positionId)?.maxTenureMonths)
      .map((o) => {
        const p = pos.get(o.positionId)!;
        const tenureEnd = addMonths(o.startDate, p.maxTenureMonths!);
        return {
          postingId: o.id,
          userId: o.userId,
          name: names.get(o.userId)?.name ?? '—',
          positionId: p.id,
          position: p.title,
          unit: p.orgUnitId ? (unitName.get(p.orgUnitId) ?? null) : null,
          vulnerability: p.vulnerability,
          startDate: o.startDate,
          tenureEnd,
          status: tenureStatus(tenureEnd, today, rules.alertDays),
        };
      })
      .sort((a, b) => a.tenureEnd.localeCompare(b.tenureEnd) || a.name.localeCompare(b.name));
    return { rules, items, pos, units };
  }

  async plan(tx: TenantTx): Promise<C.Plan> {
    const { rules, items } = await this.tenure(tx);
    const today = this.today();
    const first = [items[0]?.tenureEnd.slice(0, 7) ?? today.slice(0, 7), today.slice(0, 7)].sort()[0]!;
    const last = addMonths(`${today.slice(0, 7)}-01`, 24).slice(0, 7);
    const byMonth: C.Plan['byMonth'] = [];
    for (let m = `${first}-01`; m.slice(0, 7) <= last; m = addMonths(m, 1))
      byMonth.push({
        month: m.slice(0, 7),
        count: items.filter((i) => i.tenureEnd.slice(0, 7) === m.slice(0, 7)).length,
      });
    return { enabled: rules.enabled, alertDays: rules.alertDays, items, byMonth };
  }

  /**
   * Tenure alerts, once per posting, kind and tenure end: to the line managers of the position's
   * unit (up the units when it has none), else to the holders of postings.manage. Nothing when
   * the rules are switched off.
   */
  async sendAlerts(tx: TenantTx, tenantId: string): Promise<{ sent: number; skipped: number }> {
    const { rules, items, pos, units } = await this.tenure(tx);
    if (!rules.enabled) return { sent: 0, skipped: 0 };
    const due = items.filter((i) => i.status !== 'ok');
    if (!due.length) return { sent: 0, skipped: 0 };
    const members = await directory.members(tx);
    const managers = members
      .filter((m) => this.k.permissions.permissionsOf(m.roles).has(P.manage))
      .map((m) => m.userId);
    let sent = 0;
    let skipped = 0;
    for (const i of due) {
      let to = lineManagersOf(members, units, pos.get(i.positionId)?.orgUnitId ?? null, i.userId);
      if (!to.length) to = managers.filter((m) => m !== i.userId);
      const kind = i.status === 'overdue' ? 'tenure_exceeded' : 'tenure_due';
      for (const userId of new Set(to)) {
        const isNew = await this.k.notify.send(tx, {
          tenantId,
          userId,
          kind: `postings.${kind}`,
          messageKey: `postings.notify.${kind}`,
          vars: { person: i.name, position: i.position, tenureEnd: i.tenureEnd },
          link: '/postings/plan',
          dedupeKey: `posting:${i.postingId}:${kind}:${i.tenureEnd}`,
          email: true,
        });
        if (isNew) sent++;
        else skipped++;
      }
    }
    return { sent, skipped };
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId: actor.userId, action, entityType, entityId, data });
  }
}

/** The cooling-off a new posting to `pos` starting on `start` would break, if any. */
export function cooling(
  history: PostingRow[],
  pos: PositionRow,
  start: string,
): { lastEnd: string; until: string } | null {
  if (!pos.coolingOffMonths) return null;
  const ends = history
    .filter((h) => h.positionId === pos.id && h.endDate && h.endDate < start)
    .map((h) => h.endDate!)
    .sort();
  const lastEnd = ends.at(-1);
  if (!lastEnd) return null;
  const until = addMonths(lastEnd, pos.coolingOffMonths);
  return start < until ? { lastEnd, until } : null;
}
