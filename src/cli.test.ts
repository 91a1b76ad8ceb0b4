import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './platform/db/client.ts';

// The CLI as an operator runs it (`npx arusha …`), on an embedded data folder.
function arusha(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/arusha.mjs', ...args], {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('arusha CLI', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-cli-'));
  const backup = path.join(dataDir, '..', `${path.basename(dataDir)}-backup`);

  it('create-admin, audit verify, backup, tamper, detect, restore, verify again', async () => {
    let r = arusha(
      dataDir,
      'create-admin',
      '--email',
      'Root@Example.org',
      '--password',
      'a-long-enough-password',
    );
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Platform administrator root@example\.org/);

    r = arusha(dataDir, 'audit', 'verify');
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /Audit log intact: \d+ entries/);

    r = arusha(dataDir, 'backup', '--out', backup);
    assert.equal(r.code, 0, r.out);
    assert.ok(fs.existsSync(path.join(backup, 'database.tar.gz')));

    // Someone edits the audit log directly in the database.
    const db = await openDatabase({ dataDir });
    await db.query(`update audit_events set data = '{"forged": true}' where seq = 1`);
    await db.close();
    r = arusha(dataDir, 'audit', 'verify');
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /NOT intact/);
    assert.match(r.out, /edited/);

    r = arusha(dataDir, 'restore', backup);
    assert.equal(r.code, 1, 'refuses to overwrite without --force');
    r = arusha(dataDir, 'restore', backup, '--force');
    assert.equal(r.code, 0, r.out);
    r = arusha(dataDir, 'audit', 'verify');
    assert.equal(r.code, 0, r.out);

    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(backup, { recursive: true, force: true });
  });

  it('refuses demo data in production with a clear message', () => {
    const r = spawnSync(process.execPath, ['bin/arusha.mjs', 'seed-demo'], {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', DATA_DIR: os.tmpdir() },
      encoding: 'utf8',
    });
    assert.notEqual(r.status, 0);
    assert.match(`${r.stdout}${r.stderr}`, /SECRET_KEY|DEMO_DATA|refused/);
  });
});
