// The Integrity Sub-Committee journey of issue 6: the WCO Secretariat creates a session, builds
// its agenda (adds items, moves one up), records and adopts the minutes, and records a
// recommendation to the Policy Commission with its follow-up; a Member administration's delegate
// signs in, reads the session with its agenda in the new order and the minutes, and is offered no
// write control — and the API refuses the delegate's write (403). The Secretariat corrects the
// recommendation's text in its dialog, including after a concurrent change (409, reload, save), and
// the page reads right to left in Arabic. axe-core checks each page.
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
  watchConsole,
} from './support.ts';

const RUN = Date.now().toString(36);
// A session number of its own (the demo holds sessions 25 and 26).
const NUMBER = 100 + (Date.now() % 800);
const THEME = `Integrity in free zones (${RUN})`;
const ITEMS = ['Opening and adoption of the agenda', 'Free zones: risks and controls', 'Any other business'];
const MINUTES = `The Sub-Committee discussed integrity risks in free zones (${RUN}).`;
const REC = `R${NUMBER}-1`;
const TEXT_2 = 'Publish guidance on integrity controls in free zones, with a model checklist.';
const TEXT_3 = 'Publish guidance and a model checklist on integrity controls in free zones.';

describe('Integrity Sub-Committee', { timeout: 900_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  let sessionUrl = '';
  const it = orderedSteps('isc', () => page);

  /** The agenda's item titles, in the order shown. */
  const agendaTitles = () =>
    page
      .getByTestId('isc-agenda-item')
      .evaluateAll((els) => els.map((e) => e.querySelector('p')?.textContent?.trim() ?? ''));

  it('the Secretariat creates a session', async () => {
    const { page: p, watch } = await app.signIn('programme@wco.demo');
    page = p;
    await page.goto(`${app.base}/isc`);
    await settle(page, 'Integrity Sub-Committee sessions');
    await page.getByRole('button', { name: 'New session' }).click();
    await page.getByLabel('Number', { exact: true }).fill(String(NUMBER));
    await page.getByLabel('First day').fill('2027-10-12');
    await page.getByLabel('Last day').fill('2027-10-14');
    await page.getByLabel('Theme').fill(THEME);
    await page.getByLabel('Place').fill('Brussels');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.waitForURL(/\/isc\/sessions\/[0-9a-f-]{36}$/);
    await settle(page, `Session ${NUMBER}`);
    sessionUrl = page.url();
    assert.deepEqual(unexpectedErrors(watch), []);
  });

  it('builds the agenda: adds three items, then moves the last one up', async () => {
    const form = page.getByTestId('isc-item-form');
    for (const [i, title] of ITEMS.entries()) {
      await form.getByLabel('No.').fill(String(i + 1));
      await form.getByLabel('Title (English)').fill(title);
      await form.getByRole('button', { name: 'Add an agenda item' }).click();
      await page.getByTestId('isc-agenda-item').filter({ hasText: title }).waitFor();
    }
    assert.deepEqual(
      await agendaTitles(),
      ITEMS.map((t, i) => `${i + 1}. ${t}`),
    );
    await page.getByRole('button', { name: 'Move 3 up' }).click();
    await page.waitForFunction(
      (first) =>
        document.querySelectorAll('[data-testid="isc-agenda-item"]')[1]?.textContent?.includes(first) ??
        false,
      ITEMS[2]!,
    );
    assert.deepEqual(await agendaTitles(), [`1. ${ITEMS[0]}`, `3. ${ITEMS[2]}`, `2. ${ITEMS[1]}`]);
    await checkA11y(page, 'session (Secretariat)');
  });

  it('records and adopts the minutes', async () => {
    const minutes = page.getByRole('region', { name: 'Minutes' });
    await minutes.getByTestId('isc-minutes').fill(MINUTES);
    await minutes.getByLabel('Adopted on').fill('2027-10-14');
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && /\/api\/isc\/sessions\/[^/]+$/.test(r.url()),
    );
    await minutes.getByRole('button', { name: 'Save' }).click();
    assert.equal((await saved).status(), 200);
    // The server has them: a reload shows the text.
    await page.reload();
    await settle(page, `Session ${NUMBER}`);
    assert.equal(await page.getByTestId('isc-minutes').inputValue(), MINUTES);
    await screenshot(page, 'isc-session-secretariat');
  });

  it('records a recommendation to the Policy Commission and its follow-up', async () => {
    await page.goto(`${app.base}/isc/recommendations`);
    await settle(page, 'Recommendations to the Policy Commission');
    await page.getByRole('button', { name: 'New recommendation' }).click();
    await page.getByLabel('Ref.').fill(REC);
    await page.getByRole('combobox', { name: 'Adopted at' }).click();
    await page.getByRole('option', { name: `Session ${NUMBER}` }).click();
    await page.getByLabel('Adopted on').fill('2027-10-14');
    await page
      .getByLabel('Text', { exact: true })
      .fill('Publish guidance on integrity controls in free zones.');
    await page.getByRole('button', { name: 'Create' }).click();
    const card = page.getByTestId('isc-recommendations').locator('> div').filter({ hasText: REC });
    await card.waitFor();
    await card.getByLabel('On', { exact: true }).fill('2027-11-20');
    await card.getByLabel('Note').fill('Sent to the Policy Commission');
    await card.getByRole('button', { name: 'Record' }).click();
    await card.getByText('Sent to the Policy Commission').waitFor();
    await checkA11y(page, 'recommendations (Secretariat)');
    await screenshot(page, 'isc-recommendations');
  });

  it("corrects the recommendation's text; a concurrent change is a 409 with a reload that keeps the typing", async () => {
    const card = page.getByTestId('isc-recommendations').locator('> div').filter({ hasText: REC });
    await card.getByRole('button', { name: `Edit recommendation ${REC}` }).click();
    const dialog = page.getByTestId('isc-recommendation-edit');
    await dialog.getByLabel('Text', { exact: true }).fill(TEXT_2);
    await checkA11y(page, 'recommendation edit dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText(TEXT_2).waitFor();

    // Someone else saves while the dialog is open: this save is refused, the reload keeps the text.
    await card.getByRole('button', { name: `Edit recommendation ${REC}` }).click();
    await dialog.getByLabel('Text', { exact: true }).fill(TEXT_3);
    const list = await page.request.get(`${app.base}/api/isc/recommendations`);
    const rec = ((await list.json()).items as { id: string; ref: string; version: number }[]).find(
      (r) => r.ref === REC,
    )!;
    const other = await page.request.fetch(`${app.base}/api/isc/recommendations/${rec.id}`, {
      method: 'PATCH',
      headers: { 'x-requested-with': 'arusha' },
      data: { version: rec.version, text: `${TEXT_2} (checked)` },
    });
    assert.equal(other.status(), 200);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByTestId('version-conflict').waitFor();
    await dialog.getByTestId('conflict-reload').click();
    assert.equal(await dialog.getByLabel('Text', { exact: true }).inputValue(), TEXT_3);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await card.getByText(TEXT_3).waitFor();
  });

  it('the recommendations page reads right to left in Arabic', async () => {
    await page.evaluate(() => localStorage.setItem('arusha.language', 'ar'));
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    const card = page.getByTestId('isc-recommendations').locator('> div').filter({ hasText: REC });
    await card.waitFor();
    assert.equal(await card.evaluate((el) => getComputedStyle(el).direction), 'rtl');
    await card.getByRole('button', { name: `تعديل التوصية ${REC}` }).waitFor();
    await checkA11y(page, 'recommendations (ar)');
    await screenshot(page, 'isc-recommendations-ar');
    await page.evaluate(() => localStorage.setItem('arusha.language', 'en'));
    await page.reload();
    await page.waitForFunction(() => document.documentElement.dir === 'ltr');
    await signOut(page);
  });

  it("a Member's delegate reads the session with no write control, and the API refuses a write (403)", async () => {
    const watch = watchConsole(page);
    await login(page, app.base, 'isc@sudmark.demo');
    await page.goto(sessionUrl);
    await settle(page, `Session ${NUMBER}`);
    await page.getByTestId('isc-agenda-item').first().waitFor();
    assert.deepEqual(await agendaTitles(), [`1. ${ITEMS[0]}`, `3. ${ITEMS[2]}`, `2. ${ITEMS[1]}`]);
    assert.equal(await page.getByTestId('isc-minutes').textContent(), MINUTES);
    // No write control: no item form, no arrows, no status menu, no minutes editor, no upload.
    assert.equal(await page.getByTestId('isc-item-form').count(), 0);
    assert.equal(await page.getByRole('button', { name: /^Move \d+ (up|down)$/ }).count(), 0);
    assert.equal(await page.getByTestId('isc-status').count(), 0);
    assert.equal(await page.locator('textarea').count(), 0);
    assert.equal(await page.getByRole('button', { name: /Save|Create|Add/ }).count(), 0);
    await checkA11y(page, 'session (delegate)');
    await screenshot(page, 'isc-session-delegate');
    await page.goto(`${app.base}/isc/recommendations`);
    await settle(page, 'Recommendations to the Policy Commission');
    await page.getByText(REC).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Record' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'New recommendation' }).count(), 0);

    const id = sessionUrl.split('/').pop()!;
    const res = await page.request.fetch(`${app.base}/api/isc/sessions/${id}/agenda`, {
      method: 'POST',
      headers: { 'x-requested-with': 'arusha' },
      data: { number: '9', titleEn: 'Delegate item' },
    });
    assert.equal(res.status(), 403);
    const after = await page.request.get(`${app.base}/api/isc/sessions/${id}`);
    assert.equal((await after.json()).agenda.length, 3, 'nothing stored');
    assert.deepEqual(unexpectedErrors(watch), []);
  });
});
