import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { MODULES } from '../../modules.ts';
import { AppError } from '../errors.ts';
import type { Module } from '../kernel.ts';
import { createHarness, type Client, type Harness } from '../testing/harness.ts';
import { makeZip, multipart, sampleFile } from '../testing/files.ts';
import { contentDisposition, download } from './download.ts';
import { html } from './route.ts';
import { checkFile, DOCUMENT_TYPES, sanitizeFilename, sniff } from './upload.ts';

// Uploads and downloads through the real HTTP app, with a test module holding one route of each.

const calls: string[] = [];
const probe: Module = {
  name: 'probe',
  routes(r) {
    r.post({
      url: '/api/probe/upload',
      access: 'authenticated',
      summary: 'test upload',
      upload: {
        maxBytes: 1024,
        types: ['pdf', 'png', 'jpeg', 'txt', 'csv', 'docx', 'xlsx', 'odt', 'doc', 'zip'],
        fields: z.object({ title: z.string().min(1).max(50), note: z.string().max(100).optional() }).strict(),
      },
      handler: async ({ file, fields }) => ({
        filename: file.filename,
        mediaType: file.mediaType,
        type: file.type,
        size: file.size,
        sha256: file.sha256,
        fields,
      }),
    });
    r.post({
      url: '/api/probe/upload-protected',
      access: 'identity.audit.read',
      summary: 'test upload with a permission',
      upload: { maxBytes: 1024, types: ['pdf'] },
      handler: async ({ file, tenantId }) => ({ size: file.size, tenantId }),
    });
    r.post({
      url: '/api/probe/json',
      access: 'authenticated',
      summary: 'json route',
      body: z.object({ a: z.string() }).strict(),
      handler: async ({ body }) => body,
    });
    r.get({
      url: '/api/probe/download',
      access: 'authenticated',
      summary: 'test download',
      handler: async () =>
        download({
          filename: 'تقرير النزاهة "2026"/final.pdf',
          mediaType: 'application/pdf',
          data: sampleFile('pdf'),
        }),
    });
    r.post({
      url: '/api/probe/form',
      access: 'authenticated',
      summary: 'test HTML form',
      form: {
        fields: z
          .object({ title: z.string().max(50), tag: z.union([z.string(), z.array(z.string())]).optional() })
          .strict(),
        files: { name: 'files', maxFiles: 2, maxBytes: 1024, types: ['txt', 'pdf'] },
      },
      errorPage: (err) => `<p>${err.status} ${err.code}</p>`,
      handler: async ({ form }) =>
        html(`<p>${JSON.stringify({ fields: form.fields, files: form.files.map((f) => f.filename) })}</p>`),
    });
    r.post({
      url: '/api/probe/form-report',
      access: 'authenticated',
      summary: 'test HTML form that reports refused files to its handler',
      form: {
        fields: z.object({ title: z.string().max(50) }).strict(),
        files: { name: 'files', maxFiles: 2, maxBytes: 16, types: ['txt'], report: true },
      },
      handler: async ({ form }) => ({
        title: form.fields.title,
        files: form.files.map((f) => f.filename),
        rejected: form.rejected.map((x) => [x.filename, x.error.code, x.reason]),
      }),
    });
    r.post({
      url: '/api/probe/before-transaction',
      access: 'authenticated',
      summary: 'test work before the transaction',
      body: z.object({ ok: z.boolean() }).strict(),
      beforeTransaction: async ({ body }) => {
        calls.push('before');
        if (!body.ok) throw new AppError('UNPROCESSABLE', 'refused before the transaction');
      },
      handler: async () => {
        calls.push('handler');
        return { ran: true };
      },
    });
    r.get({
      url: '/api/probe/download-stream',
      access: 'identity.audit.read',
      summary: 'test streamed download',
      handler: async () =>
        download({
          filename: 'Rapport été.csv',
          mediaType: 'text/csv; charset=utf-8',
          data: Readable.from(['a,b\n', '1,2\n']),
        }),
    });
  },
};

