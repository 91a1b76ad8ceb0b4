import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { LOCALES, type Locale, t } from './i18n.ts';

// Counted words agree with their number in every language: the strings that count things are
// plural keys (`x_one`, `x_few`…, chosen by the language's CLDR rules from `count`), both in
// the browser (i18next) and on the server (t()). These tests render some of them the way each
// side does, and keep counts from sliding back into one-form strings.

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../locales');
const PLURAL = /_(zero|one|two|few|many|other)$/;
type Tree = { [k: string]: string | Tree };

function read(locale: string, file: string): Tree {
  return JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, locale, file), 'utf8')) as Tree;
}

function files(locale: string, ns: 'web' | 'server'): string[] {
  return fs
    .readdirSync(path.join(LOCALES_DIR, locale))
    .filter((f) => new RegExp(`^${ns}(\\.[\\w-]+)?\\.json$`).test(f))
    .sort();
}

function flatten(obj: Tree, prefix = '', out = new Map<string, string>()): Map<string, string> {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && k === '_meta') continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else flatten(v, key, out);
  }
  return out;
}

type Translate = (lng: string, key: string, vars: Record<string, unknown>) => string;

/** i18next as the web app sets it up: web.json and every web.<m>.json merged into `web` (likewise server). */
async function browser(ns: 'web' | 'server' = 'web'): Promise<Translate> {
  const i = i18next.createInstance();
  await i.init({
    lng: 'en',
    fallbackLng: 'en',
    ns: [ns],
    defaultNS: ns,
    interpolation: { escapeValue: false },
    resources: {},
  });
  for (const locale of LOCALES)
    for (const f of files(locale, ns)) i.addResourceBundle(locale, ns, read(locale, f), true, true);
  // Keys come from the lists here, not from the typed catalogs the web app checks at compile time.
  return (lng, key, vars) => i.t(key as never, { lng, ...vars } as never) as unknown as string;
}

/** Every key turned into plural forms (web catalogs and server catalogs), by catalog. */
const CONVERTED: Record<string, string[]> = {
  server: ['mail.reset.body', 'mail.invite.body'],
  'server.analytics': [
    'analytics.explain.high',
    'analytics.explain.low',
    'analytics.explain.pair',
    'analytics.explain.actor.officer',
    'analytics.explain.actor.declarant',
    'analytics.explain.actor.inCells',
    'analytics.cli.run_summary',
  ],
  'server.dashboard': [
    'dashboard.report.riskCount',
    'dashboard.report.planActions',
    'dashboard.report.planDone',
    'dashboard.report.planOverdue',
  ],
  'server.declarations': [
    'declarations.summary.asset',
    'declarations.days',
    'declarations.flags.gift_repeated_giver',
    'declarations.flags.related_party_handled',
  ],
  'server.reports': [
    'reports.page.max_chars',
    'reports.page.attachments_help',
    'reports.page.receipt_label',
    'reports.page.errors.text',
    'reports.page.errors.file_count',
    'reports.page.errors.file_count_report',
  ],
  web: [
    'validation.passwordLength',
    'validation.passwordTooLong',
    'validation.passwordVariety',
    'validation.minLength',
  ],
  'web.analytics': [
    'analytics.datasets.importedRows',
    'analytics.datasets.rejectedRows',
    'analytics.import.summary',
    'analytics.import.validRows',
    'analytics.mirror.sum.unknownRate',
    'analytics.mirror.sum.mirrorOnlyNote',
    'analytics.mirror.shown',
    'analytics.mirror.declaredSummary',
    'analytics.mirror.unmatched',
    'analytics.mirror.unmatchedOne',
    'analytics.mirror.actors.shown',
    'analytics.mirror.elasticity.cells',
    'analytics.people.declarations',
    'analytics.people.overall',
    'analytics.pairs.summary',
    'analytics.pairs.among',
    'analytics.pairs.tested',
    'analytics.pairs.showing',
  ],
  'web.assessments': [
    'assessments.itemsProgress',
    'assessments.benchmarkDescription',
    'assessments.benchmarkSuppressed',
  ],
  'web.conduct': ['conduct.campaignCreated'],
  'web.dashboard': ['dashboard.delta'],
  'web.declarations': [
    'declarations.minCellNote',
    'declarations.suppressed',
    'declarations.scanDone',
    'declarations.rowsTotal',
  ],
  'web.learning': [
    'learning.stepsDone',
    'learning.quizRules',
    'learning.campaignCreated',
    'learning.enrolNewcomersDone',
  ],
  'web.postings': ['postings.months'],
  'web.reports': ['reports.channels.retentionValue', 'reports.channels.withinDays'],
  'web.risks': [
    'risks.heatmap.cellLabel',
    'risks.heatmap.cellTitle',
    'risks.import.created',
    'risks.import.updated',
    'risks.import.unchanged',
  ],
  'web.surveys': [
    'surveys.invitedResult',
    'surveys.alreadyInvited',
    'surveys.remindedResult',
    'surveys.resultsIntro',
    'surveys.tooFew',
    'surveys.suppressedHelp',
    'surveys.paper.entered',
  ],
};

