import { asc, inArray } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { AppError } from '../../platform/errors.ts';
import { type CostShare, figure, fromMinor, partnerWeights, splitByWeights } from './programme.money.ts';

/** How an explicit share reads in a transaction's description: "40 %" or "1200.00 EUR". */
const shareLabel = (shares: CostShare[], partnershipId: string) => {
  const s = shares.find((x) => x.partnershipId === partnershipId);
  return !s ? '' : 'percent' in s ? `${s.percent} %` : `${s.amount.amount} ${s.amount.currency}`;
};
import * as q from './programme.queries.ts';
import {
  programmeActuals,
  programmeIndicators,
  programmePlans,
  programmeResults,
} from './programme.schema.ts';
import type { Currency } from './programme.vocab.ts';

// The programme as an IATI 2.03 activity file (docs/adr/0031, docs/guide/programme.md): one
// <iati-activity> per partnership, reported by the WCO Secretariat. Built by hand: the order of
// the children of <iati-activity> is the schema's xsd:sequence, and every value is escaped.

/** The codes used, from IATI's codelists (documented in docs/guide/programme.md). */
export const IATI = {
  version: '2.03',
  /** OrganisationType 40: Multilateral. */
  wcoType: '40',
  wcoName: 'World Customs Organization',
  /** OrganisationType 10: Government (a customs administration). */
  administrationType: '10',
  /** OrganisationRole: 1 Funding, 4 Implementing. */
  roleFunding: '1',
  roleImplementing: '4',
  /** OECD DAC 5-digit purpose code (Sector vocabulary 1): 15113 Anti-corruption organisations and institutions. */
  sectorVocabulary: '1',
  sector: '15113',
  /** ActivityStatus: 1 Pipeline/identification, 2 Implementation, 3 Finalisation. */
  status: { pipeline: '1', implementation: '2', finalisation: '3' },
  /** ActivityDateType: 1 Planned start, 2 Actual start, 3 Planned end. */
  date: { plannedStart: '1', actualStart: '2', plannedEnd: '3' },
  /** BudgetType 1 Original; BudgetStatus 2 Committed. */
  budgetType: '1',
  budgetStatus: '2',
  /**
   * TransactionType: the donor's money received by the Secretariat for the partnership is
   * "1 Incoming Funds" (provider-org: the donor) — the donor itself reports the same flow as
   * "3 Disbursement" in its own file; a signed agreement is "11 Incoming Commitment"; a cost line
   * of an activity is "4 Expenditure".
   */
  tx: { incomingCommitment: '11', incomingFunds: '1', expenditure: '4' },
  /** DescriptionType 1: General. */
  descriptionGeneral: '1',
  /** ResultType 1 Output, 2 Outcome; IndicatorMeasure 1 Unit, 2 Percentage. */
  resultType: { output: '1', outcome: '2' },
  measure: { unit: '1', percentage: '2' },
} as const;

/** The rows the file is built from: what the caller's tenant may read (RLS decides). */
export interface IatiInput {
  reportingOrgRef: string;
  generatedAt: Date;
  /** YYYY-MM-DD, for the activity status. */
  today: string;
  partnerships: Pick<
    q.PartnershipRow,
    'id' | 'organisation' | 'country' | 'startsOn' | 'endsOn' | 'donorIds' | 'updatedAt'
  >[];
  /** The partnerships' multi-annual plans: their benchmarks, phase by phase, are named in the description. */
  plans?: Pick<PlanRow, 'partnershipId' | 'phases'>[];
  donors: Pick<q.DonorRow, 'id' | 'name'>[];
  agreements: Pick<
    q.AgreementRow,
    | 'id'
    | 'donorId'
    | 'reference'
    | 'amountMinor'
    | 'currency'
    | 'startsOn'
    | 'endsOn'
    | 'earmarkPartnershipId'
  >[];
  disbursements: Pick<q.DisbursementRow, 'id' | 'agreementId' | 'receivedOn' | 'amountMinor' | 'currency'>[];
  activities: (Pick<q.ActivityRow, 'id' | 'title' | 'startsOn' | 'partnershipIds'> & {
    costShares?: CostShare[] | null;
  })[];
  costs: Pick<q.CostRow, 'id' | 'activityId' | 'label' | 'amountMinor' | 'currency'>[];
  /** The results framework: outcomes and outputs, their indicators and entered actuals. */
  results?: Pick<ResultRow, 'id' | 'partnershipId' | 'level' | 'title'>[];
  indicators?: Pick<
    IndicatorRow,
    'id' | 'resultId' | 'name' | 'unit' | 'baseline' | 'target' | 'direction'
  >[];
  actuals?: Pick<ActualRow, 'indicatorId' | 'periodStart' | 'periodEnd' | 'value'>[];
}

