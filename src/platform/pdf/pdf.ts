import { AppError } from '../errors.ts';
import { chromium, type Browser } from 'playwright-core';
import type { Logger } from '../log.ts';

export interface PdfOptions {
  landscape?: boolean;
  /** Chromium print templates (HTML with classes pageNumber, totalPages, date, title). */
  headerTemplate?: string;
  footerTemplate?: string;
}

const MAX_PAGES_AT_ONCE = 2;
const RENDER_TIMEOUT_MS = 30_000;

/**
 * HTML → PDF through headless Chromium (docs/adr/0013): the only engine here that shapes Arabic
 * correctly. The browser is launched on first use and reused; each render gets a fresh context
 * with JavaScript disabled and every request refused except data: URIs (the HTML is ours but
 * carries user text). At most two pages render at once. close() ends the browser (called when
 * the HTTP app closes); a render after it launches a new one.
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Text for the HTML we print: every user-supplied value goes through this. */
export const escapeHtml = (v: unknown): string =>
  String(v ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

export class PdfRenderer {
  private browser: Promise<Browser> | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly opts: { executablePath: string; log?: Logger }) {}

  private launch(): Promise<Browser> {
    if (!this.browser) {
      // launch() gives Chromium a fresh temporary profile of its own, removed when it closes.
      const launching = chromium
        .launch({
          executablePath: this.opts.executablePath,
          headless: true,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-extensions',
          ],
        })
        .then((b) => {
          // A crashed browser is relaunched on the next render.
          b.on('disconnected', () => {
            if (this.browser === launching) this.browser = undefined;
          });
          return b;
        });
      launching.catch(() => {
        if (this.browser === launching) this.browser = undefined;
      });
      this.browser = launching;
    }
    return this.browser;
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= MAX_PAGES_AT_ONCE) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** An A4 PDF (backgrounds printed) of a complete HTML document. */
  async render(html: string, opts: PdfOptions = {}): Promise<Buffer> {
    return this.slot(async () => {
      const browser = await this.launch().catch((e: unknown) => {
        this.opts.log?.error({ err: e }, 'Chromium did not start');
        throw new AppError(
          'UNAVAILABLE',
          `PDF rendering needs Chromium at ${this.opts.executablePath} (set CHROMIUM_PATH, or install Debian's chromium package).`,
        );
      });
      const context = await browser.newContext({
        javaScriptEnabled: false,
        offline: true,
        acceptDownloads: false,
        serviceWorkers: 'block',
      });
      try {
        context.setDefaultTimeout(RENDER_TIMEOUT_MS);
        await context.route('**/*', (route) =>
          route.request().url().startsWith('data:') ? route.continue() : route.abort('blockedbyclient'),
        );
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load' });
        const withHeaderFooter = !!(opts.headerTemplate || opts.footerTemplate);
        return await page.pdf({
          format: 'A4',
          landscape: opts.landscape ?? false,
          printBackground: true,
          preferCSSPageSize: false,
          displayHeaderFooter: withHeaderFooter,
          headerTemplate: opts.headerTemplate ?? '<span></span>',
          footerTemplate: opts.footerTemplate ?? '<span></span>',
          margin: withHeaderFooter
            ? { top: '20mm', bottom: '20mm', left: '15mm', right: '15mm' }
            : { top: '15mm', bottom: '15mm', left: '15mm', right: '15mm' },
        });
      } finally {
        await context.close().catch(() => {});
      }
    });
  }

  /** Whether a browser is running (tests). */
  get running(): boolean {
    return this.browser !== undefined;
  }

  /** Ends the browser (the app's onClose); a later render launches a new one. */
  async close(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b.catch(() => undefined))?.close().catch(() => {});
  }
}
