import { spawn } from 'node:child_process';
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import type { Actor } from '../../platform/auth/actor.ts';
import { SecretBox } from '../../platform/crypto/secret-box.ts';
import type { Database } from '../../platform/db/client.ts';
import { withSystem } from '../../platform/db/system.ts';
import { rows, type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { isLocale, type Locale, t } from '../../platform/i18n/i18n.ts';
import { escapeHtml } from '../../platform/pdf/pdf.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { Directory } from '../identity/index.ts';
import type { OrgCertificate } from './learning.certificates.contract.ts';
import { certificates, courses, courseVersions, enrolments, quizAttempts } from './learning.schema.ts';

// Signed certificates (docs/adr/0017-learning-certificates-scorm.md).
//
// A certificate is a short text statement in the learner's language — the very lines the PDF
// prints — signed with the deployment's Ed25519 key. Anyone with the published public key can
// check a PDF offline: extract its text, rebuild the statement, verify the signature.

// ---------------------------------------------------------------------------------------------
// Codes: 100 random bits in Crockford base32, five groups of four (XXXX-XXXX-XXXX-XXXX-XXXX).

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newCode(): string {
  const bytes = randomBytes(13); // 104 bits, 100 used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 20; i++) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return out.match(/.{4}/g)!.join('-');
}

/** What a person typed → the canonical code, or null (Crockford: I/L → 1, O → 0, no U). */
export function normalizeCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  if (!/^[0-9A-HJKMNP-TV-Z]{20}$/.test(s)) return null;
  return s.match(/.{4}/g)!.join('-');
}

// ---------------------------------------------------------------------------------------------
// The statement

export const STATEMENT_MARKER = 'Arusha certificate v1';
export const SIGNATURE_MARKER = 'Ed25519-Signature:';
export const KEY_MARKER = 'Key-Id:';
/** The signed statement, base64 (UTF-8), in the small print (ADR 0017, "Offline verification"). */
export const SIGNED_TEXT_MARKER = 'Signed-Text:';

export interface CertificateFacts {
  code: string;
  learner: string;
  course: string;
  version: number;
  /** YYYY-MM-DD */
  completedOn: string;
  issuer: string;
}

/** One line of text: no line breaks or control characters, spaces collapsed. */
const oneLine = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The statement's lines in `locale`; the same lines are printed on the PDF and signed. */
export function statementLines(f: CertificateFacts, locale: Locale): string[] {
  const L = (k: string) => t(locale, `learning.certificate.${k}`);
  return [
    STATEMENT_MARKER,
    L('heading'),
    `${L('code')}: ${f.code}`,
    `${L('learner')}: ${oneLine(f.learner)}`,
    `${L('course')}: ${oneLine(f.course)}`,
    `${L('version')}: ${f.version}`,
    `${L('completedOn')}: ${f.completedOn}`,
    `${L('issuer')}: ${oneLine(f.issuer)}`,
  ];
}

/** Reads the facts back from a stored statement (by position; labels may be in any language). */
export function parseStatement(payload: string): CertificateFacts | null {
  const lines = payload.split('\n');
  if (lines.length !== 8 || lines[0] !== STATEMENT_MARKER) return null;
  const value = (i: number) => {
    const l = lines[i]!;
    const at = l.indexOf(': ');
    return at < 0 ? '' : l.slice(at + 2);
  };
  const version = Number(value(5));
  return {
    code: value(2),
    learner: value(3),
    course: value(4),
    version: Number.isInteger(version) ? version : 0,
    completedOn: value(6),
    issuer: value(7),
  };
}

/**
 * What is signed: the statement as text, Unicode NFKC and every run of white space one space.
 * Extracting text from a PDF keeps the words and their order but not the line breaks (a long
 * course title may wrap), so the signature covers exactly that.
 */
export const canonicalText = (s: string) => s.normalize('NFKC').replace(/\s+/g, ' ').trim();

export function signStatement(payload: string, key: KeyObject): string {
  return sign(null, Buffer.from(canonicalText(payload), 'utf8'), key).toString('base64');
}

