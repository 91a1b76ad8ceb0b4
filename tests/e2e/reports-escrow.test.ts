// Reporting, key escrow through the UI (docs/adr/0023-reporting-encryption.md, "Escrow"). Norland's
// organisation administrator finds escrow off on the channels page and switches it on: picks a
// custodian who has reporting keys (Ivan Investigator, not a recipient of the channel), types a
// wrong password first (a clear error, nothing changed), then the right one after reading the
// warning. A reporter with JavaScript off, the pages' own CSP and no cookie sees the escrow notice
// on the no-JavaScript form (en, then fr) and sends a report with a file. The channel's handler
// sees the escrow banner and the report's Escrow badge in the inbox. The custodian, not assigned,
// opens it through "Open via escrow" (unlocking the keys first), reads it, its files (read-only)
// and its access history; the handler then sees that opening in the access history. The
// administrator switches escrow off: the form no longer says anything, and the custodian's
// "Open via escrow" answers "Not found". The escrow panel is captured in English and Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import {
  type Browser,
  checkA11y,
  DEMO_PASSWORD,
  journey,
  orderedSteps,
  REPORTER,
  saveLocale,
  screenshot,
  settle,
  unexpectedErrors,
  unlockKeys,
  watchConsole,
} from './support.ts';

const ADMIN = 'orgadmin@norland.demo';
const HANDLER = 'integrity@norland.demo';
const CUSTODIAN = 'investigator@norland.demo';
const CUSTODIAN_NAME = 'Ivan Investigator';
const RUN = Date.now().toString(36);
const WHAT = `At the port gate an officer asked for 150 dollars to skip the scan (escrow canary ${RUN}).`;
const BEFORE = `A report sent before escrow was switched on (${RUN}).`;
const FILE_NAME = `gate-receipt-${RUN}.pdf`;
const NOTICE_EN = 'Designated custodians of this administration can also open reports';
const NOTICE_FR = 'Des dépositaires désignés de cette administration peuvent aussi ouvrir les signalements';
const XRW = { 'x-requested-with': 'arusha' };
const WIDE = { viewport: { width: 1440, height: 900 } };

interface EscrowState {
  enabled: boolean;
  custodians: { userId: string; name: string }[];
  escrowedReports: number;
}

async function smallPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.addPage([200, 100]);
  return Buffer.from(await doc.save());
}

