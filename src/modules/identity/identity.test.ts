import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Secret, TOTP } from 'otpauth';
import { AuthService } from './identity.auth.ts';
import { BUILT_IN_ROLES, type RoleId } from '../../platform/access/permissions.ts';
import { createHarness, type Harness, TEST_PASSWORD } from '../../platform/testing/harness.ts';
import { throttleDelayMs } from './identity.auth.ts';
import { hashPassword, sha256 } from './identity.crypto.ts';
import { IdentityService } from './index.ts';

// Identity through the real HTTP app: sign-in, sessions, second factor, password reset,
// invitations, API tokens, members, organisation units, tenant isolation, permissions.

type Json = Record<string, unknown>;
type Problem = {
  status: number;
  code: string;
  title: string;
  detail: string;
  errors?: { path: string; message: string }[];
};
type Me = {
  user: { id: string; email: string; totpEnabled: boolean };
  organisations: { id: string; roles: string[] }[];
  activeOrganisation: { id: string; roles: string[] } | null;
  permissions: string[];
};
type Member = { id: string; userId: string; email: string; roles: string[]; version: number };

interface Session {
  cookie: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

const STRONG = 'a brand new passphrase 42';

let h: Harness;
let svc: IdentityService;
let passwordHash: string;

// The public auth routes are rate-limited per client address (20 a minute for sign-in,
// 5 for reset requests). This file signs in far more often than that, so each call comes
// from its own address; the limits themselves are not under test here.
let ipCounter = 0;
const nextIp = () => {
  ipCounter++;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};

const json = <T = Json>(res: LightMyRequestResponse) => res.json() as T;

function assertProblem(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, `expected ${status} ${code}, got ${res.statusCode} ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = json<Problem>(res);
  assert.equal(p.status, status);
  assert.equal(p.code, code);
  return p;
}

function session(cookie: string): Session {
  const request = (opts: InjectOptions) =>
    h.app.inject({
      ...opts,
      headers: { 'x-requested-with': 'arusha', cookie: `arusha_session=${cookie}`, ...(opts.headers ?? {}) },
    });
  return {
    cookie,
    request,
    get: (url) => request({ method: 'GET', url }),
    // Like the web UI's api.post, a POST without arguments sends an empty JSON object.
    post: (url, body = {}) => request({ method: 'POST', url, payload: body as object }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as object }),
    // An empty JSON object; a DELETE without any body is tested on its own below.
    delete: (url) => request({ method: 'DELETE', url, payload: {} }),
  };
}

/** An unauthenticated call from a fresh address (public routes). */
const publicPost = (url: string, payload: object, cookie?: string) =>
  h.app.inject({
    method: 'POST',
    url,
    payload,
    remoteAddress: nextIp(),
    headers: { 'x-requested-with': 'arusha', ...(cookie ? { cookie: `arusha_session=${cookie}` } : {}) },
  });

const login = (email: string, password = TEST_PASSWORD) => publicPost('/api/auth/login', { email, password });

const cookieOf = (res: LightMyRequestResponse) => {
  const c = res.cookies.find((x) => x.name === 'arusha_session');
  assert.ok(c, 'the response sets the session cookie');
  return c.value;
};

async function signIn(email: string, password = TEST_PASSWORD): Promise<Session> {
  const res = await login(email, password);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(json(res), { status: 'ok' });
  return session(cookieOf(res));
}

let userCounter = 0;
/** A dedicated user for a test that changes state, so tests do not interfere. */
async function newUser(tag: string, roles: RoleId[] = ['staff'], tenantId = h.a.id) {
  const email = `${tag}-${++userCounter}@identity.test`;
  const u = await svc.ensureUser({ email, name: `${tag} ${userCounter}`, passwordHash });
  await svc.addMembership(tenantId, u.id, roles);
  return { id: u.id, email };
}

async function outboxMail(to: string) {
  const res = await h.anonymous().get('/api/dev/outbox');
  assert.equal(res.statusCode, 200);
  return json<{ items: { to: string; subject: string; body: string }[] }>(res).items.filter(
    (m) => m.to === to,
  );
}

const mailCount = async () =>
  (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from mail_outbox'))[0]!.n;

async function membershipRow(tenantId: string, userId: string) {
  const [row] = await h.kernel.db.query<{ id: string; roles: string[]; version: number }>(
    'select id, roles, version from memberships where tenant_id = $1 and user_id = $2',
    [tenantId, userId],
  );
  assert.ok(row, 'membership exists');
  return row;
}

before(async () => {
  // The API must not depend on whether the web interface happens to be built.
  h = await createHarness({ env: { WEB_DIST: path.join(os.tmpdir(), 'arusha-no-web-build') } });
  svc = new IdentityService(h.kernel);
  passwordHash = await hashPassword(TEST_PASSWORD);
});
after(() => h.close());

describe('sign-in', () => {
  it('accepts the right password and sets an HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await login(h.a.users.staff.email);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(json(res), { status: 'ok' });
    const c = res.cookies.find((x) => x.name === 'arusha_session');
    assert.ok(c);
    assert.equal(c.httpOnly, true);
    assert.equal(c.sameSite, 'Strict');
    assert.equal(c.path, '/');
    assert.ok(c.value.length >= 40, 'a long random token');
    const raw = [res.headers['set-cookie']].flat().join('\n');
    assert.match(raw, /arusha_session=[^;]+;.*HttpOnly/i);
    assert.match(raw, /SameSite=Strict/i);
    const me = await session(c.value).get('/api/me');
    assert.equal(me.statusCode, 200);
    assert.equal(json<Me>(me).user.email, h.a.users.staff.email);
  });

  it('treats the e-mail case-insensitively', async () => {
    const res = await login(h.a.users.analyst.email.toUpperCase());
    assert.equal(res.statusCode, 200, res.body);
  });

  it('refuses a wrong password and an unknown e-mail with the same 401 problem', async () => {
    const u = await newUser('wrongpw');
    const wrong = await login(u.email, 'not the password at all');
    const p1 = assertProblem(wrong, 401, 'INVALID_CREDENTIALS');
    assert.equal(wrong.cookies.length, 0, 'no cookie on failure');
    const unknown = await login('nobody-here@a.test', 'not the password at all');
    const p2 = assertProblem(unknown, 401, 'INVALID_CREDENTIALS');
    assert.equal(p2.detail, p1.detail, 'the answer does not reveal which e-mails exist');
    assert.equal(p2.title, p1.title);
  });

  it('answers GET /api/me without a cookie, or with a made-up one, with 401 UNAUTHENTICATED', async () => {
    assertProblem(await h.anonymous().get('/api/me'), 401, 'UNAUTHENTICATED');
    assertProblem(await session('made-up-session-token').get('/api/me'), 401, 'UNAUTHENTICATED');
  });

  it('throttleDelayMs: none below 3 failures, then doubling from 500 ms, capped at 42 s', () => {
    assert.equal(throttleDelayMs(0), 0);
    assert.equal(throttleDelayMs(1), 0);
    assert.equal(throttleDelayMs(2), 0);
    assert.equal(throttleDelayMs(3), 500);
    assert.equal(throttleDelayMs(4), 1000);
    assert.equal(throttleDelayMs(5), 2000);
    assert.equal(throttleDelayMs(8), 16_000);
    assert.equal(throttleDelayMs(9), 32_000);
    assert.equal(throttleDelayMs(10), 42_000);
    assert.equal(throttleDelayMs(1000), 42_000);
    for (let n = 1; n < 60; n++)
      assert.ok(throttleDelayMs(n) >= throttleDelayMs(n - 1), `non-decreasing at ${n}`);
  });

  it('counts failures per account, delays the next attempt after 3, and clears on success', async () => {
    const u = await newUser('throttle');
    const key = `login:${sha256(u.email)}`;
    for (let i = 0; i < 3; i++)
      assertProblem(await login(u.email, 'wrong password'), 401, 'INVALID_CREDENTIALS');
    const [row] = await h.kernel.db.query<{ failures: number }>(
      'select failures from login_throttle where key = $1',
      [key],
    );
    assert.equal(row?.failures, 3);
    const t0 = Date.now();
    const ok = await login(u.email);
    const elapsed = Date.now() - t0;
    assert.equal(ok.statusCode, 200);
    assert.ok(elapsed >= 450, `the fourth attempt waited ${elapsed} ms (expected ≥ 500)`);
    const rows = await h.kernel.db.query('select failures from login_throttle where key = $1', [key]);
    assert.equal(rows.length, 0, 'a successful sign-in clears the counter');
  });
});

describe('CSRF', () => {
  it('refuses a state-changing cookie request without X-Requested-With: arusha', async () => {
    const s = await signIn((await newUser('csrf')).email);
    for (const headers of [{}, { 'x-requested-with': 'XMLHttpRequest' }]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie: `arusha_session=${s.cookie}`, ...headers },
      });
      assertProblem(res, 403, 'FORBIDDEN');
    }
    // The refused logout did not happen.
    assert.equal((await s.get('/api/me')).statusCode, 200);
    // A GET needs no header.
    const get = await h.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: `arusha_session=${s.cookie}` },
    });
    assert.equal(get.statusCode, 200);
  });
});

describe('/api/me and switching organisation', () => {
  it("returns the permissions of the active organisation's roles", async () => {
    for (const role of ['org_admin', 'staff', 'integrity_officer'] as const) {
      const s = await signIn(h.a.users[role].email);
      const me = json<Me>(await s.get('/api/me'));
      assert.equal(me.activeOrganisation?.id, h.a.id);
      assert.deepEqual(me.activeOrganisation?.roles, [role]);
      assert.deepEqual(me.permissions, [...h.kernel.permissions.permissionsOf([role])].sort());
    }
  });

  it('refuses to switch to an organisation the user is not a member of (404)', async () => {
    const s = await signIn(h.a.users.org_admin.email);
    assertProblem(await s.post('/api/me/organisation', { organisationId: h.b.id }), 404, 'NOT_FOUND');
    assertProblem(await s.post('/api/me/organisation', { organisationId: randomUUID() }), 404, 'NOT_FOUND');
    const me = json<Me>(await s.get('/api/me'));
    assert.equal(me.activeOrganisation?.id, h.a.id, 'still in A');
    // A's members are still what this session sees.
    assert.equal((await s.get('/api/organisation/members')).statusCode, 200);
  });

  it('switches to a second organisation and the permissions follow its roles', async () => {
    const u = await newUser('switcher', ['integrity_officer']); // integrity officer in A …
    await svc.addMembership(h.b.id, u.id, ['staff']); // … and staff in B
    const s = await signIn(u.email);
    const before = json<Me>(await s.get('/api/me'));
    assert.equal(before.activeOrganisation?.id, h.a.id, 'the first membership is active after sign-in');
    assert.equal(before.organisations.length, 2);
    assert.deepEqual(
      before.permissions,
      [...h.kernel.permissions.permissionsOf(['integrity_officer'])].sort(),
    );
    assert.ok(before.permissions.includes('identity.members.read'));

    const sw = await s.post('/api/me/organisation', { organisationId: h.b.id });
    assert.equal(sw.statusCode, 200, sw.body);
    const after = json<Me>(sw);
    assert.equal(after.activeOrganisation?.id, h.b.id);
    assert.deepEqual(after.permissions, [...h.kernel.permissions.permissionsOf(['staff'])].sort());
    assert.ok(!after.permissions.includes('identity.members.read'));

    // The session remembers the switch, and requests now act in B with B's roles.
    assert.equal(json<Me>(await s.get('/api/me')).activeOrganisation?.id, h.b.id);
    assertProblem(await s.get('/api/organisation/members'), 403, 'FORBIDDEN');
    const org = await s.get('/api/organisation');
    assert.equal(org.statusCode, 200);
    assert.equal(json<{ id: string }>(org).id, h.b.id);
  });
});

describe('two-factor sign-in (TOTP)', () => {
  const totpOf = (secret: string) =>
    new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' });
  /** A six-digit code that is valid in none of the windows the server accepts. */
  const wrongCode = (totp: TOTP) => {
    const now = Date.now();
    const valid = new Set([-1, 0, 1].map((w) => totp.generate({ timestamp: now + w * 30_000 })));
    for (let i = 0; ; i++) {
      const c = String((Number(totp.generate()) + 123_457 * (i + 1)) % 1_000_000).padStart(6, '0');
      if (!valid.has(c)) return c;
    }
  };

  it('sets up, then requires a code at sign-in; recovery codes work once', async () => {
    const u = await newUser('totp');
    const s = await signIn(u.email);
    const setup = await s.post('/api/me/totp/setup');
    assert.equal(setup.statusCode, 200, setup.body);
    const { secret, uri, qrSvg } = json<{ secret: string; uri: string; qrSvg: string }>(setup);
    assert.match(secret, /^[A-Z2-7]{32}$/, '160-bit base32 secret');
    assert.match(uri, /^otpauth:\/\/totp\//);
    assert.match(uri, new RegExp(`secret=${secret}`));
    assert.match(qrSvg, /<svg/);
    const totp = totpOf(secret);

    assertProblem(await s.post('/api/me/totp/enable', { code: wrongCode(totp) }), 401, 'INVALID_MFA_CODE');
    const enable = await s.post('/api/me/totp/enable', { code: totp.generate() });
    assert.equal(enable.statusCode, 200, enable.body);
    const { recoveryCodes } = json<{ recoveryCodes: string[] }>(enable);
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    for (const c of recoveryCodes) assert.match(c, /^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{2}$/);
    assert.equal(json<Me>(await s.get('/api/me')).user.totpEnabled, true);
    assertProblem(await s.post('/api/me/totp/setup'), 409, 'CONFLICT');

    // The password alone now gives a pending session that cannot act.
    const first = await login(u.email);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(json(first), { status: 'mfa_required' });
    const pending = cookieOf(first);
    assertProblem(await session(pending).get('/api/me'), 401, 'UNAUTHENTICATED');
    assertProblem(
      await publicPost('/api/auth/totp', { code: wrongCode(totp) }, pending),
      401,
      'INVALID_MFA_CODE',
    );
    assertProblem(await session(pending).get('/api/me'), 401, 'UNAUTHENTICATED');
    // The code used to turn TOTP on is spent (RFC 6238 §5.2: each code is accepted once);
    // the next time step's code is already valid within the ±1 step window.
    const replayed = await publicPost('/api/auth/totp', { code: totp.generate() }, pending);
    assertProblem(replayed, 401, 'INVALID_MFA_CODE');
    const nextCode = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await publicPost('/api/auth/totp', { code: nextCode }, pending);
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(json(ok), { status: 'ok' });
    const me = await session(pending).get('/api/me');
    assert.equal(me.statusCode, 200);
    assert.equal(json<Me>(me).user.id, u.id);

    // A code without a pending session is refused.
    assertProblem(await publicPost('/api/auth/totp', { code: totp.generate() }), 401, 'UNAUTHENTICATED');
    // The same code cannot open a second session.
    const again = cookieOf(await login(u.email));
    assertProblem(await publicPost('/api/auth/totp', { code: nextCode }, again), 401, 'INVALID_MFA_CODE');

    // A recovery code works once.
    const second = cookieOf(await login(u.email));
    const rc = await publicPost('/api/auth/totp', { code: recoveryCodes[3]! }, second);
    assert.equal(rc.statusCode, 200, rc.body);
    assert.equal((await session(second).get('/api/me')).statusCode, 200);
    const third = cookieOf(await login(u.email));
    assertProblem(
      await publicPost('/api/auth/totp', { code: recoveryCodes[3]! }, third),
      401,
      'INVALID_MFA_CODE',
    );
    assertProblem(await session(third).get('/api/me'), 401, 'UNAUTHENTICATED');
    // Another, unused recovery code still works on that same pending session.
    const other = await publicPost('/api/auth/totp', { code: recoveryCodes[7]!.toUpperCase() }, third);
    assert.equal(other.statusCode, 200, other.body);
  });

  it('turns off only with the password, after which the password suffices again', async () => {
    const u = await newUser('totp-off');
    const s = await signIn(u.email);
    const { secret } = json<{ secret: string }>(await s.post('/api/me/totp/setup'));
    assert.equal((await s.post('/api/me/totp/enable', { code: totpOf(secret).generate() })).statusCode, 200);
    assert.deepEqual(json(await login(u.email)), { status: 'mfa_required' });
    assertProblem(
      await s.post('/api/me/totp/disable', { password: 'not my password' }),
      401,
      'INVALID_CREDENTIALS',
    );
    assert.equal((await s.post('/api/me/totp/disable', { password: TEST_PASSWORD })).statusCode, 204);
    assert.deepEqual(json(await login(u.email)), { status: 'ok' });
    assert.equal(json<Me>(await s.get('/api/me')).user.totpEnabled, false);
  });
});

describe('signing out', () => {
  it('logout revokes the session and clears the cookie', async () => {
    const u = await newUser('logout');
    const s = await signIn(u.email);
    const other = await signIn(u.email);
    const res = await s.post('/api/auth/logout');
    assert.equal(res.statusCode, 204);
    const cleared = res.cookies.find((c) => c.name === 'arusha_session');
    assert.ok(cleared, 'the cookie is cleared');
    assert.equal(cleared.value, '');
    assertProblem(await s.get('/api/me'), 401, 'UNAUTHENTICATED');
    assert.equal((await other.get('/api/me')).statusCode, 200, 'other sessions stay');
  });

  it('logout-all revokes every session and every API token of the user', async () => {
    const u = await newUser('logout-all', ['integrity_officer']);
    const s1 = await signIn(u.email);
    const s2 = await signIn(u.email);
    const created = await s1.post('/api/me/tokens', { name: 'ci', expiresInDays: 30 });
    assert.equal(created.statusCode, 201);
    const { token } = json<{ token: string }>(created);
    const bearer = () =>
      h.app.inject({
        method: 'GET',
        url: '/api/organisation/members',
        headers: { authorization: `Bearer ${token}` },
      });
    assert.equal((await bearer()).statusCode, 200);
    // Another user's session is not touched.
    const bystander = await signIn(h.a.users.analyst.email);

    assert.equal((await s2.post('/api/auth/logout-all')).statusCode, 204);
    assertProblem(await s1.get('/api/me'), 401, 'UNAUTHENTICATED');
    assertProblem(await s2.get('/api/me'), 401, 'UNAUTHENTICATED');
    assertProblem(await bearer(), 401, 'UNAUTHENTICATED');
    assert.equal((await bystander.get('/api/me')).statusCode, 200);
    // The user can sign in again.
    assert.equal((await (await signIn(u.email)).get('/api/me')).statusCode, 200);
  });
});

describe('password reset', () => {
  it('mails a link whose token sets a new password once', async () => {
    const u = await newUser('reset');
    const old = await signIn(u.email);
    const req = await publicPost('/api/auth/password-reset/request', { email: u.email.toUpperCase() });
    assert.equal(req.statusCode, 202);
    assert.deepEqual(json(req), { status: 'sent-if-known' });
    const mails = await outboxMail(u.email);
    assert.equal(mails.length, 1);
    const m = /(\S+)\/reset-password\/([A-Za-z0-9_-]+)/.exec(mails[0]!.body);
    assert.ok(m, `the mail holds a reset link: ${mails[0]!.body}`);
    assert.equal(m[1], h.config.publicUrl);
    const token = m[2]!;

    // A weak password is refused before the token is spent.
    for (const password of ['short', 'aaaaaaaaaaaaaaaaaaaa']) {
      const p = assertProblem(
        await publicPost('/api/auth/password-reset/confirm', { token, password }),
        400,
        'VALIDATION_FAILED',
      );
      assert.ok(
        p.errors?.some((e) => e.path === 'body.password'),
        JSON.stringify(p.errors),
      );
    }

    const confirm = await publicPost('/api/auth/password-reset/confirm', { token, password: STRONG });
    assert.equal(confirm.statusCode, 204, confirm.body);
    assert.equal((await login(u.email, STRONG)).statusCode, 200);
    assertProblem(await login(u.email, TEST_PASSWORD), 401, 'INVALID_CREDENTIALS');
    assertProblem(await old.get('/api/me'), 401, 'UNAUTHENTICATED'); // sessions from before the reset end

    assertProblem(
      await publicPost('/api/auth/password-reset/confirm', { token, password: `${STRONG}!` }),
      410,
      'GONE',
    );
    assert.equal((await login(u.email, STRONG)).statusCode, 200, 'the reused token changed nothing');
    assertProblem(
      await publicPost('/api/auth/password-reset/confirm', { token: 'x'.repeat(43), password: STRONG }),
      410,
      'GONE',
    );
  });

  it('gives the same answer for an unknown e-mail and sends nothing', async () => {
    const n = await mailCount();
    const res = await publicPost('/api/auth/password-reset/request', { email: 'no-such-person@a.test' });
    assert.equal(res.statusCode, 202);
    assert.deepEqual(json(res), { status: 'sent-if-known' });
    assert.equal(await mailCount(), n);
  });
});

describe('invitations', () => {
  it('an org admin invites; the invitee accepts, signs in and is an analyst of A', async () => {
    const admin = await signIn(h.a.users.org_admin.email);
    const email = 'new-analyst@invited.test';
    const res = await admin.post('/api/organisation/invitations', { email, roles: ['analyst'] });
    assert.equal(res.statusCode, 201, res.body);
    const inv = json<{ id: string; email: string; roles: string[]; acceptedAt: string | null }>(res);
    assert.equal(inv.email, email);
    assert.deepEqual(inv.roles, ['analyst']);
    assert.equal(inv.acceptedAt, null);
    const open = json<{ items: { id: string }[] }>(await admin.get('/api/organisation/invitations')).items;
    assert.ok(open.some((i) => i.id === inv.id));

    const mails = await outboxMail(email);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject, new RegExp(h.a.name));
    const token = /\/invite\/([A-Za-z0-9_-]+)/.exec(mails[0]!.body)?.[1];
    assert.ok(token, `the mail holds an invitation link: ${mails[0]!.body}`);

    assertProblem(
      await publicPost('/api/invitations/accept', { token, name: 'New Analyst', password: 'weak' }),
      400,
      'VALIDATION_FAILED',
    );
    const accept = await publicPost('/api/invitations/accept', {
      token,
      name: 'New Analyst',
      password: STRONG,
    });
    assert.equal(accept.statusCode, 200, accept.body);
    assert.deepEqual(json(accept), { email });
    assertProblem(
      await publicPost('/api/invitations/accept', { token, name: 'Again', password: STRONG }),
      410,
      'GONE',
    );

    const s = await signIn(email, STRONG);
    const me = json<Me>(await s.get('/api/me'));
    assert.equal(me.activeOrganisation?.id, h.a.id);
    assert.deepEqual(me.activeOrganisation?.roles, ['analyst']);
    assert.deepEqual(
      me.organisations.map((o) => o.id),
      [h.a.id],
    );
    assert.deepEqual(me.permissions, [...h.kernel.permissions.permissionsOf(['analyst'])].sort());
    const members = json<{ items: Member[] }>(await admin.get('/api/organisation/members')).items;
    assert.deepEqual(members.find((m) => m.email === email)?.roles, ['analyst']);
    const stillOpen = json<{ items: { id: string }[] }>(
      await admin.get('/api/organisation/invitations'),
    ).items;
    assert.ok(!stillOpen.some((i) => i.id === inv.id), 'an accepted invitation is no longer open');
  });

  it('refuses a staff member, platform_admin from an org admin, and unknown roles', async () => {
    const staff = await signIn(h.a.users.staff.email);
    const n = await mailCount();
    assertProblem(
      await staff.post('/api/organisation/invitations', { email: 'x1@invited.test', roles: ['analyst'] }),
      403,
      'FORBIDDEN',
    );
    const admin = await signIn(h.a.users.org_admin.email);
    assertProblem(
      await admin.post('/api/organisation/invitations', {
        email: 'x2@invited.test',
        roles: ['platform_admin'],
      }),
      403,
      'FORBIDDEN',
    );
    const p = assertProblem(
      await admin.post('/api/organisation/invitations', { email: 'x3@invited.test', roles: ['wizard'] }),
      400,
      'VALIDATION_FAILED',
    );
    assert.ok(p.errors?.some((e) => e.path === 'body.roles'));
    assertProblem(
      await admin.post('/api/organisation/invitations', { email: 'not-an-email', roles: ['analyst'] }),
      400,
      'VALIDATION_FAILED',
    );
    assert.equal(await mailCount(), n, 'no refused invitation sent mail');
  });
});

describe('API tokens', () => {
  it('are shown once, act as Bearer without cookie or CSRF header, and stop when revoked', async () => {
    const u = await newUser('tokens', ['integrity_officer']);
    const s = await signIn(u.email);
    const res = await s.post('/api/me/tokens', { name: 'reporting', expiresInDays: 30 });
    assert.equal(res.statusCode, 201, res.body);
    const created = json<{
      id: string;
      token: string;
      prefix: string;
      organisationId: string;
      expiresAt: string;
    }>(res);
    assert.ok(created.token.startsWith('arusha_pat_'));
    assert.ok(created.token.length > 50);
    assert.equal(created.prefix, created.token.slice(0, 'arusha_pat_'.length + 6));
    assert.equal(created.organisationId, h.a.id);
    const days = (Date.parse(created.expiresAt) - Date.now()) / 86400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in 30 days (${days})`);

