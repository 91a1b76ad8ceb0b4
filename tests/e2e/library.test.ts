// The best-practice library journey of issue 6: Norland's integrity officer writes an entry,
// attaches a PDF and submits it; the WCO Secretariat publishes it from its moderation queue;
// Sudmark's ISC delegate finds it (and downloads the PDF), finds Sudmark's French entry from an
// inflected French word, and comments; Norland's officer reads the comment and turns the entry
// into a draft action of its action plan.
// Then Norland edits the published entry: the new version goes through moderation while the
// published one stays public; the Secretariat reads version 1 in the history, publishes version 2,
// and withdraws the entry with a reason, after which search no longer finds it and Norland sees why
// (in right-to-left Arabic too).
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
const SUMMARY_1 = 'Officers at border posts move to another post every three years.';
const SUMMARY_2 = 'Officers at border posts move every three years; supervisors every four.';
const REASON = 'The figures need a source: please resubmit with it.';

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
    await page.getByTestId('library-summary').fill(SUMMARY_1);
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

  it('Norland edits the published entry: version 2 awaits moderation while version 1 stays public', async () => {
    await page.goto(`${app.base}${entryUrl.replace('/library/', '/library/entries/')}`);
    await settle(page, TITLE);
    await page.getByTestId('library-summary').fill(SUMMARY_2);
    await page.getByTestId('library-save').click();
    await page.getByTestId('library-submit').click();
    await page.getByText('Awaiting moderation').first().waitFor();
    const rows = page.getByTestId('library-versions').getByTestId('library-version');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="library-version"]').length === 2,
    );
    assert.match((await rows.nth(0).textContent()) ?? '', /Version 2.*Awaiting moderation/);
    assert.match((await rows.nth(1).textContent()) ?? '', /Version 1.*public now.*Published/);
    await checkA11y(page, 'library entry with versions');
    // Every organisation still reads version 1.
    const published = await page.request.get(
      `${app.base}/api${entryUrl.replace('/library/', '/library/published/')}`,
    );
    assert.equal((await published.json()).summary, SUMMARY_1);
    await signOut(page);
  });

  it('the Secretariat reads version 1 in the history, then publishes version 2', async () => {
    await login(page, app.base, 'programme@wco.demo');
    await page.goto(`${app.base}/library/moderation`);
    await settle(page, 'Moderation queue');
    await page.getByRole('button', { name: TITLE }).click();
    const item = page.locator('.mantine-Accordion-item', { hasText: TITLE });
    await item.getByText('Replaces the published version 1.').waitFor();
    await item.getByRole('button', { name: 'View version 1' }).click();
    const old = page.getByTestId('library-old-version');
    await old.getByText(SUMMARY_1).waitFor();
    await checkA11y(page, 'library old version');
    await page.keyboard.press('Escape');
    await old.waitFor({ state: 'detached' });
    await item.getByTestId('library-publish').click();
    await item.waitFor({ state: 'detached' });
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
    await page.getByText(SUMMARY_2).waitFor();
    await page
      .getByText(/version 2/)
      .first()
      .waitFor();
  });

  it('the Secretariat withdraws the entry with a reason: search stops finding it', async () => {
    await page.getByTestId('library-unpublish-reason').fill(REASON);
    await checkA11y(page, 'library entry (Secretariat)');
    await page.getByTestId('library-unpublish').click();
    await page.waitForURL(/\/library$/);
    await settle(page, 'Best-practice library');
    await page.getByTestId('library-q').fill('rotating officers');
    await page.getByTestId('library-search').click();
    await page.getByTestId('library-results').waitFor();
    assert.equal(
      await page.getByTestId('library-results').getByRole('link', { name: TITLE }).count(),
      0,
      'withdrawn',
    );
    const gone = await page.request.get(
      `${app.base}/api${entryUrl.replace('/library/', '/library/published/')}`,
    );
    assert.equal(gone.status(), 404);
    await signOut(page);
  });

  it('Norland sees the entry withdrawn with the reason, in Arabic right to left', async () => {
    await login(page, app.base, 'integrity@norland.demo');
    const other = await page.request.get(
      `${app.base}/api${entryUrl.replace('/library/', '/library/published/')}`,
    );
    assert.equal(other.status(), 404, 'the contributor does not read the public copy either');
    await page.evaluate(() => localStorage.setItem('arusha.language', 'ar'));
    await page.goto(`${app.base}${entryUrl.replace('/library/', '/library/entries/')}`);
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await settle(page, TITLE);
    const alert = page.getByTestId('library-unpublished');
    await alert.getByText(REASON).waitFor();
    assert.equal(await alert.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await page.getByTestId('library-versions').getByText('مسحوب').first().waitFor();
    await checkA11y(page, 'library entry withdrawn (ar)');
    await screenshot(page, 'library-06-withdrawn-ar');
    await page.evaluate(() => localStorage.setItem('arusha.language', 'en'));
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
