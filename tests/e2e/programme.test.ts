// The A-CIP journey of issue 6 (the IATI file has its own tests):
// Estavia's organisation admin submits an expression of interest; the WCO Secretariat screens it,
// makes it eligible with its estimated cost, then a partner funded by the demo donor, corrects the
// partner's coordinator on the Partners tab, writes Norland's multi-annual plan (a concurrent save: the 409
// message and a reload that keeps the typing), records an activity charged to the donor's agreement
// earmarked to Estavia's region (signed in the journey) and corrects its title, with a mission report;
// the donor signs in and sees the activity, the partner and the chart of its agreements on its
// dashboard, downloads the mission report and its own report; the partner downloads the mission
// report from its page. axe-core checks each page.
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

const RUN = Date.now().toString(36);
const HEAD = `Director General ${RUN}`;
// Recorded with a typo, then corrected through the edit form: the reports show the corrected title.
const TYPO = `Integrity scoping misison to Estavia (${RUN})`;
const ACTIVITY = `Integrity scoping mission to Estavia (${RUN})`;
// The activity's mission report, attached by the Secretariat, read by the donor and the partner.
const REPORT = `mission-report-${RUN}.pdf`;
// An agreement of the demo donor earmarked to Estavia's WCO region (Americas and Caribbean), signed
// in the journey: the demo's IF-2026-01 is earmarked to East and Southern Africa.
const AGREEMENT = `IF-AMC-${RUN}`;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