    const bearer = (opts: InjectOptions) =>
      h.app.inject({
        ...opts,
        headers: { authorization: `Bearer ${created.token}`, ...(opts.headers ?? {}) },
      });
    const members = await bearer({ method: 'GET', url: '/api/organisation/members' });
    assert.equal(members.statusCode, 200, members.body);
    assert.ok(json<{ items: Member[] }>(members).items.some((m) => m.userId === u.id));
    // A state-changing call with a token needs no X-Requested-With: it passes CSRF, sign-in and the
    // permission check (standards.manage) and fails only on its content.
    const upload = await bearer({
      method: 'POST',
      url: '/api/standards/libraries',
      payload: { content: 'urn: [broken' },
    });
    assertProblem(upload, 422, 'UNPROCESSABLE');
    // The token acts with the user's roles: no units.manage for an integrity officer.
    assertProblem(
      await bearer({ method: 'POST', url: '/api/organisation/units', payload: {} }),
      403,
      'FORBIDDEN',
    );
    // A token cannot mint tokens.
    assertProblem(
      await bearer({ method: 'POST', url: '/api/me/tokens', payload: { name: 'x', expiresInDays: 1 } }),
      403,
      'FORBIDDEN',
    );

    const list = await s.get('/api/me/tokens');
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(created.token), 'the secret is never listed');
    const items = json<{ items: Json[] }>(list).items;
    const listed = items.find((t) => t.id === created.id);
    assert.ok(listed);
    assert.equal(listed.token, undefined);
    assert.equal(listed.prefix, created.prefix);

    assert.equal((await s.delete(`/api/me/tokens/${created.id}`)).statusCode, 204);
    assertProblem(await bearer({ method: 'GET', url: '/api/organisation/members' }), 401, 'UNAUTHENTICATED');
    assertProblem(await s.delete(`/api/me/tokens/${created.id}`), 404, 'NOT_FOUND');
    assert.ok(!json<{ items: Json[] }>(await s.get('/api/me/tokens')).items.some((t) => t.id === created.id));
  });

  it('cannot be revoked by someone else, and a made-up or expired token is refused', async () => {
    const u = await newUser('tokens-exp', ['integrity_officer']);
    const s = await signIn(u.email);
    const created = json<{ id: string; token: string }>(
      await s.post('/api/me/tokens', { name: 'short-lived', expiresInDays: 1 }),
    );
    const call = (token: string) =>
      h.app.inject({
        method: 'GET',
        url: '/api/organisation/members',
        headers: { authorization: `Bearer ${token}` },
      });
    assert.equal((await call(created.token)).statusCode, 200);

    const intruder = await signIn(h.a.users.org_admin.email);
    assertProblem(await intruder.delete(`/api/me/tokens/${created.id}`), 404, 'NOT_FOUND');
    assert.equal((await call(created.token)).statusCode, 200, 'still valid');

    assertProblem(await call(`arusha_pat_${'A'.repeat(43)}`), 401, 'UNAUTHENTICATED');
    assertProblem(await call('not-a-token'), 401, 'UNAUTHENTICATED');

    await h.kernel.db.query("update api_tokens set expires_at = now() - interval '1 day' where id = $1", [
      created.id,
    ]);
    // Resolved credentials are cached for a few seconds per instance (docs/adr/0006); a change
    // made outside the application is seen after that window — here, at once.
    AuthService.for(h.kernel).invalidate();
    assertProblem(await call(created.token), 401, 'UNAUTHENTICATED');
    assert.ok(
      !json<{ items: Json[] }>(await s.get('/api/me/tokens')).items.some((t) => t.id === created.id),
      'expired tokens are not listed',
    );
  });
});

