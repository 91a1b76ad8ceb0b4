import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { deflateSync, inflateSync } from 'node:zlib';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { PDF_INFLATE_BUDGET, stripJpeg, stripPdf, stripPng } from './reports.metadata.ts';
import { ReportsService } from './reports.service.ts';

// Fixtures are built here, in code: a minimal baseline JPEG (8×8 grey) with EXIF GPS and a
// camera model, IPTC, a comment and trailing bytes; a PNG with text and time chunks; a PDF
// with an Info dictionary, XMP and an unreferenced older Info object.

const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const PASS = 'attachments handler passphrase';
const GPS = 'GPSLatitude 48.8583N canary-gps-7d41';
const MODEL = 'CanaryCam X100 serial 99172';
const IPTC = 'iptc-byline-canary-51ab';
const COMMENT = 'jpeg-comment-canary-e20f';
const AUTHOR = 'Canary Author Jane Whistle';
const CREATOR = 'CanaryCreator Office 2031';
const XMP = 'xmp-canary-creator-tool-8c2d';
const OLD_AUTHOR = 'old-revision-author-canary';
const PNG_TEXT = 'png-author-canary-3f9a';
const TEXT = 'plain text evidence canary-txt-66e1';

const seg = (marker: number, body: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xff00 | marker, 0);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
};
/** The scan of one 8×8 block: DC difference 0, end of block (two one-bit codes, padded with 1s). */
const SCAN = Buffer.from([0x3f]);

export function jpegWithExif(): Buffer {
  const exif = Buffer.concat([
    Buffer.from('Exif\0\0MM\0*\0\0\0\x08', 'latin1'),
    Buffer.from(`Model\0${MODEL}\0GPS\0${GPS}\0`, 'latin1'),
  ]);
  const huff = (cls: number) =>
    Buffer.concat([Buffer.from([cls]), Buffer.from([1, ...new Array(15).fill(0)]), Buffer.from([0])]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xe1, exif),
    seg(0xe1, Buffer.from(`http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>${MODEL}</x:xmpmeta>`, 'latin1')),
    seg(0xed, Buffer.from(`Photoshop 3.0\x008BIM\x04\x04${IPTC}`, 'latin1')),
    seg(0xfe, Buffer.from(COMMENT, 'latin1')),
    seg(0xdb, Buffer.concat([Buffer.from([0]), Buffer.alloc(64, 1)])),
    seg(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
    seg(0xc4, huff(0x00)),
    seg(0xc4, huff(0x10)),
    seg(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])),
    SCAN,
    Buffer.from([0xff, 0xd9]),
    Buffer.from(`trailer ${GPS}`, 'latin1'),
  ]);
}

/** Segment markers of a JPEG, and its scan data; throws on a malformed file. */
function jpegStructure(b: Buffer) {
  assert.deepEqual([...b.subarray(0, 2)], [0xff, 0xd8], 'SOI');
  assert.deepEqual([...b.subarray(-2)], [0xff, 0xd9], 'EOI at the very end');
  const markers: number[] = [];
  let p = 2;
  let scan: Buffer | undefined;
  while (p < b.length - 2) {
    assert.equal(b[p], 0xff, `a marker at ${p}`);
    const m = b[p + 1]!;
    const len = b.readUInt16BE(p + 2);
    markers.push(m);
    p += 2 + len;
    if (m === 0xda) {
      const end = b.length - 2;
      scan = b.subarray(p, end);
      p = end;
    }
  }
  return { markers, scan };
}

function crc32(buf: Buffer) {
  let c = ~0;
  for (const x of buf) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}
const chunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
export function pngWithText(): Buffer {
  // 2×2 greyscale, 8 bits: each scanline is filter byte 0 then two pixels of value 200.
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 0, 0, 0, 0]);
  const pixels = Buffer.from([0, 200, 200, 0, 200, 200]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.from(`Author\0${PNG_TEXT}`, 'latin1')),
    chunk('tIME', Buffer.from([0x07, 0xea, 11, 28, 10, 0, 0])),
    chunk('eXIf', Buffer.from(`MM\0*${GPS}`, 'latin1')),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG's chunks (type, data), checking every CRC; its pixels inflated from the IDAT chunks. */
