import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { PdfRenderer } from '../../platform/pdf/pdf.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { addAgreement, addDonor, ok, partnershipOf, programmeWorld } from './programme.fixture.ts';

const REPORT = '/api/programme/donor/report?from=2026-01-01&to=2026-12-31';
const inLang = (c: Client, url: string, lang: string) =>
  c.request({ method: 'GET', url, headers: { 'accept-language': lang } });

/** The PDF's text through poppler's pdftotext, or null without it (the other checks still apply). */
function pdfText(pdf: Buffer): string | null {
  const file = path.join(os.tmpdir(), `donor-report-${process.pid}-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  try {
    return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  } catch {
    return null;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

describe('programme: the donor report as PDF, in the user’s language, only what the donor funds', () => {
  let h: Harness;
  let sec: Client;
  let donor1: Client;
  let donor2: Client;
  let officerA: Client;

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    const world = await programmeWorld(h, 'pdf-');
    ({ sec, donor1, donor2 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    const d2 = await addDonor(sec, 'Donor Two', world.donorOrg2);
    const partnership = await partnershipOf(sec, officerA, [d1]);
    const ag1 = await addAgreement(sec, d1, 'ONE-EUR-2026', '250000.00', 'EUR');
    const ag2 = await addAgreement(sec, d2, 'TWO-USD-SECRET', '90000.00', 'USD');
    await ok(
      await sec.post(`/api/programme/agreements/${ag1}/disbursements`, {
        receivedOn: '2026-03-15',
        amount: { amount: '125000.50', currency: 'EUR' },
      }),
      201,
    );
    await ok(
      await sec.post('/api/programme/activities', {
        type: 'workshop',
        title: 'Integrity workshop',
        startsOn: '2026-06-10',
        endsOn: '2026-06-12',
        partnershipIds: [partnership],
        participants: [
          { role: 'officer', women: 14, men: 9 },
          { role: 'management', women: 3, men: 5 },
        ],
        costs: [
          { label: 'Venue and travel', agreementId: ag1, amount: { amount: '18750.25', currency: 'EUR' } },
          { label: 'Other donor line', agreementId: ag2, amount: { amount: '4321.00', currency: 'USD' } },
        ],
      }),
      201,
    );
    const base = `/api/programme/partnerships/${partnership}`;
    const outcome = (
      await ok(await sec.post(`${base}/results`, { level: 'outcome', title: 'Integrity improved' }), 201)
    ).id;
    const indicator = (
      await ok(
        await sec.post(`${base}/indicators`, {
          resultId: outcome,
          name: 'Officers trained in integrity',
          unit: 'officers',
          baseline: '0',
          target: '120',
          direction: 'increase',
        }),
        201,
      )
    ).id;
    await ok(
      await sec.post(`/api/programme/indicators/${indicator}/actuals`, {
        periodLabel: '2026 H1',
        periodStart: '2026-01-01',
        periodEnd: '2026-06-30',
        value: '37',
      }),
      201,
    );
  });
  after(() => h.close());

  it('the print-ready page holds the donor’s figures in English, French and Arabic (right to left), and nothing of another donor', async () => {
    const en = await donor1.get(`${REPORT}&format=html`);
    assert.equal(en.statusCode, 200, en.body.slice(0, 400));
    assert.match(String(en.headers['content-type']), /^text\/html/);
    const page = en.body;
    assert.match(page, /<html lang="en" dir="ltr">/);
    assert.match(page, /Donor report/);
    // Funding, disbursement, spending, participants by gender, results — formatted for English.
    for (const s of [
      '250,000.00 EUR',
      '125,000.50 EUR',
      '18,750.25 EUR',
      'ONE-EUR-2026',
      'Integrity workshop',
      'Workshop',
      'Officers trained in integrity',
      '2026 H1',
      '<svg',
    ])
      assert.ok(page.includes(s), `the English page shows ${s}`);
    assert.match(
      page,
      /<td class="num">17<\/td><td class="num">14<\/td><td class="num">31<\/td>/,
      'women, men, total',
    );
    assert.match(page, />37<\/td>/, 'the actual of the period');
    // Donor Two's agreement and cost line are not there.
    assert.ok(
      !page.includes('TWO-USD-SECRET') && !page.includes('Other donor line') && !page.includes('4,321'),
    );

    const fr = await inLang(donor1, `${REPORT}&format=html`, 'fr');
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /<html lang="fr" dir="ltr">/);
    assert.match(fr.body, /Rapport au bailleur/);
    assert.match(fr.body, /Versements reçus/);
    assert.ok(fr.body.includes('250\u202f000,00 EUR'), 'French digits grouping and decimal comma');
    assert.ok(fr.body.includes('Atelier'), 'the activity type in French');

    const ar = await inLang(donor1, `${REPORT}&format=html`, 'ar');
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<html lang="ar" dir="rtl">/);
    assert.match(ar.body, /تقرير المانح/);
    assert.match(ar.body, /الدفعات المستلمة/);
    assert.ok(
      ar.body.includes(
        `<bdi dir="ltr" class="money">${new Intl.NumberFormat('ar', { minimumFractionDigits: 2 }).format(250000)} EUR</bdi>`,
      ),
      'amounts kept left to right inside the right-to-left page',
    );
  });

  it('the PDF is produced (A4 pages, its text in the language), for the donor only', async () => {
    const res = await donor1.get(`${REPORT}&format=pdf`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 400));
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.match(String(res.headers['content-disposition']), /a-cip-donor-report-2026-01-01-2026-12-31\.pdf/);
    const pdf = res.rawPayload;
    if (process.env.KEEP_REPORT) fs.writeFileSync(process.env.KEEP_REPORT, pdf);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const doc = await PDFDocument.load(pdf);
    assert.ok(doc.getPageCount() >= 1 && doc.getPageCount() <= 6, `${doc.getPageCount()} pages`);
    const { width, height } = doc.getPage(0).getSize();
    assert.ok(Math.abs(width - 595) < 2 && Math.abs(height - 842) < 2, 'A4 portrait');
    const text = pdfText(pdf);
    if (text !== null) {
      assert.match(text, /Donor report/);
      assert.match(text, /250,000\.00 EUR/);
      assert.doesNotMatch(text, /TWO-USD-SECRET/);
    }
    const ar = await inLang(donor1, `${REPORT}&format=pdf`, 'ar');
    assert.equal(ar.statusCode, 200);
    if (process.env.KEEP_REPORT)
      fs.writeFileSync(process.env.KEEP_REPORT.replace('.pdf', '-ar.pdf'), ar.rawPayload);
    assert.equal(ar.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const arText = pdfText(ar.rawPayload);
    if (arText !== null) assert.match(arText, /ONE-EUR-2026/);
  });

  it('another donor gets its own report, never this one; others are refused; a bad period is 400', async () => {
    const two = await donor2.get(`${REPORT}&format=html`);
    assert.equal(two.statusCode, 200);
    assert.ok(two.body.includes('TWO-USD-SECRET'));
    assert.ok(!two.body.includes('ONE-EUR-2026') && !two.body.includes('125,000.50'));
    // Not a donor viewer: 403 before anything is read; an administration's officer too.
    assert.equal((await officerA.get(`${REPORT}&format=pdf`)).statusCode, 403);
    assert.equal((await sec.get(`${REPORT}&format=pdf`)).statusCode, 403);
    assert.equal((await h.anonymous().get(`${REPORT}&format=pdf`)).statusCode, 401);
    assert.equal(
      (await donor1.get('/api/programme/donor/report?from=2026-12-31&to=2026-01-01&format=pdf')).statusCode,
      400,
    );
    assert.equal((await donor1.get(`${REPORT}&format=docx`)).statusCode, 400);
  });

  it('without Chromium, the PDF request answers the print-ready page with a notice', async () => {
    const real = h.kernel.pdf;
    h.kernel.pdf = new PdfRenderer({ executablePath: '/nonexistent/chromium' });
    try {
      const res = await donor1.get(`${REPORT}&format=pdf`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /class="notice"/);
      assert.match(res.body, /250,000\.00 EUR/);
    } finally {
      h.kernel.pdf = real;
    }
  });
});