describe('members', () => {
  it('changes roles with optimistic versions and records before/after in the audit log', async () => {
    const m = await newUser('member');
    const memberSession = await signIn(m.email);
    const admin = await signIn(h.a.users.org_admin.email);
    const list = json<{ items: Member[] }>(await admin.get('/api/organisation/members')).items;
    const row = list.find((x) => x.userId === m.id);
    assert.ok(row);
    assert.deepEqual(row.roles, ['staff']);

    const res = await admin.patch(`/api/organisation/members/${row.id}`, {
      roles: ['analyst', 'case_handler'],
      version: row.version,
    });
    assert.equal(res.statusCode, 200, res.body);
    const updated = json<{ id: string; roles: string[]; version: number }>(res);
    assert.deepEqual(updated, { id: row.id, roles: ['analyst', 'case_handler'], version: row.version + 1 });

    const stale = await admin.patch(`/api/organisation/members/${row.id}`, {
      roles: ['executive'],
      version: row.version,
    });
    assertProblem(stale, 409, 'VERSION_CONFLICT');
    assert.deepEqual(
      (await membershipRow(h.a.id, m.id)).roles,
      ['analyst', 'case_handler'],
      'the stale write changed nothing',
    );

    // The change applies to the member's existing session at once.
    const me = json<Me>(await memberSession.get('/api/me'));
    assert.deepEqual(
      me.permissions,
      [...h.kernel.permissions.permissionsOf(['analyst', 'case_handler'])].sort(),
    );

    const audit = await admin.get('/api/organisation/audit?limit=200');
    assert.equal(audit.statusCode, 200, audit.body);
    const events = json<{ items: { action: string; entityId: string; actorId: string; data: Json }[] }>(
      audit,
    ).items.filter((e) => e.action === 'identity.member.roles_changed' && e.entityId === row.id);
    assert.equal(events.length, 1, 'one event: the refused change left no trace');
    assert.equal(events[0]!.actorId, h.a.users.org_admin.id);
    assert.deepEqual(events[0]!.data, { before: ['staff'], after: ['analyst', 'case_handler'] });
  });

  it('keeps the last organisation administrator', async () => {
    const admin = await signIn(h.a.users.org_admin.email);
    const list = json<{ items: Member[] }>(await admin.get('/api/organisation/members')).items;
    assert.equal(
      list.filter((x) => x.roles.includes('org_admin')).length,
      1,
      'precondition: A has one org admin',
    );
    const self = list.find((x) => x.userId === h.a.users.org_admin.id)!;
    const res = await admin.patch(`/api/organisation/members/${self.id}`, {
      roles: ['staff'],
      version: self.version,
    });
    assertProblem(res, 409, 'CONFLICT');
    const after = await membershipRow(h.a.id, h.a.users.org_admin.id);
    assert.deepEqual(after.roles, ['org_admin']);
    assert.equal(after.version, self.version);
    // Keeping org_admin while adding a role is fine.
    const ok = await admin.patch(`/api/organisation/members/${self.id}`, {
      roles: ['org_admin', 'analyst'],
      version: self.version,
    });
    assert.equal(ok.statusCode, 200, ok.body);
    const back = await admin.patch(`/api/organisation/members/${self.id}`, {
      roles: ['org_admin'],
      version: self.version + 1,
    });
    assert.equal(back.statusCode, 200, back.body);
  });

  // Two admins demoting each other at the same moment: without a lock each transaction would
  // count two admins before either commits (write skew) and leave the organisation without one.
  it('keeps the last organisation administrator when two admins demote each other at once', async () => {
    const org = await svc.createOrganisation(null, {
      type: 'administration',
      name: 'Tenant C Customs',
      country: 'XC',
      wcoRegion: 'AMC',
    });
    const x = await newUser('race-admin', ['org_admin'], org.id);
    const y = await newUser('race-admin', ['org_admin'], org.id);
    const [sx, sy] = [await signIn(x.email), await signIn(y.email)];
    const mx = await membershipRow(org.id, x.id);
    const my = await membershipRow(org.id, y.id);
    const results = await Promise.all([
      sx.patch(`/api/organisation/members/${my.id}`, { roles: ['staff'], version: my.version }),
      sy.patch(`/api/organisation/members/${mx.id}`, { roles: ['staff'], version: mx.version }),
    ]);
    const admins = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from memberships where tenant_id = $1 and 'org_admin' = any(roles)",
      [org.id],
    );
    assert.equal(admins[0]!.n, 1, `statuses ${results.map((r) => r.statusCode).join(', ')}`);
    // The loser is refused either by the admin count (409) or, when the winner's change was
    // already committed before the loser's request was authorised, by losing the permission (403).
    const [, loser] = results.map((r) => r.statusCode).sort();
    assert.ok(loser === 409 || loser === 403, `the second demotion must be refused, got ${loser}`);
    assert.equal(results.filter((r) => r.statusCode === 200).length, 1);
  });

  it('refuses unknown roles and platform_admin from an org admin', async () => {
    const m = await newUser('member-roles');
    const admin = await signIn(h.a.users.org_admin.email);
    const row = await membershipRow(h.a.id, m.id);
    assertProblem(
      await admin.patch(`/api/organisation/members/${row.id}`, { roles: ['wizard'], version: row.version }),
      400,
      'VALIDATION_FAILED',
    );
    assertProblem(
      await admin.patch(`/api/organisation/members/${row.id}`, {
        roles: ['platform_admin'],
        version: row.version,
      }),
      403,
      'FORBIDDEN',
    );
    assertProblem(
      await admin.patch(`/api/organisation/members/${row.id}`, { roles: [], version: row.version }),
      400,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(await membershipRow(h.a.id, m.id), row);
  });
});

