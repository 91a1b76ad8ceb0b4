import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createHarness, TEST_PASSWORD, type Harness } from './testing/harness.ts';
import { MODULES } from '../modules.ts';
import type { Module } from './kernel.ts';

const CANARY_IP = '203.0.113.77';
const CANARY_UA = 'CanaryBrowser/9.9 (reporter-device-fingerprint)';

// A route marked anonymous, as the reporting channel's will be.
const probe: Module = {
  name: 'probe',
  routes: (r) => {
    r.post({
      url: '/api/probe/anonymous',
      access: 'public',
      anonymous: true,
      summary: 'anonymous probe',
      body: z.object({ text: z.string() }).strict(),
      status: 204,
      handler: async () => {},
    });
    r.post({
      url: '/api/probe/normal',
      access: 'public',
      summary: 'normal probe',
      body: z.object({ text: z.string() }).strict(),
      status: 204,
      handler: async () => {},
    });
  },
};

describe('request logs', () => {
  let h: Harness;
  const lines: string[] = [];
  before(async () => {
    h = await createHarness({
      modules: [...MODULES, probe],
      env: { TRUST_PROXY: 'true' },
      logSink: (l) => lines.push(l),
    });
  });
  after(() => h.close());

  const send = (url: string) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { 'x-forwarded-for': CANARY_IP, 'user-agent': CANARY_UA, 'content-type': 'application/json' },
      payload: { text: 'body-canary-text' },
    });

  it('routes marked anonymous leave no request line: no IP address, user agent or timestamp', async () => {
    lines.length = 0;
    assert.equal((await send('/api/probe/anonymous')).statusCode, 204);
    const log = lines.join('\n');
    assert.doesNotMatch(log, /probe\/anonymous/, 'a timestamped line would date the request');
    assert.doesNotMatch(log, new RegExp(CANARY_IP.replaceAll('.', '\\.')));
    assert.doesNotMatch(log, /CanaryBrowser/);
  });

  it('other routes log the client address (the canary proves the check above can fail)', async () => {
    lines.length = 0;
    await send('/api/probe/normal');
    assert.match(lines.join('\n'), new RegExp(CANARY_IP.replaceAll('.', '\\.')));
  });

  it('bodies, passwords and session cookies never reach the log', async () => {
    lines.length = 0;
    const c = await h.as(h.a.users.staff.email);
    await c.get('/api/me');
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-requested-with': 'arusha' },
      payload: { email: h.a.users.staff.email, password: 'wrong-password-canary' },
    });
    await send('/api/probe/normal');
    const log = lines.join('\n');
    assert.ok(lines.length >= 3);
    assert.doesNotMatch(log, /body-canary-text/);
    assert.doesNotMatch(log, /wrong-password-canary/);
    assert.doesNotMatch(log, new RegExp(TEST_PASSWORD));
    assert.doesNotMatch(log, new RegExp(c.cookie!));
  });
});
