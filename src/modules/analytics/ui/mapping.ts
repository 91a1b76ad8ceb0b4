import { ASSIGNMENTS, CHANNELS } from '../analytics.vocab';

/** A mapping as the wizard edits it: column → the file's header; code translations. */
export interface WizardMapping {
  columns: Record<string, string>;
  codes: Record<string, Record<string, string>>;
}

export const CODE_KINDS = ['channel', 'assignment', 'offence'] as const;
export type CodeKind = (typeof CODE_KINDS)[number];
/** The canonical values of each code, and the columns read through it. */
export const CODE_VALUES: Record<CodeKind, readonly string[]> = {
  channel: CHANNELS,
  assignment: ASSIGNMENTS,
  offence: ['0', '1'],
};
export const CODE_COLUMNS: Record<CodeKind, readonly string[]> = {
  channel: ['channel_system', 'channel_final'],
  assignment: ['assignment'],
  offence: ['offence'],
};
/** The code a column is read through (the inverse of CODE_COLUMNS). */
const CODE_OF: Record<string, CodeKind> = Object.fromEntries(
  CODE_KINDS.flatMap((kind) => CODE_COLUMNS[kind].map((column) => [column, kind])),
);

/** The file column a column is read from: the mapping's, else the file's column of the same name. */
export function sourceOf(column: string, header: readonly string[], m: WizardMapping): string | undefined {
  const src = m.columns[column];
  if (src) return header.includes(src) ? src : undefined;
  // As the import reads it: a column left without one is read from the column of its name.
  return header.includes(column) ? column : undefined;
}

/**
 * A value as the import reads it (analytics.import.ts): trimmed, empty as unknown; a code
 * translated by the mapping, channels and assignments otherwise lower-cased, an offence
 * lower-cased only when it has translations.
 */
export function mapValue(column: string, raw: string | null | undefined, m: WizardMapping): string | null {
  const x = raw?.trim() || null;
  const kind = CODE_OF[column];
  if (x === null || !kind) return x;
  const codes = m.codes[kind];
  if (codes && x in codes) return codes[x] as string;
  if (kind === 'offence' && !(codes && Object.keys(codes).length)) return x;
  return x.toLowerCase();
}

/** The preview's rows as they will be imported, one value per column of `targets`. */
export function mapRows(
  rows: (string | null)[][],
  header: readonly string[],
  targets: readonly string[],
  m: WizardMapping,
): (string | null)[][] {
  const at = targets.map((t) => {
    const src = sourceOf(t, header, m);
    return src === undefined ? -1 : header.indexOf(src);
  });
  return rows.map((row) =>
    targets.map((t, i) => (at[i] === -1 ? null : mapValue(t, row[at[i] as number], m))),
  );
}

/**
 * What the import would say of a mapped value at a glance: a required value missing, a code
 * outside its list. Dates, numbers and duplicates are for the validation to find.
 */
export function cellProblem(
  column: string,
  value: string | null,
  required: boolean,
): 'missing' | 'code' | null {
  if (value === null) return required ? 'missing' : null;
  const kind = CODE_OF[column];
  return kind && !CODE_VALUES[kind].includes(value) ? 'code' : null;
}

/** The distinct values the file's columns read through a code hold, among its first rows. */
export function codeValuesSeen(
  kind: CodeKind,
  header: readonly string[],
  values: Record<string, string[]>,
  m: WizardMapping,
): string[] {
  const out = new Set<string>();
  for (const col of CODE_COLUMNS[kind]) {
    const src = sourceOf(col, header, m);
    for (const v of (src && values[src]) || []) out.add(v);
  }
  return [...out].sort();
}

/** The mapping to send: only columns given a file column, only codes that translate something. */
export function cleanMapping(m: WizardMapping): WizardMapping {
  const codes: WizardMapping['codes'] = {};
  for (const [kind, map] of Object.entries(m.codes)) {
    const kept = Object.fromEntries(Object.entries(map).filter(([from, to]) => to && to !== from));
    if (Object.keys(kept).length) codes[kind] = kept;
  }
  return { columns: Object.fromEntries(Object.entries(m.columns).filter(([, v]) => !!v)), codes };
}