describe('tenant isolation', () => {
  it("A's org admin cannot change a member of B: 404, and B's member is unchanged", async () => {
    const admin = await signIn(h.a.users.org_admin.email);
    for (const role of ['staff', 'org_admin'] as const) {
      const target = await membershipRow(h.b.id, h.b.users[role].id);
      const res = await admin.patch(`/api/organisation/members/${target.id}`, {
        roles: ['analyst'],
        version: target.version,
      });
      assertProblem(res, 404, 'NOT_FOUND');
      assert.deepEqual(await membershipRow(h.b.id, h.b.users[role].id), target);
    }
  });

  it('members lists never cross tenants', async () => {
    const a = json<{ items: Member[] }>(
      await (await signIn(h.a.users.org_admin.email)).get('/api/organisation/members'),
    ).items;
    const b = json<{ items: Member[] }>(
      await (await signIn(h.b.users.integrity_officer.email)).get('/api/organisation/members'),
    ).items;
    const bIds = new Set(Object.values(h.b.users).map((u) => u.id));
    const aIds = new Set(Object.values(h.a.users).map((u) => u.id));
    for (const id of aIds)
      assert.ok(
        a.some((m) => m.userId === id),
        'every A user is listed for A',
      );
    for (const id of bIds)
      assert.ok(
        b.some((m) => m.userId === id),
        'every B user is listed for B',
      );
    assert.ok(!a.some((m) => bIds.has(m.userId) || m.email.endsWith('@b.test')), "A never sees B's users");
    assert.ok(!b.some((m) => aIds.has(m.userId) || m.email.endsWith('@a.test')), "B never sees A's users");
  });

  it('audit logs stay within the tenant', async () => {
    const b = await signIn(h.b.users.org_admin.email);
    const items = json<{ items: { action: string; entityId: string | null }[] }>(
      await b.get('/api/organisation/audit?limit=200'),
    ).items;
    assert.ok(items.length >= BUILT_IN_ROLES.length, "B's own membership events");
    const aMemberships = new Set(
      (
        await h.kernel.db.query<{ id: string }>('select id from memberships where tenant_id = $1', [h.a.id])
      ).map((r) => r.id),
    );
    assert.ok(!items.some((e) => e.entityId && aMemberships.has(e.entityId)));
    assert.ok(
      !items.some(
        (e) => e.action === 'identity.member.roles_changed' || e.action === 'identity.member.invited',
      ),
    );
  });
});

