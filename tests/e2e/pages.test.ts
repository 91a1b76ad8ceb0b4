// An accessibility and rendering sweep of the signed-in pages: each page at desktop width and
// on a phone (390×844) in light mode, two pages in dark mode, all checked by axe-core, with an
// h1, no console errors and (on the phone) no sideways scrolling. Then permissions (a staff
// member on /organisation), the organisation switcher, and the pages under the real CSP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import {
  type Browser,
  type ConsoleWatch,
  type RunningServer,
  checkA11y,
  chooseOption,
  launchBrowser,
  login,
  screenshot,
  settle,
  signOut,
  startServer,
  unexpectedErrors,
  watchConsole,
} from './support.ts';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The signed-in pages of the org admin, with their h1 (English). */
const PAGES: { path: string; h1: RegExp }[] = [
  { path: '/', h1: /^Welcome, Olga Admin$/ },
  { path: '/standards', h1: /^Revised Arusha Declaration$/ },
  { path: '/standards/factors/1', h1: /^Leadership and Commitment$/ },
  { path: '/standards/factors/4', h1: /^Automation$/ },
  { path: '/standards/factors/8', h1: /^Human Resource Management$/ },
  { path: '/standards/factors/10', h1: /^Relationship with the Private Sector$/ },
  { path: '/standards/uncac', h1: /^UNCAC articles$/ },
  { path: '/standards/uncac/52(5)', h1: /^UNCAC article 52\(5\)$/ },
  { path: '/standards/libraries', h1: /libraries$/i },
  { path: '/account', h1: /^My account$/ },
  { path: '/organisation', h1: /^Organisation$/ },
];
const PHONE_PAGES = PAGES.filter((p) =>
  [
    '/',
    '/standards',
    '/standards/factors/1',
    '/standards/factors/8',
    '/standards/uncac',
    '/standards/libraries',
    '/account',
    '/organisation',
  ].includes(p.path),
);

const slug = (p: string) => (p === '/' ? 'home' : p.slice(1).replace(/[^a-z0-9]+/gi, '-'));