describe('reports: key escrow switched on and off through the UI', { timeout: 600_000 }, () => {
  const app = journey();
  let admin: Browser | undefined;
  let handler: Browser | undefined;
  let custodian: Browser | undefined;
  /** The reporter's browser. */
  let anonymous: Browser | undefined;
  let page: Page;
  let org = '';
  let office = '';
  let reportId = '';
  const it = orderedSteps('reports-escrow', () => page);

  const escrowState = async (p: Page): Promise<EscrowState> => {
    const res = await p.request.get(`${app.base}/api/reports/escrow`);
    assert.equal(res.status(), 200, await res.text());
    return res.json();
  };
  const panel = (p: Page, name = 'Key escrow') => p.getByRole('region', { name, exact: true });

  it('the administrator finds escrow off; the custodian is a handler with keys, not a recipient of the channel', async () => {
    ({ browser: admin, page } = await app.signIn(ADMIN, WIDE));
    const me = await (await page.request.get(`${app.base}/api/me`)).json();
    org = me.activeOrganisation.id;
    const recipients = (await (await page.request.get(`${app.base}/api/reports/recipients`)).json())
      .items as {
      userId: string;
      name: string;
      hasKey: boolean;
    }[];
    const ivan = recipients.find((r) => r.name === CUSTODIAN_NAME);
    const ines = recipients.find((r) => r.name === 'Ines Integrity');
    assert.ok(ivan?.hasKey && ines?.hasKey, JSON.stringify(recipients));
    const channels = (await (await page.request.get(`${app.base}/api/reports/channels`)).json()).items as {
      slug: string;
      recipients: string[];
    }[];
    const channel = channels.find((c) => c.slug === 'report')!;
    assert.ok(channel.recipients.includes(ines.userId), 'the officer receives the channel');
    assert.ok(!channel.recipients.includes(ivan.userId), 'the custodian is not assigned');
    const pub = await (await fetch(`${app.base}/api/public/reports/${org}/report?lang=en`)).json();
    office = pub.offices[0].id;
    assert.equal(pub.escrow, false);
    assert.equal(pub.escrowNotice, null);
    // A report sent before escrow is on: it is never escrowed (not retroactive).
    const before = await fetch(`${app.base}/api/public/reports/${org}/report`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en', answers: { what: BEFORE, procedure: 'valuation' } }),
    });
    assert.equal(before.status, 201, await before.text());

    await page.goto(`${app.base}/reports/channels`);
    await settle(page, 'Reporting channels');
    const p = panel(page);
    await p.waitFor();
    assert.equal(await p.getByTestId('escrow-status').textContent(), 'Off');
    assert.equal(await p.getByTestId('escrow-banner').count(), 0);
    assert.equal(await p.getByTestId('escrow-switch').textContent(), 'Switch on…');
  });

  it('a wrong password shows a clear error and changes nothing; the right one switches escrow on', async () => {
    const watch = watchConsole(page);
    await page.getByTestId('escrow-switch').click();
    const dialog = page.getByRole('dialog', { name: 'Switch key escrow on' });
    await dialog.waitFor();
    await dialog.getByText('the custodians you name can open every report sent from now on').waitFor();
    const confirm = dialog.getByTestId('escrow-confirm');
    assert.equal(await confirm.isDisabled(), true, 'nothing to confirm before a custodian and a password');
    await dialog.getByTestId('escrow-custodians').click();
    await page.getByRole('option', { name: CUSTODIAN_NAME }).click();
    await page.keyboard.press('Escape');
    await dialog
      .getByRole('dialog')
      .waitFor({ state: 'detached' })
      .catch(() => {});
    const password = dialog.getByLabel('Your sign-in password', { exact: true });
    await password.fill('not my password');
    await screenshot(page, 'reports-escrow-switch-en', false);
    await confirm.click();
    await dialog.getByText('The password is not correct.').waitFor();
    assert.equal((await escrowState(page)).enabled, false, 'a wrong password changes nothing');
    assert.equal(await dialog.isVisible(), true, 'the dialog stays open');

    await password.fill(DEMO_PASSWORD);
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    const p = panel(page);
    await p.getByTestId('escrow-status').getByText('On', { exact: true }).waitFor();
    const banner = p.getByTestId('escrow-banner');
    await banner.getByText('Key escrow is on').waitFor();
    assert.match((await banner.textContent())!, new RegExp(`custodians \\(${CUSTODIAN_NAME}\\)`));
    await p.getByText('Reports sealed to the escrow key: 0').waitFor();
    assert.equal(await p.getByTestId('escrow-switch').textContent(), 'Switch off…');
    const state = await escrowState(page);
    assert.equal(state.enabled, true);
    assert.deepEqual(
      state.custodians.map((c) => c.name),
      [CUSTODIAN_NAME],
    );
    await checkA11y(page, 'channels page, escrow on');
    await screenshot(page, 'reports-escrow-on-en');
    assert.deepEqual(unexpectedErrors(watch, [/status of 422 .*\/api\/reports\/escrow/]), []);
  });

  it('in Arabic the escrow panel and its switch-off dialog read right to left', async () => {
    await saveLocale(page, app.base, 'ar');
    try {
      await page.goto(`${app.base}/reports/channels`);
      await settle(page, 'قنوات الإبلاغ');
      assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
      const p = panel(page, 'حفظ المفاتيح لدى الأمناء');
      await p.getByTestId('escrow-status').getByText('مفعّل').waitFor();
      await p.getByTestId('escrow-banner').getByText(CUSTODIAN_NAME, { exact: false }).waitFor();
      await screenshot(page, 'reports-escrow-on-ar');
      await p.getByTestId('escrow-switch').click();
      const dialog = page.getByRole('dialog', { name: 'إيقاف حفظ المفاتيح لدى الأمناء' });
      await dialog.waitFor();
      await dialog.getByText('لا يمكن التراجع عن ذلك').waitFor();
      await checkA11y(page, 'escrow switch-off dialog (ar)');
      await screenshot(page, 'reports-escrow-switch-off-ar', false);
      await dialog.getByRole('button', { name: 'إلغاء' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal((await escrowState(page)).enabled, true, 'cancelling changes nothing');
    } finally {
      await saveLocale(page, app.base, 'en');
    }
  });

  it('the reporter sees the escrow notice on the no-JavaScript form (en, then fr) and sends a report with a file', async () => {
    anonymous = await app.launch(REPORTER);
    const form = anonymous.page;
    await form.goto(`${app.base}/report/${org}/report?lang=en`);
    const notice = form.locator('[data-escrow="on"]');
    await notice.getByRole('heading', { name: 'Key escrow is on in this administration' }).waitFor();
    assert.ok((await notice.textContent())!.includes(NOTICE_EN));
    await form.goto(`${app.base}/report/${org}/report?lang=fr`);
    assert.equal(await form.evaluate(() => document.documentElement.lang), 'fr');
    assert.ok((await form.locator('[data-escrow="on"]').textContent())!.includes(NOTICE_FR));
    assert.equal(await form.locator('input[name="escrow"]').inputValue(), 'on');
    await form.locator('[name="a.what"]').fill(WHAT);
    await form.locator('[name="a.procedure"][value="transit"]').check();
    await form.locator('[name="a.office"]').selectOption(office);
    await form
      .locator('input[type="file"][name="files"]')
      .setInputFiles([{ name: FILE_NAME, mimeType: 'application/pdf', buffer: await smallPdf() }]);
    await form.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await form.getByRole('heading', { name: 'Votre signalement a été envoyé' }).waitFor();
    // The receipt page says that this report too can be opened by the custodians.
    await form
      .locator('[data-escrow="on"]')
      .getByText('peuvent aussi ouvrir ce signalement', { exact: false })
      .waitFor();
    assert.deepEqual(await anonymous.context.cookies(), [], 'the public pages set no cookie');
  });

  it("the handler's inbox shows the escrow banner and the report with its Escrow badge", async () => {
    const { browser, page: p, watch } = await app.signIn(HANDLER, WIDE);
    handler = browser;
    page = p;
    await p.goto(`${app.base}/reports`);
    await settle(p, 'Report inbox');
    await unlockKeys(p);
    const banner = p.getByTestId('escrow-banner');
    await banner.getByText('Key escrow is on').waitFor();
    assert.ok((await banner.textContent())!.includes(CUSTODIAN_NAME));
    assert.equal(await banner.getByText('You are a custodian').count(), 0, 'the handler is not a custodian');
    // The only report sent while escrow is on; the API tells its id.
    const { items } = await (await p.request.get(`${app.base}/api/reports`)).json();
    const escrowed = (items as { id: string; escrowed: boolean }[]).filter((r) => r.escrowed);
    assert.equal(escrowed.length, 1, JSON.stringify(items));
    reportId = escrowed[0]!.id;
    const row = p.getByTestId('report-row').filter({ has: p.locator(`a[href="/reports/${reportId}"]`) });
    await row.getByTestId('report-escrowed').getByText('Escrow').waitFor();
    assert.equal(await p.getByTestId('report-escrowed').count(), 1, 'only the new report is escrowed');
    assert.equal(await p.getByTestId('report-row').count(), 2, 'the report sent before is listed too');
    await screenshot(p, 'reports-escrow-inbox-en');
    assert.deepEqual(unexpectedErrors(watch), []);
  });

  it('the custodian opens the report via escrow (keys unlocked first): text, read-only files, access history', async () => {
    const { browser, page: p, watch } = await app.signIn(CUSTODIAN, WIDE);
    custodian = browser;
    page = p;
    await p.goto(`${app.base}/reports`);
    await settle(p, 'Report inbox');
    await p.getByTestId('escrow-banner').getByText('You are a custodian').waitFor();
    // Not assigned: no link to the report page, only "Open via escrow".
    assert.equal(await p.locator(`a[href="/reports/${reportId}"]`).count(), 0);
    await p.locator(`a[href="/reports/${reportId}/escrow"]`).getByText('Open via escrow').click();
    await settle(p, 'Open a report via escrow');
    await p.getByText('The opening is recorded in the audit trail').waitFor();
    assert.equal(await p.getByTestId('report-answers').count(), 0, 'nothing is opened on page load');
    const open = p.getByTestId('escrow-open');
    await open.click();
    // Locked keys: the page asks for them, then the opening goes through.
    await unlockKeys(p);
    assert.equal(await p.getByTestId('report-answers').count(), 0);
    await open.click();
    await settle(p, /^Report received /);
    await p.getByText('Opened via escrow (read only, audited).').waitFor();
    await p.getByTestId('report-answers').getByText(WHAT).waitFor();
    const files = p.getByRole('region', { name: 'Files' });
    await files.getByTestId('report-files').getByRole('button', { name: FILE_NAME }).waitFor();
    assert.equal(await files.getByRole('button', { name: /^Send a file/ }).count(), 0, 'read-only');
    assert.equal(await p.getByTestId('message-body').count(), 0, 'no reply from an escrow opening');
    assert.equal(await p.getByTestId('acknowledge').count(), 0);
    // The history as of the opening: this very opening, by the custodian, marked via escrow.
    const opened = p.getByTestId('report-access').getByRole('row').filter({ hasText: 'Opened via escrow' });
    assert.equal(await opened.count(), 1);
    assert.ok((await opened.textContent())!.includes(CUSTODIAN_NAME));
    // Its badge shows the whole label in the narrow column (it was cut to "Opened via esc…").
    const label = opened.locator('.mantine-Badge-label');
    assert.ok(
      await label.evaluate((e) => e.scrollWidth <= e.clientWidth + 1),
      'the "Opened via escrow" badge is not cut',
    );
    await checkA11y(p, 'report opened via escrow');
    await screenshot(p, 'reports-escrow-opened-en');
    // The 409 for the locked keys is the one expected error.
    assert.deepEqual(unexpectedErrors(watch, [/status of 4\d\d .*open-via-escrow/]), []);
  });

  it("the assigned handler sees the custodian's escrow opening in the report's access history", async () => {
    const p = handler!.page;
    page = p;
    await p.goto(`${app.base}/reports/${reportId}`);
    await settle(p, /^Report received /);
    await p.getByTestId('report-answers').getByText(WHAT).waitFor();
    await p.getByText('This report was sent while key escrow was on').waitFor();
    const access = p.getByTestId('report-access').getByRole('row');
    const row = access.filter({ hasText: 'Opened via escrow' });
    assert.equal(await row.count(), 1);
    assert.ok((await row.textContent())!.includes(CUSTODIAN_NAME));
    // The custodian's look at the files is there too, under their name.
    assert.ok(
      (await access.filter({ hasText: 'Files listed' }).filter({ hasText: CUSTODIAN_NAME }).count()) >= 1,
    );
    await screenshot(p, 'reports-escrow-report-handler-en');
  });

  it('the administrator switches escrow off; the form says nothing more and the custodian gets "Not found"', async () => {
    // The custodian has the escrow page open, as before the switch.
    const c = custodian!.page;
    await c.goto(`${app.base}/reports/${reportId}/escrow`);
    await settle(c, 'Open a report via escrow');
    assert.equal(await c.getByTestId('escrow-open').isEnabled(), true);

    page = admin!.page;
    await page.goto(`${app.base}/reports/channels`);
    await settle(page, 'Reporting channels');
    const p = panel(page);
    await p.getByText('Reports sealed to the escrow key: 1').waitFor();
    await p.getByTestId('escrow-switch').click();
    const dialog = page.getByRole('dialog', { name: 'Switch key escrow off' });
    await dialog.getByText('This cannot be undone.').waitFor();
    await dialog.getByLabel('Your sign-in password', { exact: true }).fill(DEMO_PASSWORD);
    await dialog.getByRole('button', { name: 'Destroy the escrow key' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByTestId('escrow-status').getByText('Off', { exact: true }).waitFor();
    assert.equal(await p.getByTestId('escrow-banner').count(), 0);
    assert.equal((await escrowState(page)).enabled, false);

    const form = anonymous!.page;
    for (const lang of ['en', 'fr']) {
      await form.goto(`${app.base}/report/${org}/report?lang=${lang}`);
      await form.locator('[name="a.what"]').waitFor();
      assert.equal(await form.locator('[data-escrow]').count(), 0, lang);
      assert.ok(!(await form.content()).includes(lang === 'en' ? NOTICE_EN : NOTICE_FR), lang);
      assert.equal(await form.locator('input[name="escrow"]').inputValue(), 'off');
    }

    // The page still shown to the custodian: its "Open via escrow" now answers "Not found".
    const [response] = await Promise.all([
      c.waitForResponse((r) => r.url().endsWith(`/api/reports/${reportId}/open-via-escrow`)),
      c.getByTestId('escrow-open').click(),
    ]);
    assert.equal(response.status(), 404);
    await c.getByRole('alert').getByText('Not found').waitFor();
    assert.equal(await c.getByTestId('report-answers').count(), 0);
    // Loaded again, the page says they are no custodian any more; the inbox no longer lists the report.
    await c.reload();
    await settle(c, 'Open a report via escrow');
    await c.getByText('You are not an escrow custodian of this administration.').waitFor();
    assert.equal(await c.getByTestId('escrow-open').isDisabled(), true);
    const direct = await c.request.post(`${app.base}/api/reports/${reportId}/open-via-escrow`, {
      headers: XRW,
    });
    assert.equal(direct.status(), 404);
    const list = (await (await c.request.get(`${app.base}/api/reports`)).json()).items as { id: string }[];
    assert.equal(
      list.some((r) => r.id === reportId),
      false,
    );
    // The handler keeps the report.
    const mine = await handler!.page.request.post(`${app.base}/api/reports/${reportId}/open`, {
      headers: XRW,
    });
    assert.equal(mine.status(), 200);
    assert.ok((await mine.text()).includes(WHAT));
  });
});
