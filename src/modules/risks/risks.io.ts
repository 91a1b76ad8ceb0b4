// The register as a table (XLSX or CSV), one row per risk, for export and import.
// Column layout (docs/adr/0012-risk-levels.md): stable English keys as headers, so a file
// exported in any language imports back. Columns marked computed are written for readers
// and ignored on import (recomputed from the ratings and the matrix).
import {
  ACCEPTANCE_STATES,
  CONTROL_EFFECTIVENESS,
  CONTROL_KINDS,
  RISK_SCHEMES,
  RISK_STATUSES,
  TREATMENTS,
  type AcceptanceState,
  type ControlEffectiveness,
  type ControlKind,
  type RiskScheme,
  type RiskStatus,
  type Treatment,
} from './risks.vocab.ts';
import { isIsoDate } from './risks.levels.ts';

export const COLUMNS = [
  { key: 'ref', header: 'ref' },
  { key: 'process', header: 'process' },
  { key: 'title', header: 'title' },
  { key: 'description', header: 'description' },
  { key: 'scheme', header: 'scheme' },
  { key: 'actors', header: 'actors' },
  { key: 'drivers', header: 'drivers' },
  { key: 'factors', header: 'factors' },
  { key: 'org_unit', header: 'org_unit' },
  { key: 'owner', header: 'owner' },
  { key: 'inherent_likelihood', header: 'inherent_likelihood' },
  { key: 'inherent_impact', header: 'inherent_impact' },
  { key: 'inherent_score', header: 'inherent_score' },
  { key: 'inherent_level', header: 'inherent_level' },
  { key: 'residual_likelihood', header: 'residual_likelihood' },
  { key: 'residual_impact', header: 'residual_impact' },
  { key: 'residual_score', header: 'residual_score' },
  { key: 'residual_level', header: 'residual_level' },
  { key: 'treatment', header: 'treatment' },
  { key: 'treatment_note', header: 'treatment_note' },
  { key: 'acceptance', header: 'acceptance' },
  { key: 'acceptance_note', header: 'acceptance_note' },
  { key: 'status', header: 'status' },
  { key: 'last_reviewed_on', header: 'last_reviewed_on' },
  { key: 'next_review_on', header: 'next_review_on' },
  { key: 'flags', header: 'flags' },
  { key: 'controls', header: 'controls' },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]['key'];
export const COMPUTED: ReadonlySet<ColumnKey> = new Set([
  'inherent_score',
  'inherent_level',
  'residual_score',
  'residual_level',
  'flags',
]);
const REQUIRED: ColumnKey[] = ['ref', 'title', 'scheme'];
/** Required too, except on a draft (whose owner has not completed it: the export writes them empty). */
const REQUIRED_PAST_DRAFT: ColumnKey[] = [
  'process',
  'inherent_likelihood',
  'inherent_impact',
  'residual_likelihood',
  'residual_impact',
];

export type Cell = string | number | null;
export type RegisterRow = Record<ColumnKey, Cell>;

export interface IoControl {
  description: string;
  kind: ControlKind;
  automated: boolean;
  effectiveness: ControlEffectiveness;
  lastTestedOn: string | null;
}

/** Controls as one cell: a JSON array with keys in a fixed order; no controls = empty cell. */
export const controlsCell = (controls: IoControl[]): string =>
  controls.length === 0
    ? ''
    : JSON.stringify(
        controls.map((c) => ({
          description: c.description,
          kind: c.kind,
          automated: c.automated,
          effectiveness: c.effectiveness,
          lastTestedOn: c.lastTestedOn,
        })),
      );

export interface ParsedRow {
  row: number;
  ref: string;
  processCode: string;
  title: string;
  description: string | null;
  scheme: RiskScheme;
  actors: string[];
  drivers: string | null;
  factors: number[];
  orgUnit: string | null;
  owner: string | null;
  /** Null only on a draft. */
  inherentLikelihood: number | null;
  inherentImpact: number | null;
  residualLikelihood: number | null;
  residualImpact: number | null;
  treatment: Treatment;
  treatmentNote: string | null;
  acceptance: AcceptanceState | null;
  acceptanceNote: string | null;
  status: RiskStatus;
  lastReviewedOn: string | null;
  nextReviewOn: string | null;
  controls: IoControl[];
}

