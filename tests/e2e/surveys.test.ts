// The perception-survey journey of issue 8, in French: the integrity officer creates a survey
// from the officials' template, allows the open link and opens it; three respondents answer on
// the public page (each in their own browser, one of them on a phone); the results page shows
// only suppressed cells; nine more answers arrive (through the API, the same call the page
// makes) and, with twelve, figures show. axe-core checks each page; screenshots at phone width
// and in right-to-left Arabic.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  type ConsoleWatch,
  checkA11y,
  chooseOption,
  journey,
  launchBrowser,
  orderedSteps,
  screenshot,
  settle,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

const OFFICER = { email: 'integrity@norland.demo', name: 'Ines Integrity' };
const NAME = 'Perception du personnel 2026';

describe('perception survey (in French)', { timeout: 600_000 }, () => {
  const app = journey({ reuseServer: true });
  let officer: Browser;
  let page: Page;
  let surveyId = '';
  let openPath = '';
  const it = orderedSteps('surveys-fr', () => page);
  let step = 0;
  const shot = (p: Page, name: string) =>
    screenshot(p, `surveys-fr-${String(++step).padStart(2, '0')}-${name}`);

  it('the integrity officer signs in and switches to French', async () => {
    let watch: ConsoleWatch;
    ({ browser: officer, page, watch } = await app.signIn(OFFICER.email));
    await chooseOption(page, 'lang-switcher', 'Français');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.locator('h1', { hasText: `Bienvenue, ${OFFICER.name}` }).waitFor();
    assert.deepEqual(unexpectedErrors(watch), []);
  });

  it('creates a survey from the officials’ template', async () => {
    await page.goto(`${app.base}/surveys`);
    await settle(page, 'Enquêtes de perception');
    await checkA11y(page, 'surveys list');
    await page.getByTestId('survey-new').click();
    await page.getByTestId('survey-template').click();
    await page
      .getByRole('option', { name: /Enquête de perception de l'intégrité auprès du personnel/ })
      .click();
    await page.getByTestId('survey-name').fill(NAME);
    await page.getByTestId('survey-create').click();
    await page.waitForURL((u) => /^\/surveys\/[0-9a-f-]{36}$/.test(u.pathname));
    surveyId = new URL(page.url()).pathname.split('/')[2]!;
    await settle(page, NAME);
    await page.getByText('Brouillon').first().waitFor();
    await checkA11y(page, 'survey (draft)');
    await shot(page, 'draft');
  });

  it('translates the draft: a language with missing texts is refused, a complete one is added', async () => {
    const section = page.getByRole('region', { name: 'Traductions' });
    await section.getByLabel('Langue').selectOption('pt');
    const fields = section.getByRole('textbox');
    const n = await fields.count();
    assert.ok(n > 20, `${n} texts to translate`);
    await fields.first().fill('A alta direção trata a integridade como uma prioridade real.');
    const refused = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes(surveyId),
    );
    await section.getByRole('button', { name: /Enregistrer la traduction/ }).click();
    assert.equal((await refused).status(), 422);
    await section.getByRole('alert').waitFor();
    for (let i = 1; i < n; i++) await fields.nth(i).fill(`PT ${i}`);
    await checkA11y(page, 'survey translations');
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes(surveyId));
    await section.getByRole('button', { name: /Enregistrer la traduction/ }).click();
    const res = await saved;
    assert.equal(res.status(), 200);
    assert.ok((await res.json()).languages.includes('pt'));
    await section
      .getByRole('option', { name: /\(dans l’enquête\)|\(dans l'enquête\)/ })
      .first()
      .waitFor({ state: 'attached' });
  });

  it('allows the open link, and opens the survey: anonymity is then locked', async () => {
    const saved = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().includes(surveyId));
    await page.getByText('Les deux', { exact: true }).click();
    assert.equal((await saved).status(), 200);
    await page.getByTestId('survey-open').click();
    await page.getByTestId('survey-status').filter({ hasText: 'Ouverte' }).waitFor();
    const link = (await page.getByTestId('survey-open-link').textContent())!.trim();
    openPath = new URL(link).pathname + new URL(link).hash;
    assert.match(openPath, /^\/s#t=[A-Z2-9]+$/);
    assert.ok(await page.getByRole('switch', { name: 'Anonyme' }).isDisabled());
    await page
      .getByText('Verrouillé : l’anonymat', { exact: false })
      .or(page.getByText('Verrouillé'))
      .first()
      .waitFor();
    await checkA11y(page, 'survey (open)');
    await shot(page, 'open');
  });

  for (const r of [0, 1, 2])
    it(`respondent ${r + 1} answers on the public page${r === 2 ? ' (phone)' : ''}`, async () => {
      const b = await launchBrowser({
        locale: 'fr-FR',
        ...(r === 2 ? { viewport: { width: 375, height: 740 } } : {}),
      });
      try {
        const p = b.page;
        const watch = watchConsole(p);
        // No request may carry the token in its URL (it lives in the #fragment and POST bodies).
        const urls: string[] = [];
        p.on('request', (req) => urls.push(req.url()));
        await p.goto(`${app.base}${openPath}`);
        await p.getByText('Vos réponses sont anonymes').waitFor();
        await p.getByText('À votre sujet').waitFor();
        await chooseOption(p, 'band-gender', r === 1 ? 'Homme' : 'Femme');
        if (r === 0) await checkA11y(p, 'answer page (bands)');
        await p.getByTestId('answer-next').click();
        await p.getByText('Leadership et engagement').waitFor();
        await p
          .getByTestId('q-o-priority')
          .getByText('D’accord', { exact: true })
          .or(p.getByTestId('q-o-priority').getByText("D'accord", { exact: true }))
          .click();
        if (r === 2) await shot(p, 'answer-phone');
        if (r === 0) await checkA11y(p, 'answer page (questions)');
        // the rest of the steps, leaving questions unanswered (every question may be skipped)
        for (let i = 0; i < 20 && (await p.getByTestId('answer-next').count()); i++)
          await p.getByTestId('answer-next').click();
        await p.getByTestId('answer-submit').click();
        await p.getByTestId('answer-thanks').waitFor();
        const token = openPath.split('#t=')[1]!;
        assert.ok(!urls.some((u) => u.includes(token)), 'a request URL carried the token');
        assert.deepEqual(unexpectedErrors(watch), []);
      } finally {
        await b.close();
      }
    });

  it('with three respondents, the results page shows suppressed cells only', async () => {
    await page.goto(`${app.base}/surveys/${surveyId}/results`);
    await settle(page, `Résultats : ${NAME}`);
    await page.getByTestId('results-suppressed').waitFor();
    assert.ok((await page.getByTestId('cell-suppressed').count()) > 0);
    assert.equal(await page.getByTestId('cell-figure').count(), 0);
    await page.getByText('Par genre').click();
    await page.getByText('Femme').first().waitFor();
    assert.equal(await page.getByTestId('cell-figure').count(), 0);
    await checkA11y(page, 'results (suppressed)');
    await shot(page, 'results-suppressed');
  });

  it('with twelve respondents, figures show (groups under ten stay suppressed)', async () => {
    const code = openPath.split('#t=')[1]!;
    for (let i = 0; i < 9; i++) {
      const res = await officer.context.request.fetch(`${app.base}/api/surveys/public/submit`, {
        method: 'POST',
        data: {
          token: code,
          bands: { gender: i % 2 ? 'male' : 'female' },
          answers: { 'o-priority': 5 - (i % 3) },
        },
      });
      assert.equal(res.status(), 201, await res.text());
    }
    await page.goto(`${app.base}/surveys/${surveyId}/results`);
    await settle(page, `Résultats : ${NAME}`);
    await page.getByTestId('cell-figure').first().waitFor();
    assert.equal(await page.getByTestId('results-suppressed').count(), 0);
    await page.getByText('n=12').first().waitFor();
    await page.getByText('Score par facteur DAR').waitFor();
    await page.getByText('Par genre').click();
    await page.getByText('Femme').first().waitFor();
    // 12 respondents: 7 women and 5 men, both under 10 → figures in the "all" column only
    await page.getByTestId('cell-figure').first().waitFor();
    const groupFigures = page.locator(
      '[data-testid="results-table"] tbody tr td:nth-child(n+3) [data-testid="cell-figure"]',
    );
    assert.equal(await groupFigures.count(), 0, 'a group under the threshold shows a figure');
    assert.ok((await page.getByTestId('cell-figure').count()) >= 1);
    await checkA11y(page, 'results (figures)');
    await shot(page, 'results-figures');
  });

  it('the results page in right-to-left Arabic and at phone width', async () => {
    await chooseOption(page, 'lang-switcher', 'العربية');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await page.goto(`${app.base}/surveys/${surveyId}/results`);
    await settle(page);
    await checkA11y(page, 'results (Arabic)');
    await shot(page, 'results-ar');
    await page.setViewportSize({ width: 375, height: 800 });
    await settle(page);
    await shot(page, 'results-ar-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
