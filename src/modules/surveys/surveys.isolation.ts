import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { SurveysService } from './surveys.service.ts';

/** Tenant B's open survey: tenant A must not see, change, invite to, answer or export it. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new SurveysService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    permissions: new Set(['surveys.manage', 'surveys.results']),
  } as unknown as Actor;
  const s = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const draft = await svc.create(tx, h.b.id, actor, { templateSlug: 'officials', name: 'B survey' });
    return svc.open(tx, h.b.id, actor, draft.id, draft.version);
  });
  const unchanged = async () => {
    const [row] = await h.kernel.db.query<{ version: number; status: string; name: string }>(
      'select version, status, name from surveys where id = $1',
      [s.id],
    );
    assert.deepEqual(row, { version: s.version, status: 'open', name: 'B survey' });
    const [n] = await h.kernel.db.query<{ inv: number; res: number }>(
      `select (select count(*)::int from survey_invitations where survey_id = $1) as inv,
              (select count(*)::int from survey_responses where survey_id = $1) as res`,
      [s.id],
    );
    assert.deepEqual(n, { inv: 0, res: 0 });
  };
  return {
    'GET /api/surveys/:id': { id: s.id },
    'PATCH /api/surveys/:id': { id: s.id, payload: { version: s.version, name: 'renamed by A' }, unchanged },
    'POST /api/surveys/:id/open': { id: s.id, payload: { version: s.version }, unchanged },
    'POST /api/surveys/:id/close': { id: s.id, payload: { version: s.version }, unchanged },
    'POST /api/surveys/:id/reminders': { id: s.id, unchanged },
    'POST /api/surveys/:id/invitations': {
      id: s.id,
      payload: { targetKind: 'roles', targets: ['staff'] },
      unchanged,
    },
    'POST /api/surveys/:id/tokens': { id: s.id, payload: { count: 2 }, unchanged },
    'POST /api/surveys/:id/paper': { id: s.id, payload: { bands: {}, answers: {} }, unchanged },
    'GET /api/surveys/:id/results': { id: s.id },
    'GET /api/surveys/:id/results/export': { id: s.id },
    'GET /api/surveys/:id/trend': { id: s.id },
  };
};
