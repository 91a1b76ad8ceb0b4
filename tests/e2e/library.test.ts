// The best-practice library journey of issue 6: Norland's integrity officer writes an entry,
// attaches a PDF and submits it; the WCO Secretariat publishes it from its moderation queue;
// Sudmark's ISC delegate finds it (and downloads the PDF), finds Sudmark's French entry from an
// inflected French word, and comments; Norland's officer reads the comment and turns the entry
// into a draft action of its action plan.
// axe-core checks each page; a screenshot in right-to-left Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkA11y,
  chooseOption,
  journey,
  login,
  orderedSteps,
  screenshot,
  settle,
  signOut,
  unexpectedErrors,
} from './support.ts';

/** Unique per run, so that a rerun against the same server finds its own entry. */
const TITLE = `Rotation of officers at border posts every three years (${Date.now().toString(36)})`;

describe('best-practice library', { timeout: 600_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  let entryUrl = '';
  const it = orderedSteps('library', () => page);

  it("Norland's integrity officer writes an entry and submits it for moderation", async () => {
    const { page: p, watch } = await app.signIn('integrity@norland.demo');
    page = p;
    await page.goto(`${app.base}/library`);
    await settle(page, 'Best-practice library');
    await checkA11y(page, 'library search');
    await page.goto(`${app.base}/library/mine`);
    await settle(page, "My organisation's entries");
    await page.getByTestId('library-new').click();
    await settle(page, 'New entry');
    await page.getByTestId('library-title').fill(TITLE);
    await page
      .getByTestId('library-summary')
      .fill('Officers at border posts move to another post every three years.');
    await page.getByTestId('library-factors').click({ force: true });
    await page.getByRole('option', { name: /^8\. / }).click();
    await page.keyboard.press('Escape');
    await checkA11y(page, 'library entry form');
    await page.getByTestId('library-save').click();
    await settle(page, TITLE);
    // An attachment: uploaded through the platform helper, listed with a download link.
    await page.locator('input[type=file]').setInputFiles({
      name: 'rotation-rules.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'),
    });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page
      .getByTestId('library-attachments')
      .getByRole('link', { name: 'Download rotation-rules.pdf' })
      .waitFor();
    await page.getByTestId('library-submit').click();
    await page.getByText('Awaiting moderation').first().waitFor();
    entryUrl = new URL(page.url()).pathname.replace('/library/entries/', '/library/');
    assert.deepEqual(unexpectedErrors(watch), []);
    await signOut(page);
  });

  it('the WCO Secretariat publishes it from the moderation queue', async () => {
    await login(page, app.base, 'programme@wco.demo');
    await page.goto(`${app.base}/library/moderation`);
    await settle(page, 'Moderation queue');
    await page.getByRole('button', { name: TITLE }).click();
    await checkA11y(page, 'library moderation');
    await page.getByTestId('library-publish').last().waitFor();
    const item = page.locator('.mantine-Accordion-item', { hasText: TITLE });
    await item.getByTestId('library-publish').click();
    await item.waitFor({ state: 'detached' });
    await signOut(page);
  });

  it("Sudmark's ISC delegate finds it and a French entry from an inflected word, and comments", async () => {
    await login(page, app.base, 'isc@sudmark.demo');
    await page.goto(`${app.base}/library`);
    await settle(page, 'Best-practice library');
    await page.getByTestId('library-q').fill('contrôles');
    await page.getByTestId('library-search').click();
    await page
      .getByTestId('library-results')
      .getByRole('link', { name: 'Renforcement du contrôle interne dans les bureaux de douane' })
      .waitFor();
    await page.getByTestId('library-q').fill('rotating officers');
    await page.getByTestId('library-search').click();
    await page.getByTestId('library-results').getByRole('link', { name: TITLE }).click();
    await settle(page, TITLE);
    // The published copy kept the attachment, and another administration downloads it.
    const link = page
      .getByTestId('library-attachments')
      .getByRole('link', { name: 'Download rotation-rules.pdf' });
    const file = await page.request.get(`${app.base}${await link.getAttribute('href')}`);
    assert.equal(file.status(), 200);
    assert.equal(file.headers()['content-type'], 'application/pdf');
    await page.getByTestId('library-comment').fill('We rotate every four years; happy to share our rules.');
    await page.getByTestId('library-comment-send').click();
    await page.getByTestId('library-comments').getByText('happy to share our rules').waitFor();
    await checkA11y(page, 'library entry');
    await signOut(page);
  });

  it('Norland reads the comment and turns the entry into a draft action of its plan', async () => {
    await login(page, app.base, 'integrity@norland.demo');
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
    await page.getByTestId('library-comments').getByText('Issa Delegate').waitFor();
    await chooseOption(page, 'library-plan', 'Norland Customs Integrity Action Plan 2026–2028');
    await page.getByTestId('library-use').click();
    await page.getByTestId('library-used').click();
    await page.getByText(TITLE).first().waitFor();
    await screenshot(page, 'library-04-action-in-plan');
  });

  it('the library reads right to left in Arabic', async () => {
    await page.evaluate(() => localStorage.setItem('arusha.language', 'ar'));
    await page.goto(`${app.base}/library`);
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await settle(page, 'مكتبة الممارسات الجيدة');
    await checkA11y(page, 'library search (ar)');
    await screenshot(page, 'library-05-search-ar');
    await page.evaluate(() => localStorage.setItem('arusha.language', 'en'));
  });
});
