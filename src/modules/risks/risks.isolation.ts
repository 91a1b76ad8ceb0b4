import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { RisksService } from './risks.service.ts';

/** Tenant B's risk (treatment accept, pending), process and snapshot, for every risks route with an id. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const user = h.b.users.platform_admin;
  const actor = {
    userId: user.id,
    tenantId: h.b.id,
    permissions: new Set(h.kernel.permissions.permissionsOf(['platform_admin'])),
  } as unknown as Actor;
  const svc = new RisksService(h.kernel);
  const { riskId, processId, snapshotId } = await withTenant(
    h.kernel.db,
    { tenantId: h.b.id, userId: user.id },
    async (tx) => {
      await svc.ensureProcesses(tx, h.b.id);
      const processes = await svc.processes(tx, h.b.id, 'en');
      const r = await svc.create(
        tx,
        h.b.id,
        actor,
        {
          processId: processes[0]!.id,
          title: 'B risk',
          scheme: 'bribery',
          inherentLikelihood: 3,
          inherentImpact: 3,
          residualLikelihood: 3,
          residualImpact: 3,
          treatment: 'accept',
        },
        'en',
      );
      const s = await svc.takeSnapshot(tx, h.b.id, actor, 'B snapshot');
      return { riskId: r.id, processId: processes[0]!.id, snapshotId: s.id };
    },
  );
  const unchanged = async () => {
    const [r] = await h.kernel.db.query<{ title: string; version: number; acceptance: string }>(
      'select title, version, acceptance from risks where id = $1',
      [riskId],
    );
    assert.deepEqual(r, { title: 'B risk', version: 1, acceptance: 'pending' });
    const [p] = await h.kernel.db.query<{ name: string | null; version: number }>(
      'select name, version from risk_processes where id = $1',
      [processId],
    );
    assert.deepEqual(p, { name: null, version: 1 });
  };
  return {
    'GET /api/risks/:id': { id: riskId },
    'PATCH /api/risks/:id': { id: riskId, payload: { title: 'changed by A', version: 1 }, unchanged },
    'POST /api/risks/:id/acceptance': { id: riskId, payload: { decision: 'approve', version: 1 } },
    'POST /api/risks/:id/review': { id: riskId, payload: { version: 1 } },
    'PATCH /api/risks/processes/:id': { id: processId, payload: { name: 'renamed by A', version: 1 } },
    'GET /api/risks/snapshots/:id': { id: snapshotId },
  };
};
