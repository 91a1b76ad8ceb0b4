import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { withTenant } from '../../platform/db/tenant.ts';
import { createHarness, type Client, type Harness } from '../../platform/testing/harness.ts';
import { uuidv7 } from '../../platform/ids.ts';
import {
  CertificatesService,
  canonicalText,
  newCode,
  normalizeCode,
  parseStatement,
  signStatement,
  verifyPdf,
  verifyStatement,
} from './learning.certificates.ts';
import { certificates, courses, courseVersions, enrolments, quizAttempts } from './learning.schema.ts';

const chromium = fs.existsSync(process.env.CHROMIUM_PATH || '/usr/bin/chromium');
const pdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const ROOT = path.resolve(import.meta.dirname, '../../..');

/** A native course of tenant `tenantId` with one quiz module, and an enrolment of `userId`. */
export async function nativeEnrolment(
  h: Harness,
  tenantId: string,
  userId: string,
  opts: { title?: Record<string, string>; certificate?: boolean } = {},
) {
  return withTenant(h.kernel.db, { tenantId, userId }, async (tx) => {
    const courseId = uuidv7();
    const versionId = uuidv7();
    await tx.insert(courses).values({
      id: courseId,
      tenantId,
      slug: `c-${courseId.slice(-8)}`,
      title: opts.title ?? { en: 'Integrity at the border', fr: 'L’intégrité à la frontière' },
    });
    await tx.insert(courseVersions).values({
      id: versionId,
      tenantId,
      courseId,
      number: 3,
      status: 'published',
      languages: ['en', 'fr'],
      content: {
        certificate: opts.certificate ?? true,
        modules: [{ id: 'm1', quiz: { pass_mark: 0.8 } }, { id: 'm2' }],
      },
      sha256: 'x',
      publishedAt: new Date(),
    });
    const [e] = await tx
      .insert(enrolments)
      .values({ tenantId, userId, courseId, courseVersionId: versionId, status: 'in_progress' })
      .returning();
    return { courseId, versionId, enrolmentId: e!.id };
  });
}

export async function complete(h: Harness, tenantId: string, enrolmentId: string, passedQuiz: boolean) {
  await withTenant(h.kernel.db, { tenantId, userId: null }, async (tx) => {
    await tx.insert(quizAttempts).values({
      tenantId,
      enrolmentId,
      moduleId: 'm1',
      attempt: passedQuiz ? 2 : 1,
      seed: 's',
      questionIds: ['q1'],
      score: passedQuiz ? 0.9 : 0.4,
      passed: passedQuiz,
      submittedAt: new Date(),
    });
    await tx.execute(
      sql`update enrolments set status = 'completed', completed_at = '2026-03-14T10:00:00Z', score = 0.9 where id = ${enrolmentId}`,
    );
  });
}

