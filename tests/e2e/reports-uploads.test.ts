// Reporting, attachments (issue 4: "Image and PDF attachments have their metadata removed, with the
// original never written to disk in clear"). A reporter with JavaScript switched off and the pages'
// own CSP sends, through the no-JavaScript form, a JPEG carrying an EXIF and a comment canary and a
// PDF whose Info dictionary holds a canary (both built here: a real JPEG drawn by Chromium's canvas,
// a PDF by pdf-lib); the receipt and the follow-up pages list them; the integrity officer unlocks
// the keys, opens the report and downloads both files in the browser: no canary in the bytes, the
// JPEG still decodes as an image, the PDF still carries its page content. Then the server's data
// directory (embedded database and file storage) is searched: neither the canaries nor the PDF's
// page text nor the report's text appear in clear. An oversized file brings the form back (413)
// with the answers kept and the file named with the limit; nothing is stored.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import type { Page } from 'playwright-core';
import {
  type Browser,
  checkA11y,
  journey,
  orderedSteps,
  REPORTER,
  screenshot,
  settle,
  unexpectedErrors,
  unlockKeys,
  watchConsole,
} from './support.ts';

const OFFICER = 'integrity@norland.demo';
const RUN = Date.now().toString(36);
const EXIF_CANARY = `exif-gps-canary-${RUN}-5be1`;
const COMMENT_CANARY = `jpeg-comment-canary-${RUN}-0c7a`;
const PDF_INFO_CANARY = `pdf-info-author-canary-${RUN}-93d2`;
/** Page text of the PDF: kept by metadata removal, so it proves the download is the file — and must not be on disk in clear. */
const PDF_CONTENT_CANARY = `pdf-page-text-canary-${RUN}-71f4`;
const WHAT = `At the border post an officer asked for 300 dollars to release a truck (text canary ${RUN}-e55d).`;
const OVERSIZED_WHAT = `A second report whose file is too large (${RUN}).`;
const JPEG_NAME = 'IMG_4410.jpg';
const PDF_NAME = 'invoice-scan.pdf';

/** A JPEG segment: marker, length, body. */
const segment = (marker: number, body: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};

/** A real 64×48 JPEG from Chromium's canvas, with an EXIF (APP1) and a comment (COM) segment added after SOI. */
async function jpegWithCanaries(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const c = document.createElement('canvas');
    c.width = 64;
    c.height = 48;
    const g = c.getContext('2d')!;
    g.fillStyle = '#1f6f5c';
    g.fillRect(0, 0, 64, 48);
    g.fillStyle = '#f2c14e';
    g.fillRect(8, 8, 30, 20);
    return c.toDataURL('image/jpeg', 0.9);
  });
  const plain = Buffer.from(dataUrl.split(',')[1]!, 'base64');
  assert.equal(plain.readUInt16BE(0), 0xffd8);
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'),
    Buffer.from(`GPSLatitude\0${EXIF_CANARY}\0`, 'latin1'),
  ]);
  return Buffer.concat([
    plain.subarray(0, 2),
    segment(0xe1, exif),
    segment(0xfe, Buffer.from(COMMENT_CANARY, 'latin1')),
    plain.subarray(2),
  ]);
}

/** A one-page PDF: its Info dictionary holds a canary; its page text (an uncompressed stream) another. */
async function pdfWithCanary(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  // Literal strings, as most producers write them (pdf-lib's setters write UTF-16 hex).
  doc.context.trailerInfo.Info = doc.context.register(
    doc.context.obj({
      Title: PDFString.of(`Invoice ${PDF_INFO_CANARY}`),
      Author: PDFString.of(PDF_INFO_CANARY),
      Creator: PDFString.of(PDF_INFO_CANARY),
      Producer: PDFString.of(PDF_INFO_CANARY),
    }),
  );
  const page = doc.addPage([300, 200]);
  const font = doc.context.register(
    doc.context.obj({ Type: 'Font', Subtype: 'Type1', BaseFont: 'Helvetica' }),
  );
  page.node.set(PDFName.of('Resources'), doc.context.obj({ Font: { F1: font } }));
  const content = doc.context.stream(`BT /F1 10 Tf 20 100 Td (${PDF_CONTENT_CANARY}) Tj ET`);
  page.node.set(PDFName.of('Contents'), doc.context.register(content));
  const bytes = Buffer.from(await doc.save({ useObjectStreams: false }));
  assert.ok(bytes.includes(PDF_INFO_CANARY) && bytes.includes(PDF_CONTENT_CANARY));
  return bytes;
}

