// Reporting, the handler's side (issue 4): a reporter submits in French through the public form
// in a browser with JavaScript switched off and the page's own CSP (no sign-in, no cookie); the integrity officer unlocks the demo reporting keys, opens the
// report, acknowledges it and asks a question; the reporter reads it with the receipt and
// answers; the officer reads the answer and opens a case, and the case page shows it, with the
// report as its source; the officer takes the case to a decision and closes it, and the case
// statistics count it with small counts suppressed. The inbox and the report page are checked with axe-core and captured in
// English and in right-to-left Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  checkA11y,
  journey,
  KEYS_PASSPHRASE,
  launchBrowser,
  login,
  orderedSteps,
  REPORTER,
  saveLocale,
  screenshot,
  settle,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

const OFFICER = 'integrity@norland.demo';
const WHAT = "Au poste frontière, un agent a exigé 200 dollars pour dédouaner un camion sans l'examiner.";
const QUESTION = 'Could you tell us which day this happened, and at which counter?';
const ANSWER = 'Le mardi 3 novembre, au guichet 2, vers 10 heures.';

describe('reports: the handler works a report into a case', { timeout: 600_000 }, () => {
  const app = journey({ reuseServer: true });
  /** The reporter's browser. */
  let anonymous: Browser | undefined;
  let page: Page;
  let org = '';
  let receipt = '';
  let reportId = '';
  let caseRef = '';
  let caseHref = '';
  const it = orderedSteps('reports', () => page);

  /** The reporter: plain requests without cookies, as the anonymous public pages make them. */
  const reporter = async <T>(path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${app.base}/api/public/reports/${org}${path}`, {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json', 'accept-language': 'fr' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  };

  it('a reporter submits in French through the public channel and gets a receipt', async () => {
    ({ page } = await app.signIn(OFFICER, { viewport: { width: 1440, height: 900 } }));
    const me = await (await page.request.get(`${app.base}/api/me`)).json();
    org = me.activeOrganisation.id;
    const channel = await reporter<{ language: string; offices: { id: string }[] }>('/report?lang=fr');
    assert.equal(channel.status, 200);
    assert.equal(channel.json.language, 'fr');
    const office = channel.json.offices[0]!.id;
    // Two earlier reports so that the inbox has more than one row.
    for (const [what, procedure] of [
      ['Un agent du bureau de transit demande un cadeau pour accélérer les dossiers.', 'transit'],
      ["Des frais de « classement » non prévus sont demandés à l'exportation.", 'exemptions'],
    ] as const) {
      const r = await reporter('/report', { language: 'fr', answers: { what, procedure } });
      assert.equal(r.status, 201, JSON.stringify(r.json));
    }
    // Ours goes through the no-JavaScript form, as a reporter on a locked-down browser sends it.
    anonymous = await app.launch({ ...REPORTER, locale: 'fr-FR' });
    const form = anonymous.page;
    await form.goto(`${app.base}/report/${org}/report?lang=fr`);
    assert.equal(await form.evaluate(() => document.documentElement.lang), 'fr');
    await form.locator('[name="a.what"]').fill(WHAT);
    await form.locator('[name="a.procedure"][value="valuation"]').check();
    await form.locator('[name="a.office"]').selectOption(office);
    await form.locator('[name="a.money"][value="asked"]').check();
    await form.locator('[name="a.amount"]').fill('200');
    await form.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await form.getByRole('heading', { name: 'Votre signalement a été envoyé' }).waitFor();
    receipt = (await form.locator('.receipt').textContent())!.trim();
    assert.match(receipt.replace(/\D/g, ''), /^\d{20,}$/);
    assert.deepEqual(await anonymous.context.cookies(), [], 'the public pages set no cookie');
  });

  it('the officer unlocks the reporting keys from the inbox banner and finds the report', async () => {
    const watch = watchConsole(page);
    await page.goto(`${app.base}/reports`);
    await settle(page, 'Report inbox');
    // The server started with every key locked: the inbox says so and unlocks in place.
    const banner = page.getByTestId('keys-locked');
    await banner.waitFor();
    await banner.getByLabel('Passphrase').fill('not the passphrase');
    await banner.getByRole('button', { name: 'Unlock' }).click();
    await banner.getByText('Wrong passphrase.').waitFor();
    await banner.getByLabel('Passphrase').fill(KEYS_PASSPHRASE);
    await banner.getByRole('button', { name: 'Unlock' }).click();
    await banner.waitFor({ state: 'detached' });
    const rows = page.getByTestId('report-row');
    assert.equal(await rows.count(), 3);
    assert.equal(await rows.first().getByTestId('report-status').textContent(), 'New');
    await checkA11y(page, 'report inbox');
    // Filters: closed reports only → none.
    await page.getByTestId('filter-status').selectOption('closed');
    await page.getByTestId('inbox-empty').waitFor();
    await page.getByTestId('filter-status').selectOption('open');
    // Times are to the hour: the three rows look alike. The API tells which one is ours.
    const { items } = await (await page.request.get(`${app.base}/api/reports`)).json();
    for (const { id } of items as { id: string }[]) {
      const open = await page.request.post(`${app.base}/api/reports/${id}/open`, {
        headers: { 'x-requested-with': 'arusha' },
      });
      if (JSON.stringify(await open.json()).includes(WHAT)) reportId = id;
    }
    assert.ok(reportId, 'the report is among those sealed to the officer');
    await page.locator(`a[href="/reports/${reportId}"]`).click();
    await page.waitForURL(`${app.base}/reports/${reportId}`);
    await settle(page, /^Report received /);
    await page.getByTestId('report-answers').getByText(WHAT).waitFor();
    // The wrong passphrase tried above is the one expected error.
    assert.deepEqual(unexpectedErrors(watch, [/status of 422 .*\/api\/reports\/keys\/unlock/]), []);
  });

  it('the report page shows the answers in English labels, acknowledges and asks the reporter a question', async () => {
    const answers = page.getByTestId('report-answers');
    // The reporter wrote in French; the officer reads the questionnaire's English labels.
    await answers.getByText('Which procedure?').waitFor();
    await answers.getByText('Valuation').waitFor();
    await page.getByTestId('acknowledge').click();
    await page.getByTestId('report-status').getByText('Acknowledged').waitFor();
    await page.getByTestId('message-body').fill(QUESTION);
    await page.getByRole('button', { name: 'Send to the reporter' }).click();
    await page.getByTestId('message-handler').getByText(QUESTION).waitFor();
    assert.equal(await page.getByTestId('message-body').inputValue(), '');
    // Internal work is not written here: the page says where it goes.
    await page.getByText('Internal notes, subjects and investigation steps belong to a case').waitFor();
    await checkA11y(page, 'report page');
  });

  it('the reporter reads the question with the receipt and answers it', async () => {
    const form = anonymous!.page;
    await form.goto(`${app.base}/report/${org}/report/follow-up?lang=fr`);
    await form.locator('#receipt').fill(receipt);
    await form.getByRole('button', { name: 'Ouvrir mon signalement' }).click();
    await form.getByText(QUESTION).waitFor();
    await form.locator('#body').fill(ANSWER);
    await form.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await form.getByText(ANSWER).waitFor();
    // The JSON follow-up agrees: the handler's question, then the reporter's answer.
    const view = await reporter<{ status: string; messages: { direction: string; body: string }[] }>(
      '/follow-up',
      { receipt },
    );
    assert.equal(view.status, 200, JSON.stringify(view.json));
    assert.equal(view.json.status, 'acknowledged');
    assert.deepEqual(
      view.json.messages.map((m) => [m.direction, m.body]),
      [
        ['handler', QUESTION],
        ['reporter', ANSWER],
      ],
    );
  });

  it('the officer reads the answer and opens a case; the case page shows it with the report as source', async () => {
    await page.reload();
    await settle(page, /^Report received /);
    await page.getByTestId('message-reporter').getByText(ANSWER).waitFor();
    await screenshot(page, 'reports-report-en');
    await page.getByTestId('open-case').click();
    const link = page.getByTestId('report-case').getByRole('link', { name: /^Go to case CASE-\d{4}-\d{4}$/ });
    await link.waitFor();
    caseRef = (await link.textContent())!.replace('Go to case ', '');
    caseHref = (await link.getAttribute('href'))!;
    assert.equal(await page.getByTestId('report-status').textContent(), 'Triaged into a case');
    await link.click();
    await settle(page, `Case ${caseRef}`);
    await page.getByText(`Report · ${reportId}`).waitFor();
    await page.getByText('Report corruption — Valuation').first().waitFor();
    // Back on the inbox the report is marked as triaged, with its case.
    await page.goto(`${app.base}/reports`);
    await settle(page, 'Report inbox');
    const row = page.getByTestId('report-row').filter({ hasText: 'Case opened' });
    assert.equal(await row.count(), 1);
    await screenshot(page, 'reports-inbox-en');
  });

  it('the officer takes the case to a decision and closes it; the statistics page counts it, small counts suppressed', async () => {
    await page.goto(`${app.base}${caseHref}`);
    await settle(page, `Case ${caseRef}`);
    const status = page.getByTestId('case-status');
    for (const [to, label] of [
      ['acknowledged', 'Acknowledged'],
      ['triage', 'Triage'],
      ['investigation', 'Investigation'],
      ['investigation_report', 'Investigation report'],
    ] as const) {
      await page.getByTestId(`move-${to}`).click();
      await status.getByText(label, { exact: true }).waitFor();
    }
    await page.getByTestId('move-decision').click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Decision').selectOption('substantiated');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('move-outcome').click();
    dialog = page.getByRole('dialog');
    await dialog.getByLabel('Outcome').selectOption('management_action');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByTestId('move-closed').click();
    await status.getByText('Closed', { exact: true }).waitFor();
    await page.getByText('This case is closed.').waitFor();
    // Statistics without content: the case is counted; groups under five are shown as "< 5".
    const stats = await (await page.request.get(`${app.base}/api/cases/statistics`)).json();
    assert.ok(stats.total === null || stats.total >= 1, JSON.stringify(stats.total));
    await page.goto(`${app.base}/cases/statistics`);
    await settle(page, 'Case statistics');
    await page.locator('.arusha-chart svg').first().waitFor();
    await page.getByText('< 5').first().waitFor();
    await checkA11y(page, 'case statistics');
  });

  it('in Arabic the inbox and the report page read right to left', async () => {
    await saveLocale(page, app.base, 'ar');
    await page.goto(`${app.base}/reports`);
    await settle(page, 'صندوق البلاغات');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await checkA11y(page, 'report inbox (ar)');
    await screenshot(page, 'reports-inbox-ar');
    await page.goto(`${app.base}/reports/${reportId}`);
    await settle(page, /^بلاغ ورد في /);
    await page.getByTestId('message-reporter').getByText(ANSWER).waitFor();
    await checkA11y(page, 'report page (ar)');
    await screenshot(page, 'reports-report-ar');
    await saveLocale(page, app.base, 'en');
  });

  it('a handler without keys sets them up (recovery key shown once), locks, and recovers with the recovery key', async () => {
    // Sudmark's integrity officer holds reports.handle and has no keys (the demo seeds Norland's only).
    const other = await launchBrowser({ viewport: { width: 1280, height: 900 } });
    try {
      const p = other.page;
      await login(p, app.base, 'isc@sudmark.demo');
      await p.goto(`${app.base}/reports`);
      await settle(p, 'Report inbox');
      await p.getByRole('link', { name: 'Set up my keys' }).click();
      await settle(p, 'Reporting keys');
      const setup = p.getByRole('region', { name: 'Set up your keys' });
      const first = setup.getByLabel('Passphrase', { exact: true });
      const again = setup.getByLabel('Passphrase again');
      const create = setup.getByRole('button', { name: 'Create my keys' });
      await first.fill('too short');
      await p.getByText('Too short: at least 12 characters.').waitFor();
      assert.equal(await create.isDisabled(), true);
      const passphrase = 'lantern cobalt orchard whistle';
      await first.fill(passphrase);
      await p.getByText('Strong.').waitFor();
      await again.fill('lantern cobalt orchard');
      await p.getByText('The two passphrases differ').waitFor();
      assert.equal(await create.isDisabled(), true);
      await again.fill(passphrase);
      await create.click();
      const shown = p.getByTestId('recovery-key');
      await shown.waitFor();
      const recoveryKey = (await shown.textContent())!.trim();
      assert.match(recoveryKey, /^([A-Z2-9]{4}-){12}[A-Z2-9]{4}$/);
      const done = p.getByTestId('recovery-done');
      assert.equal(await done.isDisabled(), true, 'not before the recovery key is confirmed stored');
      await checkA11y(p, 'recovery key');
      await p.getByLabel('I have stored my recovery key').check();
      await done.click();
      await p.getByTestId('keys-status').getByText('Unlocked').waitFor();
      assert.equal(await p.getByTestId('recovery-key').count(), 0, 'shown once');
      await p.getByTestId('lock-keys').click();
      await p.getByTestId('keys-status').getByText('Locked').waitFor();
      const recover = p.getByRole('region', { name: 'Forgot your passphrase?' });
      await recover.getByLabel('Recovery key').fill(recoveryKey);
      await recover.getByLabel('Passphrase', { exact: true }).fill('a brand new passphrase here');
      await recover.getByLabel('Passphrase again').fill('a brand new passphrase here');
      await recover.getByRole('button', { name: 'Set the new passphrase' }).click();
      await p.getByTestId('keys-status').getByText('Unlocked').waitFor();
      await checkA11y(p, 'keys page');
      await screenshot(p, 'reports-keys-en');
    } finally {
      await other.close();
    }
  });

  it('locking the keys hides the report until they are unlocked again', async () => {
    await page.goto(`${app.base}/reports/${reportId}`);
    await settle(page);
    await page.getByTestId('lock-keys').click();
    await page.getByTestId('keys-locked').waitFor();
    assert.equal(await page.getByTestId('report-answers').count(), 0);
  });
});
