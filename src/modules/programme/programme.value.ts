import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor.ts';
import { isoDay } from '../../platform/dates.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Router } from '../../platform/http/route.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableRow, TableSheet } from '../../platform/tables/tables.ts';
import { CurrencyCode, IdParam } from './programme.contract.ts';
import {
  converter,
  decimalCell,
  divRound,
  figure,
  fromMinor,
  partnerWeights,
  splitByWeights,
  splitEqually,
} from './programme.money.ts';
import { P } from './programme.permissions.ts';
import * as q from './programme.queries.ts';
import { type Indicator, ResultsService } from './programme.results.ts';
import { programmeActivities, programmeActivityOutputs, programmeResults } from './programme.schema.ts';
import type { Currency } from './programme.vocab.ts';

// Value for money of a partnership (docs/guide/programme.md §9, docs/adr/0028): activities are
// linked to the outputs they contribute to; each activity's cost (its cost lines, each converted
// once into the reporting currency) is split equally between all its links, the odd minor units
// going to the first links made; an output costs the sum of its shares, an outcome the sum of its
// outputs. Per indicator: cost ÷ change achieved (latest actual − baseline, or baseline − latest
// for a falling indicator) when that change is positive; otherwise not computable, with the reason.
// Money stays in exact minor units (BigInt); figures are exact decimals.

// ---- contracts -------------------------------------------------------------------------------------

const day = z.iso.date();
export const VfmQuery = z.object({ currency: CurrencyCode.default('EUR'), asOf: day.optional() }).strict();
export type VfmQueryT = z.infer<typeof VfmQuery>;

export const LinkInput = z
  .object({
    version: z.number().int().min(1),
    outputIds: z
      .array(z.uuid())
      .max(50)
      .refine((l) => new Set(l).size === l.length, { message: 'Each output appears once' }),
  })
  .strict();
export const ActivityLinks = z.object({
  id: z.uuid(),
  version: z.number().int(),
  outputIds: z.array(z.uuid()),
});

export const NOT_COMPUTABLE = ['no_actual', 'no_change', 'wrong_direction', 'no_cost'] as const;
export const PerUnit = z.object({
  indicatorId: z.uuid(),
  name: z.string(),
  unit: z.string(),
  baseline: z.string(),
  /** The latest actual (entered, or read from linked evidence); null when there is none. */
  actual: z.string().nullable(),
  /** Change achieved in the indicator's direction (negative: the wrong way). */
  change: z.string().nullable(),
  /** Cost per unit of change in the reporting currency, or null with the reason. */
  costPerUnit: z.string().nullable(),
  reason: z.enum(NOT_COMPUTABLE).nullable(),
});
const Share = z.object({ activityId: z.uuid(), title: z.string(), share: z.string() });
export const VfmOutput = z.object({
  id: z.uuid(),
  title: z.string(),
  cost: z.string(),
  activities: z.array(Share),
  indicators: z.array(PerUnit),
});
export const VfmOutcome = VfmOutput.omit({ activities: true }).extend({ outputs: z.array(VfmOutput) });
export const ValueForMoney = z.object({
  partnershipId: z.uuid(),
  organisation: z.string(),
  currency: CurrencyCode,
  asOf: day,
  /** all: every cost line (the Secretariat, the partner); own_agreements: a donor's own cost lines only. */
  costBasis: z.enum(['all', 'own_agreements']),
  outcomes: z.array(VfmOutcome),
  /** Cost of the activities serving the partnership: in all, of those linked to no output, and the
   *  shares going to outputs of other partnerships they also serve. */
  total: z.string(),
  unlinked: z.string(),
  elsewhere: z.string(),
  activities: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      startsOn: day,
      cost: z.string(),
      /** The outputs of this partnership it contributes to. */
      outputIds: z.array(z.uuid()),
      /** How many outputs (of any partnership it serves) share its cost. */
      links: z.number().int(),
      version: z.number().int(),
    }),
  ),
  rates: z.array(
    z.object({ from: CurrencyCode, to: CurrencyCode, rate: z.string(), asOf: day, inverse: z.boolean() }),
  ),
});
export type ValueForMoneyT = z.infer<typeof ValueForMoney>;
type PerUnitT = z.infer<typeof PerUnit>;

