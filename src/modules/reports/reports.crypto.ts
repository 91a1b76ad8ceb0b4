import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from 'node:crypto';
import { hashRaw } from '@node-rs/argon2';

const ARGON2ID = 2; // Algorithm.Argon2id (a const enum)

/**
 * The key hierarchy of the reporting channel (docs/adr/0023-reporting-encryption.md).
 *
 * - Each handler has an X25519 key pair. The public key is stored raw (32 bytes, taken from
 *   its SPKI DER form: never JWK, which deadlocks Node 20 in loops). The private key (PKCS#8
 *   DER) is wrapped twice with AES-256-GCM: under a key derived from the handler's key
 *   passphrase with Argon2id, and under a random recovery key shown once.
 * - Each report has a random 256-bit key. Answers, messages and files are encrypted with it
 *   (AES-256-GCM, length-hiding padding, additional data binding tenant, report and purpose).
 * - The report key is sealed to each assigned handler (ephemeral X25519 + HKDF-SHA256 +
 *   AES-256-GCM) and to the reporter (a key derived from the receipt with Argon2id and a
 *   server-side pepper that is not in the database).
 *
 * Only node:crypto and @node-rs/argon2: no hand-written primitives.
 */

export const FORMAT = 1;
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const IV = 12;
const TAG = 16;

/** Argon2id for a handler's key passphrase: 128 MiB, 3 passes (GlobaLeaks uses 128 MiB, 16). */
export const HANDLER_KDF = { memoryCost: 131072, timeCost: 3, parallelism: 1 } as const;
/**
 * Argon2id for the receipt (run at every submission and follow-up login): 19 MiB, 2 passes.
 * The receipt has 66 bits and the pepper is outside the database, so this cost only matters
 * to an attacker who holds both the database and the pepper (threat model).
 */
export const RECEIPT_KDF = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export type KdfParams = { memoryCost: number; timeCost: number; parallelism: number };

/** Key escrow (an organisation key that can open every report) is off unless switched on. */
export const ESCROW_DEFAULT = false;

// ---- primitives -------------------------------------------------------------------------------

function aad(parts: readonly string[]): Buffer {
  return Buffer.from(`arusha.reports.v${FORMAT}|${parts.join('|')}`, 'utf8');
}

function gcmSeal(key: Buffer, plain: Buffer, ad: Buffer): Buffer {
  const iv = randomBytes(IV);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(ad);
  const body = Buffer.concat([c.update(plain), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]);
}

function gcmOpen(key: Buffer, sealed: Buffer, ad: Buffer): Buffer {
  if (sealed.length < IV + TAG) throw new DecryptError();
  try {
    const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV));
    d.setAAD(ad);
    d.setAuthTag(sealed.subarray(IV, IV + TAG));
    return Buffer.concat([d.update(sealed.subarray(IV + TAG)), d.final()]);
  } catch {
    throw new DecryptError();
  }
}

/** Anything that fails authentication: wrong key, wrong context, tampered bytes. */
export class DecryptError extends Error {
  constructor() {
    super('cannot decrypt: wrong key or tampered data');
  }
}

const hkdf = (ikm: Buffer, salt: Buffer, info: string) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));

export async function argon2id(secret: string | Buffer, salt: Buffer, p: KdfParams): Promise<Buffer> {
  return hashRaw(secret, { algorithm: ARGON2ID, ...p, outputLen: 32, salt });
}

// ---- length-hiding padding --------------------------------------------------------------------

/**
 * Pads to a size class: at least 256 bytes, then the next multiple of 1/8 of the next power of
 * two (so a ciphertext says the plaintext length within 12.5 %), with random filler.
 * Layout: u32 length | data | random bytes.
 */
export function paddedLength(n: number): number {
  const need = n + 4;
  if (need <= 256) return 256;
  const pow = 2 ** Math.ceil(Math.log2(need));
  const step = Math.max(256, pow / 8);
  return Math.ceil(need / step) * step;
}

