import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { ReportsService } from './reports.service.ts';

const FAST = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

/** Tenant B's channel and report: tenant A must not read, answer, assign, close or hold it. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new ReportsService(h.kernel, { handlerKdf: FAST, receiptKdf: FAST });
  const bHandler = h.b.users.case_handler;
  const actor = {
    userId: bHandler.id,
    tenantId: h.b.id,
    sessionId: 'fixture',
    permissions: new Set(['reports.handle']),
  };
  const channel = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: bHandler.id }, async (tx) => {
    await svc.setupKey(tx, h.b.id, actor as unknown as Actor, 'b handler passphrase');
    return svc.ensureDefaultChannel(tx, h.b.id, [bHandler.id]);
  });
  await svc.submit(
    h.b.id,
    channel.slug,
    {
      language: 'en',
      answers: { what: 'B report', procedure: 'transit' },
    },
    [{ filename: 'b-evidence.txt', type: 'txt', data: Buffer.from('B evidence') }],
  );
  const [r] = await h.kernel.db.query<{ id: string; version: number }>(
    'select id, version from reports where tenant_id = $1',
    [h.b.id],
  );
  const id = r!.id;
  const [bFile] = await h.kernel.db.query<{ id: string }>(
    'select id from report_files where report_id = $1',
    [id],
  );
  const unchanged = async () => {
    const [row] = await h.kernel.db.query<{ version: number; status: string; legal_hold: boolean }>(
      'select version, status, legal_hold from reports where id = $1',
      [id],
    );
    assert.deepEqual(row, { version: r!.version, status: 'new', legal_hold: false });
    const [n] = await h.kernel.db.query<{ seals: number; messages: number }>(
      `select (select count(*)::int from report_seals where report_id = $1) as seals,
              (select count(*)::int from report_messages where report_id = $1) as messages`,
      [id],
    );
    assert.deepEqual(n, { seals: 1, messages: 0 });
    const [c] = await h.kernel.db.query<{ version: number }>(
      'select version from report_channels where id = $1',
      [channel.id],
    );
    assert.equal(c!.version, channel.version);
    const [cases] = await h.kernel.db.query<{ n: number }>(
      "select count(*)::int as n from cases where source_kind = 'report' and source_ref = $1",
      [id],
    );
    assert.equal(cases!.n, 0);
  };
  const as = 'integrity_officer' as const;
  return {
    'POST /api/reports/:id/open': { id, as },
    'POST /api/reports/:id/open-via-escrow': { id, as },
    'POST /api/reports/:id/files/list': { id, as },
    'POST /api/reports/:id/files/:fileId/download': {
      url: `/api/reports/${id}/files/${bFile!.id}/download`,
      as,
    },
    'POST /api/reports/:id/acknowledge': { id, as, payload: { version: r!.version }, unchanged },
    'POST /api/reports/:id/messages': { id, as, payload: { body: 'from A' }, unchanged },
    'POST /api/reports/:id/assignees': { id, as, payload: { userId: h.a.users.case_handler.id }, unchanged },
    'DELETE /api/reports/:id/assignees/:userId': {
      url: `/api/reports/${id}/assignees/${bHandler.id}`,
      as,
      unchanged,
    },
    'POST /api/reports/:id/close': {
      id,
      as,
      payload: { version: r!.version, reason: 'unfounded' },
      unchanged,
    },
    'POST /api/reports/:id/case': { id, as, unchanged },
    'POST /api/reports/:id/legal-hold': { id, payload: { version: r!.version, hold: true }, unchanged },
    'PATCH /api/reports/channels/:id': {
      id: channel.id,
      payload: { version: channel.version, retentionDays: 30 },
      unchanged,
    },
  };
};
