import type { TenantTx } from '../../platform/db/tenant.ts';
import type { FlagRule } from './declarations.vocab.ts';

// The red-flag rules as pure functions over plain facts (docs/adr/0021): each returns the
// facts that raised the flag — what the explanation shows in words — or null. `subject`
// makes a flag unique, so a re-evaluation never raises it twice.

export interface RaisedFlag {
  rule: FlagRule;
  subject: string;
  /** Shown to reviewers; never an asset amount. */
  facts: Record<string, string | number | null>;
  /** Asset amounts behind the flag: sealed at rest, shown to reviewers only. */
  restricted?: Record<string, number | string>;
}

export interface RuleSettings {
  baseCurrency: string;
  giftThreshold: number;
  repeatGiftCount: number;
  repeatGiftWindowDays: number;
  growthFactor: number;
}

/** Filed after the due date (days late counted in calendar days). */
export function lateRule(d: { id: string; submittedOn: string; dueDate: string | null }): RaisedFlag | null {
  if (!d.dueDate || d.submittedOn <= d.dueDate) return null;
  const days = Math.round((Date.parse(d.submittedOn) - Date.parse(d.dueDate)) / 86_400_000);
  return {
    rule: 'late',
    subject: `declaration:${d.id}`,
    facts: { dueDate: d.dueDate, submittedOn: d.submittedOn, daysLate: days },
  };
}

/** Not filed when the due date has passed (evaluated by the daily job). */
export function missingRule(
  c: { cycleId: string; title: string; dueDate: string },
  userId: string,
  today: string,
  filed: boolean,
): RaisedFlag | null {
  if (filed || today <= c.dueDate) return null;
  return {
    rule: 'missing',
    subject: `cycle:${c.cycleId}:${userId}`,
    facts: { cycle: c.title, dueDate: c.dueDate, checkedOn: today },
  };
}

/** A gift kept (accepted or approved) whose value in the base currency exceeds the threshold. */
export function giftOverThresholdRule(
  g: { id: string; giver: string; value: number; currency: string; baseValue: number; disposition: string },
  s: RuleSettings,
): RaisedFlag | null {
  if (g.disposition === 'declined' || g.disposition === 'surrendered') return null;
  if (!(g.baseValue > s.giftThreshold)) return null;
  return {
    rule: 'gift_over_threshold',
    subject: `declaration:${g.id}`,
    facts: {
      giver: g.giver,
      value: g.value,
      currency: g.currency,
      baseValue: round2(g.baseValue),
      baseCurrency: s.baseCurrency,
      threshold: s.giftThreshold,
      disposition: g.disposition,
    },
  };
}

/** Normalised giver name: case, spacing and punctuation do not make a new giver. */
export const giverKey = (giver: string) =>
  giver
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * At least `repeatGiftCount` gifts from one giver to one person within `repeatGiftWindowDays`
 * (gift dates), declined ones included: the pattern is the giver's persistence.
 */
export function repeatedGiverRule(
  userId: string,
  gifts: { id: string; giver: string; giftDate: string }[],
  latest: { giver: string; giftDate: string },
  s: RuleSettings,
): RaisedFlag | null {
  const key = giverKey(latest.giver);
  const end = Date.parse(latest.giftDate);
  const start = end - s.repeatGiftWindowDays * 86_400_000;
  const inWindow = gifts
    .filter((g) => giverKey(g.giver) === key)
    .filter((g) => {
      const t = Date.parse(g.giftDate);
      return t >= start && t <= end;
    })
    .sort((a, b) => a.giftDate.localeCompare(b.giftDate));
  if (inWindow.length < s.repeatGiftCount) return null;
  return {
    rule: 'gift_repeated_giver',
    // One flag per person, giver and window start: more gifts in the same run do not repeat it.
    subject: `giver:${userId}:${key}:${inWindow[0]!.giftDate}`,
    facts: {
      giver: latest.giver,
      count: inWindow.length,
      windowDays: s.repeatGiftWindowDays,
      threshold: s.repeatGiftCount,
      from: inWindow[0]!.giftDate,
      to: inWindow.at(-1)!.giftDate,
    },
  };
}

export interface AssetTotals {
  assets: number;
  liabilities: number;
  netWorth: number;
  income: number;
}

export function totals(v: {
  items: { value: number }[];
  liabilities: { amount: number }[];
  income: { amount: number }[];
}): AssetTotals {
  const sum = (xs: number[]) => round2(xs.reduce((a, b) => a + b, 0));
  const assets = sum(v.items.map((i) => i.value));
  const liabilities = sum(v.liabilities.map((l) => l.amount));
  return {
    assets,
    liabilities,
    netWorth: round2(assets - liabilities),
    income: sum(v.income.map((i) => i.amount)),
  };
}