export function pad(data: Buffer): Buffer {
  const out = Buffer.alloc(paddedLength(data.length));
  out.writeUInt32BE(data.length, 0);
  data.copy(out, 4);
  randomBytes(out.length - 4 - data.length).copy(out, 4 + data.length);
  return out;
}

export function unpad(padded: Buffer): Buffer {
  const n = padded.readUInt32BE(0);
  if (n > padded.length - 4) throw new DecryptError();
  return padded.subarray(4, 4 + n);
}

// ---- report content ---------------------------------------------------------------------------

/** Where a ciphertext belongs: a blob moved to another report, tenant or purpose fails to open. */
export interface Context {
  tenantId: string;
  reportId: string;
  /** e.g. 'answers', 'message:<id>', 'file:<id>' */
  purpose: string;
}

export const newReportKey = (): Buffer => randomBytes(32);

export function encrypt(reportKey: Buffer, plain: Buffer | string, ctx: Context): Buffer {
  const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain;
  return gcmSeal(reportKey, pad(data), aad([ctx.tenantId, ctx.reportId, ctx.purpose]));
}

export function decrypt(reportKey: Buffer, sealed: Buffer, ctx: Context): Buffer {
  return unpad(gcmOpen(reportKey, sealed, aad([ctx.tenantId, ctx.reportId, ctx.purpose])));
}

export const encryptJson = (k: Buffer, v: unknown, ctx: Context) => encrypt(k, JSON.stringify(v), ctx);
export const decryptJson = <T>(k: Buffer, sealed: Buffer, ctx: Context): T =>
  JSON.parse(decrypt(k, sealed, ctx).toString('utf8')) as T;

// ---- handler keys -----------------------------------------------------------------------------

export const rawPublicKey = (k: KeyObject): Buffer =>
  (k.export({ type: 'spki', format: 'der' }) as Buffer).subarray(-32);

const publicKeyFromRaw = (raw: Buffer): KeyObject => {
  if (raw.length !== 32) throw new DecryptError();
  return createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: 'der', type: 'spki' });
};

/** What is stored for a handler: nothing here opens a report without the passphrase or recovery key. */
export interface StoredHandlerKey {
  publicKey: Buffer;
  kdf: KdfParams & { salt: string };
  /** PKCS#8 DER private key under Argon2id(passphrase). */
  wrappedByPassphrase: Buffer;
  /** The same under the recovery key. */
  wrappedByRecovery: Buffer;
}

/** An unlocked private key, held in memory only (see reports.unlock.ts). */
export type PrivateKey = KeyObject;

const WRAP_PASS = aad(['handler-key', 'passphrase']);
const WRAP_RECOVERY = aad(['handler-key', 'recovery']);

/** Recovery key: 32 random bytes, shown once as 13 groups of 4 base32 characters (+ checksum-free). */
const B32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
function recoveryText(bytes: Buffer): string {
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5)
    out += B32[Number.parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out.match(/.{1,4}/g)!.join('-');
}
function recoveryBytes(text: string): Buffer {
  const clean = text.toUpperCase().replace(/[^A-Z0-9]/g, '');
  let bits = '';
  for (const ch of clean) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new DecryptError();
    bits += v.toString(2).padStart(5, '0');
  }
  if (bits.length < 256) throw new DecryptError();
  const out = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return out;
}
const recoveryKek = (bytes: Buffer) => hkdf(bytes, Buffer.alloc(0), 'arusha.reports.recovery-kek.v1');

export async function createHandlerKey(
  passphrase: string,
  kdf: KdfParams = HANDLER_KDF,
): Promise<{ stored: StoredHandlerKey; recoveryKey: string; privateKey: PrivateKey }> {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer;
  const salt = randomBytes(16);
  const kek = await argon2id(passphrase, salt, kdf);
  const recovery = randomBytes(32);
  const stored: StoredHandlerKey = {
    publicKey: rawPublicKey(publicKey),
    kdf: { ...kdf, salt: salt.toString('base64') },
    wrappedByPassphrase: gcmSeal(kek, pkcs8, WRAP_PASS),
    wrappedByRecovery: gcmSeal(recoveryKek(recovery), pkcs8, WRAP_RECOVERY),
  };
  return { stored, recoveryKey: recoveryText(recovery), privateKey };
}

