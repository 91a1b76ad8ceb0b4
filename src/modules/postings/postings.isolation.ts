import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { PostingsService } from './postings.service.ts';

/** Tenant B's position and posting: tenant A must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new PostingsService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    permissions: new Set(['postings.read', 'postings.manage']),
  } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const pos = await svc.createPosition(
      tx,
      h.b.id,
      actor,
      { title: 'B position', vulnerability: 'high', maxTenureMonths: 36 },
      'en',
    );
    const p = await svc.createPosting(tx, h.b.id, actor, {
      userId: h.b.users.staff.id,
      positionId: pos.id,
      startDate: '2025-01-01',
      reason: 'rotation',
    });
    return { positionId: pos.id, postingId: p.id };
  });
  const version = async (table: string, id: string) =>
    (await h.kernel.db.query<{ version: number }>(`select version from ${table} where id = $1`, [id]))[0]!
      .version;
  return {
    'PATCH /api/postings/positions/:id': {
      id: b.positionId,
      payload: { title: 'renamed by A', version: 1 },
      unchanged: async () => assert.equal(await version('positions', b.positionId), 1),
    },
    'PATCH /api/postings/history/:id': {
      id: b.postingId,
      payload: { endDate: '2026-01-01', version: 1 },
      unchanged: async () => assert.equal(await version('postings', b.postingId), 1),
    },
  };
};