describe('organisation units', () => {
  it('creates units under a parent of the same tenant only', async () => {
    const bAdmin = await signIn(h.b.users.org_admin.email);
    const bUnit = await bAdmin.post('/api/organisation/units', {
      parentId: null,
      type: 'headquarters',
      name: 'B Headquarters',
    });
    assert.equal(bUnit.statusCode, 201, bUnit.body);
    const bUnitId = json<{ id: string }>(bUnit).id;

    const admin = await signIn(h.a.users.org_admin.email);
    const cross = await admin.post('/api/organisation/units', {
      parentId: bUnitId,
      type: 'office',
      name: 'Sneaky office',
    });
    assertProblem(cross, 404, 'NOT_FOUND');
    assertProblem(
      await admin.post('/api/organisation/units', { parentId: randomUUID(), type: 'office', name: 'Orphan' }),
      404,
      'NOT_FOUND',
    );

    const hq = await admin.post('/api/organisation/units', {
      parentId: null,
      type: 'headquarters',
      name: 'A Headquarters',
      code: 'HQ',
    });
    assert.equal(hq.statusCode, 201, hq.body);
    const hqUnit = json<{
      id: string;
      parentId: string | null;
      name: string;
      code: string | null;
      version: number;
    }>(hq);
    assert.equal(hqUnit.parentId, null);
    assert.equal(hqUnit.code, 'HQ');
    assert.equal(hqUnit.version, 1);
    const port = await admin.post('/api/organisation/units', {
      parentId: hqUnit.id,
      type: 'port',
      name: 'Port of A',
    });
    assert.equal(port.statusCode, 201, port.body);
    const portId = json<{ id: string }>(port).id;
    assertProblem(
      await admin.post('/api/organisation/units', { parentId: null, type: 'castle', name: 'X' }),
      400,
      'VALIDATION_FAILED',
    );

    const aUnits = json<{ items: { id: string; parentId: string | null; name: string }[] }>(
      await admin.get('/api/organisation/units'),
    ).items;
    assert.ok(aUnits.some((u) => u.id === hqUnit.id && u.name === 'A Headquarters'));
    assert.ok(aUnits.some((u) => u.id === portId && u.parentId === hqUnit.id));
    assert.ok(!aUnits.some((u) => u.id === bUnitId || u.name === 'Sneaky office'));
    const bUnits = json<{ items: { id: string }[] }>(await bAdmin.get('/api/organisation/units')).items;
    assert.deepEqual(
      bUnits.map((u) => u.id),
      [bUnitId],
    );
  });
});

