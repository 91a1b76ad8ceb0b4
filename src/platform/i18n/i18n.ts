import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LOCALES = ['en', 'fr', 'es', 'ru', 'ar', 'pt'] as const;
export type Locale = (typeof LOCALES)[number];
export const RTL: ReadonlySet<Locale> = new Set(['ar']);

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../locales');

type Catalog = { [k: string]: string | Catalog };
const catalogs = new Map<Locale, Catalog>();

function catalog(locale: Locale): Catalog {
  let c = catalogs.get(locale);
  if (!c) {
    // server.json plus each module's server.<module>.json (one top-level key: the module's).
    c = {};
    const dir = path.join(LOCALES_DIR, locale);
    const files = fs.existsSync(dir)
      ? fs.readdirSync(dir).filter((f) => f === 'server.json' || /^server\.[\w-]+\.json$/.test(f))
      : [];
    for (const f of files.sort()) Object.assign(c, JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    catalogs.set(locale, c);
  }
  return c;
}

function lookup(c: Catalog, key: string): string | undefined {
  let cur: string | Catalog | undefined = c;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = cur[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function pluralCategory(locale: Locale, count: number): string {
  const rules = pluralRules.get(locale) ?? new Intl.PluralRules(locale);
  pluralRules.set(locale, rules);
  return rules.select(count);
}

function formatNumber(locale: Locale, n: number): string {
  const nf = numberFormats.get(locale) ?? new Intl.NumberFormat(locale);
  numberFormats.set(locale, nf);
  return nf.format(n);
}

/**
 * The string for `key` in one catalog. With a numeric `count`, the plural form of the
 * language as i18next picks it in the browser: `key_zero` for 0 if the catalog has one, else
 * `key_<CLDR category>` (`_one`, `_few`… by Intl.PluralRules), then `key_other`, then `key`.
 */
function text(locale: Locale, key: string, count: unknown): string | undefined {
  const c = catalog(locale);
  if (typeof count === 'number') {
    const form =
      (count === 0 ? lookup(c, `${key}_zero`) : undefined) ??
      lookup(c, `${key}_${pluralCategory(locale, count)}`) ??
      lookup(c, `${key}_other`);
    if (form !== undefined) return form;
  }
  return lookup(c, key);
}

/**
 * Server-side strings (errors, e-mails, PDFs, permission labels); English is the fallback.
 * `{{name}}` interpolates a variable; `{{name, number}}` writes a number the language's way
 * (12 345 in French), as i18next's built-in `number` format does in the browser.
 */
export function t(locale: Locale, key: string, vars: Record<string, string | number> = {}): string {
  const s = text(locale, key, vars.count) ?? text('en', key, vars.count) ?? key;
  return s.replace(/\{\{\s*(\w+)\s*(?:,\s*(\w+)\s*)?\}\}/g, (_, k: string, format?: string) => {
    const v = vars[k];
    if (v === undefined) return '';
    return format === 'number' && typeof v === 'number' ? formatNumber(locale, v) : String(v);
  });
}

export function isLocale(s: string | null | undefined): s is Locale {
  return !!s && (LOCALES as readonly string[]).includes(s);
}

/** The user's choice first, then the browser's Accept-Language, then English. */
export function negotiate(explicit: string | null | undefined, acceptLanguage: string | undefined): Locale {
  if (isLocale(explicit)) return explicit;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .slice(0, 20)
      .map((part) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.find((p) => p.trim().startsWith('q='));
        return {
          lang: tag.trim().toLowerCase().split('-')[0] ?? '',
          q: q ? Number(q.trim().slice(2)) || 0 : 1,
        };
      })
      .sort((a, b) => b.q - a.q);
    for (const { lang } of ranked) if (isLocale(lang)) return lang;
  }
  return 'en';
}
