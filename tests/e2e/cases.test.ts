// Cases in a real browser: the head of Internal Affairs opens a case in French, is warned that the
// handler works in the unit concerned and assigns anyway; the handler (English) writes an internal
// note and takes the case through the taxonomy to closure; the statistics page renders its chart
// with small counts suppressed; the case list is right-to-left in Arabic. The head adds a closure
// reason in French on the taxonomy page and finds it in the closing dialog. axe-core checks each page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, checkA11y, journey, orderedSteps, saveLocale, screenshot, settle } from './support.ts';

const HEAD = 'integrity@norland.demo';
const HANDLER = 'cases@norland.demo';
const EXECUTIVE = 'executive@norland.demo';
const TITLE = 'Paiements demandés au poste frontière';
const REASON_FR = 'Classement en opportunité';

describe('cases', { timeout: 300_000 }, () => {
  const app = journey();
  let browser: Browser | undefined;
  let page: Page;
  let caseId = '';
  const step = orderedSteps('cases', () => page);

  async function as(email: string, locale: string) {
    await browser?.close();
    ({ browser, page } = await app.signIn(email, { language: locale }));
  }
  const resetLocale = () => saveLocale(page, app.base, 'en');

  step(
    'the head of Internal Affairs opens a case and assigns it despite the conflict warning (French)',
    async () => {
      await as(HEAD, 'fr');
      await page.goto(`${app.base}/cases`);
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

  step(
    'the head adds a closure reason in French on the taxonomy page; the closing dialog offers it; a stale save asks to reload',
    async () => {
      await as(HEAD, 'fr');
      await page.goto(`${app.base}/cases/taxonomy`);
      await settle(page, 'Typologie des dossiers');
      await page.getByTestId('taxonomy-default').waitFor();
      await page.getByTestId('add-closureReasons').click();
      const dialog = page.getByRole('dialog', { name: 'Ajouter un motif de classement' });
      await dialog.getByLabel('Libellé (Français)').fill(REASON_FR);
      assert.equal(await dialog.getByTestId('entry-code').inputValue(), 'classement_en_opportunite');
      await checkA11y(page, 'taxonomy entry dialog');
      await dialog.getByRole('button', { name: 'Enregistrer' }).click();
      await dialog.waitFor({ state: 'detached' });
      const reasons = page.getByTestId('taxonomy-closureReasons');
      const row = reasons.locator('[data-code="classement_en_opportunite"]');
      await row.getByText(REASON_FR).waitFor();
      // Move it to the top of the list, one save per step.
      const position = () =>
        page.evaluate(() =>
          [
            ...document.querySelectorAll(
              '[data-testid="taxonomy-closureReasons"] [data-testid="taxonomy-entry"]',
            ),
          ].findIndex((e) => e.getAttribute('data-code') === 'classement_en_opportunite'),
        );
      assert.equal(await position(), 4);
      for (let i = 4; i > 0; i--) {
        await row.getByRole('button', { name: `Monter ${REASON_FR}` }).click();
        await page.waitForFunction(
          (n) =>
            [
              ...document.querySelectorAll(
                '[data-testid="taxonomy-closureReasons"] [data-testid="taxonomy-entry"]',
              ),
            ].findIndex((e) => e.getAttribute('data-code') === 'classement_en_opportunite') === n,
          i - 1,
        );
      }
      // Someone else saves in between: the next change is refused (409) with a reload button.
      const current = await (await page.request.get(`${app.base}/api/cases/settings`)).json();
      const put = await page.request.fetch(`${app.base}/api/cases/settings`, {
        method: 'PUT',
        headers: { 'x-requested-with': 'arusha' },
        data: { taxonomy: current.taxonomy, version: current.version },
      });
      assert.equal(put.status(), 200, await put.text());
      await reasons
        .locator('[data-code="referred"]')
        .getByRole('button', { name: /^Désactiver / })
        .click();
      await page.getByTestId('version-conflict').waitFor();
      await page.getByTestId('conflict-reload').click();
      await reasons
        .locator('[data-code="referred"]')
        .getByRole('button', { name: /^Désactiver / })
        .click();
      await reasons.locator('[data-code="referred"]').getByText('Désactivée').waitFor();
      // A case at triage: the closing dialog offers the new reason (first) and not the deactivated one.
      const created = await page.request.post(`${app.base}/api/cases`, {
        headers: { 'x-requested-with': 'arusha' },
        data: { title: 'Dossier de typologie', sourceKind: 'other' },
      });
      const c = await created.json();
      let version = c.version;
      for (const to of ['acknowledged', 'triage']) {
        const r = await page.request.post(`${app.base}/api/cases/${c.id}/transition`, {
          headers: { 'x-requested-with': 'arusha' },
          data: { to, version },
        });
        version = (await r.json()).version;
      }
      await page.goto(`${app.base}/cases/${c.id}`);
      await settle(page, /^Dossier CASE-/);
      await page.getByTestId('move-closed').click();
      const close = page.getByRole('dialog');
      const select = close.getByLabel('Motif de clôture');
      // The options come with the administration's taxonomy, which the dialog may still be loading.
      await select.locator('option', { hasText: REASON_FR }).waitFor({ state: 'attached' });
      const options = await select.locator('option').allTextContents();
      assert.equal(options[1], REASON_FR);
      assert.ok(!options.includes('Transmis ailleurs'), 'a deactivated reason is not offered');
      await select.selectOption({ label: REASON_FR });
      await close.getByRole('button', { name: 'Confirmer' }).click();
      await close.waitFor({ state: 'hidden' });
      await page.getByRole('row', { name: new RegExp(`Motif de clôture ${REASON_FR}`) }).waitFor();
      // The taxonomy page in English and in Arabic (right to left), captured.
      await saveLocale(page, app.base, 'en');
      await page.goto(`${app.base}/cases/taxonomy`);
      await settle(page, 'Case taxonomy');
      await page.getByTestId('taxonomy-closureReasons').getByText(REASON_FR).waitFor();
      await checkA11y(page, 'taxonomy page');
      await screenshot(page, 'cases-taxonomy-en');
      await saveLocale(page, app.base, 'ar');
      await page.goto(`${app.base}/cases/taxonomy`);
      await settle(page, 'تصنيف القضايا');
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
      await checkA11y(page, 'taxonomy page ar');
      await screenshot(page, 'cases-taxonomy-ar');
      await resetLocale();
    },
  );

  step('the handler writes an internal note and takes the case to closure', async () => {
    await as(HANDLER, 'en');
    await page.goto(`${app.base}/cases`);
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
    const res = await page.request.get(`${app.base}/api/cases`);
    const item = (await res.json()).items.find((c: { id: string }) => c.id === caseId);
    assert.equal(item.status, 'closed');
  });

  step('the statistics page shows the chart with small counts suppressed', async () => {
    await as(EXECUTIVE, 'en');
    await page.goto(`${app.base}/cases/statistics`);
    await settle(page, 'Case statistics');
    await page.locator('.arusha-chart svg').first().waitFor();
    await page.getByText('< 5').first().waitFor();
    await checkA11y(page, 'case statistics');
    await screenshot(page, 'cases-statistics-en');
    // No case content for management: the case page is not permitted.
    await page.goto(`${app.base}/cases/${caseId}`);
    await page.getByText('Not permitted').first().waitFor();
  });

  step('the case list is right-to-left in Arabic', async () => {
    await as(HANDLER, 'ar');
    await page.goto(`${app.base}/cases`);
    await settle(page, 'القضايا');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await checkA11y(page, 'case list ar');
    await screenshot(page, 'cases-list-ar');
    await resetLocale();
  });
});
