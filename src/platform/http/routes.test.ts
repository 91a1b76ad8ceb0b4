import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { InjectOptions } from 'fastify';
import { z } from 'zod';
import { createHarness, type Client, type Harness } from '../testing/harness.ts';
import type { IsolationFixture, IsolationFixtures } from '../testing/isolation.ts';
import { buildApp } from './app.ts';
import type { Module } from '../kernel.ts';

const INJECTION = [
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  'x'.repeat(5000),
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell-style probe string, on purpose
  '${jndi:ldap://x}',
  '😀\u202e',
];

const ANY_ID = '01900000-0000-7000-8000-000000000000';

function fill(url: string, value?: string): string {
  return url
    .replace(/:number\b/g, value ?? '3')
    .replace(/:code\b/g, value ?? '13')
    .replace(/:\w+/g, value ?? ANY_ID)
    .replace('*', value ?? 'x');
}

/** A route takes an object id when one of its parameters is `id` or ends in `Id`. */
const takesId = (url: string) => /:(id|\w+Id)\b/.test(url);

async function moduleFixtures(h: Harness): Promise<Record<string, IsolationFixture>> {
  const fs = await import('node:fs');
  const path = await import('node:path');
  const root = path.resolve(import.meta.dirname, '../../modules');
  const out: Record<string, IsolationFixture> = {};
  for (const m of fs.readdirSync(root).sort()) {
    const file = path.join(root, m, `${m}.isolation.ts`);
    if (!fs.existsSync(file)) continue;
    const mod = (await import(file)) as { isolationFixtures: IsolationFixtures };
    Object.assign(out, await mod.isolationFixtures(h));
  }
  return out;
}

