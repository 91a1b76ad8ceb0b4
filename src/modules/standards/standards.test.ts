import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import type { LibraryDocument } from './library.schema.ts';
import { LIBRARY_DIR, parseLibrary, RAD_URN, StandardsService, UNCAC_URN } from './standards.service.ts';

// The standards module through the real HTTP app: the RAD's ten key factors, the UNCAC
// cross-references, the shipped library files, and national libraries uploaded by a tenant.

type Problem = { status: number; code: string; detail: string; errors?: { path: string; message: string }[] };
type UncacRef = { code: string; title: string };
type Factor = {
  number: number;
  urn: string;
  name: string;
  description: string | null;
  verification: string | null;
  uncac: UncacRef[];
  itemCount: number;
};
type FactorDetail = Factor & {
  expectations: string[];
  source: string | null;
  items: {
    urn: string;
    refId: string;
    name: string;
    guidance: string | null;
    typicalEvidence: string[];
    uncac: UncacRef[];
    weight: number;
  }[];
  library: { id: string; urn: string; version: number; name: string; notice: string | null };
};
type Article = {
  code: string;
  title: string;
  summary: string;
  verification: string;
  factors: { number: number; name: string }[];
};
type Library = {
  id: string;
  urn: string;
  refId: string;
  version: number;
  kind: string;
  name: string;
  provider: string;
  scope: string;
  superseded: boolean;
};

let h: Harness;
let officerA: Client;
let staffA: Client;
let officerB: Client;

const json = <T>(res: LightMyRequestResponse) => res.json() as T;

function assertProblem(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, `expected ${status} ${code}, got ${res.statusCode} ${res.body}`);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  const p = json<Problem>(res);
  assert.equal(p.code, code);
  return p;
}

async function ok<T>(p: Promise<LightMyRequestResponse>, status = 200): Promise<T> {
  const res = await p;
  assert.equal(res.statusCode, status, res.body);
  return json<T>(res);
}

// The harness signs each client in from its own address (sign-in is rate-limited per address).
const signIn = (email: string): Promise<Client> => h.as(email);

before(async () => {
  // The API must not depend on whether the web interface happens to be built.
  h = await createHarness({ env: { WEB_DIST: path.join(os.tmpdir(), 'arusha-no-web-build') } });
  officerA = await signIn(h.a.users.integrity_officer.email);
  staffA = await signIn(h.a.users.staff.email);
  officerB = await signIn(h.b.users.integrity_officer.email);
});
after(() => h.close());

