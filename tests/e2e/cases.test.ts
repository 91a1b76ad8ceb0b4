// Cases in a real browser: the head of Internal Affairs opens a case in French, is warned that the
// handler works in the unit concerned and assigns anyway; the handler (English) writes an internal
// note and takes the case through the taxonomy to closure; the statistics page renders its chart
// with small counts suppressed; the case list is right-to-left in Arabic. axe-core checks each page.
import assert from 'node:assert/strict';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  type RunningServer,
  checkA11y,
  launchBrowser,
  login,
  orderedSteps,
  saveLocale,
  screenshot,
  settle,
  startServer,
} from './support.ts';

const HEAD = 'integrity@norland.demo';
const HANDLER = 'cases@norland.demo';
const EXECUTIVE = 'executive@norland.demo';
const TITLE = 'Paiements demandés au poste frontière';

describe('cases', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let base: string;
  let browser: Browser | undefined;
  let page: Page;
  let caseId = '';
  const step = orderedSteps('cases', () => page);

  before(async () => {
    server = await startServer();
    base = server.url;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function as(email: string, locale: string) {
    await browser?.close();
    browser = await launchBrowser({});
    page = browser.page;
    await login(page, base, email);
    await saveLocale(page, base, locale);
  }
  const resetLocale = () => saveLocale(page, base, 'en');

  step(
    'the head of Internal Affairs opens a case and assigns it despite the conflict warning (French)',
    async () => {
      await as(HEAD, 'fr');
      await page.goto(`${base}/cases`);
      await settle(page, 'Dossiers');
      await page.getByRole('button', { name: 'Ouvrir un dossier' }).click();
      const dialog = page.getByRole('dialog', { name: 'Ouvrir un dossier' });
      await dialog.getByLabel('Intitulé').fill(TITLE);
      await dialog.getByLabel('Unité concernée').selectOption({ label: 'Internal Affairs' });
      await checkA11y(page, 'open case dialog');
      await dialog.getByRole('button', { name: 'Ouvrir le dossier' }).click();
      await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
      caseId = page.url().split('/').pop()!;
      await settle(page, /^Dossier CASE-\d{4}-\d{4}$/);
      await page.getByText('Chaque ouverture de cette page').waitFor();
      await page.getByTestId('move-acknowledged').click();
      await page.getByTestId('case-status').getByText('Accusé de réception').waitFor();
      await page
        .getByTestId('assign-to')
        .selectOption({ label: 'Carlos Cases (Internal Affairs) ⚠ Conflit' });
      await page.getByText(/travaille dans l'unité concernée/).waitFor();
      const assign = page.getByRole('button', { name: 'Attribuer', exact: true });
      assert.equal(await assign.isDisabled(), true, 'no assignment before the conflict is acknowledged');
      await page.getByLabel("J'ai connaissance du conflit et j'attribue quand même").check();
      await checkA11y(page, 'case page');
      await screenshot(page, 'cases-assign-conflict-fr');
      await assign.click();
      await page.getByText('Conflit', { exact: true }).first().waitFor();
      await resetLocale();
    },
  );

  step('the handler writes an internal note and takes the case to closure', async () => {
    await as(HANDLER, 'en');
    await page.goto(`${base}/cases`);
    await settle(page, 'Cases');
    await page
      .getByRole('link', { name: /^CASE-/ })
      .first()
      .click();
    await settle(page, /^Case CASE-/);
    await page.getByRole('textbox', { name: /^Note/ }).fill('Met the reporter’s contact at the border post.');
    await page.getByRole('button', { name: 'Add the note' }).click();
    await page.getByTestId('internal-notes').getByText('Met the reporter’s contact').waitFor();
    const move = async (to: string) => {
      await page.getByTestId(`move-${to}`).click();
    };
    await move('triage');
    await page.getByTestId('case-status').getByText('Triage').waitFor();
    await move('investigation');
    await page.getByTestId('case-status').getByText('Investigation', { exact: true }).waitFor();
    await move('investigation_report');
    await page.getByTestId('case-status').getByText('Investigation report').waitFor();
    await move('decision');
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Decision').selectOption('not_substantiated');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await move('outcome');
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Outcome').selectOption('no_action');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await move('closed');
    await page.getByTestId('case-status').getByText('Closed').waitFor();
    await page.getByText('This case is closed.').waitFor();
    await checkA11y(page, 'closed case');
    await screenshot(page, 'cases-closed-en');
    // Every opening was audited; the handler's list shows the case closed.
    const res = await page.request.get(`${base}/api/cases`);
    const item = (await res.json()).items.find((c: { id: string }) => c.id === caseId);
    assert.equal(item.status, 'closed');
  });

  step('the statistics page shows the chart with small counts suppressed', async () => {
    await as(EXECUTIVE, 'en');
    await page.goto(`${base}/cases/statistics`);
    await settle(page, 'Case statistics');
    await page.locator('.arusha-chart svg').first().waitFor();
    await page.getByText('< 5').first().waitFor();
    await checkA11y(page, 'case statistics');
    await screenshot(page, 'cases-statistics-en');
    // No case content for management: the case page is not permitted.
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByText('Not permitted').first().waitFor();
  });

  step('the case list is right-to-left in Arabic', async () => {
    await as(HANDLER, 'ar');
    await page.goto(`${base}/cases`);
    await settle(page, 'القضايا');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await checkA11y(page, 'case list ar');
    await screenshot(page, 'cases-list-ar');
    await resetLocale();
  });
});