type PlanRow = typeof programmePlans.$inferSelect;
type ResultRow = typeof programmeResults.$inferSelect;
type IndicatorRow = typeof programmeIndicators.$inferSelect;
type ActualRow = typeof programmeActuals.$inferSelect;

// ---- a small XML builder ---------------------------------------------------------------------------

interface Node {
  name: string;
  attrs: [string, string][];
  children: (Node | string)[];
}

type Attrs = Record<string, string | null | undefined>;

export function el(name: string, attrs: Attrs = {}, ...children: (Node | string | null | false)[]): Node {
  return {
    name,
    attrs: Object.entries(attrs).filter((e): e is [string, string] => e[1] != null),
    children: children.filter((c): c is Node | string => c !== null && c !== false),
  };
}

// Characters XML 1.0 cannot carry at all are dropped (a control character typed into a title).
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeText(s: string): string {
  return s.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function render(n: Node, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = n.attrs.map(([k, v]) => ` ${k}="${escapeAttr(v)}"`).join('');
  if (n.children.length === 0) {
    out.push(`${pad}<${n.name}${attrs}/>`);
  } else if (n.children.every((c) => typeof c === 'string')) {
    out.push(`${pad}<${n.name}${attrs}>${(n.children as string[]).map(escapeText).join('')}</${n.name}>`);
  } else {
    out.push(`${pad}<${n.name}${attrs}>`);
    for (const c of n.children)
      if (typeof c === 'string') out.push(`${pad}  ${escapeText(c)}`);
      else render(c, depth + 1, out);
    out.push(`${pad}</${n.name}>`);
  }
}

export function toXml(root: Node): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}

// ---- the activity file ----------------------------------------------------------------------------------

const narrative = (text: string) => el('narrative', { 'xml:lang': 'en' }, text);
const value = (minor: string | bigint, currency: Currency, valueDate: string) =>
  el('value', { currency, 'value-date': valueDate }, fromMinor(BigInt(minor), currency));

