import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { P } from './declarations.permissions.ts';
import { DeclarationsService } from './declarations.service.ts';

/** Tenant B's cycle, declarations and flag: tenant A must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new DeclarationsService(h.kernel);
  const user = h.b.users.staff;
  const actor = { userId: user.id, permissions: new Set(Object.values(P)) } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const cycle = await svc.createCycle(tx, h.b.id, actor, {
      title: 'B cycle',
      type: 'conflict',
      unitIds: [],
      dueDate: '2999-01-01',
      escalate: true,
    });
    const conflict = await svc.file(
      tx,
      h.b.id,
      actor,
      {
        type: 'conflict',
        partyKind: 'broker',
        partyName: 'B Brokers',
        partyIdentifier: 'B-1',
        nature: 'cousin',
        mitigation: 'none',
      },
      'en',
    );
    const asset = await svc.file(
      tx,
      h.b.id,
      actor,
      { type: 'asset', assetKind: 'entry', periodYear: 2025, items: [], liabilities: [], income: [] },
      'en',
    );
    const [flag] = await svc.flags(tx, 'open', 'en');
    return { cycleId: cycle.id, conflictId: conflict.id, assetId: asset.id, flagId: flag!.id };
  });
  const row = async (sql: string, id: string) =>
    (await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0]!;
  const declarationUnchanged = async () => {
    const d = await row('select version, status, approval from declarations where id = $1', b.conflictId);
    assert.deepEqual(d, { version: 1, status: 'submitted', approval: 'pending' });
  };
  return {
    'PATCH /api/declarations/cycles/:id': {
      id: b.cycleId,
      payload: { title: 'taken', version: 1 },
      unchanged: async () =>
        assert.equal(
          (await row('select title from declaration_cycles where id = $1', b.cycleId)).title,
          'B cycle',
        ),
    },
    'GET /api/declarations/:id': { id: b.conflictId },
    'POST /api/declarations/:id/asset-values': {
      id: b.assetId,
      unchanged: async () => {
        const [n] = await h.kernel.db.query<{ n: number }>(
          "select count(*)::int as n from audit_events where action = 'declarations.asset_declaration.read' and entity_id = $1",
          [b.assetId],
        );
        assert.equal(n!.n, 0);
      },
    },
    'POST /api/declarations/:id/approval': {
      id: b.conflictId,
      payload: { decision: 'approved', version: 1 },
      as: 'line_manager',
      unchanged: declarationUnchanged,
    },
    'POST /api/declarations/:id/review': {
      id: b.conflictId,
      payload: { action: 'start', version: 1 },
      as: 'integrity_officer',
      unchanged: declarationUnchanged,
    },
    'GET /api/declarations/flags/:id/rows': { id: b.flagId, as: 'integrity_officer' },
    'POST /api/declarations/flags/:id/decision': {
      id: b.flagId,
      payload: { decision: 'dismiss', reason: 'not mine', version: 1 },
      as: 'integrity_officer',
      unchanged: async () =>
        assert.equal(
          (await row('select status from declaration_flags where id = $1', b.flagId)).status,
          'open',
        ),
    },
  };
};
