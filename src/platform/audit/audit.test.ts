import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { withTenant } from '../db/tenant.ts';
import { withSystem } from '../db/system.ts';
import { AuditLog, canonical } from './audit.ts';

describe('audit log', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  const write = (n: number, tenantId = h.a.id) =>
    withTenant(h.kernel.db, { tenantId, userId: null }, async (tx) => {
      for (let i = 0; i < n; i++)
        await h.kernel.audit.record(tx, tenantId, {
          actorId: null,
          action: 'test.thing.done',
          entityType: 'thing',
          entityId: String(i),
          data: { i, nested: { b: 1, a: [1, 'x'] } },
        });
    });
  const verify = () => withSystem(h.kernel.db, (tx) => h.kernel.audit.verify(tx));

  it('canonical JSON ignores key order', () => {
    assert.equal(
      canonical({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } }),
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('an intact chain verifies', async () => {
    await write(5);
    await write(3, h.b.id);
    const v = await verify();
    assert.equal(v.ok, true, JSON.stringify(v.problems));
    assert.ok(v.checked >= 8);
  });

  it('a record is written in the same transaction as the change: a rollback leaves no entry', async () => {
    const before = await h.kernel.db.query<{ n: number }>('select count(*)::int as n from audit_events');
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) => {
        await h.kernel.audit.record(tx, h.a.id, {
          actorId: null,
          action: 'test.thing.failed',
          entityType: 'thing',
        });
        throw new Error('the change failed');
      }),
    );
    const afterRows = await h.kernel.db.query<{ n: number }>('select count(*)::int as n from audit_events');
    assert.equal(afterRows[0]!.n, before[0]!.n);
  });

  it('detects an edited entry', async () => {
    await write(3);
    const [target] = await h.kernel.db.query<{ seq: number }>(
      'select seq from audit_events where tenant_id = $1 order by seq desc offset 1 limit 1',
      [h.a.id],
    );
    await h.kernel.db.query(`update audit_events set data = '{"i": 999}' where tenant_id = $1 and seq = $2`, [
      h.a.id,
      target!.seq,
    ]);
    const v = await verify();
    assert.equal(v.ok, false);
    assert.ok(
      v.problems.some((p) => p.kind === 'edited' && p.seq === target!.seq && p.tenantId === h.a.id),
      JSON.stringify(v.problems),
    );
    // Someone who also recomputes the bare SHA-256 cannot repair it without SECRET_KEY.
    const forged = new AuditLog('another-secret-key-of-at-least-32-chars!!');
    const [row] = await h.kernel.db.query<Record<string, unknown>>(
      'select * from audit_events where tenant_id = $1 and seq = $2',
      [h.a.id, target!.seq],
    );
    const fake = forged.hash(String(row!.prev_hash), {
      tenantId: h.a.id,
      seq: target!.seq,
      at: new Date(String(row!.at)),
      actorId: null,
      action: String(row!.action),
      entityType: String(row!.entity_type),
      entityId: row!.entity_id as string,
      data: row!.data,
    });
    await h.kernel.db.query('update audit_events set hash = $3 where tenant_id = $1 and seq = $2', [
      h.a.id,
      target!.seq,
      fake,
    ]);
    assert.equal((await verify()).ok, false);
  });

  it('detects a deleted entry, in the middle and at the end', async () => {
    await write(4, h.b.id);
    const [mid] = await h.kernel.db.query<{ seq: number }>(
      'select seq from audit_events where tenant_id = $1 order by seq offset 2 limit 1',
      [h.b.id],
    );
    await h.kernel.db.query('delete from audit_events where tenant_id = $1 and seq = $2', [h.b.id, mid!.seq]);
    let v = await verify();
    assert.ok(
      v.problems.some((p) => p.tenantId === h.b.id && p.kind === 'missing'),
      JSON.stringify(v.problems),
    );

    const [last] = await h.kernel.db.query<{ seq: number }>(
      'select max(seq)::int as seq from audit_events where tenant_id = $1',
      [h.b.id],
    );
    await h.kernel.db.query('delete from audit_events where tenant_id = $1 and seq = $2', [
      h.b.id,
      last!.seq,
    ]);
    v = await verify();
    assert.ok(
      v.problems.some((p) => p.tenantId === h.b.id && /head records/.test(p.detail)),
      JSON.stringify(v.problems),
    );
  });
});