// ---- exact decimals ------------------------------------------------------------------------------

/** "-12.50" → { v: -1250n, scale: 2 }; undefined when not a plain decimal. */
function decimal(s: string): { v: bigint; scale: number } | undefined {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const v = BigInt(m[2]! + frac);
  return { v: m[1] ? -v : v, scale: frac.length };
}
const TEN = 10n;
const rescale = (d: { v: bigint; scale: number }, to: number) => d.v * TEN ** BigInt(to - d.scale);

/** a − b as a decimal string (exact). */
function minus(a: { v: bigint; scale: number }, b: { v: bigint; scale: number }) {
  const scale = Math.max(a.scale, b.scale);
  const v = rescale(a, scale) - rescale(b, scale);
  const abs = v < 0n ? -v : v;
  const s = abs.toString().padStart(scale + 1, '0');
  const text = scale ? `${s.slice(0, -scale)}.${s.slice(-scale)}` : s;
  return { v, scale, text: `${v < 0n ? '-' : ''}${figure(text)}` };
}

/** Cost per unit of change for one indicator (`cost` in the target's minor units). */
export function perUnit(i: z.infer<typeof Indicator>, cost: bigint, currency: Currency): PerUnitT {
  const base = { indicatorId: i.id, name: i.name, unit: i.unit, baseline: i.baseline };
  const actual = i.latest?.value ?? null;
  const a = actual === null ? undefined : decimal(actual);
  const b = decimal(i.baseline);
  if (!a || !b) return { ...base, actual, change: null, costPerUnit: null, reason: 'no_actual' };
  const change = i.direction === 'increase' ? minus(a, b) : minus(b, a);
  const none = { ...base, actual, change: change.text, costPerUnit: null };
  if (change.v === 0n) return { ...none, reason: 'no_change' };
  if (change.v < 0n) return { ...none, reason: 'wrong_direction' };
  if (cost === 0n) return { ...none, reason: 'no_cost' };
  // cost / (v / 10^scale) = cost × 10^scale / v, rounded once to the minor unit.
  return {
    ...none,
    costPerUnit: fromMinor(divRound(cost * TEN ** BigInt(change.scale), change.v), currency),
    reason: null,
  };
}

const unprocessable = (m: string) => new AppError('UNPROCESSABLE', m);

// ---- service ---------------------------------------------------------------------------------------

export class ValueService {
  private readonly results: ResultsService;
  constructor(private readonly k: Kernel) {
    this.results = new ResultsService(k);
  }

