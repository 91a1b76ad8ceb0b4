// Where triage takes an alert: the draft risk an alert on the risk map becomes (risks module),
// and the share of alerts later substantiated by the cases they were escalated to (cases module).

import type { z } from 'zod';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import type { CaseStanding } from '../cases/index.ts';
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

/** The alert's subject in a title: an officer, an office, an officer × declarant pair, a mirror cell. */
export function subjectLabel(a: Pick<AlertRow, 'subjectType' | 'subjectId' | 'officerId' | 'declarantId'>) {
  return a.subjectType === 'pair' ? `${a.officerId ?? '?'} × ${a.declarantId ?? '?'}` : a.subjectId;
}

/**
 * The draft risk an alert added to the risk map becomes: titled with the indicator and subject,
 * described with the alert's explanation in words and where it comes from, the indicator's RAD
 * key factor, its process and scheme, the office as the unit where one carries its code.
 */
export function riskFromAlert(a: AlertRow, explanation: string, locale: Locale): RiskFromSource {
  const ind = indicatorById(a.indicatorId);
  const profile = RISK_PROFILE[a.indicatorId];
  const origin = t(locale, 'analytics.risk_origin', {
    alert: a.id,
    indicator: a.indicatorId,
    version: a.indicatorVersion,
    source: ind?.source ?? '',
  });
  return {
    sourceModule: 'analytics',
    sourceRef: a.id,
    title: t(locale, 'analytics.risk_title', {
      indicator: a.indicatorId,
      name: t(locale, `analytics.indicators.${a.indicatorId}.name`),
      subject: subjectLabel(a),
    }),
    description: `${explanation}\n\n${origin}`,
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

/**
 * Per indicator: alerts raised and how triage decided them; of the escalated ones, how many cases
 * are closed and how many of those were substantiated — the share is substantiated / closed, with
 * its 95 % interval, so that 1 of 1 is not read as certainty. An alert on the risk map is counted
 * apart (riskMapOpen: its risk still draft or open): a risk in the register is a judgement about a
 * process, not a finding about the subject, so it is not a substantiation.
 */
export function substantiation(
  indicatorIds: string[],
  alerts: Counted[],
  cases: Pick<CaseStanding, 'id' | 'status' | 'decision'>[],
  risks: { id: string; status: RiskStatus }[],
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
    const ci = wilson95(substantiated, closed.length);
    return {
      indicatorId,
      raised: mine.length,
      underReview: n('under_review'),
      dismissed: n('dismissed'),
      escalated: n('escalated'),
      riskMap: n('risk_map'),
      triaged: n('dismissed') + n('escalated') + n('risk_map'),
      casesClosed: closed.length,
      substantiated,
      share: closed.length ? substantiated / closed.length : null,
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