function checkPair(stored: StoredHandlerKey, pkcs8: Buffer): PrivateKey {
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  const pub = rawPublicKey(createPublicKey(key));
  if (!timingSafeEqual(pub, stored.publicKey)) throw new DecryptError();
  return key;
}

/** Throws DecryptError on a wrong passphrase. */
export async function unlockWithPassphrase(
  stored: StoredHandlerKey,
  passphrase: string,
): Promise<PrivateKey> {
  const { salt, ...params } = stored.kdf;
  const kek = await argon2id(passphrase, Buffer.from(salt, 'base64'), params);
  return checkPair(stored, gcmOpen(kek, stored.wrappedByPassphrase, WRAP_PASS));
}

export function unlockWithRecovery(stored: StoredHandlerKey, recoveryKey: string): PrivateKey {
  return checkPair(
    stored,
    gcmOpen(recoveryKek(recoveryBytes(recoveryKey)), stored.wrappedByRecovery, WRAP_RECOVERY),
  );
}

/** A new passphrase (after a recovery): the same key pair, re-wrapped; the recovery wrap is kept. */
export async function rewrapPassphrase(
  stored: StoredHandlerKey,
  privateKey: PrivateKey,
  passphrase: string,
  kdf: KdfParams = HANDLER_KDF,
): Promise<StoredHandlerKey> {
  const salt = randomBytes(16);
  const kek = await argon2id(passphrase, salt, kdf);
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer;
  return {
    ...stored,
    kdf: { ...kdf, salt: salt.toString('base64') },
    wrappedByPassphrase: gcmSeal(kek, pkcs8, WRAP_PASS),
  };
}

// ---- sealing the report key -------------------------------------------------------------------

const sealAad = (tenantId: string, reportId: string) => aad(['seal', tenantId, reportId]);

/** Ephemeral X25519 → HKDF-SHA256 → AES-256-GCM to a recipient's raw public key: eph pub (32) | iv | tag | data. */
function sealToKey(recipientRaw: Buffer, data: Buffer, ad: Buffer): Buffer {
  const recipient = publicKeyFromRaw(recipientRaw);
  const eph = generateKeyPairSync('x25519');
  const ephRaw = rawPublicKey(eph.publicKey);
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const kek = hkdf(shared, Buffer.concat([ephRaw, recipientRaw]), 'arusha.reports.seal.v1');
  return Buffer.concat([ephRaw, gcmSeal(kek, data, ad)]);
}

function openWithKey(privateKey: PrivateKey, sealed: Buffer, ad: Buffer): Buffer {
  if (sealed.length < 32 + IV + TAG) throw new DecryptError();
  const ephRaw = sealed.subarray(0, 32);
  const ownRaw = rawPublicKey(createPublicKey(privateKey));
  const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(Buffer.from(ephRaw)) });
  const kek = hkdf(shared, Buffer.concat([ephRaw, ownRaw]), 'arusha.reports.seal.v1');
  return gcmOpen(kek, sealed.subarray(32), ad);
}

/** Seals a report key to a handler's public key: ephemeral pub (32) | iv | tag | sealed key. */
export const sealTo = (recipientRaw: Buffer, reportKey: Buffer, tenantId: string, reportId: string): Buffer =>
  sealToKey(recipientRaw, reportKey, sealAad(tenantId, reportId));

export const openSeal = (
  privateKey: PrivateKey,
  sealed: Buffer,
  tenantId: string,
  reportId: string,
): Buffer => openWithKey(privateKey, sealed, sealAad(tenantId, reportId));

// ---- key escrow (off unless an administration switches it on) ----------------------------------

/**
 * An administration's escrow key pair: X25519 like a handler's. The public key is stored raw;
 * the private key (PKCS#8 DER) is only ever stored sealed to each custodian's handler key.
 */
export function createEscrowKey(): { publicKey: Buffer; privateKey: PrivateKey } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return { publicKey: rawPublicKey(publicKey), privateKey };
}

