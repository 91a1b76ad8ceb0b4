// The learning journey from issue 7, in a real browser and in French: an integrity officer
// enrols an org unit in "L’intégrité en douane" (a campaign); a staff member of that unit
// signs in, reads the lessons and takes the quizzes (fails the first quiz, then passes it),
// finishes the course and downloads the certificate (PDF); a signed-out visitor verifies its
// code on the public page; the completion report shows the completion. axe-core checks the
// pages visited. The quiz answers come from the course file, so passing and failing are
// deterministic whatever questions are drawn.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  type CourseDocument,
  type Question,
  parseCourse,
} from '../../src/modules/learning/learning.course.ts';
import { samplePackage } from '../../src/modules/learning/learning.scorm.fixture.ts';
import {
  type Browser,
  type ConsoleWatch,
  ROOT,
  type RunningServer,
  SHOTS_DIR,
  checkA11y,
  chooseOption,
  escapeModal,
  launchBrowser,
  login,
  orderedSteps,
  saveLocale,
  screenshot,
  settle,
  startServer,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

const SCORM_TITLE = 'Éthique aux frontières (SCORM)';
const OFFICER = { email: 'integrity@norland.demo', name: 'Ines Integrity' };
const LEARNER = { email: 'staff@norland.demo', name: 'Samuel Staff' };
/** The learner's unit in the demo data (Southern Region), not in the seeded campaign. */
const UNIT = 'Lindi Inland Container Depot';

const COURSE: CourseDocument = parseCourse(
  fs.readFileSync(path.join(ROOT, 'src/modules/learning/courses/integrity-in-customs.yaml'), 'utf8'),
);
const fr = (t: Record<string, string> | undefined) => t?.fr ?? '';

/** The French texts, written out by hand so that the run fails if a page stays in English. */
const T = {
  welcome: (n: string) => `Bienvenue, ${n}`,
  campaigns: 'Campagnes d’inscription',
  myLearning: 'Ma formation',
  course: 'L’intégrité en douane',
  retake: 'Réessayer',
  next: 'Suivant',
  completed: 'Cours terminé',
  verify: 'Vérifier un certificat',
  check: 'Vérifier',
  valid: 'Certificat valide',
  reports: 'Rapports de formation',
  statusCompleted: 'Terminé',
};

/** One browser session per person: its page and console watch. */
interface Session {
  browser: Browser;
  page: Page;
  watch: ConsoleWatch;
}

/** Waits until the open modal has finished fading in (axe would otherwise see half-transparent text). */
async function modalShown(page: Page): Promise<void> {
  await page.getByRole('dialog').waitFor();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.mantine-Modal-content, .mantine-Modal-overlay')].every(
      (e) => getComputedStyle(e).opacity === '1',
    ),
  );
}

/** Answers one question shown in the quiz, right or wrong, from the course file. */
async function answer(box: Locator, q: Question, right: boolean): Promise<void> {
  switch (q.type) {
    case 'single': {
      const o = q.options.find((x) => x.correct === right)!;
      await box.locator(`input[type="radio"][value="${o.id}"]`).check();
      return;
    }
    case 'multiple': {
      for (const o of q.options)
        if (right ? o.correct : !o.correct && o === q.options.find((x) => !x.correct))
          await box.locator(`input[type="checkbox"][value="${o.id}"]`).check();
      return;
    }
    case 'true_false':
      await box.locator(`input[type="radio"][value="${String(right ? q.answer : !q.answer)}"]`).check();
      return;
    case 'matching':
      // Wrong: left unanswered (scores zero).
      if (!right) return;
      for (const p of q.pairs)
        await box.locator(`select[aria-labelledby$="-${p.id}"]`).selectOption({ label: fr(p.right) });
      return;
    case 'ordering': {
      // Wrong: left in the shown order (never the right one).
      if (!right) return;
      const target = q.items.map((i) => fr(i.text));
      const rows = box.locator('li');
      for (let pos = 0; pos < target.length; pos++) {
        const shown = (await rows.allTextContents()).map((s) => s.replace(/^\d+/, '').trim());
        const at = shown.indexOf(target[pos]!);
        assert.ok(at >= pos, `ordering ${q.id}: "${target[pos]}" in ${JSON.stringify(shown)}`);
        for (let i = at; i > pos; i--) await rows.nth(i).getByRole('button').first().click();
      }
      return;
    }
  }
}

