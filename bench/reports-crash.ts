/**
 * npm run bench:reports-crash — the crash test of issue 4: a real server (node src/server.ts,
 * embedded database in a fresh data folder, demo data) takes anonymous submissions from
 * BENCH_CONCURRENCY clients; once BENCH_KILL_AFTER receipts are out it is killed with SIGKILL
 * while requests are still in flight. It is started again on the same folder (the stale lock
 * file must not stop it), and every receipt that reached a reporter must open its report with
 * the text that was sent (present and decryptable). Exit 1 on any loss. Prints how many were in
 * flight at the kill and how long the restart took.
 *
 * The submissions stay under the channel's default rate limit (100 an hour), which the running
 * server enforces: BENCH_KILL_AFTER defaults to 40 and at most 90 are sent.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEMO_PASSWORD } from '../src/modules/identity/identity.seed.ts';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const KILL_AFTER = Number(process.env.BENCH_KILL_AFTER ?? 40);
const MAX = 90;
const ROOT = path.resolve(import.meta.dirname, '..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-crash-'));

function start(): Promise<{ child: ChildProcess; url: string; ms: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      NODE_ENV: 'development',
      DEMO_DATA: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Arusha is running on (http:\/\/\S+)/.exec(output);
      if (m) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        child.stderr!.removeAllListeners('data');
        child.stderr!.resume();
        resolve({ child, url: m[1]!.replace('//localhost:', '//127.0.0.1:'), ms: performance.now() - t0 });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the server exited (${code}) before it was ready:\n${output}`)),
    );
  });
}

/** The demo organisation that has the default channel "report". */
async function organisation(url: string): Promise<string> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'arusha' },
    body: JSON.stringify({ email: 'integrity@norland.demo', password: DEMO_PASSWORD }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0];
  if (!login.ok || !cookie) throw new Error(`demo login failed: ${login.status} ${await login.text()}`);
  const me = await (await fetch(`${url}/api/me`, { headers: { cookie } })).json();
  return me.activeOrganisation.id;
}

let server = await start();
console.log(`server up in ${(server.ms / 1000).toFixed(1)} s (data folder ${dataDir})`);
const org = await organisation(server.url);
const sent = new Map<string, string>(); // receipt → text
let next = 0;
let inFlight = 0;
let inFlightAtKill = -1;
let killed = false;
const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));

async function client() {
  while (!killed && next < MAX) {
    const text = `crash test report #${next++} ${Math.random().toString(36).slice(2)}`;
    inFlight++;
    try {
      const res = await fetch(`${server.url}/api/public/reports/${org}/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ language: 'en', answers: { what: text, procedure: 'transit' } }),
      });
      if (res.status === 201) {
        sent.set((await res.json()).receipt, text);
        if (sent.size >= KILL_AFTER && !killed) {
          killed = true;
          inFlightAtKill = inFlight - 1;
          server.child.kill('SIGKILL');
        }
      } else if (!killed) throw new Error(`submission answered ${res.status}: ${await res.text()}`);
    } catch (e) {
      if (!killed) throw e; // after the kill, refused connections are expected
    } finally {
      inFlight--;
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, client));
await exited;
console.log(`killed with SIGKILL after ${sent.size} receipts, ${inFlightAtKill} requests in flight`);

server = await start();
console.log(`restarted on the same data folder in ${(server.ms / 1000).toFixed(1)} s`);
let lost = 0;
for (const [receipt, text] of sent) {
  const res = await fetch(`${server.url}/api/public/reports/${org}/follow-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ receipt }),
  });
  const body = res.status === 200 ? JSON.stringify(await res.json()) : await res.text();
  if (res.status !== 200 || !body.includes(text)) {
    lost++;
    console.error(`LOST: receipt ${receipt.slice(0, 4)}… answered ${res.status}`);
  }
}
server.child.kill('SIGTERM');
await new Promise((r) => server.child.once('exit', r));
fs.rmSync(dataDir, { recursive: true, force: true });
console.log(`${sent.size - lost}/${sent.size} receipts open their report after the crash`);
process.exit(lost === 0 && sent.size >= KILL_AFTER ? 0 : 1);
