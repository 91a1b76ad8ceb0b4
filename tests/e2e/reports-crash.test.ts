// Issue 4's crash test, run in CI: bench/reports-crash.ts kills a real server with SIGKILL
// during anonymous submissions, starts it again on the same data folder, and checks that every
// receipt handed out opens its report with the text sent. Its exit code is the verdict.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

describe('reports: no receipt lost to a SIGKILL', { timeout: 600_000 }, () => {
  it('every submission that got a receipt is there and decryptable after the crash and restart', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/reports-crash.ts'], {
      cwd: root,
      env: { ...process.env, BENCH_KILL_AFTER: '30', BENCH_CONCURRENCY: '6' },
      encoding: 'utf8',
      timeout: 540_000,
    });
    const out = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, out);
    assert.match(out, /killed with SIGKILL after (\d+) receipts/);
    const m = /(\d+)\/(\d+) receipts open their report after the crash/.exec(out);
    assert.ok(m, out);
    assert.equal(m[1], m[2]);
    assert.ok(Number(m[2]) >= 30, out);
  });
});