  /**
   * The value for money of one partnership, as far as the caller can read it (row-level security
   * decides: the partnership, its activities, their links, and the cost lines — a donor reads only
   * those charged to its own agreements).
   */
  async valueForMoney(
    tx: TenantTx,
    tenantId: string,
    partnershipId: string,
    query: VfmQueryT,
    /** Only the cost lines charged to these agreements: a donor's own (its report, also when the
     *  Secretariat makes it). The caller reads them once for all the donor's partnerships. */
    onlyAgreements?: ReadonlySet<string>,
  ): Promise<ValueForMoneyT> {
    const p = await q.findPartnership(tx, partnershipId);
    if (!p) throw notFound('partnership');
    const target = query.currency;
    const asOf = query.asOf ?? isoDay(new Date());
    const [tree, acts, rates, secretariat] = await Promise.all([
      this.results.results(tx, p.id),
      q.activities(tx, { partnershipIds: [p.id] }),
      q.rates(tx, asOf),
      q.isSecretariat(tx),
    ]);
    const ids = acts.map((a) => a.id);
    const [allCosts, links] = await Promise.all([
      q.costs(tx, { activityIds: ids }),
      ids.length
        ? tx
            .select()
            .from(programmeActivityOutputs)
            .where(inArray(programmeActivityOutputs.activityId, ids))
            .orderBy(asc(programmeActivityOutputs.createdAt), asc(programmeActivityOutputs.id))
        : Promise.resolve([]),
    ]);
    const costs = onlyAgreements ? allCosts.filter((c) => onlyAgreements.has(c.agreementId)) : allCosts;
    const { inTarget, used } = converter(rates, target, (from) =>
      unprocessable(`No exchange rate from ${from} to ${target} on or before ${asOf}`),
    );
    // Each cost line converted once; an activity's cost is the sum of its lines.
    const costOf = new Map<string, bigint>(ids.map((i) => [i, 0n]));
    for (const c of costs)
      costOf.set(c.activityId, costOf.get(c.activityId)! + inTarget(c.amountMinor, c.currency));
    // Shares: over all the activity's links (outputs of every partnership it serves), in link order.
    const byOutput = new Map<string, { activityId: string; title: string; share: bigint }[]>();
    // Each activity's links, in link order.
    const linksOf = new Map<string, typeof links>();
    for (const l of links) linksOf.set(l.activityId, [...(linksOf.get(l.activityId) ?? []), l]);
    let total = 0n;
    let unlinked = 0n;
    let elsewhere = 0n;
    for (const a of acts) {
      const cost = costOf.get(a.id)!;
      total += cost;
      const mine = linksOf.get(a.id) ?? [];
      if (a.costShares?.length) {
        // Explicit shares between the partnerships (programme.money.ts, partnerWeights): this
        // partnership's share is split equally between its own links (unlinked without any), the
        // others' shares are elsewhere.
        const parts = splitByWeights(cost, partnerWeights(a));
        a.partnershipIds.forEach((pid, k) => {
          if (pid !== p.id) elsewhere += parts[k]!;
        });
        const own = parts[a.partnershipIds.indexOf(p.id)] ?? 0n;
        const ownLinks = mine.filter((l) => l.partnershipId === p.id);
        if (ownLinks.length === 0) unlinked += own;
        const split = ownLinks.length ? splitEqually(own, ownLinks.length) : [];
        ownLinks.forEach((l, k) => {
          byOutput.set(l.resultId, [
            ...(byOutput.get(l.resultId) ?? []),
            { activityId: a.id, title: a.title, share: split[k]! },
          ]);
        });
        continue;
      }
      if (mine.length === 0) unlinked += cost;
      const shares = mine.length ? splitEqually(cost, mine.length) : [];
      mine.forEach((l, k) => {
        if (l.partnershipId !== p.id) {
          elsewhere += shares[k]!;
          return;
        }
        byOutput.set(l.resultId, [
          ...(byOutput.get(l.resultId) ?? []),
          { activityId: a.id, title: a.title, share: shares[k]! },
        ]);
      });
    }
    const out = (c: bigint) => fromMinor(c, target);
    const outcomes = tree.outcomes.map((o) => {
      const outputs = o.outputs.map((x) => {
        const shares = byOutput.get(x.id) ?? [];
        const cost = shares.reduce((s, v) => s + v.share, 0n);
        return {
          cost,
          view: {
            id: x.id,
            title: x.title,
            cost: out(cost),
            activities: shares.map((s) => ({
              activityId: s.activityId,
              title: s.title,
              share: out(s.share),
            })),
            indicators: x.indicators.map((i) => perUnit(i, cost, target)),
          },
        };
      });
      const cost = outputs.reduce((s, v) => s + v.cost, 0n);
      return {
        id: o.id,
        title: o.title,
        cost: out(cost),
        indicators: o.indicators.map((i) => perUnit(i, cost, target)),
        outputs: outputs.map((v) => v.view),
      };
    });
    return {
      partnershipId: p.id,
      organisation: p.organisation,
      currency: target,
      asOf,
      costBasis:
        !onlyAgreements && (secretariat || p.administrationId === tenantId) ? 'all' : 'own_agreements',
      outcomes,
      total: out(total),
      unlinked: out(unlinked),
      elsewhere: out(elsewhere),
      activities: acts.map((a) => ({
        id: a.id,
        title: a.title,
        startsOn: a.startsOn,
        cost: out(costOf.get(a.id)!),
        outputIds: (linksOf.get(a.id) ?? []).filter((l) => l.partnershipId === p.id).map((l) => l.resultId),
        links: linksOf.get(a.id)?.length ?? 0,
        version: a.version,
      })),
      rates: used(),
    };
  }

