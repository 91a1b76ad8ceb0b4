import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gte, sql } from 'drizzle-orm';
import { integer, pgTable, uuid } from 'drizzle-orm/pg-core';
import { createHarness, type Harness } from '../testing/harness.ts';
import { withSystem } from './system.ts';
import { prepared, withTenant } from './tenant.ts';

// Layer 1 of tenant isolation: the database refuses on its own, with no WHERE tenant_id
// anywhere in the application's SQL.
describe('row-level security', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  // Drizzle wraps the database's error; the reason is in `cause`.
  const refused = (re: RegExp) => (e: unknown) => {
    const err = e as Error & { cause?: Error };
    assert.match(`${err.message} ${err.cause?.message ?? ''}`, re);
    return true;
  };
  // The columns of identity's memberships this test reads (the kernel imports no module).
  const memberships = pgTable('memberships', {
    tenantId: uuid('tenant_id').notNull(),
    userId: uuid('user_id').notNull(),
    version: integer('version').notNull(),
  });
  const asA = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, fn);
  const rowsOf = async (
    tx: { execute: (q: ReturnType<typeof sql>) => Promise<unknown> },
    q: ReturnType<typeof sql>,
  ) => ((await tx.execute(q)) as { rows: Record<string, unknown>[] }).rows;

  it('unfiltered selects see only the current tenant', async () => {
    const seen = await asA(async (tx) => ({
      memberships: await rowsOf(tx, sql`select distinct tenant_id from memberships`),
      organisations: await rowsOf(tx, sql`select id from organisations`),
      users: await rowsOf(tx, sql`select email from users`),
    }));
    assert.deepEqual(
      seen.memberships.map((r) => r.tenant_id),
      [h.a.id],
    );
    assert.deepEqual(
      seen.organisations.map((r) => r.id),
      [h.a.id],
    );
    assert.ok(seen.users.length > 0);
    assert.ok(
      seen.users.every((r) => String(r.email).endsWith('@a.test')),
      'users of tenant B are invisible',
    );
    // The owner role, by contrast, sees both tenants: the filter above is the database's doing.
    const all = await h.kernel.db.query<{ n: number }>(
      'select count(distinct tenant_id)::int as n from memberships',
    );
    assert.equal(all[0]!.n, 2);
  });

  it('read-only scopes (GET requests) are isolated too, and consecutive ones never inherit a tenant', async () => {
    const read = (tenantId: string) =>
      withTenant(
        h.kernel.db,
        { tenantId, userId: null },
        (tx) => rowsOf(tx, sql`select distinct tenant_id from memberships`),
        { readOnly: true },
      );
    for (let i = 0; i < 5; i++) {
      const [ra, rb] = await Promise.all([read(h.a.id), read(h.b.id)]);
      assert.deepEqual(
        ra.map((r) => r.tenant_id),
        [h.a.id],
      );
      assert.deepEqual(
        rb.map((r) => r.tenant_id),
        [h.b.id],
      );
    }
    const all = await h.kernel.db.query<{ n: number }>(
      'select count(distinct tenant_id)::int as n from memberships',
    );
    assert.equal(all[0]!.n, 2, 'owner queries are unaffected');
  });

  it('the owner handle cannot be used inside a tenant transaction (it would escape RLS, or deadlock)', async () => {
    await assert.rejects(
      asA(() => h.kernel.db.query('select 1')),
      /owner database handle was used inside a tenant transaction/,
    );
    await assert.rejects(
      asA(() => h.kernel.db.owner.execute(sql`select 1`)),
      refused(/owner database handle/),
    );
    assert.equal((await h.kernel.db.query<{ x: number }>('select 1 as x'))[0]!.x, 1, 'outside, it works');
  });

  it("a pooled connection reused by another user or tenant always carries the caller's settings", async () => {
    const who = (tenantId: string, userId: string) =>
      withTenant(
        h.kernel.db,
        { tenantId, userId },
        (tx) => rowsOf(tx, sql`select app_tenant() as t, app_user() as u`),
        { readOnly: true },
      );
    const callers = [
      [h.a.id, h.a.users.staff.id],
      [h.a.id, h.a.users.org_admin.id],
      [h.b.id, h.b.users.staff.id],
      [h.a.id, h.a.users.staff.id],
    ] as const;
    for (let round = 0; round < 3; round++) {
      for (const [t, u] of callers) assert.deepEqual(await who(t, u), [{ t, u }]);
    }
  });

  it('after tenant reads, every owner use runs as the owner with no tenant or user set, even interleaved', async () => {
    type Seen = { u: string; t: string | null; uid: string | null; n?: number };
    const ownerQuery =
      "select current_user as u, current_setting('app.tenant_id', true) as t, current_setting('app.user_id', true) as uid";
    const ownerView = async () => (await h.kernel.db.query<Seen>(ownerQuery))[0]!;
    const clean = await ownerView();
    assert.notEqual(clean.u, 'arusha_app');
    assert.ok(!clean.t && !clean.uid, 'the owner starts with no tenant');
    const read = (tenantId: string, userId: string | null) =>
      withTenant(
        h.kernel.db,
        { tenantId, userId },
        async (tx) =>
          (
            await rowsOf(
              tx,
              sql`select current_user as u, app_tenant()::text as t, app_user()::text as uid,
                (select count(distinct tenant_id)::int from memberships) as n`,
            )
          )[0] as Seen,
        { readOnly: true },
      );
    // Sequential: a read leaves its settings on the session; the owner handle, its query
    // builder and a system transaction each still see a clean owner session.
    assert.deepEqual(await read(h.a.id, h.a.users.staff.id), {
      u: 'arusha_app',
      t: h.a.id,
      uid: h.a.users.staff.id,
      n: 1,
    });
    assert.deepEqual(await ownerView(), clean);
    await read(h.b.id, null);
    const viaBuilder = ((await h.kernel.db.owner.execute(sql.raw(ownerQuery))) as unknown as { rows: Seen[] })
      .rows[0];
    assert.deepEqual(viaBuilder, clean);
    await read(h.a.id, h.a.users.org_admin.id);
    const viaSystem = await withSystem(
      h.kernel.db,
      async (tx) => ((await tx.execute(sql.raw(ownerQuery))) as unknown as { rows: Seen[] }).rows[0],
    );
    assert.deepEqual(viaSystem, clean);
    // Interleaved: owner calls and reads by A and B, all at once.
    const runs = await Promise.all(
      Array.from({ length: 45 }, async (_, i) => {
        if (i % 3 === 0) return { expect: clean, seen: await ownerView() };
        const f = i % 3 === 1 ? h.a : h.b;
        const userId = i % 2 ? f.users.staff.id : null;
        return { expect: { u: 'arusha_app', t: f.id, uid: userId, n: 1 }, seen: await read(f.id, userId) };
      }),
    );
    for (const r of runs) assert.deepEqual(r.seen, r.expect);
  });

  it('a failed read, and a write after a read, leave no setting behind for the next caller', async () => {
    const tenantOf = (tenantId: string, readOnly: boolean) =>
      withTenant(
        h.kernel.db,
        { tenantId, userId: null },
        async (tx) =>
          (await rowsOf(tx, sql`select app_tenant()::text as t, count(*)::int as n from organisations`))[0],
        { readOnly },
      );
    assert.deepEqual(await tenantOf(h.a.id, true), { t: h.a.id, n: 1 });
    await assert.rejects(
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, (tx) => tx.execute(sql`select 1 / 0`), {
        readOnly: true,
      }),
      refused(/division by zero/),
    );
    assert.deepEqual(await tenantOf(h.b.id, true), { t: h.b.id, n: 1 }, 'tenant B after a failed read by A');
    assert.deepEqual(await tenantOf(h.a.id, false), { t: h.a.id, n: 1 }, 'a write by A after a read by B');
    assert.deepEqual(await tenantOf(h.b.id, true), { t: h.b.id, n: 1 }, 'a read by B after the write by A');
    const owner = await h.kernel.db.query<{ u: string; t: string | null }>(
      "select current_user as u, current_setting('app.tenant_id', true) as t",
    );
    assert.notEqual(owner[0]!.u, 'arusha_app');
    assert.ok(!owner[0]!.t);
  });

  /**
   * Eight rounds of reads and writes alternating tenants: past PostgreSQL's five custom plans,
   * so that a cached generic plan serves the later calls.
   */
  const alternating = () =>
    Array.from({ length: 8 }, () => [
      [h.a.id, true] as const,
      [h.b.id, true] as const,
      [h.a.id, false] as const,
      [h.b.id, false] as const,
    ]).flat();

  it('statements the server keeps prepared (plan cached per connection) still see only the caller’s tenant', async () => {
    // The tenant must be read when the statement runs, never when it was planned.
    const tenantsSeen = (tenantId: string, readOnly: boolean) =>
      withTenant(
        h.kernel.db,
        { tenantId, userId: null },
        async (tx) => ({
          plain: (await rowsOf(tx, sql`select distinct tenant_id from memberships`)).map((r) => r.tenant_id),
          withParameter: (
            await rowsOf(tx, sql`select distinct tenant_id from memberships where version >= ${0}`)
          ).map((r) => r.tenant_id),
        }),
        { readOnly },
      );
    for (const [tenantId, readOnly] of alternating())
      assert.deepEqual(await tenantsSeen(tenantId, readOnly), {
        plain: [tenantId],
        withParameter: [tenantId],
      });
    {
      // The calls above ran one at a time, so on the pool's most recently used connection
      // (the embedded database's one session).
      const prepared = await withTenant(
        h.kernel.db,
        { tenantId: h.a.id, userId: null },
        (tx) => rowsOf(tx, sql`select statement from pg_prepared_statements`),
        { readOnly: true },
      );
      const statements = prepared.map((r) => String(r.statement));
      assert.ok(
        statements.includes('select distinct tenant_id from memberships') &&
          statements.includes('select distinct tenant_id from memberships where version >= $1'),
        `the statements above are prepared on the ${h.kernel.db.kind} database: ${statements.join(' | ')}`,
      );
    }
  });

  it('a query built once (prepared) runs per call with the caller’s tenant and values', async () => {
    const members = prepared((tx) =>
      tx
        .select({ tenantId: memberships.tenantId, userId: memberships.userId })
        .from(memberships)
        .where(gte(memberships.version, sql.placeholder('version'))),
    );
    const seen = (tenantId: string, readOnly: boolean, version: number) =>
      withTenant(h.kernel.db, { tenantId, userId: null }, (tx) => members(tx, { version }), { readOnly });
    for (const [tenantId, readOnly] of alternating()) {
      const all = await seen(tenantId, readOnly, 0);
      assert.ok(all.length > 0);
      assert.deepEqual([...new Set(all.map((r) => r.tenantId))], [tenantId]);
      assert.deepEqual(
        await seen(tenantId, readOnly, 1_000_000),
        [],
        'the value is a parameter, not built in',
      );
    }
  });

  it('prepared statements take every parameter type, report errors as usual and survive DEALLOCATE', async () => {
    const read = <T>(fn: Parameters<typeof withTenant<T>>[2]) =>
      withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, fn, { readOnly: true });
    const when = new Date('2026-03-04T05:06:07.089Z');
    const echo = (tx: Parameters<Parameters<typeof read>[0]>[0]) =>
      rowsOf(
        tx,
        sql`select ${when}::timestamptz as at, ${'{"a":[1,"é"]}'}::jsonb as doc, ${null}::text as nothing,
          ${12345678901}::int8 as big, ${'0.10'}::numeric as amount, ${'l’été'} as words, ${true}::boolean as yes`,
      );
    // The first call runs plain (a text is named the second time it is seen), the later ones
    // as a prepared statement: the same rows either way.
    const expected = await read(echo);
    assert.equal(new Date(String(expected[0]!.at)).getTime(), when.getTime());
    assert.deepEqual(
      { ...expected[0], at: undefined },
      {
        at: undefined,
        doc: { a: [1, 'é'] },
        nothing: null,
        big: 12345678901,
        amount: '0.10',
        words: 'l’été',
        yes: true,
      },
    );
    for (let i = 2; i < 5; i++) assert.deepEqual(await read(echo), expected, `call ${i}`);
    // An error in a prepared statement is the database's, with its code, and the session goes on.
    const cast = (v: string) => (tx: Parameters<Parameters<typeof read>[0]>[0]) =>
      rowsOf(tx, sql`select ${v}::uuid as id`);
    for (let i = 0; i < 3; i++) await read(cast(h.a.id));
    await assert.rejects(read(cast('not-a-uuid')), (e: Error & { cause?: { code?: string } }) => {
      assert.equal(e.cause?.code ?? (e as { code?: string }).code, '22P02');
      return true;
    });
    assert.deepEqual(await read(cast(h.b.id)), [{ id: h.b.id }]);
    // Concurrent statements of one scope (Promise.all in a service) keep their own rows.
    const shapes = (tx: Parameters<Parameters<typeof read>[0]>[0]) =>
      Promise.all([
        echo(tx),
        cast(h.a.id)(tx),
        rowsOf(tx, sql`select ${'x'} as one, ${2}::int as two`),
        rowsOf(tx, sql`select g from generate_series(1, ${5}::int) g`),
      ]);
    const alone = await read(shapes);
    for (let i = 0; i < 3; i++) assert.deepEqual(await read(shapes), alone, `concurrent, round ${i + 1}`);
    assert.deepEqual(alone[2], [{ one: 'x', two: 2 }]);
    assert.equal(alone[3].length, 5);
    // A session that lost its statements prepares them again.
    await read((tx) => rowsOf(tx, sql`deallocate all`));
    assert.deepEqual(await read(echo), expected, 'after DEALLOCATE ALL');
    assert.deepEqual(await read(echo), expected, 'prepared again');
  });

  it('explicitly asking for the other tenant returns nothing', async () => {
    const rows = await asA((tx) => rowsOf(tx, sql`select * from memberships where tenant_id = ${h.b.id}`));
    assert.equal(rows.length, 0);
  });

  it('writing into the other tenant is refused', async () => {
    await assert.rejects(
      asA((tx) =>
        tx.execute(
          sql`insert into org_units (id, tenant_id, type, name) values (gen_random_uuid(), ${h.b.id}, 'office', 'smuggled')`,
        ),
      ),
      refused(/row-level security/),
    );
    const updated = await asA((tx) =>
      rowsOf(tx, sql`update memberships set roles = '{org_admin}' where tenant_id = ${h.b.id} returning id`),
    );
    assert.equal(updated.length, 0);
    const deleted = await asA((tx) =>
      rowsOf(tx, sql`delete from memberships where tenant_id = ${h.b.id} returning id`),
    );
    assert.equal(deleted.length, 0);
    const stillThere = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from memberships where tenant_id = $1',
      [h.b.id],
    );
    assert.ok(stillThere[0]!.n > 0);
  });

  it('credentials tables are out of reach of the application role', async () => {
    for (const table of [
      'sessions',
      'api_tokens',
      'password_resets',
      'recovery_codes',
      'login_throttle',
      'job_schedules',
    ]) {
      await assert.rejects(
        asA((tx) => tx.execute(sql.raw(`select * from ${table} limit 1`))),
        refused(/permission denied/),
        table,
      );
    }
  });

  it('the audit log is append-only for the application role', async () => {
    await assert.rejects(
      asA((tx) => tx.execute(sql`update audit_events set action = 'x'`)),
      refused(/permission denied/),
    );
    await assert.rejects(
      asA((tx) => tx.execute(sql`delete from audit_events`)),
      refused(/permission denied/),
    );
  });

  it('without a tenant set, the application role sees nothing', async () => {
    const rows = await h.kernel.db.owner.transaction(async (tx) => {
      await tx.execute(sql`select set_config('role', 'arusha_app', true)`);
      return rowsOf(tx, sql`select id from memberships`);
    });
    assert.equal(rows.length, 0);
  });

  it('every tenant-owned table forces row-level security and the app role cannot bypass it', async () => {
    const tables = await h.kernel.db.query<{ table_name: string; rls: boolean; forced: boolean }>(`
      select c.relname as table_name, c.relrowsecurity as rls, c.relforcerowsecurity as forced
      from information_schema.columns col
      join pg_class c on c.relname = col.table_name
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      where col.table_schema = 'public' and col.column_name = 'tenant_id' and c.relkind = 'r'`);
    assert.ok(tables.length >= 8, `found ${tables.length} tenant tables`);
    for (const t of tables) {
      const [{ readable } = { readable: false }] = await h.kernel.db.query<{ readable: boolean }>(
        `select has_table_privilege('arusha_app', $1, 'select') as readable`,
        [t.table_name],
      );
      if (readable)
        assert.ok(t.rls && t.forced, `${t.table_name} is readable by arusha_app without forced RLS`);
    }
    const [role] = await h.kernel.db.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      "select rolsuper, rolbypassrls from pg_roles where rolname = 'arusha_app'",
    );
    assert.deepEqual(role, { rolsuper: false, rolbypassrls: false });
    const owners = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from pg_tables where schemaname = 'public' and tableowner = 'arusha_app'",
    );
    assert.equal(owners[0]!.n, 0, 'the application role owns no table');
  });

  it('every table the application role can read has row-level security', async () => {
    const open = await h.kernel.db.query<{ relname: string }>(`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind = 'r' and has_table_privilege('arusha_app', c.oid, 'select')
        and not c.relforcerowsecurity`);
    assert.deepEqual(
      open.map((r) => r.relname),
      [],
    );
  });
});
