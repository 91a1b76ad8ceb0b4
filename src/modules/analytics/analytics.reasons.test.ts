import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LOCALES, t } from '../../platform/i18n/i18n.ts';
import { ISSUE_REASONS } from './analytics.vocab.ts';

// What a rejected row's reason says, in the wizard's report (web) and the CLI's (server): the
// same words, and for dates and numbers what is accepted — not just "not a date".
const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../locales');
const reasons = (locale: string, file: string) =>
  JSON.parse(fs.readFileSync(path.join(LOCALES_DIR, locale, file), 'utf8')).analytics.reason as Record<
    string,
    string
  >;

describe('import validation reasons in words', () => {
  it('every reason has a text in every language, the same for the web and the CLI', () => {
    for (const locale of LOCALES) {
      const web = reasons(locale, 'web.analytics.json');
      assert.deepEqual(Object.keys(web).sort(), [...ISSUE_REASONS].sort(), locale);
      assert.deepEqual(reasons(locale, 'server.analytics.json'), web, `${locale}: server = web`);
      for (const r of ISSUE_REASONS) assert.equal(t(locale, `analytics.reason.${r}`), web[r]);
    }
  });

  it('a bad date says ISO 8601 and the range 1900-01-01 to 2100-12-31; a bad number that NaN, inf and 1e400 are refused', () => {
    for (const locale of LOCALES) {
      const web = reasons(locale, 'web.analytics.json');
      for (const part of ['ISO 8601', '1900-01-01', '2100-12-31', '14:00'])
        assert.ok(web.bad_date?.includes(part), `${locale} bad_date: ${part}`);
      for (const part of ['NaN', 'inf', '1e400'])
        assert.ok(web.bad_number?.includes(part), `${locale} bad_number: ${part}`);
    }
  });

  it('translated: no language but English reads the English texts', () => {
    const en = reasons('en', 'web.analytics.json');
    for (const locale of LOCALES.filter((l) => l !== 'en')) {
      const web = reasons(locale, 'web.analytics.json');
      const same = ISSUE_REASONS.filter((r) => web[r] === en[r]);
      assert.deepEqual(same, [], `${locale}: still in English`);
    }
  });
});
