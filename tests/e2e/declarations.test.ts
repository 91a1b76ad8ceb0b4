// Declarations in a real browser, in French: a staff member files a gift over the threshold
// (euros, converted to the base currency), the integrity officer sees the red flag explained in
// words, flags the declaration and refers it (a case is opened and its reference shown); the
// settings and statistics pages render (with charts), and "My declarations" in right-to-left
// Arabic and on a phone. axe-core checks each page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import { type Browser, checkA11y, journey, orderedSteps, saveLocale, screenshot, settle } from './support.ts';

const STAFF = 'staff@norland.demo';
const OFFICER = 'integrity@norland.demo';
const ADMIN = 'orgadmin@norland.demo';
const GIVER = 'Transit Express SARL';

describe('declarations', { timeout: 240_000 }, () => {
  const app = journey();
  let browser: Browser | undefined;
  let page: Page;
  const step = orderedSteps('declarations', () => page);

  /** A fresh browser signed in as `email`, in `locale` (saved to the account, reset after). */
  async function as(email: string, locale: string, viewport?: { width: number; height: number }) {
    await browser?.close();
    ({ browser, page } = await app.signIn(email, { language: locale, viewport }));
  }
  const resetLocale = () => saveLocale(page, app.base, 'en');

  step('a staff member files a gift declaration over the threshold (in French)', async () => {
    await as(STAFF, 'fr');
    await page.goto(`${app.base}/declarations`);
    await settle(page, 'Mes déclarations');
    await checkA11y(page, 'my declarations');
    await page.getByRole('button', { name: 'Déclarer un cadeau' }).click();
    const dialog = page.getByRole('dialog', { name: 'Déclarer un cadeau' });
    await dialog.getByLabel('Donateur').fill(GIVER);
    await dialog.getByLabel('Description').fill('Montre offerte après un dédouanement');
    await dialog.getByLabel('Valeur').fill('250');
    await dialog.getByLabel('Devise').selectOption('EUR');
    await dialog.getByLabel('Suite donnée au cadeau').selectOption({ label: 'Accepté (sous le seuil)' });
    await screenshot(page, 'declarations-gift-form-fr', false);
    await dialog.getByRole('button', { name: 'Déposer la déclaration' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row', { name: new RegExp(GIVER) });
    await row.getByText('Déposée', { exact: true }).waitFor();
    await screenshot(page, 'declarations-mine-fr');
    await resetLocale();
  });

  step('the integrity officer sees the red flag in words and flags the declaration', async () => {
    await as(OFFICER, 'fr');
    await page.goto(`${app.base}/declarations/review`);
    await settle(page, 'Examen des déclarations');
    const flag = page.getByTestId('flag-gift_over_threshold').filter({ hasText: GIVER });
    await flag.getByText(/250 EUR \(270 USD\) dépasse le seuil de 100 USD/).waitFor();
    await checkA11y(page, 'review');
    const row = page.getByRole('row', { name: new RegExp(GIVER) });
    await row.getByRole('button', { name: 'Signaler' }).click();
    const dialog = page.getByRole('dialog', { name: 'Signaler' });
    await dialog.getByLabel('Note').fill('Valeur au-dessus du seuil, cadeau conservé');
    await dialog.getByRole('button', { name: 'Confirmer' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText('Signalée', { exact: true }).waitFor();
    await screenshot(page, 'declarations-review-fr');
    // Referring opens a case in the case register: no reference to type, its number is shown.
    await row.getByRole('button', { name: 'Transmettre' }).click();
    const refer = page.getByRole('dialog', { name: 'Transmettre' });
    await refer.getByLabel('Référence externe (facultative)').fill('ACA-2026-118');
    await refer.getByRole('button', { name: 'Confirmer' }).click();
    await refer.waitFor({ state: 'hidden' });
    await row.getByText('Transmise', { exact: true }).waitFor();
    await row.getByRole('link', { name: /^Dossier CASE-\d{4}-\d{4}$/ }).waitFor();
    await row.getByText('ACA-2026-118').waitFor();
    await resetLocale();
  });

  step('the org admin sees the settings and the statistics with their charts', async () => {
    await as(ADMIN, 'en');
    await page.goto(`${app.base}/declarations/settings`);
    await settle(page, 'Declaration settings');
    await page.getByText('Annual asset declaration 2025').first().waitFor();
    await checkA11y(page, 'settings');
    await screenshot(page, 'declarations-settings-en');
    // Move the cycle's due date from the table's edit dialog; the API then has the new date.
    await page.getByRole('button', { name: 'Edit the cycle Annual asset declaration 2025' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Due date').fill('2031-06-30');
    // axe reads colours: let the dialog finish fading in first
    await page.waitForFunction(() =>
      [...document.querySelectorAll('.mantine-Modal-content')].every(
        (e) => getComputedStyle(e).opacity === '1',
      ),
    );
    await checkA11y(page, 'cycle edit dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const cycles = await (await page.request.get(`${app.base}/api/declarations/cycles`)).json();
    const cycle = cycles.items.find((c: { title: string }) => c.title === 'Annual asset declaration 2025');
    assert.equal(cycle.dueDate, '2031-06-30');
    await page.goto(`${app.base}/declarations/statistics`);
    await settle(page, 'Declaration statistics');
    await page.locator('.arusha-chart svg').first().waitFor();
    await checkA11y(page, 'statistics');
    await screenshot(page, 'declarations-statistics-en');
    // No review permission: no queue, no asset values.
    await page.goto(`${app.base}/declarations/review`);
    await page.getByText('Not permitted').first().waitFor();
  });

  step('"My declarations" in Arabic is right-to-left, and fits a phone', async () => {
    await as(STAFF, 'ar', { width: 390, height: 844 });
    await page.goto(`${app.base}/declarations`);
    await settle(page, 'إقراراتي');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `sideways scrolling of ${overflow}px`);
    await screenshot(page, 'declarations-mine-ar-phone');
    await resetLocale();
  });
});