export interface RowError {
  row: number;
  column: string | null;
  message: string;
}

const str = (v: unknown): string => {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
};
const opt = (v: unknown): string | null => str(v) || null;
const LIMITS: Partial<Record<ColumnKey, number>> = {
  ref: 40,
  title: 300,
  description: 5000,
  drivers: 2000,
  treatment_note: 2000,
  acceptance_note: 2000,
  controls: 100_000,
  actors: 2100,
};
const REF = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

/** Checks the header row: every non-computed column present once, nothing unknown. */
export function headerErrors(headers: string[]): RowError[] {
  const out: RowError[] = [];
  const known = new Set<string>(COLUMNS.map((c) => c.header));
  const seen = new Set<string>();
  for (const h of headers) {
    const k = h.trim();
    if (!k) continue;
    if (!known.has(k)) out.push({ row: 1, column: k, message: `unknown column "${k.slice(0, 60)}"` });
    if (seen.has(k)) out.push({ row: 1, column: k, message: `column "${k}" appears twice` });
    seen.add(k);
  }
  for (const c of COLUMNS)
    if (!COMPUTED.has(c.key) && !seen.has(c.header))
      out.push({ row: 1, column: c.header, message: `missing column "${c.header}"` });
  return out;
}

/** One data row → a parsed row, or every problem of the row. `row` is the sheet row number. */
export function parseRow(
  raw: Record<string, unknown>,
  row: number,
): { value?: ParsedRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const err = (column: ColumnKey | null, message: string) => errors.push({ row, column, message });
  const get = (k: ColumnKey) => str(raw[k]);
  for (const [k, max] of Object.entries(LIMITS) as [ColumnKey, number][])
    if (get(k).length > max) err(k, `longer than ${max} characters`);
  const status = get('status') || 'open';
  for (const k of REQUIRED) if (!get(k)) err(k, 'required');
  if (status !== 'draft') for (const k of REQUIRED_PAST_DRAFT) if (!get(k)) err(k, 'required');
  for (const k of Object.keys(raw))
    if (str(raw[k]).includes('\u0000')) err(k as ColumnKey, 'contains a NUL character');

  const ref = get('ref');
  if (ref && !REF.test(ref)) err('ref', 'letters, digits, . _ / - (at most 40)');
  const scheme = get('scheme');
  if (scheme && !(RISK_SCHEMES as readonly string[]).includes(scheme))
    err('scheme', `unknown scheme "${scheme.slice(0, 40)}" (one of ${RISK_SCHEMES.join(', ')})`);
  const int = (k: ColumnKey): number | null => {
    const s = get(k);
    if (!s) return null;
    if (!/^\d{1,2}$/.test(s)) {
      err(k, `"${s.slice(0, 20)}" is not a whole number`);
      return 0;
    }
    return Number(s);
  };
  const ratings = {
    inherentLikelihood: int('inherent_likelihood'),
    inherentImpact: int('inherent_impact'),
    residualLikelihood: int('residual_likelihood'),
    residualImpact: int('residual_impact'),
  };
  const factors: number[] = [];
  for (const part of get('factors')
    .split(/[,;\s]+/)
    .filter(Boolean)) {
    const n = /^\d{1,2}$/.test(part) ? Number(part) : Number.NaN;
    if (!(n >= 1 && n <= 10)) err('factors', `"${part.slice(0, 20)}" is not a RAD factor (1–10)`);
    else if (factors.includes(n)) err('factors', `factor ${n} is listed twice`);
    else factors.push(n);
  }
  const actors = get('actors')
    .split(';')
    .map((a) => a.trim())
    .filter(Boolean);
  if (actors.length > 20) err('actors', 'at most 20 actors');
  if (actors.some((a) => a.length > 100)) err('actors', 'an actor has at most 100 characters');
  const treatment = get('treatment') || 'reduce';
  if (!(TREATMENTS as readonly string[]).includes(treatment))
    err('treatment', `unknown treatment "${treatment.slice(0, 20)}" (one of ${TREATMENTS.join(', ')})`);
  const acceptance = get('acceptance') || null;
  if (acceptance && !(ACCEPTANCE_STATES as readonly string[]).includes(acceptance))
    err(
      'acceptance',
      `unknown acceptance "${acceptance.slice(0, 20)}" (one of ${ACCEPTANCE_STATES.join(', ')})`,
    );
  if (!(RISK_STATUSES as readonly string[]).includes(status))
    err('status', `unknown status "${status.slice(0, 20)}" (${RISK_STATUSES.join(', ')})`);
  const dateOf = (k: ColumnKey) => {
    const s = get(k);
    if (!s) return null;
    if (!isIsoDate(s)) {
      err(k, `"${s.slice(0, 20)}" is not a date YYYY-MM-DD`);
      return null;
    }
    return s;
  };
  const lastReviewedOn = dateOf('last_reviewed_on');
  const nextReviewOn = dateOf('next_review_on');
  if (lastReviewedOn && nextReviewOn && nextReviewOn < lastReviewedOn)
    err('next_review_on', `the next review (${nextReviewOn}) is before the last review (${lastReviewedOn})`);

  const controls: IoControl[] = [];
  const cc = get('controls');
  if (cc) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(cc);
    } catch {
      err('controls', 'not a JSON list of controls');
    }
    if (parsed !== undefined) {
      if (!Array.isArray(parsed) || parsed.length > 50) err('controls', 'a JSON list of at most 50 controls');
      else
        parsed.forEach((c: unknown, i) => {
          const o = (c ?? {}) as Record<string, unknown>;
          const p = `control ${i + 1}`;
          const keys = Object.keys(o).filter(
            (k) => !['description', 'kind', 'automated', 'effectiveness', 'lastTestedOn'].includes(k),
          );
          if (typeof c !== 'object' || c === null || Array.isArray(c)) {
            err('controls', `${p}: not an object`);
            return;
          }
          if (keys.length) err('controls', `${p}: unknown field ${keys[0]!.slice(0, 30)}`);
          const description = typeof o.description === 'string' ? o.description.trim() : '';
          if (!description || description.length > 1000)
            err('controls', `${p}: a description of 1–1000 characters`);
          if (!(CONTROL_KINDS as readonly unknown[]).includes(o.kind))
            err('controls', `${p}: kind is preventive or detective`);
          if (typeof o.automated !== 'boolean') err('controls', `${p}: automated is true or false`);
          if (!(CONTROL_EFFECTIVENESS as readonly unknown[]).includes(o.effectiveness))
            err('controls', `${p}: effectiveness is one of ${CONTROL_EFFECTIVENESS.join(', ')}`);
          const t = o.lastTestedOn ?? null;
          if (t !== null && (typeof t !== 'string' || !isIsoDate(t)))
            err('controls', `${p}: lastTestedOn is a date YYYY-MM-DD or null`);
          controls.push({
            description,
            kind: o.kind as ControlKind,
            automated: o.automated as boolean,
            effectiveness: o.effectiveness as ControlEffectiveness,
            lastTestedOn: (t as string | null) ?? null,
          });
        });
    }
  }
  if (errors.length) return { errors };
  return {
    errors,
    value: {
      row,
      ref,
      processCode: get('process'),
      title: get('title'),
      description: opt(raw.description),
      scheme: scheme as RiskScheme,
      actors,
      drivers: opt(raw.drivers),
      factors,
      orgUnit: opt(raw.org_unit),
      owner: opt(raw.owner)?.toLowerCase() ?? null,
      ...ratings,
      treatment: treatment as Treatment,
      treatmentNote: opt(raw.treatment_note),
      acceptance: acceptance as AcceptanceState | null,
      acceptanceNote: opt(raw.acceptance_note),
      status: status as RiskStatus,
      lastReviewedOn,
      nextReviewOn,
      controls,
    },
  };
}
