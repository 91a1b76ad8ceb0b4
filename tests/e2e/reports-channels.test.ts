// The channel administration of issue 4: the integrity officer opens the demo "Report
// corruption" channel, adds a step and a required single-choice field labelled in English and
// French, marks it statistical and saves; after a reload the builder shows it, and the public
// questionnaire (the API the reporter's page reads) offers it with its French labels. A save over
// a concurrent edit shows the conflict message, and saves after a reload. axe-core checks both
// pages; screenshots in English and in right-to-left Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  checkA11y,
  journey,
  orderedSteps,
  saveLocale,
  screenshot,
  settle,
  unexpectedErrors,
} from './support.ts';

const OFFICER = 'integrity@norland.demo';
const LABEL = { en: 'May we contact you again?', fr: 'Pouvons-nous vous recontacter ?' };
const OPTIONS = { en: ['Yes', 'No'], fr: ['Oui', 'Non'] };

interface Channel {
  id: string;
  slug: string;
  path: string;
  version: number;
  questionnaire: {
    id: string;
    type: string;
    required: boolean;
    statistical: boolean;
    step: number;
    options?: { id: string }[];
  }[];
}

describe('reporting channels: questionnaire builder', { timeout: 600_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  let channel: Channel;
  const it = orderedSteps('reports-channels', () => page);
  const api = async <T>(path: string, method = 'GET', data?: unknown): Promise<T> => {
    const res = await page.request.fetch(`${app.base}${path}`, {
      method,
      headers: { 'x-requested-with': 'arusha' },
      ...(data ? { data } : {}),
    });
    assert.ok(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const channels = async () => (await api<{ items: Channel[] }>('/api/reports/channels')).items;
  /** The field card being built: the last one of step 4. */
  const card = (): Locator => page.getByTestId('step-4').getByTestId('field-card').last();

  it('the integrity officer sees the demo channel with its public address', async () => {
    const { page: p, watch } = await app.signIn(OFFICER, { viewport: { width: 1440, height: 900 } });
    page = p;
    await page.goto(`${app.base}/reports/channels`);
    await settle(page, 'Reporting channels');
    channel = (await channels()).find((c) => c.slug === 'report')!;
    assert.ok(channel, 'the demo channel exists');
    const row = page.getByTestId('channel-row-report');
    assert.equal(await row.getByTestId('channel-url').textContent(), `${app.base}${channel.path}`);
    await row.getByText('Open', { exact: true }).waitFor();
    await checkA11y(page, 'channels list');
    await screenshot(page, 'reports-channels-list-en');
    assert.deepEqual(unexpectedErrors(watch), []);
  });

  it('opens the editor: settings, three steps of the customs questionnaire, a preview', async () => {
    await page.getByRole('link', { name: 'Report corruption' }).click();
    await page.waitForURL(`${app.base}/reports/channels/${channel.id}`);
    await settle(page, 'Report corruption');
    await page.getByTestId('step-3').waitFor();
    assert.equal(await page.getByTestId('step-4').count(), 0);
    // Fields are folded to one line each until opened.
    assert.equal(await page.getByTestId('field-card').count(), channel.questionnaire.length);
    assert.equal(await page.getByTestId('field-label').count(), 0);
    await page.getByTestId('field-card').first().getByTestId('field-toggle').click();
    assert.equal(await page.getByTestId('field-label').inputValue(), 'What happened?');
    await page.getByTestId('channel-preview').getByText('What happened?').waitFor();
    await checkA11y(page, 'channel editor');
    await screenshot(page, 'reports-channels-editor-en');
    await screenshot(page, 'reports-channels-editor-en-top', false);
  });

  it('adds a step and a required, statistical single-choice field in English and French', async () => {
    await page.getByTestId('add-step').click();
    await page.getByTestId('step-title-4').fill('Consent');
    await page.getByTestId('add-field-4').click();
    await card().getByTestId('field-id').fill('contact_ok');
    await card().getByTestId('field-type').selectOption('single');
    await card().getByTestId('field-label').fill(LABEL.en);
    const options = card().getByTestId('option-label');
    assert.equal(await options.count(), 2);
    await options.nth(0).fill(OPTIONS.en[0]!);
    await options.nth(1).fill(OPTIONS.en[1]!);
    await card().getByRole('switch', { name: 'Required' }).check();
    await card().getByRole('switch', { name: 'Statistical' }).check();
    // French: the tab is marked while texts are missing in it.
    const fr = page.getByTestId('lang-tab-fr');
    assert.match((await fr.textContent()) ?? '', /\d/);
    await fr.click();
    await page.getByTestId('step-title-4').fill('Consentement');
    await card().getByTestId('field-label').fill(LABEL.fr);
    await card().getByTestId('option-label').nth(0).fill(OPTIONS.fr[0]!);
    await card().getByTestId('option-label').nth(1).fill(OPTIONS.fr[1]!);
    await page.getByTestId('channel-dirty').waitFor();
    // The preview follows the step being edited, in the tab's language, words around it included.
    const preview = page.getByTestId('channel-preview');
    await preview.getByText('Étape 4 sur 4').waitFor();
    await preview.getByRole('radio', { name: OPTIONS.fr[0] }).waitFor();
    await card().scrollIntoViewIfNeeded();
    await screenshot(page, 'reports-channels-builder-fr', false);
    await page.getByTestId('channel-save').click();
    await page.getByText('Channel saved').first().waitFor();
    await page.getByTestId('channel-dirty').waitFor({ state: 'detached' });
    const saved = (await channels()).find((c) => c.id === channel.id)!;
    const field = saved.questionnaire.find((f) => f.id === 'contact_ok');
    assert.deepEqual(
      field && {
        type: field.type,
        step: field.step,
        required: field.required,
        statistical: field.statistical,
      },
      { type: 'single', step: 4, required: true, statistical: true },
    );
    assert.equal(saved.version, channel.version + 1);
    channel = saved;
  });

  it('after a reload the builder shows the new step and field', async () => {
    await page.reload();
    await settle(page, 'Report corruption');
    assert.equal(await page.getByTestId('step-title-4').inputValue(), 'Consent');
    await card().getByTestId('field-toggle').click();
    assert.equal(await card().getByTestId('field-label').inputValue(), LABEL.en);
    await page.getByTestId('lang-tab-fr').click();
    assert.equal(await page.getByTestId('step-title-4').inputValue(), 'Consentement');
    assert.equal(await card().getByTestId('field-label').inputValue(), LABEL.fr);
    assert.ok(await card().getByRole('switch', { name: 'Statistical' }).isChecked());
  });

  it('the public questionnaire offers the field with its French labels', async () => {
    const org = channel.path.split('/')[2];
    const res = await page.request.get(`${app.base}/api/public/reports/${org}/report?lang=fr`);
    assert.equal(res.status(), 200, await res.text());
    const q = (await res.json()) as {
      steps: string[];
      fields: {
        id: string;
        type: string;
        step: number;
        required: boolean;
        label: string;
        options: { label: string }[];
      }[];
    };
    const f = q.fields.find((x) => x.id === 'contact_ok');
    assert.ok(f, 'the new field is public');
    assert.equal(f.label, LABEL.fr);
    assert.equal(f.type, 'single');
    assert.equal(f.step, 4);
    assert.equal(f.required, true);
    assert.deepEqual(
      f.options.map((o) => o.label),
      OPTIONS.fr,
    );
    assert.equal(q.steps[3], 'Consentement');
  });

  it('a save over a concurrent edit shows the conflict, and saves after a reload', async () => {
    // Someone else changes the retention meanwhile.
    await api(`/api/reports/channels/${channel.id}`, 'PATCH', {
      version: channel.version,
      retentionDays: 120,
    });
    await page.getByTestId('lang-tab-en').click();
    await page.getByTestId('step-title-4').fill('Consent to contact');
    await page.getByTestId('channel-save').click();
    await page.getByTestId('version-conflict').waitFor();
    await page.getByTestId('conflict-reload').click();
    // What was typed stays; the next save carries the current version.
    assert.equal(await page.getByTestId('step-title-4').inputValue(), 'Consent to contact');
    await page.getByTestId('channel-save').click();
    await page.getByTestId('channel-dirty').waitFor({ state: 'detached' });
    const now = (await channels()).find((c) => c.id === channel.id)! as Channel & {
      steps: { en?: string }[];
    };
    assert.equal(now.steps[3]?.en, 'Consent to contact');
    assert.equal(now.version, channel.version + 2);
  });

  it('a refused save shows the problem next to the field concerned', async () => {
    const optionId = card().getByRole('textbox', { name: 'Option id 1' });
    await optionId.fill('');
    await page.getByTestId('channel-save').click();
    await card().getByText('lowercase letters, digits and _ (at most 63)').waitFor();
    assert.equal(await optionId.getAttribute('aria-invalid'), 'true');
    await optionId.fill('yes');
    await page.getByTestId('channel-save').click();
    await page.getByTestId('channel-dirty').waitFor({ state: 'detached' });
    const now = (await channels()).find((c) => c.id === channel.id)!;
    assert.equal(now.questionnaire.find((f) => f.id === 'contact_ok')?.options?.[0]?.id, 'yes');
  });

  it('both pages in Arabic, right to left', async () => {
    await saveLocale(page, app.base, 'ar');
    await page.goto(`${app.base}/reports/channels`);
    await settle(page, 'قنوات الإبلاغ');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await screenshot(page, 'reports-channels-list-ar');
    await page.goto(`${app.base}/reports/channels/${channel.id}`);
    await settle(page, 'الإبلاغ عن الفساد');
    await page.getByTestId('lang-tab-ar').click();
    await page.getByTestId('field-card').nth(1).getByTestId('field-toggle').click();
    await screenshot(page, 'reports-channels-editor-ar');
    await screenshot(page, 'reports-channels-editor-ar-top', false);
    await saveLocale(page, app.base, 'en');
  });
});