function readPng(b: Buffer) {
  assert.deepEqual([...b.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: [string, Buffer][] = [];
  for (let p = 8; p < b.length; ) {
    const len = b.readUInt32BE(p);
    const td = b.subarray(p + 4, p + 8 + len);
    assert.equal(b.readUInt32BE(p + 8 + len), crc32(td), 'CRC');
    chunks.push([td.toString('latin1', 0, 4), td.subarray(4)]);
    p += 12 + len;
  }
  assert.equal(chunks.at(-1)?.[0], 'IEND');
  const idat = Buffer.concat(chunks.filter(([t]) => t === 'IDAT').map(([, d]) => d));
  return { types: chunks.map(([t]) => t), ihdr: chunks[0]![1], pixels: inflateSync(idat) };
}

export async function pdfWithInfo(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.addPage([200, 200]).drawText('Evidence page', { x: 20, y: 100, size: 12 });
  // Literal strings, as most producers write them (pdf-lib's setters write UTF-16 hex).
  doc.context.trailerInfo.Info = doc.context.register(
    doc.context.obj({
      Author: PDFString.of(AUTHOR),
      Creator: PDFString.of(CREATOR),
      Title: PDFString.of('Invoice 2026-114'),
    }),
  );
  const xmp = doc.context.stream(`<x:xmpmeta><xmp:CreatorTool>${XMP}</xmp:CreatorTool></x:xmpmeta>`, {
    Type: 'Metadata',
    Subtype: 'XML',
  });
  doc.catalog.set(PDFName.of('Metadata'), doc.context.register(xmp));
  // An Info dictionary of an earlier revision, no longer referenced.
  doc.context.register(doc.context.obj({ Author: PDFString.of(OLD_AUTHOR) }));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const BOUNDARY = '----arusha-attachments-test';
function multipart(fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file)
    parts.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
  };
}

const QUESTIONNAIRE = [
  { id: 'what', type: 'long_text', required: true, label: { en: 'What happened?' } },
  { id: 'evidence', type: 'attachment', required: true, label: { en: 'Evidence (files)' } },
];

describe('reports: attachments', () => {
  let h: Harness;
  const lines: string[] = [];
  let handler: Client; // case_handler: the channel's recipient
  let officer: Client; // integrity_officer: a handler and manager, not assigned
  let base: string;
  let receipt: string;
  let reportId: string;
  let jpeg: Buffer;
  let pdf: Buffer;

  const fileCount = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from report_files'))[0]!.n;
  /** Everything in the data directory, and the file store whichever its driver (STORAGE). */
  const stored = async (): Promise<{ name: string; bytes: Buffer }[]> => {
    const out: { name: string; bytes: Buffer }[] = [];
    const walk = (d: string) => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else out.push({ name: f, bytes: fs.readFileSync(f) });
      }
    };
    walk(h.config.dataDir);
    if (h.kernel.storage.kind === 'database')
      for (const r of await h.kernel.db.query<{ key: string; content: Buffer }>(
        'select key, content from stored_files',
      ))
        out.push({ name: `db:${r.key}`, bytes: r.content });
    return out;
  };
  const storedCount = async () => (await stored()).length;
  const submitWith = (name: string, data: Buffer, answers: object = { what: 'with a file' }) =>
    h.app.inject({
      method: 'POST',
      url: `${base}/report/with-file`,
      ...multipart({ submission: JSON.stringify({ language: 'en', answers }) }, { name, data }),
    });
  const addFile = (name: string, data: Buffer, r = receipt) =>
    h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files`,
      ...multipart({ receipt: r }, { name, data }),
    });
  const list = (c: Client, id = reportId) => c.post(`/api/reports/${id}/files/list`);
  const fetchFile = (c: Client, fileId: string, id = reportId) =>
    c.post(`/api/reports/${id}/files/${fileId}/download`);

  before(async () => {
    h = await createHarness({ logSink: (l) => lines.push(l) });
    handler = await h.as(h.a.users.case_handler.email);
    officer = await h.as(h.a.users.integrity_officer.email);
    base = `/api/public/reports/${h.a.id}`;
    // Keys with a cheap KDF (the cost is tested elsewhere), unlocked through the API.
    const svc = new ReportsService(h.kernel, { handlerKdf: FAST });
    for (const [u, c] of [
      [h.a.users.case_handler, handler],
      [h.a.users.integrity_officer, officer],
    ] as const) {
      const actor = { userId: u.id, tenantId: h.a.id, sessionId: 'setup', permissions: new Set() };
      await withTenant(h.kernel.db, { tenantId: h.a.id, userId: u.id }, (tx) =>
        svc.setupKey(tx, h.a.id, actor as unknown as Actor, PASS),
      );
      assert.equal((await c.post('/api/reports/keys/unlock', { passphrase: PASS })).statusCode, 204);
    }
    const admin = await h.as(h.a.users.org_admin.email);
    const ch = await admin.post('/api/reports/channels', {
      slug: 'report',
      name: { en: 'Report corruption' },
      languages: ['en'],
      questionnaire: QUESTIONNAIRE,
      recipients: [h.a.users.case_handler.id],
    });
    assert.equal(ch.statusCode, 201, ch.body);
    jpeg = jpegWithExif();
    pdf = await pdfWithInfo();
  });
  after(() => h.close());

  it('the fixtures carry their canaries (so the checks below can fail) and are well formed', async () => {
    for (const s of [GPS, MODEL, IPTC, COMMENT]) assert.ok(jpeg.includes(s), s);
    for (const s of [AUTHOR, CREATOR, XMP, OLD_AUTHOR]) assert.ok(pdf.includes(s), s);
    assert.ok(pngWithText().includes(PNG_TEXT));
    const doc = await PDFDocument.load(pdf);
    assert.equal(doc.getAuthor(), AUTHOR);
    assert.deepEqual(readPng(pngWithText()).types, ['IHDR', 'tEXt', 'tIME', 'eXIf', 'IDAT', 'IEND']);
  });

  it('metadata removal keeps what decoding needs: JPEG segments and scan, PNG pixels', () => {
    const j = stripJpeg(jpeg);
    const { markers, scan } = jpegStructure(j.data);
    assert.deepEqual(markers, [0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    assert.deepEqual(scan, SCAN, 'the image data is kept byte for byte');
    assert.deepEqual(j.removed.sort(), ['APP0', 'APP1', 'APP13', 'COM', 'trailing data']);
    // An Adobe APP14 segment is kept (colour transform) but cut to its 12 defined bytes.
    const adobe = Buffer.concat([
      Buffer.from('Adobe\x00\x64\x00\x00\x00\x00\x01', 'latin1'),
      Buffer.from(MODEL),
    ]);
    const withAdobe = Buffer.concat([jpeg.subarray(0, 2), seg(0xee, adobe), jpeg.subarray(2)]);
    const a = stripJpeg(withAdobe);
    assert.deepEqual(jpegStructure(a.data).markers, [0xee, 0xdb, 0xc0, 0xc4, 0xc4, 0xda]);
    assert.equal(a.data.includes(MODEL), false);
    assert.ok(a.data.includes(adobe.subarray(0, 12)));
    const p = stripPng(pngWithText());
    assert.equal(p.data.includes(PNG_TEXT), false);
    assert.deepEqual(p.removed.sort(), ['eXIf', 'tEXt', 'tIME']);
    const img = readPng(p.data);
    assert.deepEqual(img.types, ['IHDR', 'IDAT', 'IEND']);
    assert.equal(img.ihdr.readUInt32BE(0), 2);
    assert.deepEqual([...img.pixels], [0, 200, 200, 0, 200, 200]);
  });

  it('a PDF whose object streams would inflate past the budget is refused before pdf-lib reads it', async () => {
    const bomb = deflateSync(Buffer.alloc(PDF_INFLATE_BUDGET + 1024 * 1024, 0x20));
    const obj = Buffer.concat([
      Buffer.from(
        `9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${bomb.length} >>\nstream\n`,
      ),
      bomb,
      Buffer.from('\nendstream\nendobj\n'),
    ]);
    const eof = pdf.lastIndexOf('%%EOF');
    const file = Buffer.concat([pdf.subarray(0, eof), obj, pdf.subarray(eof)]);
    await assert.rejects(
      stripPdf(file),
      (e: { status?: number; message: string }) => e.status === 422 && /expands/.test(e.message),
    );
    // The same stream within the budget is no obstacle.
    const fine = deflateSync(Buffer.alloc(1024, 0x20));
    const ok = Buffer.concat([
      pdf.subarray(0, eof),
      Buffer.from(
        `9 0 obj\n<< /Type /ObjStm /N 0 /First 0 /Filter /FlateDecode /Length ${fine.length} >>\nstream\n`,
      ),
      fine,
      Buffer.from('\nendstream\nendobj\n'),
      pdf.subarray(eof),
    ]);
    assert.equal((await stripPdf(ok)).cleaned, true);
  });

  it('a JSON submission cannot skip a required attachment field nor fake one', async () => {
    const none = await h.app.inject({
      method: 'POST',
      url: `${base}/report`,
      payload: { language: 'en', answers: { what: 'no file' } },
    });
    assert.equal(none.statusCode, 400, none.body);
    assert.match(none.body, /attach a file/);
    const fake = await h.app.inject({
      method: 'POST',
      url: `${base}/report`,
      payload: { language: 'en', answers: { what: 'x', evidence: 'photo.jpg' } },
    });
    assert.equal(fake.statusCode, 400);
    assert.equal(await fileCount(), 0);
  });

  it('a reporter submits with a JPEG, adds a PDF with the receipt; public answers stay anonymous', async () => {
    const res = await submitWith('IMG_2031 (GPS).jpg', jpeg, { what: 'Officer at gate 3 asked for cash' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['set-cookie'], undefined);
    const body = res.json();
    receipt = body.receipt;
    assert.equal(body.files.length, 1);
    assert.equal(body.files[0].metadataRemoved, true);
    const added = await addFile('invoice.pdf', pdf);
    assert.equal(added.statusCode, 201, added.body);
    assert.equal(added.json().files[0].name, 'invoice.pdf');
    const txt = await addFile('notes.txt', Buffer.from(TEXT));
    assert.equal(txt.statusCode, 201, txt.body);
    assert.equal(txt.json().files[0].metadataRemoved, false, 'the reporter is told');
    const [r] = await h.kernel.db.query<{ id: string }>('select id from reports');
    reportId = r!.id;
    const log = lines.join('\n');
    assert.equal(log.includes('/api/public/reports'), false, 'no request line for the public routes');
  });

  it('the handler lists and downloads cleaned files: no metadata left, still decodable (audited)', async () => {
    const res = await list(handler);
    assert.equal(res.statusCode, 200, res.body);
    const items = res.json().items as { id: string; name: string; type: string; metadataRemoved: boolean }[];
    assert.deepEqual(
      items.map((f) => [f.name, f.type, f.metadataRemoved]),
      [
        ['IMG_2031 (GPS).jpg', 'jpeg', true],
        ['invoice.pdf', 'pdf', true],
        ['notes.txt', 'txt', false],
      ],
    );
    const jpg = await fetchFile(handler, items[0]!.id);
    assert.equal(jpg.statusCode, 200, jpg.body);
    assert.equal(jpg.headers['content-type'], 'image/jpeg');
    assert.match(String(jpg.headers['content-disposition']), /^attachment;/);
    const jb = jpg.rawPayload;
    for (const s of [GPS, MODEL, IPTC, COMMENT, 'Exif', 'Photoshop']) assert.equal(jb.includes(s), false, s);
    assert.deepEqual(jpegStructure(jb).scan, SCAN);
    const p = await fetchFile(handler, items[1]!.id);
    assert.equal(p.statusCode, 200, p.body);
    const pb = p.rawPayload;
    for (const s of [AUTHOR, CREATOR, XMP, OLD_AUTHOR, '/Author', '/Metadata'])
      assert.equal(pb.includes(s), false, s);
    const doc = await PDFDocument.load(pb, { updateMetadata: false });
    assert.equal(doc.getPageCount(), 1);
    assert.equal(doc.getAuthor(), undefined);
    const t = await fetchFile(handler, items[2]!.id);
    assert.equal(t.body, TEXT, 'unchanged types come back as sent');
    const [audit] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action in ('reports.report.file_read', 'reports.report.files_listed')",
    );
    assert.equal(audit!.n, 4);
  });

  it('the data directory and the database hold neither the canaries nor the original bytes', async () => {
    const tables = await h.kernel.db.query<{ t: string }>(
      "select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    );
    let dump = '';
    for (const { t } of tables) {
      const rows = await h.kernel.db.query<{ r: string }>(`select x::text as r from "${t}" x`);
      dump += `${t}\n${rows.map((r) => r.r).join('\n')}\n`;
    }
    const hex = (b: Buffer | string) => Buffer.from(b).toString('hex');
    const cleanedScan = hex(
      Buffer.concat([Buffer.from([0xff, 0xda]), Buffer.from([0, 8, 1, 1, 0, 0, 63, 0])]),
    );
    const needles = [GPS, MODEL, AUTHOR, CREATOR, XMP, TEXT, 'IMG_2031', 'invoice.pdf', 'notes.txt'];
    for (const s of needles) {
      assert.equal(dump.includes(s), false, `database holds ${s}`);
      assert.equal(dump.includes(hex(s)), false, `database holds ${s} as hex`);
    }
    assert.equal(dump.includes(hex(jpeg.subarray(0, 64))), false, 'the original JPEG');
    assert.equal(dump.includes(cleanedScan), false, 'the cleaned JPEG');
    const files = await stored();
    assert.ok(files.length >= 3, `ciphertext is in the file store (${files.length} files)`);
    for (const { name: f, bytes } of files) {
      for (const s of needles) assert.equal(bytes.includes(s), false, `${f} holds ${s}`);
      assert.equal(bytes.includes(jpeg.subarray(0, 64)), false, `${f} holds the JPEG`);
      assert.equal(bytes.includes(pdf.subarray(0, 64)), false, `${f} holds the PDF`);
      assert.equal(bytes.includes(Buffer.from('%PDF-')), false, `${f} holds a PDF in clear`);
    }
    const keys = await h.kernel.db.query<{ storage_key: string; size: number }>(
      'select storage_key, size from report_files',
    );
    for (const k of keys) assert.match(k.storage_key, /^reports\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    // Length hiding: stored sizes are padded size classes, not the file sizes.
    assert.ok(keys.every((k) => k.size >= 256 + 28));
  });

  it('an unassigned handler, even a manager with unlocked keys, gets 404 for the list and the files', async () => {
    const items = (await list(handler)).json().items as { id: string }[];
    assert.equal((await list(officer)).statusCode, 404);
    assert.equal((await fetchFile(officer, items[0]!.id)).statusCode, 404);
    const up = await officer.request({
      method: 'POST',
      url: '/api/reports/files',
      ...multipart({ reportId }, { name: 'x.txt', data: Buffer.from('hello') }),
    });
    assert.equal(up.statusCode, 404, up.body);
    // A file id of another report is not found through this report.
    assert.equal((await fetchFile(handler, '00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  it('a tampered or swapped ciphertext fails: 422, no plaintext', async () => {
    const items = (await list(handler)).json().items as { id: string }[];
    const rows = await h.kernel.db.query<{ id: string; storage_key: string }>(
      'select id, storage_key from report_files',
    );
    // Through the platform storage, so the test holds for both drivers.
    const store = h.kernel.storage;
    const keyOf = (id: string) => rows.find((r) => r.id === id)!.storage_key;
    const txtKey = keyOf(items[2]!.id);
    const original = await store.get(h.a.id, txtKey);
    const tampered = Buffer.from(original);
    tampered[tampered.length - 5]! ^= 0x01;
    await store.put(h.a.id, txtKey, tampered);
    const res = await fetchFile(handler, items[2]!.id);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.body.includes('canary-txt'), false);
    // Another file's (valid) ciphertext in its place fails too: it is bound to its own id.
    await store.put(h.a.id, txtKey, await store.get(h.a.id, keyOf(items[1]!.id)));
    assert.equal((await fetchFile(handler, items[2]!.id)).statusCode, 422);
    await store.put(h.a.id, txtKey, original);
    assert.equal((await fetchFile(handler, items[2]!.id)).body, TEXT, 'restored, it opens again');
  });

  it('file names are never trusted: path tricks are neutralised or refused, nothing escapes the store', async () => {
    const before = new Set((await stored()).map((f) => f.name));
    const ok = await addFile('../../../../etc/cron.d/evil.png', pngWithText());
    assert.equal(ok.statusCode, 201, ok.body);
    assert.equal(ok.json().files[0].name, 'evil.png');
    const win = await addFile('..\\..\\windows\\system32\\report.pdf', pdf);
    assert.equal(win.statusCode, 201, win.body);
    assert.equal(win.json().files[0].name, 'report.pdf');
    for (const [name, data, status] of [
      ['photo\u202Egpj.exe', jpeg, 415], // right-to-left override hiding .exe
      ['.png', pngWithText(), 415], // no real extension
      ['evidence.jpg', pdf, 415], // bytes are not a JPEG
      ['archive.zip', Buffer.from('PK\u0005\u0006'.padEnd(22, '\0'), 'latin1'), 415], // metadata cannot be removed
      ['broken.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0x00]), 422], // unreadable: cannot clean
    ] as const) {
      const res = await addFile(name, data);
      assert.equal(res.statusCode, status, `${name}: ${res.body}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    const added = (await stored()).map((f) => f.name).filter((f) => !before.has(f));
    assert.equal(added.length, 2);
    for (const f of added) assert.match(f, /^(db:|\/).*reports\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    for (const f of added) if (!f.startsWith('db:')) assert.ok(f.startsWith(h.config.dataDir), f);
    assert.equal(fs.existsSync('/etc/cron.d/evil.png'), false);
  });

  it('a handler sends a file to the reporter, who finds it with the receipt', async () => {
    const res = await handler.request({
      method: 'POST',
      url: '/api/reports/files',
      ...multipart({ reportId }, { name: 'form to fill.png', data: pngWithText() }),
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().files[0].direction, 'handler');
    const l = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files/list`,
      payload: { receipt },
    });
    const mine = (l.json().items as { name: string; direction: string }[]).find(
      (f) => f.name === 'form to fill.png',
    );
    assert.equal(mine?.direction, 'handler');
    assert.equal(
      JSON.stringify(l.json()).includes(h.a.users.case_handler.id),
      false,
      'the author is not shown',
    );
  });

  it('the service decides the type from the bytes, whatever its caller says (the HTML pages call it)', () => {
    const svc = new ReportsService(h.kernel);
    assert.deepEqual(
      svc.files.checkBatch([
        { filename: 'a.jpg', data: jpeg },
        { filename: 'b.pdf', data: pdf, type: 'txt' },
      ]),
      ['jpeg', 'pdf'],
    );
    assert.throws(
      () => svc.files.checkBatch([{ filename: 'a.jpg', data: pdf, type: 'jpeg' }]),
      /content is a PDF/,
    );
    assert.throws(
      () => svc.files.checkBatch([{ filename: 'x.gif', data: Buffer.from('GIF89a') }]),
      /not accepted/,
    );
    assert.throws(() => svc.files.checkBatch([{ filename: 'empty.txt', data: Buffer.alloc(0) }]), /is empty/);
    // The per-report total counts what is already stored (padded ciphertext sizes).
    const small = new ReportsService(h.kernel, { files: { maxTotalBytes: 4096 } });
    const kb = [{ filename: 'a.txt', data: Buffer.alloc(1000, 0x61) }];
    assert.deepEqual(small.files.checkBatch(kb), ['txt']);
    assert.throws(
      () => small.files.checkBatch(kb, { count: 1, bytes: 3500 }),
      (e: { status?: number; message: string }) => e.status === 413 && /together/.test(e.message),
    );
  });

  it('limits: an oversized file and a file too many are refused with 413/422 and store nothing', async () => {
    const n = await fileCount();
    const onDisk = await storedCount();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x61);
    const res = await addFile('big.txt', big);
    assert.equal(res.statusCode, 413, res.body);
    assert.match(res.json().detail ?? res.json().title, /larger|at most/);
    const bigSubmit = await submitWith('big.txt', big);
    assert.equal(bigSubmit.statusCode, 413);
    // Two file parts in one request: one file per request.
    const two = multipart({ receipt }, { name: 'a.txt', data: Buffer.from('a') });
    const twice = Buffer.concat([
      two.payload.subarray(0, two.payload.length - `--${BOUNDARY}--\r\n`.length),
      multipart({}, { name: 'b.txt', data: Buffer.from('b') }).payload,
    ]);
    const dbl = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files`,
      payload: twice,
      headers: two.headers,
    });
    assert.equal(dbl.statusCode, 400, dbl.body);
    assert.equal(await fileCount(), n);
    // Up to ten files per report; the eleventh is refused.
    for (let i = n; i < 10; i++)
      assert.equal((await addFile(`n${i}.txt`, Buffer.from(`note ${i}`))).statusCode, 201);
    const over = await addFile('eleven.txt', Buffer.from('one too many'));
    assert.equal(over.statusCode, 422, over.body);
    assert.match(over.json().detail, /at most 10 files/);
    assert.equal(await fileCount(), 10);
    assert.equal(await storedCount(), onDisk + (10 - n));
  });

  it('a wrong receipt adds nothing and reads nothing', async () => {
    const n = await fileCount();
    const wrong = `${receipt.replaceAll(' ', '').slice(0, -1)}${(Number(receipt.at(-1)) + 1) % 10}`;
    assert.equal((await addFile('x.txt', Buffer.from('x'), wrong)).statusCode, 404);
    const l = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files/list`,
      payload: { receipt: wrong },
    });
    assert.equal(l.statusCode, 404);
    assert.equal(await fileCount(), n);
  });

  it('the reporter lists and downloads the files of the report with the receipt', async () => {
    const l = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files/list`,
      payload: { receipt },
    });
    assert.equal(l.statusCode, 200, l.body);
    assert.equal(l.headers['cache-control'], 'no-store');
    const items = l.json().items as { id: string; name: string }[];
    const pdfItem = items.find((f) => f.name === 'invoice.pdf')!;
    const d = await h.app.inject({
      method: 'POST',
      url: `${base}/follow-up/files/download`,
      payload: { receipt, fileId: pdfItem.id },
    });
    assert.equal(d.statusCode, 200, d.body);
    assert.equal(d.rawPayload.includes(AUTHOR), false);
    // No public request, refused or not, left a line in the log, nor any file name.
    const log = lines.join('\n');
    for (const s of ['/api/public/reports', 'IMG_2031', 'invoice.pdf', 'evil.png', 'eleven.txt'])
      assert.equal(log.includes(s), false, `log holds ${s}`);
  });

  it('retention: legal hold keeps the encrypted files; the purge deletes them', async () => {
    const svc = new ReportsService(h.kernel);
    const version = async () =>
      (
        await h.kernel.db.query<{ version: number }>('select version from reports where id = $1', [reportId])
      )[0]!.version;
    const closed = await handler.post(`/api/reports/${reportId}/close`, {
      version: await version(),
      reason: 'referred',
    });
    assert.equal(closed.statusCode, 204, closed.body);
    const purge = async (days: number) => {
      const [row] = await h.kernel.db.query<{ closed_at: Date }>(
        'select closed_at from reports where id = $1',
        [reportId],
      );
      const now = new Date(row!.closed_at.getTime() + days * 86_400_000);
      return withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        svc.purgeExpired(tx, h.a.id, now),
      );
    };
    const onDisk = await storedCount();
    assert.ok(onDisk >= 10);
    const hold = await officer.post(`/api/reports/${reportId}/legal-hold`, {
      version: await version(),
      hold: true,
    });
    assert.equal(hold.statusCode, 204, hold.body);
    assert.deepEqual(await purge(400), { purged: 0 });
    assert.equal(await fileCount(), 10);
    assert.equal(await storedCount(), onDisk, 'legal hold keeps the files');
    const lift = await officer.post(`/api/reports/${reportId}/legal-hold`, {
      version: await version(),
      hold: false,
    });
    assert.equal(lift.statusCode, 204);
    assert.deepEqual(await purge(400), { purged: 1 });
    assert.equal(await fileCount(), 0);
    assert.equal(await storedCount(), onDisk - 10, 'the ciphertext is gone from the file store');
  });
});