describe('learning certificates', () => {
  let h: Harness;
  let svc: CertificatesService;
  let learner: Client;
  let manager: Client;
  let colleague: Client;
  let enrolmentId: string;
  let certId: string;
  let code: string;

  before(async () => {
    h = await createHarness();
    svc = new CertificatesService(h.kernel);
    learner = await h.as(h.a.users.staff.email);
    manager = await h.as(h.a.users.integrity_officer.email);
    colleague = await h.as(h.a.users.analyst.email);
    await h.kernel.db.query('update users set locale = $1 where id = $2', ['fr', h.a.users.staff.id]);
    ({ enrolmentId } = await nativeEnrolment(h, h.a.id, h.a.users.staff.id));
  });
  after(() => h.close());

  const issue = (id = enrolmentId) =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) => svc.issue(tx, h.a.id, id));
  const count = async () =>
    (await h.kernel.db.query<{ n: number }>('select count(*)::int as n from certificates'))[0]!.n;

  it('codes carry 100 random bits in Crockford base32 groups, and typing slips are forgiven', () => {
    const c = newCode();
    assert.match(c, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    assert.notEqual(newCode(), c);
    assert.equal(normalizeCode(c.toLowerCase().replaceAll('-', ' ')), c);
    assert.equal(normalizeCode('0ILO-1111-2222-3333-4444'), '0110-1111-2222-3333-4444');
    assert.equal(normalizeCode('UUUU-1111-2222-3333-4444'), null, 'U is not a Crockford digit');
    assert.equal(normalizeCode("' OR 1=1 --"), null);
  });

  it('the signature covers the words of the statement, not its line breaks; any edit breaks it', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const text = 'Arusha certificate v1\nCertificate\nLearner: Ana Lima\nCourse: Gifts';
    const sig = signStatement(text, privateKey);
    assert.ok(verifyStatement(text, sig, pem));
    assert.ok(
      verifyStatement('Arusha certificate v1 Certificate\nLearner:  Ana\n Lima Course: Gifts', sig, pem),
    );
    assert.equal(verifyStatement(text.replace('Ana', 'Ann'), sig, pem), false);
    assert.equal(verifyStatement(text, sig.replace(/^./, sig[0] === 'A' ? 'B' : 'A'), pem), false);
    assert.equal(canonicalText(' a\n\tb  c '), 'a b c');
  });

  it('a learner who has not passed gets no certificate, through the service or any route', async () => {
    await assert.rejects(issue(), (e: Error & { code?: string }) => e.code === 'CONFLICT');
    // Completed on paper, but the quiz of module m1 was failed: still refused.
    await complete(h, h.a.id, enrolmentId, false);
    await assert.rejects(issue(), /Not every quiz is passed \(m1\)/);
    assert.equal(await count(), 0);
    const mine = await learner.get('/api/learning/certificates/me');
    assert.equal(mine.statusCode, 200);
    assert.deepEqual(mine.json().items, []);
    // No route issues one on request: a made-up id is 404, a SCORM commit on a native course too.
    assert.equal((await learner.get(`/api/learning/certificates/${uuidv7()}/pdf`)).statusCode, 404);
    const commit = await learner.post(`/api/learning/enrolments/${enrolmentId}/scorm`, {
      lessonStatus: 'passed',
      scoreRaw: 100,
    });
    assert.equal(commit.statusCode, 404, 'a native course is not completed through the SCORM commit');
    assert.equal(await count(), 0);
  });

  it('once every quiz is passed, one certificate is issued (idempotent) in the learner’s language', async () => {
    await complete(h, h.a.id, enrolmentId, true);
    await issue();
    await issue();
    assert.equal(await count(), 1);
    const [c] = await h.kernel.db.owner.select().from(certificates);
    certId = c!.id;
    code = c!.code;
    assert.deepEqual(c!.payload.split('\n'), [
      'Arusha certificate v1',
      'Certificat de réussite',
      `Code: ${code}`,
      'Apprenant: staff A',
      'Cours: L’intégrité à la frontière',
      'Version: 3',
      'Terminé le: 2026-03-14',
      'Délivré par: Tenant A Customs',
    ]);
    const keys = await svc.publicKeys();
    assert.equal(keys.length, 1);
    assert.equal(c!.keyId, keys[0]!.keyId);
    assert.ok(verifyStatement(c!.payload, c!.signature, keys[0]!.publicKeyPem));
    const mine = (await learner.get('/api/learning/certificates/me')).json().items;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].code, code);
    assert.equal(mine[0].completedOn, '2026-03-14');
    assert.equal(mine[0].verifyUrl, `${h.config.publicUrl}/verify/${code}`);
    assert.deepEqual((await colleague.get('/api/learning/certificates/me')).json().items, []);
  });

  it('managers and report readers list the organisation’s certificates; learners and other tenants do not', async () => {
    const [unit] = await h.kernel.db.query<{ id: string }>(
      `insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), $1, 'office', 'Port office A') returning id`,
      [h.a.id],
    );
    await h.kernel.db.query('update memberships set org_unit_id = $1 where user_id = $2 and tenant_id = $3', [
      unit!.id,
      h.a.users.staff.id,
      h.a.id,
    ]);
    const res = await manager.get('/api/learning/certificates');
    assert.equal(res.statusCode, 200, res.body);
    const { items } = res.json();
    assert.equal(items.length, 1);
    assert.deepEqual(
      { ...items[0], issuedAt: typeof items[0].issuedAt },
      {
        id: certId,
        code,
        learner: 'staff A',
        userId: h.a.users.staff.id,
        unit: 'Port office A',
        courseId: items[0].courseId,
        course: 'L’intégrité à la frontière',
        version: 3,
        completedOn: '2026-03-14',
        issuedAt: 'string',
        revoked: false,
        revokedAt: null,
      },
    );
    // An analyst reads the learning reports: the list, but no revoke button on the server side.
    assert.equal((await colleague.get('/api/learning/certificates')).json().items.length, 1);
    assert.equal((await learner.get('/api/learning/certificates')).statusCode, 403);
    const bManager = await h.as(h.b.users.integrity_officer.email);
    assert.deepEqual((await bManager.get('/api/learning/certificates')).json().items, []);
  });

  it('a course version that says certificate: false issues none', async () => {
    const e = await nativeEnrolment(h, h.a.id, h.a.users.executive.id, { certificate: false });
    await complete(h, h.a.id, e.enrolmentId, true);
    await issue(e.enrolmentId);
    assert.equal(await count(), 1);
  });

  it('the public verification page states what the certificate states, and nothing else', async () => {
    const anon = h.anonymous();
    const res = await anon.get(`/api/learning/verify/${code.toLowerCase()}`);
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.deepEqual(body, {
      valid: true,
      status: 'valid',
      code,
      learner: 'staff A',
      course: 'L’intégrité à la frontière',
      version: 3,
      completedOn: '2026-03-14',
      issuer: 'Tenant A Customs',
    });
    for (const secret of [h.a.id, h.a.users.staff.id, h.a.users.staff.email, enrolmentId, certId, '@'])
      assert.ok(!res.body.includes(secret), `the page reveals ${secret}`);
    const unknown = await anon.get('/api/learning/verify/AAAA-BBBB-CCCC-DDDD-EEEE');
    assert.deepEqual(unknown.json(), { valid: false, status: 'unknown' });
    assert.equal((await anon.get('/api/learning/verify/%27%20OR%201%3D1')).statusCode, 400);
  });

  it('a certificate whose stored text was edited no longer verifies (the signature is checked)', async () => {
    await h.kernel.db.query("update certificates set payload = replace(payload, 'staff A', 'Someone Else')");
    assert.deepEqual((await h.anonymous().get(`/api/learning/verify/${code}`)).json(), {
      valid: false,
      status: 'unknown',
    });
    await h.kernel.db.query("update certificates set payload = replace(payload, 'Someone Else', 'staff A')");
    assert.equal((await h.anonymous().get(`/api/learning/verify/${code}`)).json().valid, true);
  });

  it('the signing key is encrypted at rest and out of the application role’s reach', async () => {
    const [k] = await h.kernel.db.query<{ private_key_enc: string; public_key_pem: string }>(
      'select private_key_enc, public_key_pem from learning_signing_keys',
    );
    assert.match(k!.private_key_enc, /^v1\./);
    assert.doesNotMatch(k!.private_key_enc, /PRIVATE KEY/);
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) =>
        tx.execute(sql`select * from learning_signing_keys`),
      ),
      (e: Error & { cause?: Error }) => /permission denied/.test(`${e.message} ${e.cause?.message}`),
    );
    const pem = await h.anonymous().get('/api/learning/public-key');
    assert.equal(pem.statusCode, 200);
    assert.equal(pem.body, k!.public_key_pem);
    assert.match(pem.body, /^-----BEGIN PUBLIC KEY-----/);
    const all = (await h.anonymous().get('/api/learning/public-keys')).json();
    assert.equal(all.keys.length, 1);
    assert.equal(all.current, all.keys[0].keyId);
  });

  it('the PDF shows the signed statement and a QR code; offline verification passes it and fails an edited one', {
    skip: !chromium
      ? 'Chromium is not installed (/usr/bin/chromium)'
      : !pdftotext
        ? 'pdftotext is not installed (poppler-utils)'
        : false,
  }, async () => {
    const res = await learner.get(`/api/learning/certificates/${certId}/pdf`);
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    assert.equal(res.headers['content-type'], 'application/pdf');
    const pdf = res.rawPayload;
    const keys = Object.fromEntries((await svc.publicKeys()).map((x) => [x.keyId, x.publicKeyPem]));
    const ok = await verifyPdf(pdf, keys);
    assert.equal(ok.valid, true, ok.reason);
    assert.match(ok.statement!, /Apprenant: staff A/);
    // Another manager of the tenant may download it; a colleague may not (404, not 403).
    assert.equal((await manager.get(`/api/learning/certificates/${certId}/pdf`)).statusCode, 200);
    assert.equal((await colleague.get(`/api/learning/certificates/${certId}/pdf`)).statusCode, 404);

    // Tampered: the same signature and key id over a PDF whose learner name was changed.
    const [c] = await h.kernel.db.owner.select().from(certificates);
    const forged = await h.kernel.pdf.render(
      await svc.html(c!.payload.replace('staff A', 'Mallory'), c!.signature, c!.keyId, c!.code),
    );
    const bad = await verifyPdf(forged, keys);
    assert.equal(bad.valid, false);
    assert.match(bad.reason, /does NOT match/);
    // The CLI, with the published key in a file: exit 0 for the original, 1 for the forgery.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-cert-'));
    fs.writeFileSync(path.join(dir, 'ok.pdf'), pdf);
    fs.writeFileSync(path.join(dir, 'forged.pdf'), forged);
    fs.writeFileSync(path.join(dir, 'key.pem'), Object.values(keys)[0]!);
    const cli = (file: string) =>
      spawnSync(
        process.execPath,
        [
          'bin/arusha.mjs',
          'learning',
          'verify-pdf',
          path.join(dir, file),
          '--key',
          path.join(dir, 'key.pem'),
        ],
        { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' }, timeout: 60_000 },
      );
    const good = cli('ok.pdf');
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /VALID/);
    const forgedRun = cli('forged.pdf');
    assert.equal(forgedRun.status, 1, forgedRun.stdout + forgedRun.stderr);
    assert.match(forgedRun.stdout + forgedRun.stderr, /NOT valid/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('revocation: managers only, with a reason; the certificate then verifies as not valid', async () => {
    assert.equal(
      (await learner.post(`/api/learning/certificates/${certId}/revoke`, { reason: 'copied the quiz' }))
        .statusCode,
      403,
    );
    assert.equal(
      (await manager.post(`/api/learning/certificates/${certId}/revoke`, { reason: 'x' })).statusCode,
      400,
    );
    const res = await manager.post(`/api/learning/certificates/${certId}/revoke`, {
      reason: 'Quiz answers shared',
    });
    assert.equal(res.statusCode, 204, res.body);
    const v = await h.anonymous().get(`/api/learning/verify/${code}`);
    assert.deepEqual(v.json(), { valid: false, status: 'revoked' });
    assert.doesNotMatch(v.body, /Quiz answers shared|staff A/);
    assert.equal(
      (await manager.post(`/api/learning/certificates/${certId}/revoke`, { reason: 'again, later' }))
        .statusCode,
      409,
    );
    assert.equal((await learner.get(`/api/learning/certificates/${certId}/pdf`)).statusCode, 410);
    assert.equal((await learner.get('/api/learning/certificates/me')).json().items[0].revoked, true);
    const listed = (await manager.get('/api/learning/certificates')).json().items[0];
    assert.equal(listed.revoked, true);
    assert.ok(Date.parse(listed.revokedAt) > Date.now() - 60_000, listed.revokedAt);
    assert.equal(
      (await colleague.post(`/api/learning/certificates/${certId}/revoke`, { reason: 'not a manager' }))
        .statusCode,
      403,
    );
    const [audit] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from audit_events where action = 'learning.certificate.revoked'",
    );
    assert.equal(audit!.n, 1);
    // Tenant B's manager cannot revoke (or see) tenant A's certificate.
    const bManager = await h.as(h.b.users.integrity_officer.email);
    assert.equal((await bManager.get(`/api/learning/certificates/${certId}/pdf`)).statusCode, 404);
  });

  it('an Arabic certificate verifies offline; one whose printed name or date was edited does not', {
    skip: !chromium
      ? 'Chromium is not installed (/usr/bin/chromium)'
      : !pdftotext
        ? 'pdftotext is not installed (poppler-utils)'
        : false,
  }, async () => {
    const userId = h.a.users.org_admin.id;
    await h.kernel.db.query('update users set locale = $1, name = $2 where id = $3', [
      'ar',
      'ليلى حدّاد',
      userId,
    ]);
    const e = await nativeEnrolment(h, h.a.id, userId, {
      title: { en: 'Integrity in Customs', ar: 'النزاهة في الجمارك' },
    });
    await complete(h, h.a.id, e.enrolmentId, true);
    await issue(e.enrolmentId);
    const [c] = await h.kernel.db.query<{ payload: string; signature: string; key_id: string; code: string }>(
      'select payload, signature, key_id, code from certificates where enrolment_id = $1',
      [e.enrolmentId],
    );
    assert.match(c!.payload, /المتعلّم: ليلى حدّاد/);
    assert.match(c!.payload, /2026-03-14/);
    const keys = Object.fromEntries((await svc.publicKeys()).map((x) => [x.keyId, x.publicKeyPem]));
    const html = await svc.html(c!.payload, c!.signature, c!.key_id, c!.code);
    assert.match(html, /<html dir="rtl">/, 'an Arabic statement is laid out right to left');
    const render = async (edit: (s: string) => string) => {
      const edited = edit(html);
      return verifyPdf(await h.kernel.pdf.render(edited), keys);
    };
    const ok = await render((s) => s);
    assert.equal(ok.valid, true, ok.reason);
    // The visible name edited, the embedded signed text left as it was.
    const name = await render((s) => s.replace(': ليلى حدّاد<', ': سارة حدّاد<'));
    assert.equal(name.valid, false);
    assert.match(name.reason, /as printed/);
    // A different (valid) date printed: the day and month swapped.
    const date = await render((s) => s.replace('2026-03-14<', '2026-14-03<'));
    assert.equal(date.valid, false);
    const date2 = await render((s) => s.replace('2026-03-14<', '2026-03-04<'));
    assert.equal(date2.valid, false);
    // A name appended to the printed text.
    const added = await render((s) => s.replace(': ليلى حدّاد<', ': ليلى حدّاد محمود<'));
    assert.equal(added.valid, false);
    // Left to right as well: the printed name edited, the embedded signed text intact.
    const [fr] = await h.kernel.db.owner
      .select()
      .from(certificates)
      .where(sql`enrolment_id = ${enrolmentId}`);
    const frHtml = await svc.html(fr!.payload, fr!.signature, fr!.keyId, fr!.code);
    assert.match(frHtml, /<html dir="ltr">/);
    assert.equal((await verifyPdf(await h.kernel.pdf.render(frHtml), keys)).valid, true);
    const frEdited = await verifyPdf(
      await h.kernel.pdf.render(frHtml.replace('Apprenant: staff A<', 'Apprenant: Mallory<')),
      keys,
    );
    assert.equal(frEdited.valid, false);
    assert.match(frEdited.reason, /as printed/);
  });

  it('parseStatement reads the facts back by position, in any language', () => {
    const f = parseStatement(
      'Arusha certificate v1\nشهادة إتمام\nالرمز: AAAA-BBBB-CCCC-DDDD-EEEE\nالمتعلّم: ليلى\nالدورة: النزاهة\nالإصدار: 2\nتاريخ الإتمام: 2026-01-02\nصادرة عن: الجمارك',
    );
    assert.deepEqual(f, {
      code: 'AAAA-BBBB-CCCC-DDDD-EEEE',
      learner: 'ليلى',
      course: 'النزاهة',
      version: 2,
      completedOn: '2026-01-02',
      issuer: 'الجمارك',
    });
    assert.equal(parseStatement('something else'), null);
  });
});
