// Where triage takes an alert: the draft risk an alert on the risk map becomes (risks module),
// and the share of alerts later substantiated by the cases they were escalated to (cases module).

import type { z } from 'zod';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import { suppressGroups } from '../../platform/statistics.ts';
import type { CaseStanding, CasesApi } from '../cases/index.ts';
import { Directory } from '../identity/index.ts';
import type { RiskFromSource, RiskScheme, RiskStatus } from '../risks/index.ts';
import { indicatorById } from './analytics.catalogue.ts';
import type { SubstantiationRow } from './analytics.contract.ts';
import type { AlertRow } from './analytics.queries.ts';
import { Z95 } from './analytics.stats.ts';

/**
 * The Customs process (a code of the risks module's pre-loaded catalogue) and corruption scheme an
 * indicator points at: a starting point the risk owner may change, not a finding. Processing times
 * point at delays sold for speed (extortion); detection, reassessment, revenue and valuation at
 * payments for leniency (bribery); re-routing at discretion; assignment at steering; concentration
 * and gaps attributed to actors at collusion; mirror gaps at false invoices.
 */
const RISK_PROFILE: Record<string, { process: string; scheme: RiskScheme }> = {
  I1: { process: 'clearance', scheme: 'extortion' },
  I2: { process: 'clearance', scheme: 'extortion' },
  I3: { process: 'clearance', scheme: 'extortion' },
  I4: { process: 'clearance', scheme: 'extortion' },
  I5: { process: 'examination', scheme: 'abuse_of_discretion' },
  I6: { process: 'examination', scheme: 'bribery' },
  I7: { process: 'examination', scheme: 'bribery' },
  I8: { process: 'valuation', scheme: 'bribery' },
  I9: { process: 'valuation', scheme: 'bribery' },
  I10: { process: 'clearance', scheme: 'manipulated_assignment' },
  I11: { process: 'clearance', scheme: 'collusion' },
  I12: { process: 'clearance', scheme: 'abuse_of_discretion' },
  I13: { process: 'valuation', scheme: 'fraudulent_documentation' },
  I14: { process: 'valuation', scheme: 'fraudulent_documentation' },
  I16: { process: 'valuation', scheme: 'fraudulent_documentation' },
  I17: { process: 'valuation', scheme: 'collusion' },
};

type CaseInput = Parameters<CasesApi['openFromSource']>[3];

/**
 * The unit of the organisation an alert's office is: the one unit of type `office` carrying the
 * alert's office code. None (no office code, no such unit, or two offices with the code) leaves
 * the case without a unit — the cases module then has no unit to warn a handler about.
 */
export async function officeUnit(tx: TenantTx, officeCode: string | null): Promise<string | null> {
  if (!officeCode) return null;
  const offices = (await new Directory().units(tx)).filter(
    (u) => u.type === 'office' && u.code === officeCode,
  );
  return offices.length === 1 ? offices[0]!.id : null;
}

/**
 * The case an escalated alert opens (docs/adr/0025, "Alerts"). Case titles are what lists, links
 * and any future message quote, so the title names the pattern — indicator, its name, the alert —
 * never an officer or declarant; who the alert is about goes into the case's subjects, the
 * restricted part a handler opens with the case (and the alert, linked as the case's source).
 * The office's unit (officeUnit), when the organisation has one, is the unit the case concerns:
 * the cases module warns of a conflict of interest when assigning a handler of that unit.
 */
export function caseFromAlert(
  a: AlertRow,
  locale: Locale,
  orgUnitId: string | null = null,
): Omit<CaseInput, 'sourceKind'> {
  const subjects: NonNullable<CaseInput['subjects']> = [];
  const officer = a.subjectType === 'officer' ? a.subjectId : a.subjectType === 'pair' ? a.officerId : null;
  const declarant =
    a.subjectType === 'declarant' ? a.subjectId : a.subjectType === 'pair' ? a.declarantId : null;
  if (officer)
    subjects.push({
      kind: 'staff',
      name: officer.slice(0, 200),
      identifier: officer.slice(0, 64),
      role: t(locale, 'analytics.case_subject.officer'),
    });
  if (declarant)
    subjects.push({
      kind: 'broker',
      name: declarant.slice(0, 200),
      identifier: declarant.slice(0, 64),
      role: t(locale, 'analytics.case_subject.declarant'),
    });
  return {
    title: t(locale, 'analytics.case_title', {
      indicator: a.indicatorId,
      name: t(locale, `analytics.indicators.${a.indicatorId}.name`),
      alert: a.id.slice(0, 8),
    }).slice(0, 300),
    sourceRef: a.id,
    subjects,
    ...(orgUnitId ? { orgUnitId } : {}),
  };
}

