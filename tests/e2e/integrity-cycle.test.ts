// The integrity cycle from the issue, in a real browser, once in English and once in French:
// a facilitator creates and starts a self-assessment of the Revised Arusha Declaration with a
// team (two assessors, an executive sponsor); two assessors rate items in their own browser
// sessions; the facilitator submits it for review and the executive validates it; the scores
// show the radar and the comparison with the previous iteration; actions are drafted from the
// evidence and accepted into a plan (list, Kanban, timeline); two risks land on the heat maps;
// the dashboard's PDF report downloads and its first page renders. axe-core checks the pages
// visited, and the English run checks them again in right-to-left Arabic.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { APIRequestContext, Page } from 'playwright-core';
import {
  type Browser,
  type ConsoleWatch,
  ROOT,
  type RunningServer,
  SHOTS_DIR,
  checkA11y,
  chooseOption,
  launchBrowser,
  login,
  orderedSteps,
  screenshot,
  settle,
  startServer,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

type Lang = 'en' | 'fr';

const FACILITATOR = { email: 'integrity@norland.demo', name: 'Ines Integrity' };
const ANALYST = { email: 'analyst@norland.demo', name: 'Ana Analyst' };
const EXECUTIVE = { email: 'executive@norland.demo', name: 'Eric Executive' };

/** The module catalogs of a language, flattened ("assessments.fields.member" → "Member"). */
function catalog(lang: string): (key: string, vars?: Record<string, string | number>) => string {
  const flat = new Map<string, string>();
  const walk = (o: Record<string, unknown>, prefix: string) => {
    for (const [k, v] of Object.entries(o)) {
      if (v && typeof v === 'object') walk(v as Record<string, unknown>, `${prefix}${k}.`);
      else flat.set(`${prefix}${k}`, String(v));
    }
  };
  for (const m of ['assessments', 'risks', 'action-plans', 'dashboard'])
    walk(JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', lang, `web.${m}.json`), 'utf8')), '');
  return (key, vars = {}) => {
    const s = flat.get(key);
    if (s === undefined) throw new Error(`no ${lang} string ${key}`);
    return s.replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars[v] ?? ''));
  };
}

/**
 * Texts written out by hand (not read from the catalogs) so that the French run fails if a
 * page stays in English: page titles and a few labels of each page visited.
 */
const TEXT = {
  en: {
    welcome: (n: string) => `Welcome, ${n}`,
    assessments: 'Self-assessments',
    inProgress: 'In progress',
    validated: 'Validated',
    scoresTab: 'Scores',
    previousColumn: 'Previous',
    plans: 'Integrity Action Plans',
    kanbanNotStarted: 'Not started',
    heatmaps: 'Heat maps',
    inherent: 'Inherent',
    dashboard: 'Executive dashboard',
    reportPdf: 'Assessment report (PDF)',
  },
  fr: {
    welcome: (n: string) => `Bienvenue, ${n}`,
    assessments: 'Autoévaluations',
    inProgress: 'En cours',
    validated: 'Validée',
    scoresTab: 'Scores',
    previousColumn: 'Précédent',
    plans: 'Plans d’action pour l’intégrité',
    kanbanNotStarted: 'Non commencée',
    heatmaps: 'Cartes de chaleur',
    inherent: 'Inhérent',
    dashboard: 'Tableau de bord de la direction',
    reportPdf: 'Rapport d’évaluation (PDF)',
  },
} as const;

interface Item {
  id: string;
  refId: string;
  factor: number;
  response: { version: number; rating: number | null };
}
interface ItemsResult {
  factors: { factor: number; items: Item[] }[];
}

