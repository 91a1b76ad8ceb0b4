import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { P } from './cases.permissions.ts';
import { CasesService } from './cases.service.ts';

/** Tenant B's case and file: tenant A's head of Internal Affairs must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new CasesService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = { userId: user.id, permissions: new Set(Object.values(P)) } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const c = await svc.create(tx, h.b.id, actor, {
      title: 'B case',
      sourceKind: 'audit',
      sourceRef: 'B-AUDIT',
    });
    const f = await svc.addFile(tx, h.b.id, actor, c.id, {
      filename: 'b.txt',
      mediaType: 'text/plain',
      type: 'txt',
      size: 6,
      sha256: 'x',
      data: Buffer.from('B file'),
    } as never);
    return { caseId: c.id, fileId: f.id };
  });
  const unchanged = async () => {
    const [c] = await h.kernel.db.query<Record<string, unknown>>(
      'select version, status, title, escalated from cases where id = $1',
      [b.caseId],
    );
    assert.deepEqual(c, { version: 1, status: 'new', title: 'B case', escalated: false });
    const [n] = await h.kernel.db.query<{ n: number }>(
      `select (select count(*) from case_notes where case_id = $1) + (select count(*) from case_subjects where case_id = $1)
        + (select count(*) from case_assignments where case_id = $1)
        + (select count(*) from audit_events where action in ('cases.case.read', 'cases.file.read') and tenant_id = $2) as n`,
      [b.caseId, h.b.id],
    );
    assert.equal(Number(n!.n), 0);
  };
  const as = 'integrity_officer' as const;
  return {
    'POST /api/cases/:id/open': { id: b.caseId, as, unchanged },
    'PATCH /api/cases/:id': {
      id: b.caseId,
      as,
      payload: { title: 'taken', escalated: true, version: 1 },
      unchanged,
    },
    'POST /api/cases/:id/transition': {
      id: b.caseId,
      as,
      payload: { to: 'acknowledged', version: 1 },
      unchanged,
    },
    'POST /api/cases/:id/appeal': {
      id: b.caseId,
      as,
      payload: { filedOn: '2026-01-01', note: 'appeal', version: 1 },
      unchanged,
    },
    'GET /api/cases/:id/candidates': { id: b.caseId, as },
    'POST /api/cases/:id/assign': {
      id: b.caseId,
      as,
      payload: { userId: h.a.users.case_handler.id },
      unchanged,
    },
    'POST /api/cases/:id/notes': { id: b.caseId, as, payload: { body: 'a note' }, unchanged },
    'POST /api/cases/:id/subjects': { id: b.caseId, as, payload: { kind: 'broker', name: 'X' }, unchanged },
    'POST /api/cases/:id/files/:fileId': {
      url: `/api/cases/${b.caseId}/files/${b.fileId}`,
      as,
      unchanged,
    },
  };
};