/**
 * Net worth grew between two asset declarations by more than the income declared over the
 * period × `growthFactor`. The amounts and the ratio are restricted (reviewers only).
 */
export function assetGrowthRule(
  current: { id: string; year: number; totals: AssetTotals },
  previous: { id: string; year: number; totals: AssetTotals } | undefined,
  s: RuleSettings,
): RaisedFlag | null {
  if (!previous || previous.year >= current.year) return null;
  const increase = round2(current.totals.netWorth - previous.totals.netWorth);
  const allowed = round2(current.totals.income * s.growthFactor);
  if (!(increase > allowed)) return null;
  return {
    rule: 'asset_growth',
    subject: `declaration:${current.id}`,
    facts: { fromYear: previous.year, toYear: current.year, factor: s.growthFactor, previousId: previous.id },
    restricted: {
      previousNetWorth: previous.totals.netWorth,
      netWorth: current.totals.netWorth,
      increase,
      income: current.totals.income,
      allowed,
      ratio: current.totals.income > 0 ? round2(increase / current.totals.income) : 'n/a',
    },
  };
}

/** A conflict of interest declared with no mitigation. */
export function conflictUnmitigatedRule(c: {
  id: string;
  partyName: string;
  partyKind: string;
  mitigation: string;
}): RaisedFlag | null {
  if (c.mitigation !== 'none') return null;
  return {
    rule: 'conflict_unmitigated',
    subject: `declaration:${c.id}`,
    facts: { party: c.partyName, partyKind: c.partyKind },
  };
}

/**
 * The Customs declarations an officer handled where a party appears (declarant or importer):
 * counts and first/last day per dataset, from the analytics module (index.ts partyActivity).
 * `party` is the identifier as the source normalised it (`key`).
 */
export interface HandledDeclarationsSource {
  key(identifier: string): string;
  handledWithParties(
    tx: TenantTx,
    tenantId: string,
    officerCode: string,
    identifiers: string[],
  ): Promise<
    {
      party: string;
      count: number;
      first: string;
      last: string;
      dataset: string;
      versionId: string;
      versionNumber: number;
    }[]
  >;
  /** The declarations behind a count (first 200, and how many in all). */
  rows(
    tx: TenantTx,
    tenantId: string,
    versionId: string,
    officerCode: string,
    identifier: string,
  ): Promise<{ columns: string[]; rows: (string | number | null)[][]; total: number }>;
}

/** No analytics module wired (unit tests): the rule never fires. */
export const NO_ANALYTICS: HandledDeclarationsSource = {
  key: (s) => s,
  handledWithParties: async () => [],
  rows: async () => ({ columns: [], rows: [], total: 0 }),
};

/** The party kinds the rule checks: the trade parties an officer may handle declarations of. */
export const HANDLED_PARTY_KINDS = ['broker', 'importer', 'company'] as const;

/**
 * "A declared related broker or importer appearing in declarations the officer handled": each
 * conflict of interest whose party's identifier is the declarant or importer of declarations
 * handled by this officer (their officer code), one flag per conflict and dataset version, with
 * how many declarations and the first and last day.
 */
export async function relatedPartyHandledRule(
  tx: TenantTx,
  tenantId: string,
  source: HandledDeclarationsSource,
  officerCode: string | undefined,
  conflicts: { id: string; partyKind: string; partyName: string; partyIdentifier: string }[],
): Promise<(RaisedFlag & { declarationId: string })[]> {
  const mine = conflicts.filter(
    (c) =>
      (HANDLED_PARTY_KINDS as readonly string[]).includes(c.partyKind) &&
      source.key(c.partyIdentifier) !== '',
  );
  if (!officerCode?.trim() || !mine.length) return [];
  const hits = await source.handledWithParties(
    tx,
    tenantId,
    officerCode,
    mine.map((c) => c.partyIdentifier),
  );
  return mine.flatMap((c) =>
    hits
      .filter((h) => h.party === source.key(c.partyIdentifier) && h.count > 0)
      .map((h) => ({
        rule: 'related_party_handled' as const,
        subject: `handled:${c.id}:${h.versionId}`,
        declarationId: c.id,
        facts: {
          party: c.partyName,
          partyKind: c.partyKind,
          identifier: c.partyIdentifier,
          officerCode,
          count: h.count,
          first: h.first,
          last: h.last,
          dataset: h.dataset,
          datasetVersion: h.versionNumber,
          versionId: h.versionId,
        },
      })),
  );
}

export const round2 = (n: number) => Math.round(n * 100) / 100;