describe('pages', { timeout: 170_000 }, () => {
  let server: RunningServer;

  before(async () => {
    server = await startServer();
  });

  after(async () => {
    await server?.stop();
  });

  describe('accessibility and rendering sweep', () => {
    let browser: Browser;
    let page: Page;
    let base: string;
    let consoleWatch: ConsoleWatch;

    before(async () => {
      base = server.url;
      browser = await launchBrowser({ viewport: DESKTOP });
      page = browser.page;
      consoleWatch = watchConsole(page);
      await login(page, base, 'orgadmin@norland.demo');
    });

    after(async () => {
      await browser?.close();
    });

    /** Whether the navbar is on screen and its first link can take the keyboard focus. */
    async function navbarReachable(): Promise<boolean> {
      return page.evaluate(() => {
        const nav = document.querySelector<HTMLElement>('nav#main-navigation')!;
        const link = nav.querySelector<HTMLElement>('a[href]')!;
        const box = nav.getBoundingClientRect();
        const onScreen = box.right > 0 && box.left < window.innerWidth;
        const before = document.activeElement as HTMLElement | null;
        link.focus();
        const focusable = document.activeElement === link;
        before?.focus();
        return onScreen && focusable;
      });
    }

    /** Opens `path` with a full page load and runs the checks every page must pass. */
    async function visit(path: string, h1: RegExp, label: string, options: { phone?: boolean } = {}) {
      const errorsBefore = unexpectedErrors(consoleWatch).length;
      await page.goto(`${base}${path}`);
      await settle(page, h1);
      assert.equal(new URL(page.url()).pathname, new URL(`${base}${path}`).pathname, 'stayed on the page');
      const h1s = page.locator('h1');
      assert.equal(await h1s.count(), 1, 'exactly one h1');
      assert.match((await h1s.textContent()) ?? '', h1);
      if (options.phone) {
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling on a phone (the page is ${overflow}px too wide)`);
      }
      await checkA11y(page, label);
      await screenshot(page, `pages-${label.replace(/[^a-z0-9]+/gi, '-')}`);
      assert.deepEqual(unexpectedErrors(consoleWatch).slice(errorsBefore), [], 'no console errors');
    }

    describe('desktop, light', () => {
      for (const p of PAGES) {
        it(p.path, async () => {
          await visit(p.path, p.h1, `desktop-${slug(p.path)}`);
          assert.equal(
            await page.evaluate(() => document.documentElement.dataset.mantineColorScheme),
            'light',
          );
        });
      }
    });

    describe('phone 390×844, light', () => {
      before(async () => {
        await page.setViewportSize(PHONE);
      });
      after(async () => {
        await page.setViewportSize(DESKTOP);
      });

      for (const p of PHONE_PAGES) {
        it(p.path, async () => {
          await visit(p.path, p.h1, `phone-${slug(p.path)}`, { phone: true });
          // The navigation is behind the burger on a phone: off-screen, and out of the tab order.
          assert.equal(await navbarReachable(), false, 'the collapsed navbar is off-screen and unfocusable');
        });
      }

      it('the burger opens the navigation, with the organisation and language switchers', async () => {
        await page.goto(`${base}/standards`);
        await settle(page);
        const burger = page.getByRole('button', { name: 'Open navigation' });
        assert.equal(await burger.getAttribute('aria-expanded'), 'false');
        await burger.click();
        const nav = page.getByRole('navigation', { name: 'Main navigation' });
        await nav.getByRole('link', { name: 'Organisation' }).waitFor();
        await page.waitForFunction(
          () => document.querySelector('nav#main-navigation')!.getBoundingClientRect().x >= 0,
        );
        assert.equal(await navbarReachable(), true, 'the open navbar is on screen and focusable');
        assert.equal(
          await page.getByRole('button', { name: 'Close navigation' }).getAttribute('aria-expanded'),
          'true',
        );
        await nav.getByTestId('org-switcher').waitFor();
        await nav.getByTestId('lang-switcher').waitFor();
        await checkA11y(page, 'the phone navigation');
        await screenshot(page, 'pages-phone-navigation-open', false);
        await nav.getByRole('link', { name: 'UNCAC articles' }).click();
        await page.waitForURL(`${base}/standards/uncac`);
        await settle(page, 'UNCAC articles');
        assert.equal(await navbarReachable(), false, 'navigating closes it');
      });
    });

    describe('dark mode', () => {
      before(async () => {
        await page.goto(`${base}/`);
        await settle(page);
        await page.getByRole('button', { name: 'Switch to dark mode' }).click();
        await page.waitForFunction(() => document.documentElement.dataset.mantineColorScheme === 'dark');
      });
      after(async () => {
        await page.getByRole('button', { name: 'Switch to light mode' }).click();
        await page.waitForFunction(() => document.documentElement.dataset.mantineColorScheme === 'light');
      });

      for (const p of [PAGES[1]!, PAGES[4]!, PAGES[10]!]) {
        it(p.path, async () => {
          await visit(p.path, p.h1, `dark-${slug(p.path)}`);
          // The choice survives a full page load (remembered in this browser).
          assert.equal(
            await page.evaluate(() => document.documentElement.dataset.mantineColorScheme),
            'dark',
          );
        });
      }
    });

    describe('permissions and organisations', () => {
      it('a staff member on /organisation sees "Not permitted", not the members table', async () => {
        await signOut(page);
        await login(page, base, 'staff@norland.demo');
        const nav = page.getByRole('navigation', { name: 'Main navigation' });
        await nav.getByRole('link', { name: 'Standards' }).waitFor();
        assert.equal(
          await nav.getByRole('link', { name: 'Organisation' }).count(),
          0,
          'no Organisation link',
        );

        await page.goto(`${base}/organisation`);
        await settle(page, 'Organisation');
        await page.getByText('Not permitted').waitFor();
        await page.getByText('Your roles in this organisation do not allow you to see this page.').waitFor();
        assert.equal(await page.getByRole('table').count(), 0, 'no members table');
        assert.equal(await page.getByRole('heading', { name: 'Members' }).count(), 0, 'no members section');
        await checkA11y(page, 'the not-permitted page');
        await screenshot(page, 'pages-staff-organisation-forbidden');
        // The API refuses too.
        const members = await page.request.get(`${base}/api/organisation/members`);
        assert.equal(members.status(), 403, 'GET /api/organisation/members as staff');
      });

      it('the organisation switcher moves integrity@norland.demo to Estavia', async () => {
        await signOut(page);
        await login(page, base, 'integrity@norland.demo');
        const switcher = page.getByTestId('org-switcher');
        assert.equal(await switcher.inputValue(), 'Norland Customs (demo)');
        await page.getByText('You are working in Norland Customs (demo).').waitFor();

        const switched = page.waitForResponse(
          (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/me/organisation',
        );
        await chooseOption(page, 'org-switcher', 'Estavia Customs (demo)');
        assert.equal((await switched).status(), 200);
        await page.getByText('You are working in Estavia Customs (demo).').waitFor();
        assert.equal(await switcher.inputValue(), 'Estavia Customs (demo)');
        await page.locator('nav#main-navigation').getByText('Estavia Customs (demo)').waitFor();
        await settle(page);
        await checkA11y(page, 'the home page after switching organisation');
        await screenshot(page, 'pages-org-switched-estavia');

        // The session remembers it: still Estavia after a full reload.
        await page.reload();
        await settle(page);
        assert.equal(await page.getByTestId('org-switcher').inputValue(), 'Estavia Customs (demo)');
        await page.getByText('You are working in Estavia Customs (demo).').waitFor();
      });

      it('logged no console errors', () => {
        assert.deepEqual(unexpectedErrors(consoleWatch), []);
      });
    });
  });

  describe('under the real Content-Security-Policy', () => {
    // The sweep above bypasses the CSP to inject axe; this checks that the app itself needs no
    // exception to it (inline scripts, eval, foreign origins...).
    let browser: Browser;

    before(async () => {
      browser = await launchBrowser({ bypassCSP: false });
    });

    after(async () => {
      await browser?.close();
    });

    it('renders the main pages without CSP violations or console errors', async () => {
      const { page } = browser;
      const consoleWatch = watchConsole(page);
      await page.addInitScript(() => {
        const w = window as unknown as { cspViolations: string[] };
        w.cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
      });
      const violations: string[] = [];
      const collect = async () =>
        violations.push(
          ...(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)),
        );
      const response = await page.goto(`${server.url}/login`);
      const csp = response?.headers()['content-security-policy'] ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, `the server sends a strict CSP (${csp})`);
      await login(page, server.url, 'orgadmin@norland.demo');
      await collect();
      for (const path of ['/standards', '/standards/factors/8', '/organisation', '/account']) {
        await page.goto(`${server.url}${path}`);
        await settle(page);
        await collect();
      }
      // The account page renders the TOTP QR code as an inline SVG.
      await page.getByRole('button', { name: /^Set up/ }).click();
      await page.getByTestId('totp-secret').waitFor();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).locator('svg').waitFor();
      await screenshot(page, 'pages-csp-account-totp-setup');
      await collect();
      // The standards page draws an ECharts chart.
      await page.goto(`${server.url}/standards`);
      await settle(page);
      await page
        .getByRole('img', { name: /^Bar chart of checklist items per factor/ })
        .locator('svg path')
        .first()
        .waitFor({ state: 'attached' });
      await collect();
      assert.deepEqual(violations, [], 'no CSP violations');
      assert.deepEqual(unexpectedErrors(consoleWatch), [], 'no console errors');
    });
  });
});
