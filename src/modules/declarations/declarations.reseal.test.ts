import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { P } from './declarations.permissions.ts';
import { ResealRefused, resealAssetValues } from './declarations.reseal.ts';
import { DeclarationsService } from './declarations.service.ts';

// Re-sealing asset values after a SECRET_KEY change: sealed with key A, the server moves to key B,
// `arusha declarations reseal --old-secret-file A` re-encrypts them, and B reads them.

const B_KEY = 'a-brand-new-secret-key-for-the-reseal-test-0123456789';

const asset = (year: number, value: number, income: number) => ({
  type: 'asset',
  assetKind: 'annual',
  periodYear: year,
  items: [{ category: 'real_estate', description: 'House', value, acquiredOn: '2020-01-01' }],
  liabilities: [],
  income: [{ description: 'Salary', amount: income }],
});

describe('declarations: re-sealing asset values after a SECRET_KEY change', () => {
  let h: Harness;
  let staff: Client;
  let withB: Kernel;
  const ids: string[] = [];
  before(async () => {
    h = await createHarness();
    staff = await h.as(h.a.users.staff.email);
    withB = { ...h.kernel, config: { ...h.kernel.config, SECRET_KEY: B_KEY } } as Kernel;
  });
  after(() => h.close());

  const sealed = () =>
    h.kernel.db.query<{ id: string; v: string }>(
      `select id, asset_sealed as v from declarations where asset_sealed is not null
       union all select id, sealed_facts as v from declaration_flags where sealed_facts is not null order by id`,
    );
  /** The asset values of a declaration as a reviewer reads them, with the key of `k`. */
  const read = (k: Kernel, id: string) => {
    const actor = {
      userId: h.a.users.integrity_officer.id,
      permissions: new Set([P.review]),
    } as unknown as Actor;
    return withTenant(k.db, { tenantId: h.a.id, userId: actor.userId }, (tx) =>
      new DeclarationsService(k).assetValues(tx, h.a.id, actor, id, 'en'),
    );
  };

  it('seals with key A: the values and the growth flag amounts', async () => {
    for (const [year, value, income] of [
      [2024, 100_000, 10_000],
      [2025, 900_000, 10_000],
    ] as const) {
      const r = await staff.post('/api/declarations', asset(year, value, income));
      assert.equal(r.statusCode, 201, r.body);
      ids.push(r.json().id);
    }
    const all = await sealed();
    assert.equal(all.length, 3, 'two declarations and the asset-growth flag');
    await assert.rejects(read(withB, ids[1]!), 'key B does not open values sealed with A');
  });

  it('refuses with a clear message when the old key does not open the values, changing nothing', async () => {
    const before = await sealed();
    await assert.rejects(
      resealAssetValues(withB, 'not-the-old-key-not-the-old-key-not-the-old-key'),
      (e: unknown) =>
        e instanceof ResealRefused && /old key does not open 3 of 3 sealed value\(s\)/.test(e.message),
    );
    assert.deepEqual(await sealed(), before);
    assert.equal((await read(h.kernel, ids[1]!)).items[0]!.value, 900_000, 'A still opens them');
  });

  it('re-seals A → B in batches; B reads them; a second run changes nothing', async () => {
    const before = await sealed();
    const seen: number[] = [];
    let total = 0;
    const r = await resealAssetValues(withB, h.kernel.config.SECRET_KEY, {
      batchSize: 2,
      start: (n) => {
        total = n;
      },
      progress: (n) => seen.push(n),
    });
    assert.deepEqual(r, { total: 3, resealed: 3, already: 0 });
    assert.equal(total, 3);
    assert.equal(seen.at(-1), 3);
    const now = await sealed();
    for (const [i, row] of now.entries()) assert.notEqual(row.v, before[i]!.v);
    const v = await read(withB, ids[1]!);
    assert.equal(v.items[0]!.value, 900_000);
    assert.equal(v.income[0]!.amount, 10_000);
    assert.match(v.flags[0]!.explanation, /100000 to 900000/, 'the flag amounts open with B');
    await assert.rejects(read(h.kernel, ids[0]!), 'A no longer opens them');
    // Idempotent: nothing left to do.
    assert.deepEqual(await resealAssetValues(withB, h.kernel.config.SECRET_KEY), {
      total: 3,
      resealed: 0,
      already: 3,
    });
    assert.deepEqual(await sealed(), now);
    const [a] = await h.kernel.db.query<{ data: { values: number } }>(
      "select data from audit_events where action = 'declarations.asset_values.resealed' and tenant_id = $1",
      [h.a.id],
    );
    assert.equal(a!.data.values, 3);
  });
});
