// The user journey from the issue, in one browser, step by step: password sign-in, turning on
// two-factor sign-in, signing in again with a TOTP code, French, the standards pages (factor 8
// and one of its UNCAC articles), Arabic (right-to-left) and signing out. axe-core checks
// every page visited.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe } from 'node:test';
import { Secret, TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import {
  type Browser,
  type ConsoleWatch,
  SIGN_OUT_FLASH,
  ROOT,
  type RunningServer,
  checkA11y,
  chooseOption,
  launchBrowser,
  orderedSteps,
  screenshot,
  settle,
  signOut,
  startServer,
  submitPassword,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

const EMAIL = 'integrity@norland.demo';
const NAME = 'Ines Integrity';
const ar = JSON.parse(fs.readFileSync(path.join(ROOT, 'locales', 'ar', 'web.json'), 'utf8')) as {
  shell: { signOut: string };
  login: { title: string };
};

describe('journey: two-factor sign-in, French, the standards, Arabic', { timeout: 150_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let consoleWatch: ConsoleWatch;
  let totp: TOTP;
  /** The TOTP time step whose code turned two-factor sign-in on (the server accepts it only once). */
  let enabledAtStep = 0;
  let step = 0;
  const it = orderedSteps('journey', () => page);
  const shot = (name: string) => screenshot(page, `journey-${String(++step).padStart(2, '0')}-${name}`);

  before(async () => {
    server = await startServer();
    base = server.url;
    browser = await launchBrowser();
    page = browser.page;
    consoleWatch = watchConsole(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs in with a password', async () => {
    await page.goto(`${base}/login`);
    await settle(page, 'Sign in');
    assert.equal(await page.locator('h1').textContent(), 'Sign in');
    await checkA11y(page, 'the sign-in page');
    await shot('login');

    await submitPassword(page, EMAIL);
    await page.waitForURL(`${base}/`);
    await settle(page, `Welcome, ${NAME}`);
    assert.equal(await page.locator('h1').textContent(), `Welcome, ${NAME}`);
  });

  it('turns on two-factor sign-in on the account page', async () => {
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Account' }).click();
    await page.waitForURL(`${base}/account`);
    await settle(page, 'My account');
    assert.equal(await page.locator('h1').textContent(), 'My account');
    await checkA11y(page, 'the account page');
    await shot('account');

    await page.getByRole('button', { name: /^Set up/ }).click();
    const secretEl = page.getByTestId('totp-secret');
    await secretEl.waitFor();
    const secret = ((await secretEl.textContent()) ?? '').replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]{16,}=*$/, `a base32 secret, got ${JSON.stringify(secret)}`);
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg').waitFor();
    await checkA11y(page, 'the account page (two-factor set-up)');
    await shot('totp-setup');

    totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
    const now = Date.now();
    enabledAtStep = Math.floor(now / 30_000);
    await page.getByTestId('totp-code').fill(totp.generate({ timestamp: now }));
    await page.getByRole('button', { name: 'Turn on' }).click();

    // The recovery codes, shown once.
    const codes = page.getByRole('list', { name: /Save these recovery codes/ }).getByRole('listitem');
    await codes.first().waitFor();
    const shown = (await codes.allTextContents()).map((c) => c.trim());
    assert.ok(shown.length >= 8, `at least 8 recovery codes, got ${shown.length}`);
    assert.equal(new Set(shown).size, shown.length, 'the recovery codes are distinct');
    await page.getByText('Two-factor sign-in is on').waitFor();
    await checkA11y(page, 'the account page (recovery codes)');
    await shot('recovery-codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).waitFor();
  });

  it('signs out', async () => {
    await signOut(page);
  });

  it('signs in again: password, then a TOTP code', async () => {
    await submitPassword(page, EMAIL);
    const code = page.getByTestId('totp-code');
    await code.waitFor();
    assert.equal(await page.locator('h1').textContent(), 'Two-factor verification');
    assert.equal(new URL(page.url()).pathname, '/login');
    await checkA11y(page, 'the two-factor step of sign-in');
    await shot('login-totp-step');

    // The code that turned TOTP on is spent (RFC 6238 §5.2): use a later time step. The
    // server accepts one step either side, so the next step's code works right away.
    const current = Math.floor(Date.now() / 30_000);
    const useStep = Math.max(current, enabledAtStep + 1);
    await code.fill(totp.generate({ timestamp: useStep * 30_000 + 1_000 }));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${base}/`);
    await settle(page, `Welcome, ${NAME}`);
    assert.equal(await page.locator('h1').textContent(), `Welcome, ${NAME}`);
    await checkA11y(page, 'the home page');
    await shot('home');
  });

  it('switches to French, saved to the account', async () => {
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/me',
    );
    await chooseOption(page, 'lang-switcher', 'Français');
    assert.equal((await saved).status(), 200);
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.locator('h1', { hasText: `Bienvenue, ${NAME}` }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'ltr');
    const nav = page.getByRole('navigation', { name: 'Navigation principale' });
    await nav.getByRole('link', { name: 'Accueil' }).waitFor();
    await nav.getByRole('link', { name: 'Référentiels' }).waitFor();
    await page.getByText('Vous travaillez dans Norland Customs (demo).').waitFor();
    await checkA11y(page, 'the home page in French');
    await shot('home-fr');
  });

  it('opens the standards and factor 8 (in French)', async () => {
    await page
      .getByRole('navigation', { name: 'Navigation principale' })
      .getByRole('link', { name: 'Référentiels' })
      .click();
    await page.waitForURL(`${base}/standards`);
    await settle(page, 'Déclaration d’Arusha révisée');
    assert.equal(await page.locator('h1').textContent(), 'Déclaration d’Arusha révisée');
    const card = page.getByTestId('factor-card-8');
    await card.getByText('Gestion des ressources humaines').waitFor();
    assert.equal(await page.locator('[data-testid^="factor-card-"]').count(), 10);
    await checkA11y(page, 'the standards page in French');
    await shot('standards-fr');

    // By keyboard: the title link wraps onto two lines, so the centre of its bounding box can
    // fall between the two line boxes (on the heading, not the link).
    await card.getByRole('link', { name: /Gestion des ressources humaines/ }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/standards/factors/8`);
    await settle(page, 'Gestion des ressources humaines');
    assert.equal(await page.locator('h1').textContent(), 'Gestion des ressources humaines');
    await page.getByRole('heading', { level: 2, name: 'Ce que le facteur attend' }).waitFor();
    await checkA11y(page, 'factor 8 in French');
    await shot('factor-8-fr');
  });

  it('follows an UNCAC link of factor 8 to the article, which lists factor 8', async () => {
    // The factor's own chips (the first list labelled "Articles de la CNUCC"), not an item's.
    const chips = page.getByRole('list', { name: 'Articles de la CNUCC', exact: true }).first();
    const link = chips.getByRole('link', { name: /^CNUCC 52\(5\)/ });
    const href = await link.getAttribute('href');
    assert.ok(href, 'the UNCAC chip is a link');
    assert.equal(decodeURIComponent(href), '/standards/uncac/52(5)');
    await link.click();
    await page.waitForURL((u) => decodeURIComponent(u.pathname) === '/standards/uncac/52(5)');
    await settle(page, 'Article 52(5) de la CNUCC');
    assert.equal(await page.locator('h1').textContent(), 'Article 52(5) de la CNUCC');
    const mapped = page.locator('section[aria-labelledby="uncac-factors"]');
    await mapped.getByRole('heading', { name: 'Facteurs clés rattachés à cet article' }).waitFor();
    const factor8 = mapped.getByRole('link', { name: /Gestion des ressources humaines/ });
    await factor8.waitFor();
    assert.equal(await factor8.getAttribute('href'), '/standards/factors/8');
    await checkA11y(page, 'the UNCAC article page in French');
    await shot('uncac-article-fr');
  });

  it('switches to Arabic: right-to-left, mirrored layout', async () => {
    const saved = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && new URL(r.url()).pathname === '/api/me',
    );
    await chooseOption(page, 'lang-switcher', 'العربية');
    assert.equal((await saved).status(), 200);
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
    // The page itself re-renders in Arabic (Arabic letters in the h1: "مادة ... من اتفاقية").
    await page.waitForFunction(() => /[\u0600-\u06FF]/.test(document.querySelector('h1')?.textContent ?? ''));
    await settle(page);

    // The shell's padding moves to the other side with a short CSS transition: let it end
    // (up to 3 s) before measuring; a layout that stays wrong still fails below.
    await page
      .waitForFunction(
        `(() => {
          const n = document.querySelector('nav#main-navigation')?.getBoundingClientRect();
          const h = document.querySelector('h1')?.getBoundingClientRect();
          return !!n && !!h && n.x - (h.x + h.width) >= 0;
        })()`,
        undefined,
        { timeout: 3_000 },
      )
      .catch(() => {});
    const viewport = page.viewportSize()!;
    const navbar = await page.locator('nav#main-navigation').boundingBox();
    assert.ok(navbar, 'the navbar is visible');
    assert.ok(
      navbar.x > viewport.width / 2,
      `the navbar is on the right in RTL (x=${navbar.x}, viewport ${viewport.width})`,
    );
    const h1 = await page.locator('h1').boundingBox();
    assert.ok(h1, 'the h1 is visible');
    // The heading starts at the right, next to the navbar (the page's padding apart).
    const gap = navbar.x - (h1.x + h1.width);
    assert.ok(gap >= 0 && gap < 60, `the h1 starts at the right, next to the navbar (gap ${gap}px)`);
    const logo = await page.locator('header a').first().boundingBox();
    assert.ok(logo && logo.x > viewport.width / 2, 'the logo sits at the right of the header');
    await checkA11y(page, 'the UNCAC article page in Arabic');
    await shot('uncac-article-ar');

    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    assert.equal(
      (me as { user: { locale: string } }).user.locale,
      'ar',
      'the language is saved to the account',
    );
  });

  it('signs out (back on the sign-in page)', async () => {
    await signOut(page, ar.shell.signOut);
    await page.locator('h1', { hasText: ar.login.title }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    await checkA11y(page, 'the sign-in page in Arabic');
    await shot('login-ar');
  });

  it('logged no console errors', () => {
    assert.deepEqual(unexpectedErrors(consoleWatch), []);
  });

  it('signs out without flashing an error', () => {
    const flashes = consoleWatch.errors.filter((e) => SIGN_OUT_FLASH.test(e));
    assert.deepEqual(flashes, [], 'AppLayout rendered without a user while signing out');
  });
});