export function iatiActivities(input: IatiInput): Node {
  const wcoRef = input.reportingOrgRef;
  const donorName = new Map(input.donors.map((d) => [d.id, d.name]));
  const activityById = new Map(input.activities.map((a) => [a.id, a]));
  const wco = (role: string) =>
    el('participating-org', { ref: wcoRef, type: IATI.wcoType, role }, narrative(IATI.wcoName));

  // Results: outcomes then outputs, each with its indicators (IATI needs at least one per result):
  // the baseline (year of the partnership's start), the target over the partnership's period, and
  // each entered actual for its period.
  const resultsOf = (p: IatiInput['partnerships'][number]): Node[] =>
    (input.results ?? [])
      .filter((r) => r.partnershipId === p.id)
      .sort((a, b) => (a.level === b.level ? 0 : a.level === 'outcome' ? -1 : 1))
      .flatMap((r) => {
        const indicators = (input.indicators ?? []).filter((i) => i.resultId === r.id);
        if (indicators.length === 0) return [];
        return [
          el(
            'result',
            { type: r.level === 'outcome' ? IATI.resultType.outcome : IATI.resultType.output },
            el('title', {}, narrative(r.title)),
            ...indicators.map((i) =>
              el(
                'indicator',
                {
                  measure: i.unit.trim() === '%' ? IATI.measure.percentage : IATI.measure.unit,
                  ascending: i.direction === 'increase' ? 'true' : 'false',
                },
                el('title', {}, narrative(i.unit.trim() ? `${i.name} (${i.unit.trim()})` : i.name)),
                el('baseline', { year: p.startsOn.slice(0, 4), value: figure(i.baseline) }),
                el(
                  'period',
                  {},
                  el('period-start', { 'iso-date': p.startsOn }),
                  el('period-end', { 'iso-date': p.endsOn }),
                  el('target', { value: figure(i.target) }),
                ),
                ...(input.actuals ?? [])
                  .filter((a) => a.indicatorId === i.id)
                  .sort((a, b) => (a.periodStart < b.periodStart ? -1 : 1))
                  .map((a) =>
                    el(
                      'period',
                      {},
                      el('period-start', { 'iso-date': a.periodStart }),
                      el('period-end', { 'iso-date': a.periodEnd }),
                      el('actual', { value: figure(a.value) }),
                    ),
                  ),
              ),
            ),
          ),
        ];
      });

  const activity = (p: IatiInput['partnerships'][number]): Node => {
    const agreements = input.agreements.filter((a) => a.earmarkPartnershipId === p.id);
    const funders = [...new Set([...p.donorIds, ...agreements.map((a) => a.donorId)])].filter((d) =>
      donorName.has(d),
    );
    const status =
      input.today < p.startsOn
        ? IATI.status.pipeline
        : input.today <= p.endsOn
          ? IATI.status.implementation
          : IATI.status.finalisation;

    // Transactions, by date: commitments (agreements), incoming funds (disbursements), expenditure.
    const txs: { date: string; node: Node }[] = [];
    for (const a of agreements)
      txs.push({
        date: a.startsOn,
        node: el(
          'transaction',
          { ref: a.reference },
          el('transaction-type', { code: IATI.tx.incomingCommitment }),
          el('transaction-date', { 'iso-date': a.startsOn }),
          value(a.amountMinor, a.currency, a.startsOn),
          el('description', {}, narrative(`Agreement ${a.reference}`)),
          el('provider-org', {}, narrative(donorName.get(a.donorId) ?? '')),
          el('receiver-org', { ref: wcoRef, type: IATI.wcoType }, narrative(IATI.wcoName)),
        ),
      });
    for (const d of input.disbursements) {
      const a = agreements.find((x) => x.id === d.agreementId);
      if (!a) continue;
      txs.push({
        date: d.receivedOn,
        node: el(
          'transaction',
          { ref: a.reference },
          el('transaction-type', { code: IATI.tx.incomingFunds }),
          el('transaction-date', { 'iso-date': d.receivedOn }),
          value(d.amountMinor, d.currency, d.receivedOn),
          el('provider-org', {}, narrative(donorName.get(a.donorId) ?? '')),
          el('receiver-org', { ref: wcoRef, type: IATI.wcoType }, narrative(IATI.wcoName)),
        ),
      });
    }
    for (const c of input.costs) {
      const act = activityById.get(c.activityId);
      const i = act ? act.partnershipIds.indexOf(p.id) : -1;
      if (!act || i < 0) continue;
      // A cost line shared by n partnerships: its exact share for the i-th, by the activity's
      // explicit cost shares when it has them, else equally.
      const explicit = !!act.costShares?.length;
      const amount = splitByWeights(BigInt(c.amountMinor), partnerWeights(act))[i]!;
      const n = act.partnershipIds.length;
      const shared = n > 1 ? (explicit ? ` (${shareLabel(act.costShares!, p.id)})` : ` (1/${n})`) : '';
      txs.push({
        date: act.startsOn,
        node: el(
          'transaction',
          {},
          el('transaction-type', { code: IATI.tx.expenditure }),
          el('transaction-date', { 'iso-date': act.startsOn }),
          value(amount, c.currency, act.startsOn),
          el('description', {}, narrative(`${act.title}: ${c.label}${shared}`)),
          el('provider-org', { ref: wcoRef, type: IATI.wcoType }, narrative(IATI.wcoName)),
        ),
      });
    }
    txs.sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));

    const plan = input.plans?.find((x) => x.partnershipId === p.id);
    const benchmarks = (plan?.phases ?? [])
      .flatMap((ph) => ph.benchmarks.map((b) => b.title))
      .filter(Boolean);
    const description =
      `Customs integrity partnership of the WCO Anti-Corruption and Integrity Promotion Programme (A-CIP) ` +
      `with ${p.organisation}, ${p.startsOn} to ${p.endsOn}.` +
      (benchmarks.length ? ` Benchmarks: ${benchmarks.join('; ')}.` : '');

    // The order below is the xsd:sequence of iati-activity in iati-activities-schema.xsd 2.03.
    return el(
      'iati-activity',
      { 'last-updated-datetime': p.updatedAt.toISOString(), 'xml:lang': 'en', hierarchy: '1' },
      el('iati-identifier', {}, `${wcoRef}-${p.id}`),
      el('reporting-org', { ref: wcoRef, type: IATI.wcoType }, narrative(IATI.wcoName)),
      el('title', {}, narrative(`A-CIP partnership: ${p.organisation}`)),
      el('description', { type: IATI.descriptionGeneral }, narrative(description)),
      ...funders.map((d) =>
        el('participating-org', { role: IATI.roleFunding }, narrative(donorName.get(d) ?? '')),
      ),
      wco(IATI.roleImplementing),
      el(
        'participating-org',
        { type: IATI.administrationType, role: IATI.roleImplementing },
        narrative(p.organisation),
      ),
      el('activity-status', { code: status }),
      el('activity-date', { type: IATI.date.plannedStart, 'iso-date': p.startsOn }),
      input.today >= p.startsOn &&
        el('activity-date', { type: IATI.date.actualStart, 'iso-date': p.startsOn }),
      el('activity-date', { type: IATI.date.plannedEnd, 'iso-date': p.endsOn }),
      p.country &&
        /^[A-Z]{2}$/.test(p.country) &&
        el('recipient-country', { code: p.country, percentage: '100' }),
      el('sector', { vocabulary: IATI.sectorVocabulary, code: IATI.sector, percentage: '100' }),
      ...agreements.map((a) =>
        el(
          'budget',
          { type: IATI.budgetType, status: IATI.budgetStatus },
          el('period-start', { 'iso-date': a.startsOn }),
          el('period-end', { 'iso-date': a.endsOn }),
          value(a.amountMinor, a.currency, a.startsOn),
        ),
      ),
      ...txs.map((t) => t.node),
      ...resultsOf(p),
    );
  };

  return el(
    'iati-activities',
    {
      version: IATI.version,
      'generated-datetime': input.generatedAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    },
    ...input.partnerships.map(activity),
  );
}

