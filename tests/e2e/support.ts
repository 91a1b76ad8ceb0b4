// Shared helpers for the end-to-end tests: the real server as a child process (embedded
// PostgreSQL in a fresh data directory, demo data), a headless Chromium, an axe-core check,
// sign-in, console-error capture and screenshots.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import { type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHOTS_DIR = path.join(ROOT, 'test-results', 'e2e');
export const DEMO_PASSWORD = 'Arusha-demo-2026';
/** The demo seed's passphrase for the Norland handlers' reporting keys (reports.seed.ts). */
export const KEYS_PASSPHRASE = DEMO_PASSWORD.padEnd(12, '!');
const AXE_PATH = require.resolve('axe-core/axe.min.js');

// ---------------------------------------------------------------------------------------------
// The web UI build

/** Newest modification time (ms) of the files under `dir` (recursive). */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The built UI the server serves, built for the tests in test-results/e2e-web (not dist/web,
 * which other work in the checkout may be using) whenever it is missing or older than its
 * sources (index.html, src/web, src/modules/<m>/ui, locales), so the tests never run against a
 * stale bundle. E2E_WEB_DIST=<dir> serves an existing build instead, without building.
 */
export function ensureWebBuild(): string {
  if (process.env.E2E_WEB_DIST) return path.resolve(ROOT, process.env.E2E_WEB_DIST);
  const outDir = path.join(ROOT, 'test-results', 'e2e-web');
  const index = path.join(outDir, 'index.html');
  let reason: string | null = null;
  if (!fs.existsSync(index)) reason = 'missing';
  else {
    const built = fs.statSync(index).mtimeMs;
    const sources = [
      path.join(ROOT, 'src', 'web'),
      path.join(ROOT, 'locales'),
      ...fs
        .readdirSync(path.join(ROOT, 'src', 'modules'))
        .map((m) => path.join(ROOT, 'src', 'modules', m, 'ui'))
        .filter((d) => fs.existsSync(d)),
    ];
    const newest = Math.max(fs.statSync(path.join(ROOT, 'index.html')).mtimeMs, ...sources.map(newestMtime));
    if (newest > built) reason = 'older than its sources';
  }
  if (!reason) return outDir;
  process.stdout.write(
    `# the UI build for the tests is ${reason}: vite build --outDir test-results/e2e-web\n`,
  );
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], timeout: 120_000 },
  );
  if (r.status !== 0)
    throw new Error(`vite build failed (exit ${r.status ?? r.signal}): see its output above`);
  return outDir;
}

// ---------------------------------------------------------------------------------------------
// The server

export interface RunningServer {
  url: string;
  /** The server's data directory (embedded database, file storage): tests search it for canaries. */
  dataDir: string;
  stop(): Promise<void>;
}

/** Starts `node --import tsx src/server.ts` on a free port with a fresh embedded database. */
export async function startServer(): Promise<RunningServer> {
  const webDist = ensureWebBuild();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-e2e-data-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
      WEB_DIST: webDist,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the server did not start within 180 s:\n${output}`)),
        180_000,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const m = /Arusha is running on (http:\/\/\S+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`the server exited (code ${code}) before it was ready:\n${output}`));
      });
    });
    // Keep draining the pipes (a full pipe would block the server); echo its warnings.
    child.stdout!.removeAllListeners('data');
    child.stdout!.resume();
    child.stderr!.removeAllListeners('data');
    child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[server] ${chunk}`));
    // The server listens on 127.0.0.1 only: avoid Chromium trying ::1 for "localhost".
    return { url: url.replace('//localhost:', '//127.0.0.1:'), dataDir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

export interface BrowserOptions {
  viewport?: { width: number; height: number };
  /** Defaults to true: axe-core is injected as a script, which the app's CSP forbids. */
  bypassCSP?: boolean;
  colorScheme?: 'light' | 'dark';
  locale?: string;
  /** Defaults to true; false for pages that must work without JavaScript (the reporter's). */
  javaScriptEnabled?: boolean;
}

/** The reporter's browser: JavaScript off, the pages' real Content-Security-Policy. */
export const REPORTER: BrowserOptions = { javaScriptEnabled: false, bypassCSP: false };

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    bypassCSP: options.bypassCSP ?? true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: options.locale ?? 'en-GB',
    colorScheme: options.colorScheme ?? 'light',
    reducedMotion: 'reduce',
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Console errors

export interface ConsoleWatch {
  errors: string[];
}

/**
 * Known bug (reported, not yet fixed): signing out clears the cached user before leaving the
 * signed-in layout, so AppLayout re-renders with no user, useMe() throws and the route's error
 * alert flashes ("useMe() outside the signed-in layout") before /login shows.
 */
/** The error a page shows when it renders without a signed-in user (it must not happen on sign-out). */
export const SIGN_OUT_FLASH = /useMe\(\) outside the signed-in layout/;

/** The collected errors, without those matching a known (reported) bug. */
export function unexpectedErrors(watch: ConsoleWatch, known: RegExp[] = []): string[] {
  return watch.errors.filter((e) => !known.some((k) => k.test(e)));
}

/**
 * Collects console errors and uncaught page errors. Ignored: favicon 404s, and the 401 that
 * GET /api/me answers while signed out (how the app learns it is signed out).
 */
export function watchConsole(page: Page): ConsoleWatch {
  const watch: ConsoleWatch = { errors: [] };
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    if (/favicon/i.test(where) || /favicon/i.test(msg.text())) return;
    if (/status of 401/.test(msg.text()) && where && new URL(where).pathname === '/api/me') return;
    watch.errors.push(`${msg.text()}${where ? ` (${where})` : ''} on ${page.url()}`);
  });
  page.on('pageerror', (err) => watch.errors.push(`uncaught: ${err.stack ?? err.message} on ${page.url()}`));
  return watch;
}

