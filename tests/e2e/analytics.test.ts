// Integrity analytics in a real browser: the analyst imports a generated extract with planted
// anomalies through the wizard (upload, the first rows mapped, validation with progress, import),
// computes the indicators, sees the funnel plot, opens an alert, follows it to the officer's
// profile (trend charts, rows behind), escalates the alert to a case; the dashboard by RAD factor and the officer × declarant view show the planted
// pairs; French strings appear and Arabic is right-to-left. axe-core checks each page.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Page } from 'playwright-core';
import { generateDeclarations, type GroundTruth } from '../../src/modules/analytics/index.ts';
import { checkA11y, chooseOption, journey, orderedSteps, saveLocale, screenshot, settle } from './support.ts';

const ANALYST = 'analyst@norland.demo';
const CASE_REF = 'CASE-2026-0042';
const VERSION = 'Port declarations · 1';

describe('analytics', { timeout: 600_000 }, () => {
  const app = journey();
  let page: Page;
  let truth: GroundTruth;
  let alertUrl = '';
  let officerUrl = '';
  let officer = '';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-e2e-analytics-'));
  const file = path.join(dir, 'port-declarations.csv');
  const step = orderedSteps('analytics', () => page);

  before(async () => {
    truth = await generateDeclarations({ rows: 6000, seed: 5, plant: true, out: file });
    ({ page } = await app.signIn(ANALYST, { language: 'en' }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  step('the analyst imports a generated extract through the wizard, with progress', async () => {
    await page.goto(`${app.base}/analytics`);
    await settle(page, 'Integrity analytics');
    await page.getByRole('textbox', { name: 'New dataset' }).fill('Port declarations');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('cell', { name: 'Port declarations' }).waitFor();
    const wizard = page.getByTestId('import-wizard');
    // 1. Upload: the file is sent once and staged.
    await wizard.locator('input[type="file"]').setInputFiles(file);
    await wizard.getByRole('button', { name: 'Upload', exact: true }).click();
    // 2. Mapping: the first rows as they will be imported; the suggested mapping is kept.
    const preview = wizard.getByTestId('mapped-preview');
    await preview.waitFor({ timeout: 60_000 });
    assert.equal(await preview.locator('tbody tr').count(), 10, 'the first 10 rows');
    await wizard.getByText('Suggested by the names of the file’s columns. Check each one.').waitFor();
    assert.equal(
      await wizard.getByLabel('Column of the file for officer_id', { exact: true }).inputValue(),
      'officer_id',
    );
    await checkA11y(page, 'import wizard: mapping');
    await screenshot(page, 'analytics-wizard-mapping-en');
    await wizard.getByRole('button', { name: 'Validate', exact: true }).click();
    // 3. Validation: progress by stage, then the report, then the analyst's choice.
    await wizard.getByTestId('import-progress').getByRole('progressbar').waitFor();
    const report = wizard.getByTestId('validation-report');
    await report.waitFor({ timeout: 120_000 });
    await report.getByText(/6,000 rows read: 6,000 valid, 0 rejected/).waitFor();
    await report.getByText('Every row is valid.').waitFor();
    await checkA11y(page, 'import wizard: validation');
    // 4. Import: the validated file becomes version 1.
    await wizard.getByRole('button', { name: 'Import 6,000 rows' }).click();
    await wizard
      .getByTestId('import-done')
      .getByText('Imported as version 1 of “Port declarations”.')
      .waitFor();
    await page
      .getByRole('row', { name: /1 · port-declarations\.csv/ })
      .getByText('Imported', { exact: true })
      .waitFor();
    await checkA11y(page, 'analytics after import');
  });

  step('computing the indicators shows the funnel plot with the slow officer outside', async () => {
    // The demo data has its own dataset: choose the one just imported.
    await chooseOption(page, 'version-select', VERSION);
    await page.getByRole('button', { name: 'Compute indicators' }).click();
    await page.locator('.arusha-chart svg').first().waitFor({ timeout: 120_000 });
    await page.getByTestId('funnel-indicator').click();
    await page.getByRole('option', { name: /^I2 · / }).click();
    const slow = truth.slowProcessing[0] as string;
    await page
      .getByTestId('funnel-officers')
      .getByText(`${slow}: outside the 99.8 % limit → profile`)
      .waitFor();
    await settle(page, 'Integrity analytics');
    await screenshot(page, 'analytics-funnel-en');
    // I6: its expected hits come from the expected-hit model, and the page says so in one line.
    await page.getByTestId('funnel-indicator').click();
    await page.getByRole('option', { name: /^I6 · / }).click();
    await page
      .getByTestId('funnel-expectation')
      .getByText(
        /^Expected hits: from the expected-hit model, out of fold \(k = 5, training sample 1,\d{3}, AUC 0\.\d+\)\.$/,
      )
      .waitFor();
    // And which model produced them: its versions, when it was trained, its cache key, its features.
    await page
      .getByTestId('funnel-model')
      .getByText(
        /^Model: expected-hit model format 1, method 1, I6 version 2; trained .+; cache key [0-9a-f]{16}; features: office_code, .*, procedure\.$/,
      )
      .waitFor();
  });

  step('an alert: explanation, figures, definition and the declarations behind it', async () => {
    // The officer × declarant pair alerts: every one of them a planted collusive pair.
    // (the inbox also holds the demo dataset's alerts)
    const planted = truth.collusivePairs.map((p) => `I10 · ${p.officer_id}/${p.declarant_id}`);
    await page
      .getByRole('link', { name: /^I10 · / })
      .first()
      .waitFor();
    const names = (await page.getByRole('link', { name: /^I10 · / }).allTextContents()).filter((n) =>
      planted.includes(n),
    );
    assert.ok(names.length > 0, `a planted pair among the I10 alerts (${planted})`);
    const name = names[0] as string;
    officer = name.slice('I10 · '.length).split('/')[0] as string;
    await page.getByRole('link', { name, exact: true }).click();
    await settle(page, `Alert ${name}`);
    alertUrl = page.url();
    await page.getByText('In words').waitFor();
    await page.getByRole('heading', { name: 'Indicator definition' }).waitFor();
    await page
      .getByText('definition version 1, Chalendard, Fernandes, Raballand, Rijkers (QJE 2023)')
      .first()
      .waitFor();
    const rows = page.getByTestId('rows-behind');
    await rows.getByText(/^Declarations 1–\d+ of \d+$/).waitFor();
    assert.ok((await rows.locator('tbody tr').count()) > 0, 'rows behind the alert');
    await checkA11y(page, 'alert page');
    await screenshot(page, 'analytics-alert-en');
  });

  step('the officer profile: every indicator over time, with rows behind a period', async () => {
    await page.getByRole('link', { name: `Officer profile of ${officer}` }).click();
    await settle(page, `Officer ${officer}`);
    officerUrl = page.url();
    await page.getByTestId('officer-I1').locator('.arusha-chart svg').waitFor();
    await page.getByRole('heading', { name: 'Officer × declarant deviation' }).waitFor();
    await page.getByText('By quarter').click();
    await page.getByTestId('officer-I1').getByText(/-Q1/).first().waitFor();
    await page.getByTestId('officer-I1').getByRole('button', { name: 'Show the declarations' }).click();
    await page
      .getByTestId('rows-behind')
      .getByText(/^Declarations 1–\d+ of \d+$/)
      .waitFor();
    await checkA11y(page, 'officer profile');
    await screenshot(page, 'analytics-officer-en');
  });

  step('the alert is escalated to a case', async () => {
    await page.goto(alertUrl);
    await settle(page, /^Alert I10 · /);
    // The analyst may not edit the risk register: no risk-map button, and the page says why.
    assert.equal(await page.getByRole('button', { name: 'Add to the risk map' }).count(), 0);
    await page.getByText('Adding to the risk map needs the permission to edit the risk register.').waitFor();
    await page.getByRole('textbox', { name: 'Reason or reference' }).fill(CASE_REF);
    await page.getByRole('button', { name: 'Escalate to a case' }).click();
    await page.getByTestId('alert-status').getByText('Escalated').waitFor();
    // The escalation opened a case in the cases module: its reference comes first.
    const id = alertUrl.split('/').pop();
    const res = await page.request.get(`${app.base}/api/analytics/alerts/${id}`);
    const a = await res.json();
    assert.equal(a.status, 'escalated');
    assert.match(a.reference, new RegExp(`^CASE-\\d{4}-\\d{4} · ${CASE_REF}$`));
    await page.getByText(`Reference: ${a.reference}.`).waitFor();
    assert.ok(a.caseId, 'the alert keeps its case');
    // The analyst does not read cases (need-to-know): the page says a case exists, no link.
    await page
      .getByText('A case was opened for this alert; only the people handling it can read it.')
      .waitFor();
  });

  step(
    'the integrity officer adds another alert to the risk map and follows it to the draft risk',
    async () => {
      const officerPage = (await app.signIn('integrity@norland.demo', { language: 'en' })).page;
      const list = await officerPage.request.get(`${app.base}/api/analytics/alerts?status=new`);
      const next = (await list.json()).items[0] as {
        id: string;
        indicatorId: string;
        subjectType: string;
        subjectId: string;
        officerId: string | null;
        declarantId: string | null;
      };
      assert.ok(next, 'a new alert to triage');
      await officerPage.goto(`${app.base}/analytics/alerts/${next.id}`);
      await settle(officerPage, new RegExp(`^Alert ${next.indicatorId} · `));
      await officerPage.getByRole('button', { name: 'Add to the risk map' }).click();
      await officerPage.getByTestId('alert-status').getByText('On the risk map').waitFor();
      await officerPage.getByRole('link', { name: 'Open the risk this alert added to the register' }).click();
      await officerPage.getByTestId('risk-draft').waitFor();
      assert.ok(
        (await officerPage.getByText('Not rated').count()) >= 2,
        'inherent and residual wait for the owner',
      );
      await officerPage.getByText('Draft — to be rated').first().waitFor();
      // The risk describes the pattern; the officer or declarant stays in the alert only.
      const shown = (await officerPage.locator('main').textContent()) ?? '';
      const who = [
        next.officerId,
        next.declarantId,
        ...(next.subjectType === 'officer' ? [next.subjectId] : []),
      ];
      for (const id of who.filter((x): x is string => !!x))
        assert.ok(!shown.includes(id), `${id} on the risk page`);
      await checkA11y(officerPage, 'draft risk from an alert');
      await screenshot(officerPage, 'risks-draft-from-alert-en');
      // And back to the alert it came from.
      await officerPage
        .getByRole('link', { name: 'Identified from an analytics alert: open the alert' })
        .click();
      await officerPage.getByTestId('alert-status').getByText('On the risk map').waitFor();
    },
  );

  step('the dashboard by RAD factor and the deviation view show the planted pairs', async () => {
    await page.goto(`${app.base}/analytics/indicators`);
    await settle(page, 'Indicators by RAD key factor');
    await chooseOption(page, 'version-select', VERSION);
    await page
      .getByRole('heading', { name: 'Key factor 10: Relationship with the Private Sector' })
      .waitFor();
    const i10 = page.getByTestId('indicator-I10');
    await i10.getByText('Officer × declarant deviation view →').waitFor();
    // What became of the alerts: I10's escalated alert, one case — what became of it is withheld
    // (fewer than 5 cases), and so is the share.
    const sub = page.getByTestId('substantiation');
    await sub.getByRole('heading', { name: 'Alerts later substantiated' }).waitFor();
    await sub.locator('.arusha-chart svg').waitFor();
    await sub
      .getByTestId('substantiation-suppressed')
      .getByText(/fewer than 5 cases is withheld/)
      .waitFor();
    const row = sub.getByTestId('substantiation-I10');
    // Raised also counts the demo data's alerts: at least the two planted pairs.
    const [raised, ...rest] = (await row.locator('td').allInnerTexts()).slice(1, 7);
    assert.ok(Number(raised) >= 2, `raised ${raised}`);
    assert.deepEqual(
      rest,
      ['1', '1', 'withheld', 'withheld', 'withheld'],
      'triaged, escalated, cases closed, substantiated, share',
    );
    await checkA11y(page, 'indicator dashboard');
    await screenshot(page, 'analytics-indicators-en');
    await page.goto(`${app.base}/analytics/pairs`);
    await settle(page, 'Officer × declarant deviation');
    await chooseOption(page, 'version-select', VERSION);
    await page.getByTestId('pairs-summary').waitFor();
    await page
      .getByRole('row', { name: new RegExp(`${officer}`) })
      .getByText('significant')
      .first()
      .waitFor();
    await page.locator('.arusha-chart svg').first().waitFor();
    await checkA11y(page, 'pairs page');
    await screenshot(page, 'analytics-pairs-en');
  });

  step(
    'mirror analysis with our own declarations as the declared side, gaps attributed to actors',
    async () => {
      // The hand-computed fixture of analytics.mirror-declared.test.ts, imported through the API.
      const fixtures = path.join(import.meta.dirname, '../../src/modules/analytics/fixtures');
      const headers = { 'x-requested-with': 'arusha' };
      for (const [name, kind, csv] of [
        ['Mirror trade', 'trade', 'mirror-declared-trade.csv'],
        ['Mirror declarations', 'declarations', 'mirror-declared-declarations.csv'],
      ] as const) {
        const ds = await page.request.post(`${app.base}/api/analytics/datasets`, {
          headers,
          data: { name, kind },
        });
        assert.equal(ds.status(), 201, await ds.text());
        const res = await page.request.post(`${app.base}/api/analytics/imports`, {
          headers,
          multipart: {
            datasetId: (await ds.json()).id,
            mode: 'reject-file',
            file: { name: csv, mimeType: 'text/csv', buffer: fs.readFileSync(path.join(fixtures, csv)) },
          },
        });
        assert.equal(res.status(), 202, await res.text());
        const id = (await res.json()).id;
        for (let i = 0; i < 120; i++) {
          const v = await (await page.request.get(`${app.base}/api/analytics/versions/${id}`)).json();
          if (v.status === 'imported') break;
          assert.ok(['pending', 'importing'].includes(v.status), JSON.stringify(v));
          await new Promise((r) => setTimeout(r, 500));
        }
      }
      await page.goto(`${app.base}/analytics/mirror`);
      await settle(page, 'Mirror analysis');
      await chooseOption(page, 'mirror-trade', 'Mirror trade · 1 · mirror-declared-trade.csv');
      await chooseOption(page, 'mirror-country', 'Tanzania (834)');
      await chooseOption(
        page,
        'mirror-declared',
        'Mirror declarations · 1 · mirror-declared-declarations.csv',
      );
      const actors = page.getByRole('table', {
        name: 'Mirror gaps attributed to officers, declarants and importers',
      });
      await actors.getByRole('row', { name: /Officer O2 36,750/ }).waitFor();
      await page.getByText('1 declaration has an origin not in the ISO 3166 table').waitFor();
      await page.getByText('XK: 1 declaration, value 400').waitFor();
      await actors.getByRole('button', { name: 'O2' }).click();
      await page.getByRole('heading', { name: 'Officer O2' }).waitFor();
      await page.getByRole('cell', { name: 'D4', exact: true }).waitFor();
      await checkA11y(page, 'mirror with declarations');
      await screenshot(page, 'analytics-mirror-declared-en');
      await saveLocale(page, app.base, 'fr');
      await page.reload();
      await settle(page, 'Analyse miroir');
      await chooseOption(page, 'mirror-trade', 'Mirror trade · 1 · mirror-declared-trade.csv');
      await chooseOption(page, 'mirror-country', 'Tanzania (834)');
      await chooseOption(
        page,
        'mirror-declared',
        'Mirror declarations · 1 · mirror-declared-declarations.csv',
      );
      await page
        .getByRole('table', { name: 'Écarts miroir attribués aux agents, déclarants et importateurs' })
        .getByRole('row', { name: /Agent O2 36\s750/ })
        .waitFor();
      await screenshot(page, 'analytics-mirror-declared-fr');
      await saveLocale(page, app.base, 'en');
    },
  );

  step('French strings appear', async () => {
    await saveLocale(page, app.base, 'fr');
    await page.goto(`${app.base}/analytics`);
    await settle(page, "Analyse d'intégrité");
    await page.getByTestId('import-wizard').getByText('Correspondance', { exact: true }).waitFor();
    await page.goto(`${app.base}/analytics/indicators`);
    await settle(page, 'Indicateurs par facteur clé de la DAR');
    await page.getByRole('heading', { name: 'Facteur clé 6 : Audit et enquêtes' }).waitFor();
    await page.goto(officerUrl);
    await settle(page, /^Agent /);
    await page.getByText('Indicateurs dans le temps').waitFor();
    await screenshot(page, 'analytics-officer-fr');
  });

  step('Arabic is right-to-left', async () => {
    await saveLocale(page, app.base, 'ar');
    await page.goto(officerUrl);
    await settle(page, /^الموظف /);
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await page.locator('.arusha-chart svg').first().waitFor();
    await checkA11y(page, 'officer profile ar');
    await screenshot(page, 'analytics-officer-ar');
    await page.goto(alertUrl);
    await settle(page, /^تنبيه I10/);
    await screenshot(page, 'analytics-alert-ar');
    await page.goto(`${app.base}/analytics/pairs`);
    await settle(page, 'انحراف الموظف × المصرّح');
    await chooseOption(page, 'version-select', VERSION);
    await page.locator('.arusha-chart svg').first().waitFor();
    await screenshot(page, 'analytics-pairs-ar');
    await saveLocale(page, app.base, 'en');
  });
});
