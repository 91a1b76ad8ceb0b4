import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { assessmentEvidence } from './assessments.schema.ts';
import { AssessmentsService } from './assessments.service.ts';

/** Tenant B's assessment, for every assessments route that takes an id. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    tenantId: h.b.id,
    permissions: new Set(h.kernel.permissions.permissionsOf(['integrity_officer'])),
  } as unknown as Actor;
  const svc = new AssessmentsService(h.kernel);
  const { id, itemId, evidenceId } = await withTenant(
    h.kernel.db,
    { tenantId: h.b.id, userId: user.id },
    async (tx) => {
      const opts = await svc.options(tx, 'en');
      const fw = opts.frameworks.find((f) => f.urn === 'urn:arusha:library:rad-idg')!;
      const a = await svc.create(
        tx,
        h.b.id,
        actor,
        {
          title: 'B self-assessment',
          type: 'self',
          frameworkLibraryId: fw.libraryId,
          scopeUnitIds: [],
          team: [{ userId: user.id, role: 'facilitator' }],
        },
        'en',
      );
      const items = await svc.items(tx, a.id, 'en');
      const key = `assessments/${a.id}/evidence-b`;
      await h.kernel.storage.put(h.b.id, key, Buffer.from('B evidence'));
      const [ev] = await tx
        .insert(assessmentEvidence)
        .values({
          tenantId: h.b.id,
          assessmentId: a.id,
          itemUrn: items.factors[0]!.items[0]!.urn,
          storageKey: key,
          filename: 'b.txt',
          mediaType: 'text/plain; charset=utf-8',
          size: 10,
          sha256: 'x',
          uploadedBy: user.id,
        })
        .returning();
      return { id: a.id, itemId: items.factors[0]!.items[0]!.id, evidenceId: ev!.id };
    },
  );
  const unchanged = async () => {
    const [a] = await h.kernel.db.query<{ title: string; version: number; status: string }>(
      'select title, version, status from assessments where id = $1',
      [id],
    );
    assert.deepEqual(a, { title: 'B self-assessment', version: 1, status: 'planned' });
    const [r] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from assessment_responses where assessment_id = $1 and (rating is not null or version > 1)',
      [id],
    );
    assert.equal(r!.n, 0);
    const [c] = await h.kernel.db.query<{ n: number }>(
      'select (select count(*) from assessment_comments where assessment_id = $1)::int + (select count(*) from assessments where revision_of = $1)::int + (select count(*) from benchmark_shares where assessment_id = $1)::int as n',
      [id],
    );
    assert.equal(c!.n, 0);
    const [e] = await h.kernel.db.query<{ n: number }>(
      'select count(*)::int as n from assessment_evidence where id = $1',
      [evidenceId],
    );
    assert.equal(e!.n, 1);
  };
  const base = `/api/assessments/${id}`;
  return {
    'GET /api/assessments/:id': { id },
    'PATCH /api/assessments/:id': { id, payload: { version: 1, title: 'renamed by A' }, unchanged },
    'PUT /api/assessments/:id/team': { url: `${base}/team`, payload: { version: 1, members: [] } },
    'POST /api/assessments/:id/transition': {
      url: `${base}/transition`,
      payload: { to: 'in_progress', version: 1 },
    },
    'POST /api/assessments/:id/validate': { url: `${base}/validate`, payload: { version: 1 } },
    'POST /api/assessments/:id/revise': { url: `${base}/revise` },
    'GET /api/assessments/:id/items': { url: `${base}/items` },
    'GET /api/assessments/:id/scores': { url: `${base}/scores` },
    'PUT /api/assessments/:id/items/:itemId/response': {
      url: `${base}/items/${itemId}/response`,
      payload: { version: 1, rating: 2 },
    },
    'POST /api/assessments/:id/items/:itemId/comments': {
      url: `${base}/items/${itemId}/comments`,
      payload: { body: 'from A' },
    },
    'POST /api/assessments/:id/share': { url: `${base}/share` },
    'DELETE /api/assessments/:id/share': { url: `${base}/share` },
    'GET /api/assessments/:id/evidence/:evidenceId': { url: `${base}/evidence/${evidenceId}` },
    'DELETE /api/assessments/:id/evidence/:evidenceId': { url: `${base}/evidence/${evidenceId}`, unchanged },
  };
};