describe('permission matrix of the identity routes', () => {
  it('answers 403 exactly when the role lacks the route permission', async () => {
    const routes = h.app.registeredRoutes.filter((r) => r.access.startsWith('identity.'));
    assert.ok(routes.length >= 8, `found ${routes.length} permission-protected identity routes`);
    let denied = 0;
    let allowed = 0;
    for (const role of BUILT_IN_ROLES) {
      const s = await signIn(h.a.users[role].email);
      const perms = h.kernel.permissions.permissionsOf([role]);
      for (const r of routes) {
        const url = r.url.replace(':id', randomUUID());
        // Bodies are left empty: a caller with the permission gets 400 (validation runs after
        // the access check) and nothing changes.
        const res = await s.request({
          method: r.method as InjectOptions['method'],
          url,
          ...(r.method === 'GET' ? {} : { payload: {} }),
        });
        const label = `${role} ${r.method} ${r.url} (${r.access})`;
        if (perms.has(r.access)) {
          allowed++;
          assert.notEqual(res.statusCode, 403, `${label}: ${res.body}`);
          assert.equal(res.statusCode, r.method === 'GET' ? 200 : 400, `${label}: ${res.body}`);
        } else {
          denied++;
          assertProblem(res, 403, 'FORBIDDEN');
        }
      }
    }
    assert.ok(denied > 0 && allowed > 0);
  });
});

