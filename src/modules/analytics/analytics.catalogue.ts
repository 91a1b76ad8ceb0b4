import { createHash } from 'node:crypto';

/**
 * The indicator catalogue (domain.md §4.4), as versioned data. Names and descriptions are in
 * `locales/<lang>/server.analytics.json` (`analytics.indicators.<id>`). Changing a formula
 * means a new `version`: analytics.test.ts pins each formula's hash to its version, and
 * every result and alert records the version it was computed with.
 *
 * Funnel indicators share one formula shape: over the declarations matching `filter`, each
 * declaration gives a value `y` (0/1 for a rate); a subject's observed value is the mean of its
 * y; its expected value is what the same declarations would give at the average of their
 * stratum (`strata`, office × channel at least), with the standard error of that mean — so an
 * officer is compared with their own mix, and a small officer gets wide limits.
 */
export type Direction = 'higher_better' | 'lower_better';
export type Unit = 'share' | 'currency' | 'ratio' | 'hhi';

interface Base {
  id: string;
  version: number;
  unit: Unit;
  subject: 'officer' | 'office' | 'pair' | 'hs_partner_year' | 'actor';
  /** RAD key factor (standards' rad library, 1–10). */
  radFactor: number;
  source: string;
  /** Alerts are raised when a subject is beyond the 99.8 % limit on the bad side. */
  alerts: boolean;
}

export interface FunnelIndicator extends Base {
  kind: 'funnel';
  direction: Direction;
  formula: {
    subject: string;
    filter: string;
    y: string;
    strata: string;
    /**
     * Expected from the expected-hit model instead (analytics.expected.ts, ADR 0026): Σ of the
     * declarations' out-of-fold probabilities, trained with `y` as the label on `features`; the
     * strata above when the version has fewer than `min_controlled` declarations matching
     * `filter` or fewer than `min_class` of either outcome.
     */
    expected?: string;
    features?: string;
    folds?: number;
    sample?: number;
    min_controlled?: number;
    min_class?: number;
    /** A second measure kept in each result's `extra` (I4's clearance-time z, analytics.clearance.ts). */
    z?: string;
  };
}

export interface SpecialIndicator extends Base {
  kind: 'pairs' | 'hhi' | 'deviant' | 'mirror';
  direction: Direction;
  formula: Record<string, string | number>;
}

export type Indicator = FunnelIndicator | SpecialIndicator;

/** Working-day free processing time in hours (registration → assessment). */
const HOURS = `(epoch(assessed_at) - epoch(registered_at)) / 3600.0`;
const HIT = `(coalesce(offence, 0) = 1 OR coalesce(duties_assessed, 0) > coalesce(duties_declared, 0) + 0.005)`;
const CONTROLLED = `channel_final IN ('red', 'yellow')`;
const RANK = (c: string) =>
  `(CASE ${c} WHEN 'green' THEN 0 WHEN 'blue' THEN 1 WHEN 'yellow' THEN 2 WHEN 'red' THEN 3 END)`;