describe('routes', () => {
  let h: Harness;
  let admin: Client;
  before(async () => {
    h = await createHarness();
    admin = await h.as(h.a.users.platform_admin.email);
  });
  after(() => h.close());

  const apiRoutes = () =>
    h.app.registeredRoutes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));

  it('every route declares its access, and permissions exist in the registry', () => {
    assert.ok(apiRoutes().length >= 30, `only ${apiRoutes().length} routes`);
    for (const r of h.app.registeredRoutes) {
      assert.ok(r.access, `${r.method} ${r.url}`);
      if (!['public', 'authenticated', 'platform'].includes(r.access))
        assert.ok(h.kernel.permissions.has(r.access), `${r.method} ${r.url}: ${r.access}`);
    }
  });

  it('public routes are the known, reviewed list', () => {
    const pub = apiRoutes()
      .filter((r) => r.access === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    assert.deepEqual(pub, [
      'GET /api/conduct/public/:token',
      'GET /api/dev/outbox',
      'GET /api/health',
      'GET /api/learning/public-key',
      'GET /api/learning/public-keys',
      'GET /api/learning/verify/:code',
      'GET /api/public/reports/:org/:channel',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/password-reset/confirm',
      'POST /api/auth/password-reset/request',
      'POST /api/auth/totp',
      'POST /api/conduct/public/:token/acknowledge',
      'POST /api/invitations/accept',
      'POST /api/public/reports/:org/:channel',
      'POST /api/public/reports/:org/:channel/with-file',
      'POST /api/public/reports/:org/follow-up',
      'POST /api/public/reports/:org/follow-up/files',
      'POST /api/public/reports/:org/follow-up/files/download',
      'POST /api/public/reports/:org/follow-up/files/list',
      'POST /api/public/reports/:org/follow-up/messages',
      'POST /api/surveys/public/form',
      'POST /api/surveys/public/submit',
    ]);
  });

  it('a route without a declared access stops the application from starting', async () => {
    const rogue: Module = {
      name: 'rogue',
      routes: (r) => r.get({ url: '/api/rogue', summary: 'no access', handler: async () => ({}) } as never),
    };
    await assert.rejects(
      buildApp({ kernel: h.kernel, modules: [rogue], authenticate: async () => null }),
      /must declare its access|declares no access/,
    );
  });

  it('every permission-protected route answers 403 to exactly the roles that lack its permission', async () => {
    const { BUILT_IN_ROLES } = await import('../access/permissions.ts');
    const mismatches: string[] = [];
    for (const role of BUILT_IN_ROLES) {
      const c = await h.as(h.a.users[role].email);
      const perms = h.kernel.permissions.permissionsOf([role]);
      for (const r of apiRoutes().filter((x) => x.access.includes('.'))) {
        const res = await c.request({
          method: r.method as InjectOptions['method'],
          url: fill(r.url),
          ...(r.method === 'GET' ? {} : { payload: {} }),
        });
        const forbidden = res.statusCode === 403;
        if (forbidden === perms.has(r.access))
          mismatches.push(`${role} ${r.method} ${r.url}: ${res.statusCode}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it("every route taking an object id answers 404 for another tenant's object, and leaves it unchanged", async () => {
    // One fixture per id-taking route: an object of tenant B. A new route with an :id and no
    // fixture here fails this test, so isolation is proven for every such route.
    const [bMember] = await h.kernel.db.query<{ id: string }>(
      'select id from memberships where tenant_id = $1 limit 1',
      [h.b.id],
    );
    const [bToken] = await h.kernel.db.query<{ id: string }>(
      `insert into api_tokens (id, user_id, tenant_id, name, token_hash, prefix, expires_at)
       values (gen_random_uuid(), $1, $2, 'b token', md5(random()::text), 'arusha_pat_x', now() + interval '1 day') returning id`,
      [h.b.users.org_admin.id, h.b.id],
    );
    const { StandardsService } = await import('../../modules/standards/index.ts');
    const { withTenant } = await import('../db/tenant.ts');
    const bLib = await withTenant(
      h.kernel.db,
      { tenantId: h.b.id, userId: h.b.users.org_admin.id },
      async (tx) => {
        const actor = { userId: h.b.users.org_admin.id } as never;
        return new StandardsService(h.kernel).upload(
          tx,
          h.b.id,
          actor,
          `urn: urn:xb:library:scale\nref_id: XB\nversion: 1\nkind: scale\nname: {en: B scale}\nprovider: B\npublication_date: 2026-01-01\nobjects:\n  scales:\n    - urn: urn:xb:scale:yn\n      name: {en: Yes/no}\n      is_wco_standard: false\n      levels: [{value: 0, label: {en: No}}, {value: 1, label: {en: Yes}}]\n`,
        );
      },
    );
    const [bUnit] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', 'B office') returning id`,
      [h.b.id],
    );
    // A notification of tenant B's user who is also a platform administrator, like `admin` in A.
    await withTenant(h.kernel.db, { tenantId: h.b.id, userId: h.b.users.platform_admin.id }, (tx) =>
      h.kernel.notify.send(tx, {
        tenantId: h.b.id,
        userId: h.b.users.platform_admin.id,
        kind: 'test',
        messageKey: 'errors.NOT_FOUND',
        dedupeKey: 'isolation',
      }),
    );
    const [bNotification] = await h.kernel.db.query<{ id: string }>(
      "select id from notifications where tenant_id = $1 and dedupe_key = 'isolation'",
      [h.b.id],
    );
    const fixtures: Record<string, IsolationFixture> = {
      ...(await moduleFixtures(h)),
      'POST /api/me/notifications/:id/read': {
        id: bNotification!.id,
        unchanged: async () => {
          const [n] = await h.kernel.db.query<{ read_at: Date | null }>(
            'select read_at from notifications where id = $1',
            [bNotification!.id],
          );
          assert.equal(n!.read_at, null);
        },
      },
      'PATCH /api/organisation/units/:id': { id: bUnit!.id, payload: { name: 'renamed by A', version: 1 } },
      'PATCH /api/organisation/members/:id': { id: bMember!.id, payload: { roles: ['staff'], version: 1 } },
      'DELETE /api/me/tokens/:id': { id: bToken!.id },
      'GET /api/standards/libraries/:id': { id: bLib.id },
    };
    // Platform routes act across organisations by design (platform administrators only).
    const idRoutes = apiRoutes().filter((r) => takesId(r.url) && r.access !== 'platform');
    assert.deepEqual(
      idRoutes.map((r) => `${r.method} ${r.url}`).sort(),
      Object.keys(fixtures).sort(),
      'every :id route has an isolation fixture',
    );
    for (const r of idRoutes) {
      const f = fixtures[`${r.method} ${r.url}`]!;
      const caller = f.as ? await h.as(h.a.users[f.as].email) : admin;
      const res = await caller.request({
        method: r.method as InjectOptions['method'],
        url: f.url ?? r.url.replace(':id', f.id!),
        ...(f.payload ? { payload: f.payload as object } : {}),
      });
      assert.equal(res.statusCode, 404, `${r.method} ${r.url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    for (const f of Object.values(fixtures)) await f.unchanged?.();
    const [after] = await h.kernel.db.query<{ roles: string[]; version: number }>(
      'select roles, version from memberships where id = $1',
      [bMember!.id],
    );
    assert.equal(after!.version, 1);
    const [unitAfter] = await h.kernel.db.query<{ name: string }>(
      'select name from org_units where id = $1',
      [bUnit!.id],
    );
    assert.equal(unitAfter!.name, 'B office');
    const [tok] = await h.kernel.db.query<{ revoked: boolean }>(
      'select revoked_at is not null as revoked from api_tokens where id = $1',
      [bToken!.id],
    );
    assert.equal(tok!.revoked, false);
  });

  it('platform routes answer 403 to everyone but platform administrators', async () => {
    const platformRoutes = apiRoutes().filter((r) => r.access === 'platform');
    assert.ok(platformRoutes.length >= 2);
    const orgAdmin = await h.as(h.a.users.org_admin.email);
    for (const r of platformRoutes) {
      const res = await orgAdmin.request({
        method: r.method as InjectOptions['method'],
        url: fill(r.url),
        ...(r.method === 'GET' ? {} : { payload: {} }),
      });
      assert.equal(res.statusCode, 403, `${r.method} ${r.url}`);
    }
    const created = await admin.post('/api/platform/organisations', {
      type: 'donor',
      name: 'New Donor Agency',
      country: 'NO',
      wcoRegion: null,
    });
    assert.equal(created.statusCode, 201, created.body);
    const org = created.json();
    const invited = await admin.post(`/api/platform/organisations/${org.id}/invitations`, {
      email: 'first@donor.test',
      name: 'First Admin',
    });
    assert.equal(invited.statusCode, 201, invited.body);
    assert.deepEqual(invited.json().roles, ['org_admin']);
    const list = (await admin.get('/api/platform/organisations'))
      .json()
      .items.map((o: { name: string }) => o.name);
    assert.ok(
      list.includes('New Donor Agency') && list.includes(h.b.name),
      'platform administrators see every organisation',
    );
    const bad = await admin.post('/api/platform/organisations', {
      type: 'ministry',
      name: 'x',
      country: 'france',
    });
    assert.equal(bad.statusCode, 400);
  });

  it('without a session, every non-public route answers 401 problem+json', async () => {
    const anon = h.anonymous();
    for (const r of apiRoutes().filter((x) => x.access !== 'public')) {
      const res = await anon.request({ method: r.method as InjectOptions['method'], url: fill(r.url) });
      assert.equal(res.statusCode, 401, `${r.method} ${r.url}`);
      assert.match(String(res.headers['content-type']), /application\/problem\+json/);
      assert.equal(res.json().code, 'UNAUTHENTICATED');
    }
  });

  it('a battery of malformed and hostile requests never gets a 5xx, and every error is problem+json', async () => {
    const huge = JSON.stringify({ content: 'x'.repeat(5 * 1024 * 1024) });
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]);
    const bodies: { name: string; payload: string | Buffer; must4xx: boolean }[] = [
      { name: 'invalid JSON', payload: '{"email": "a@b.c", ', must4xx: true },
      {
        name: 'wrong types',
        payload: JSON.stringify({
          email: 42,
          password: ['x'],
          roles: 'admin',
          version: 'one',
          name: {},
          content: 7,
          code: null,
          organisationId: 'not-a-uuid',
          expiresInDays: -1,
        }),
        must4xx: true,
      },
      {
        name: 'unknown fields',
        payload: JSON.stringify({
          unexpected: true,
          __proto__: { admin: true },
          constructor: { prototype: {} },
        }),
        must4xx: true,
      },
      { name: 'huge body', payload: huge, must4xx: true },
      { name: 'invalid UTF-8', payload: invalidUtf8, must4xx: true },
      {
        name: 'NUL in text',
        payload: JSON.stringify({ name: 'a\u0000b', email: 'a\u0000@b.c' }),
        must4xx: true,
      },
      { name: 'array', payload: '[]', must4xx: true },
      { name: 'number overflow', payload: '1e309', must4xx: true },
      {
        name: 'SQL injection',
        payload: JSON.stringify({
          email: "' OR 1=1 --@x.y",
          password: "'; DROP TABLE users; --",
          name: "Robert'); DROP TABLE users;--",
          content: "' OR 1=1 --",
        }),
        must4xx: true,
      },
      {
        name: 'script injection',
        payload: JSON.stringify({
          name: '<script>alert(1)</script>',
          content: '<img src=x onerror=alert(1)>',
          email: '<script>@x.y',
        }),
        must4xx: true,
      },
    ];
    const failures: string[] = [];
    const check = (
      label: string,
      res: { statusCode: number; headers: Record<string, unknown>; body: string },
      must4xx: boolean,
    ) => {
      if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (must4xx && (res.statusCode < 400 || res.statusCode >= 500))
        failures.push(`${label}: expected 4xx, got ${res.statusCode}`);
      else if (
        res.statusCode >= 400 &&
        !/application\/problem\+json/.test(String(res.headers['content-type']))
      )
        failures.push(`${label}: ${res.statusCode} is not problem+json`);
    };
    for (const r of apiRoutes()) {
      const method = r.method as InjectOptions['method'];
      if (r.method !== 'GET') {
        for (const b of bodies) {
          const res = await admin.request({
            method,
            url: fill(r.url),
            payload: b.payload,
            headers: { 'content-type': 'application/json' },
          });
          check(`${r.method} ${r.url} [${b.name}]`, res, b.must4xx);
        }
        const wrongType = await admin.request({
          method,
          url: fill(r.url),
          payload: '<xml/>',
          headers: { 'content-type': 'application/xml' },
        });
        check(`${r.method} ${r.url} [xml]`, wrongType, true);
      }
      for (const bad of INJECTION) {
        const enc = encodeURIComponent(bad);
        if (/:(id|number|code)/.test(r.url)) {
          const res = await admin.request({
            method,
            url: fill(r.url, enc),
            ...(r.method === 'GET' ? {} : { payload: {} }),
          });
          check(`${r.method} ${r.url} [param ${bad.slice(0, 20)}]`, res, true);
        }
        const res = await admin.request({
          method,
          url: `${fill(r.url)}?locale=${enc}&limit=${enc}&x=${enc}`,
          ...(r.method === 'GET' ? {} : { payload: {} }),
        });
        check(`${r.method} ${r.url} [query ${bad.slice(0, 20)}]`, res, false);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('unknown API paths are 404 problem+json; the UI paths fall back to the app', async () => {
    const res = await h.anonymous().get('/api/nope');
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'NOT_FOUND');
    const ui = await h.anonymous().get('/standards/factors/8');
    assert.equal(ui.statusCode, 200);
    assert.match(String(ui.headers['content-type']), /text\/html/);
  });

  it('security headers are set on every response', async () => {
    const res = await h.anonymous().get('/api/health');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
    // Helmet's full set, as @fastify/helmet sent it before Helmet was built once (app.ts), on
    // a success, an error and the UI alike.
    for (const url of ['/api/health', '/api/nope', '/api/organisation/members', '/standards']) {
      const r = await h.anonymous().get(url);
      assert.deepEqual(
        Object.fromEntries(
          [
            'content-security-policy',
            'cross-origin-opener-policy',
            'cross-origin-resource-policy',
            'origin-agent-cluster',
            'referrer-policy',
            'x-content-type-options',
            'x-dns-prefetch-control',
            'x-download-options',
            'x-frame-options',
            'x-permitted-cross-domain-policies',
            'x-xss-protection',
          ].map((k) => [k, r.headers[k]]),
        ),
        {
          'content-security-policy':
            "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
          'cross-origin-opener-policy': 'same-origin',
          'cross-origin-resource-policy': 'same-origin',
          'origin-agent-cluster': '?1',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
          'x-dns-prefetch-control': 'off',
          'x-download-options': 'noopen',
          'x-frame-options': 'SAMEORIGIN',
          'x-permitted-cross-domain-policies': 'none',
          'x-xss-protection': '0',
        },
        url,
      );
    }
  });

  it('unhandled errors become INTERNAL with a request id and no stack trace', async () => {
    const boom: Module = {
      name: 'boom',
      routes: (r) =>
        r.get({
          url: '/api/boom',
          access: 'public',
          summary: 'throws',
          handler: async () => {
            throw new Error('secret internals at /srv/app/file.ts:12');
          },
        }),
    };
    const app = await buildApp({ kernel: h.kernel, modules: [boom], authenticate: async () => null });
    const res = await app.inject({ method: 'GET', url: '/api/boom' });
    await app.close();
    assert.equal(res.statusCode, 500);
    const body = res.json();
    assert.equal(body.code, 'INTERNAL');
    assert.ok(body.requestId);
    assert.doesNotMatch(res.body, /secret internals|file\.ts/);
  });

  it('a GET route without a query contract refuses any query parameter, naming it', async () => {
    const probe: Module = {
      name: 'probe',
      routes: (r) => {
        r.get({
          url: '/api/probe/plain',
          access: 'public',
          summary: 'no query',
          handler: async () => ({ ok: 1 }),
        });
        r.get({
          url: '/api/probe/query',
          access: 'public',
          summary: 'a query contract',
          query: z.object({ page: z.coerce.number().optional() }).strict(),
          handler: async ({ query }) => ({ ok: 1, page: query.page ?? null }),
        });
        r.post({
          url: '/api/probe/plain',
          access: 'public',
          summary: 'no query',
          handler: async () => ({ ok: 1 }),
        });
      },
    };
    const app = await buildApp({ kernel: h.kernel, modules: [probe], authenticate: async () => null });
    try {
      const ok = await app.inject({ method: 'GET', url: '/api/probe/plain' });
      assert.equal(ok.statusCode, 200, ok.body);
      const bad = await app.inject({ method: 'GET', url: '/api/probe/plain?foo=1&bar=' });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
      assert.equal(bad.json().code, 'VALIDATION_FAILED');
      assert.match(bad.json().detail, /"foo"/);
      assert.match(bad.json().detail, /"bar"/);
      // A declared contract answers as before: its own fields pass, unknown ones are refused.
      assert.deepEqual((await app.inject({ method: 'GET', url: '/api/probe/query?page=2' })).json(), {
        ok: 1,
        page: 2,
      });
      const unknown = await app.inject({ method: 'GET', url: '/api/probe/query?foo=1' });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.json().detail, /"foo"/);
      // Other methods are as they were (the rule is for GET routes).
      const post = await app.inject({
        method: 'POST',
        url: '/api/probe/plain?foo=1',
        headers: { 'x-requested-with': 'arusha' },
      });
      assert.equal(post.statusCode, 200, post.body);
    } finally {
      await app.close();
    }
  });

  it('OpenAPI is generated from the contracts at /api/docs', async () => {
    const res = await h.anonymous().get('/api/docs/json');
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.ok(doc.paths['/api/standards/factors']);
    assert.ok(doc.paths['/api/auth/login'].post.requestBody);
  });
});