/** Every file under `dir` that contains one of `needles` (as UTF-8 or UTF-16LE bytes). */
function filesContaining(dir: string, needles: string[]): string[] {
  const patterns = needles.flatMap((n) => [Buffer.from(n, 'utf8'), Buffer.from(n, 'utf16le')]);
  const hits: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    let data: Buffer;
    try {
      data = fs.readFileSync(file);
    } catch {
      continue; // removed while walking (a temporary file of the database)
    }
    for (const p of patterns)
      if (data.includes(p)) hits.push(`${path.relative(dir, file)}: ${p.toString('utf8').slice(0, 40)}`);
  }
  return hits;
}

describe('reports: attachments are cleaned and encrypted', { timeout: 600_000 }, () => {
  const app = journey();
  /** The reporter's browser. */
  let anonymous: Browser | undefined;
  let page: Page;
  let org = '';
  let office = '';
  let receipt = '';
  let reportId = '';
  let jpeg: Buffer;
  let pdf: Buffer;
  const downloaded = new Map<string, Buffer>();
  const it = orderedSteps('reports-uploads', () => page);

  it('builds a JPEG with EXIF and comment canaries and a PDF with an Info canary', async () => {
    ({ page } = await app.signIn(OFFICER, { viewport: { width: 1440, height: 900 } }));
    const me = await (await page.request.get(`${app.base}/api/me`)).json();
    org = me.activeOrganisation.id;
    jpeg = await jpegWithCanaries(page);
    pdf = await pdfWithCanary();
    assert.ok(jpeg.includes(EXIF_CANARY) && jpeg.includes(COMMENT_CANARY));
    const channel = await (await fetch(`${app.base}/api/public/reports/${org}/report?lang=en`)).json();
    office = channel.offices[0].id;
  });

  it('the reporter sends both files through the no-JavaScript form; the receipt lists them, metadata removed', async () => {
    anonymous = await app.launch(REPORTER);
    const form = anonymous.page;
    await form.goto(`${app.base}/report/${org}/report?lang=en`);
    await form.locator('[name="a.what"]').fill(WHAT);
    await form.locator('[name="a.procedure"][value="transit"]').check();
    await form.locator('[name="a.office"]').selectOption(office);
    await form.locator('input[type="file"][name="files"]').setInputFiles([
      { name: JPEG_NAME, mimeType: 'image/jpeg', buffer: jpeg },
      { name: PDF_NAME, mimeType: 'application/pdf', buffer: pdf },
    ]);
    await form.getByRole('button', { name: 'Send the report' }).click();
    await form.getByRole('heading', { name: 'Your report has been sent' }).waitFor();
    receipt = (await form.locator('.receipt').textContent())!.trim();
    assert.match(receipt.replace(/\D/g, ''), /^\d{20,}$/);
    for (const name of [JPEG_NAME, PDF_NAME])
      await form
        .getByRole('listitem')
        .filter({ hasText: name })
        .getByText('hidden details removed')
        .waitFor();
    assert.deepEqual(await anonymous.context.cookies(), [], 'the public pages set no cookie');
  });

  it('the follow-up page lists the two files', async () => {
    const form = anonymous!.page;
    await form.goto(`${app.base}/report/${org}/report/follow-up?lang=en`);
    await form.locator('#receipt').fill(receipt);
    await form.getByRole('button', { name: 'Open my report' }).click();
    await form.getByRole('heading', { name: 'Your report', exact: true }).waitFor();
    const files = form.locator('ul.files li');
    assert.equal(await files.count(), 2);
    for (const name of [JPEG_NAME, PDF_NAME]) {
      const item = files.filter({ hasText: name });
      await item.getByText('hidden details removed').waitFor();
      await item.getByRole('button', { name: 'Download' }).waitFor();
    }
    await screenshot(form, 'reports-uploads-follow-up-en');
  });

  it('the officer unlocks the keys, opens the report and downloads both files in the browser', async () => {
    const watch = watchConsole(page);
    await page.goto(`${app.base}/reports`);
    await settle(page, 'Report inbox');
    await unlockKeys(page);
    // Times are to the hour: the API tells which report is ours.
    const { items } = await (await page.request.get(`${app.base}/api/reports`)).json();
    for (const { id } of items as { id: string }[]) {
      const open = await page.request.post(`${app.base}/api/reports/${id}/open`, {
        headers: { 'x-requested-with': 'arusha' },
      });
      if ((await open.text()).includes(WHAT)) reportId = id;
    }
    assert.ok(reportId, 'the report is among those sealed to the officer');
    await page.goto(`${app.base}/reports/${reportId}`);
    await settle(page, /^Report received /);
    const list = page.getByTestId('report-files');
    for (const name of [JPEG_NAME, PDF_NAME]) {
      const button = list.getByRole('button', { name });
      await button.waitFor();
      const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
      assert.equal(download.suggestedFilename(), name);
      downloaded.set(name, fs.readFileSync((await download.path())!));
    }
    // Cleaned files carry no "metadata kept" warning.
    assert.equal(await list.getByText('Metadata not removed').count(), 0);
    await checkA11y(page, 'report page with files');
    await screenshot(page, 'reports-uploads-report-en');
    assert.deepEqual(unexpectedErrors(watch), []);
  });

  it('the downloaded bytes hold no canary; the JPEG still decodes as an image, the PDF keeps its page', async () => {
    const j = downloaded.get(JPEG_NAME)!;
    const p = downloaded.get(PDF_NAME)!;
    for (const canary of [EXIF_CANARY, COMMENT_CANARY])
      assert.equal(j.includes(canary), false, `${canary} left in the JPEG`);
    assert.equal(p.includes(PDF_INFO_CANARY), false, 'the PDF Info canary is left');
    assert.equal(j.readUInt16BE(0), 0xffd8, 'the JPEG starts with SOI');
    assert.ok(j.length < jpeg.length, 'segments were removed');
    // The page decodes it: an <img> of the downloaded bytes has the drawn size.
    const size = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/jpeg;base64,${b64}`;
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    }, j.toString('base64'));
    assert.deepEqual(size, [64, 48]);
    assert.equal(p.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(p.includes(PDF_CONTENT_CANARY), 'the page text is kept');
    const doc = await PDFDocument.load(p, { updateMetadata: false });
    assert.equal(doc.getPageCount(), 1);
    assert.equal(doc.getTitle(), undefined);
    assert.equal(doc.getAuthor(), undefined);
  });

  it('nothing of the report or its files is in clear in the data directory', async () => {
    // The embedded database writes its pages on checkpoint: ask for one so that nothing waits in memory.
    await page.request.get(`${app.base}/api/reports`);
    const hits = filesContaining(app.server!.dataDir, [
      EXIF_CANARY,
      COMMENT_CANARY,
      PDF_INFO_CANARY,
      PDF_CONTENT_CANARY,
      WHAT.slice(-30),
    ]);
    assert.deepEqual(hits, []);
    // The search can find: the data directory is not empty, and holds the demo's clear data.
    assert.ok(
      filesContaining(app.server!.dataDir, ['norland.demo']).length > 0,
      'the search sees the database',
    );
  });

  it('an oversized file gives the form again (413) naming the file, and nothing is stored', async () => {
    const form = anonymous!.page;
    await form.goto(`${app.base}/report/${org}/report?lang=en`);
    await form.locator('[name="a.what"]').fill(OVERSIZED_WHAT);
    await form.locator('[name="a.procedure"][value="valuation"]').check();
    await form.locator('[name="a.office"]').selectOption(office);
    const big = Buffer.concat([pdf, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    await form
      .locator('input[type="file"][name="files"]')
      .setInputFiles([{ name: 'scan-large.pdf', mimeType: 'application/pdf', buffer: big }]);
    const [response] = await Promise.all([
      form.waitForResponse((r) => r.request().method() === 'POST'),
      form.getByRole('button', { name: 'Send the report' }).click(),
    ]);
    assert.equal(response.status(), 413);
    await form
      .getByRole('alert')
      .getByText('“scan-large.pdf” is larger than 10 MB and was not accepted.')
      .waitFor();
    await form
      .getByRole('alert')
      .getByText(/choose your files again/)
      .waitFor();
    await screenshot(form, 'reports-uploads-too-large-en');
    // Nothing was stored for it.
    const { items } = await (await page.request.get(`${app.base}/api/reports`)).json();
    for (const { id } of items as { id: string }[]) {
      const open = await page.request.post(`${app.base}/api/reports/${id}/open`, {
        headers: { 'x-requested-with': 'arusha' },
      });
      assert.equal((await open.text()).includes(OVERSIZED_WHAT), false);
    }
  });

  it('after the oversized file the answers are kept in the form', async () => {
    const form = anonymous!.page;
    assert.equal(await form.locator('[name="a.what"]').inputValue(), OVERSIZED_WHAT);
    assert.equal(await form.locator('[name="a.procedure"][value="valuation"]').isChecked(), true);
    assert.equal(await form.locator('[name="a.office"]').inputValue(), office);
  });
});
