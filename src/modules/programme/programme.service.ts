import { canonical } from '../../platform/audit/audit.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { isoDay } from '../../platform/dates.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableRow } from '../../platform/tables/tables.ts';
import { Directory } from '../identity/index.ts';
import type * as C from './programme.contract.ts';
import {
  converter,
  decimalCell,
  fromMinor,
  ratioOf,
  ratioToDecimal,
  scaled,
  toMinor,
} from './programme.money.ts';
import { loadIati } from './programme.iati.ts';
import * as q from './programme.queries.ts';
import { ResultsService } from './programme.results.ts';
import {
  programmeActivities,
  programmeAgreements,
  programmeDonors,
  programmeEoiReviews,
  programmePartnerships,
  programmeRates,
} from './programme.schema.ts';
import {
  type Currency,
  EOI_STATUSES,
  EOI_TRANSITIONS,
  type EoiStatus,
  WCO_REGIONS,
} from './programme.vocab.ts';

const directory = new Directory();
const iso = (d: Date) => d.toISOString();
const money = (minor: string | bigint, currency: Currency) => ({
  amount: fromMinor(BigInt(minor), currency),
  currency,
});

const unprocessable = (message: string) => new AppError('UNPROCESSABLE', message);
/** What an agreement has received, in exact minor units. */
const receivedMinor = (disbursed: readonly q.DisbursementRow[]) =>
  disbursed.reduce((sum, d) => sum + BigInt(d.amountMinor), 0n);
/** Input that contradicts itself or what is stored: 400 naming the field. */
const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, [{ path, message }]);

/**
 * Why agreement `a` may not pay for an activity serving `partnershipIds` (null: it may): an
 * agreement earmarked to a partner pays only for activities serving it; one earmarked to a region,
 * for activities with at least one partner in that region, or none (a regional event).
 */
function earmarkProblem(
  a: q.AgreementRow,
  partnershipIds: readonly string[],
  partnerships: ReadonlyMap<string, q.PartnershipRow>,
): string | null {
  if (a.earmarkPartnershipId && !partnershipIds.includes(a.earmarkPartnershipId)) {
    const name = partnerships.get(a.earmarkPartnershipId)?.organisation ?? a.earmarkPartnershipId;
    return `${a.reference} is earmarked to ${name}: this activity does not serve it`;
  }
  // An activity serving no partner (a regional event) is placed by the agreement's region itself.
  const inRegion = (i: string) => partnerships.get(i)?.region === a.earmarkRegion;
  if (a.earmarkRegion && partnershipIds.length > 0 && !partnershipIds.some(inRegion))
    return `${a.reference} is earmarked to the ${a.earmarkRegion} region: none of this activity's partners is in it`;
  return null;
}

/** The edit was prepared on an older version than the stored one: 409, before anything is checked. */
function mustBeCurrent(what: string, sent: number, current: number) {
  if (sent !== current)
    throw new AppError(
      'VERSION_CONFLICT',
      `This ${what} was changed by someone else (your version ${sent}, current ${current}). Reload and try again.`,
    );
}

/** The fields an edit gives (undefined: keep the stored value). */
const given = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * The A-CIP programme (docs/adr/0028): administrations submit expressions of interest; the
 * Secretariat runs the pipeline, donors, agreements, rates, partnerships and activities; donors
 * see what they fund. Row-level security decides what a tenant can read; this service narrows it
 * to the caller's part in the programme.
 */
export class ProgrammeService {
  private readonly results: ResultsService;
  constructor(private readonly k: Kernel) {
    this.results = new ResultsService(k);
  }

  // ---- expressions of interest (the administration) --------------------------------------------

