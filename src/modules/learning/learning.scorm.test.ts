import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium as pwChromium } from 'playwright-core';
import { withTenant } from '../../platform/db/tenant.ts';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { multipart } from '../../platform/testing/files.ts';
import { uuidv7 } from '../../platform/ids.ts';
import { enrolments } from './learning.schema.ts';
import { makeZip, SAMPLE_MANIFEST, SAMPLE_SCO_HTML, samplePackage } from './learning.scorm.fixture.ts';
import { checkEntryName, scaledScore, timespanSeconds } from './learning.scorm.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

describe('learning SCORM 1.2 and xAPI', () => {
  let h: Harness;
  let manager: Client;
  let learner: Client;
  let analyst: Client;
  let versionId: string;
  let courseId: string;

  before(async () => {
    h = await createHarness();
    manager = await h.as(h.a.users.integrity_officer.email);
    learner = await h.as(h.a.users.staff.email);
    analyst = await h.as(h.a.users.analyst.email);
  });
  after(() => h.close());

  const upload = (c: Client, data: Buffer, filename = 'package.zip') => {
    const { payload, headers } = multipart({ file: { filename, data } });
    return c.request({ method: 'POST', url: '/api/learning/scorm', payload, headers });
  };
  const scormCourses = async () =>
    (
      await h.kernel.db.query<{ n: number }>("select count(*)::int as n from courses where kind = 'scorm'")
    )[0]!.n;
  const storedFiles = () => {
    const out: string[] = [];
    const root = h.config.dataDir;
    if (!fs.existsSync(root)) return out;
    for (const e of fs.readdirSync(root, { recursive: true, withFileTypes: true }))
      if (e.isFile() || e.isSymbolicLink()) out.push(path.relative(root, path.join(e.parentPath, e.name)));
    return out.sort();
  };
  const enrol = (userId: string, cId = courseId, tenantId = h.a.id) =>
    withTenant(h.kernel.db, { tenantId, userId }, async (tx) => {
      const [e] = await tx.insert(enrolments).values({ tenantId, userId, courseId: cId }).returning();
      return e!.id;
    });

  it('pure rules: entry names, CMI timespans, scaled scores (hand-computed)', () => {
    assert.equal(checkEntryName('sco/index.html'), 'sco/index.html');
    assert.equal(checkEntryName('sco/'), 'sco');
    for (const bad of ['../x', 'a/../../x', '/etc/passwd', 'a\\b', 'C:/x', 'a//b', './a', 'a/./b', ''])
      assert.throws(() => checkEntryName(bad), /path|backslash|absolute|empty/, bad);
    assert.equal(timespanSeconds('0000:01:30.00'), 90);
    assert.equal(timespanSeconds('01:00:00'), 3600);
    assert.equal(timespanSeconds('nonsense'), 0);
    assert.equal(scaledScore(85), 0.85);
    assert.equal(scaledScore(15, 10, 20), 0.5);
    assert.equal(scaledScore(120), 1);
    assert.equal(scaledScore(null), null);
    assert.equal(scaledScore(5, 10, 10), null);
  });

  it('imports a SCORM 1.2 package: a scorm course with a published version and its files stored', async () => {
    assert.equal((await upload(learner, samplePackage())).statusCode, 403);
    const res = await upload(manager, samplePackage());
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json();
    ({ versionId, courseId } = body);
    assert.equal(body.title, 'Border ethics (SCORM sample)');
    assert.equal(body.launch, 'sco/index.html');
    assert.equal(body.files, 3);
    const [v] = await h.kernel.db.query<{
      status: string;
      scorm_entry: string;
      scorm_key: string;
      kind: string;
    }>(
      'select v.status, v.scorm_entry, v.scorm_key, c.kind from course_versions v join courses c on c.id = v.course_id where v.id = $1',
      [versionId],
    );
    assert.deepEqual(v, {
      status: 'published',
      scorm_entry: 'sco/index.html',
      scorm_key: `learning/scorm/${versionId}`,
      kind: 'scorm',
    });
    // Every stored file is inside the package's own folder, under platform-chosen names.
    const files = storedFiles();
    assert.equal(files.length, 3);
    for (const f of files)
      assert.match(f, new RegExp(`^files/${h.a.id}/learning/scorm/${versionId}/f\\d{4}\\.(xml|html|js)$`));
  });

  it('serves the package files to learners, sandboxed, with their content types; 404 outside the package', async () => {
    const res = await learner.get(`/api/learning/scorm/${versionId}/files/sco/index.html`);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.body, SAMPLE_SCO_HTML);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /sandbox allow-scripts allow-same-origin/);
    assert.match(csp, /frame-ancestors 'self'/);
    assert.doesNotMatch(csp, /allow-top-navigation|allow-popups/);
    const js = await learner.get(`/api/learning/scorm/${versionId}/files/sco/app.js`);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    // The package's own query strings (a cache buster) are tolerated: this route declares them.
    const busted = await learner.get(`/api/learning/scorm/${versionId}/files/sco/app.js?v=3&_=17`);
    assert.equal(busted.statusCode, 200, busted.body);
    assert.equal(busted.body, js.body);
    for (const p of ['sco/missing.html', '..%2Fimsmanifest.xml', 'SCO/index.html'])
      assert.equal((await learner.get(`/api/learning/scorm/${versionId}/files/${p}`)).statusCode, 404, p);
    assert.equal((await learner.get(`/api/learning/scorm/${uuidv7()}/files/sco/index.html`)).statusCode, 404);
    const bLearner = await h.as(h.b.users.staff.email);
    assert.equal(
      (await bLearner.get(`/api/learning/scorm/${versionId}/files/sco/index.html`)).statusCode,
      404,
      "another tenant's package is not found",
    );
  });

  it('refuses corrupt, hostile and oversized packages with a clear 4xx, storing nothing', async () => {
    const before = storedFiles();
    const courses0 = await scormCourses();
    const ok = [
      { name: 'imsmanifest.xml', data: SAMPLE_MANIFEST() },
      { name: 'sco/index.html', data: SAMPLE_SCO_HTML },
    ];
    const zeros = Buffer.alloc(20 * 1024 * 1024);
    const escapeName = `arusha-escapeName-${uuidv7()}`;
    const cases: { label: string; data: Buffer; status: number; message: RegExp }[] = [
      {
        label: 'not a zip',
        data: Buffer.from('hello, not a zip at all'),
        status: 415,
        message: /content is/,
      },
      {
        label: 'truncated zip',
        data: samplePackage().subarray(0, 200),
        status: 415,
        message: /./,
      },
      {
        label: 'corrupt central directory',
        data: (() => {
          const z = Buffer.from(samplePackage());
          const cd = z.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
          z.writeUInt32LE(0xffffffff, cd + 42); // an entry offset past the end
          return z;
        })(),
        status: 422,
        message: /corrupt|readable/,
      },
      {
        label: '../x',
        data: makeZip([...ok, { name: `../${escapeName}`, data: 'x' }]),
        status: 422,
        message: /leaves its folder/,
      },
      {
        label: 'nested ..',
        data: makeZip([...ok, { name: `sco/../../${escapeName}`, data: 'x' }]),
        status: 422,
        message: /leaves its folder/,
      },
      {
        label: 'absolute',
        data: makeZip([...ok, { name: '/etc/x', data: 'x' }]),
        status: 422,
        message: /absolute/,
      },
      {
        label: 'drive',
        data: makeZip([...ok, { name: 'C:/x', data: 'x' }]),
        status: 422,
        message: /absolute/,
      },
      {
        label: 'backslash',
        data: makeZip([...ok, { name: '..\\x', data: 'x' }]),
        status: 422,
        message: /backslash/,
      },
      {
        label: 'symlink',
        data: makeZip([...ok, { name: 'sco/link', data: '/etc/passwd', mode: 0o120777, store: true }]),
        status: 422,
        message: /symbolic link/,
      },
      {
        label: 'too many entries',
        data: makeZip([
          ...ok,
          ...Array.from({ length: 2000 }, (_, i) => ({ name: `f/${i}.txt`, data: '', store: true })),
        ]),
        status: 422,
        message: /2002 entries/,
      },
      {
        label: 'bomb by ratio',
        data: makeZip([...ok, { name: 'sco/zeros.bin', data: zeros }]),
        status: 422,
        message: /zip bomb/,
      },
      {
        label: 'bomb lying about its size',
        data: makeZip([
          ...ok,
          { name: 'sco/zeros.bin', data: Buffer.alloc(2 * 1024 * 1024), declaredSize: 10 },
        ]),
        status: 422,
        message: /declare|size/,
      },
      {
        label: 'duplicate names',
        data: makeZip([...ok, { name: 'SCO/index.html', data: 'x' }]),
        status: 422,
        message: /same file twice/,
      },
      {
        label: 'no manifest',
        data: makeZip([{ name: 'index.html', data: 'x' }]),
        status: 422,
        message: /no imsmanifest\.xml/,
      },
      {
        label: 'entity expansion',
        data: makeZip([
          {
            name: 'imsmanifest.xml',
            data: `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><manifest><organizations><organization><title>&b;</title></organization></organizations></manifest>`,
          },
        ]),
        status: 422,
        message: /DTD or entities/,
      },
      {
        label: 'launch file missing',
        data: makeZip([{ name: 'imsmanifest.xml', data: SAMPLE_MANIFEST() }]),
        status: 422,
        message: /not in the package/,
      },
      {
        label: 'SCORM 2004',
        data: makeZip([
          {
            name: 'imsmanifest.xml',
            data: SAMPLE_MANIFEST().replace('<schemaversion>1.2', '<schemaversion>2004 4th Edition'),
          },
          { name: 'sco/index.html', data: 'x' },
        ]),
        status: 422,
        message: /Only SCORM 1\.2/,
      },
      {
        label: 'not XML',
        data: makeZip([
          { name: 'imsmanifest.xml', data: '<manifest><unclosed></manifest' },
          { name: 'a', data: 'x' },
        ]),
        status: 422,
        message: /./,
      },
    ];
    const failures: string[] = [];
    for (const c of cases) {
      const res = await upload(manager, c.data);
      if (res.statusCode !== c.status)
        failures.push(`${c.label}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      else if (!c.message.test(res.json().detail)) failures.push(`${c.label}: "${res.json().detail}"`);
    }
    assert.deepEqual(failures, []);
    // The bomb case really is one: 20 MB of zeros deflate more than 100-fold.
    assert.ok(zlib.deflateRawSync(zeros).length * 100 < zeros.length);
    assert.equal(await scormCourses(), courses0, 'no course was created');
    assert.deepEqual(storedFiles(), before, 'nothing was stored');
    for (const dir of [
      h.config.dataDir,
      path.dirname(h.config.dataDir),
      path.join(h.config.dataDir, 'files'),
    ])
      assert.ok(!fs.existsSync(path.join(dir, escapeName)), `nothing written outside: ${dir}`);
  });

  it('refuses an upload over 100 MB with 413 before reading it all', async () => {
    const big = Buffer.alloc(101 * 1024 * 1024);
    big.write('PK\u0003\u0004', 0, 'latin1');
    const res = await upload(manager, big);
    assert.equal(res.statusCode, 413, res.body.slice(0, 200));
  });

  it('runtime commits: failed keeps it open (no certificate), passed completes it with the score and a certificate', async () => {
    const enrolmentId = await enrol(h.a.users.staff.id);
    const url = `/api/learning/enrolments/${enrolmentId}/scorm`;
    const launch = await learner.get(url);
    assert.equal(launch.statusCode, 200, launch.body);
    assert.equal(launch.json().launchUrl, `/api/learning/scorm/${versionId}/files/sco/index.html`);
    assert.equal(
      (await learner.post(url, { lessonStatus: 'passed', suspendData: 'x'.repeat(4097) })).statusCode,
      400,
    );
    assert.equal((await learner.post(url, { lessonStatus: 'done' })).statusCode, 400);
    const other = await h.as(h.a.users.analyst.email);
    assert.equal(
      (await other.post(url, { lessonStatus: 'passed', scoreRaw: 100 })).statusCode,
      404,
      "not one's own",
    );
    const failed = await learner.post(url, {
      lessonStatus: 'failed',
      scoreRaw: 40,
      scoreMin: 0,
      scoreMax: 100,
      sessionTime: '0000:05:00',
      suspendData: 'page=2',
    });
    assert.equal(failed.statusCode, 200, failed.body);
    assert.deepEqual(failed.json(), { result: true, errorCode: 0, status: 'in_progress', score: 0.4 });
    assert.equal(
      (await h.kernel.db.query('select 1 from certificates where enrolment_id = $1', [enrolmentId])).length,
      0,
      'a failed SCO gives no certificate',
    );
    assert.equal((await learner.get(url)).json().suspendData, 'page=2');
    // The catalogue and "my learning" still list it while it is open (a SCORM version has no modules).
    const catalogue = await learner.get('/api/learning/courses');
    assert.equal(catalogue.statusCode, 200, catalogue.body);
    const listed = catalogue.json().items.find((c: { kind: string }) => c.kind === 'scorm');
    assert.deepEqual(listed.enrolment, { id: enrolmentId, status: 'in_progress', percent: 0 });
    const mine = await learner.get('/api/learning/enrolments/me');
    assert.equal(mine.statusCode, 200, mine.body);
    const passed = await learner.post(url, {
      lessonStatus: 'passed',
      scoreRaw: 90,
      sessionTime: '0000:02:00',
    });
    assert.deepEqual(passed.json(), { result: true, errorCode: 0, status: 'completed', score: 0.9 });
    const [e] = await h.kernel.db.query<{
      status: string;
      score: number;
      progress: { scorm: { totalSeconds: number } };
    }>('select status, score, progress from enrolments where id = $1', [enrolmentId]);
    assert.equal(e!.status, 'completed');
    assert.equal(e!.score, 0.9);
    assert.equal(e!.progress.scorm.totalSeconds, 420);
    const certs = (await learner.get('/api/learning/certificates/me')).json().items;
    assert.equal(certs.length, 1);
    assert.equal(certs[0].course, 'Border ethics (SCORM sample)');
    // A later "incomplete" does not undo the completion.
    assert.equal((await learner.post(url, { lessonStatus: 'incomplete' })).json().status, 'completed');
  });

  it('runs in Chromium with scorm-again: the SCO’s LMSSetValue/LMSCommit/LMSFinish complete the enrolment with its score', {
    skip: fs.existsSync(CHROMIUM) ? false : `Chromium is missing at ${CHROMIUM} (set CHROMIUM_PATH)`,
  }, async () => {
    const imported = (await upload(manager, samplePackage('Browser run'))).json();
    const enrolmentId = await enrol(h.a.users.executive.id, imported.courseId);
    const exec = await h.as(h.a.users.executive.email);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const address = h.app.server.address() as { port: number };
    const origin = `http://127.0.0.1:${address.port}`;
    const launchUrl = (await exec.get(`/api/learning/enrolments/${enrolmentId}/scorm`)).json().launchUrl;
    // A test-only runtime page, same origin as the API: scorm-again's SCORM 1.2 API as
    // window.API in the parent, the SCO in an iframe, commits to the enrolment's route.
    const harness = `<!doctype html><html><head><meta charset="utf-8">
        <script src="/__test/scorm12.js"></script></head><body>
        <script>
          window.API = new Scorm12API({
            lmsCommitUrl: '/api/learning/enrolments/${enrolmentId}/scorm',
            xhrHeaders: { 'X-Requested-With': 'arusha' },
            autocommit: false,
            requestHandler: function (c) {
              var core = (c.cmi && c.cmi.core) || {}, s = core.score || {};
              var num = function (v) { return v === '' || v === undefined ? null : Number(v); };
              var body = { lessonStatus: core.lesson_status || 'not attempted', scoreRaw: num(s.raw), scoreMin: num(s.min), scoreMax: num(s.max) };
              if (core.session_time) body.sessionTime = core.session_time;
              if (c.cmi && c.cmi.suspend_data) body.suspendData = c.cmi.suspend_data;
              return body;
            }
          });
        </script>
        <iframe id="sco" src="${launchUrl}" style="width:800px;height:400px"></iframe></body></html>`;
    const browser = await pwChromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name: 'arusha_session', value: exec.cookie!, url: origin }]);
      await context.route(`${origin}/__test/runtime`, (r) =>
        r.fulfill({ status: 200, contentType: 'text/html', body: harness }),
      );
      await context.route(`${origin}/__test/scorm12.js`, (r) =>
        r.fulfill({
          status: 200,
          contentType: 'text/javascript',
          body: fs.readFileSync(path.join(ROOT, 'node_modules/scorm-again/dist/scorm12.js'), 'utf8'),
        }),
      );
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${origin}/__test/runtime`);
      const sco = page.frameLocator('#sco');
      await sco.locator('#state').filter({ hasText: 'ready' }).waitFor({ timeout: 15_000 });
      await sco.locator('#finish').click();
      await sco
        .locator('#state')
        .filter({ hasText: /committed|commit-failed/ })
        .waitFor({ timeout: 15_000 });
      assert.equal(await sco.locator('#state').textContent(), 'committed', errors.join('; '));
    } finally {
      await browser.close();
    }
    const [e] = await h.kernel.db.query<{
      status: string;
      score: number;
      progress: { scorm: { lessonStatus: string; scoreRaw: number; suspendData: string } };
    }>('select status, score, progress from enrolments where id = $1', [enrolmentId]);
    assert.equal(e!.status, 'completed');
    assert.equal(e!.score, 0.85);
    assert.equal(e!.progress.scorm.lessonStatus, 'passed');
    assert.equal(e!.progress.scorm.scoreRaw, 85);
    assert.equal(e!.progress.scorm.suspendData, 'page=3');
    const certs = (await exec.get('/api/learning/certificates/me')).json().items;
    assert.equal(certs.length, 1);
  });

  it('exports learning records as xAPI 1.0.3 statements (account actor, ADL verbs, course activity)', async () => {
    assert.equal((await learner.get('/api/learning/xapi')).statusCode, 403);
    const res = await analyst.get('/api/learning/xapi?since=2020-01-01T00:00:00Z');
    assert.equal(res.statusCode, 200, res.body);
    type Statement = {
      id: string;
      version: string;
      actor: { account: { name: string } };
      verb: { id: string };
      object: { objectType: string; id: string; definition: { name: Record<string, string> } };
      result: { completion?: boolean; success?: boolean; score: { scaled: number; raw?: number } };
      timestamp: string;
    };
    const list = res.json() as Statement[];
    const staff = list.filter((s) => s.actor.account.name === h.a.users.staff.id);
    assert.deepEqual(staff.map((s) => s.verb.id).sort(), [
      'http://adlnet.gov/expapi/verbs/completed',
      'http://adlnet.gov/expapi/verbs/passed',
      'http://adlnet.gov/expapi/verbs/scored',
    ]);
    const [slug] = (
      await h.kernel.db.query<{ slug: string }>('select slug from courses where id = $1', [courseId])
    ).map((r) => r.slug);
    for (const s of staff) {
      assert.match(s.id, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(s.version, '1.0.3');
      assert.deepEqual(s.actor, {
        objectType: 'Agent',
        account: { homePage: h.config.publicUrl, name: h.a.users.staff.id },
      });
      assert.equal(s.object.objectType, 'Activity');
      assert.equal(s.object.id, `${h.config.publicUrl}/learning/courses/${slug}`);
      assert.equal(s.object.definition.name['en-US'], 'Border ethics (SCORM sample)');
      assert.ok(!Number.isNaN(Date.parse(s.timestamp)));
      assert.equal(s.result.score.scaled, 0.9);
      assert.equal(s.result.score.raw, 90);
    }
    assert.equal(staff.find((s) => s.verb.id.endsWith('/completed'))!.result.completion, true);
    assert.equal(staff.find((s) => s.verb.id.endsWith('/passed'))!.result.success, true);
    assert.ok(!res.body.includes('@'), 'no e-mail address in the statements');
    // Stable ids: the same records export the same statement ids.
    const again = (await analyst.get('/api/learning/xapi')).json() as { id: string }[];
    assert.deepEqual(
      again
        .map((s) => s.id)
        .filter((id) => staff.some((s) => s.id === id))
        .sort(),
      staff.map((s) => s.id).sort(),
    );
    assert.deepEqual((await analyst.get('/api/learning/xapi?since=2999-01-01T00:00:00Z')).json(), []);
    assert.equal((await analyst.get('/api/learning/xapi?since=yesterday')).statusCode, 400);
    // Tenant B sees none of tenant A's records.
    const bAnalyst = await h.as(h.b.users.analyst.email);
    assert.deepEqual((await bAnalyst.get('/api/learning/xapi')).json(), []);
  });
});
