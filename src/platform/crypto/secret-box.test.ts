import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SecretBox } from './secret-box.ts';

describe('SecretBox', () => {
  const key = 'k'.repeat(40);

  it('round-trips, with a fresh IV each time', () => {
    const box = new SecretBox(key, 'test-v1');
    const a = box.seal('JBSWY3DPEHPK3PXP');
    const b = box.seal('JBSWY3DPEHPK3PXP');
    assert.notEqual(a, b);
    assert.match(a, /^v1\./);
    assert.equal(box.open(a), 'JBSWY3DPEHPK3PXP');
    assert.equal(box.open(b), 'JBSWY3DPEHPK3PXP');
  });

  it('another purpose or secret key cannot open it; tampering and unknown formats are refused', () => {
    const sealed = new SecretBox(key, 'test-v1').seal('secret');
    assert.throws(() => new SecretBox(key, 'other-v1').open(sealed));
    assert.throws(() => new SecretBox('x'.repeat(40), 'test-v1').open(sealed));
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => new SecretBox(key, 'test-v1').open(`v1.${raw.toString('base64url')}`));
    assert.throws(
      () => new SecretBox(key, 'test-v1').open(`v2.${sealed.slice(3)}`),
      /unknown sealing format/,
    );
  });
});
