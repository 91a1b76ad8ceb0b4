import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOCALES, type Locale, negotiate, t } from './i18n.ts';
import { ERROR_CODES } from '../errors.ts';
import { BUILT_IN_ROLES, PermissionRegistry } from '../access/permissions.ts';
import { MODULES } from '../../modules.ts';

// Catalog consistency: every language has the same keys and placeholders as English,
// and every error code, permission and role the server can show has a label.

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../locales');
/** server.json and web.json, plus each module's own `server.<m>.json` / `web.<m>.json`. */
const CATALOGS = fs
  .readdirSync(path.join(LOCALES_DIR, 'en'))
  .filter((f) => /^(server|web)(\.[\w-]+)?\.json$/.test(f))
  .map((f) => f.slice(0, -'.json'.length))
  .sort();
type CatalogName = string;
type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const MACHINE: readonly Locale[] = ['es', 'ru', 'pt', 'ar'];
const REVIEWED: readonly Locale[] = ['en', 'fr'];
const PLURAL = /_(zero|one|two|few|many|other)$/;
/** Placeholders that carry the number itself (`formatted` is the count, localised). */
const NUMBER = new Set(['count', 'formatted']);

function load(locale: Locale, name: CatalogName): Record<string, Json> {
  const file = path.join(LOCALES_DIR, locale, `${name}.json`);
  assert.ok(fs.existsSync(file), `missing ${path.relative(LOCALES_DIR, file)}`);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Json;
  assert.ok(
    parsed && typeof parsed === 'object' && !Array.isArray(parsed),
    `${locale}/${name}.json is not an object`,
  );
  return parsed;
}

/** Leaf values by dotted key, without `_meta`. */
function flatten(obj: Record<string, Json>, prefix = '', out = new Map<string, Json>()): Map<string, Json> {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && k === '_meta') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

