import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createHarness, type Harness } from '../testing/harness.ts';

// The built UI's assets are sent pre-compressed when the browser accepts it (the build writes
// .br and .gz copies, vite.config.ts): a first visit on a slow connection loads the shell at a
// fraction of its size, with no compression work per request.
describe('built UI assets', () => {
  let h: Harness;
  let dir = '';
  const js = Buffer.from(`export const lesson = ${JSON.stringify('Integrity in Customs. '.repeat(400))};\n`);
  const br = zlib.brotliCompressSync(js);
  const gz = zlib.gzipSync(js);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-web-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Arusha</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js'), js);
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js.br'), br);
    fs.writeFileSync(path.join(dir, 'assets', 'app-abc123.js.gz'), gz);
    h = await createHarness({ env: { WEB_DIST: dir } });
  });
  after(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (encoding?: string) =>
    h.app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: encoding ? { 'accept-encoding': encoding } : {},
    });

  it('sends the brotli copy to a browser that accepts it, cached for good', async () => {
    const res = await get('gzip, deflate, br');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.match(String(res.headers['content-type']), /javascript/);
    assert.match(String(res.headers.vary), /accept-encoding/i);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.deepEqual(res.rawPayload, br);
    assert.ok(br.length < js.length / 4, `${br.length} of ${js.length} bytes`);
  });

  it('sends gzip when brotli is not accepted, and the plain file otherwise', async () => {
    const zipped = await get('gzip');
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.deepEqual(zipped.rawPayload, gz);
    const plain = await get();
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.deepEqual(plain.rawPayload, js);
  });
});