describe('A-CIP programme', { timeout: 900_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  const it = orderedSteps('programme', () => page);

  it("Estavia's organisation admin submits an expression of interest", async () => {
    const { page: p, watch } = await app.signIn('orgadmin@estavia.demo');
    page = p;
    await page.goto(`${app.base}/programme/interest`);
    await settle(page, 'Expression of interest in A-CIP');
    await page.getByTestId('programme-head-name').fill(HEAD);
    await page.getByTestId('programme-head-title').fill('Director General of Customs');
    await page.getByTestId('programme-endorsed-on').fill('2026-03-01');
    await page.getByLabel('What you want to achieve').fill('An internal affairs unit');
    await page.getByTestId('programme-contact-name').fill('Elena Admin');
    await page.getByTestId('programme-contact-email').fill('elena@example.org');
    await page.getByTestId('programme-submit').click();
    await page.getByText('Expression of interest submitted').waitFor();
    await page.getByTestId('programme-mine').getByText('Received').first().waitFor();
    await checkA11y(page, 'expression of interest');
    await screenshot(page, 'programme-interest');
    assert.deepEqual(unexpectedErrors(watch), []);
    await signOut(page);
  });

  it('the Secretariat screens it, makes it eligible, then a partner funded by the donor', async () => {
    await login(page, app.base, 'programme@wco.demo');
    await page.goto(`${app.base}/programme`);
    await settle(page, 'A-CIP pipeline');
    await checkA11y(page, 'pipeline');
    const card = (status: string) =>
      page
        .getByTestId(`programme-column-${status}`)
        .getByTestId('programme-eoi-card')
        .filter({ hasText: HEAD });
    const decide = async (status: string, fill: () => Promise<void>) => {
      await card(status).getByTestId('programme-open-eoi').click();
      const dialog = page.getByRole('dialog');
      await dialog.getByTestId('programme-reason').fill(`Decision from ${status}`);
      await fill();
      await dialog.getByTestId('programme-move').click();
      await dialog.waitFor({ state: 'hidden' });
    };
    await decide('received', async () => {});
    await card('screening').waitFor();
    await decide('screening', async () => {
      await page.getByRole('dialog').getByTestId('programme-estimate').fill('120000');
    });
    await card('eligible_awaiting_funding').waitFor();
    await decide('eligible_awaiting_funding', async () => {
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('End', { exact: true }).fill('2028-12-31');
      await chooseOption(page, 'programme-partner-donors', 'Integrity Fund', { force: true });
      await dialog.getByLabel('National coordinator').fill('Elena Admin');
      await dialog.getByLabel("Coordinator's e-mail").fill('elena@example.org');
    });
    await card('partner').waitFor();
    // The world map (its own lazy chunk) draws the countries; the demo administrations carry real
    // country codes (Estavia stands in for Peru), so they are on it, none listed under it.
    await page.getByTestId('programme-map').locator('svg path').nth(100).waitFor({ state: 'attached' });
    const map = page.getByTestId('programme-map').locator('.arusha-chart');
    assert.match((await map.getAttribute('aria-label')) ?? '', /Peru: Estavia Customs \(demo\) \(Partner\)/);
    assert.equal(await page.getByTestId('programme-map-off').count(), 0);
    // Results by RAD factor: the demo requests' priorities are on the chart's description.
    const byFactor = page.getByTestId('programme-by-factor').locator('.arusha-chart');
    assert.match(
      (await byFactor.getAttribute('aria-label')) ?? '',
      /^Results by RAD key factor — .*: requests \d/,
    );
    await screenshot(page, 'programme-pipeline');
  });

  it('the Secretariat corrects the new partner’s coordinator on the Partners tab', async () => {
    await page
      .getByRole('navigation', { name: 'Programme pages' })
      .getByRole('link', { name: 'Partners' })
      .click();
    await settle(page, 'Partners');
    const row = page
      .getByTestId('programme-partner-row')
      .filter({ hasText: 'Estavia Customs (demo)' })
      .first();
    assert.match(
      (await row.getByTestId('programme-partner-results').getAttribute('href')) ?? '',
      /^\/programme\/results\/[0-9a-f-]+$/,
    );
    // The pipeline's last notification, greyed under the dialog's overlay, would fail the contrast check.
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    await checkA11y(page, 'partners');
    await row.getByTestId('programme-partner-edit').click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByTestId('programme-partner-coordinator-name').inputValue(), 'Elena Admin');
    await dialog.getByTestId('programme-partner-coordinator-name').fill(`Elena Coordinator ${RUN}`);
    await checkA11y(page, 'edit partner');
    await dialog.getByTestId('programme-partner-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await row.getByText(`Elena Coordinator ${RUN}`).waitFor();
    await screenshot(page, 'programme-partners');
  });

  it('the Secretariat writes Norland’s multi-annual plan; a concurrent save gives the 409 message and a reload', async () => {
    const list = await page.request.get(`${app.base}/api/programme/partnerships`);
    const norland = (
      (await list.json()) as { items: { id: string; organisation: string; startsOn: string }[] }
    ).items.find((p) => p.organisation === 'Norland Customs (demo)');
    assert.ok(norland, 'the demo partnership of Norland');
    const year = norland.startsOn.slice(0, 4);
    // Another journey against the same server (the results page's) may have saved a plan: start empty.
    const planUrl = `${app.base}/api/programme/partnerships/${norland.id}/plan`;
    const first = (await (await page.request.get(planUrl)).json()) as { version: number };
    const emptied = await page.request.fetch(planUrl, {
      method: 'PUT',
      headers: { 'x-requested-with': 'arusha' },
      data: { version: first.version, phases: [], kpis: [] },
    });
    assert.equal(emptied.status(), 200);
    await page.getByRole('button', { name: 'Multi-annual plan of Norland Customs (demo)' }).click();
    const plan = page.getByTestId('programme-plan');
    await plan.getByTestId('programme-plan-edit').click();
    const dialog = page.getByRole('dialog');
    // The date inputs in order: the phase's start and end, the benchmark's target date, the period's.
    const dates = dialog.locator('input[type="date"]');
    await dialog.getByTestId('programme-plan-add-phase').click();
    await dialog.getByLabel('Phase', { exact: true }).fill(`Year 1 ${RUN}`);
    await dates.nth(0).fill(norland.startsOn);
    await dates.nth(1).fill(`${year}-12-31`);
    await dialog.getByRole('button', { name: 'Add a benchmark' }).click();
    await dialog.getByLabel('Benchmark', { exact: true }).fill(`Code of conduct adopted ${RUN}`);
    await dialog.getByTestId('programme-plan-add-kpi').click();
    await dialog.getByLabel('KPI', { exact: true }).fill('Average clearance time');
    await dialog.getByLabel('Unit', { exact: true }).fill('hours');
    await dialog.getByLabel('Baseline', { exact: true }).fill('48');
    await dialog.getByLabel('Target', { exact: true }).fill('24');
    await dialog.getByRole('button', { name: 'Add a period' }).click();
    await dialog.getByLabel('Period', { exact: true }).fill(year);
    await dates.nth(3).fill(`${year}-01-01`);
    await dates.nth(4).fill(`${year}-12-31`);
    await dialog.getByLabel('Actual', { exact: true }).fill('40');
    await checkA11y(page, 'multi-annual plan form');
    // Someone else saves the plan meanwhile: the dialog's version is stale.
    const read = await page.request.get(planUrl);
    const { version } = (await read.json()) as { version: number };
    const other = await page.request.fetch(planUrl, {
      method: 'PUT',
      headers: { 'x-requested-with': 'arusha' },
      data: { version, phases: [], kpis: [] },
    });
    assert.equal(other.status(), 200);
    await dialog.getByTestId('programme-plan-save').click();
    const conflict = dialog.getByTestId('version-conflict');
    await conflict.waitFor();
    await conflict.getByRole('button').click();
    // The reload keeps the typing; the save at the current version goes through.
    assert.equal(
      await dialog.getByLabel('Benchmark', { exact: true }).inputValue(),
      `Code of conduct adopted ${RUN}`,
    );
    await dialog.getByTestId('programme-plan-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await plan.getByTestId('programme-plan-benchmark').getByText(`Code of conduct adopted ${RUN}`).waitFor();
    await plan.getByTestId('programme-plan-kpi').getByText('Baseline: 48 · Target: 24').waitFor();
    await plan.getByTestId('programme-plan-action-plan').waitFor();
    await checkA11y(page, 'multi-annual plan');
    await screenshot(page, 'programme-plan');
  });

  it('the Secretariat records an activity charged to the donor’s agreement and corrects its title', async () => {
    // The demo's IF-2026-01 is earmarked to East and Southern Africa: it may not pay for an activity
    // serving Estavia (Americas and Caribbean). The donor signs an agreement earmarked to that region.
    const donors = (await (await page.request.get(`${app.base}/api/programme/donors`)).json()) as {
      items: { id: string; name: string }[];
    };
    const signed = await page.request.post(`${app.base}/api/programme/agreements`, {
      headers: { 'x-requested-with': 'arusha' },
      data: {
        donorId: donors.items.find((d) => d.name === 'Integrity Fund')!.id,
        reference: AGREEMENT,
        amount: { amount: '200000.00', currency: 'EUR' },
        startsOn: '2026-01-01',
        endsOn: '2027-12-31',
        earmarkRegion: 'AMC',
      },
    });
    assert.equal(signed.status(), 201, await signed.text());
    await page.goto(`${app.base}/programme/activities`);
    await settle(page, 'Activities');
    await page.getByTestId('programme-activity-title').fill(TYPO);
    await page.getByLabel('Start', { exact: true }).fill('2026-09-14');
    await page.getByLabel('End', { exact: true }).fill('2026-09-18');
    await chooseOption(page, 'programme-activity-partners', 'Estavia Customs (demo)', { force: true });
    await page.keyboard.press('Escape');
    await page.getByTestId('programme-cost-label').fill('Experts’ travel');
    await chooseOption(page, 'programme-cost-agreement', `${AGREEMENT} (Integrity Fund)`);
    await page.getByTestId('programme-cost-amount').fill('9850.40');
    await page.getByTestId('programme-activity-save').click();
    const list = page.getByTestId('programme-activities');
    await list.getByText(TYPO).waitFor();
    await checkA11y(page, 'activities');
    // The programme manager corrects the title in the same form, pre-filled, in a dialog.
    await list.getByRole('button', { name: `Edit ${TYPO}` }).click();
    const dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByTestId('programme-cost-amount').inputValue(), '9850.40');
    await dialog.getByTestId('programme-activity-title').fill(ACTIVITY);
    await checkA11y(page, 'edit activity');
    await dialog.getByTestId('programme-activity-save').click();
    await dialog.waitFor({ state: 'hidden' });
    await list.getByText(ACTIVITY).waitFor();
    assert.equal(await list.getByText(TYPO).count(), 0);
    // Its mission report, attached through the API (the edit dialog's upload is the records journey's).
    const acts = (await (await page.request.get(`${app.base}/api/programme/activities`)).json()) as {
      items: { id: string; title: string }[];
    };
    const up = await page.request.post(`${app.base}/api/programme/activity-reports`, {
      headers: { 'x-requested-with': 'arusha' },
      multipart: {
        activityId: acts.items.find((a) => a.title === ACTIVITY)!.id,
        file: { name: REPORT, mimeType: 'application/pdf', buffer: PDF },
      },
    });
    assert.equal(up.status(), 201, await up.text());
    await page.goto(`${app.base}/programme/funding`);
    await settle(page, 'Donors and funding');
    await page.getByTestId('programme-gap').waitFor();
    await checkA11y(page, 'funding');
    await screenshot(page, 'programme-funding');
    // The Secretariat's copy of the donor's report: pick the donor, the links appear.
    await chooseOption(page, 'programme-donor-report-of', 'Integrity Fund');
    const xlsxHref = await page.getByTestId('programme-report-xlsx').getAttribute('href');
    assert.match(xlsxHref ?? '', /^\/api\/programme\/donors\/[0-9a-f-]+\/report\?from=/);
    const copy = await page.request.get(
      `${app.base}${xlsxHref!.replace(/from=[^&]+&to=[^&]+/, 'from=2026-01-01&to=2026-12-31').replace('format=xlsx', 'format=csv')}`,
    );
    assert.equal(copy.status(), 200, await copy.text());
    assert.match(
      await copy.text(),
      new RegExp(`${ACTIVITY.replace(/[()]/g, '\\$&')}: Experts’ travel,,,9850.4,EUR`),
    );
    // The Secretariat's IATI file (the link on this page) holds the new activity's expenditure.
    const iati = await page.request.get(`${app.base}/api/programme/iati.xml`);
    assert.equal(iati.status(), 200);
    const xml = await iati.text();
    assert.match(xml, /<iati-activities version="2.03"/);
    assert.ok(
      xml.includes(`${ACTIVITY}: Experts’ travel`),
      'the activity cost line is an expenditure transaction',
    );
    await signOut(page);
  });

  it('the donor signs in and sees the partner and the activity it funds, and downloads its report', async () => {
    await login(page, app.base, 'donor@ifund.demo');
    await page.goto(`${app.base}/programme/donor`);
    await settle(page, 'What we fund');
    await page.getByText(ACTIVITY).waitFor();
    await page.getByText('Estavia Customs (demo)').first().waitFor();
    // The chart of its agreements (committed, disbursed, spent), drawn once ECharts has loaded.
    const chart = page.getByTestId('programme-donor-chart').locator('.arusha-chart').first();
    await chart.locator('svg').waitFor({ state: 'attached' });
    assert.match(
      (await chart.getAttribute('aria-label')) ?? '',
      /IF-2026-01: committed EUR\s[\d,.]+, disbursed/,
    );
    // The agreement signed for Estavia's region carries the activity's cost line as spent.
    assert.match(
      (await chart.getAttribute('aria-label')) ?? '',
      new RegExp(
        `${AGREEMENT}: committed EUR\\s200,000\\.00, disbursed EUR\\s0\\.00, spent EUR\\s9,850\\.40`,
      ),
    );
    // The mission report of the activity it funds, downloaded from its link.
    const report = page.getByTestId('programme-activity-files').getByRole('link', { name: REPORT });
    const got = await page.request.get(`${app.base}${await report.getAttribute('href')}`);
    assert.equal(got.status(), 200);
    assert.deepEqual(await got.body(), PDF);
    await checkA11y(page, 'donor dashboard');
    await screenshot(page, 'programme-donor');
    const res = await page.request.get(
      `${app.base}/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=csv`,
    );
    assert.equal(res.status(), 200);
    const csv = await res.text();
    assert.match(csv, new RegExp(`${ACTIVITY.replace(/[()]/g, '\\$&')}: Experts’ travel,,,9850.4,EUR`));
    const pdf = await page.request.get(
      `${app.base}/api/programme/donor/report?from=2026-01-01&to=2026-12-31&format=pdf`,
    );
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
    await signOut(page);
  });

  it('the partner reads the mission report of the activity delivered to it', async () => {
    await login(page, app.base, 'orgadmin@estavia.demo');
    await page.goto(`${app.base}/programme/interest`);
    await settle(page, 'Expression of interest in A-CIP');
    const row = page.getByTestId('programme-activities').getByRole('row').filter({ hasText: ACTIVITY });
    const report = row.getByTestId('programme-activity-files').getByRole('link', { name: REPORT });
    assert.match(
      (await report.getAttribute('href')) ?? '',
      /^\/api\/programme\/mine\/activities\/[0-9a-f-]+\/reports\//,
    );
    const got = await page.request.get(`${app.base}${await report.getAttribute('href')}`);
    assert.equal(got.status(), 200);
    assert.deepEqual(await got.body(), PDF);
    await checkA11y(page, 'partner activities');
  });
});
