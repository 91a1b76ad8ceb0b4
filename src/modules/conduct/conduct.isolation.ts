import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { ConductService } from './conduct.service.ts';

/** Tenant B's code versions, campaign and party: tenant A must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new ConductService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    permissions: new Set(['conduct.acknowledge', 'conduct.manage', 'conduct.reports']),
  } as unknown as Actor;
  const code = (audience: 'staff' | 'private_sector') => ({
    audience,
    title: `B ${audience} code`,
    body: 'B text',
    effectiveDate: '2027-01-01',
    sanctions: [],
  });
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const published = await svc.createVersion(tx, h.b.id, actor, code('staff'));
    await svc.publish(tx, h.b.id, actor, published.id);
    const draft = await svc.createVersion(tx, h.b.id, actor, code('staff'));
    const pv = await svc.createVersion(tx, h.b.id, actor, code('private_sector'));
    await svc.publish(tx, h.b.id, actor, pv.id);
    const camp = await svc.createCampaign(tx, h.b.id, actor, {
      versionId: published.id,
      title: 'B campaign',
      targetKind: 'all',
      dueDate: '2099-01-01',
    });
    const party = await svc.createParty(tx, h.b.id, actor, {
      type: 'broker',
      name: 'B broker',
      licensed: true,
    });
    return { published: published.id, draft: draft.id, campaignId: camp.id, partyId: party.id };
  });
  const count = async (sql: string, id: string) => (await h.kernel.db.query<{ n: number }>(sql, [id]))[0]!.n;
  const draftUnchanged = async () => {
    const [v] = await h.kernel.db.query<{ title: string; status: string; version: number }>(
      'select title, status, version from conduct_versions where id = $1',
      [b.draft],
    );
    assert.deepEqual({ ...v }, { title: 'B staff code', status: 'draft', version: 1 });
  };
  const partyUnchanged = async () => {
    assert.equal(await count('select version as n from conduct_parties where id = $1', b.partyId), 1);
    assert.equal(
      await count('select count(*)::int as n from conduct_party_acks where party_id = $1', b.partyId),
      0,
    );
    assert.equal(
      await count('select count(*)::int as n from conduct_party_links where party_id = $1', b.partyId),
      0,
    );
  };
  return {
    'GET /api/conduct/versions/:id': { id: b.published },
    'GET /api/conduct/versions/:id/pdf': { id: b.published },
    'PATCH /api/conduct/versions/:id': {
      id: b.draft,
      payload: { title: 'renamed by A', version: 1 },
      unchanged: draftUnchanged,
    },
    'POST /api/conduct/versions/:id/publish': { id: b.draft, unchanged: draftUnchanged },
    'POST /api/conduct/versions/:id/acknowledge': {
      id: b.published,
      payload: { confirm: true },
      unchanged: async () =>
        assert.equal(
          await count(
            'select count(*)::int as n from conduct_acknowledgements where version_id = $1',
            b.published,
          ),
          0,
        ),
    },
    'GET /api/conduct/campaigns/:id': { id: b.campaignId },
    'PATCH /api/conduct/parties/:id': {
      id: b.partyId,
      payload: { name: 'renamed by A', version: 1 },
      unchanged: partyUnchanged,
    },
    'POST /api/conduct/parties/:id/acknowledgements': {
      id: b.partyId,
      payload: { signatory: 'A', signedOn: '2026-01-01' },
      unchanged: partyUnchanged,
    },
    'POST /api/conduct/parties/:id/links': { id: b.partyId, unchanged: partyUnchanged },
  };
};
