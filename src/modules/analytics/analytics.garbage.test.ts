import assert from 'node:assert/strict';
import { randomFillSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { UPLOAD_MAX_BYTES } from './analytics.routes.ts';
import { hashFile } from './analytics.import.ts';
import { AnalyticsService, engineOf } from './analytics.service.ts';
import { CANONICAL_COLUMNS } from './analytics.vocab.ts';

// Issue 5, "must show": 1 GB of garbage → a clear answer, nothing half-imported, the server stays
// up — without the test holding 1 GB: the bytes are generated on the fly, chunk by chunk.

const MiB = 1 << 20;
const GiB = 1 << 30;

/** `total` pseudo-random bytes, 1 MiB at a time (a fresh buffer each: a pushed chunk may be kept). */
function* garbage(total: number): Generator<Buffer> {
  for (let left = total; left > 0; left -= MiB) {
    const b = Buffer.allocUnsafe(Math.min(MiB, left));
    randomFillSync(b);
    yield b;
  }
}

/** Every file under `dir`, relative to it (none when it does not exist). */
const filesUnder = (dir: string): string[] =>
  fs.existsSync(dir)
    ? (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
        .filter((d) => d.isFile())
        .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
        .sort()
    : [];

describe('analytics: 1 GB of garbage', () => {
  let h: Harness;
  let analyst: Client;
  let datasetId: string;
  before(async () => {
    h = await createHarness();
    analyst = await h.as(h.a.users.analyst.email);
    const d = await analyst.post('/api/analytics/datasets', { name: 'Garbage', description: '' });
    assert.equal(d.statusCode, 201, d.body);
    datasetId = d.json().id;
  });
  after(async () => {
    await engineOf(h.kernel).close();
    await h.close();
  });
  describe('through the HTTP API: more than the upload limit, streamed', () => {
    /**
     * A multipart body (the dataset field, then a file part of `size` random bytes), as a stream;
     * `sent()` says how many bytes the server has pulled from it so far.
     */
    function streamedUpload(size: number, fields: Record<string, string>) {
      const boundary = `----arusha${Date.now()}`;
      const head = Buffer.from(
        [
          ...Object.entries(fields).map(
            ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
          ),
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="garbage.csv"\r\n`,
          'Content-Type: text/csv\r\n\r\n',
        ].join(''),
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      let pulled = 0;
      const body = Readable.from(
        (function* () {
          for (const b of [head, ...garbage(size), tail]) {
            pulled += b.length;
            yield b;
          }
        })(),
        { objectMode: false },
      );
      return {
        payload: body,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        sent: () => pulled,
      };
    }

    it('the import and the wizard upload answer 413 problem+json to a stream over 256 MB; nothing is stored; the server answers next', async () => {
      const dataDir = engineOf(h.kernel).opts.root;
      const filesBefore = filesUnder(dataDir);
      const size = UPLOAD_MAX_BYTES + 16 * MiB;
      for (const [url, fields] of [
        ['/api/analytics/imports', { datasetId, mode: 'import-valid' }],
        ['/api/analytics/uploads', { datasetId }],
      ] as const) {
        const up = streamedUpload(size, fields);
        const res = await analyst.request({ method: 'POST', url, payload: up.payload, headers: up.headers });
        assert.equal(res.statusCode, 413, `${url}: ${res.body.slice(0, 300)}`);
        assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
        assert.equal(res.json().status, 413);
        assert.ok(up.sent() > UPLOAD_MAX_BYTES, `${url}: more than the limit was sent (${up.sent()} bytes)`);
        // The server answers the next request at once.
        const next = await analyst.get(`/api/analytics/datasets/${datasetId}`);
        assert.equal(next.statusCode, 200, next.body);
      }
      const versions = await h.kernel.db.query<{ n: number }>(
        'select count(*)::int as n from analytics_dataset_versions where tenant_id = $1',
        [h.a.id],
      );
      assert.equal(versions[0]?.n, 0, 'no dataset version');
      assert.deepEqual(filesUnder(dataDir), filesBefore, 'no file staged or stored');
    });
  });

  describe('through the service import path (`arusha analytics import FILE`): a 1 GiB file of garbage, read in place', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-analytics-garbage-'));
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    for (const [name, header] of [
      ['random bytes', ''],
      ['the canonical header, then random bytes', `${CANONICAL_COLUMNS.join(',')}\n`],
    ] as const)
      it(`${name}, 1 GiB streamed to disk: a validation report naming the problem, nothing imported, RSS growth under 1 GiB`, async (t) => {
        const file = path.join(dir, 'garbage.csv');
        await pipeline(
          Readable.from(
            (function* () {
              if (header) yield Buffer.from(header);
              yield* garbage(GiB);
            })(),
          ),
          fs.createWriteStream(file),
        );
        try {
          assert.ok(fs.statSync(file).size >= GiB);
          // What the CLI does (src/cli.ts, `analytics import`): hash in place, a pending version,
          // the import reading the file where it is.
          const rssBefore = process.memoryUsage().rss;
          let peak = rssBefore;
          const sampler = setInterval(() => {
            peak = Math.max(peak, process.memoryUsage().rss);
          }, 20);
          const svc = new AnalyticsService(h.kernel);
          let v: Awaited<ReturnType<AnalyticsService['executeImport']>>;
          try {
            const contentHash = await hashFile(file);
            const pending = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
              svc.createVersion(tx, h.a.id, null, {
                datasetId,
                sourceName: 'garbage.csv',
                contentHash,
                sizeBytes: fs.statSync(file).size,
                mode: 'import-valid',
              }),
            );
            v = await svc.executeImport(h.a.id, pending.id, { file });
          } finally {
            clearInterval(sampler);
          }
          peak = Math.max(peak, process.memoryUsage().rss);
          assert.equal(v.status, 'rejected', JSON.stringify(v.report));
          assert.equal(v.validRows, 0);
          const report = v.report as { fileErrors: { reason: string; detail: string }[] };
          assert.equal(report.fileErrors.length, 1, JSON.stringify(report));
          assert.match(report.fileErrors[0]?.reason ?? '', /^(unreadable|missing_column)$/);
          assert.ok((report.fileErrors[0]?.detail ?? '').length > 0, 'the report says why');
          const grown = peak - rssBefore;
          t.diagnostic(
            `${report.fileErrors[0]?.reason}: ${report.fileErrors[0]?.detail}; peak RSS growth ${Math.round(grown / MiB)} MiB`,
          );
          assert.ok(grown < GiB, `RSS grew by ${Math.round(grown / MiB)} MiB`);
          const engine = engineOf(h.kernel);
          assert.equal(fs.existsSync(engine.parquetPath(h.a.id, v.id)), false, 'no version file');
          assert.deepEqual(
            filesUnder(engine.opts.root).filter((f) => /\.(parquet|tmp)$|rejects\.csv$/.test(f)),
            [],
            'nothing half-written',
          );
        } finally {
          fs.rmSync(file, { force: true });
        }
      });
  });
});