describe('requests without a body', () => {
  // The web UI's api.delete sends no body at all, and nothing requires a client to send `{}`
  // with a body-less POST: Fastify hands such a request to validation as `null`.
  it('a DELETE or POST without any body is accepted', async () => {
    const u = await newUser('no-body', ['integrity_officer']);
    const s = await signIn(u.email);
    const { id } = json<{ id: string }>(await s.post('/api/me/tokens', { name: 'x', expiresInDays: 1 }));
    const del = await s.request({ method: 'DELETE', url: `/api/me/tokens/${id}` });
    assert.equal(del.statusCode, 204, del.body);
    const out = await s.request({ method: 'POST', url: '/api/auth/logout' });
    assert.equal(out.statusCode, 204, out.body);
    assertProblem(await s.get('/api/me'), 401, 'UNAUTHENTICATED');
  });
});

describe('scheduled clean-up of expired credentials', () => {
  it('identity.cleanup removes long-expired sessions and tokens, and keeps live ones', async () => {
    const u = await newUser('cleanup');
    const live = await signIn(u.email);
    await h.kernel.db.query(
      `insert into sessions (id, token_hash, user_id, expires_at) values (gen_random_uuid(), 'old-session', $1, now() - interval '3 days')`,
      [u.id],
    );
    const counts = await AuthService.for(h.kernel).cleanup();
    assert.ok(counts.sessions! >= 1, JSON.stringify(counts));
    const left = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from sessions where token_hash = 'old-session'",
    );
    assert.equal(left[0]!.n, 0);
    assert.equal((await live.get('/api/me')).statusCode, 200, 'a live session survives');
    await h.kernel.jobs.installSchedules();
    const [schedule] = await h.kernel.db.query<{ cron: string }>(
      "select cron from job_schedules where name = 'identity.cleanup'",
    );
    assert.equal(schedule?.cron, '17 3 * * *', 'the clean-up runs daily');
  });
});