const escrowKeyAad = (tenantId: string, escrowId: string) => aad(['escrow-key', tenantId, escrowId]);
const escrowSealAad = (tenantId: string, reportId: string) => aad(['escrow-seal', tenantId, reportId]);

/** The escrow private key sealed to a custodian's handler public key (the same sealing as report keys). */
export const sealEscrowKey = (
  custodianRaw: Buffer,
  escrowKey: PrivateKey,
  tenantId: string,
  escrowId: string,
) =>
  sealToKey(
    custodianRaw,
    escrowKey.export({ type: 'pkcs8', format: 'der' }) as Buffer,
    escrowKeyAad(tenantId, escrowId),
  );

/** A custodian's unlocked handler key opens the escrow private key; checked against the stored public key. */
export function openEscrowKey(
  custodianKey: PrivateKey,
  sealed: Buffer,
  escrowPublicRaw: Buffer,
  tenantId: string,
  escrowId: string,
): PrivateKey {
  const pkcs8 = openWithKey(custodianKey, sealed, escrowKeyAad(tenantId, escrowId));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  if (!timingSafeEqual(rawPublicKey(createPublicKey(key)), escrowPublicRaw)) throw new DecryptError();
  return key;
}

/** A report key sealed to the escrow public key (its own label: a handler seal cannot stand in for it). */
export const sealToEscrow = (
  escrowPublicRaw: Buffer,
  reportKey: Buffer,
  tenantId: string,
  reportId: string,
) => sealToKey(escrowPublicRaw, reportKey, escrowSealAad(tenantId, reportId));

export const openEscrowSeal = (escrowKey: PrivateKey, sealed: Buffer, tenantId: string, reportId: string) =>
  openWithKey(escrowKey, sealed, escrowSealAad(tenantId, reportId));

// ---- the reporter's receipt -------------------------------------------------------------------

/** 20 random decimal digits (10^20 ≈ 2^66.4), each drawn without bias from the CSPRNG. */
export const RECEIPT_DIGITS = 20;

export function newReceipt(): string {
  let s = '';
  for (let i = 0; i < RECEIPT_DIGITS; i++) s += String(randomInt(10));
  return s;
}

/** Spaces, dashes and dots a reporter may type are ignored; anything else is not a receipt. */
export function normaliseReceipt(input: string): string | null {
  const digits = input.replace(/[\s.-]/g, '');
  return /^[0-9]{20}$/.test(digits) ? digits : null;
}

export const formatReceipt = (r: string) => r.match(/.{1,4}/g)!.join(' ');

/** The pepper: derived from the server's SECRET_KEY (configuration), never stored in the database. */
export function receiptPepper(secretKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, 'arusha', 'arusha.reports.receipt-pepper.v1', 32));
}

/**
 * From a receipt: the lookup hash stored to find the report (hex) and the reporter's key that
 * seals the report key. One Argon2id run (salt = tenant-bound pepper), then two HKDF outputs
 * with different labels, so the stored hash does not give the key.
 */
export async function receiptKeys(
  receipt: string,
  pepper: Buffer,
  tenantId: string,
  kdf: KdfParams = RECEIPT_KDF,
): Promise<{ lookup: string; key: Buffer }> {
  const salt = hkdf(pepper, Buffer.from(tenantId, 'utf8'), 'arusha.reports.receipt-salt.v1').subarray(0, 16);
  const master = await argon2id(receipt, salt, kdf);
  return {
    lookup: hkdf(master, Buffer.alloc(0), 'arusha.reports.receipt-lookup.v1').toString('hex'),
    key: hkdf(master, Buffer.alloc(0), 'arusha.reports.receipt-key.v1'),
  };
}

export const sealForReporter = (reporterKey: Buffer, reportKey: Buffer, tenantId: string, reportId: string) =>
  gcmSeal(reporterKey, reportKey, aad(['reporter', tenantId, reportId]));

export const openForReporter = (reporterKey: Buffer, sealed: Buffer, tenantId: string, reportId: string) =>
  gcmOpen(reporterKey, sealed, aad(['reporter', tenantId, reportId]));