describe('key factors', () => {
  it('lists the ten factors, each with checklist items and UNCAC references', async () => {
    const { items } = await ok<{ items: Factor[] }>(staffA.get('/api/standards/factors'));
    assert.deepEqual(
      items.map((f) => f.number),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    for (const f of items) {
      assert.ok(f.itemCount >= 5, `factor ${f.number} has ${f.itemCount} items`);
      assert.ok(f.uncac.length >= 1, `factor ${f.number} refers to UNCAC`);
      assert.ok(f.name.length > 3);
      assert.ok(f.urn.startsWith('urn:arusha:rad:'));
    }
    assert.equal(items.find((f) => f.number === 8)!.name, 'Human Resource Management');
    const verified = items.filter((f) => f.verification === 'verified').map((f) => f.number);
    assert.deepEqual(verified, [1, 2, 5, 8]);
    for (const f of items)
      if (!verified.includes(f.number)) assert.equal(f.verification, 'unverified', `factor ${f.number}`);
  });

  it('speaks French with ?locale=fr and with Accept-Language: fr', async () => {
    const byQuery = await ok<{ items: Factor[] }>(staffA.get('/api/standards/factors?locale=fr'));
    assert.equal(byQuery.items.find((f) => f.number === 8)!.name, 'Gestion des ressources humaines');
    assert.equal(byQuery.items.find((f) => f.number === 1)!.name, 'Leadership et engagement');
    const byHeader = await ok<{ items: Factor[] }>(
      staffA.request({
        method: 'GET',
        url: '/api/standards/factors',
        headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' },
      }),
    );
    assert.deepEqual(
      byHeader.items.map((f) => f.name),
      byQuery.items.map((f) => f.name),
    );
    // The query parameter wins over the header; an unknown locale is refused.
    const en = await ok<{ items: Factor[] }>(
      staffA.request({
        method: 'GET',
        url: '/api/standards/factors?locale=en',
        headers: { 'accept-language': 'fr' },
      }),
    );
    assert.equal(en.items.find((f) => f.number === 8)!.name, 'Human Resource Management');
    assertProblem(await staffA.get('/api/standards/factors?locale=xx'), 400, 'VALIDATION_FAILED');
  });

  it('details factor 8: expectations, items 8.x with evidence and UNCAC links', async () => {
    const f = await ok<FactorDetail>(staffA.get('/api/standards/factors/8'));
    assert.equal(f.number, 8);
    assert.equal(f.verification, 'verified');
    assert.ok(f.expectations.length >= 1);
    for (const e of f.expectations) assert.ok(e.length > 10);
    assert.ok(f.items.length >= 5);
    assert.equal(f.items.length, f.itemCount);
    const { items: articles } = await ok<{ items: Article[] }>(staffA.get('/api/standards/uncac'));
    const titles = new Map(articles.map((a) => [a.code, a.title]));
    for (const item of f.items) {
      assert.match(item.refId, /^8\.\d+$/);
      assert.ok(item.typicalEvidence.length >= 1, `${item.refId} lists typical evidence`);
      assert.ok(item.uncac.length >= 1, `${item.refId} refers to UNCAC`);
      for (const u of item.uncac)
        assert.equal(u.title, titles.get(u.code), `${item.refId}: UNCAC ${u.code} resolves to its title`);
    }
    assert.equal(new Set(f.items.map((i) => i.refId)).size, f.items.length, 'item numbers are unique');
    assert.equal(f.library.urn, RAD_URN);
    assert.ok(f.library.notice);

    const fr = await ok<FactorDetail>(staffA.get('/api/standards/factors/8?locale=fr'));
    assert.equal(fr.name, 'Gestion des ressources humaines');
    assert.notEqual(fr.items[0]!.name, f.items[0]!.name, 'items are translated too');
  });

  it('refuses factor numbers outside 1..10 with 400', async () => {
    for (const n of ['11', '0', '-1', 'abc', '8.5'])
      assertProblem(await staffA.get(`/api/standards/factors/${n}`), 400, 'VALIDATION_FAILED');
  });
});

describe('UNCAC cross-references', () => {
  it('lists the articles, each with exactly the factors that cite it', async () => {
    const { items: articles } = await ok<{ items: Article[] }>(staffA.get('/api/standards/uncac'));
    const { items: factors } = await ok<{ items: Factor[] }>(staffA.get('/api/standards/factors'));
    const codes = articles.map((a) => a.code);
    for (const c of ['5', '7', '8', '10', '13', '33']) assert.ok(codes.includes(c), `article ${c} is listed`);
    assert.equal(new Set(codes).size, codes.length);
    // article → factors
    for (const a of articles) {
      const citing = factors.filter((f) => f.uncac.some((u) => u.code === a.code)).map((f) => f.number);
      assert.deepEqual(
        a.factors.map((f) => f.number),
        citing,
        `article ${a.code}`,
      );
      assert.ok(a.title && a.summary);
    }
    // factor → articles: every code a factor cites exists and lists the factor back
    for (const f of factors) {
      for (const u of f.uncac) {
        const a = articles.find((x) => x.code === u.code);
        assert.ok(a, `factor ${f.number} cites UNCAC ${u.code}, which is listed`);
        assert.equal(u.title, a.title);
        assert.ok(a.factors.some((x) => x.number === f.number && x.name === f.name));
      }
    }
    assert.ok(articles.some((a) => a.factors.length > 0));
  });

  it('returns one article, also with a code like 52(5) URL-encoded; unknown → 404', async () => {
    const a13 = await ok<Article>(staffA.get('/api/standards/uncac/13'));
    assert.equal(a13.code, '13');
    assert.ok(a13.factors.length >= 1);
    const { items: articles } = await ok<{ items: Article[] }>(staffA.get('/api/standards/uncac'));
    const paren = articles.filter((a) => a.code.includes('('));
    for (const a of paren) {
      const one = await ok<Article>(staffA.get(`/api/standards/uncac/${encodeURIComponent(a.code)}`));
      assert.deepEqual(one, a);
    }
    assertProblem(await staffA.get('/api/standards/uncac/99'), 404, 'NOT_FOUND');
    assertProblem(await staffA.get('/api/standards/uncac/drop%20table'), 400, 'VALIDATION_FAILED');
    const fr = await ok<Article>(staffA.get('/api/standards/uncac/13?locale=fr'));
    assert.notEqual(fr.title, a13.title);
  });
});

describe('shipped library files', () => {
  const files = fs.readdirSync(LIBRARY_DIR).filter((f) => /\.(ya?ml|json)$/.test(f));

  it('each validates against the library schema', () => {
    assert.ok(files.length >= 4, `found ${files.join(', ')}`);
    const urns = new Set<string>();
    for (const f of files) {
      const doc = parseLibrary(fs.readFileSync(path.join(LIBRARY_DIR, f), 'utf8'));
      assert.ok(doc.urn.startsWith('urn:arusha:library:'), `${f}: ${doc.urn}`);
      assert.ok(!urns.has(doc.urn), `${f}: URN used once`);
      urns.add(doc.urn);
    }
    assert.ok(urns.has(RAD_URN) && urns.has(UNCAC_URN));
  });

  it('has a French name for every factor and item, and for every other translated text', () => {
    const rad = parseLibrary(fs.readFileSync(path.join(LIBRARY_DIR, 'rad.yaml'), 'utf8'));
    const nodes = rad.objects.framework!.nodes;
    assert.equal(nodes.filter((n) => n.kind === 'factor').length, 10);
    for (const n of nodes) assert.ok(n.name.fr && n.name.fr !== n.name.en, `${n.ref_id}: French name`);
    const missing: string[] = [];
    const walk = (v: unknown, where: string) => {
      if (Array.isArray(v)) {
        for (const [i, x] of v.entries()) walk(x, `${where}[${i}]`);
      } else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.en === 'string' && typeof o.fr !== 'string') missing.push(where);
        for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
      }
    };
    for (const f of files) walk(parseLibrary(fs.readFileSync(path.join(LIBRARY_DIR, f), 'utf8')), f);
    assert.deepEqual(missing, []);
  });

  it('every UNCAC code the checklist cites is an article of the UNCAC library', () => {
    const rad = parseLibrary(fs.readFileSync(path.join(LIBRARY_DIR, 'rad.yaml'), 'utf8'));
    const uncac = parseLibrary(fs.readFileSync(path.join(LIBRARY_DIR, 'uncac.yaml'), 'utf8'));
    const codes = new Set(uncac.objects.uncac_articles!.map((a) => a.code));
    for (const n of rad.objects.framework!.nodes)
      for (const c of n.uncac ?? []) assert.ok(codes.has(c), `${n.ref_id} cites UNCAC ${c}`);
  });

  it('loading them again adds no duplicate versions', async () => {
    const count = async () =>
      (
        await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from libraries where tenant_id is null',
        )
      ).map((r) => r.n)[0];
    const rad = async () =>
      (
        await h.kernel.db.query<{ n: number }>('select count(*)::int as n from libraries where urn = $1', [
          RAD_URN,
        ])
      ).map((r) => r.n)[0];
    const nodes = async () =>
      (
        await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from library_nodes where tenant_id is null',
        )
      ).map((r) => r.n)[0];
    const before = { all: await count(), rad: await rad(), nodes: await nodes() };
    assert.equal(before.rad, 1);
    assert.equal(before.all, files.length);
    const svc = new StandardsService(h.kernel);
    await svc.loadBuiltIns();
    await svc.loadBuiltIns();
    assert.deepEqual({ all: await count(), rad: await rad(), nodes: await nodes() }, before);
  });
});