  /**
   * The donor report's value-for-money sheet: for each partnership listing the caller's donor, the
   * cost per outcome and output and per unit of indicator change (its own cost lines only), in
   * `currency` as of the period's end, then the rates used. A missing rate is a row saying so.
   */
  async donorSheet(
    tx: TenantTx,
    tenantId: string,
    donor: q.DonorKey,
    query: { to: string; currency: Currency },
    locale: Locale,
  ): Promise<TableSheet> {
    const L = (k: string, v?: Record<string, string>) => t(locale, `programme.report.vfm.${k}`, v);
    const donorIds = (await q.donors(tx, donor)).map((d) => d.id);
    const own = new Set((await q.agreements(tx, donorIds)).map((a) => a.id));
    const rows: TableRow[] = [];
    const rates = new Map<string, string>();
    const num = decimalCell;
    const row = (r: Partial<Record<string, string | number | null>>): TableRow => ({
      partnership: null,
      level: null,
      title: null,
      cost: null,
      change: null,
      costPerUnit: null,
      currency: query.currency,
      note: null,
      ...r,
    });
    for (const p of await q.partnerships(tx, { donorIds })) {
      let v: ValueForMoneyT;
      try {
        v = await this.valueForMoney(tx, tenantId, p.id, { currency: query.currency, asOf: query.to }, own);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'UNPROCESSABLE') throw e;
        rows.push(row({ partnership: p.organisation, note: e.message }));
        continue;
      }
      for (const r of v.rates)
        rates.set(
          `${r.from}${r.to}${r.asOf}`,
          `1 ${r.from} = ${r.rate} ${r.to} (${r.asOf})${r.inverse ? ` ${L('inverse')}` : ''}`,
        );
      const indicators = (list: PerUnitT[]) =>
        list.map((i) =>
          row({
            partnership: p.organisation,
            level: L('indicator'),
            title: `${i.name} (${i.unit})`,
            change: num(i.change),
            costPerUnit: num(i.costPerUnit),
            note: i.reason ? L(`reason.${i.reason}`) : null,
          }),
        );
      for (const o of v.outcomes) {
        rows.push(
          row({ partnership: p.organisation, level: L('outcome'), title: o.title, cost: num(o.cost) }),
        );
        rows.push(...indicators(o.indicators));
        for (const x of o.outputs) {
          rows.push(
            row({ partnership: p.organisation, level: L('output'), title: x.title, cost: num(x.cost) }),
          );
          rows.push(...indicators(x.indicators));
        }
      }
    }
    for (const r of rates.values()) rows.push(row({ level: L('rate'), title: r, currency: null }));
    rows.push(row({ note: L('basis'), currency: null }));
    const columns = [
      'partnership',
      'level',
      'title',
      'cost',
      'change',
      'costPerUnit',
      'currency',
      'note',
    ].map((key) => ({ key, header: L(`column.${key}`) }));
    return { sheetName: L('sheet'), columns, rows };
  }

  /**
   * The outputs an activity contributes to (replacing the previous links), at the activity's
   * version: each must be an output of a partnership the activity serves.
   */
  async linkOutputs(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    activityId: string,
    input: z.infer<typeof LinkInput>,
  ): Promise<z.infer<typeof ActivityLinks>> {
    const [a] = (await q.isSecretariat(tx)) ? await q.activities(tx, { ids: [activityId] }) : [];
    if (!a) throw notFound('activity');
    const outputs = input.outputIds.length
      ? await tx.select().from(programmeResults).where(inArray(programmeResults.id, input.outputIds))
      : [];
    const found = new Map(outputs.map((r) => [r.id, r]));
    const unknown = input.outputIds.filter((i) => found.get(i)?.level !== 'output');
    if (unknown.length) throw unprocessable(`Unknown output: ${unknown.join(', ')}`);
    const foreign = input.outputIds.filter((i) => !a.partnershipIds.includes(found.get(i)!.partnershipId));
    if (foreign.length)
      throw unprocessable(
        `Output of a partnership this activity does not serve: ${foreign.join(', ')} (the activity serves ${a.partnershipIds.join(', ') || 'no partnership'})`,
      );
    const updated = await updateVersioned(tx, programmeActivities, a.id, input.version, {});
    const before = await tx
      .select()
      .from(programmeActivityOutputs)
      .where(eq(programmeActivityOutputs.activityId, a.id))
      .orderBy(asc(programmeActivityOutputs.createdAt), asc(programmeActivityOutputs.id));
    const keep = new Set(input.outputIds);
    const gone = before.filter((l) => !keep.has(l.resultId));
    const goneIds = gone.map((l) => l.id);
    if (goneIds.length)
      await tx
        .delete(programmeActivityOutputs)
        .where(
          and(eq(programmeActivityOutputs.activityId, a.id), inArray(programmeActivityOutputs.id, goneIds)),
        );
    const had = new Set(before.map((l) => l.resultId));
    // Links kept keep their place (and so their share of the odd minor units); new ones go last.
    const added = input.outputIds.filter((i) => !had.has(i));
    if (added.length)
      await tx.insert(programmeActivityOutputs).values(
        added.map((resultId, i) => ({
          tenantId,
          activityId: a.id,
          resultId,
          partnershipId: found.get(resultId)!.partnershipId,
          // The links' order as given (the odd minor units of a split go first), after the kept
          // ones: the transaction's start plus i µs. Not clock_timestamp(), whose ticks can be
          // coarser than two inserts (the embedded database's clock), which made the order random.
          createdAt: sql`now() + ${i}::int * interval '1 microsecond'` as unknown as Date,
        })),
      );
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'programme.activity.outputs_linked',
      entityType: 'programme_activity',
      entityId: a.id,
      data: {
        outputIds: input.outputIds,
        added,
        removed: gone.map((l) => l.resultId),
      },
    });
    const now = await tx
      .select({ resultId: programmeActivityOutputs.resultId })
      .from(programmeActivityOutputs)
      .where(eq(programmeActivityOutputs.activityId, a.id))
      .orderBy(asc(programmeActivityOutputs.createdAt), asc(programmeActivityOutputs.id));
    return { id: a.id, version: updated.version, outputIds: now.map((l) => l.resultId) };
  }
}

// ---- routes ----------------------------------------------------------------------------------------

export function valueRoutes(r: Router, svc: ValueService) {
  const readers = [
    ['/api/programme/partnerships/:id/value-for-money', P.manage, 'The Secretariat'],
    ['/api/programme/mine/partnerships/:id/value-for-money', P.submit, 'The partner administration'],
    [
      '/api/programme/donor/partnerships/:id/value-for-money',
      P.donorRead,
      'A donor funding the partnership (its own cost lines only)',
    ],
  ] as const;
  for (const [url, access, who] of readers)
    r.get({
      url,
      access,
      summary: `${who}: cost per output, per outcome and per unit of indicator change, in a reporting currency with the rates used`,
      params: IdParam,
      query: VfmQuery,
      response: ValueForMoney,
      handler: async ({ tx, tenantId, params, query }) => svc.valueForMoney(tx, tenantId, params.id, query),
    });
  r.put({
    url: '/api/programme/activities/:id/outputs',
    access: P.manage,
    summary:
      'The results-framework outputs an activity contributes to (replacing its links; outputs of partnerships it serves only; version-checked)',
    params: IdParam,
    body: LinkInput,
    response: ActivityLinks,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.linkOutputs(tx, tenantId, actor, params.id, body),
  });
}
