import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { Template } from './surveys.contract.ts';

export const TEMPLATES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'templates');

/** Parses and validates a template file; throws with every problem listed. */
export function parseTemplate(text: string, file = 'template'): Template {
  const parsed = Template.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  const t = parsed.data;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const q of t.questions) {
    if (ids.has(q.id)) problems.push(`question ${q.id} appears twice`);
    ids.add(q.id);
    for (const lang of t.languages) {
      if (!q.text[lang]) problems.push(`question ${q.id}: no ${lang} text`);
      for (const o of q.options ?? [])
        if (!o.text[lang]) problems.push(`question ${q.id} option ${o.id}: no ${lang} text`);
    }
  }
  for (const lang of t.languages) {
    if (!t.title[lang]) problems.push(`title: no ${lang} text`);
    if (!t.summary[lang]) problems.push(`summary: no ${lang} text`);
  }
  if (problems.length) throw new Error(`${file}: ${problems.join('; ')}`);
  return t;
}

let cache: Template[] | null = null;

/** The shipped templates (templates/*.yaml), read once. */
export function templates(dir = TEMPLATES_DIR): Template[] {
  if (cache && dir === TEMPLATES_DIR) return cache;
  const list = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => parseTemplate(fs.readFileSync(path.join(dir, f), 'utf8'), f));
  if (dir === TEMPLATES_DIR) cache = list;
  return list;
}

/** The text in this language, else the survey's first language. */
export const pick = (text: Record<string, string>, lang: string, langs: string[]) =>
  text[lang] ?? text[langs[0] ?? 'en'] ?? Object.values(text)[0] ?? '';
export const surveyLanguage = (locale: string, langs: string[]) =>
  langs.includes(locale) ? locale : (langs[0] ?? 'en');
