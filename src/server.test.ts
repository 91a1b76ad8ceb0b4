import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from './platform/config.ts';
import { freshServerDatabase } from './platform/testing/harness.ts';
import { DEMO_PASSWORD } from './modules/identity/index.ts';

// What a newcomer does after `npm install && npm start`: the real server process on a
// random port, demo data, sign in as a demo user, read the RAD factors.
describe('the server, started as `npm start` starts it', () => {
  let child: ChildProcess;
  let base = '';
  let dataDir = '';
  let drop = async () => {};
  let output = '';
  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-smoke-'));
    const env: Record<string, string | undefined> = {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: '0',
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DEMO_DATA: 'true',
    };
    const serverUrl = loadConfig().DATABASE_URL;
    if (serverUrl) {
      const fresh = await freshServerDatabase(serverUrl);
      env.DATABASE_URL = fresh.url;
      drop = fresh.drop;
    } else env.DATABASE_URL = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    base = await new Promise<string>((resolve, reject) => {
      // A hang guard, not a timing target: the first start migrates and seeds every module's demo
      // data, which took over 90 s on this 2-core machine at a load average of 15.
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 300_000);
      const onData = (d: Buffer) => {
        output += d.toString();
        const m = /running on (http:\/\/localhost:\d+)/.exec(output);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    });
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the demo logins', () => {
    assert.match(output, /Demo logins/);
    assert.match(output, /integrity@norland\.demo/);
  });

  it('a demo user signs in and reads the ten RAD factors', async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'arusha' },
      body: JSON.stringify({ email: 'integrity@norland.demo', password: DEMO_PASSWORD }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const res = await fetch(`${base}/api/standards/factors`, { headers: { cookie } });
    assert.equal(res.status, 200);
    const { items } = (await res.json()) as { items: { number: number; name: string }[] };
    assert.deepEqual(
      items.map((f) => f.number),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    assert.equal(items[7]!.name, 'Human Resource Management');
  });

  it('serves the web application at /', async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /<html/i);
  });

  it('stops cleanly on SIGTERM', async () => {
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    if (!process.env.DATABASE_URL)
      assert.equal(fs.existsSync(path.join(dataDir, 'arusha.lock')), false, 'the lock is released');
  });
});
