import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as K from './reports.crypto.ts';

// Cheap Argon2id for the tests that do not measure the KDF itself.
const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const T = '0190a3f0-0000-7000-8000-000000000001';
const R = '6f1d2b8e-3c4a-4e5f-8a9b-0c1d2e3f4a5b';
const ctx = { tenantId: T, reportId: R, purpose: 'answers' };

describe('reports crypto', () => {
  it('round trip: content under the report key, the report key sealed to a handler and to the reporter', async () => {
    const h = await K.createHandlerKey('handler passphrase 1', FAST);
    const key = K.newReportKey();
    const sealed = K.encryptJson(key, { what: 'a bribe at the border', amount: 500 }, ctx);
    assert.equal(sealed.includes(Buffer.from('bribe')), false);
    const seal = K.sealTo(h.stored.publicKey, key, T, R);
    const unlocked = await K.unlockWithPassphrase(h.stored, 'handler passphrase 1');
    const opened = K.openSeal(unlocked, seal, T, R);
    assert.deepEqual(K.decryptJson(opened, sealed, ctx), { what: 'a bribe at the border', amount: 500 });

    const receipt = K.newReceipt();
    const pepper = K.receiptPepper('x'.repeat(40));
    const rk = await K.receiptKeys(receipt, pepper, T, FAST);
    const forReporter = K.sealForReporter(rk.key, key, T, R);
    const again = await K.receiptKeys(receipt, pepper, T, FAST);
    assert.equal(again.lookup, rk.lookup);
    assert.deepEqual(K.openForReporter(again.key, forReporter, T, R), key);
  });

  it('tampering is detected: a flipped bit, another report, another purpose or a cut blob', async () => {
    const key = K.newReportKey();
    const sealed = K.encrypt(key, 'canary text', ctx);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 5]! ^= 1;
    assert.throws(() => K.decrypt(key, flipped, ctx), K.DecryptError);
    assert.throws(() => K.decrypt(key, sealed, { ...ctx, reportId: T }), K.DecryptError);
    assert.throws(() => K.decrypt(key, sealed, { ...ctx, purpose: 'message:1' }), K.DecryptError);
    assert.throws(() => K.decrypt(key, sealed.subarray(0, 20), ctx), K.DecryptError);
    const h = await K.createHandlerKey('pass phrase two', FAST);
    const seal = K.sealTo(h.stored.publicKey, key, T, R);
    const bad = Buffer.from(seal);
    bad[3]! ^= 1; // the ephemeral public key
    assert.throws(() => K.openSeal(h.privateKey, bad, T, R), K.DecryptError);
    assert.throws(() => K.openSeal(h.privateKey, seal, T, T), K.DecryptError);
  });

  it('a handler the key was not sealed to cannot open it; a wrong passphrase unlocks nothing', async () => {
    const assigned = await K.createHandlerKey('assigned handler', FAST);
    const other = await K.createHandlerKey('other handler', FAST);
    const key = K.newReportKey();
    const seal = K.sealTo(assigned.stored.publicKey, key, T, R);
    assert.throws(() => K.openSeal(other.privateKey, seal, T, R), K.DecryptError);
    await assert.rejects(K.unlockWithPassphrase(assigned.stored, 'Assigned handler'), K.DecryptError);
  });

  it('an administrator holding every stored row (wrapped keys, seals, ciphertext) but no passphrase cannot decrypt', async () => {
    const h = await K.createHandlerKey('only the handler knows', FAST);
    const key = K.newReportKey();
    const rows = {
      handlerKey: h.stored,
      seal: K.sealTo(h.stored.publicKey, key, T, R),
      answers: K.encrypt(key, 'canary', ctx),
    };
    // What an administrator can try with the database alone: the stored bytes as keys.
    for (const guess of [rows.handlerKey.publicKey, rows.handlerKey.wrappedByPassphrase.subarray(0, 32)])
      assert.throws(() => K.decrypt(guess, rows.answers, ctx), K.DecryptError);
    await assert.rejects(K.unlockWithPassphrase(rows.handlerKey, ''), K.DecryptError);
    assert.throws(() => K.unlockWithRecovery(rows.handlerKey, 'AAAA-'.repeat(13)), K.DecryptError);
    // A key pair an administrator generates is not the handler's.
    const admin = await K.createHandlerKey('admin', FAST);
    assert.throws(() => K.openSeal(admin.privateKey, rows.seal, T, R), K.DecryptError);
  });

  it('re-sealing on reassignment: the new handler opens the same key, the removed one has no seal left', async () => {
    const first = await K.createHandlerKey('first handler', FAST);
    const second = await K.createHandlerKey('second handler', FAST);
    const key = K.newReportKey();
    const seals = new Map([['first', K.sealTo(first.stored.publicKey, key, T, R)]]);
    // Reassign: the first handler opens the key and seals it to the second; the first seal is dropped.
    const opened = K.openSeal(first.privateKey, seals.get('first')!, T, R);
    seals.set('second', K.sealTo(second.stored.publicKey, opened, T, R));
    seals.delete('first');
    assert.deepEqual(K.openSeal(second.privateKey, seals.get('second')!, T, R), key);
    assert.throws(() => K.openSeal(first.privateKey, seals.get('second')!, T, R), K.DecryptError);
    assert.equal(seals.has('first'), false);
  });

  it('the recovery key shown once unlocks the private key, and a new passphrase can be set with it', async () => {
    const h = await K.createHandlerKey('forgotten passphrase', FAST);
    assert.match(h.recoveryKey, /^([A-Z2-9]{4}-){12}[A-Z2-9]{4}$/);
    const key = K.newReportKey();
    const seal = K.sealTo(h.stored.publicKey, key, T, R);
    const recovered = K.unlockWithRecovery(h.stored, h.recoveryKey.toLowerCase().replaceAll('-', ' '));
    assert.deepEqual(K.openSeal(recovered, seal, T, R), key);
    const rewrapped = await K.rewrapPassphrase(h.stored, recovered, 'a new passphrase', FAST);
    const again = await K.unlockWithPassphrase(rewrapped, 'a new passphrase');
    assert.deepEqual(K.openSeal(again, seal, T, R), key);
    await assert.rejects(K.unlockWithPassphrase(rewrapped, 'forgotten passphrase'), K.DecryptError);
    const wrongRecovery = `${h.recoveryKey.startsWith('A') ? 'B' : 'A'}${h.recoveryKey.slice(1)}`;
    assert.throws(() => K.unlockWithRecovery(h.stored, wrongRecovery), K.DecryptError);
  });

  it('escrow is off by default', () => {
    assert.equal(K.ESCROW_DEFAULT, false);
  });

  it('receipts: 20 digits (≥ 66 bits), normalised, and the stored lookup does not give the key', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = K.newReceipt();
      assert.match(r, /^[0-9]{20}$/);
      seen.add(r);
    }
    assert.equal(seen.size, 200);
    assert.ok(Math.log2(10 ** K.RECEIPT_DIGITS) >= 66);
    assert.equal(K.normaliseReceipt('1234 5678-9012.3456 7890'), '12345678901234567890');
    assert.equal(K.normaliseReceipt('1234'), null);
    assert.equal(K.normaliseReceipt('1234567890123456789a'), null);
    const pepper = K.receiptPepper('y'.repeat(40));
    const a = await K.receiptKeys('12345678901234567890', pepper, T, FAST);
    assert.notEqual(a.lookup, a.key.toString('hex'));
    // Another pepper (another server) or another tenant gives another lookup.
    const b = await K.receiptKeys('12345678901234567890', K.receiptPepper('z'.repeat(40)), T, FAST);
    const c = await K.receiptKeys('12345678901234567890', pepper, R, FAST);
    assert.notEqual(a.lookup, b.lookup);
    assert.notEqual(a.lookup, c.lookup);
  });

  it('padding hides the length within a size class and is not a fixed function of it', () => {
    const key = K.newReportKey();
    const short = K.encrypt(key, 'a', ctx);
    const longer = K.encrypt(key, 'a'.repeat(200), ctx);
    assert.equal(short.length, longer.length);
    assert.equal(K.paddedLength(1000), 1024);
    assert.equal(K.paddedLength(5000), 5120);
    const one = K.encrypt(key, 'same', ctx);
    const two = K.encrypt(key, 'same', ctx);
    assert.notDeepEqual(one, two);
    assert.equal(K.decrypt(key, one, ctx).toString(), 'same');
  });

  it('the shipped KDF parameters are the ones in ADR 0023, and a handler unlock costs what it says', async () => {
    assert.deepEqual(K.HANDLER_KDF, { memoryCost: 131072, timeCost: 3, parallelism: 1 });
    assert.deepEqual(K.RECEIPT_KDF, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const h = await K.createHandlerKey('a strong key passphrase');
    assert.equal(h.stored.kdf.memoryCost, 131072);
    const t0 = performance.now();
    await K.unlockWithPassphrase(h.stored, 'a strong key passphrase');
    const ms = performance.now() - t0;
    assert.ok(ms > 20, `Argon2id at 128 MiB took ${ms} ms`);
  });
});