/** The JSON API as the signed-in user of a browser context (its cookies, the CSRF header). */
function apiOf(request: APIRequestContext, base: string) {
  const call = async <T>(method: string, url: string, data?: unknown): Promise<T> => {
    const r = await request.fetch(`${base}${url}`, {
      method,
      headers: { 'x-requested-with': 'arusha' },
      ...(data === undefined ? {} : { data }),
    });
    const text = await r.text();
    assert.ok(r.ok(), `${method} ${url}: ${r.status()} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  return {
    get: <T>(url: string) => call<T>('GET', url),
    post: <T>(url: string, data: unknown = {}) => call<T>('POST', url, data),
    put: <T>(url: string, data: unknown) => call<T>('PUT', url, data),
    patch: <T>(url: string, data: unknown) => call<T>('PATCH', url, data),
  };
}
type Api = ReturnType<typeof apiOf>;

/** Rates items through the API, one PUT each (the same call the rating buttons make). */
async function rateByApi(api: Api, assessmentId: string, items: Item[], rating: number): Promise<void> {
  for (const i of items)
    await api.put(`/api/assessments/${assessmentId}/items/${i.id}/response`, {
      version: i.response.version,
      rating,
      notApplicable: false,
    });
}

/** One browser session per person: a signed-in page, its console watch and its API. */
interface Session {
  browser: Browser;
  page: Page;
  watch: ConsoleWatch;
  api: Api;
}

/** Picks `option` in the Mantine Select labelled `label` (the nth one with that label). */
async function pick(page: Page, label: string, option: string | RegExp, nth = 0) {
  await page.getByRole('combobox', { name: label, exact: true }).nth(nth).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

describe('integrity cycle', { timeout: 600_000 }, () => {
  let server: RunningServer | undefined;
  let base = '';

  before(async () => {
    // E2E_SERVER_URL: a server already running with the demo data (while writing the test).
    if (process.env.E2E_SERVER_URL) base = process.env.E2E_SERVER_URL;
    else {
      server = await startServer();
      base = server.url;
    }
  });

  after(async () => {
    await server?.stop();
  });

  for (const lang of ['en', 'fr'] as const satisfies readonly Lang[]) {
    describe(lang === 'en' ? 'in English' : 'in French, then the same pages in Arabic', () => {
      const T = TEXT[lang];
      const t = catalog(lang);
      const sessions: Partial<Record<'facilitator' | 'analyst' | 'executive', Session>> = {};
      const s = (who: keyof typeof sessions) => sessions[who]!;
      let page: Page; // the facilitator's
      let step = 0;
      const it = orderedSteps(`cycle-${lang}`, () => page);
      const shot = (p: Page, name: string) =>
        screenshot(p, `cycle-${lang}-${String(++step).padStart(2, '0')}-${name}`);
      const nf = new Intl.NumberFormat(lang, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });

      const title = lang === 'en' ? 'Norland self-assessment 2027' : 'Autoévaluation Norland 2027';
      const previousTitle = lang === 'en' ? 'Norland baseline 2026' : 'Référence Norland 2026';
      const planTitle = lang === 'en' ? 'Integrity plan 2027–2028' : 'Plan d’intégrité 2027–2028';
      const riskTitle =
        lang === 'en'
          ? 'Bribes to release seized goods'
          : 'Pots-de-vin pour libérer des marchandises saisies';
      let previousId = '';
      let assessmentId = '';
      let planUrl = '';
      let items: Item[] = [];
      /** Factor-1 items rated in the browser: [facilitator 0, facilitator 3, analyst 1, analyst 3]. */
      let uiItems: Item[] = [];

      async function open(who: keyof typeof sessions, email: string, name: string): Promise<Session> {
        const browser = await launchBrowser();
        const p = browser.page;
        const watch = watchConsole(p);
        await login(p, base, email);
        if (lang === 'fr') {
          // Through the language switcher, saved to the account.
          const saved = p.waitForResponse(
            (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/me',
          );
          await chooseOption(p, 'lang-switcher', 'Français');
          assert.equal((await saved).status(), 200);
          await p.waitForFunction(() => document.documentElement.lang === 'fr');
          await p.locator('h1', { hasText: T.welcome(name) }).waitFor();
        }
        sessions[who] = { browser, page: p, watch, api: apiOf(p.request, base) };
        return sessions[who];
      }

      after(async () => {
        // Back to English for whoever signs in next (the language is saved to the account).
        for (const x of Object.values(sessions))
          await x?.api.patch('/api/me', { locale: 'en' }).catch(() => {});
        for (const x of Object.values(sessions)) await x?.browser.close();
      });

      it('signs in the facilitator, an analyst and the executive (separate browsers)', async () => {
        page = (await open('facilitator', FACILITATOR.email, FACILITATOR.name)).page;
        await open('analyst', ANALYST.email, ANALYST.name);
        await open('executive', EXECUTIVE.email, EXECUTIVE.name);
        assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
      });

      it('has an earlier validated iteration to compare with (through the API)', async () => {
        // Set-up, not the journey: an assessment validated now, so it is the latest iteration
        // before the one of the journey (the demo's 2024/2025 ones are older). Every item 2 / 4.
        const fac = s('facilitator').api;
        const opts = await fac.get<{
          frameworks: { libraryId: string; urn: string; items: number }[];
          members: { id: string; name: string }[];
        }>('/api/assessments/options');
        const rad = opts.frameworks.find((f) => f.urn.includes('rad')) ?? opts.frameworks[0]!;
        const id = (name: string) => opts.members.find((m) => m.name === name)!.id;
        const prev = await fac.post<{ id: string; version: number }>('/api/assessments', {
          title: previousTitle,
          type: 'self',
          frameworkLibraryId: rad.libraryId,
          team: [
            { userId: id(FACILITATOR.name), role: 'facilitator' },
            { userId: id(EXECUTIVE.name), role: 'executive_sponsor' },
          ],
        });
        previousId = prev.id;
        let v = (
          await fac.post<{ version: number }>(`/api/assessments/${prev.id}/transition`, {
            to: 'in_progress',
            version: prev.version,
          })
        ).version;
        const prevItems = await fac.get<ItemsResult>(`/api/assessments/${prev.id}/items`);
        const all = prevItems.factors.flatMap((f) => f.items);
        assert.equal(all.length, rad.items, 'one response per checklist item');
        await rateByApi(fac, prev.id, all, 2);
        v = (
          await fac.post<{ version: number }>(`/api/assessments/${prev.id}/transition`, {
            to: 'in_review',
            version: v,
          })
        ).version;
        const done = await s('executive').api.post<{ status: string }>(
          `/api/assessments/${prev.id}/validate`,
          {
            version: v,
          },
        );
        assert.equal(done.status, 'validated');
      });

      it('the facilitator creates the assessment with its team and starts it', async () => {
        await page.goto(`${base}/assessments`);
        await settle(page, T.assessments);
        await page.getByTestId('assessment-create').click();
        const dialog = page.getByRole('dialog');
        await page.getByTestId('assessment-title-input').fill(title);
        // The framework defaults to the Revised Arusha Declaration.
        const team: [string, string][] = [
          [FACILITATOR.name, 'facilitator'],
          [FACILITATOR.name, 'assessor'],
          [ANALYST.name, 'assessor'],
          [EXECUTIVE.name, 'executive_sponsor'],
        ];
        for (const [n, [name, role]] of team.entries()) {
          await dialog.getByRole('button', { name: t('assessments.addMember') }).click();
          await pick(page, t('assessments.fields.member'), name, n);
          await pick(page, t('assessments.fields.role'), t(`assessments.roles.${role}`), n);
        }
        await checkA11y(page, 'the new-assessment form');
        await shot(page, 'assessment-create-form');
        const created = page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/assessments',
        );
        await page.getByTestId('assessment-create-submit').click();
        const res = await created;
        assert.ok(res.ok(), `${res.status()} ${(await res.text()).slice(0, 300)}`);
        assessmentId = ((await res.json()) as { id: string }).id;
        await page.waitForURL(`${base}/assessments/${assessmentId}`);
        await settle(page, title);
        const status = page.getByTestId('assessment-status');
        assert.equal(await status.getAttribute('data-status'), 'planned');

        await page.getByTestId('transition-in_progress').click();
        await page.getByTestId('transition-confirm').click();
        await page.locator('[data-testid="assessment-status"][data-status="in_progress"]').waitFor();
        assert.equal(await status.textContent(), T.inProgress);

        const detail = await s('facilitator').api.get<{ team: { name: string; role: string }[] }>(
          `/api/assessments/${assessmentId}`,
        );
        assert.deepEqual(
          detail.team.map((m) => `${m.name}:${m.role}`).sort(),
          team.map(([n, r]) => `${n}:${r}`).sort(),
          'the team as entered',
        );
        items = (
          await s('facilitator').api.get<ItemsResult>(`/api/assessments/${assessmentId}/items`)
        ).factors.flatMap((f) => f.items.map((i) => ({ ...i, factor: f.factor })));
        uiItems = items.filter((i) => i.factor === 1).slice(0, 4);
        assert.equal(uiItems.length, 4, 'factor 1 has at least four items');
      });

      /** Rates one item with the buttons of its card, optionally with a weakness, and saves it. */
      async function rateInUi(p: Page, item: Item, rating: number, weakness?: string) {
        const card = p.locator(`[id="item-${item.refId}"]`);
        await p.getByTestId(`rating-${item.refId}-${rating}`).click();
        assert.equal(
          await p.getByTestId(`rating-${item.refId}-${rating}`).getAttribute('aria-pressed'),
          'true',
        );
        if (weakness) await card.getByLabel(t('assessments.weaknesses')).fill(weakness);
        const saved = p.waitForResponse(
          (r) => r.request().method() === 'PUT' && r.url().includes(`/items/${item.id}/response`),
        );
        await p.getByTestId(`response-save-${item.refId}`).click();
        assert.equal((await saved).status(), 200);
      }

      const weakness =
        lang === 'en'
          ? 'No integrity commitment has been published by the Director General.'
          : 'Aucun engagement d’intégrité n’a été publié par le directeur général.';

      it('two assessors rate items in their own sessions (a few in the browser, the rest by API)', async () => {
        const fac = s('facilitator');
        const ana = s('analyst');
        // The facilitator (also an assessor) on the checklist: factor 1 is open.
        await fac.page.reload();
        await settle(fac.page, title);
        await rateInUi(fac.page, uiItems[0]!, 0, weakness);
        await rateInUi(fac.page, uiItems[1]!, 3);
        await checkA11y(fac.page, 'the assessment checklist');
        await shot(fac.page, 'checklist-facilitator');

        // The analyst, in another browser, at the same time.
        await ana.page.goto(`${base}/assessments/${assessmentId}`);
        await settle(ana.page, title);
        await rateInUi(ana.page, uiItems[2]!, 1);
        await rateInUi(ana.page, uiItems[3]!, 3);
        await shot(ana.page, 'checklist-analyst');

        // Rating all 67 items by clicking would take minutes: the others go through the same
        // HTTP API the rating buttons call, authenticated as each assessor (half each), at 3 / 4.
        const rest = items.filter((i) => !uiItems.includes(i));
        const half = Math.ceil(rest.length / 2);
        await rateByApi(fac.api, assessmentId, rest.slice(0, half), 3);
        await rateByApi(ana.api, assessmentId, rest.slice(half), 3);

        const after = await fac.api.get<ItemsResult & { factors: { items: Item[] }[] }>(
          `/api/assessments/${assessmentId}/items`,
        );
        const byRef = new Map(after.factors.flatMap((f) => f.items).map((i) => [i.refId, i.response.rating]));
        assert.deepEqual(
          uiItems.map((i) => byRef.get(i.refId)),
          [0, 3, 1, 3],
          'the ratings given in the browser are stored',
        );
        assert.ok(
          [...byRef.values()].every((r) => r !== null),
          'every item is rated',
        );
      });

      it('the facilitator submits it for review, the executive validates it', async () => {
        await page.reload();
        await settle(page, title);
        await page.getByTestId('transition-in_review').click();
        await page.getByTestId('transition-confirm').click();
        await page.locator('[data-testid="assessment-status"][data-status="in_review"]').waitFor();
        assert.equal(
          await page.getByTestId('transition-validated').count(),
          0,
          'the facilitator cannot validate',
        );

        const ex = s('executive').page;
        await ex.goto(`${base}/assessments/${assessmentId}`);
        await settle(ex, title);
        await ex.getByTestId('transition-validated').click();
        await ex.getByRole('dialog').getByText(t('assessments.validateHelp')).waitFor();
        await ex.getByTestId('transition-confirm').click();
        const status = ex.locator('[data-testid="assessment-status"][data-status="validated"]');
        await status.waitFor();
        assert.equal(await status.textContent(), T.validated);
        await ex.getByText(t('assessments.readOnly', { status: T.validated })).waitFor();
        await shot(ex, 'validated-by-executive');
      });

      it('the scores show the radar and the comparison with the previous iteration', async () => {
        await page.reload();
        await settle(page, title);
        assert.equal(await page.getByTestId('assessment-status').getAttribute('data-status'), 'validated');
        await page.getByTestId('assessment-scores-tab').click();
        assert.equal(await page.getByTestId('assessment-scores-tab').textContent(), T.scoresTab);
        const radar = page.getByTestId('assessment-radar');
        await radar.locator('svg path, canvas').first().waitFor();
        const compare = page.getByTestId('assessment-compare');
        await compare.waitFor();
        await compare.getByRole('columnheader', { name: T.previousColumn, exact: true }).waitFor();
        // The radar's legend names the previous iteration.
        await radar
          .getByText(t('assessments.previous', { title: previousTitle }))
          .first()
          .waitFor({
            state: 'attached',
          });
        assert.equal(await page.getByText(t('assessments.noPrevious')).count(), 0);

        const scores = await s('facilitator').api.get<{
          previous: { id: string } | null;
          factors: { factor: number; score: number | null; previous: number | null; delta: number | null }[];
        }>(`/api/assessments/${assessmentId}/scores`);
        assert.equal(scores.previous?.id, previousId, 'compared with the iteration validated before it');
        // Hand-computed: factor 10 is all 3/4 now (75 %) and all 2/4 before (50 %): +25.
        const row10 = compare.locator('tr[data-factor="10"]');
        const cells10 = row10.locator('td');
        assert.equal(await cells10.nth(1).textContent(), t('assessments.percent', { value: 75 }));
        assert.equal(await cells10.nth(2).textContent(), t('assessments.percent', { value: 50 }));
        assert.equal(await cells10.nth(3).textContent(), nf.format(25));
        // Factor 1 has the low ratings (0 and 1): its delta as the API computes it, not zero.
        const f1 = scores.factors.find((f) => f.factor === 1)!;
        assert.ok(f1.delta !== null && f1.delta !== 0 && f1.delta < 25, `factor 1 delta ${f1.delta}`);
        assert.equal(
          await compare.locator('tr[data-factor="1"] td').nth(3).textContent(),
          nf.format(f1.delta),
        );
        await checkA11y(page, 'the assessment scores');
        await shot(page, 'assessment-scores');
      });

      let accepted: string[] = [];
      it('actions are drafted from the evidence and accepted into a plan', async () => {
        await page.goto(`${base}/action-plans`);
        await settle(page, T.plans);
        await page.getByTestId('plan-create').click();
        await page.getByTestId('plan-title-input').fill(planTitle);
        await page
          .getByRole('dialog')
          .getByRole('button', { name: t('actionPlans.create') })
          .click();
        await page.waitForURL((u) => /^\/action-plans\/[0-9a-f-]{36}$/.test(u.pathname));
        await settle(page, planTitle);
        planUrl = page.url();

        await page.getByTestId('draft-from-evidence').click();
        await page.getByTestId('draft-run').click();
        await page.getByTestId('proposal-0').waitFor();
        // The weakest items first: the one rated 0 (with its weakness), then the one rated 1.
        await page
          .getByTestId('proposal-0')
          .getByText(t('actionPlans.draft.include', { ref: uiItems[0]!.refId }))
          .waitFor();
        await page
          .getByTestId('proposal-1')
          .getByText(t('actionPlans.draft.include', { ref: uiItems[2]!.refId }))
          .waitFor();
        assert.match(
          await page.getByTestId('proposal-0').getByLabel(t('actionPlans.action.description')).inputValue(),
          new RegExp(weakness.slice(0, 30)),
          'the weakness recorded by the assessor is carried into the proposal',
        );
        const n = await page.locator('[data-testid^="proposal-"][data-testid$="-select"]').count();
        assert.ok(n >= 2, `at least two proposals, got ${n}`);
        await checkA11y(page, 'the draft-from-evidence dialog');
        await shot(page, 'draft-proposals');
        // Keep the two item proposals, untick the others.
        for (let i = 2; i < n; i++) await page.getByTestId(`proposal-${i}-select`).uncheck();
        accepted = [
          await page.getByTestId('proposal-0-objective').inputValue(),
          await page.getByTestId('proposal-1-objective').inputValue(),
        ];
        const accept = page.getByTestId('draft-accept');
        assert.equal(await accept.textContent(), t('actionPlans.draft.accept', { n: 2 }));
        await accept.click();
        await page.getByRole('dialog').waitFor({ state: 'detached' });

        await page.getByTestId('view-list').click();
        const rows = page.locator('[data-testid^="action-row-"]');
        await rows.nth(1).waitFor();
        assert.equal(await rows.count(), 2, 'two actions in the plan');
        for (const objective of accepted) await page.getByText(objective, { exact: true }).waitFor();
        await checkA11y(page, 'the plan (list)');
        await shot(page, 'plan-list');

        await page.getByTestId('view-kanban').click();
        const column = page.getByTestId('kanban-not_started');
        await column.getByRole('heading', { name: T.kanbanNotStarted }).waitFor();
        assert.equal(await column.locator('[data-testid^="card-"]').count(), 2, 'two cards not started');
        await checkA11y(page, 'the plan (Kanban)');
        await shot(page, 'plan-kanban');

        await page.getByTestId('view-timeline').click();
        // The chart's first paths are zero-width axis lines: wait for them attached, then check size.
        const timeline = page.getByTestId('timeline');
        await timeline.locator('svg path, canvas').first().waitFor({ state: 'attached' });
        const box = await timeline.locator('svg, canvas').first().boundingBox();
        assert.ok(
          box && box.width > 200 && box.height > 100,
          `the timeline chart is drawn (${JSON.stringify(box)})`,
        );
        await checkA11y(page, 'the plan (timeline)');
        await shot(page, 'plan-timeline');
      });

      it('the heat maps show the risks, and a cell lists its risks', async () => {
        const api = s('facilitator').api;
        type Heat = {
          likelihood: { value: number }[];
          impact: { value: number }[];
          cells: { likelihood: number; impact: number; inherentCount: number; residualCount: number }[];
        };
        const before = await api.get<Heat>('/api/risks/heatmap');
        const L = before.likelihood.at(-1)!.value;
        const I = before.impact.at(-1)!.value;
        const count = (h: Heat, l: number, i: number, k: 'inherentCount' | 'residualCount') =>
          h.cells.find((c) => c.likelihood === l && c.impact === i)![k];
        // One risk through the API (set-up), one through the form.
        const processes = await api.get<{ items: { id: string; archived: boolean }[] }>(
          '/api/risks/processes',
        );
        await api.post('/api/risks', {
          processId: processes.items.find((p) => !p.archived)!.id,
          title:
            lang === 'en'
              ? 'Tariff misclassification for a fee'
              : 'Classement tarifaire erroné contre paiement',
          scheme: 'bribery',
          inherentLikelihood: L - 1,
          inherentImpact: I,
          residualLikelihood: 2,
          residualImpact: 2,
        });

        await page.goto(`${base}/risks`);
        await settle(page, t('risks.title'));
        await page.getByTestId('risk-create').click();
        await settle(page, t('risks.newRisk'));
        await page.getByTestId('risk-title-input').fill(riskTitle);
        await page.getByTestId('risk-process-input').click();
        await page.getByRole('option').first().click();
        await pick(page, t('risks.likelihood'), new RegExp(`^${L} · `), 0);
        await pick(page, t('risks.impact'), new RegExp(`^${I} · `), 0);
        await pick(page, t('risks.likelihood'), /^3 · /, 1);
        await pick(page, t('risks.impact'), /^2 · /, 1);
        const created = page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/risks',
        );
        await page.getByTestId('risk-save').click();
        assert.equal((await created).status(), 201);
        await page.waitForURL((u) => /^\/risks\/[0-9a-f-]{36}$/.test(u.pathname));
        await settle(page, new RegExp(riskTitle));

        await page.goto(`${base}/risks/heatmap`);
        await settle(page, T.heatmaps);
        const inherent = page.getByTestId('heatmap-inherent');
        const residual = page.getByTestId('heatmap-residual');
        await inherent.getByText(T.inherent, { exact: true }).waitFor();
        await residual.waitFor();
        const cell = inherent.getByTestId(`heatmap-cell-${L}-${I}`);
        const expected = count(before, L, I, 'inherentCount') + 1;
        assert.ok(expected >= 1);
        assert.equal((await cell.textContent())?.trim(), String(expected), `inherent cell ${L}×${I}`);
        assert.equal(
          (await residual.getByTestId('heatmap-cell-3-2').textContent())?.trim(),
          String(count(before, 3, 2, 'residualCount') + 1),
          'residual cell 3×2',
        );
        assert.equal(
          (await inherent.getByTestId(`heatmap-cell-${L - 1}-${I}`).textContent())?.trim(),
          String(count(before, L - 1, I, 'inherentCount') + 1),
          'the API-created risk is on the inherent map too',
        );
        await cell.click();
        assert.equal(await cell.getAttribute('aria-pressed'), 'true');
        const listed = page.getByTestId('heatmap-cell-risks');
        await listed.getByRole('link', { name: riskTitle }).first().waitFor();
        assert.equal(await listed.getByRole('row').count(), expected, 'the cell lists its risks');
        await checkA11y(page, 'the heat maps');
        await shot(page, 'heatmaps');
      });

      it('the dashboard shows the validated assessment and its PDF report downloads and renders', async () => {
        await page.goto(`${base}/dashboard`);
        await settle(page, T.dashboard);
        await page.getByText(title).first().waitFor();
        const button = page.getByTestId('dash-report-pdf');
        assert.equal((await button.textContent())?.trim(), T.reportPdf);
        await checkA11y(page, 'the dashboard');
        await shot(page, 'dashboard');

        const download = page.waitForEvent('download', { timeout: 60_000 });
        await button.click();
        const file = path.join(SHOTS_DIR, `cycle-${lang}-report.pdf`);
        await (await download).saveAs(file);
        const pdf = fs.readFileSync(file);
        assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF file');
        assert.ok(pdf.length > 20_000, `a real report, not an empty page (${pdf.length} bytes)`);

        const prefix = path.join(SHOTS_DIR, `cycle-${lang}-report-page`);
        const r = spawnSync('pdftoppm', [
          '-png',
          '-r',
          '60',
          '-f',
          '1',
          '-l',
          '1',
          '-singlefile',
          file,
          prefix,
        ]);
        if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
          process.stdout.write(
            '# pdftoppm (poppler-utils) is not installed: the PDF page render is skipped\n',
          );
          return;
        }
        assert.equal(r.status, 0, `pdftoppm failed: ${r.stderr?.toString()}`);
        const png = fs.statSync(`${prefix}.png`);
        assert.ok(png.size > 5_000, `page 1 renders to a non-trivial image (${png.size} bytes)`);
      });

      if (lang === 'fr')
        it('the same pages pass axe in Arabic, right to left', async () => {
          const saved = page.waitForResponse(
            (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/me',
          );
          await chooseOption(page, 'lang-switcher', 'العربية');
          assert.equal((await saved).status(), 200);
          await page.waitForFunction(() => document.documentElement.dir === 'rtl');
          const ar = catalog('ar');
          const arabic = /[\u0600-\u06FF]/;

          await page.goto(`${base}/assessments/${assessmentId}`);
          await settle(page, title);
          await page.getByTestId('assessment-scores-tab').click();
          await page.getByTestId('assessment-compare').waitFor();
          await page.getByTestId('assessment-radar').locator('svg path, canvas').first().waitFor();
          assert.match((await page.getByTestId('assessment-status').textContent()) ?? '', arabic);
          await checkA11y(page, 'the assessment scores in Arabic');
          await shot(page, 'ar-assessment-scores');

          await page.goto(planUrl);
          await settle(page, planTitle);
          await page.locator('[data-testid^="action-row-"]').nth(1).waitFor();
          await checkA11y(page, 'the plan in Arabic');
          await shot(page, 'ar-plan');

          await page.goto(`${base}/risks/heatmap`);
          await settle(page, ar('risks.heatmaps'));
          await page.getByTestId('heatmap-residual').waitFor();
          await checkA11y(page, 'the heat maps in Arabic');
          await shot(page, 'ar-heatmaps');

          await page.goto(`${base}/dashboard`);
          await settle(page, ar('dashboard.title'));
          await page.getByTestId('dash-report-pdf').waitFor();
          assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
          await checkA11y(page, 'the dashboard in Arabic');
          await shot(page, 'ar-dashboard');
        });

      it('logged no console errors in any of the three sessions', () => {
        for (const [who, x] of Object.entries(sessions))
          assert.deepEqual(unexpectedErrors(x!.watch), [], `console errors (${who})`);
      });
    });
  }
});
