import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import { createHarness, type Harness } from '../../platform/testing/harness.ts';
import { Directory } from './index.ts';

// The organisation's directory that other modules read: one tenant's organisation, units and
// members, under row-level security.

describe('identity directory', () => {
  let h: Harness;
  const dir = new Directory();
  let ports: string;
  let hq: string;
  let bUnit: string;
  const inA = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: h.a.users.org_admin.id }, fn);

  before(async () => {
    h = await createHarness();
    const unit = async (tenant: string, type: string, name: string, code: string | null, parent?: string) =>
      (
        await h.kernel.db.query<{ id: string }>(
          'insert into org_units (id, tenant_id, type, name, code, parent_id) values (gen_random_uuid(), $1, $2, $3, $4, $5) returning id',
          [tenant, type, name, code, parent ?? null],
        )
      )[0]!.id;
    hq = await unit(h.a.id, 'directorate', 'Headquarters', 'HQ');
    ports = await unit(h.a.id, 'office', 'Air and sea ports', null, hq);
    bUnit = await unit(h.b.id, 'office', 'B border post', 'BBP');
    await h.kernel.db.query('update memberships set org_unit_id = $1 where tenant_id = $2 and user_id = $3', [
      ports,
      h.a.id,
      h.a.users.analyst.id,
    ]);
    await h.kernel.db.query('update users set disabled_at = now() where id = $1', [h.a.users.staff.id]);
  });
  after(() => h.close());

  it("organisation(): the caller's own organisation only", async () => {
    const org = await inA((tx) => dir.organisation(tx));
    assert.equal(org?.id, h.a.id);
    assert.equal(org?.name, 'Tenant A Customs');
    assert.equal(org?.type, 'administration');
    assert.equal(org?.wcoRegion, 'ESA');
    assert.equal(org?.country, 'XA');
    const other = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: null }, (tx) =>
      dir.organisation(tx),
    );
    assert.equal(other?.name, 'Tenant B Customs');
  });

  it("units(): tenant A sees its own units, by name, never B's", async () => {
    const units = await inA((tx) => dir.units(tx));
    assert.deepEqual(units, [
      { id: ports, name: 'Air and sea ports', code: null, type: 'office', parentId: hq },
      { id: hq, name: 'Headquarters', code: 'HQ', type: 'directorate', parentId: null },
    ]);
    assert.ok(!units.some((u) => u.id === bUnit));
  });

  it("members(): A's active members by name with roles, unit and locale; disabled ones only on request", async () => {
    const active = await inA((tx) => dir.members(tx));
    const aIds = new Set(Object.values(h.a.users).map((u) => u.id));
    assert.equal(active.length, aIds.size - 1);
    assert.ok(active.every((m) => aIds.has(m.userId)));
    assert.ok(!active.some((m) => m.userId === h.a.users.staff.id));
    const names = active.map((m) => m.name);
    assert.deepEqual(
      names,
      [...names].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
    const analyst = active.find((m) => m.userId === h.a.users.analyst.id);
    assert.deepEqual(analyst, {
      userId: h.a.users.analyst.id,
      name: 'analyst A',
      email: h.a.users.analyst.email,
      roles: ['analyst'],
      locale: null,
      unitId: ports,
    });
    const all = await inA((tx) => dir.members(tx, { includeDisabled: true }));
    assert.equal(all.length, aIds.size);
    assert.ok(all.some((m) => m.userId === h.a.users.staff.id));
  });

  it("people(): names of A's members (disabled too); another tenant's user ids return nothing", async () => {
    const a = h.a.users;
    const b = h.b.users;
    const mine = await inA((tx) => dir.people(tx, [a.executive.id, a.staff.id, a.executive.id]));
    assert.deepEqual(
      [...mine.entries()].sort(),
      [
        [a.executive.id, { name: 'executive A', email: a.executive.email }],
        [a.staff.id, { name: 'staff A', email: a.staff.email }],
      ].sort(),
    );
    const theirs = await inA((tx) => dir.people(tx, [b.executive.id, b.org_admin.id]));
    assert.equal(theirs.size, 0);
    // Even when the caller is B's user acting in A's scope, B's people stay out of A's directory.
    const self = await withTenant(h.kernel.db, { tenantId: h.a.id, userId: b.org_admin.id }, (tx) =>
      dir.people(tx, [b.org_admin.id]),
    );
    assert.equal(self.size, 0);
    assert.equal((await inA((tx) => dir.people(tx, []))).size, 0);
  });

  it("unitOf(): a member's unit; null without one and for another tenant's user", async () => {
    assert.equal(await inA((tx) => dir.unitOf(tx, h.a.users.analyst.id)), ports);
    assert.equal(await inA((tx) => dir.unitOf(tx, h.a.users.executive.id)), null);
    assert.equal(await inA((tx) => dir.unitOf(tx, h.b.users.analyst.id)), null);
  });
});
