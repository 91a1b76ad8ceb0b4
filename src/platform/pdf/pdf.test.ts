import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config.ts';
import { PdfRenderer } from './pdf.ts';

// HTML → PDF through Chromium: A4, Arabic shaped, no JavaScript, no network.

const hasBinary = (name: string) => {
  try {
    execFileSync('which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const HAS_PDFTOTEXT = hasBinary('pdftotext');
const HAS_PDFINFO = hasBinary('pdfinfo');

function poppler(tool: 'pdftotext' | 'pdfinfo', pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-pdf-test-'));
  try {
    const file = path.join(dir, 'x.pdf');
    fs.writeFileSync(file, pdf);
    return execFileSync(tool, tool === 'pdftotext' ? [file, '-'] : [file], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const page = (body: string, dir: 'ltr' | 'rtl' = 'ltr') =>
  `<!doctype html><html lang="${dir === 'rtl' ? 'ar' : 'en'}" dir="${dir}"><head><meta charset="utf-8"><style>
  body { font-family: sans-serif; } .band { background: #1c7ed6; color: white; padding: 8px; }
  </style></head><body>${body}</body></html>`;

// Chromium is a system package (README): on a machine without it these tests say so as skipped.
const CHROMIUM = fs.existsSync(loadConfig().CHROMIUM_PATH ?? '/usr/bin/chromium');

describe('PDF rendering', { skip: !CHROMIUM && 'Chromium is not installed (CHROMIUM_PATH)' }, () => {
  const config = loadConfig({ NODE_ENV: 'test' });
  const pdf = new PdfRenderer({ executablePath: config.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  let server: http.Server;
  let hits = 0;
  let port = 0;
  before(async () => {
    server = http.createServer((_req, res) => {
      hits++;
      res.end('x');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await pdf.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('renders HTML with Arabic to an A4 PDF whose text can be extracted', async () => {
    assert.equal(pdf.running, false, 'the browser starts on first use');
    const out = await pdf.render(
      page(
        '<h1 class="band">Integrity report</h1><p dir="rtl" lang="ar">تقرير النزاهة للإدارة الجمركية</p><p>Customs administration</p>',
      ),
    );
    assert.equal(out.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(out.length > 1000);
    assert.equal(pdf.running, true);
    if (HAS_PDFTOTEXT) {
      const text = poppler('pdftotext', out);
      assert.match(text, /Integrity report/);
      assert.match(text, /Customs administration/);
      // Arabic letters come through as text (shaped glyphs map back to Unicode).
      assert.match(text, /[\u0600-\u06ff\ufe70-\ufeff]{3,}/);
    }
    if (HAS_PDFINFO) assert.match(poppler('pdfinfo', out), /Page size:\s+59\d\.\d+ x 84\d\.\d+ pts \(A4\)/);
  });

  it('prints landscape, with header and footer templates', async () => {
    const out = await pdf.render(page('<p>Landscape matrix</p>'), {
      landscape: true,
      footerTemplate:
        '<div style="font-size:8px;width:100%;text-align:center">Page <span class="pageNumber"></span></div>',
    });
    if (HAS_PDFINFO) assert.match(poppler('pdfinfo', out), /Page size:\s+84\d\.\d+ x 59\d\.\d+ pts \(A4\)/);
    if (HAS_PDFTOTEXT) assert.match(poppler('pdftotext', out), /Page 1/);
  });

  it('runs no JavaScript and makes no network request', async () => {
    hits = 0;
    const out = await pdf.render(
      page(`<p id="p">Static text</p>
        <script>document.getElementById('p').textContent = 'SCRIPTRAN'</script>
        <img src="http://127.0.0.1:${port}/img.png"><link rel="stylesheet" href="http://127.0.0.1:${port}/x.css">
        <iframe src="http://127.0.0.1:${port}/frame"></iframe>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">`),
    );
    assert.equal(out.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(hits, 0, 'no request reached the local server');
    if (HAS_PDFTOTEXT) {
      const text = poppler('pdftotext', out);
      assert.match(text, /Static text/);
      assert.doesNotMatch(text, /SCRIPTRAN/);
    }
  });

  it('renders several documents at once with one browser, and relaunches after close', async () => {
    const outs = await Promise.all([1, 2, 3, 4].map((i) => pdf.render(page(`<p>Document ${i}</p>`))));
    for (const o of outs) assert.equal(o.subarray(0, 5).toString('latin1'), '%PDF-');
    if (HAS_PDFTOTEXT) assert.match(poppler('pdftotext', outs[3]!), /Document 4/);
    await pdf.close();
    assert.equal(pdf.running, false);
    const again = await pdf.render(page('<p>Again</p>'));
    assert.equal(again.subarray(0, 5).toString('latin1'), '%PDF-');
  });
});