// ---------------------------------------------------------------------------------------------
// Page helpers

/**
 * Waits until the page shows its h1 (with the expected text, when given: after a client-side
 * navigation the previous page stays on screen until the next one is ready), no loader is
 * spinning and no menu or select dropdown is still open or fading out (axe would otherwise
 * check a half-closed popup).
 */
export async function settle(page: Page, h1?: string | RegExp): Promise<void> {
  const heading = page.locator('h1').first();
  if (h1 === undefined) await heading.waitFor({ state: 'visible' });
  else {
    const re = typeof h1 === 'string' ? undefined : { source: h1.source, flags: h1.flags };
    await page
      .waitForFunction(
        ({ text, re }) => {
          const el = document.querySelector('h1');
          const actual = el?.textContent ?? '';
          return (
            !!el?.checkVisibility() && (re ? new RegExp(re.source, re.flags).test(actual) : actual === text)
          );
        },
        { text: typeof h1 === 'string' ? h1 : '', re },
      )
      .catch(async (e: Error) => {
        const actual = await heading.textContent({ timeout: 1_000 }).catch(() => null);
        throw new Error(`expected the h1 ${String(h1)}, found ${JSON.stringify(actual)}: ${e.message}`);
      });
  }
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.mantine-Loader-root, [role="menu"], [role="listbox"]')].every(
      (e) => !e.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
    ),
  );
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
}

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  fs.mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  // From the top: a full-page capture of a scrolled page draws the fixed header mid-page.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: file, fullPage });
  return file;
}