describe('plural forms', () => {
  it('the strings that count things are plural keys in all six languages, with no one-form copy left', () => {
    for (const [catalog, keys] of Object.entries(CONVERTED))
      for (const locale of LOCALES) {
        const flat = flatten(read(locale, `${catalog}.json`));
        const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
        for (const key of keys) {
          assert.ok(!flat.has(key), `${locale}/${catalog}: ${key} is still a single string`);
          for (const c of categories) assert.ok(flat.has(`${key}_${c}`), `${locale}/${catalog}: ${key}_${c}`);
        }
      }
  });

  it('no string writes {{count}} before a word unless it is a plural form (count picks the form)', () => {
    for (const locale of LOCALES)
      for (const f of [...files(locale, 'web'), ...files(locale, 'server')])
        for (const [key, s] of flatten(read(locale, f)))
          if (!PLURAL.test(key))
            assert.doesNotMatch(s, /\{\{\s*count\s*(,[^}]*)?\}\}\s+\p{L}/u, `${locale}/${f}: ${key}`);
  });

  it('no string hedges a plural with "(s)" — plural keys say it for each number', () => {
    for (const locale of LOCALES)
      for (const f of [...files(locale, 'web'), ...files(locale, 'server')])
        for (const [key, s] of flatten(read(locale, f)))
          assert.doesNotMatch(s, /\p{L}\((s|es|x|ات)\)/u, `${locale}/${f}: ${key}: ${s}`);
  });

  it('the browser (i18next) writes 0, 1 and 2 with the right words in English and French', async () => {
    const tr = await browser();
    const flags = (lng: string, count: number) => tr(lng, 'declarations.scanDone', { count });
    assert.equal(flags('en', 0), '0 new flags from the declaration data.');
    assert.equal(flags('en', 1), '1 new flag from the declaration data.');
    assert.equal(flags('en', 2), '2 new flags from the declaration data.');
    // French counts 0 as singular.
    assert.equal(flags('fr', 0), '0 nouvelle alerte issue des données de déclarations.');
    assert.equal(flags('fr', 1), '1 nouvelle alerte issue des données de déclarations.');
    assert.equal(flags('fr', 2), '2 nouvelles alertes issues des données de déclarations.');

    const unmatched = (lng: string, count: number) => tr(lng, 'analytics.mirror.unmatched', { count });
    assert.match(unmatched('en', 1), /^1 declaration has an origin /);
    assert.match(unmatched('en', 2), /^2 declarations have an origin /);
    assert.match(unmatched('fr', 0), /^0 déclaration a une origine /);
    assert.match(unmatched('fr', 1), /^1 déclaration a une origine /);
    assert.match(unmatched('fr', 2), /^2 déclarations ont une origine /);

    // {{count, number}} writes the number the language's way; French takes "de" after a million.
    const declared = (lng: string, count: number) =>
      tr(lng, 'analytics.mirror.declaredSummary', { count, years: '2025' });
    assert.equal(declared('en', 12345), 'Declared side: 12,345 declarations, years 2025.');
    assert.equal(declared('en', 1), 'Declared side: 1 declaration, years 2025.');
    assert.match(declared('fr', 12345), /^Côté déclaré : 12\s345 déclarations, années 2025\.$/);
    assert.match(declared('fr', 1_000_000), /^Côté déclaré : 1\s000\s000 de déclarations, années 2025\.$/);

    const people = (lng: string, count: number) => tr(lng, 'learning.campaignCreated', { count });
    assert.equal(people('en', 1), 'Campaign created; 1 person enrolled.');
    assert.equal(people('en', 2), 'Campaign created; 2 people enrolled.');
    assert.equal(people('fr', 1), 'Campagne créée ; 1 personne inscrite.');
    assert.equal(people('fr', 2), 'Campagne créée ; 2 personnes inscrites.');

    // A sentence with two counts: each phrase agrees with its own number.
    const imported = (lng: string, created: number, updated: number) =>
      tr(lng, 'risks.import.done', {
        created: tr(lng, 'risks.import.created', { count: created }),
        updated: tr(lng, 'risks.import.updated', { count: updated }),
        unchanged: tr(lng, 'risks.import.unchanged', { count: 0 }),
      });
    assert.equal(imported('fr', 1, 2), 'Importé : 1 nouveau, 2 remplacés, 0 inchangé.');
    assert.equal(imported('en', 1, 2), 'Imported: 1 new, 2 replaced, 0 unchanged.');
  });

  it('the browser follows Russian and Arabic rules (1, 2–4, 5–20, 21…; zero, dual, few, many)', async () => {
    const tr = await browser();
    const risks = (lng: string, count: number) =>
      tr(lng, 'risks.heatmap.cellTitle', { count, kind: 'K', l: 1, i: 2 });
    assert.deepEqual(
      [1, 2, 5, 21, 22, 25].map((n) => risks('ru', n)),
      [
        'K 1 × 2: 1 риск',
        'K 1 × 2: 2 риска',
        'K 1 × 2: 5 рисков',
        'K 1 × 2: 21 риск',
        'K 1 × 2: 22 риска',
        'K 1 × 2: 25 рисков',
      ],
    );
    assert.deepEqual(
      [0, 1, 2, 3, 11, 100].map((n) => risks('ar', n)),
      [
        'K 1 × 2: لا مخاطر',
        'K 1 × 2: خطر واحد',
        'K 1 × 2: خطران',
        'K 1 × 2: 3 مخاطر',
        'K 1 × 2: 11 خطرًا',
        'K 1 × 2: 100 خطر',
      ],
    );
  });

  it('the server (t) writes every server string as i18next does in the browser, plural forms included', async () => {
    // The browser shows server strings too (error codes, roles): both sides must agree.
    const tr = await browser('server');
    let compared = 0;
    for (const locale of LOCALES) {
      const forms = new Map<string, string[]>();
      for (const f of files(locale, 'server'))
        for (const [key, s] of flatten(read(locale, f))) {
          const base = key.replace(PLURAL, '');
          forms.set(base, [...(forms.get(base) ?? []), s]);
        }
      for (const [key, strings] of forms) {
        const vars: Record<string, string | number> = {};
        for (const s of strings)
          for (const m of s.matchAll(/\{\{\s*(\w+)/g)) if (m[1] !== 'count') vars[m[1]!] = `<${m[1]}>`;
        for (const count of [0, 1, 2, 3, 5, 11, 21, 100, 102, 1.5, 12345]) {
          assert.equal(
            t(locale, key, { ...vars, count }),
            tr(locale, key, { ...vars, count }),
            `${locale}: ${key}`,
          );
          compared++;
        }
      }
    }
    assert.ok(compared > 1000, `${compared} strings compared`);
  });

  it('the server (t) picks the same forms for PDFs, e-mails and flags', () => {
    const days = (locale: Locale, count: number) => t(locale, 'declarations.days', { count });
    assert.deepEqual(
      [0, 1, 2].map((n) => days('en', n)),
      ['0 days', '1 day', '2 days'],
    );
    assert.deepEqual(
      [0, 1, 2].map((n) => days('fr', n)),
      ['0 jour', '1 jour', '2 jours'],
    );
    assert.deepEqual(
      [1, 3, 5, 21].map((n) => days('ru', n)),
      ['1 день', '3 дня', '5 дней', '21 день'],
    );
    assert.equal(t('en', 'dashboard.report.riskCount', { count: 1 }), '1 open risk in the register.');
    assert.equal(t('en', 'dashboard.report.riskCount', { count: 2 }), '2 open risks in the register.');
    assert.equal(t('fr', 'dashboard.report.riskCount', { count: 0 }), '0 risque ouvert dans le registre.');
    assert.equal(t('fr', 'dashboard.report.riskCount', { count: 2 }), '2 risques ouverts dans le registre.');
    // {{count, number}} on the server too.
    assert.equal(t('en', 'analytics.explain.actor.inCells', { count: 12345 }), 'in 12,345 cells');
    assert.match(t('fr', 'analytics.explain.actor.inCells', { count: 12345 }), /^dans 12\s345 cellules$/);
    assert.equal(t('fr', 'analytics.explain.actor.inCells', { count: 1 }), 'dans 1 cellule');
  });
});