describe('learning journey (in French)', { timeout: 600_000 }, () => {
  let server: RunningServer | undefined;
  let base = '';
  const sessions: Partial<Record<'officer' | 'learner' | 'visitor', Session>> = {};
  const s = (who: keyof typeof sessions) => sessions[who]!;
  let page: Page | undefined; // the page of the current step, for the failure screenshot
  let step = 0;
  const it = orderedSteps('learning-fr', () => page);
  const shot = (p: Page, name: string) =>
    screenshot(p, `learning-fr-${String(++step).padStart(2, '0')}-${name}`);
  const campaignTitle = 'Intégrité en douane — Région Sud 2027';
  let code = '';
  let enrolledInUnit = 0;
  let pdfFile = '';

  before(async () => {
    if (process.env.E2E_SERVER_URL) base = process.env.E2E_SERVER_URL;
    else {
      server = await startServer();
      base = server.url;
    }
  });

  after(async () => {
    for (const who of ['officer', 'learner'] as const) {
      const page = sessions[who]?.page;
      if (page) await saveLocale(page, base, 'en').catch(() => {});
    }
    for (const x of Object.values(sessions)) await x?.browser.close();
    await server?.stop();
  });

  /** Signs in and switches to French through the language switcher (saved to the account). */
  async function open(who: 'officer' | 'learner', email: string, name: string): Promise<Page> {
    const browser = await launchBrowser();
    const p = browser.page;
    const watch = watchConsole(p);
    sessions[who] = { browser, page: p, watch };
    await login(p, base, email);
    const saved = p.waitForResponse(
      (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/me',
    );
    await chooseOption(p, 'lang-switcher', 'Français');
    assert.equal((await saved).status(), 200);
    await p.waitForFunction(() => document.documentElement.lang === 'fr');
    await p.locator('h1', { hasText: T.welcome(name) }).waitFor();
    return p;
  }

  it('the integrity officer enrols an org unit in the course (a campaign)', async () => {
    page = await open('officer', OFFICER.email, OFFICER.name);
    await page.goto(`${base}/learning/campaigns`);
    await settle(page, T.campaigns);
    await page.getByTestId('campaign-create').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('campaign-course').click();
    await page.getByRole('option', { name: T.course, exact: true }).click();
    // Choosing the course proposes its title; the officer writes another.
    assert.equal(await dialog.getByTestId('campaign-title').inputValue(), T.course);
    await dialog.getByTestId('campaign-title').fill(campaignTitle);
    await dialog.getByTestId('campaign-targets').click();
    await page.getByRole('option', { name: new RegExp(`^${UNIT}`) }).click();
    await page.keyboard.press('Escape');
    const due = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
    await dialog.getByTestId('campaign-due').fill(due);
    await modalShown(page);
    await checkA11y(page, 'the new-campaign form');
    await shot(page, 'campaign-form');
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/learning/campaigns',
    );
    await dialog.getByTestId('campaign-submit').click();
    const res = await created;
    assert.equal(res.status(), 201, (await res.text()).slice(0, 300));
    const camp = (await res.json()) as { id: string; enrolled: number; targetKind: string };
    assert.equal(camp.targetKind, 'units');
    // Every member of the unit (the learner and whoever else the demo data puts there).
    assert.ok(camp.enrolled >= 1, `enrolled ${camp.enrolled}`);
    enrolledInUnit = camp.enrolled;
    await dialog.waitFor({ state: 'detached' });
    const row = page.getByTestId(`campaign-row-${camp.id}`);
    await row.getByText(campaignTitle).waitFor();
    await row.getByText(`0 sur ${camp.enrolled} ont terminé`, { exact: false }).waitFor();
    // The learners of the campaign: the staff member of the unit, not started.
    await row.getByRole('button', { name: campaignTitle }).click();
    const learners = page.getByRole('dialog');
    const learnerRow = learners.getByRole('row', { name: new RegExp(LEARNER.name) });
    await learnerRow.getByText(UNIT).waitFor();
    const bodyRows = learners.locator('tbody tr');
    assert.equal(await bodyRows.count(), camp.enrolled, 'one row per enrolled member');
    for (const text of await bodyRows.allTextContents())
      assert.match(text, new RegExp(UNIT), 'all of the unit');
    await modalShown(page);
    await checkA11y(page, 'the campaign learners');
    await shot(page, 'campaign-learners');
    await escapeModal(page, learners);
  });

  let enrolmentUrl = '';

  /** Reads the lessons of a module (marking each done), then opens its quiz. */
  async function readModule(p: Page, m: CourseDocument['modules'][number]) {
    for (const l of m.lessons) {
      await p.locator('#lesson-title', { hasText: fr(l.title) }).waitFor();
      const done = p.waitForResponse(
        (r) => r.request().method() === 'POST' && r.url().endsWith(`/lessons/${l.id}/done`),
      );
      await p.getByTestId('lesson-done').click();
      assert.equal((await done).status(), 200, `lesson ${l.id} marked done`);
    }
    await p.locator('#quiz-title', { hasText: fr(m.title) }).waitFor();
  }

  /** Starts an attempt, answers every drawn question (right or wrong) and submits it. */
  async function takeQuiz(p: Page, m: CourseDocument['modules'][number], right: boolean) {
    const started = p.waitForResponse(
      (r) => r.request().method() === 'POST' && r.url().endsWith(`/quizzes/${m.id}/attempts`),
    );
    await p.getByTestId('quiz-start').click();
    const attempt = (await (await started).json()) as { questions: { id: string }[] };
    assert.equal(attempt.questions.length, m.quiz!.draw, `${m.id}: the drawn questions`);
    for (const drawn of attempt.questions) {
      const q = m.quiz!.questions.find((x) => x.id === drawn.id)!;
      const box = p.getByTestId(`question-${q.id}`);
      await box.getByText(fr(q.prompt), { exact: true }).waitFor();
      await answer(box, q, right);
    }
    const submitted = p.waitForResponse(
      (r) => r.request().method() === 'POST' && /\/api\/learning\/attempts\/[^/]+\/submit$/.test(r.url()),
    );
    await p.getByTestId('quiz-submit').click();
    const res = await submitted;
    assert.equal(res.status(), 200, (await res.text()).slice(0, 300));
    const result = (await res.json()) as { passed: boolean; score: number };
    assert.equal(result.passed, right, `${m.id}: ${right ? 'passes' : 'fails'} (score ${result.score})`);
    if (right) assert.equal(result.score, 1);
    const shown = p.getByTestId('quiz-result');
    await shown.waitFor();
    assert.equal(await shown.getAttribute('data-passed'), String(right));
  }

  it('a staff member of that unit signs in and finds the course in French', async () => {
    page = await open('learner', LEARNER.email, LEARNER.name);
    await page.goto(`${base}/learning`);
    await settle(page, T.myLearning);
    const card = page.getByTestId('learning-enrolment-integrity-in-customs');
    await card.getByRole('heading', { name: T.course }).waitFor();
    await card.getByText('Non commencé', { exact: true }).waitFor();
    await checkA11y(page, 'my learning');
    await shot(page, 'my-learning');
    await page.getByTestId('learning-continue-integrity-in-customs').click();
    await page.waitForURL((u) => /^\/learning\/enrolments\/[0-9a-f-]{36}$/.test(u.pathname));
    enrolmentUrl = page.url();
    await settle(page, T.course);
  });

  it('takes the first module: its lessons, fails the quiz, then passes it', async () => {
    const p = s('learner').page;
    const m1 = COURSE.modules[0]!;
    await p.locator('#lesson-title', { hasText: fr(m1.lessons[0]!.title) }).waitFor();
    await checkA11y(p, 'a lesson');
    await shot(p, 'lesson');
    await readModule(p, m1);
    await takeQuiz(p, m1, false);
    await p.getByRole('alert').or(p.getByRole('status')).getByText('Non réussi').first().waitFor();
    await checkA11y(p, 'a failed quiz');
    await shot(p, 'quiz-failed');
    await p.getByRole('button', { name: T.retake, exact: true }).click();
    await checkA11y(p, 'the quiz before a second attempt');
    await takeQuiz(p, m1, true);
    await shot(p, 'quiz-passed');
    await p.getByRole('button', { name: T.next, exact: true }).click();
  });

  it('takes the second module', async () => {
    const p = s('learner').page;
    const m2 = COURSE.modules[1]!;
    await readModule(p, m2);
    // The quiz with its questions on screen, for axe and a look.
    const started = p.waitForResponse((r) => r.url().endsWith(`/quizzes/${m2.id}/attempts`));
    await p.getByTestId('quiz-start').click();
    await started;
    await p.getByTestId('quiz-submit').waitFor();
    await checkA11y(p, 'a quiz in progress');
    await shot(p, 'quiz-questions');
    // Back to a fresh attempt: reload the player (the open attempt is simply not submitted).
    await p.reload();
    await settle(p, T.course);
    // The player opens the first step not done: this quiz.
    await p.locator('#quiz-title', { hasText: fr(m2.title) }).waitFor();
    await takeQuiz(p, m2, true);
    await p.getByRole('button', { name: T.next, exact: true }).click();
    const outline = p.getByRole('navigation', { name: 'Plan du cours' });
    await outline.getByText('Tout est fait').nth(1).waitFor();
  });

  it('finishes the other modules and downloads the certificate (PDF)', async () => {
    const p = s('learner').page;
    for (const m of COURSE.modules.slice(2)) {
      await readModule(p, m);
      await takeQuiz(p, m, true);
      if (m !== COURSE.modules.at(-1)) await p.getByRole('button', { name: T.next, exact: true }).click();
    }
    const banner = p.getByTestId('course-completed');
    await banner.getByText(T.completed).waitFor();
    const button = banner.getByTestId('certificate-download');
    await button.waitFor();
    await checkA11y(p, 'the completed course');
    await shot(p, 'course-completed');
    const download = p.waitForEvent('download', { timeout: 60_000 });
    await button.click();
    pdfFile = path.join(SHOTS_DIR, 'learning-fr-certificate.pdf');
    await (await download).saveAs(pdfFile);
    const pdf = fs.readFileSync(pdfFile);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF file');
    const text = spawnSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
    assert.equal(text.status, 0, `pdftotext: ${text.stderr}`);
    assert.match(text.stdout, new RegExp(LEARNER.name), 'the learner’s name is on it');
    assert.match(text.stdout, /L’intégrité en douane/, 'the course title, in French');
    const m = /\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}\b/.exec(text.stdout);
    assert.ok(m, `a verification code on the certificate:\n${text.stdout}`);
    code = m[0];
    // My learning shows it completed, with the certificate.
    await p.goto(`${base}/learning`);
    await settle(p, T.myLearning);
    const card = p.getByTestId('learning-enrolment-integrity-in-customs');
    await card.getByText(T.statusCompleted, { exact: true }).waitFor();
    await card.getByRole('link', { name: 'Certificat' }).waitFor();
    assert.ok(enrolmentUrl);
  });

  it('a signed-out visitor verifies the code on the public page', async () => {
    const browser = await launchBrowser({ locale: 'fr-FR' });
    const watch = watchConsole(browser.page);
    sessions.visitor = { browser, page: browser.page, watch };
    page = browser.page;
    await page.goto(`${base}/verify`);
    await settle(page, T.verify);
    await page.getByTestId('verify-code-input').fill(code.toLowerCase().replaceAll('-', ' '));
    await page.getByRole('button', { name: T.check, exact: true }).click();
    await page.waitForURL(`${base}/verify/${code}`);
    const result = page.getByTestId('verify-result');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-valid'), 'true');
    await result.getByText(T.valid).waitFor();
    const cell = (label: string) => result.getByRole('row', { name: new RegExp(`^${label}`) }).locator('td');
    assert.equal(await cell('Nom').textContent(), LEARNER.name);
    assert.equal(await cell('Cours').textContent(), T.course);
    assert.equal(await cell('Version').textContent(), String(COURSE.version));
    const today = new Intl.DateTimeFormat('fr', { dateStyle: 'medium' }).format(new Date());
    assert.equal(await cell('Terminé le').textContent(), today);
    // Nothing else: no unit, no score, no e-mail.
    const all = (await result.textContent()) ?? '';
    assert.doesNotMatch(all, /@|%|Lindi/, `only what the certificate states: ${all}`);
    await checkA11y(page, 'the public verification page');
    await shot(page, 'verify');
    // A code that is not a certificate's.
    await page.goto(`${base}/verify/AAAA-BBBB-CCCC-DDDD-EEEE`);
    await page.locator('[data-testid="verify-result"][data-valid="false"]').getByText('Non valide').waitFor();
  });

  it('the completion report shows the completion', async () => {
    const p = s('officer').page;
    page = p;
    await p.goto(`${base}/learning/reports`);
    await settle(p, T.reports);
    const learners = p.getByRole('region', { name: 'Apprenants' });
    const row = learners.getByRole('row', { name: new RegExp(LEARNER.name) });
    await row.getByText(T.statusCompleted, { exact: true }).waitFor();
    await row.getByText(UNIT).waitFor();
    await row.getByText('100 %', { exact: false }).waitFor();
    // The unit's line: one enrolled, one completed.
    const unitRow = p.getByRole('row', { name: new RegExp(`^${UNIT}`) });
    const cells = unitRow.locator('td');
    assert.equal(await cells.nth(1).textContent(), String(enrolledInUnit), 'enrolled in the unit');
    assert.equal(await cells.nth(2).textContent(), '1', 'completed in the unit');
    await checkA11y(p, 'the completion report');
    await shot(p, 'report');
  });

  it('the officer finds the certificate in the list and revokes it; it then verifies as not valid', async () => {
    const p = s('officer').page;
    page = p;
    await p.goto(`${base}/learning/certificates`);
    await settle(p, 'Certificats délivrés');
    const row = p.getByTestId(`certificate-row-${code}`);
    await row.getByText(LEARNER.name).waitFor();
    await row.getByText(UNIT).waitFor();
    await row.getByText(T.course).waitFor();
    await row.getByText('Valide', { exact: true }).waitFor();
    await checkA11y(p, 'the certificates list');
    await shot(p, 'certificates');
    await row.getByTestId(`certificate-revoke-${code}`).click();
    await modalShown(p);
    await p.getByRole('dialog').getByRole('textbox').fill('Réponses du quiz partagées');
    await checkA11y(p, 'the revoke dialog');
    const revoked = p.waitForResponse((r) => r.url().endsWith('/revoke') && r.request().method() === 'POST');
    await p.getByRole('dialog').getByRole('button', { name: 'Révoquer', exact: true }).click();
    assert.equal((await revoked).status(), 204);
    await row.locator('[data-status="revoked"]').waitFor();
    assert.equal(await row.getByTestId(`certificate-revoke-${code}`).count(), 0);

    const visitor = s('visitor').page;
    page = visitor;
    await visitor.goto(`${base}/verify/${code}`);
    const result = visitor.locator('[data-testid="verify-result"][data-valid="false"]');
    await result.getByText('Ce certificat a été révoqué.').waitFor();
    assert.doesNotMatch((await result.textContent()) ?? '', /Samuel|partagées/);
  });

  it('a SCORM 1.2 package is imported through the UI, runs in the browser and records completion and score', async () => {
    const officer = s('officer').page;
    page = officer;
    await officer.goto(`${base}/learning/courses`);
    await settle(officer, 'Cours');
    const chooser = officer.waitForEvent('filechooser');
    await officer.getByTestId('scorm-upload').click();
    const imported = officer.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/learning/scorm',
    );
    await (await chooser).setFiles({
      name: 'ethique-aux-frontieres.zip',
      mimeType: 'application/zip',
      buffer: samplePackage(SCORM_TITLE),
    });
    const res = await imported;
    assert.equal(res.status(), 201, (await res.text()).slice(0, 300));
    const { courseId } = (await res.json()) as { courseId: string };
    await officer.getByText('Paquet SCORM importé.').waitFor();
    const courses = (await (
      await officer.request.get(`${base}/api/learning/courses`, { headers: { 'x-requested-with': 'arusha' } })
    ).json()) as { items: { id: string; slug: string }[] };
    const slug = courses.items.find((c) => c.id === courseId)!.slug;
    await officer.getByTestId(`course-row-${slug}`).getByText(SCORM_TITLE).waitFor();
    await shot(officer, 'scorm-imported');

    const p = s('learner').page;
    page = p;
    await p.goto(`${base}/learning`);
    await settle(p, T.myLearning);
    await p.getByTestId(`learning-enrol-${slug}`).click();
    await p.waitForURL((u) => /^\/learning\/scorm\/[0-9a-f-]{36}$/.test(u.pathname));
    await settle(p, SCORM_TITLE);
    const sco = p.frameLocator('[data-testid="scorm-frame"]');
    await sco.locator('#state', { hasText: 'ready' }).waitFor();
    await checkA11y(p, 'the SCORM runtime');
    const commits: number[] = [];
    p.on('response', (r) => {
      if (r.request().method() === 'POST' && /\/api\/learning\/enrolments\/[^/]+\/scorm$/.test(r.url()))
        commits.push(r.status());
    });
    // The SCO sets score 85/100 and "passed", then calls LMSCommit and LMSFinish.
    await sco.locator('#finish').click();
    await sco.locator('#state', { hasText: 'committed' }).waitFor();
    await p.getByText('Cours terminé. Votre certificat se trouve dans Ma formation.').waitFor();
    await p.getByRole('status').getByText('Score 85 %').waitFor();
    // The second post (LMSFinish) may still be on its way.
    for (let i = 0; i < 50 && commits.length < 2; i++) await p.waitForTimeout(200);
    assert.ok(commits.length >= 2, `LMSCommit and LMSFinish both post (${commits.join(', ')})`);
    assert.deepEqual(
      commits.filter((c) => c !== 200),
      [],
      'every commit is accepted (the CSRF header is sent)',
    );
    await shot(p, 'scorm-completed');

    // Recorded like a native course: completed, scored, with a certificate.
    await p.goto(`${base}/learning`);
    await settle(p, T.myLearning);
    const card = p.getByTestId(`learning-enrolment-${slug}`);
    await card.getByText(T.statusCompleted, { exact: true }).waitFor();
    await card.getByText('Score 85 %', { exact: false }).waitFor();
    await card.getByRole('link', { name: 'Certificat' }).waitFor();
  });

  it('logged no console errors', () => {
    for (const [who, x] of Object.entries(sessions))
      assert.deepEqual(unexpectedErrors(x!.watch), [], `console errors (${who})`);
  });
});