// A small national framework: one factor-less section and two assessable items.
const national = (version: number, itemName = 'Asset declarations are filed and checked every year') => `
urn: urn:xa-customs:library:national
ref_id: XA-NAT
version: ${version}
kind: framework
name:
  en: "XA national integrity framework"
  fr: "Cadre national d'intégrité XA"
provider: "XA Customs"
publication_date: "2026-03-01"
objects:
  framework:
    urn: urn:xa-customs:national
    ref_id: XA
    name:
      en: "XA national framework"
    nodes:
      - urn: urn:xa-customs:national:s1
        ref_id: "S1"
        kind: section
        name:
          en: "Human resources"
      - urn: urn:xa-customs:national:s1:i1
        parent_urn: urn:xa-customs:national:s1
        ref_id: "S1.1"
        kind: item
        assessable: true
        rad_factor: 8
        name:
          en: "${itemName}"
      - urn: urn:xa-customs:national:s1:i2
        parent_urn: urn:xa-customs:national:s1
        ref_id: "S1.2"
        kind: item
        assessable: true
        rad_factor: 1
        name:
          en: "Management signs an integrity statement"
`;

const upload = (c: Client, content: string) => c.post('/api/standards/libraries', { content });
const NATIONAL_URN = 'urn:xa-customs:library:national';

