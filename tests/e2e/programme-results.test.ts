// The A-CIP results framework and value for money in the browser (issue 6): the WCO Secretariat
// adds an outcome, an output and an indicator to Norland's partnership (demo data), enters an
// actual and corrects its mistyped value, sees the multi-annual plan's progress (benchmarks done, due and
// late, a KPI's latest actual), links the demo diagnostic mission (18 500.00 EUR) to the output and sees its cost per
// output and per unit of change; Norland's integrity officer gives (and can withdraw) its consent
// to share its validated RAD scores from the same page. axe-core checks each page.
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
const OUTCOME = `Integrity of border controls improved (${RUN})`;
const OUTPUT = `Officers trained in the code of conduct (${RUN})`;
const INDICATOR = `Officers trained (${RUN})`;
const PHASE = `Year 1 (${RUN})`;
const KPI = `Average clearance time (${RUN})`;

describe('A-CIP results framework and value for money', { timeout: 900_000 }, () => {
  const app = journey({ reuseServer: true });
  let page: Page;
  let partnershipId = '';
  const it = orderedSteps('programme-results', () => page);

  it('the Secretariat adds an outcome, an output and an indicator, and enters an actual', async () => {
    const { page: p, watch } = await app.signIn('programme@wco.demo');
    page = p;
    const res = await page.request.get(`${app.base}/api/programme/partnerships`);
    assert.equal(res.status(), 200);
    const norland = ((await res.json()) as { items: { id: string; organisation: string }[] }).items.find(
      (p) => p.organisation.startsWith('Norland'),
    );
    assert.ok(norland, 'the demo partnership of Norland');
    partnershipId = norland.id;
    await page.goto(`${app.base}/programme/results/${partnershipId}`);
    await settle(page, /Results framework/);

    const addResult = page.getByTestId('programme-add-result');
    // An empty title is refused by the server and shown under the field.
    await addResult.getByTestId('programme-result-add').click();
    await addResult
      .getByText(/at least 1|Too small|too_small/i)
      .first()
      .waitFor();
    await addResult.getByTestId('programme-result-title').fill(OUTCOME);
    await addResult.getByTestId('programme-result-add').click();
    await page.getByRole('heading', { name: `Outcome: ${OUTCOME}` }).waitFor();

    await addResult.getByTestId('programme-result-level').click();
    await page.getByRole('option', { name: 'Output', exact: true }).click();
    await addResult.getByTestId('programme-result-parent').click();
    await page.getByRole('option', { name: OUTCOME }).click();
    await addResult.getByTestId('programme-result-title').fill(OUTPUT);
    await addResult.getByTestId('programme-result-add').click();
    await page.getByRole('heading', { name: `Output: ${OUTPUT}` }).waitFor();

    const addIndicator = page.getByTestId('programme-add-indicator');
    await addIndicator.getByTestId('programme-indicator-result').click();
    await page.getByRole('option', { name: `Output: ${OUTPUT}` }).click();
    await addIndicator.getByTestId('programme-indicator-name').fill(INDICATOR);
    await addIndicator.getByTestId('programme-indicator-unit').fill('officers');
    await addIndicator.getByTestId('programme-indicator-baseline').fill('10');
    await addIndicator.getByTestId('programme-indicator-target').fill('150');
    await addIndicator.getByTestId('programme-indicator-add').click();
    const block = page.getByTestId('programme-indicator').filter({ hasText: `${INDICATOR} (officers)` });
    await block.waitFor();

    const actual = page.getByTestId('programme-actual-form').filter({
      has: page.getByRole('textbox', { name: `Period — ${INDICATOR}` }),
    });
    await actual.getByTestId('programme-actual-period').fill('2026 H2');
    await actual.getByTestId('programme-actual-start').fill('2026-07-01');
    await actual.getByTestId('programme-actual-end').fill('2026-12-31');
    // Mistyped: 4.7 for 47 (corrected in the next step).
    await actual.getByTestId('programme-actual-value').fill('4.7');
    await actual.getByTestId('programme-actual-add').click();
    const row = block.getByTestId('programme-actual-row').filter({ hasText: '2026 H2' });
    await row.getByRole('cell', { name: '4.7', exact: true }).waitFor();
    await checkA11y(page, 'results framework (Secretariat)');
    assert.deepEqual(unexpectedErrors(watch, [/status of 400/]), []);
  });

  it('the Secretariat corrects the mistyped actual in its dialog', async () => {
    const block = page.getByTestId('programme-indicator').filter({ hasText: `${INDICATOR} (officers)` });
    await block.getByRole('button', { name: `Correct the actual of 2026 H2 (${INDICATOR})` }).click();
    const dialog = page.getByRole('dialog', { name: 'Correct an actual' });
    await dialog.getByTestId('programme-actual-value').fill('47');
    await dialog.getByTestId('programme-actual-save').click();
    await dialog.waitFor({ state: 'detached' });
    const row = block.getByTestId('programme-actual-row').filter({ hasText: '2026 H2' });
    await row.getByRole('cell', { name: '47', exact: true }).waitFor();
    assert.equal(await block.getByTestId('programme-actual-row').count(), 1, 'corrected, not added');
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    await checkA11y(page, 'results framework after a correction');
  });

  it('the Secretariat sees the multi-annual plan’s progress on the results page', async () => {
    // The plan saved through the API at the version read: one benchmark done, one open past its
    // date (late), one due far ahead; a KPI with one actual.
    const url = `${app.base}/api/programme/partnerships/${partnershipId}/plan`;
    const cur = (await (await page.request.get(url)).json()) as {
      version: number;
      startsOn: string;
      endsOn: string;
    };
    const saved = await page.request.fetch(url, {
      method: 'PUT',
      headers: { 'x-requested-with': 'arusha' },
      data: {
        version: cur.version,
        phases: [
          {
            label: PHASE,
            startsOn: cur.startsOn,
            endsOn: cur.endsOn,
            benchmarks: [
              { title: 'Code of conduct adopted', status: 'achieved', due: '2020-01-01' },
              { title: 'Internal affairs unit staffed', status: 'in_progress', due: '2020-06-30' },
              { title: 'Asset declarations online', status: 'planned', due: '2099-12-31' },
            ],
          },
        ],
        kpis: [
          {
            name: KPI,
            unit: 'hours',
            baseline: '48',
            target: '24',
            actuals: [
              { periodLabel: '2026', periodStart: '2026-01-01', periodEnd: '2026-12-31', value: '40' },
            ],
          },
        ],
      },
    });
    assert.equal(saved.status(), 200, await saved.text());
    await page.reload();
    await settle(page, /Results framework/);
    const progress = page.getByTestId('programme-plan-progress');
    await progress
      .getByTestId('programme-plan-progress-phase')
      .filter({ hasText: PHASE })
      .getByText('Done: 1 · Due: 1 · Late: 1')
      .waitFor();
    const kpi = progress.getByTestId('programme-plan-progress-kpi').filter({ hasText: KPI });
    await kpi.getByRole('cell', { name: '40 (2026)' }).waitFor();
    await checkA11y(page, 'results framework with the plan’s progress');
  });

  it('the Secretariat links the diagnostic mission to the output and sees the cost per output', async () => {
    const vfm = page.getByTestId('programme-vfm');
    const row = vfm.getByTestId('programme-vfm-activity').filter({ hasText: 'Integrity diagnostic mission' });
    await row.getByTestId('programme-vfm-outputs').click();
    await page.getByRole('option', { name: OUTPUT }).click();
    await page.keyboard.press('Escape');
    await row.getByTestId('programme-vfm-save-links').click();
    // 18 500.00 EUR on one output; 18 500.00 / (47 − 10) = 500.00 per officer trained.
    const output = vfm.getByTestId('programme-vfm-output').filter({ hasText: OUTPUT });
    await output.getByRole('cell', { name: /^18500\.00$/ }).waitFor();
    await vfm.getByRole('cell', { name: '500.00', exact: true }).first().waitFor();
    await vfm.locator('canvas, svg').first().waitFor();
    // The "Saved" notification fades out (axe would measure its contrast half-way).
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    await checkA11y(page, 'value for money');
    await screenshot(page, 'programme-results');
    await signOut(page);
  });

  it("Norland's integrity officer gives its consent to share its validated RAD scores in the UI", async () => {
    await login(page, app.base, 'integrity@norland.demo');
    await page.goto(`${app.base}/programme/results/${partnershipId}`);
    await settle(page, /Results framework/);
    const consent = page.getByTestId('programme-consent');
    await consent.getByTestId('programme-consent-state').waitFor();
    // A previous run may have left it shared: withdraw first, then give it.
    if (await consent.getByTestId('programme-consent-withdraw').isVisible()) {
      await consent.getByTestId('programme-consent-withdraw').click();
      await consent.getByTestId('programme-consent-grant').waitFor();
    }
    await consent.getByTestId('programme-consent-grant').click();
    await consent.getByTestId('programme-consent-state').filter({ hasText: 'Shared' }).waitFor();
    await consent.getByText(/Shared since/).waitFor();
    await page.locator('.mantine-Notification-root').first().waitFor({ state: 'detached', timeout: 15_000 });
    const api = await page.request.get(`${app.base}/api/programme/consent`);
    assert.equal(((await api.json()) as { active: boolean }).active, true);
    // The partner reads its own value for money, with every cost of the activities delivered to it.
    await page
      .getByTestId('programme-vfm')
      .getByText('All costs of the activities delivered to this partnership.')
      .waitFor();
    // The partner reads the plan's progress too.
    await page.getByTestId('programme-plan-progress-phase').filter({ hasText: PHASE }).waitFor();
    await checkA11y(page, 'results framework (partner)');
    await screenshot(page, 'programme-results-partner');
  });
});
