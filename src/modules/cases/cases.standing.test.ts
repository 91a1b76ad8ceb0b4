import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { type Client, createHarness, type Harness } from '../../platform/testing/harness.ts';
import { CasesApi } from './index.ts';

// CasesApi.standing: what another module may read of the cases it opened (stage and decision).

describe('cases: standing for other modules', () => {
  let h: Harness;
  let head: Client; // integrity officer: the head of Internal Affairs (cases.manage)
  let api: CasesApi;
  let actor: Actor;

  before(async () => {
    h = await createHarness();
    api = new CasesApi(h.kernel);
    head = await h.as(h.a.users.integrity_officer.email);
    actor = {
      userId: h.a.users.analyst.id,
      tenantId: h.a.id,
      permissions: new Set(h.kernel.permissions.permissionsOf(['analyst'])),
    } as unknown as Actor;
  });
  after(() => h.close());

  const open = (ref: string) =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: actor.userId }, (tx) =>
      api.openFromSource(tx, h.a.id, actor, {
        title: `Alert ${ref}`,
        sourceKind: 'analytics_alert',
        sourceRef: ref,
      }),
    );
  const step = async (id: string, body: Record<string, unknown>) => {
    const [c] = await h.kernel.db.query<{ version: number }>('select version from cases where id = $1', [id]);
    const res = await head.post(`/api/cases/${id}/transition`, { ...body, version: c!.version });
    assert.equal(res.statusCode, 200, res.body);
  };
  const standing = (tenantId: string, ids: string[]) =>
    withTenant(h.kernel.db, { tenantId, userId: null }, (tx) => api.standing(tx, ids));

  it('gives stage, decision, outcome and closing day of each case, and nothing of another tenant', async () => {
    const a = await open('0190f0c0-0000-7000-8000-00000000000a');
    const b = await open('0190f0c0-0000-7000-8000-00000000000b');
    const c = await open('0190f0c0-0000-7000-8000-00000000000c');
    // a: investigated, substantiated, management action, closed. b: closed at triage (unfounded).
    for (const to of ['acknowledged', 'triage', 'investigation', 'investigation_report'])
      await step(a.id, { to });
    await step(a.id, { to: 'decision', decision: 'substantiated' });
    await step(a.id, { to: 'outcome', outcome: 'management_action' });
    await step(a.id, { to: 'closed' });
    for (const to of ['acknowledged', 'triage']) await step(b.id, { to });
    await step(b.id, { to: 'closed', closureReason: 'unfounded' });

    const got = await standing(h.a.id, [a.id, b.id, c.id, a.id, 'not-an-id']);
    const by = new Map(got.map((s) => [s.id, s]));
    assert.equal(got.length, 3);
    assert.deepEqual(
      { ...by.get(a.id)!, closedAt: typeof by.get(a.id)!.closedAt },
      {
        id: a.id,
        reference: a.reference,
        status: 'closed',
        decision: 'substantiated',
        outcome: 'management_action',
        closedAt: 'string',
      },
    );
    assert.equal(by.get(b.id)!.status, 'closed');
    assert.equal(by.get(b.id)!.decision, null);
    assert.equal(by.get(c.id)!.status, 'new');
    assert.equal(by.get(c.id)!.closedAt, null);
    assert.deepEqual(Object.keys(by.get(c.id)!).sort(), [
      'closedAt',
      'decision',
      'id',
      'outcome',
      'reference',
      'status',
    ]);
    assert.deepEqual(await standing(h.b.id, [a.id, b.id]), [], "tenant B reads none of A's cases");
    assert.deepEqual(await standing(h.a.id, []), []);
  });
});