/** How an alert's figures are written in words: a share as a percentage, anything else as a number. */
export function figureFormat(unit: string | undefined, locale: Locale) {
  const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const pf = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  return { nf, f: (x: number) => (unit === 'share' ? pf.format(x) : nf.format(x)) };
}

/** Subjects that are people: the risk map names none of them (their alert does). */
const PERSON_SUBJECTS: readonly string[] = ['officer', 'declarant', 'pair'];

/**
 * The pattern an alert shows, in words, without the identifier of any officer or declarant:
 * what the risk map keeps. A subject that is not a person (an office, an HS line, a mirror cell)
 * keeps the alert's own explanation.
 */
function pattern(a: AlertRow, explanation: string, locale: Locale, extra?: Record<string, unknown>) {
  if (!PERSON_SUBJECTS.includes(a.subjectType)) return explanation;
  const ind = indicatorById(a.indicatorId);
  const { nf, f } = figureFormat(ind?.unit, locale);
  if (a.indicatorId === 'I17')
    return t(
      locale,
      `analytics.risk_pattern.actor_${a.subjectType === 'declarant' ? 'declarant' : 'officer'}`,
      {
        gap: nf.format(Number(extra?.attributed_gap ?? 0)),
        value: nf.format(Number(extra?.declared_value ?? 0)),
        cells: nf.format(Number(extra?.cells ?? 0)),
        declarations: nf.format(a.n),
        observed: nf.format(a.observed),
        limit: nf.format(a.limit),
      },
    );
  if (a.subjectType === 'pair')
    return t(locale, 'analytics.risk_pattern.pair', {
      observed: nf.format(a.observed),
      expected: nf.format(a.expected),
      limit: nf.format(a.limit),
      ratio: nf.format(a.observed / (a.expected || 1)),
    });
  return t(
    locale,
    `analytics.risk_pattern.${ind?.direction === 'higher_better' ? 'low' : 'high'}_${a.subjectType === 'declarant' ? 'declarant' : 'officer'}`,
    {
      indicator: t(locale, `analytics.indicators.${a.indicatorId}.name`),
      observed: f(a.observed),
      expected: f(a.expected),
      limit: f(a.limit),
      count: nf.format(a.n),
    },
  );
}

/**
 * The draft risk an alert added to the risk map becomes. The register is read more widely than
 * analytics (risks.read; its titles reach the dashboard, the report and action plans), and a risk
 * is about a process's vulnerability, not a person: title and description describe the pattern —
 * indicator, office or HS line, size of the deviation, period — and never name the officer or
 * declarant. Who is concerned stays in the alert, which the risk links back to (its source) and
 * which only analytics readers open. With the indicator's RAD key factor, its process and
 * scheme, the office as the unit where one carries its code.
 */
export function riskFromAlert(
  a: AlertRow,
  explanation: string,
  locale: Locale,
  extra?: Record<string, unknown>,
): RiskFromSource {
  const ind = indicatorById(a.indicatorId);
  const profile = RISK_PROFILE[a.indicatorId];
  const origin = t(locale, 'analytics.risk_origin', {
    alert: a.id,
    indicator: a.indicatorId,
    version: a.indicatorVersion,
    source: ind?.source ?? '',
  });
  const period =
    a.periodFrom || a.periodTo
      ? `${a.periodFrom ?? '…'} – ${a.periodTo ?? '…'}`
      : t(locale, 'analytics.risk_where.whole');
  // A mirror cell's subject is `<hs>/<partner>/<year>` (partner and year have no '/').
  const cell = a.subjectType === 'hs_partner_year' ? /^(.*)\/([^/]*)\/([^/]*)$/.exec(a.subjectId) : null;
  const where = cell
    ? t(locale, 'analytics.risk_where.cell', { hs: cell[1]!, partner: cell[2]!, year: cell[3]! })
    : a.subjectType === 'office' || a.subjectType === 'hs6'
      ? a.subjectId
      : a.officeCode
        ? t(locale, 'analytics.risk_where.office', { office: a.officeCode })
        : t(locale, 'analytics.risk_where.period', { period });
  const scope = [
    ...(a.officeCode && !cell
      ? [t(locale, 'analytics.risk_where.office_line', { office: a.officeCode })]
      : []),
    ...(cell ? [] : [t(locale, 'analytics.risk_where.period_line', { period })]),
  ].join(' ');
  const person = PERSON_SUBJECTS.includes(a.subjectType);
  return {
    sourceModule: 'analytics',
    sourceRef: a.id,
    title: t(locale, 'analytics.risk_title', {
      indicator: a.indicatorId,
      name: t(locale, `analytics.indicators.${a.indicatorId}.name`),
      where,
    }),
    description: [
      pattern(a, explanation, locale, extra),
      scope,
      person ? `${origin} ${t(locale, 'analytics.risk_identity')}` : origin,
    ]
      .filter(Boolean)
      .join('\n\n'),
    scheme: profile?.scheme ?? 'other',
    factors: ind ? [ind.radFactor] : [],
    ...(profile ? { processCode: profile.process } : {}),
    ...(a.officeCode ? { orgUnitCode: a.officeCode } : {}),
  };
}