interface AxeNode {
  target: unknown[];
  failureSummary?: string;
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * Runs axe-core on the current page and throws when it finds a serious or critical violation
 * (each listed with its rule id, impact, help text and target selectors).
 */
export async function checkA11y(page: Page, label: string): Promise<void> {
  // Colours are judged once the page is still: a dialog fading in shows its text half-blended
  // (axe then reports a contrast that no user sees). Finite animations and transitions only.
  await page.evaluate(
    `Promise.all(document.getAnimations().filter((a) => a.effect && a.effect.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined)))`,
  );
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<unknown> } }).axe;
    const result = (await axe.run(document, { resultTypes: ['violations'] })) as {
      violations: AxeViolation[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length === 0) return;
  const lines = bad.map(
    (v) =>
      `- ${v.id} [${v.impact}] ${v.help} (${v.helpUrl})\n${v.nodes
        .map(
          (n) =>
            `    ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replaceAll('\n', '\n      ')}` : ''}`,
        )
        .join('\n')}`,
  );
  throw new Error(
    `axe found ${bad.length} serious/critical violation(s) on ${label} (${page.url()}):\n${lines.join('\n')}`,
  );
}

/** On /login: fills and submits the password step (does not wait for the result). */
export async function submitPassword(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in with a password (no second factor) and waits for the home page. */
export async function login(
  page: Page,
  base: string,
  email: string,
  password = DEMO_PASSWORD,
): Promise<void> {
  await page.goto(`${base}/login`);
  await submitPassword(page, email, password);
  await page.waitForURL(`${base}/`);
  await settle(page, /^Welcome, /);
}

/**
 * Saves `locale` as the signed-in account's language (PATCH /api/me, as the language switcher
 * does; the page is not reloaded). Steps that change it put 'en' back for the next test.
 */
export async function saveLocale(page: Page, base: string, locale: string): Promise<void> {
  const res = await page.request.fetch(`${base}/api/me`, {
    method: 'PATCH',
    headers: { 'x-requested-with': 'arusha' },
    data: { locale },
  });
  if (res.status() !== 200)
    throw new Error(`saving the language ${locale}: ${res.status()} ${await res.text()}`);
}

/** Unlocks the signed-in handler's reporting keys in the banner (inbox, report or escrow page). */
export async function unlockKeys(page: Page, passphrase = KEYS_PASSPHRASE): Promise<void> {
  const banner = page.getByTestId('keys-locked');
  await banner.waitFor();
  await banner.getByLabel('Passphrase').fill(passphrase);
  await banner.getByRole('button', { name: 'Unlock' }).click();
  await banner.waitFor({ state: 'detached' });
}

/** Signs out through the user menu and waits for the sign-in page. */
export async function signOut(page: Page, menuItemName: string | RegExp = 'Sign out') {
  await page.getByTestId('user-menu').click();
  await page.getByRole('menuitem', { name: menuItemName }).click();
  await page.waitForURL((u) => u.pathname === '/login');
  await page.locator('input[autocomplete="username"]').waitFor({ state: 'visible' });
}

/**
 * Does `act` until `target` reaches `state` (at most four times, `timeout` ms each): a click or a
 * key can land while a field's options are still loading or a modal is still opening (a loaded
 * CI host), and then does nothing.
 */
async function repeatUntil(
  act: () => Promise<void>,
  target: Locator,
  state: 'visible' | 'detached',
  timeout: number,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await act();
    try {
      await target.waitFor({ state, timeout });
      return;
    } catch (error) {
      if (attempt === 4) throw error;
    }
  }
}

/**
 * Picks an option of a Mantine Select or MultiSelect identified by its data-testid; the field is
 * clicked again while the dropdown is closed or empty (its options not loaded yet).
 */
export async function chooseOption(
  page: Page,
  testId: string,
  option: string,
  options: { force?: boolean } = {},
): Promise<void> {
  const choice = page.getByRole('option', { name: option });
  await repeatUntil(() => page.getByTestId(testId).click({ force: options.force }), choice, 'visible', 4000);
  await choice.click();
}

/**
 * Closes the open modal holding `content` with Escape, as a user does. Escape reaches a modal only
 * once it holds focus, so it is pressed again while the content is still there.
 */
export async function escapeModal(page: Page, content: Locator): Promise<void> {
  await repeatUntil(() => page.keyboard.press('Escape'), content, 'detached', 5000);
}

/**
 * `it` for ordered steps sharing one browser: a failing step saves a screenshot
 * (`FAILED-<prefix>-<step>.png`), and the steps after it are skipped rather than each waiting
 * for its own timeouts.
 */
export function orderedSteps(prefix: string, getPage: () => Page | undefined) {
  let failed: string | null = null;
  if (fs.existsSync(SHOTS_DIR))
    for (const f of fs.readdirSync(SHOTS_DIR))
      if (f.startsWith(`FAILED-${prefix}-`)) fs.rmSync(path.join(SHOTS_DIR, f), { force: true });
  return (name: string, fn: () => Promise<void> | void, options: { todo?: string } = {}): void => {
    it(name, options, async (t) => {
      if (failed) {
        t.skip(`skipped: "${failed}" failed`);
        return;
      }
      try {
        await fn();
      } catch (e) {
        if (options.todo) throw e; // reported as TODO, does not stop the steps after it
        failed = name;
        const page = getPage();
        if (page && !page.isClosed()) {
          const slug = name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
          await screenshot(page, `FAILED-${prefix}-${slug}`).catch(() => {});
        }
        throw e;
      }
    });
  };
}

// ---------------------------------------------------------------------------------------------
// A journey: one describe()'s server and browsers

export interface SignedIn {
  browser: Browser;
  page: Page;
  /** The page's console errors, watched from before the sign-in. */
  watch: ConsoleWatch;
}

export interface Journey {
  /** The server's address (once the before hook has run). */
  readonly base: string;
  /** The server the journey started; none when it runs against E2E_SERVER_URL. */
  readonly server: RunningServer | undefined;
  /** A browser, closed after the tests. */
  launch(options?: BrowserOptions): Promise<Browser>;
  /**
   * A fresh browser signed in as `email` with a password, its console watched; `language` is
   * saved to the account when given. Closed after the tests, the account's language put back
   * to English first.
   */
  signIn(email: string, options?: BrowserOptions & { language?: string }): Promise<SignedIn>;
}

/**
 * Registers, in the calling describe(), a before hook that starts the server (fresh embedded
 * database, demo data) and an after hook that closes every browser opened through the journey
 * and stops the server. `reuseServer`: when E2E_SERVER_URL is set, run against that server (one
 * already running with the demo data, while writing a test) instead of starting one.
 */
export function journey(options: { reuseServer?: boolean } = {}): Journey {
  let server: RunningServer | undefined;
  let base = '';
  const browsers: { browser: Browser; signedIn: boolean }[] = [];
  before(async () => {
    if (options.reuseServer && process.env.E2E_SERVER_URL) base = process.env.E2E_SERVER_URL;
    else {
      server = await startServer();
      base = server.url;
    }
  });
  after(async () => {
    for (const { browser, signedIn } of browsers) {
      if (signedIn && !browser.page.isClosed()) await saveLocale(browser.page, base, 'en').catch(() => {});
      await browser.close();
    }
    await server?.stop();
  });
  const launch = async (browserOptions: BrowserOptions = {}, signedIn = false) => {
    const browser = await launchBrowser(browserOptions);
    browsers.push({ browser, signedIn });
    return browser;
  };
  return {
    get base() {
      return base;
    },
    get server() {
      return server;
    },
    launch: (browserOptions) => launch(browserOptions),
    async signIn(email, { language, ...browserOptions } = {}) {
      const browser = await launch(browserOptions, true);
      const { page } = browser;
      const watch = watchConsole(page);
      await login(page, base, email);
      if (language) await saveLocale(page, base, language);
      return { browser, page, watch };
    },
  };
}
