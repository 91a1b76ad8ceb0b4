import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { acquireLock, DataDirLockedError } from './lock.ts';

describe('embedded data folder lock', () => {
  it('a second lock on the same folder is refused, and released on release()', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-lock-'));
    const release = acquireLock(dir);
    assert.throws(() => acquireLock(dir), DataDirLockedError);
    release();
    const again = acquireLock(dir);
    again();
    fs.rmSync(dir, { recursive: true });
  });

  it('a lock left by a dead process is taken over', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-lock-'));
    fs.writeFileSync(path.join(dir, 'arusha.lock'), '999999999\n');
    const release = acquireLock(dir);
    assert.equal(fs.readFileSync(path.join(dir, 'arusha.lock'), 'utf8').trim(), String(process.pid));
    release();
    fs.rmSync(dir, { recursive: true });
  });

  it('a second `arusha` server on the same folder refuses to start with a clear message', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-lock-'));
    // Simulate a running instance: this (live) test process holds the lock.
    const release = acquireLock(dir);
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { ...process.env, DATA_DIR: dir, PORT: '0', DATABASE_URL: '', LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    release();
    assert.equal(code, 75);
    assert.match(err, /in use by another Arusha process/);
    fs.rmSync(dir, { recursive: true });
  });
});
