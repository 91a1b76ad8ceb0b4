import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatsFor } from './format.ts';

test('file sizes: whole kilobytes (at least one) under a megabyte, megabytes above, in the language', () => {
  const en = formatsFor('en');
  assert.equal(en.fileSize(0), '1 kB');
  assert.equal(en.fileSize(1025), '2 kB');
  assert.equal(en.fileSize(1024 * 1024 - 1), '1,024 kB');
  assert.equal(en.fileSize(1024 * 1024), '1 MB');
  assert.equal(en.fileSize(20 * 1024 * 1024 - 1), '20 MB');
  assert.equal(en.fileSize(1.5 * 1024 * 1024), '1.5 MB');
  const fr = formatsFor('fr');
  assert.match(fr.fileSize(1.5 * 1024 * 1024), /^1,5\s?Mo$/);
  assert.match(fr.fileSize(3000), /^3\s?ko$/);
});