export function iatiXml(input: IatiInput): string {
  return toXml(iatiActivities(input));
}

// ---- loading what the caller may read --------------------------------------------------------------------

/**
 * The Secretariat's file (every partnership) or a donor organisation's (the partnerships that list
 * it, its own agreements, their disbursements and the costs charged to them: what RLS lets it read).
 */
export async function loadIati(
  tx: TenantTx,
  who: { secretariat: true } | { donorOrganisationId: string },
  reportingOrgRef: string,
  now = new Date(),
): Promise<string> {
  // IATI requires at least one activity in a file.
  const nothing = () => new AppError('NOT_FOUND', 'No partnership to report to IATI yet');
  let input: Omit<IatiInput, 'reportingOrgRef' | 'generatedAt' | 'today'>;
  if ('secretariat' in who) {
    // Outside the Secretariat there is nothing to report, as other lists are empty.
    if (!(await q.isSecretariat(tx))) throw nothing();
    const [partnerships, donors, agreements] = await Promise.all([
      q.partnerships(tx),
      q.donors(tx),
      q.agreements(tx),
    ]);
    const agreementIds = agreements.map((a) => a.id);
    const activities = await q.activities(tx);
    const [disbursements, costs] = await Promise.all([
      q.disbursements(tx, agreementIds),
      q.costs(tx, { activityIds: activities.map((a) => a.id) }),
    ]);
    input = { partnerships, donors, agreements, disbursements, activities, costs };
  } else {
    const donors = await q.donors(tx, { organisationId: who.donorOrganisationId });
    const donorIds = donors.map((d) => d.id);
    const agreements = await q.agreements(tx, donorIds);
    const agreementIds = agreements.map((a) => a.id);
    const [partnerships, disbursements, costs] = await Promise.all([
      q.partnerships(tx, { donorIds }),
      q.disbursements(tx, agreementIds),
      q.costs(tx, { agreementIds }),
    ]);
    const activities = await q.activities(tx, { ids: [...new Set(costs.map((c) => c.activityId))] });
    input = { partnerships, donors, agreements, disbursements, activities, costs };
  }
  if (input.partnerships.length === 0) throw nothing();
  const partnershipIds = input.partnerships.map((p) => p.id);
  const results = await tx
    .select()
    .from(programmeResults)
    .where(inArray(programmeResults.partnershipId, partnershipIds))
    .orderBy(asc(programmeResults.createdAt));
  const indicators = results.length
    ? await tx
        .select()
        .from(programmeIndicators)
        .where(inArray(programmeIndicators.partnershipId, partnershipIds))
        .orderBy(asc(programmeIndicators.createdAt))
    : [];
  const actuals = indicators.length
    ? await tx.select().from(programmeActuals).where(inArray(programmeActuals.partnershipId, partnershipIds))
    : [];
  const plans = await tx
    .select({ partnershipId: programmePlans.partnershipId, phases: programmePlans.phases })
    .from(programmePlans)
    .where(inArray(programmePlans.partnershipId, partnershipIds));
  return iatiXml({
    ...input,
    plans,
    results,
    indicators,
    actuals,
    reportingOrgRef,
    generatedAt: now,
    today: now.toISOString().slice(0, 10),
  });
}