  async submitEoi(tx: TenantTx, tenantId: string, actor: Actor, input: C.EoiInputT): Promise<C.EoiT> {
    const org = await directory.organisation(tx);
    if (!org) throw notFound('organisation');
    if (org.type !== 'administration')
      throw new AppError('FORBIDDEN', 'Only a Customs administration expresses interest in the programme');
    const e = await q.insertEoi(tx, {
      tenantId,
      organisation: org.name,
      country: org.country,
      region: org.wcoRegion,
      ...input,
      submittedBy: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'programme.eoi.submitted', 'programme_eoi', e.id, {
      priorities: input.priorities.map((p) => p.factor),
    });
    return (await this.eoiViews(tx, [e]))[0]!;
  }

  /** My administration's EOIs (with the Secretariat's decisions), partnerships and activities. */
  async mine(tx: TenantTx, tenantId: string) {
    const [eois, partnerships] = await Promise.all([
      q.eois(tx, tenantId),
      q.partnerships(tx, { administrationId: tenantId }),
    ]);
    const acts = await q.activities(tx, { partnershipIds: partnerships.map((p) => p.id) });
    return {
      eois: await this.eoiViews(tx, eois),
      partnerships: partnerships.map((p) => this.partnershipView(p)),
      // Costs are the Secretariat's and the donors' business: none shown to the partner.
      activities: this.activityViews(acts, partnerships, []),
    };
  }

  /** EOIs as the API shows them (also to the administration, programme.records.ts). */
  async eoiViews(tx: TenantTx, rows: q.EoiRow[]): Promise<C.EoiT[]> {
    const ids = rows.map((r) => r.id);
    const [reviews, events] = await Promise.all([q.reviewsOf(tx, ids), q.eventsOf(tx, ids)]);
    return rows.map((e) => {
      const r = reviews.get(e.id);
      return {
        id: e.id,
        organisation: e.organisation,
        country: e.country,
        region: e.region,
        headName: e.headName,
        headTitle: e.headTitle,
        endorsedOn: e.endorsedOn,
        priorities: e.priorities,
        initiatives: e.initiatives,
        contactName: e.contactName,
        contactEmail: e.contactEmail,
        contactPhone: e.contactPhone,
        submittedAt: iso(e.createdAt),
        status: r?.status ?? 'received',
        estimatedCost:
          r?.estimatedCostMinor && r.estimatedCurrency
            ? money(r.estimatedCostMinor, r.estimatedCurrency)
            : null,
        events: (events.get(e.id) ?? []).map((v) => ({
          from: v.fromStatus,
          to: v.toStatus,
          reason: v.reason,
          decidedOn: v.decidedOn,
          at: iso(v.createdAt),
        })),
        version: r?.version ?? 1,
      };
    });
  }

  // ---- the pipeline (the Secretariat) -----------------------------------------------------------

  private async mustSecretariat(tx: TenantTx) {
    if (!(await q.isSecretariat(tx)))
      throw new AppError('FORBIDDEN', 'Only the WCO Secretariat manages the programme');
  }

  /** Another tenant's row, or any row outside the Secretariat: "not found". */
  private async mustEoi(tx: TenantTx, id: string) {
    const e = (await q.isSecretariat(tx)) ? await q.findEoi(tx, id) : undefined;
    if (!e) throw notFound('expression of interest');
    return e;
  }

  async pipeline(tx: TenantTx) {
    const counts = Object.fromEntries(EOI_STATUSES.map((s) => [s, 0])) as Record<EoiStatus, number>;
    if (!(await q.isSecretariat(tx))) return { counts, items: [] };
    const items = await this.eoiViews(tx, await q.eois(tx));
    for (const i of items) counts[i.status]++;
    return { counts, items };
  }

  async eoi(tx: TenantTx, id: string): Promise<C.EoiT> {
    return (await this.eoiViews(tx, [await this.mustEoi(tx, id)]))[0]!;
  }

  async transition(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.TransitionInputT,
  ): Promise<C.EoiT> {
    const e = await this.mustEoi(tx, id);
    const review = (await q.reviewsOf(tx, [id])).get(id);
    const from: EoiStatus = review?.status ?? 'received';
    const current = review?.version ?? 1;
    if (input.version !== current)
      throw new AppError(
        'VERSION_CONFLICT',
        `This expression of interest was changed by someone else (your version ${input.version}, current ${current}). Reload and try again.`,
      );
    if (!EOI_TRANSITIONS[from].includes(input.to))
      throw new AppError('CONFLICT', `An expression of interest cannot go from ${from} to ${input.to}`);
    // The pipeline's history reads in order: no decision before the previous one or the endorsement.
    const previous = ((await q.eventsOf(tx, [id])).get(id) ?? [])
      .map((v) => v.decidedOn)
      .reduce<string | null>((last, d) => (last === null || d > last ? d : last), null);
    if (previous !== null && input.decidedOn < previous)
      throw invalid('decidedOn', `A decision is dated on or after the previous one (${previous})`);
    if (input.decidedOn < e.endorsedOn)
      throw invalid('decidedOn', `A decision is dated on or after the endorsement (${e.endorsedOn})`);
    const eligible = input.to === 'eligible_awaiting_funding';
    if (eligible !== !!input.estimatedCost)
      throw unprocessable(
        eligible
          ? 'An eligible expression of interest needs its estimated cost'
          : 'An estimated cost is given only when making an expression of interest eligible',
      );
    const partner = input.to === 'partner';
    if (partner !== !!input.partnership)
      throw unprocessable(
        partner
          ? 'Making an administration a partner needs the partnership (period, donors, coordinator)'
          : 'A partnership is given only when making an administration a partner',
      );
    if (input.partnership) await this.mustDonors(tx, input.partnership.donorIds);

    const values = {
      status: input.to,
      ...(input.estimatedCost
        ? {
            estimatedCostMinor: toMinor(input.estimatedCost.amount, input.estimatedCost.currency).toString(),
            estimatedCurrency: input.estimatedCost.currency,
          }
        : {}),
    };
    if (review) await updateVersioned(tx, programmeEoiReviews, id, input.version, values);
    else {
      const inserted = await q.insertReview(tx, {
        id,
        tenantId,
        administrationId: e.tenantId,
        region: e.region,
        version: 2,
        ...values,
      });
      if (!inserted)
        throw new AppError('VERSION_CONFLICT', 'This expression of interest was changed by someone else');
    }
    await q.insertEvent(tx, {
      tenantId,
      eoiId: id,
      administrationId: e.tenantId,
      fromStatus: from,
      toStatus: input.to,
      reason: input.reason,
      decidedOn: input.decidedOn,
      decidedBy: actor.userId,
    });
    let partnershipId: string | undefined;
    if (input.partnership) {
      const p = await q.insertPartnership(tx, {
        tenantId,
        eoiId: id,
        administrationId: e.tenantId,
        organisation: e.organisation,
        country: e.country,
        region: e.region,
        ...input.partnership,
      });
      partnershipId = p.id;
    }
    await this.audit(tx, tenantId, actor, 'programme.eoi.transitioned', 'programme_eoi', id, {
      from,
      to: input.to,
      reason: input.reason,
      decidedOn: input.decidedOn,
      ...(input.estimatedCost ? { estimatedCost: input.estimatedCost } : {}),
      ...(partnershipId ? { partnershipId } : {}),
    });
    return this.eoi(tx, id);
  }

  /**
   * Results by RAD key factor (the Secretariat's dashboard): per factor, the requests naming it
   * among their priorities (declined ones left out), and the partners' indicators read from that
   * factor's score — how many, how many have a figure (read live under the partner's consent, as
   * on the results page), and how many of those are on track: the latest figure has moved from
   * the baseline in the indicator's direction, or reached its target. Zeros outside the Secretariat.
   */
  async resultsByFactor(tx: TenantTx): Promise<C.FactorResultsT> {
    const items = Array.from({ length: 10 }, (_, k) => ({
      factor: k + 1,
      requests: 0,
      indicators: 0,
      measured: 0,
      onTrack: 0,
    }));
    if (!(await q.isSecretariat(tx))) return { items };
    const eois = await q.eois(tx);
    const reviews = await q.reviewsOf(
      tx,
      eois.map((e) => e.id),
    );
    for (const e of eois)
      if (reviews.get(e.id)?.status !== 'declined')
        for (const p of e.priorities) if (items[p.factor - 1]) items[p.factor - 1]!.requests++;
    for (const id of await q.partnershipsWithLinkedIndicators(tx)) {
      const tree = await this.results.results(tx, id);
      const indicators = tree.outcomes.flatMap((o) => [
        ...o.indicators,
        ...o.outputs.flatMap((x) => x.indicators),
      ]);
      for (const i of indicators) {
        const row = i.link?.kind === 'rad_factor' ? items[i.link.factor - 1] : undefined;
        if (!row) continue;
        row.indicators++;
        const value = i.latest?.value;
        if (value === null || value === undefined) continue;
        row.measured++;
        // In ten-thousandths: the figures' precision (a live score may have more decimals).
        const [v, base, target] = [value, i.baseline, i.target].map((s) => scaled(s, 4)) as [
          bigint,
          bigint,
          bigint,
        ];
        if (i.direction === 'increase' ? v > base || v >= target : v < base || v <= target) row.onTrack++;
      }
    }
    return { items };
  }

  // ---- donors and agreements --------------------------------------------------------------------

  async donorOrganisations(tx: TenantTx) {
    return q.donorOrganisations(tx);
  }

  async donors(tx: TenantTx): Promise<C.DonorT[]> {
    if (!(await q.isSecretariat(tx))) return [];
    return (await q.donors(tx)).map((d) => this.donorView(d));
  }

  private donorView(d: q.DonorRow): C.DonorT {
    return { id: d.id, name: d.name, organisationId: d.organisationId, version: d.version };
  }

  async createDonor(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: { name: string; organisationId: string | null },
  ): Promise<C.DonorT> {
    await this.mustSecretariat(tx);
    if (input.organisationId) await this.mustFreeDonorOrganisation(tx, input.organisationId);
    const d = await q.insertDonor(tx, { tenantId, ...input });
    await this.audit(tx, tenantId, actor, 'programme.donor.created', 'programme_donor', d.id, {
      name: d.name,
      organisationId: d.organisationId,
    });
    return this.donorView(d);
  }

  /** A donor organisation (422 if unknown) that no other donor is linked to (409). */
  private async mustFreeDonorOrganisation(tx: TenantTx, organisationId: string, exceptDonorId?: string) {
    const orgs = await q.donorOrganisations(tx);
    if (!orgs.some((o) => o.id === organisationId))
      throw unprocessable(`Unknown donor organisation ${organisationId}`);
    const linked = await q.donors(tx, { organisationId });
    if (linked.some((d) => d.id !== exceptDonorId))
      throw new AppError('ALREADY_EXISTS', 'This donor organisation is already linked to a donor');
  }

  /**
   * A donor's name or donor organisation corrected at the version read. Relinking moves what the
   * donor funds to the other organisation's users: the audit names both organisations.
   */
  async updateDonor(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.DonorUpdateT,
  ): Promise<C.DonorT> {
    const [d] = (await q.isSecretariat(tx)) ? await q.donors(tx, { donorId: id }) : [];
    if (!d) throw notFound('donor');
    const { version, ...fields } = input;
    mustBeCurrent('donor', version, d.version);
    const next = { name: d.name, organisationId: d.organisationId, ...given(fields) };
    const changed = (['name', 'organisationId'] as const).filter((k) => next[k] !== d[k]);
    if (changed.length === 0) return this.donorView(d);
    if (changed.includes('organisationId') && next.organisationId)
      await this.mustFreeDonorOrganisation(tx, next.organisationId, d.id);
    const u = await updateVersioned(tx, programmeDonors, d.id, version, next);
    await this.audit(tx, tenantId, actor, 'programme.donor.updated', 'programme_donor', d.id, {
      fields: changed,
      ...(changed.includes('name') ? { name: { from: d.name, to: next.name } } : {}),
      ...(changed.includes('organisationId')
        ? { organisationId: { from: d.organisationId, to: next.organisationId } }
        : {}),
    });
    return this.donorView(u);
  }

  /** Every id must be a donor of the programme (422 naming the unknown ones). */
  private async mustDonors(tx: TenantTx, ids: readonly string[]) {
    if (ids.length === 0) return;
    const known = new Set((await q.donors(tx)).map((d) => d.id));
    const unknown = ids.filter((i) => !known.has(i));
    if (unknown.length) throw unprocessable(`Unknown donor: ${unknown.join(', ')}`);
  }

  private async agreementViews(
    tx: TenantTx,
    rows: q.AgreementRow[],
    donors: q.DonorRow[],
  ): Promise<C.AgreementT[]> {
    const ids = rows.map((a) => a.id);
    const [disb, costs, partners] = await Promise.all([
      q.disbursements(tx, ids),
      q.costs(tx, { agreementIds: ids }),
      rows.some((a) => a.earmarkPartnershipId) ? q.partnerships(tx) : [],
    ]);
    const names = new Map(donors.map((d) => [d.id, d.name]));
    const partnerName = new Map(partners.map((p) => [p.id, p.organisation]));
    return rows.map((a) => {
      const cur = a.currency;
      const mine = disb.filter((d) => d.agreementId === a.id);
      const spent = new Map<Currency, bigint>();
      for (const c of costs)
        if (c.agreementId === a.id)
          spent.set(c.currency, (spent.get(c.currency) ?? 0n) + BigInt(c.amountMinor));
      return {
        id: a.id,
        donorId: a.donorId,
        donorName: names.get(a.donorId) ?? '',
        reference: a.reference,
        amount: money(a.amountMinor, cur),
        startsOn: a.startsOn,
        endsOn: a.endsOn,
        earmarkRegion: a.earmarkRegion,
        earmarkPartnershipId: a.earmarkPartnershipId,
        earmarkPartner: a.earmarkPartnershipId ? (partnerName.get(a.earmarkPartnershipId) ?? null) : null,
        disbursed: money(
          mine.reduce((s, d) => s + BigInt(d.amountMinor), 0n),
          cur,
        ),
        spent: [...spent].map(([c, v]) => money(v, c)),
        disbursements: mine.map((d) => ({
          id: d.id,
          receivedOn: d.receivedOn,
          amount: money(d.amountMinor, d.currency),
        })),
        version: a.version,
      };
    });
  }

  async agreements(tx: TenantTx): Promise<C.AgreementT[]> {
    if (!(await q.isSecretariat(tx))) return [];
    return this.agreementViews(tx, await q.agreements(tx), await q.donors(tx));
  }

  async createAgreement(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.AgreementInputT,
  ): Promise<C.AgreementT> {
    await this.mustSecretariat(tx);
    await this.mustDonors(tx, [input.donorId]);
    if (input.earmarkPartnershipId && !(await q.findPartnership(tx, input.earmarkPartnershipId)))
      throw unprocessable(`Unknown partner: ${input.earmarkPartnershipId}`);
    const a = await q.insertAgreement(tx, {
      tenantId,
      donorId: input.donorId,
      reference: input.reference,
      amountMinor: toMinor(input.amount.amount, input.amount.currency).toString(),
      currency: input.amount.currency,
      startsOn: input.startsOn,
      endsOn: input.endsOn,
      earmarkRegion: input.earmarkRegion,
      earmarkPartnershipId: input.earmarkPartnershipId,
    });
    await this.audit(tx, tenantId, actor, 'programme.agreement.created', 'programme_agreement', a.id, {
      donorId: a.donorId,
      amount: input.amount,
    });
    return (await this.agreementViews(tx, [a], await q.donors(tx)))[0]!;
  }

  /**
   * An agreement corrected at the version read (409 otherwise, before anything is checked). The
   * agreement it would become is checked as a new one: period, one earmark at most, a known donor
   * and partner, an amount above zero; its currency stays while disbursements (recorded in it)
   * exist. The audit names the changed fields, and the amount before and after.
   */
  async updateAgreement(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.AgreementUpdateT,
  ): Promise<C.AgreementT> {
    const a = (await q.isSecretariat(tx)) ? await q.findAgreement(tx, id) : undefined;
    if (!a) throw notFound('agreement');
    const { version, ...fields } = input;
    mustBeCurrent('agreement', version, a.version);
    const current: C.AgreementInputT = {
      donorId: a.donorId,
      reference: a.reference,
      amount: money(a.amountMinor, a.currency),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      earmarkRegion: a.earmarkRegion as C.AgreementInputT['earmarkRegion'],
      earmarkPartnershipId: a.earmarkPartnershipId,
    };
    const next: C.AgreementInputT = { ...current, ...given(fields) };
    const minor = (m: C.MoneyT) => `${toMinor(m.amount, m.currency)} ${m.currency}`;
    const changed = (Object.keys(current) as (keyof C.AgreementInputT)[]).filter((k) =>
      k === 'amount' ? minor(current.amount) !== minor(next.amount) : current[k] !== next[k],
    );
    if (changed.length === 0) return (await this.agreementViews(tx, [a], await q.donors(tx)))[0]!;
    if (next.startsOn > next.endsOn) throw unprocessable('The period ends before it starts');
    if (next.earmarkRegion && next.earmarkPartnershipId)
      throw unprocessable('Earmark by region or by partner, not both');
    if (changed.includes('donorId')) await this.mustDonors(tx, [next.donorId]);
    if (
      changed.includes('earmarkPartnershipId') &&
      next.earmarkPartnershipId &&
      !(await q.findPartnership(tx, next.earmarkPartnershipId))
    )
      throw unprocessable(`Unknown partner: ${next.earmarkPartnershipId}`);
    const [disbursed, charged] = await Promise.all([
      q.disbursements(tx, [a.id]),
      q.costs(tx, { agreementIds: [a.id] }),
    ]);
    if (next.amount.currency !== a.currency && (disbursed.length || charged.length))
      throw unprocessable(
        `${disbursed.length ? 'Disbursements were recorded' : 'Cost lines are charged'} in ${a.currency}: the agreement keeps that currency (correct the amount in ${a.currency})`,
      );
    this.mustHoldDisbursements(next, disbursed);
    if (changed.includes('earmarkRegion') || changed.includes('earmarkPartnershipId')) {
      const activities = await q.activities(tx, { ids: [...new Set(charged.map((c) => c.activityId))] });
      const partners = new Map((await q.partnerships(tx)).map((p) => [p.id, p]));
      const row = { ...a, ...next };
      for (const act of activities) {
        const problem = earmarkProblem(row, act.partnershipIds, partners);
        if (problem)
          throw invalid(
            next.earmarkPartnershipId ? 'earmarkPartnershipId' : 'earmarkRegion',
            `${problem} (activity "${act.title}" is charged to it)`,
          );
      }
    }
    const u = await updateVersioned(tx, programmeAgreements, a.id, version, {
      donorId: next.donorId,
      reference: next.reference,
      amountMinor: toMinor(next.amount.amount, next.amount.currency).toString(),
      currency: next.amount.currency,
      startsOn: next.startsOn,
      endsOn: next.endsOn,
      earmarkRegion: next.earmarkRegion,
      earmarkPartnershipId: next.earmarkPartnershipId,
    });
    await this.audit(tx, tenantId, actor, 'programme.agreement.updated', 'programme_agreement', a.id, {
      fields: changed,
      ...(changed.includes('amount')
        ? { amount: { from: current.amount, to: this.agreementAmount(u) } }
        : {}),
      ...(changed.includes('donorId') ? { donorId: { from: current.donorId, to: next.donorId } } : {}),
    });
    return (await this.agreementViews(tx, [u], await q.donors(tx)))[0]!;
  }

  /**
   * The agreement (as it would become) still holds its disbursements: each received inside its
   * period, all together no more than its amount (exact minor units).
   */
  private mustHoldDisbursements(
    a: { amount: C.MoneyT; startsOn: string; endsOn: string },
    disbursed: q.DisbursementRow[],
  ) {
    const cur = a.amount.currency;
    const outside = disbursed.find((d) => d.receivedOn < a.startsOn || d.receivedOn > a.endsOn);
    if (outside)
      throw invalid(
        outside.receivedOn < a.startsOn ? 'startsOn' : 'endsOn',
        `A disbursement was received on ${outside.receivedOn}: the agreement's period (${a.startsOn} to ${a.endsOn}) must include it`,
      );
    const total = receivedMinor(disbursed);
    if (total > toMinor(a.amount.amount, cur))
      throw invalid(
        'amount',
        `Disbursements of ${fromMinor(total, cur)} ${cur} were received: the agreement's amount (${a.amount.amount} ${cur}) cannot be less`,
      );
  }

  private agreementAmount(a: q.AgreementRow) {
    return money(a.amountMinor, a.currency);
  }

  async addDisbursement(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: { receivedOn: string; amount: C.MoneyT },
  ): Promise<C.AgreementT> {
    // Locked: two disbursements at once must not both fit under the amount.
    const a = (await q.isSecretariat(tx)) ? await q.lockAgreement(tx, id) : undefined;
    if (!a) throw notFound('agreement');
    if (input.amount.currency !== a.currency)
      throw unprocessable(
        `A disbursement is in the agreement's currency (${a.currency}), not ${input.amount.currency}`,
      );
    if (input.receivedOn < a.startsOn || input.receivedOn > a.endsOn)
      throw invalid(
        'receivedOn',
        `A disbursement is received during its agreement (${a.startsOn} to ${a.endsOn}), not on ${input.receivedOn}`,
      );
    const received = receivedMinor(await q.disbursements(tx, [a.id]));
    const total = received + toMinor(input.amount.amount, a.currency);
    if (total > BigInt(a.amountMinor))
      throw invalid(
        'amount',
        `Disbursements would total ${fromMinor(total, a.currency)} ${a.currency}, above the agreement's ${fromMinor(BigInt(a.amountMinor), a.currency)} ${a.currency} (${fromMinor(received, a.currency)} received so far)`,
      );
    await q.insertDisbursement(tx, {
      tenantId,
      agreementId: id,
      receivedOn: input.receivedOn,
      amountMinor: toMinor(input.amount.amount, a.currency).toString(),
      currency: a.currency,
      createdBy: actor.userId,
    });
    await this.audit(tx, tenantId, actor, 'programme.disbursement.recorded', 'programme_agreement', id, {
      amount: input.amount,
      receivedOn: input.receivedOn,
    });
    return (await this.agreementViews(tx, [a], await q.donors(tx)))[0]!;
  }

  // ---- exchange rates and the funding gap -----------------------------------------------------------

  async rates(tx: TenantTx) {
    if (!(await q.isSecretariat(tx))) return [];
    return (await q.rates(tx)).map((r) => this.rateView(r));
  }

  private rateView(r: q.RateRow) {
    return {
      id: r.id,
      from: r.fromCurrency,
      to: r.toCurrency,
      rate: ratioToDecimal(ratioOf(r.rate)),
      asOf: r.asOf,
      version: r.version,
    };
  }

  /**
   * A mistyped rate corrected at the version read (409 otherwise): its pair, value or date. Another
   * rate of the same pair on the same day is a 409 naming it. The funding gap, value for money and
   * reports use the corrected rate from then on; the audit keeps the rate before and after.
   */
  async updateRate(tx: TenantTx, tenantId: string, actor: Actor, id: string, input: C.RateUpdateT) {
    const r = (await q.isSecretariat(tx)) ? await q.findRate(tx, id) : undefined;
    if (!r) throw notFound('exchange rate');
    const { version, ...fields } = input;
    mustBeCurrent('exchange rate', version, r.version);
    const before = this.rateView(r);
    const next = { from: before.from, to: before.to, rate: before.rate, asOf: before.asOf, ...given(fields) };
    // 0.92 and 0.9200 are one rate.
    next.rate = ratioToDecimal(ratioOf(next.rate));
    const keys = ['from', 'to', 'rate', 'asOf'] as const;
    const changed = keys.filter((k) => next[k] !== before[k]);
    if (changed.length === 0) return before;
    if (next.from === next.to) throw unprocessable('A rate joins two different currencies');
    const key = { fromCurrency: next.from, toCurrency: next.to, asOf: next.asOf };
    if (changed.some((k) => k !== 'rate') && (await q.otherRate(tx, key, r.id)))
      throw new AppError(
        'ALREADY_EXISTS',
        `A ${next.from}→${next.to} rate as of ${next.asOf} already exists: correct that one instead`,
      );
    const u = await updateVersioned(tx, programmeRates, r.id, version, { ...key, rate: next.rate });
    await this.audit(tx, tenantId, actor, 'programme.rate.updated', 'programme_rate', r.id, {
      fields: changed,
      before: { from: before.from, to: before.to, rate: before.rate, asOf: before.asOf },
      after: { from: next.from, to: next.to, rate: next.rate, asOf: next.asOf },
    });
    return this.rateView(u);
  }

  async addRate(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: { from: Currency; to: Currency; rate: string; asOf: string },
  ) {
    await this.mustSecretariat(tx);
    const r = await q.insertRate(tx, {
      tenantId,
      fromCurrency: input.from,
      toCurrency: input.to,
      rate: input.rate,
      asOf: input.asOf,
      createdBy: actor.userId,
    });
    if (!r)
      throw new AppError(
        'ALREADY_EXISTS',
        `A ${input.from}→${input.to} rate as of ${input.asOf} already exists`,
      );
    await this.audit(tx, tenantId, actor, 'programme.rate.added', 'programme_rate', r.id, input);
    return this.rateView(r);
  }

  /**
   * Funding gap by WCO region in one currency, at a date (docs/adr/0028): demand = estimated
   * cost of eligible EOIs; available = agreements − cost lines charged to them, by earmark;
   * gap = demand − available. Each amount converted once, rounded half away from zero.
   */
  async fundingGap(
    tx: TenantTx,
    query: { currency: Currency; asOf?: string | undefined },
  ): Promise<C.FundingGapT> {
    const target = query.currency;
    const asOf = query.asOf ?? isoDay(new Date());
    const empty = { region: null, demand: '0', available: '0', gap: '0' };
    if (!(await q.isSecretariat(tx)))
      return {
        currency: target,
        asOf,
        rows: [],
        total: { ...empty, ...this.triple(0n, 0n, target) },
        rates: [],
      };
    const [reviews, agreements, partnerships, rates] = await Promise.all([
      q.eligibleReviews(tx),
      q.agreements(tx),
      q.partnerships(tx),
      q.rates(tx, asOf),
    ]);
    const costs = await q.costs(tx, { agreementIds: agreements.map((a) => a.id) });
    const { inTarget, used } = converter(rates, target, (from) =>
      unprocessable(`No exchange rate from ${from} to ${target} on or before ${asOf}`),
    );

    const demand = new Map<string | null, bigint>();
    const available = new Map<string | null, bigint>();
    const add = (m: Map<string | null, bigint>, k: string | null, v: bigint) =>
      m.set(k, (m.get(k) ?? 0n) + v);
    for (const r of reviews)
      if (r.estimatedCostMinor && r.estimatedCurrency)
        add(demand, r.region, inTarget(r.estimatedCostMinor, r.estimatedCurrency));
    const regionOf = new Map(partnerships.map((p) => [p.id, p.region]));
    for (const a of agreements) {
      const region =
        a.earmarkRegion ?? (a.earmarkPartnershipId ? (regionOf.get(a.earmarkPartnershipId) ?? null) : null);
      let left = inTarget(a.amountMinor, a.currency);
      for (const c of costs) if (c.agreementId === a.id) left -= inTarget(c.amountMinor, c.currency);
      add(available, region, left);
    }
    const keys: (string | null)[] = [
      ...WCO_REGIONS,
      ...[...demand.keys(), ...available.keys()].filter(
        (k) => k !== null && !(WCO_REGIONS as readonly string[]).includes(k),
      ),
      null,
    ];
    const rows = [...new Set(keys)]
      .filter((k) => demand.has(k) || available.has(k) || k !== null)
      .map((region) => ({
        region,
        ...this.triple(demand.get(region) ?? 0n, available.get(region) ?? 0n, target),
      }));
    const sum = (m: Map<string | null, bigint>) => [...m.values()].reduce((s, v) => s + v, 0n);
    return {
      currency: target,
      asOf,
      rows,
      total: { region: null, ...this.triple(sum(demand), sum(available), target) },
      rates: used(),
    };
  }

  private triple(demand: bigint, available: bigint, c: Currency) {
    return {
      demand: fromMinor(demand, c),
      available: fromMinor(available, c),
      gap: fromMinor(demand - available, c),
    };
  }

  // ---- partnerships ----------------------------------------------------------------------------------

  private partnershipView(p: q.PartnershipRow): C.PartnershipT {
    return {
      id: p.id,
      eoiId: p.eoiId,
      organisation: p.organisation,
      country: p.country,
      region: p.region,
      startsOn: p.startsOn,
      endsOn: p.endsOn,
      donorIds: p.donorIds,
      coordinatorName: p.coordinatorName,
      coordinatorEmail: p.coordinatorEmail,
      version: p.version,
    };
  }

  async partnerships(tx: TenantTx): Promise<C.PartnershipT[]> {
    if (!(await q.isSecretariat(tx))) return [];
    return (await q.partnerships(tx)).map((p) => this.partnershipView(p));
  }

  async updatePartnership(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.PartnershipUpdateT,
  ): Promise<C.PartnershipT> {
    const p = (await q.isSecretariat(tx)) ? await q.findPartnership(tx, id) : undefined;
    if (!p) throw notFound('partnership');
    // `benchmarks` never gets here (the contract refuses it: they are the plan's now).
    const { version, benchmarks: _gone, ...changes } = input;
    const startsOn = changes.startsOn ?? p.startsOn;
    const endsOn = changes.endsOn ?? p.endsOn;
    if (startsOn > endsOn) throw unprocessable('The period ends before it starts');
    if (startsOn !== p.startsOn || endsOn !== p.endsOn) {
      const outside = (await q.planPhases(tx, id)).filter(
        (ph) => ph.startsOn < startsOn || ph.endsOn > endsOn,
      );
      if (outside.length)
        throw new AppError(
          'CONFLICT',
          `The multi-annual plan has phases outside ${startsOn} to ${endsOn}: ${outside.map((ph) => `${ph.label} (${ph.startsOn} to ${ph.endsOn})`).join(', ')}. Correct the plan first.`,
          outside.map((ph) => ({
            path: ph.startsOn < startsOn ? 'startsOn' : 'endsOn',
            message: `phase ${ph.label} (${ph.startsOn} to ${ph.endsOn}) falls outside`,
          })),
        );
    }
    if (changes.donorIds) await this.mustDonors(tx, changes.donorIds);
    const updated = await updateVersioned(tx, programmePartnerships, id, version, changes);
    await this.audit(tx, tenantId, actor, 'programme.partnership.updated', 'programme_partnership', id, {
      fields: Object.keys(changes),
    });
    return this.partnershipView(updated);
  }

  // ---- activities --------------------------------------------------------------------------------------

  private activityViews(
    rows: q.ActivityRow[],
    partnerships: q.PartnershipRow[],
    costs: q.CostRow[],
  ): C.ActivityT[] {
    const names = new Map(partnerships.map((p) => [p.id, p.organisation]));
    return rows.map((a) => ({
      id: a.id,
      type: a.type,
      title: a.title,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      partnershipIds: a.partnershipIds,
      partners: a.partnershipIds.flatMap((i) => (names.has(i) ? [names.get(i)!] : [])),
      experts: a.experts,
      participants: a.participants,
      costs: costs
        .filter((c) => c.activityId === a.id)
        .map((c) => ({
          label: c.label,
          agreementId: c.agreementId,
          amount: money(c.amountMinor, c.currency),
        })),
      costShares:
        a.costShares?.map((x) =>
          'percent' in x
            ? x
            : {
                partnershipId: x.partnershipId,
                amount: money(toMinor(x.amount.amount, x.amount.currency).toString(), x.amount.currency),
              },
        ) ?? null,
      outputs: a.outputs,
      report: a.report,
      version: a.version,
    }));
  }

  async activities(tx: TenantTx): Promise<C.ActivityT[]> {
    if (!(await q.isSecretariat(tx))) return [];
    const rows = await q.activities(tx);
    const [partnerships, costs] = await Promise.all([
      q.partnerships(tx),
      q.costs(tx, { activityIds: rows.map((r) => r.id) }),
    ]);
    return this.activityViews(rows, partnerships, costs);
  }

  async activity(tx: TenantTx, id: string): Promise<C.ActivityT> {
    const [a] = (await q.isSecretariat(tx)) ? await q.activities(tx, { ids: [id] }) : [];
    if (!a) throw notFound('activity');
    const [partnerships, costs] = await Promise.all([q.partnerships(tx), q.costs(tx, { activityIds: [id] })]);
    return this.activityViews([a], partnerships, costs)[0]!;
  }

  async createActivity(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: C.ActivityInputT,
  ): Promise<C.ActivityT> {
    await this.mustSecretariat(tx);
    await this.mustValidActivity(tx, input);
    const { costs, ...fields } = input;
    const a = await q.insertActivity(tx, {
      tenantId,
      ...fields,
      costShares: input.costShares?.length ? input.costShares : null,
    });
    await q.insertCosts(tx, this.costRows(tenantId, a.id, costs));
    await this.audit(tx, tenantId, actor, 'programme.activity.created', 'programme_activity', a.id, {
      type: a.type,
      title: a.title,
      costs: costs.length,
    });
    return this.activity(tx, a.id);
  }

  /**
   * An edit of an activity at the version the caller read (409 otherwise, before anything is
   * checked: the merge below is only meaningful against what they saw). The activity it would
   * become is checked as a new one (mustValidActivity); `costs` replaces every cost line. Partners
   * whose outputs the activity is linked to stay (their value-for-money links would lose their
   * partner). The audit names the fields that changed, never their text.
   */
  async updateActivity(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    input: C.ActivityUpdateT,
  ): Promise<C.ActivityT> {
    const [a] = (await q.isSecretariat(tx)) ? await q.activities(tx, { ids: [id] }) : [];
    if (!a) throw notFound('activity');
    const { version, costs, ...fields } = input;
    mustBeCurrent('activity', version, a.version);
    const before = (await q.costs(tx, { activityIds: [id] })).map((c) => ({
      label: c.label,
      agreementId: c.agreementId,
      amount: money(c.amountMinor, c.currency),
    }));
    const current: C.ActivityInputT = {
      type: a.type,
      title: a.title,
      startsOn: a.startsOn,
      endsOn: a.endsOn,
      partnershipIds: a.partnershipIds,
      experts: a.experts,
      participants: a.participants as C.ActivityInputT['participants'],
      costs: before,
      costShares: a.costShares,
      outputs: a.outputs,
      report: a.report,
    };
    const next: C.ActivityInputT = {
      ...current,
      ...given(fields),
      ...(costs ? { costs } : {}),
    };
    if (next.costShares?.length === 0) next.costShares = null;
    // Keys sorted (jsonb reorders them); cost amounts in minor units (12.5 and 12.50 EUR are one line).
    const same = (k: keyof C.ActivityInputT) =>
      k === 'costs'
        ? canonical(this.costRows(tenantId, id, current.costs)) ===
          canonical(this.costRows(tenantId, id, next.costs))
        : canonical(current[k]) === canonical(next[k]);
    const changed = (Object.keys(current) as (keyof C.ActivityInputT)[]).filter((k) => !same(k));
    if (changed.length === 0) return this.activity(tx, id);
    if (next.startsOn > next.endsOn) throw unprocessable('The period ends before it starts');
    await this.mustValidActivity(tx, next);
    const linked = await q.linkedPartnerships(tx, id);
    const dropped = linked.filter((p) => !next.partnershipIds.includes(p));
    if (dropped.length) {
      const names = new Map((await q.partnerships(tx)).map((p) => [p.id, p.organisation]));
      throw unprocessable(
        `This activity contributes to outputs of ${dropped.map((p) => names.get(p) ?? p).join(', ')}: unlink them (value for money) before removing the partner`,
      );
    }
    const { costs: _, ...row } = next;
    await updateVersioned(tx, programmeActivities, id, version, row);
    if (changed.includes('costs')) {
      await q.deleteCosts(tx, id);
      await q.insertCosts(tx, this.costRows(tenantId, id, next.costs));
    }
    await this.audit(tx, tenantId, actor, 'programme.activity.updated', 'programme_activity', id, {
      fields: changed,
    });
    return this.activity(tx, id);
  }

  private costRows(tenantId: string, activityId: string, costs: C.ActivityInputT['costs']) {
    return costs.map((c) => ({
      tenantId,
      activityId,
      agreementId: c.agreementId,
      label: c.label,
      amountMinor: toMinor(c.amount.amount, c.amount.currency).toString(),
      currency: c.amount.currency,
    }));
  }

  /** What a new or edited activity must be: known partners and agreements, shares that add up. */
  private async mustValidActivity(tx: TenantTx, input: C.ActivityInputT): Promise<void> {
    const partners = new Map((await q.partnerships(tx)).map((p) => [p.id, p]));
    const unknownPartners = input.partnershipIds.filter((i) => !partners.has(i));
    if (unknownPartners.length) throw unprocessable(`Unknown partner: ${unknownPartners.join(', ')}`);
    const agreements = new Map((await q.agreements(tx)).map((a) => [a.id, a]));
    const unknownAgreements = input.costs.map((c) => c.agreementId).filter((i) => !agreements.has(i));
    if (unknownAgreements.length)
      throw unprocessable(`Unknown agreement: ${[...new Set(unknownAgreements)].join(', ')}`);
    // A cost line is spent from its agreement: in its currency (never converted, docs/guide/programme.md)
    // and within its earmark.
    input.costs.forEach((c, n) => {
      const a = agreements.get(c.agreementId)!;
      if (c.amount.currency !== a.currency)
        throw invalid(
          `costs.${n}.amount`,
          `A cost line charged to ${a.reference} is in its currency, ${a.currency}, not ${c.amount.currency}`,
        );
      const problem = earmarkProblem(a, input.partnershipIds, partners);
      if (problem) throw invalid(`costs.${n}.agreementId`, problem);
    });
    this.mustCostShares(input);
  }

  /**
   * Explicit cost shares name each of the activity's partnerships once, all of one kind, and add up:
   * percentages to exactly 100, amounts (in the cost lines' single currency) to their total.
   */
  private mustCostShares(input: C.ActivityInputT): void {
    const shares = input.costShares;
    if (!shares?.length) return;
    const ids = shares.map((x) => x.partnershipId);
    const partners = new Set(input.partnershipIds);
    if (new Set(ids).size !== ids.length || ids.length !== partners.size || ids.some((i) => !partners.has(i)))
      throw unprocessable("Cost shares must name each of the activity's partners exactly once");
    const percents = shares.flatMap((x) => ('percent' in x ? [x.percent] : []));
    if (percents.length === shares.length) {
      const hundredths = percents.reduce((sum, v) => sum + toMinor(v, 'EUR'), 0n);
      if (hundredths !== 10_000n)
        throw unprocessable(`Cost shares must add up to 100 %, not ${fromMinor(hundredths, 'EUR')} %`);
      return;
    }
    const amounts = shares.flatMap((x) => ('amount' in x ? [x.amount] : []));
    if (amounts.length !== shares.length)
      throw unprocessable('Cost shares are all percentages or all amounts, not a mix');
    const currencies = new Set([
      ...input.costs.map((c) => c.amount.currency),
      ...amounts.map((m) => m.currency),
    ]);
    if (input.costs.length === 0 || currencies.size !== 1)
      throw unprocessable('Cost shares as amounts need cost lines, all in the shares’ currency');
    const [currency] = [...currencies] as [C.MoneyT['currency']];
    const sum = (ms: C.MoneyT[]) => ms.reduce((t, m) => t + toMinor(m.amount, m.currency), 0n);
    const total = sum(input.costs.map((c) => c.amount));
    if (sum(amounts) !== total)
      throw unprocessable(
        `Cost shares must add up to the activity's cost, ${fromMinor(total, currency)} ${currency}, not ${fromMinor(sum(amounts), currency)}`,
      );
  }

  /** The IATI 2.03 activity file (programme.iati.ts): the Secretariat's, or a donor's own subset. */
  iati(tx: TenantTx, who: { secretariat: true } | { donorOrganisationId: string }): Promise<string> {
    return loadIati(tx, who, this.k.config.IATI_REPORTING_ORG_REF);
  }

  // ---- the donor's view ------------------------------------------------------------------------------

  /** Only what this donor organisation funds: filtered here and by row-level security. */
  async donorDashboard(tx: TenantTx, donor: q.DonorKey) {
    const donors = await q.donors(tx, donor);
    const donorIds = donors.map((d) => d.id);
    const agreements = await q.agreements(tx, donorIds);
    const agreementIds = agreements.map((a) => a.id);
    const [partnerships, costs] = await Promise.all([
      q.partnerships(tx, { donorIds }),
      q.costs(tx, { agreementIds }),
    ]);
    const activities = await q.activities(tx, { ids: [...new Set(costs.map((c) => c.activityId))] });
    return {
      donors: donors.map((d) => this.donorView(d)),
      agreements: await this.agreementViews(tx, agreements, donors),
      partnerships: partnerships.map((p) => this.partnershipView(p)),
      activities: this.activityViews(activities, partnerships, costs),
    };
  }

  /**
   * A donor's dashboard narrowed to a period, as all its reports show it (the XLSX and CSV rows
   * below, the PDF in programme.report.ts): the agreements in force during the period, each with
   * the disbursements received in it, and the activities started in it with their participants
   * counted; `reference` names any of its agreements (a cost line's).
   */
  async donorPeriod(tx: TenantTx, donor: q.DonorKey, period: { from: string; to: string }) {
    const d = await this.donorDashboard(tx, donor);
    const inPeriod = (day: string) => day >= period.from && day <= period.to;
    return {
      ...d,
      reference: new Map(d.agreements.map((a) => [a.id, a.reference])),
      agreements: d.agreements
        .filter((a) => a.startsOn <= period.to && a.endsOn >= period.from)
        .map((a) => ({ ...a, disbursements: a.disbursements.filter((x) => inPeriod(x.receivedOn)) })),
      activities: d.activities
        .filter((a) => inPeriod(a.startsOn))
        .map((a) => ({
          ...a,
          women: a.participants.reduce((n, p) => n + p.women, 0),
          men: a.participants.reduce((n, p) => n + p.men, 0),
        })),
    };
  }

  /** The donor's report for a period: its agreements in force, disbursements received, and the
   *  activities it paid for with their cost lines — one row each, headers in the user's language. */
  async donorReport(tx: TenantTx, donor: q.DonorKey, period: { from: string; to: string }, locale: Locale) {
    const d = await this.donorPeriod(tx, donor, period);
    const L = (k: string) => t(locale, `programme.report.${k}`);
    // Cells: dates as dates and amounts as numbers for the spreadsheet when a number holds them
    // exactly, else as their decimal text (decimalCell; converted here, at the edge, never computed with).
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    const rows: TableRow[] = [];
    for (const a of d.agreements) {
      rows.push({
        kind: L('agreement'),
        date: day(a.startsOn),
        reference: a.reference,
        description: `${a.startsOn} – ${a.endsOn}${a.earmarkRegion ? ` · ${a.earmarkRegion}` : ''}`,
        women: null,
        men: null,
        amount: decimalCell(a.amount.amount),
        currency: a.amount.currency,
      });
      for (const x of a.disbursements)
        rows.push({
          kind: L('disbursement'),
          date: day(x.receivedOn),
          reference: a.reference,
          description: null,
          women: null,
          men: null,
          amount: decimalCell(x.amount.amount),
          currency: x.amount.currency,
        });
    }
    for (const act of d.activities) {
      rows.push({
        kind: L('activity'),
        date: day(act.startsOn),
        reference: null,
        description: `${t(locale, `programme.report.type.${act.type}`)}: ${act.title} (${act.partners.join(', ')})`,
        women: act.women,
        men: act.men,
        amount: null,
        currency: null,
      });
      for (const c of act.costs)
        rows.push({
          kind: L('cost'),
          date: day(act.startsOn),
          reference: d.reference.get(c.agreementId) ?? null,
          description: `${act.title}: ${c.label}`,
          women: null,
          men: null,
          amount: decimalCell(c.amount.amount),
          currency: c.amount.currency,
        });
    }
    const columns = ['kind', 'date', 'reference', 'description', 'women', 'men', 'amount', 'currency'].map(
      (key) => ({
        key,
        header: L(key),
      }),
    );
    return { columns, rows, sheetName: L('sheet') };
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
