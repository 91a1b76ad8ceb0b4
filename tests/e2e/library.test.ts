// The best-practice library journey of issue 6: Norland's integrity officer writes an entry,
// attaches a PDF and submits it; the WCO Secretariat publishes it from its moderation queue;
// Sudmark's ISC delegate finds it (and downloads the PDF), finds Sudmark's French entry from an
// inflected French word, and comments; Norland's officer reads the comment and turns the entry
// into a draft action of its action plan.
// Norland writes a French translation in the entry form, and Sudmark's delegate finds it from a
// French query with the interface in French, the result shown in French.
// Then Norland edits the published entry and replaces its PDF: the new version goes through
// moderation while the published one stays public, and version 1 in the history still downloads the
// file it had; the Secretariat reads version 1, publishes version 2 and hides the delegate's comment
// with a reason, after which another delegate (Norland's) no longer reads it; the Secretariat
// withdraws the entry with a reason, after which search no longer finds it for Members and Norland
// sees why (in right-to-left Arabic too).
// axe-core checks each page; a screenshot in right-to-left Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkA11y,
  chooseOption,
  escapeModal,
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
const RUN = TITLE.slice(TITLE.lastIndexOf('('));
const TITLE_FR = `Rotation des agents aux postes frontières tous les trois ans ${RUN}`;
const SUMMARY_FR = 'Les agents des postes frontières changent de poste tous les trois ans.';
const COMMENT = 'We rotate every four years; happy to share our rules.';
const HIDE_REASON = 'Personal contact details belong in a direct message.';
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`);
const PDF_1 = pdf('rules of 2026');
const PDF_2 = pdf('rules of 2027, with the supervisors');

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
    // The translation editor: the same content in French, searched in French once published.
    const translations = page.getByTestId('library-translations');
    await chooseOption(page, 'library-add-translation', 'Français');
    await translations.getByText('In Français').waitFor();
    // A blank translated title is the translation's error, not the original title's.
    await translations.getByLabel('Title').fill('   ');
    await translations.getByLabel('Summary').fill(SUMMARY_FR);
    await page.getByTestId('library-save').click();
    await translations.locator('input[aria-invalid="true"]').waitFor();
    assert.notEqual(await page.getByTestId('library-title').getAttribute('aria-invalid'), 'true');
    await translations.getByLabel('Title').fill(TITLE_FR);
    await checkA11y(page, 'library entry form');
    await page.getByTestId('library-save').click();
    await settle(page, TITLE);
    await translations.getByLabel('Title').waitFor();
    assert.equal(await translations.getByLabel('Title').inputValue(), TITLE_FR, 'the translation is saved');
    // An attachment: uploaded through the platform helper, listed with a download link.
    await page.locator('input[type=file]').setInputFiles({
      name: 'rotation-rules.pdf',
      mimeType: 'application/pdf',
      buffer: PDF_1,
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
    await page.getByTestId('library-comment').fill(COMMENT);
    await page.getByTestId('library-comment-send').click();
    await page.getByTestId('library-comments').getByText('happy to share our rules').waitFor();
    await checkA11y(page, 'library entry');
  });

  it('with the interface in French, a French query finds the entry by its translation, shown in French', async () => {
    await page.evaluate(() => localStorage.setItem('arusha.language', 'fr'));
    await page.goto(`${app.base}/library`);
    await settle(page, 'Bibliothèque de bonnes pratiques');
    // "agent" and "frontière" are inflected differently in the French title ("agents", "frontières").
    await page.getByTestId('library-q').fill('agent frontière rotation');
    await page.getByTestId('library-search').click();
    const results = page.getByTestId('library-results');
    await results.getByRole('link', { name: TITLE_FR }).waitFor();
    assert.equal(await results.getByRole('link', { name: TITLE }).count(), 0, 'shown in French');
    await results.getByText(SUMMARY_FR).waitFor();
    await checkA11y(page, 'library search (fr)');
    await results.getByRole('link', { name: TITLE_FR }).click();
    await settle(page, TITLE_FR);
    await page.getByTestId('library-shown-language').getByText('Affichée en Français').waitFor();
    await page.evaluate(() => localStorage.setItem('arusha.language', 'en'));
    await signOut(page, 'Se déconnecter');
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
    await page.getByText('Saved').first().waitFor();
    // Version 2 replaces the PDF with a newer one.
    const files = page.getByTestId('library-attachments').first();
    await files.getByRole('button', { name: 'Remove rotation-rules.pdf' }).click();
    await files.waitFor({ state: 'detached' });
    await page.locator('input[type=file]').setInputFiles({
      name: 'rotation-rules-2027.pdf',
      mimeType: 'application/pdf',
      buffer: PDF_2,
    });
    await page.getByRole('button', { name: 'Attach', exact: true }).click();
    await page.getByRole('link', { name: 'Download rotation-rules-2027.pdf' }).waitFor();
    await page.getByTestId('library-submit').click();
    await page.getByText('Awaiting moderation').first().waitFor();
    const rows = page.getByTestId('library-versions').getByTestId('library-version');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="library-version"]').length === 2,
    );
    assert.match((await rows.nth(0).textContent()) ?? '', /Version 2.*Awaiting moderation/);
    assert.match((await rows.nth(1).textContent()) ?? '', /Version 1.*public now.*Published/);
    await checkA11y(page, 'library entry with versions');
    // Version 1 in the history lists and downloads the file it had, not the working copy's.
    await page.getByRole('button', { name: 'View version 1' }).click();
    const old = page.getByTestId('library-old-version');
    await old.getByText(SUMMARY_1).waitFor();
    const oldLink = old.getByRole('link', { name: 'Download rotation-rules.pdf' });
    await oldLink.waitFor();
    assert.equal(await old.getByRole('link', { name: /rotation-rules-2027/ }).count(), 0);
    const oldFile = await page.request.get(`${app.base}${await oldLink.getAttribute('href')}`);
    assert.equal(oldFile.status(), 200);
    assert.deepEqual(await oldFile.body(), PDF_1);
    await escapeModal(page, old);
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
    await escapeModal(page, old);
    await item.getByTestId('library-publish').click();
    await item.waitFor({ state: 'detached' });
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
    await page.getByText(SUMMARY_2).waitFor();
    await page
      .getByText(/version 2/)
      .first()
      .waitFor();
    // The public copy has version 2's file only.
    const files = page.getByTestId('library-attachments');
    await files.getByRole('link', { name: 'Download rotation-rules-2027.pdf' }).waitFor();
    assert.equal(await files.getByRole('link', { name: 'Download rotation-rules.pdf' }).count(), 0);
  });

  it("the Secretariat hides the delegate's comment with a reason", async () => {
    const comment = page.getByTestId('library-comment-item').filter({ hasText: COMMENT });
    await comment.getByTestId('library-hide').click();
    await comment.getByTestId('library-hide-reason').fill(HIDE_REASON);
    await checkA11y(page, 'library comment hiding');
    await comment.getByTestId('library-hide-confirm').click();
    // The Secretariat still reads it, marked with the reason.
    await comment.getByText(`Hidden by the Secretariat: ${HIDE_REASON}`).waitFor();
    assert.equal(await comment.getByTestId('library-hide').count(), 0);
    await signOut(page);
  });

  it('another delegate no longer reads the hidden comment; its author still sees it marked', async () => {
    // Norland's organisation administrator names its integrity officer ISC delegate too.
    await login(page, app.base, 'orgadmin@norland.demo');
    const members = await page.request.get(`${app.base}/api/organisation/members`);
    assert.equal(members.status(), 200);
    const officer = (
      (await members.json()).items as { id: string; email: string; roles: string[]; version: number }[]
    ).find((m) => m.email === 'integrity@norland.demo');
    assert.ok(officer, 'Norland has its integrity officer');
    const named = await page.request.patch(`${app.base}/api/organisation/members/${officer.id}`, {
      headers: { 'x-requested-with': 'arusha' },
      data: { roles: [...new Set([...officer.roles, 'isc_delegate'])], version: officer.version },
    });
    assert.equal(named.status(), 200, await named.text());
    await signOut(page);

    await login(page, app.base, 'integrity@norland.demo');
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
    const comments = page.getByTestId('library-comments');
    await comments.getByText('No comments yet.').waitFor();
    assert.equal(await comments.getByText(COMMENT).count(), 0, 'hidden from another delegate');
    // A delegate may comment (the new role), so the form is there: the page is the delegate's view.
    await page.getByTestId('library-comment').waitFor();
    await signOut(page);

    await login(page, app.base, 'isc@sudmark.demo');
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
    const own = page.getByTestId('library-comment-item').filter({ hasText: COMMENT });
    await own.getByText(`Hidden by the Secretariat: ${HIDE_REASON}`).waitFor();
    await signOut(page);
  });

  it('the Secretariat withdraws the entry with a reason: search stops finding it', async () => {
    await login(page, app.base, 'programme@wco.demo');
    await page.goto(`${app.base}${entryUrl}`);
    await settle(page, TITLE);
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

  it('Members no longer find the withdrawn entry, in English or in French', async () => {
    await login(page, app.base, 'isc@sudmark.demo');
    await page.goto(`${app.base}/library`);
    await settle(page, 'Best-practice library');
    const results = page.getByTestId('library-results');
    for (const q of ['rotating officers', 'agent frontière rotation']) {
      await page.getByTestId('library-q').fill(q);
      await page.getByTestId('library-search').click();
      await results.getByText('Results: 0', { exact: true }).waitFor();
      assert.equal(await results.getByRole('link', { name: TITLE }).count(), 0, q);
      assert.equal(await results.getByRole('link', { name: TITLE_FR }).count(), 0, q);
    }
    // Without a query too: the list of every published entry no longer has it.
    await page.getByTestId('library-q').fill('');
    await page.getByTestId('library-search').click();
    await results
      .getByRole('link', { name: 'Renforcement du contrôle interne dans les bureaux de douane' })
      .waitFor();
    assert.equal(await results.getByRole('link', { name: TITLE }).count(), 0);
    await page.goto(`${app.base}${entryUrl}`);
    await page.getByRole('alert').first().waitFor();
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