export const CATALOGUE: readonly Indicator[] = [
  {
    id: 'I1',
    version: 1,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'higher_better',
    radFactor: 8,
    source: 'Cameroon F1',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: 'TRUE',
      y: `CASE WHEN assessed_at IS NOT NULL AND CAST(assessed_at AS DATE) = CAST(registered_at AS DATE) THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || coalesce(channel_final, channel_system)`,
    },
  },
  {
    id: 'I2',
    version: 1,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 8,
    source: 'Cameroon F2',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: 'TRUE',
      y: `CASE WHEN assessed_at IS NOT NULL AND ${HOURS} >= 120 THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || coalesce(channel_final, channel_system)`,
    },
  },
  {
    id: 'I3',
    version: 1,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 8,
    source: 'Cameroon F3',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: 'TRUE',
      y: `CASE WHEN assessed_at IS NULL OR ${HOURS} > 720 THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || coalesce(channel_final, channel_system)`,
    },
  },
  // Version 2: with domain.md's z = (median_i(asm − reg) − median_office) / MAD_office as a second
  // measure in each result (extra.z; analytics.clearance.ts says why it does not raise alerts);
  // the share above the office × channel 95th percentile, unchanged, is still the funnel.
  {
    id: 'I4',
    version: 2,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 8,
    source: 'Chalendard et al. 2023 (clearance times)',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: 'assessed_at IS NOT NULL',
      y: `CASE WHEN ${HOURS} > quantile_cont(${HOURS}, 0.95) OVER (PARTITION BY office_code, coalesce(channel_final, channel_system)) THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || coalesce(channel_final, channel_system)`,
      z: 'median over the officer’s declarations of (hours − median_office) / MAD_office (raw MAD; null when 0)',
    },
  },
  {
    id: 'I5',
    version: 1,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 6,
    source: 'ASYCUDA selectivity re-routing',
    alerts: true,
    formula: {
      subject: 'coalesce(rerouted_by, officer_id)',
      filter: `channel_system IN ('red', 'yellow')`,
      y: `CASE WHEN ${RANK('coalesce(channel_final, channel_system)')} < ${RANK('channel_system')} THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || channel_system`,
    },
  },
  // Version 2: expected hits from the expected-hit model (issue 5: "observed hits / expected
  // hits per officer"); version 1 expected the office × channel average, now the fallback.
  {
    id: 'I6',
    version: 2,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'higher_better',
    radFactor: 6,
    source: 'Madagascar performance contracts',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: CONTROLLED,
      y: `CASE WHEN ${HIT} THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || channel_final`,
      expected: 'Σ out-of-fold hit probabilities (expected-hit model, label y); strata below the minimums',
      features:
        'office_code, channel_system, channel_final, hs6, origin, customs_value, net_mass_kg, declarant_id, importer_id, assignment',
      folds: 5,
      sample: 100_000,
      min_controlled: 1000,
      min_class: 50,
    },
  },
  {
    id: 'I7',
    version: 1,
    kind: 'funnel',
    unit: 'currency',
    subject: 'officer',
    direction: 'higher_better',
    radFactor: 6,
    source: 'Cameroon, Togo (revenue from frontline controls)',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: CONTROLLED,
      y: `coalesce(duties_assessed - duties_declared, 0)`,
      strata: `office_code || '|' || channel_final`,
    },
  },
  {
    id: 'I8',
    version: 1,
    kind: 'funnel',
    unit: 'currency',
    subject: 'officer',
    direction: 'higher_better',
    radFactor: 8,
    source: 'Cameroon Q1 2011 (revenue per declaration)',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: 'TRUE',
      y: `coalesce(duties_assessed, duties_declared, 0)`,
      strata: `office_code || '|' || coalesce(left(hs6, 2), '??')`,
    },
  },
  {
    id: 'I9',
    version: 1,
    kind: 'funnel',
    unit: 'share',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 6,
    source: 'Cameroon (values below reference accepted)',
    alerts: true,
    formula: {
      subject: 'officer_id',
      filter: `customs_value / nullif(net_mass_kg, 0) < 0.5 * ref_uv AND ${CONTROLLED}`,
      y: `CASE WHEN coalesce(duties_assessed, 0) <= coalesce(duties_declared, 0) + 0.005 THEN 1 ELSE 0 END`,
      strata: `office_code || '|' || channel_final`,
    },
  },
  {
    id: 'I10',
    version: 1,
    kind: 'pairs',
    unit: 'ratio',
    subject: 'pair',
    direction: 'lower_better',
    radFactor: 10,
    source: 'Chalendard, Fernandes, Raballand, Rijkers (QJE 2023)',
    alerts: true,
    formula: {
      scope: `coalesce(assignment, 'random') = 'random'`,
      test: 'poisson-upper',
      correction: 'benjamini-hochberg',
      alpha: 0.01,
    },
  },
  {
    id: 'I11',
    version: 1,
    kind: 'hhi',
    unit: 'hhi',
    subject: 'officer',
    direction: 'lower_better',
    radFactor: 10,
    source: 'Broker concentration (consistent with I10)',
    alerts: true,
    formula: {
      scope: `coalesce(assignment, 'random') = 'random'`,
      expected: 'multinomial',
      limit: 'delta-method',
    },
  },
  {
    id: 'I12',
    version: 1,
    kind: 'deviant',
    unit: 'share',
    subject: 'office',
    direction: 'higher_better',
    radFactor: 6,
    source: 'Chalendard et al. 2023 (deviant declarations)',
    alerts: false,
    formula: { y: `CASE WHEN ${HIT} THEN 1 ELSE 0 END`, filter: CONTROLLED },
  },
  // Mirror analysis over partner trade statistics (analytics.mirror.ts): per HS code × partner ×
  // year, the administration's declared imports M against the partner's exports X (domain.md §4.4).
  {
    id: 'I13',
    version: 1,
    kind: 'mirror',
    unit: 'ratio',
    subject: 'hs_partner_year',
    direction: 'higher_better',
    radFactor: 6,
    source: 'Fisman and Wei (2004), log form',
    alerts: true,
    formula: {
      gap: 'ln(X · c) − ln(M)',
      flows:
        'M = import (reporter = country), X = export (partner = country); re-exports and re-imports apart',
      factor: 1.1,
      threshold: 'ln 2',
      min_gap: 100000,
    },
  },
  {
    id: 'I14',
    version: 1,
    kind: 'mirror',
    unit: 'ratio',
    subject: 'hs_partner_year',
    direction: 'higher_better',
    radFactor: 6,
    source: 'Fisman and Wei (2004), quantities',
    alerts: false,
    formula: {
      gap: 'ln(Xq) − ln(Mq); same on net weight',
      excluded: 'estimated quantities or weights (flag ≠ 0), mixed units, one side missing',
    },
  },
  {
    id: 'I16',
    version: 1,
    kind: 'mirror',
    unit: 'currency',
    subject: 'hs_partner_year',
    direction: 'lower_better',
    radFactor: 6,
    source: 'Chalendard et al. (2016), Madagascar',
    alerts: false,
    formula: {
      loss: 'max(0, X · c − M) · t / 100',
      rate: 'duty rate (percent) of the longest matching HS prefix; unknown when none',
    },
  },
  // One regression over the cells (analytics.mirror.ts, elasticity), computed with the mirror table.
  {
    id: 'I15',
    version: 1,
    kind: 'mirror',
    unit: 'ratio',
    subject: 'hs_partner_year',
    direction: 'lower_better',
    radFactor: 6,
    source: 'Fisman and Wei (2004), evasion elasticity',
    alerts: false,
    formula: {
      model: 'G_k = α + β·t_k + γ·t̄_k + ε (OLS, one observation per two-sided cell with a rate)',
      rate: 't = duty rate / 100 of the longest matching HS prefix',
      similar: 't̄ = mean rate of the other HS6 lines of the same HS4 among the cells',
      simple: 'G_k = α + β·t_k over every cell with a rate',
    },
  },
  // Needs the declared side from a declarations version (a mirror run with declarationsVersionId).
  {
    id: 'I17',
    version: 1,
    kind: 'mirror',
    unit: 'currency',
    subject: 'actor',
    direction: 'lower_better',
    radFactor: 6,
    source: 'Grigoriou et al. (2019), gaps attributed to inspectors',
    alerts: true,
    formula: {
      declared:
        'M = Σ customs_value of the declarations by HS6 × origin (ISO → partner code) × year of registration',
      share: 'attributed gap = Σ_k (v_ak / M_k) · max(0, X_k · c − M_k) over two-sided cells k',
      gap: 'value-weighted log gap = Σ_k v_ak · G_k / Σ_k v_ak',
      actors: 'officer_id, declarant_id, importer_id; alerts on officers and declarants',
      threshold: 'value-weighted log gap ≥ threshold (ln 2) and attributed gap ≥ min_gap',
    },
  },
];

/** The indicators a run over a dataset of this kind computes. */
export const catalogueFor = (kind: string) =>
  CATALOGUE.filter((i) => (kind === 'trade' ? i.kind === 'mirror' : i.kind !== 'mirror'));

export const indicatorById = (id: string) => CATALOGUE.find((i) => i.id === id);

/** The hash of an indicator's definition (formula, unit, direction, subject): its identity. */
export function definitionHash(i: Indicator): string {
  const { id, kind, unit, subject, direction, formula } = i;
  return createHash('sha256')
    .update(JSON.stringify({ id, kind, unit, subject, direction, formula }))
    .digest('hex')
    .slice(0, 16);
}