describe('national libraries', () => {
  let v1: Library;

  it('an integrity officer uploads a national framework (201), listed with scope national', async () => {
    const res = await upload(officerA, national(1));
    assert.equal(res.statusCode, 201, res.body);
    v1 = json<Library>(res);
    assert.equal(v1.urn, NATIONAL_URN);
    assert.equal(v1.version, 1);
    assert.equal(v1.kind, 'framework');
    assert.equal(v1.scope, 'national');
    assert.equal(v1.superseded, false);
    assert.equal(v1.refId, 'XA-NAT');
    const { items } = await ok<{ items: Library[] }>(officerA.get('/api/standards/libraries'));
    const listed = items.find((l) => l.id === v1.id);
    assert.ok(listed);
    assert.equal(listed.scope, 'national');
    assert.equal(listed.name, 'XA national integrity framework');
    // The shipped ones are listed too, as built-in.
    assert.equal(items.find((l) => l.urn === RAD_URN)?.scope, 'built-in');
    // Visible to the whole tenant; French where the document has it.
    const fr = await ok<{ items: Library[] }>(staffA.get('/api/standards/libraries?locale=fr'));
    assert.equal(fr.items.find((l) => l.id === v1.id)?.name, "Cadre national d'intégrité XA");
    const nodes = await h.kernel.db.query<{ kind: string; tenant_id: string }>(
      'select kind, tenant_id from library_nodes where library_id = $1 order by position',
      [v1.id],
    );
    assert.deepEqual(
      nodes.map((n) => n.kind),
      ['section', 'item', 'item'],
    );
    assert.ok(nodes.every((n) => n.tenant_id === h.a.id));
  });

  it('the same version again → 409 ALREADY_EXISTS; version 2 supersedes but keeps version 1', async () => {
    assert.ok(v1, 'depends on the previous test');
    const again = assertProblem(await upload(officerA, national(1)), 409, 'ALREADY_EXISTS');
    assert.ok(again.errors?.some((e) => e.path === 'version'));
    const res = await upload(officerA, national(2, 'Asset declarations are filed, checked and acted upon'));
    assert.equal(res.statusCode, 201, res.body);
    const v2 = json<Library>(res);
    assert.equal(v2.version, 2);
    assert.notEqual(v2.id, v1.id);
    assertProblem(await upload(officerA, national(1)), 409, 'CONFLICT'); // going back is refused too

    const { items } = await ok<{ items: Library[] }>(officerA.get('/api/standards/libraries'));
    const versions = items.filter((l) => l.urn === NATIONAL_URN);
    assert.deepEqual(
      versions.map((l) => [l.version, l.superseded]),
      [
        [2, false],
        [1, true],
      ],
    );
    const old = await ok<LibraryDocument>(officerA.get(`/api/standards/libraries/${v1.id}`));
    assert.equal(old.version, 1);
    assert.equal(old.objects.framework?.nodes.length, 3);
    assert.equal(
      old.objects.framework?.nodes[1]?.name.en,
      'Asset declarations are filed and checked every year',
    );
    const cur = await ok<LibraryDocument>(officerA.get(`/api/standards/libraries/${v2.id}`));
    assert.equal(
      cur.objects.framework?.nodes[1]?.name.en,
      'Asset declarations are filed, checked and acted upon',
    );
    const [{ n } = { n: 0 }] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from library_nodes where library_id = $1',
      [v1.id],
    );
    assert.equal(n, 3, 'the old version keeps its nodes');
  });

  it('only roles with standards.manage may upload', async () => {
    const res = await upload(staffA, national(9));
    assertProblem(res, 403, 'FORBIDDEN');
    for (const role of BUILT_IN_ROLES) {
      const c = await signIn(h.a.users[role].email);
      // An empty content string: allowed callers get 400 (validation), others 403.
      const r = await c.post('/api/standards/libraries', { content: '' });
      const allowed = h.kernel.permissions.permissionsOf([role]).has('standards.manage');
      assert.equal(r.statusCode, allowed ? 400 : 403, `${role}: ${r.body}`);
      // Every role may read.
      assert.equal((await c.get('/api/standards/factors')).statusCode, 200, role);
    }
    const [{ n } = { n: 0 }] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from libraries where urn = $1 and version = 9',
      [NATIONAL_URN],
    );
    assert.equal(n, 0);
  });

  it('unreadable YAML → 422 with errors[0].path (file)', async () => {
    const p = assertProblem(await upload(officerA, 'urn: [not closed\nname: {en: x'), 422, 'UNPROCESSABLE');
    assert.equal(p.errors?.[0]?.path, '(file)');
    const dup = assertProblem(await upload(officerA, `${national(5)}\nversion: 6\n`), 422, 'UNPROCESSABLE');
    assert.equal(dup.errors?.[0]?.path, '(file)', 'duplicate keys are refused');
  });

  it('schema errors → 422 listing every problem with its path', async () => {
    const broken = national(3)
      .replace('urn: urn:xa-customs:library:national', 'urn: URN:XA Customs')
      .replace('  en: "XA national integrity framework"\n', '')
      .replace('publication_date: "2026-03-01"', 'publication_date: "1 March 2026"');
    const p = assertProblem(await upload(officerA, broken), 422, 'UNPROCESSABLE');
    const paths = p.errors!.map((e) => e.path);
    for (const want of ['urn', 'name.en', 'publication_date'])
      assert.ok(paths.includes(want), `${want} in ${paths.join(', ')}`);
    assert.match(p.detail, /3 problem/);

    const badNodes = national(3)
      .replace(
        'parent_urn: urn:xa-customs:national:s1\n        ref_id: "S1.1"',
        'parent_urn: urn:xa-customs:national:nowhere\n        ref_id: "S1.1"',
      )
      .replace('rad_factor: 1', 'rad_factor: 11');
    const q = assertProblem(await upload(officerA, badNodes), 422, 'UNPROCESSABLE');
    const qPaths = q.errors!.map((e) => e.path);
    assert.ok(qPaths.includes('objects.framework.nodes.1.parent_urn'), qPaths.join(', '));
    assert.ok(qPaths.includes('objects.framework.nodes.2.rad_factor'), qPaths.join(', '));

    const noItems = national(3).replaceAll('assessable: true', 'assessable: false');
    assert.ok(
      assertProblem(await upload(officerA, noItems), 422, 'UNPROCESSABLE').errors!.some(
        (e) => e.path === 'objects.framework.nodes',
      ),
    );
    const json = assertProblem(await upload(officerA, '{"urn": "urn:xa:library:x"}'), 422, 'UNPROCESSABLE');
    assert.ok(
      json.errors!.some((e) => e.path === 'version'),
      'JSON is read too',
    );
    assertProblem(await upload(officerA, '"just a string"'), 422, 'UNPROCESSABLE');
    assert.equal(
      (await ok<{ items: Library[] }>(officerA.get('/api/standards/libraries'))).items.filter(
        (l) => l.urn === NATIONAL_URN,
      ).length,
      2,
      'nothing was stored',
    );
  });

  it('the reserved urn:arusha: prefix and reference libraries are refused (422)', async () => {
    const reserved = national(1).replace(
      'urn: urn:xa-customs:library:national',
      'urn: urn:arusha:library:national',
    );
    const p = assertProblem(await upload(officerA, reserved), 422, 'UNPROCESSABLE');
    assert.deepEqual(
      p.errors?.map((e) => e.path),
      ['urn'],
    );
    const shipped = fs
      .readFileSync(path.join(LIBRARY_DIR, 'rad.yaml'), 'utf8')
      .replace(/^version: 1$/m, 'version: 99');
    assertProblem(await upload(officerA, shipped), 422, 'UNPROCESSABLE');
    const reference = fs
      .readFileSync(path.join(LIBRARY_DIR, 'uncac.yaml'), 'utf8')
      .replace('urn: urn:arusha:library:uncac', 'urn: urn:xa-customs:library:uncac');
    assert.deepEqual(
      assertProblem(await upload(officerA, reference), 422, 'UNPROCESSABLE').errors?.map((e) => e.path),
      ['kind'],
    );
    const [{ n } = { n: 0 }] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from libraries where urn = $1',
      [RAD_URN],
    );
    assert.equal(n, 1);
  });

  it('a YAML alias bomb is refused quickly with 422', async () => {
    const letters = 'abcdefghij';
    let bomb = `a: &a [${Array(9).fill('"lol"').join(',')}]\n`;
    for (let i = 1; i < letters.length; i++)
      bomb += `${letters[i]}: &${letters[i]} [${Array(9)
        .fill(`*${letters[i - 1]}`)
        .join(',')}]\n`;
    const t0 = Date.now();
    const p = assertProblem(await upload(officerA, bomb), 422, 'UNPROCESSABLE');
    assert.equal(p.errors?.[0]?.path, '(file)');
    assert.ok(Date.now() - t0 < 2000, `answered in ${Date.now() - t0} ms`);
    // A bomb placed inside an otherwise valid library is refused as well.
    const inside = `${national(4).replace('provider: "XA Customs"', 'provider: &p "XA Customs"')}licence: *p\n${bomb.replace(/^a:/m, 'x_a:')}`;
    assertProblem(await upload(officerA, inside), 422, 'UNPROCESSABLE');
  });

  // On PostgreSQL, simultaneous uploads of one version all pass the "already loaded?" check;
  // the losers hit the unique index, which must answer 409, never 500. PGlite serialises them.
  it('simultaneous uploads of the same version: one 201, the others 409, never 5xx', async () => {
    const content = national(1).replaceAll('urn:xa-customs:library:national', 'urn:xa-customs:library:race');
    const results = await Promise.all([1, 2, 3].map(() => upload(officerA, content)));
    const statuses = results.map((r) => r.statusCode).sort();
    assert.deepEqual(statuses, [201, 409, 409], results.map((r) => r.body.slice(0, 120)).join(' | '));
    for (const r of results.filter((x) => x.statusCode === 409))
      assert.equal(json<Problem>(r).code, 'ALREADY_EXISTS');
  });

  it("tenant B sees neither A's national library nor its document", async () => {
    assert.ok(v1);
    const { items } = await ok<{ items: Library[] }>(officerB.get('/api/standards/libraries'));
    assert.ok(!items.some((l) => l.urn === NATIONAL_URN || l.scope === 'national'));
    assert.ok(
      items.some((l) => l.urn === RAD_URN),
      'B still sees the shipped libraries',
    );
    assertProblem(await officerB.get(`/api/standards/libraries/${v1.id}`), 404, 'NOT_FOUND');
    assertProblem(await officerB.get(`/api/standards/libraries/${randomUUID()}`), 404, 'NOT_FOUND');
    // B keeps its own version line under the same URN, independent of A's.
    const res = await upload(officerB, national(1));
    assert.equal(res.statusCode, 201, res.body);
    const b1 = json<Library>(res);
    const mine = (await ok<{ items: Library[] }>(officerB.get('/api/standards/libraries'))).items.filter(
      (l) => l.urn === NATIONAL_URN,
    );
    assert.deepEqual(
      mine.map((l) => l.id),
      [b1.id],
    );
    const aSide = (await ok<{ items: Library[] }>(officerA.get('/api/standards/libraries'))).items.filter(
      (l) => l.urn === NATIONAL_URN,
    );
    assert.ok(!aSide.some((l) => l.id === b1.id));
    assert.deepEqual(
      aSide.map((l) => [l.version, l.superseded]),
      [
        [2, false],
        [1, true],
      ],
      "B's upload superseded nothing of A's",
    );
  });

  it("a pinned version (kept in memory once read) is still only the owner's, and shows it superseded", async () => {
    const svc = new StandardsService(h.kernel);
    const pinned = (tenantId: string) =>
      withTenant(h.kernel.db, { tenantId, userId: null }, (tx) => svc.pinnedLibrary(tx, v1.id));
    const first = await pinned(h.a.id);
    assert.equal(first?.id, v1.id);
    assert.deepEqual(
      first?.nodes.filter((n) => n.kind === 'item').map((n) => n.refId),
      ['S1.1', 'S1.2'],
    );
    assert.ok(first?.supersededAt, 'version 2 superseded version 1');
    // Read again (from memory now): tenant B still gets nothing; A gets the same nodes.
    assert.equal(await pinned(h.b.id), null);
    assert.equal((await pinned(h.a.id))?.nodes.length, first?.nodes.length);
    assert.equal(
      await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
        svc.pinnedLibrary(tx, randomUUID()),
      ),
      null,
    );
  });
});