/** Wilson score interval of k successes in n at 95 %: honest about small n (null when n = 0). */
export function wilson95(k: number, n: number): { low: number; high: number } | null {
  if (n <= 0) return null;
  const z2 = Z95 * Z95;
  const p = k / n;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** One indicator's row of the substantiation counts (the contract's). */
export type Substantiation = z.infer<typeof SubstantiationRow>;

type Counted = Pick<AlertRow, 'indicatorId' | 'status' | 'caseId' | 'riskId'>;

/** What became of an indicator's escalated alerts: the cells a reader could tie to a case. */
const OUTCOMES = ['substantiated', 'notSubstantiated', 'caseOpen'] as const;
type Outcomes = Record<(typeof OUTCOMES)[number], number>;

/**
 * The outcome cells as published, small cells suppressed the way the cases module's statistics
 * are (platform/statistics.ts, its threshold): every alert shows whether it was escalated, so the
 * escalated total is known and who was escalated too; a cell under k would tell the outcome of
 * identifiable cases. A lone suppressed cell next to published zeros could still be worked out
 * from the total (the platform's complement only takes published non-zero cells), so a zero is
 * withheld with it.
 */
export function publishedOutcomes(o: Outcomes, k: number): Record<keyof Outcomes, number | null> {
  const cells = suppressGroups(
    OUTCOMES.map((key) => ({ key, n: o[key] })),
    k,
  ).map((g) => ({ ...g, hidden: g.suppressed && g.n > 0 }));
  if (cells.filter((g) => g.hidden).length === 1) {
    const zero = cells.find((g) => !g.hidden);
    if (zero) zero.hidden = true;
  }
  return Object.fromEntries(cells.map((g) => [g.key, g.hidden ? null : g.n])) as Record<
    keyof Outcomes,
    number | null
  >;
}

/**
 * Per indicator: alerts raised and how triage decided them; of the escalated ones, how many cases
 * are closed and how many of those were substantiated — the share is substantiated / closed, with
 * its 95 % interval, so that 1 of 1 is not read as certainty. The outcome counts are published
 * with small cells suppressed (publishedOutcomes, threshold k): a suppressed count is null and
 * the row says `suppressed`; the closed count stays when it can be told apart from the outcome,
 * the share only when both outcome counts are published. An alert on the risk map is counted
 * apart (riskMapOpen: its risk still draft or open): a risk in the register is a judgement about
 * a process, not a finding about the subject, so it is not a substantiation.
 */
export function substantiation(
  indicatorIds: string[],
  alerts: Counted[],
  cases: Pick<CaseStanding, 'id' | 'status' | 'decision'>[],
  risks: { id: string; status: RiskStatus }[],
  k: number,
): Substantiation[] {
  const caseOf = new Map(cases.map((c) => [c.id, c]));
  const riskOf = new Map(risks.map((r) => [r.id, r]));
  return indicatorIds.map((indicatorId) => {
    const mine = alerts.filter((a) => a.indicatorId === indicatorId);
    const n = (s: AlertRow['status']) => mine.filter((a) => a.status === s).length;
    const closed = mine.filter(
      (a) => a.status === 'escalated' && a.caseId && caseOf.get(a.caseId)?.status === 'closed',
    );
    const substantiated = closed.filter(
      (a) => caseOf.get(a.caseId as string)?.decision === 'substantiated',
    ).length;
    const escalated = n('escalated');
    const out = publishedOutcomes(
      {
        substantiated,
        notSubstantiated: closed.length - substantiated,
        caseOpen: escalated - closed.length,
      },
      k,
    );
    const split = out.substantiated !== null && out.notSubstantiated !== null;
    const ci = split ? wilson95(substantiated, closed.length) : null;
    return {
      indicatorId,
      raised: mine.length,
      underReview: n('under_review'),
      dismissed: n('dismissed'),
      escalated,
      riskMap: n('risk_map'),
      triaged: n('dismissed') + escalated + n('risk_map'),
      casesClosed: split || out.caseOpen !== null ? closed.length : null,
      substantiated: out.substantiated,
      notSubstantiated: out.notSubstantiated,
      caseOpen: out.caseOpen,
      suppressed: Object.values(out).includes(null),
      share: ci ? substantiated / closed.length : null,
      shareLow: ci?.low ?? null,
      shareHigh: ci?.high ?? null,
      riskMapOpen: mine.filter(
        (a) =>
          a.status === 'risk_map' &&
          a.riskId &&
          ['draft', 'open'].includes(riskOf.get(a.riskId)?.status ?? ''),
      ).length,
    };
  });
}
