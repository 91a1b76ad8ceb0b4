import { ApiError } from '../../../web/api';
import type { ChannelT, FieldT, Texts } from './channels-queries';

// The channel being edited, as the editor holds it, and its way back to the API's body.

export interface Draft {
  name: Texts;
  intro: Texts;
  slug: string;
  languages: string[];
  retentionDays: number;
  ackDays: number;
  feedbackDays: number;
  recipients: string[];
  /** Second tier: reports choosing an option that escalates go to them instead. */
  escalationRecipients: string[];
  /** Step titles; steps.length is the number of steps (at least one). */
  steps: Texts[];
  fields: FieldT[];
}

export function fromChannel(c: ChannelT): Draft {
  const count = Math.max(c.steps.length, ...c.questionnaire.map((f) => f.step ?? 1), 1);
  return {
    name: { ...c.name },
    intro: { ...c.intro },
    slug: c.slug,
    languages: [...c.languages],
    retentionDays: c.retentionDays,
    ackDays: c.ackDays,
    feedbackDays: c.feedbackDays,
    recipients: [...c.recipients],
    escalationRecipients: [...c.escalationRecipients],
    steps: Array.from({ length: count }, (_, i) => ({ ...(c.steps[i] ?? {}) })),
    fields: c.questionnaire.map((f) => ({ ...f, step: f.step ?? 1 })),
  };
}

/** A text without its empty languages (the API refuses ''; a missing language is reported instead). */
export function clean(t: Texts | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(t ?? {})) if (v?.trim()) out[k] = v.trim();
  return out;
}

export function toBody(d: Draft, c: ChannelT) {
  const fields = d.fields.map((f) => {
    const help = clean(f.help);
    return {
      id: f.id,
      type: f.type,
      step: f.step,
      required: f.required,
      statistical: f.statistical,
      label: clean(f.label),
      ...(Object.keys(help).length ? { help } : {}),
      ...(f.options
        ? {
            options: f.options.map((o) => ({
              id: o.id,
              label: clean(o.label),
              ...(o.escalates ? { escalates: true } : {}),
            })),
          }
        : {}),
      ...(f.maxLength ? { maxLength: f.maxLength } : {}),
    };
  });
  return {
    version: c.version,
    name: clean(d.name),
    intro: clean(d.intro),
    ...(d.slug !== c.slug ? { slug: d.slug } : {}),
    languages: d.languages,
    retentionDays: d.retentionDays,
    ackDays: d.ackDays,
    feedbackDays: d.feedbackDays,
    recipients: d.recipients,
    escalationRecipients: d.escalationRecipients,
    steps: d.steps.map(clean),
    questionnaire: fields,
  };
}

export const isChoice = (type: string) => type === 'single' || type === 'multiple';
/** The contract's rule: only choices, offices and dates may be statistical. */
export const mayBeStatistical = (type: string) => isChoice(type) || type === 'office' || type === 'date';

/** Labels, help texts and options of a field lacking `lang` while another language has them. */
export function missingIn(f: FieldT, lang: string): number {
  const gap = (t: Texts | undefined) =>
    t && Object.values(t).some((v) => v?.trim()) && !t[lang]?.trim() ? 1 : 0;
  return (
    (f.label[lang]?.trim() ? 0 : 1) +
    gap(f.help) +
    (f.options ?? []).reduce((n, o) => n + (o.label[lang]?.trim() ? 0 : 1), 0)
  );
}

export function missingCount(d: Draft, lang: string): number {
  const gap = (t: Texts) => (Object.values(t).some((v) => v?.trim()) && !t[lang]?.trim() ? 1 : 0);
  return (
    (d.name[lang]?.trim() ? 0 : 1) +
    gap(d.intro) +
    d.steps.reduce((n, s) => n + gap(s), 0) +
    d.fields.reduce((n, f) => n + missingIn(f, lang), 0)
  );
}

/** A field id not used yet: `<type>_<n>`. */
export function freshId(fields: readonly FieldT[], base: string): string {
  const ids = new Set(fields.map((f) => f.id));
  for (let n = 1; ; n++) if (!ids.has(`${base}_${n}`)) return `${base}_${n}`;
}

/**
 * The problems of a refused save by path, without the `body.` prefix: `slug`,
 * `questionnaire.3.label`… (the API's 400 and 422 details).
 */
export function problemsByPath(err: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!(err instanceof ApiError) || !err.problem.errors) return out;
  for (const e of err.problem.errors) {
    const path = e.path
      .split(/[./]/)
      .filter(Boolean)
      .filter((p, i) => !(i === 0 && p === 'body'))
      .join('.');
    out.set(path, [...(out.get(path) ?? []), e.message]);
  }
  return out;
}

/** Messages at `prefix` or below it. */
export function problemsAt(problems: Map<string, string[]>, prefix: string): string[] {
  const out: string[] = [];
  for (const [p, ms] of problems)
    if (p === prefix || p.startsWith(`${prefix}.`))
      out.push(...ms.map((m) => (p === prefix ? m : `${p.slice(prefix.length + 1)}: ${m}`)));
  return out;
}
