import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHarness, type Harness } from '../testing/harness.ts';
import { withTenant } from '../db/tenant.ts';
import { DatabaseStorage, type FileStorage, LocalStorage } from './storage.ts';

describe('file storage', () => {
  let h: Harness;
  let root: string;
  before(async () => {
    h = await createHarness();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'arusha-files-'));
  });
  after(async () => {
    fs.rmSync(root, { recursive: true, force: true });
    await h.close();
  });

  const drivers = (): [string, FileStorage][] => [
    ['local', new LocalStorage(root)],
    ['database', new DatabaseStorage(h.kernel.db)],
  ];

  it('stores, reads back with its hash, overwrites and deletes — on both drivers', async () => {
    for (const [name, s] of drivers()) {
      const data = Buffer.from(`evidence ${name} \u0000\u00ff binary`, 'latin1');
      const stored = await s.put(h.a.id, 'evidence/2026/file-1.pdf', data);
      assert.equal(stored.size, data.length, name);
      assert.equal(stored.sha256, createHash('sha256').update(data).digest('hex'), name);
      assert.deepEqual(await s.get(h.a.id, 'evidence/2026/file-1.pdf'), data, name);
      await s.put(h.a.id, 'evidence/2026/file-1.pdf', Buffer.from('v2'));
      assert.equal((await s.get(h.a.id, 'evidence/2026/file-1.pdf')).toString(), 'v2', name);
      await s.delete(h.a.id, 'evidence/2026/file-1.pdf');
      await assert.rejects(s.get(h.a.id, 'evidence/2026/file-1.pdf'), /not found/, name);
    }
  });

  it("one tenant's key is not another tenant's file", async () => {
    for (const [name, s] of drivers()) {
      await s.put(h.a.id, 'shared-name.txt', Buffer.from('A only'));
      await assert.rejects(s.get(h.b.id, 'shared-name.txt'), /not found/, name);
    }
  });

  it('in the database, inside a tenant transaction: written through it, under row-level security, rolled back with it', async () => {
    const s = new DatabaseStorage(h.kernel.db);
    const scope = { tenantId: h.a.id, userId: h.a.users.org_admin.id };
    await withTenant(h.kernel.db, scope, async () => {
      await s.put(h.a.id, 'in-tx/kept.txt', Buffer.from('kept'));
    });
    assert.equal((await s.get(h.a.id, 'in-tx/kept.txt')).toString(), 'kept');
    // A module's failure after storing a file leaves no file behind.
    await assert.rejects(
      withTenant(h.kernel.db, scope, async () => {
        await s.put(h.a.id, 'in-tx/rolled-back.txt', Buffer.from('gone'));
        throw new Error('the record failed');
      }),
      /the record failed/,
    );
    await assert.rejects(s.get(h.a.id, 'in-tx/rolled-back.txt'), /not found/);
    // Row-level security: tenant A's transaction cannot write a file for tenant B.
    await assert.rejects(
      withTenant(h.kernel.db, scope, () => s.put(h.b.id, 'in-tx/b.txt', Buffer.from('x'))),
      /Failed query|row-level security|violates/,
    );
    await assert.rejects(s.get(h.b.id, 'in-tx/b.txt'), /not found/);
  });

  it('refuses keys that could escape the folder or the tenant', async () => {
    for (const [name, s] of drivers()) {
      for (const key of [
        '../escape.txt',
        '/etc/passwd',
        'a/../../b',
        'UPPER.txt',
        '',
        'a//b',
        `${'x'.repeat(200)}.txt`,
      ]) {
        await assert.rejects(s.put(h.a.id, key, Buffer.from('x')), /invalid storage key/, `${name}: ${key}`);
      }
      await assert.rejects(s.put('../../tmp', 'ok.txt', Buffer.from('x')), /invalid storage key/, name);
    }
    assert.equal(fs.existsSync(path.join(root, '..', 'escape.txt')), false);
  });
});