describe('uploads and downloads', () => {
  let h: Harness;
  let c: Client;
  before(async () => {
    h = await createHarness({ modules: [...MODULES, probe] });
    c = await h.as(h.a.users.org_admin.email);
  });
  after(() => h.close());

  const send = (client: Client, url: string, body: ReturnType<typeof multipart>) =>
    client.request({ method: 'POST', url, payload: body.payload, headers: body.headers });
  const up = (
    filename: string,
    data: Buffer | string,
    fields: Record<string, string> = { title: 'Evidence' },
  ) => send(c, '/api/probe/upload', multipart({ file: { filename, data }, fields }));

  it('accepts a good file: type from the bytes, sanitised name, size and SHA-256, validated fields', async () => {
    const pdf = sampleFile('pdf');
    const res = await up('Code of conduct.PDF', pdf, { title: 'Code', note: 'signed' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), {
      filename: 'Code of conduct.PDF',
      mediaType: 'application/pdf',
      type: 'pdf',
      size: pdf.length,
      sha256: createHash('sha256').update(pdf).digest('hex'),
      fields: { title: 'Code', note: 'signed' },
    });
    for (const [name, kind, type] of [
      ['minutes.txt', 'txt', 'txt'],
      ['scores.csv', 'csv', 'csv'],
      ['plan.docx', 'docx', 'docx'],
      ['register.xlsx', 'xlsx', 'xlsx'],
      ['note.odt', 'odt', 'odt'],
      ['old.doc', 'doc', 'doc'],
      ['photo.jpg', 'jpeg', 'jpeg'],
      ['bundle.zip', 'zip', 'zip'],
      ['report-as-zip.zip', 'docx', 'zip'],
    ] as const) {
      const r = await up(name, sampleFile(kind));
      assert.equal(r.statusCode, 200, `${name}: ${r.body}`);
      assert.equal(r.json().type, type, name);
    }
  });

  it('refuses a type the route does not accept, and a dangerous one, with 415', async () => {
    for (const [name, data] of [
      ['page.html', '<html><script>alert(1)</script></html>'],
      ['logo.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
      ['setup.exe', Buffer.from('MZ\x90\x00\x03')],
      ['noextension', sampleFile('pdf')],
      ['picture.gif', sampleFile('gif')],
    ] as const) {
      const r = await up(name, data);
      assert.equal(r.statusCode, 415, `${name}: ${r.body}`);
      assert.equal(r.json().code, 'UNSUPPORTED_MEDIA_TYPE');
      assert.match(r.json().detail, /not accepted here; accepted: \.pdf, \.png/);
    }
  });

  it('refuses content that does not match its extension with 415 and says what it is', async () => {
    const cases: [string, Buffer | string, RegExp][] = [
      ['report.pdf', sampleFile('png'), /named \.pdf but its content is a PNG file/],
      ['photo.png', sampleFile('pdf'), /content is a PDF file/],
      ['plan.docx', sampleFile('zip'), /named \.docx but its content is a ZIP file/],
      ['plan.docx', sampleFile('xlsx'), /content is a XLSX file/],
      ['data.csv', Buffer.from([0x41, 0x00, 0x42, 0xff]), /unrecognised binary/],
      ['notes.txt', Buffer.from([0xc3, 0x28, 0x41]), /unrecognised binary/],
      ['old.doc', makeZip([{ name: 'x', data: 'y' }]), /ZIP file/],
      ['fake.pdf', '<html>%PDF-1.4</html>', /content is a TXT file/],
    ];
    for (const [name, data, detail] of cases) {
      const r = await up(name, data);
      assert.equal(r.statusCode, 415, `${name}: ${r.body}`);
      assert.match(r.json().detail, detail, name);
    }
  });

  it('refuses a file larger than maxBytes with 413', async () => {
    const big = Buffer.concat([sampleFile('pdf'), Buffer.alloc(5000, 0x20)]);
    const r = await up('big.pdf', big);
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().code, 'PAYLOAD_TOO_LARGE');
    // Exactly the limit is accepted.
    const exact = Buffer.concat([sampleFile('pdf'), Buffer.alloc(1024 - sampleFile('pdf').length, 0x20)]);
    assert.equal((await up('exact.pdf', exact)).statusCode, 200);
  });

  it('refuses a missing file, two files, a file under another name, an empty file and bad fields with 400', async () => {
    const pdf = sampleFile('pdf');
    const noFile = await send(c, '/api/probe/upload', multipart({ fields: { title: 'x' } }));
    assert.equal(noFile.statusCode, 400, noFile.body);
    assert.match(noFile.json().detail, /exactly one file/);
    const two = await send(
      c,
      '/api/probe/upload',
      multipart({
        files: [
          { filename: 'a.pdf', data: pdf },
          { filename: 'b.pdf', data: pdf },
        ],
        fields: { title: 'x' },
      }),
    );
    assert.equal(two.statusCode, 400, two.body);
    const other = await send(
      c,
      '/api/probe/upload',
      multipart({ file: { name: 'attachment', filename: 'a.pdf', data: pdf }, fields: { title: 'x' } }),
    );
    assert.equal(other.statusCode, 400, other.body);
    assert.equal((await up('empty.pdf', Buffer.alloc(0))).statusCode, 400);
    const missingField = await up('a.pdf', pdf, {});
    assert.equal(missingField.statusCode, 400);
    assert.equal(missingField.json().code, 'VALIDATION_FAILED');
    assert.equal(missingField.json().errors[0].path, 'fields.title');
    const unknownField = await up('a.pdf', pdf, { title: 'x', admin: 'true' });
    assert.equal(unknownField.statusCode, 400);
    const nul = await up('a.pdf', pdf, { title: 'a\u0000b' });
    assert.equal(nul.statusCode, 400);
    const malformed = await c.request({
      method: 'POST',
      url: '/api/probe/upload',
      payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-',
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
    });
    assert.ok(malformed.statusCode >= 400 && malformed.statusCode < 500, `${malformed.statusCode}`);
  });

  it('refuses a non-multipart body on an upload route with 415, and multipart on a JSON route', async () => {
    const json = await c.post('/api/probe/upload', { title: 'x' });
    assert.equal(json.statusCode, 415);
    const raw = await c.request({
      method: 'POST',
      url: '/api/probe/upload',
      payload: sampleFile('pdf'),
      headers: { 'content-type': 'application/pdf' },
    });
    assert.equal(raw.statusCode, 415);
    const mp = await send(c, '/api/probe/json', multipart({ fields: { a: 'x' } }));
    assert.equal(mp.statusCode, 415);
    assert.equal((await c.post('/api/probe/json', { a: 'x' })).statusCode, 200);
  });

  it('checks access before reading anything: 401 anonymous, 403 without the permission', async () => {
    const body = multipart({ file: { filename: 'big.pdf', data: Buffer.alloc(10_000, 0x20) } });
    const anon = await send(h.anonymous(), '/api/probe/upload-protected', body);
    assert.equal(anon.statusCode, 401);
    const staff = await h.as(h.a.users.staff.email);
    const r = await send(staff, '/api/probe/upload-protected', body);
    assert.equal(r.statusCode, 403, r.body);
    const ok = await send(
      c,
      '/api/probe/upload-protected',
      multipart({ file: { filename: 'a.pdf', data: sampleFile('pdf') } }),
    );
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(ok.json().tenantId, h.a.id);
  });

  it('a form route reads an HTML form: repeated names as arrays, optional files, errors as its HTML page', async () => {
    const boundary = 'probeform';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n${filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n${value}\r\n`;
    const post = (...parts: string[]) =>
      c.request({
        method: 'POST',
        url: '/api/probe/form',
        payload: `${parts.join('')}--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    const ok = await post(part('title', 'A'), part('tag', 'x'), part('tag', 'y'), part('files', '', ''));
    assert.equal(ok.statusCode, 200, ok.body);
    assert.match(String(ok.headers['content-type']), /^text\/html; charset=utf-8/);
    assert.equal(
      ok.body,
      '<p>{"fields":{"title":"A","tag":["x","y"]},"files":[]}</p>',
      'an empty file input is ignored',
    );
    const withFiles = await post(
      part('title', 'A'),
      part('files', 'one', 'a.txt'),
      part('files', 'two', 'b.txt'),
    );
    assert.equal(withFiles.body, '<p>{"fields":{"title":"A"},"files":["a.txt","b.txt"]}</p>');
    const three = await post(part('title', 'A'), ...['a', 'b', 'c'].map((n) => part('files', n, `${n}.txt`)));
    assert.equal(three.statusCode, 400);
    assert.equal(three.body, '<p>400 BAD_REQUEST</p>');
    assert.equal(
      (await post(part('title', 'A'), part('files', 'MZ\u0000\u0001', 'x.exe'))).body,
      '<p>415 UNSUPPORTED_MEDIA_TYPE</p>',
    );
    assert.equal((await post(part('title', 'A'), part('other', 'x'))).body, '<p>400 VALIDATION_FAILED</p>');
    const json = await c.request({ method: 'POST', url: '/api/probe/form', payload: { title: 'A' } });
    assert.equal(json.statusCode, 415);
    assert.equal(
      json.body,
      '<p>415 UNSUPPORTED_MEDIA_TYPE</p>',
      'refused before the body is read, as a page',
    );
    const anonymous = await h
      .anonymous()
      .request({ method: 'POST', url: '/api/probe/form', payload: { title: 'A' } });
    assert.equal(anonymous.statusCode, 401);
  });

  it('a form with files.report lists refused files for its handler and still reads the rest; without it, 413', async () => {
    const boundary = 'probereport';
    const part = (name: string, value: string, filename?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${filename !== undefined ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;
    const post = (url: string, ...parts: string[]) =>
      c.request({
        method: 'POST',
        url,
        payload: `${parts.join('')}--${boundary}--\r\n`,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
    const big = 'more than sixteen bytes of text';
    const first = await post(
      '/api/probe/form-report',
      part('files', big, 'big.txt'),
      part('files', 'fine', 'b.txt'),
      part('files', 'one too many', 'c.txt'),
      part('title', 'After the files'),
    );
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual(first.json(), {
      title: 'After the files',
      files: ['b.txt'],
      rejected: [
        ['big.txt', 'PAYLOAD_TOO_LARGE', 'too_large'],
        ['c.txt', 'BAD_REQUEST', 'too_many'],
      ],
    });
    const second = await post(
      '/api/probe/form-report',
      part('title', 'A'),
      part('files', '', 'empty.txt'),
      part('files', 'MZ\u0000\u0001', 'x.exe'),
    );
    assert.deepEqual(second.json().rejected, [
      ['empty.txt', 'BAD_REQUEST', 'empty'],
      ['x.exe', 'UNSUPPORTED_MEDIA_TYPE', 'type'],
    ]);
    // A form that does not ask for the report still refuses the whole post.
    const whole = await post('/api/probe/form', part('title', 'A'), part('files', 'x'.repeat(2048), 'a.txt'));
    assert.equal(whole.statusCode, 413);
    assert.equal(whole.body, '<p>413 PAYLOAD_TOO_LARGE</p>');
  });

  it('beforeTransaction runs after validation and before the handler, and its error stops the handler', async () => {
    calls.length = 0;
    const bad = await c.post('/api/probe/before-transaction', { ok: 'yes' });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(calls, [], 'not called for an invalid body');
    const refused = await c.post('/api/probe/before-transaction', { ok: false });
    assert.equal(refused.statusCode, 422, refused.body);
    assert.deepEqual(calls, ['before']);
    calls.length = 0;
    const ok = await c.post('/api/probe/before-transaction', { ok: true });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(calls, ['before', 'handler']);
  });

  it('sanitises hostile file names', async () => {
    const pdf = sampleFile('pdf');
    const cases: [string, string][] = [
      ['../../etc/passwd.pdf', 'passwd.pdf'],
      ['..\\..\\Windows\\system32\\evil.pdf', 'evil.pdf'],
      ['C:\\Users\\me\\Desktop\\report.pdf', 'report.pdf'],
      ['.hidden.pdf', 'hidden.pdf'],
      ['tab\there\u0007bell.pdf', 'tab herebell.pdf'],
      ['invoice\u202efdp.exe.pdf', 'invoicefdp.exe.pdf'],
      ['a<b>c:d|e?f*gh.pdf', 'abcdefgh.pdf'],
      ['تقرير النزاهة.pdf', 'تقرير النزاهة.pdf'],
      ['Déclaration d’intégrité.pdf', 'Déclaration d’intégrité.pdf'],
    ];
    for (const [raw, clean] of cases) {
      const r = await up(raw, pdf);
      assert.equal(r.statusCode, 200, `${raw}: ${r.body}`);
      assert.equal(r.json().filename, clean, raw);
    }
    const long = await up(`${'a'.repeat(300)}.pdf`, pdf);
    assert.equal(long.json().filename, `${'a'.repeat(196)}.pdf`);
    // Unit level: names that cannot come through a multipart header.
    assert.equal(sanitizeFilename('line\r\nbreak.pdf'), 'line break.pdf');
    assert.equal(sanitizeFilename('a"b.pdf'), 'ab.pdf');
    assert.equal(sanitizeFilename('...'), 'file');
    assert.equal(sanitizeFilename('/'), 'file');
    assert.equal(Array.from(sanitizeFilename('😀'.repeat(250))).length, 200);
  });

  it('sniffs office archives and legacy files by content', () => {
    assert.equal(sniff(sampleFile('docx')), 'docx');
    assert.equal(sniff(sampleFile('xlsx')), 'xlsx');
    assert.equal(sniff(sampleFile('odt')), 'odt');
    assert.equal(sniff(sampleFile('zip')), 'zip');
    assert.equal(sniff(sampleFile('doc')), 'ole');
    assert.equal(checkFile('sheet.xls', sampleFile('doc'), ['xls']), 'xls');
    assert.throws(() => checkFile('x.pdf', Buffer.from('PK\u0003\u0004broken'), ['pdf']), /415|content/);
  });

  it('recognises Parquet by its magic number at both ends, and keeps it out of document uploads', () => {
    const parquet = Buffer.concat([
      Buffer.from('PAR1'),
      Buffer.from([0, 1, 2, 3, 4, 5]),
      Buffer.from('PAR1'),
    ]);
    assert.equal(sniff(parquet), 'parquet');
    assert.equal(checkFile('extract.parquet', parquet, ['csv', 'parquet']), 'parquet');
    // Cut short (no footer): not a Parquet file.
    assert.throws(() => checkFile('extract.parquet', parquet.subarray(0, 8), ['parquet']), /content/);
    assert.throws(() => checkFile('extract.parquet', Buffer.from('a,b\n1,2\n'), ['parquet']), /content/);
    assert.equal(DOCUMENT_TYPES.includes('parquet'), false);
  });

  it('sends a download as an attachment with an RFC 6266 name that keeps Arabic', async () => {
    const r = await c.get('/api/probe/download');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'application/pdf');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-store');
    const cd = String(r.headers['content-disposition']);
    assert.match(cd, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const star = /filename\*=UTF-8''(.+)$/.exec(cd)![1]!;
    assert.equal(decodeURIComponent(star), 'final.pdf');
    assert.ok(r.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
    assert.equal(
      contentDisposition('تقرير "النزاهة" 2026.pdf'),
      `attachment; filename="_____ _______ 2026.pdf"; filename*=UTF-8''${encodeURIComponent('تقرير النزاهة 2026.pdf')}`,
    );
    assert.equal(
      contentDisposition("Rapport d'été (v2).csv"),
      `attachment; filename="Rapport d'ete (v2).csv"; filename*=UTF-8''Rapport%20d%27%C3%A9t%C3%A9%20%28v2%29.csv`,
    );
    assert.doesNotMatch(contentDisposition('a\r\nSet-Cookie: x=1.pdf'), /[\r\n]/);
    assert.throws(() => download({ filename: 'x', mediaType: 'text/html\r\nX: y', data: Buffer.alloc(0) }));
  });

  it('streams a download from a Readable, behind its permission', async () => {
    const r = await c.get('/api/probe/download-stream');
    assert.equal(r.statusCode, 200);
    assert.equal(r.body, 'a,b\n1,2\n');
    assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(
      String(r.headers['content-disposition']),
      /filename="Rapport ete.csv"; filename\*=UTF-8''Rapport%20%C3%A9t%C3%A9.csv/,
    );
    const staff = await h.as(h.a.users.staff.email);
    assert.equal((await staff.get('/api/probe/download-stream')).statusCode, 403);
  });
});