export function verifyStatement(payload: string, signatureB64: string, publicKeyPem: string): boolean {
  try {
    const sig = Buffer.from(signatureB64.replace(/\s+/g, ''), 'base64');
    if (sig.length !== 64) return false;
    return verify(null, Buffer.from(canonicalText(payload), 'utf8'), createPublicKey(publicKeyPem), sig);
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Offline verification of a PDF

/**
 * The statement as printed, the signature, the key id and, when the PDF carries it, the signed
 * statement itself (decoded from its base64 in the small print), found in a PDF's extracted text.
 */
export function extractSigned(
  text: string,
): { statement: string; signature: string; keyId: string; signed?: string } | null {
  const flat = text.normalize('NFKC');
  const start = flat.indexOf(STATEMENT_MARKER);
  const sigAt = flat.indexOf(SIGNATURE_MARKER, start);
  const keyAt = flat.indexOf(KEY_MARKER, sigAt);
  if (start < 0 || sigAt < 0 || keyAt < 0) return null;
  const statement = flat.slice(start, sigAt);
  const textAt = flat.indexOf(SIGNED_TEXT_MARKER, sigAt);
  const sigEnd = textAt >= 0 && textAt < keyAt ? textAt : keyAt;
  const signature = flat.slice(sigAt + SIGNATURE_MARKER.length, sigEnd).replace(/\s+/g, '');
  let signed: string | undefined;
  if (sigEnd === textAt) {
    const b64 = flat.slice(textAt + SIGNED_TEXT_MARKER.length, keyAt).replace(/\s+/g, '');
    signed = /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : '';
  }
  const keyId = (
    flat
      .slice(keyAt + KEY_MARKER.length)
      .trim()
      .split(/\s+/)[0] ?? ''
  ).trim();
  return { statement, signature, keyId, ...(signed === undefined ? {} : { signed }) };
}

// Bidi controls that pdftotext wraps right-to-left runs in, and the letters of right-to-left scripts.
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;
const RTL_LETTER = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/;

/**
 * One word of a statement line as compared: without bidi controls and the colons that move
 * around right-to-left labels; its combining marks (Arabic shadda, vowels) as a sorted set next
 * to its letters, because text extraction may put a mark before or after its letter; a run of
 * digit groups (an ISO date) in either order, because extraction may reverse it.
 */
function wordKey(w: string): string {
  const t = w.replace(BIDI, '').replace(/^:+|:+$/g, '');
  if (/^\d+(-\d+)+$/.test(t)) {
    return [t, t.split('-').reverse().join('-')].sort()[0]!;
  }
  const marks = [...t.matchAll(/\p{M}/gu)].map((m) => m[0]).sort();
  return `${t.replace(/\p{M}/gu, '')}|${marks.join('')}`;
}
const wordsOf = (line: string) =>
  line
    .replace(BIDI, ' ')
    .split(/\s+/)
    .map(wordKey)
    .filter((k) => k !== '' && k !== '|');

/**
 * Does the printed statement say what the signed one says? For a left-to-right statement: the
 * same words in the same order (line breaks aside). For a right-to-left one, whose extracted
 * text comes out in visual order: line by line (a line may wrap onto the next), the same words,
 * in any order within the line. ADR 0017 explains what this does and does not detect.
 */
export function printedMatchesSigned(printed: string, signed: string): boolean {
  if (canonicalText(printed) === canonicalText(signed)) return true;
  if (!RTL_LETTER.test(signed)) return false;
  const shown = printed
    .normalize('NFKC')
    .split('\n')
    .map(wordsOf)
    .filter((l) => l.length > 0);
  let at = 0;
  for (const line of signed.normalize('NFKC').split('\n')) {
    const need = new Map<string, number>();
    for (const k of wordsOf(line)) need.set(k, (need.get(k) ?? 0) + 1);
    let left = [...need.values()].reduce((a, b) => a + b, 0);
    while (left > 0) {
      const next = shown[at++];
      if (!next) return false;
      for (const k of next) {
        const n = need.get(k) ?? 0;
        if (n === 0) return false;
        need.set(k, n - 1);
        left--;
      }
    }
  }
  return at === shown.length;
}

/** The text of a PDF through poppler's pdftotext (Debian: poppler-utils); a clear error without it. */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-verify-'));
  const file = path.join(dir, 'certificate.pdf');
  fs.writeFileSync(file, pdf);
  try {
    return await new Promise<string>((resolve, reject) => {
      const p = spawn('pdftotext', ['-enc', 'UTF-8', '-nopgbrk', file, '-'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let err = '';
      p.stdout.on('data', (d: Buffer) => out.push(d));
      p.stderr.on('data', (d: Buffer) => {
        err += d.toString();
      });
      p.on('error', (e: NodeJS.ErrnoException) =>
        reject(
          e.code === 'ENOENT'
            ? new Error(
                'pdftotext is not installed: it reads the text of the PDF (Debian/Ubuntu: apt install poppler-utils; macOS: brew install poppler).',
              )
            : e,
        ),
      );
      p.on('exit', (code) =>
        code === 0
          ? resolve(Buffer.concat(out).toString('utf8'))
          : reject(
              new Error(`pdftotext could not read the file (exit ${code}): ${err.trim().slice(0, 300)}`),
            ),
      );
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface PdfVerification {
  valid: boolean;
  reason: string;
  keyId?: string;
  statement?: string;
}

/** Checks a certificate PDF against public keys (key id → PEM), offline. */
export async function verifyPdf(pdf: Buffer, keys: Record<string, string>): Promise<PdfVerification> {
  const found = extractSigned(await pdfText(pdf));
  if (!found)
    return { valid: false, reason: 'No signed Arusha certificate statement was found in this PDF.' };
  const pem = keys[found.keyId] ?? (Object.keys(keys).length === 1 ? Object.values(keys)[0] : undefined);
  if (!pem) return { valid: false, reason: `No public key for key id ${found.keyId}.`, keyId: found.keyId };
  const notSigned =
    'The signature does NOT match the text: the PDF was altered or was not signed with this key.';
  if (found.signed === undefined) {
    // A certificate printed before the signed text was embedded: the printed text itself.
    const ok = verifyStatement(found.statement, found.signature, pem);
    return {
      valid: ok,
      reason: ok ? 'The signature matches the text of the certificate.' : notSigned,
      keyId: found.keyId,
      statement: canonicalText(found.statement),
    };
  }
  if (!verifyStatement(found.signed, found.signature, pem))
    return { valid: false, reason: notSigned, keyId: found.keyId };
  if (!printedMatchesSigned(found.statement, found.signed))
    return {
      valid: false,
      reason:
        'The signature does NOT match the text as printed: the signed statement is intact, but the text shown on the certificate was altered.',
      keyId: found.keyId,
      statement: canonicalText(found.signed),
    };
  return {
    valid: true,
    reason: 'The signature matches the text of the certificate.',
    keyId: found.keyId,
    statement: canonicalText(found.signed),
  };
}

export const keyIdOf = (publicKeyPem: string) =>
  createHash('sha256')
    .update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);

// ---------------------------------------------------------------------------------------------
// The deployment's signing key

interface SigningKey {
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
}

const loaded = new WeakMap<Database, Promise<SigningKey>>();

/**
 * Loads (or creates, at the first start) the deployment's signing key through the owner handle
 * — the application role cannot read learning_signing_keys — and keeps it in memory. Called by
 * the module's onStart, so signing inside a tenant transaction never needs the owner handle.
 * A key that no longer decrypts (SECRET_KEY changed) is retired, not deleted: certificates it
 * signed stay verifiable with its published public key, and a new key signs from now on.
 */
export function loadSigningKey(k: Kernel): Promise<SigningKey> {
  let p = loaded.get(k.db);
  if (!p) {
    p = loadOrCreate(k);
    loaded.set(k.db, p);
    p.catch(() => loaded.delete(k.db));
  }
  return p;
}

async function loadOrCreate(k: Kernel): Promise<SigningKey> {
  // The private key at rest: AES-256-GCM under a key derived from SECRET_KEY.
  const box = new SecretBox(k.config.SECRET_KEY, 'learning-signing-key-v1');
  return withSystem(k.db, async (tx) => {
    type Row = { key_id: string; public_key_pem: string; private_key_enc: string };
    const active = async () =>
      rows<Row>(
        tx.execute(
          sql`select key_id, public_key_pem, private_key_enc from learning_signing_keys where retired_at is null`,
        ),
      );
    let [row] = await active();
    if (row) {
      try {
        const privateKey = createPrivateKey(box.open(row.private_key_enc));
        return { keyId: row.key_id, publicKeyPem: row.public_key_pem, privateKey };
      } catch {
        k.log.warn(
          { keyId: row.key_id },
          'the certificate signing key does not decrypt with this SECRET_KEY: retired, a new key is created',
        );
        await tx.execute(
          sql`update learning_signing_keys set retired_at = now() where key_id = ${row.key_id}`,
        );
      }
    }
    const pair = generateKeyPairSync('ed25519');
    // SPKI PEM for the public key (never JWK: its export has deadlocked Node 20).
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyId = keyIdOf(publicKeyPem);
    await tx.execute(sql`insert into learning_signing_keys (key_id, public_key_pem, private_key_enc)
      values (${keyId}, ${publicKeyPem}, ${box.seal(privatePem)})
      on conflict do nothing`);
    // Another instance may have won the race: use whichever key is active.
    [row] = await active();
    return {
      keyId: row!.key_id,
      publicKeyPem: row!.public_key_pem,
      privateKey: createPrivateKey(box.open(row!.private_key_enc)),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// The service

const NIL_TENANT = '00000000-0000-0000-0000-000000000000';
const directory = new Directory();

export interface CertificateSummary {
  id: string;
  code: string;
  courseId: string;
  course: string;
  version: number;
  completedOn: string;
  issuedAt: string;
  revoked: boolean;
  verifyUrl: string;
}

export type PublicVerification =
  | {
      valid: true;
      status: 'valid';
      code: string;
      learner: string;
      course: string;
      version: number;
      completedOn: string;
      issuer: string;
    }
  | { valid: false; status: 'revoked' | 'unknown' };

const pick = (m: Record<string, string> | null | undefined, locale: string) =>
  m?.[locale] ?? m?.en ?? Object.values(m ?? {})[0] ?? '';

export class CertificatesService {
  constructor(private readonly k: Kernel) {}

  verifyUrl(code: string) {
    return `${this.k.config.publicUrl}/verify/${code}`;
  }

  /**
   * Issues the certificate of a completed enrolment, once (idempotent: a second call changes
   * nothing). Refuses with 409 CONFLICT unless the enrolment is completed and, for a native
   * course, every module quiz of its version has a passed attempt. No-op when the course
   * version says `certificate: false`. Called by the learning core on completion, and by the
   * SCORM runtime commit.
   */
  async issue(tx: TenantTx, tenantId: string, enrolmentId: string): Promise<void> {
    const [e] = await tx.select().from(enrolments).where(eq(enrolments.id, enrolmentId));
    if (!e) throw notFound('enrolment');
    if (e.status !== 'completed' || !e.completedAt)
      throw new AppError('CONFLICT', 'A certificate is issued only for a completed course');
    const [existing] = await tx
      .select({ id: certificates.id })
      .from(certificates)
      .where(eq(certificates.enrolmentId, enrolmentId));
    if (existing) return;
    const [course] = await tx.select().from(courses).where(eq(courses.id, e.courseId));
    if (!course) throw notFound('course');
    const [version] = e.courseVersionId
      ? await tx.select().from(courseVersions).where(eq(courseVersions.id, e.courseVersionId))
      : await tx
          .select()
          .from(courseVersions)
          .where(and(eq(courseVersions.courseId, e.courseId), eq(courseVersions.status, 'published')))
          .orderBy(desc(courseVersions.number))
          .limit(1);
    if (!version) throw new AppError('CONFLICT', 'The course has no version to certify');
    const content = (version.content ?? {}) as {
      certificate?: boolean;
      modules?: { id: string; quiz?: unknown }[];
    };
    if (content.certificate === false) return;
    if (course.kind === 'native') {
      const withQuiz = (content.modules ?? []).filter((m) => m.quiz).map((m) => m.id);
      if (withQuiz.length) {
        const passed = await tx
          .selectDistinct({ moduleId: quizAttempts.moduleId })
          .from(quizAttempts)
          .where(and(eq(quizAttempts.enrolmentId, enrolmentId), eq(quizAttempts.passed, true)));
        const ok = new Set(passed.map((p) => p.moduleId));
        const missing = withQuiz.filter((m) => !ok.has(m));
        if (missing.length)
          throw new AppError('CONFLICT', `Not every quiz is passed (${missing.join(', ')})`);
      }
    }
    const org = await directory.organisation(tx);
    const learner = (await directory.members(tx, { includeDisabled: true })).find(
      (m) => m.userId === e.userId,
    );
    if (!org || !learner) throw notFound('learner');
    const locale: Locale = isLocale(learner.locale)
      ? learner.locale
      : isLocale(org.defaultLocale)
        ? org.defaultLocale
        : 'en';
    const key = await loadSigningKey(this.k);
    const code = newCode();
    const payload = statementLines(
      {
        code,
        learner: learner.name,
        course: pick(course.title, locale),
        version: version.number,
        completedOn: e.completedAt.toISOString().slice(0, 10),
        issuer: org.name,
      },
      locale,
    ).join('\n');
    const inserted = await tx
      .insert(certificates)
      .values({
        tenantId,
        enrolmentId,
        userId: e.userId,
        code,
        payload,
        signature: signStatement(payload, key.privateKey),
        keyId: key.keyId,
      })
      .onConflictDoNothing({ target: certificates.enrolmentId })
      .returning({ id: certificates.id });
    if (!inserted[0]) return;
    await this.k.audit.record(tx, tenantId, {
      actorId: e.userId,
      action: 'learning.certificate.issued',
      entityType: 'certificate',
      entityId: inserted[0].id,
      data: { enrolmentId, courseId: e.courseId, version: version.number },
    });
  }

  async mine(tx: TenantTx, actor: Actor): Promise<CertificateSummary[]> {
    const list = await tx
      .select({ c: certificates, courseId: enrolments.courseId })
      .from(certificates)
      .innerJoin(enrolments, eq(enrolments.id, certificates.enrolmentId))
      .where(eq(certificates.userId, actor.userId))
      .orderBy(desc(certificates.issuedAt));
    return list.map(({ c, courseId }) => {
      const f = parseStatement(c.payload);
      return {
        id: c.id,
        code: c.code,
        courseId,
        course: f?.course ?? '',
        version: f?.version ?? 0,
        completedOn: f?.completedOn ?? '',
        issuedAt: c.issuedAt.toISOString(),
        revoked: c.revokedAt !== null,
        verifyUrl: this.verifyUrl(c.code),
      };
    });
  }

  /**
   * Every certificate of the organisation, newest first: who, which course and version (as
   * the certificate states them), when, its code and whether it was revoked. For learning
   * managers and report readers; the learner's current unit comes from the directory.
   */
  async list(tx: TenantTx): Promise<OrgCertificate[]> {
    const list = await tx
      .select({ c: certificates, courseId: enrolments.courseId })
      .from(certificates)
      .innerJoin(enrolments, eq(enrolments.id, certificates.enrolmentId))
      .orderBy(desc(certificates.issuedAt), desc(certificates.id));
    const people = new Map(
      (await directory.members(tx, { includeDisabled: true })).map((m) => [m.userId, m]),
    );
    const units = new Map((await directory.units(tx)).map((u) => [u.id, u.name]));
    return list.map(({ c, courseId }) => {
      const f = parseStatement(c.payload);
      const who = people.get(c.userId);
      return {
        id: c.id,
        code: c.code,
        learner: who?.name ?? f?.learner ?? '',
        userId: c.userId,
        unit: (who?.unitId && units.get(who.unitId)) || null,
        courseId,
        course: f?.course ?? '',
        version: f?.version ?? 0,
        completedOn: f?.completedOn ?? '',
        issuedAt: c.issuedAt.toISOString(),
        revoked: c.revokedAt !== null,
        revokedAt: c.revokedAt?.toISOString() ?? null,
      };
    });
  }

  /** The certificate PDF: one's own, or any of the tenant's for a manager. */
  async pdf(tx: TenantTx, actor: Actor, id: string): Promise<{ filename: string; data: Buffer }> {
    const [c] = await tx.select().from(certificates).where(eq(certificates.id, id));
    if (!c || (c.userId !== actor.userId && !actor.permissions.has('learning.manage')))
      throw notFound('certificate');
    if (c.revokedAt) throw new AppError('GONE', 'This certificate was revoked');
    const html = await this.html(c.payload, c.signature, c.keyId, c.code);
    return { filename: `certificate-${c.code}.pdf`, data: await this.k.pdf.render(html) };
  }

  /** The PDF's HTML: the statement's lines, a QR code to the verification page, the signature. */
  async html(payload: string, signature: string, keyId: string, code: string): Promise<string> {
    const lines = payload.split('\n');
    const url = this.verifyUrl(code);
    const qr = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
    const [marker, heading, ...facts] = lines;
    // The page's direction follows the statement's heading (the learner's language).
    const dir = RTL_LETTER.test(heading ?? '') ? 'rtl' : 'ltr';
    return `<!doctype html><html dir="${dir}"><head><meta charset="utf-8"><style>
      @page { size: A4 landscape; }
      body { font-family: 'DejaVu Sans', 'Noto Sans', Arial, sans-serif; color: #1b2a3a; margin: 0;
        font-variant-ligatures: none; hyphens: none; }
      .frame { border: 6px double #1f4e79; padding: 28px 40px; min-height: 150mm; position: relative; }
      .marker { font-size: 9pt; color: #4a5a6a; letter-spacing: .05em; }
      h1 { font-size: 28pt; margin: 8px 0 24px; color: #1f4e79; }
      .fact { font-size: 14pt; margin: 6px 0; }
      .qr { position: absolute; inset-inline-end: 40px; top: 40px; width: 120px; height: 120px; }
      .small { font-size: 6.5pt; color: #4a5a6a; margin-top: 28px; word-break: break-all; direction: ltr; text-align: start; }
    </style></head><body><div class="frame">
      <div class="qr">${qr}</div>
      <div class="marker">${escapeHtml(marker ?? '')}</div>
      <h1>${escapeHtml(heading ?? '')}</h1>
      ${facts.map((f) => `<div class="fact">${escapeHtml(f)}</div>`).join('\n')}
      <div class="small"><div>${SIGNATURE_MARKER} ${escapeHtml(signature)}</div>
      <div>${SIGNED_TEXT_MARKER} ${Buffer.from(payload, 'utf8').toString('base64')}</div>
      <div>${KEY_MARKER} ${escapeHtml(keyId)}</div>
      <div>${escapeHtml(url)}</div></div>
    </div></body></html>`;
  }

  async revoke(tx: TenantTx, tenantId: string, actor: Actor, id: string, reason: string): Promise<void> {
    const [c] = await tx.select().from(certificates).where(eq(certificates.id, id));
    if (!c) throw notFound('certificate');
    const updated = await tx
      .update(certificates)
      .set({ revokedAt: new Date(), revokedReason: reason, revokedBy: actor.userId })
      .where(and(eq(certificates.id, id), isNull(certificates.revokedAt)))
      .returning({ id: certificates.id });
    if (!updated[0]) throw new AppError('CONFLICT', 'This certificate is already revoked');
    await this.k.audit.record(tx, tenantId, {
      actorId: actor.userId,
      action: 'learning.certificate.revoked',
      entityType: 'certificate',
      entityId: id,
      data: { reason, code: c.code },
    });
  }

  /**
   * The public verification, across tenants, with no login: through the SECURITY DEFINER
   * function, as the application role scoped to no tenant at all. Only what the certificate
   * states, and only when its signature still checks; a revoked one says "revoked", nothing else.
   */
  async verify(input: string): Promise<PublicVerification> {
    const code = normalizeCode(input);
    if (!code) return { valid: false, status: 'unknown' };
    const [row] = await withTenant(
      this.k.db,
      { tenantId: NIL_TENANT, userId: null },
      (tx) =>
        rows<{ payload: string; signature: string; key_id: string; revoked: boolean }>(
          tx.execute(sql`select * from learning_verify_certificate(${code})`),
        ),
      { readOnly: true },
    );
    if (!row) return { valid: false, status: 'unknown' };
    if (row.revoked) return { valid: false, status: 'revoked' };
    const keys = await this.publicKeys();
    const pem = keys.find((x) => x.keyId === row.key_id)?.publicKeyPem;
    const f = parseStatement(row.payload);
    if (!pem || !f || f.code !== code || !verifyStatement(row.payload, row.signature, pem))
      return { valid: false, status: 'unknown' };
    return { valid: true, status: 'valid', ...f };
  }

  async publicKeys(): Promise<
    { keyId: string; publicKeyPem: string; createdAt: string; retired: boolean }[]
  > {
    const list = await withTenant(
      this.k.db,
      { tenantId: NIL_TENANT, userId: null },
      (tx) =>
        rows<{ key_id: string; public_key_pem: string; created_at: Date | string; retired_at: unknown }>(
          tx.execute(sql`select * from learning_public_keys()`),
        ),
      { readOnly: true },
    );
    return list.map((r) => ({
      keyId: r.key_id,
      publicKeyPem: r.public_key_pem,
      createdAt: new Date(r.created_at).toISOString(),
      retired: r.retired_at !== null,
    }));
  }
}