describe('organisation units: rename and move', () => {
  it('renames with the right version, refuses a stale one, and never moves a unit under itself', async () => {
    const admin = await signIn(h.a.users.org_admin.email);
    const create = async (name: string, parentId: string | null) => {
      const res = await admin.post('/api/organisation/units', { parentId, type: 'region', name });
      assert.equal(res.statusCode, 201, res.body);
      return json<{ id: string; version: number }>(res);
    };
    const top = await create('Top region', null);
    const child = await create('Child office', top.id);

    const renamed = await admin.patch(`/api/organisation/units/${child.id}`, {
      name: 'Renamed office',
      code: 'RO-1',
      version: 1,
    });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(json<{ name: string; version: number }>(renamed).version, 2);
    assertProblem(
      await admin.patch(`/api/organisation/units/${child.id}`, { name: 'Stale', version: 1 }),
      409,
      'VERSION_CONFLICT',
    );

    assertProblem(
      await admin.patch(`/api/organisation/units/${top.id}`, { parentId: child.id, version: 1 }),
      409,
      'CONFLICT',
    );
    assertProblem(
      await admin.patch(`/api/organisation/units/${top.id}`, { parentId: top.id, version: 1 }),
      409,
      'CONFLICT',
    );
    const moved = await admin.patch(`/api/organisation/units/${child.id}`, { parentId: null, version: 2 });
    assert.equal(moved.statusCode, 200, moved.body);

    const staff = await signIn(h.a.users.staff.email);
    assertProblem(
      await staff.patch(`/api/organisation/units/${child.id}`, { name: 'x', version: 3 }),
      403,
      'FORBIDDEN',
    );
    const audit = json<{ items: { action: string; entityId: string | null }[] }>(
      await admin.get('/api/organisation/audit?limit=20'),
    );
    assert.ok(audit.items.some((e) => e.action === 'identity.unit.updated' && e.entityId === child.id));
  });
});

describe('password reset requests do not reveal which accounts exist', () => {
  it('known and unknown addresses both get 202 after the same minimum time', async () => {
    const request = async (email: string) => {
      const t0 = performance.now();
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset/request',
        remoteAddress: '10.250.0.1',
        headers: { 'x-requested-with': 'arusha' },
        payload: { email },
      });
      return { status: res.statusCode, ms: performance.now() - t0, body: res.body };
    };
    const known = await request(h.a.users.staff.email);
    const unknown = await request('nobody-here@nowhere.test');
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.equal(known.body, unknown.body);
    // Both are padded to the same floor (a lower bound by construction, not a speed target).
    assert.ok(known.ms >= 390 && unknown.ms >= 390, `${known.ms} ms and ${unknown.ms} ms`);
  });
});