/** `{{name}}` and `{{name, number}}` both name the variable `name`. */
function placeholders(s: Json | undefined): Set<string> {
  return new Set(
    typeof s === 'string' ? [...s.matchAll(/\{\{\s*(\w+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1]!) : [],
  );
}

/** Keys grouped by base key: `x_one`, `x_other`… are forms of `x` (i18next in the browser, t() on the server). */
function group(flat: Map<string, Json>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const key of flat.keys()) {
    const base = key.replace(PLURAL, '');
    out.set(base, [...(out.get(base) ?? []), key]);
  }
  return out;
}

const isPlural = (forms: string[]) => forms.some((k) => PLURAL.test(k));
const sorted = (s: Iterable<string>) => [...s].sort();

function meta(locale: Locale, name: CatalogName): Json | undefined {
  const m = load(locale, name)._meta;
  return m && typeof m === 'object' && !Array.isArray(m) ? m.quality : undefined;
}

/** Direct lookup, without t()'s English fallback. */
function lookup(locale: Locale, name: CatalogName, key: string): Json | undefined {
  return flatten(load(locale, name)).get(key);
}

describe('translation catalogs', () => {
  for (const name of CATALOGS) {
    const en = flatten(load('en', name));
    const enGroups = group(en);

    it(`English ${name}.json is not empty and has only non-empty strings`, () => {
      assert.ok(en.size > 0);
      for (const [k, v] of en) assert.ok(typeof v === 'string' && v.trim() !== '', `en ${name}: ${k}`);
    });

    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      it(`${locale}/${name}.json has the same keys as English`, () => {
        const flat = flatten(load(locale, name));
        for (const [k, v] of flat)
          assert.ok(typeof v === 'string' && v.trim() !== '', `${locale} ${name}: ${k}`);
        const groups = group(flat);
        const missing = sorted([...enGroups.keys()].filter((k) => !groups.has(k)));
        const extra = sorted([...groups.keys()].filter((k) => !enGroups.has(k)));
        assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${locale}/${name}.json`);
        for (const [base, forms] of groups) {
          assert.equal(
            isPlural(forms),
            isPlural(enGroups.get(base)!),
            `${locale} ${name}: ${base} plural or not`,
          );
        }
      });

      it(`${locale}/${name}.json keeps the English {{placeholders}}`, () => {
        const flat = flatten(load(locale, name));
        for (const [base, forms] of group(flat)) {
          const enForms = enGroups.get(base);
          if (!enForms) continue; // reported by the key test
          if (!isPlural(forms)) {
            assert.deepEqual(
              sorted(placeholders(flat.get(base))),
              sorted(placeholders(en.get(base))),
              `${locale} ${name}: ${base}`,
            );
            continue;
          }
          // Plural forms: a form may spell out the number ("عضو واحد") and drop {{count}} or
          // {{formatted}}, but it may not drop any other placeholder nor invent one; the `_other`
          // form keeps them all.
          const enAll = new Set(enForms.flatMap((k) => [...placeholders(en.get(k))]));
          const enOther = placeholders(en.get(`${base}_other`));
          for (const form of forms) {
            const got = placeholders(flat.get(form));
            const want = form.endsWith('_other')
              ? enOther
              : new Set([...enAll].filter((p) => !NUMBER.has(p)));
            for (const p of got) assert.ok(enAll.has(p), `${locale} ${name}: ${form} has unknown {{${p}}}`);
            for (const p of want) assert.ok(got.has(p), `${locale} ${name}: ${form} lacks {{${p}}}`);
          }
        }
      });
    }

    it(`${name}.json plurals have every plural category of the language`, () => {
      for (const locale of LOCALES) {
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const [base, forms] of group(flatten(load(locale, name)))) {
          if (!isPlural(forms)) continue;
          for (const c of categories) assert.ok(forms.includes(`${base}_${c}`), `${locale}: ${base}_${c}`);
        }
      }
    });
  }

  it("a module's catalog holds one top-level key, its module's, so modules never overwrite each other", () => {
    for (const name of CATALOGS.filter((n) => n.includes('.'))) {
      const mod = name.split('.')[1]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
      for (const locale of LOCALES) {
        const keys = Object.keys(load(locale, name)).filter((k) => k !== '_meta');
        assert.deepEqual(keys, [mod], `${locale}/${name}.json`);
      }
    }
  });

  it('English and French are reviewed; es, ru, pt and ar are marked as machine translations', () => {
    for (const name of CATALOGS) {
      for (const locale of REVIEWED) assert.notEqual(meta(locale, name), 'machine', `${locale}/${name}.json`);
      for (const locale of MACHINE) assert.equal(meta(locale, name), 'machine', `${locale}/${name}.json`);
    }
    assert.deepEqual(sorted([...REVIEWED, ...MACHINE]), sorted(LOCALES), 'every locale is classified');
  });

  it('every error code has a message in English and French', () => {
    for (const code of Object.keys(ERROR_CODES)) {
      for (const locale of REVIEWED) {
        const s = lookup(locale, 'server', `errors.${code}`);
        assert.ok(typeof s === 'string' && s !== '', `${locale}: errors.${code}`);
      }
    }
  });

  it('every registered permission and every built-in role has a label in English and French', () => {
    const registry = new PermissionRegistry();
    for (const m of MODULES) if (m.permissions) registry.register(m.permissions);
    const ids = registry.all().map((p) => p.id);
    assert.ok(ids.length > 0, 'modules register permissions');
    const keys = [...ids.map((id) => `permissions.${id}`), ...BUILT_IN_ROLES.map((r) => `roles.${r}`)];
    for (const key of keys) {
      assert.notEqual(t('en', key), key, `en: ${key}`);
      const fr = lookup('fr', 'server', key);
      assert.ok(typeof fr === 'string' && fr !== '', `fr: ${key}`);
    }
  });
});

describe('negotiate', () => {
  it('an explicit, valid choice wins over the browser', () => {
    assert.equal(negotiate('ru', 'fr-CH, en;q=0.8'), 'ru');
    assert.equal(negotiate('ar', undefined), 'ar');
  });

  it('an unknown explicit choice falls through to Accept-Language', () => {
    assert.equal(negotiate('xx', 'pt-BR'), 'pt');
    assert.equal(negotiate(null, 'es'), 'es');
    assert.equal(negotiate('', 'es'), 'es');
  });

  it('takes the best-ranked supported language from Accept-Language', () => {
    assert.equal(negotiate(undefined, 'fr-CH, en;q=0.8'), 'fr');
    assert.equal(negotiate(undefined, 'de, ar;q=0.5'), 'ar');
    assert.equal(negotiate(undefined, 'en;q=0.2, ru;q=0.9'), 'ru');
    assert.equal(negotiate(undefined, 'FR-ca'), 'fr');
  });

  it('falls back to English', () => {
    assert.equal(negotiate(undefined, 'xx'), 'en');
    assert.equal(negotiate(undefined, ''), 'en');
    assert.equal(negotiate(undefined, undefined), 'en');
    assert.equal(negotiate(null, 'de-DE, it;q=0.5'), 'en');
  });

  it('does not throw on malformed headers', () => {
    const bad = [
      ',,,',
      ';;;',
      'q=',
      ';q=abc',
      'fr;q=',
      'fr;q=abc, ',
      '*',
      '\u0000\uffff',
      ' ; ; , ;q=1',
      'a,'.repeat(10_000),
    ];
    for (const header of bad) {
      const got = negotiate(undefined, header);
      assert.ok(
        (LOCALES as readonly string[]).includes(got),
        `${JSON.stringify(header.slice(0, 20))} → ${got}`,
      );
    }
  });
});

describe('t', () => {
  it('interpolates {{placeholders}}', () => {
    const body = t('en', 'mail.reset.body', { name: 'Amina', count: 60, link: 'https://x.test/r/1' });
    assert.match(body, /^Hello Amina,\n/);
    assert.ok(body.includes('within 60 minutes'));
    assert.ok(body.includes('\nhttps://x.test/r/1\n'));
    assert.ok(!body.includes('{{'), body);
    assert.equal(
      t('fr', 'mail.invite.subject', { organisation: 'Douane' }),
      'Vous êtes invité·e à rejoindre Douane sur Arusha',
    );
  });

  it('picks the plural form of the language from a numeric count, as i18next does in the browser', () => {
    const invite = (locale: Locale, count: number) =>
      t(locale, 'mail.invite.body', { organisation: 'Douane', link: 'https://x.test/i/1', count });
    assert.ok(invite('en', 1).includes('within 1 day to accept'), invite('en', 1));
    assert.ok(invite('en', 7).includes('within 7 days to accept'), invite('en', 7));
    assert.ok(invite('fr', 1).includes('dans un délai de 1 jour pour'), invite('fr', 1));
    assert.ok(invite('fr', 7).includes('dans les 7 jours pour'), invite('fr', 7));
    // Russian: 1 and 21 take one form, 2–4 another, 5–20 a third.
    assert.ok(invite('ru', 21).includes('в течение 21 дня'), invite('ru', 21));
    assert.ok(invite('ru', 3).includes('в течение 3 дней'), invite('ru', 3));
    assert.ok(invite('ru', 7).includes('в течение 7 дней'), invite('ru', 7));
    // Arabic has a dual.
    assert.ok(invite('ar', 2).includes('خلال يومين'), invite('ar', 2));
    for (const locale of LOCALES) {
      assert.ok(invite(locale, 7).includes('https://x.test/i/1'), `${locale}: other placeholders kept`);
      assert.ok(!invite(locale, 7).includes('{{'), locale);
    }
    // A language without the key gets English, with English plural rules.
    assert.equal(
      t('xx' as Locale, 'mail.invite.body', { count: 1 }),
      t('en', 'mail.invite.body', { count: 1 }),
    );
  });

  it('replaces a missing variable with nothing', () => {
    assert.equal(t('en', 'mail.invite.subject'), 'You are invited to  on Arusha');
  });

  it('uses the language’s own string when it has one', () => {
    const ar = lookup('ar', 'server', 'errors.NOT_FOUND');
    assert.equal(typeof ar, 'string');
    assert.equal(t('ar', 'errors.NOT_FOUND'), ar);
    assert.notEqual(t('ar', 'errors.NOT_FOUND'), t('en', 'errors.NOT_FOUND'));
    assert.equal(t('en', 'errors.NOT_FOUND'), 'Not found');
  });

  it('falls back to English, then to the key', () => {
    // A locale without a catalog file exercises the English fallback.
    assert.equal(t('xx' as Locale, 'errors.NOT_FOUND'), 'Not found');
    // Any key a catalog lacks today must come out in English.
    const en = flatten(load('en', 'server'));
    for (const locale of LOCALES) {
      const own = flatten(load(locale, 'server'));
      for (const [k, v] of en) if (!own.has(k)) assert.equal(t(locale, k), v, `${locale}: ${k}`);
    }
    assert.equal(t('fr', 'no.such.key'), 'no.such.key');
    assert.equal(t('ar', 'errors'), 'errors', 'a branch is not a string');
  });
});
