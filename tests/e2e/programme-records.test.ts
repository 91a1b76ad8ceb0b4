// Files and named factors of an expression of interest (docs/adr/0028, "Files, edits and deletes"):
// Estavia's organisation admin picks a priority by its RAD factor's name, attaches its endorsement
// letter and submits; it opens its own read-only page (status, named factor, file); the Secretariat
// opens the request on the pipeline, sees the factor's name and downloads the letter; the
// Secretariat declines it with a reason, which the administration then reads on its page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  checkA11y,
  journey,
  login,
  orderedSteps,
  screenshot,
  settle,
  signOut,
  unexpectedErrors,
} from './support.ts';

const RUN = Date.now().toString(36);
const HEAD = `Commissioner ${RUN}`;
const LETTER = `endorsement-${RUN}.pdf`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const REASON = `No funding for this region this year (${RUN})`;

describe('A-CIP expression of interest: files and named factors', { timeout: 900_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  /** The administration's own page of the request submitted here. */
  let ownUrl = '';
  const it = orderedSteps('programme-records', () => page);

  it('the administration picks its priority by name, attaches a letter and submits', async () => {
    const { page: p, watch } = await app.signIn('orgadmin@estavia.demo');
    page = p;
    await page.goto(`${app.base}/programme/interest`);
    await settle(page, 'Expression of interest in A-CIP');
    await page.getByTestId('programme-head-name').fill(HEAD);
    await page.getByTestId('programme-head-title').fill('Commissioner of Customs');
    await page.getByTestId('programme-endorsed-on').fill('2026-03-01');
    await page.getByTestId('programme-priority-factor-0').click();
    await page.getByRole('option', { name: '8 — Human Resource Management' }).click();
    await page.getByTestId('programme-contact-name').fill('Elena Admin');
    await page.getByTestId('programme-contact-email').fill('elena@example.org');
    // The form's one file input (Mantine's FileInput keeps it hidden beside its button).
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: LETTER, mimeType: 'application/pdf', buffer: PDF });
    const sent = await page.getByTestId('programme-mine-open').count();
    await page.getByTestId('programme-submit').click();
    await page.getByText('Expression of interest submitted').waitFor();
    // Its own page (the newest request is listed first, once the list has refetched): read-only,
    // the factor named, the letter listed.
    await page.getByTestId('programme-mine-open').nth(sent).waitFor();
    await page.getByTestId('programme-mine-open').first().click();
    await settle(page, 'Our expression of interest');
    ownUrl = page.url();
    const mine = page.getByTestId('programme-my-eoi');
    await mine.getByText(HEAD, { exact: false }).waitFor();
    await mine.getByTestId('programme-eoi-priority').getByText('8 — Human Resource Management').waitFor();
    await mine.getByRole('link', { name: LETTER }).waitFor();
    await checkA11y(page, 'own expression of interest');
    await screenshot(page, 'programme-own-eoi');
    assert.deepEqual(unexpectedErrors(watch), []);
    await signOut(page);
  });

  it('the Secretariat sees the named factor, downloads the letter and declines with a reason', async () => {
    await login(page, app.base, 'programme@wco.demo');
    await page.goto(`${app.base}/programme`);
    await settle(page, 'A-CIP pipeline');
    await page
      .getByTestId('programme-column-received')
      .getByTestId('programme-eoi-card')
      .filter({ hasText: HEAD })
      .getByTestId('programme-open-eoi')
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('8 — Human Resource Management').waitFor();
    const link = dialog.getByTestId('programme-eoi-files').getByRole('link', { name: LETTER });
    const href = await link.getAttribute('href');
    assert.ok(href);
    const res = await page.request.get(`${app.base}${href}`);
    assert.equal(res.status(), 200);
    assert.deepEqual(await res.body(), PDF);
    await screenshot(page, 'programme-eoi-files');
    await page.getByTestId('programme-move-to').click();
    await page.getByRole('option', { name: 'Declined' }).click();
    await dialog.getByTestId('programme-reason').fill(REASON);
    await dialog.getByTestId('programme-move').click();
    await dialog.waitFor({ state: 'hidden' });
    await signOut(page);
  });

  it('the administration reads the decline, its date and reason, on its page', async () => {
    await login(page, app.base, 'orgadmin@estavia.demo');
    await page.goto(ownUrl);
    await settle(page, 'Our expression of interest');
    await page.getByTestId('programme-declined-reason').getByText(REASON).waitFor();
    await page.getByText('The Secretariat has started screening').waitFor();
    await screenshot(page, 'programme-own-eoi-declined');
  });
});
