import assert from 'node:assert/strict';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';

/**
 * ISC rows owned by tenant B (written with the owner handle: B, an administration, could not
 * write them itself). Tenant A is an administration too, not the Secretariat: it must neither
 * read nor change them — delegates read only the Secretariat's rows (docs/adr/0029).
 */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const one = async (sql: string, params: unknown[] = []) =>
    (await h.kernel.db.query<{ id: string }>(sql, params))[0]!.id;
  const b = h.b.id;
  const session = await one(
    `insert into isc_sessions (id, tenant_id, number, start_date, end_date) values (gen_random_uuid(), $1, 901, '2026-01-10', '2026-01-12') returning id`,
    [b],
  );
  const work = await one(
    `insert into isc_work_items (id, tenant_id, programme, ref, title, core_function, lead_kind) values (gen_random_uuid(), $1, '2022–2025', 'B-1', 'B item', 'sp1', 'secretariat') returning id`,
    [b],
  );
  const item = await one(
    `insert into isc_agenda_items (id, tenant_id, session_id, position, number, title_en) values (gen_random_uuid(), $1, $2, 1, '1', 'B item') returning id`,
    [b, session],
  );
  const doc = await one(
    `insert into isc_documents (id, tenant_id, session_id, title, storage_key, filename, media_type, size, sha256, uploaded_by) values (gen_random_uuid(), $1, $2, 'B doc', 'isc/b/doc', 'b.pdf', 'application/pdf', 1, 'x', $3) returning id`,
    [b, session, h.b.users.org_admin.id],
  );
  const rec = await one(
    `insert into isc_recommendations (id, tenant_id, ref, text, session_id) values (gen_random_uuid(), $1, 'B-R1', 'B text', $2) returning id`,
    [b, session],
  );
  const unchanged = async () => {
    const rows = await h.kernel.db.query<{ t: string; v: number; n: number }>(
      `select 's' as t, version as v, 1 as n from isc_sessions where id = $1
       union all select 'w', version, 1 from isc_work_items where id = $2
       union all select 'a', version, position from isc_agenda_items where session_id = $1
       union all select 'd', 1, count(*)::int from isc_documents where session_id = $1
       union all select 'r', version, 1 from isc_recommendations where id = $3`,
      [session, work, rec],
    );
    assert.deepEqual(rows.map((r) => `${r.t}${r.v}/${r.n}`).sort(), ['a1/1', 'd1/1', 'r1/1', 's1/1', 'w1/1']);
  };
  const s = `/api/isc/sessions/${session}`;
  return {
    'GET /api/isc/sessions/:id': { id: session },
    'PATCH /api/isc/sessions/:id': { id: session, payload: { version: 1, theme: 'by A' }, unchanged },
    'POST /api/isc/sessions/:id/agenda': {
      id: session,
      payload: { number: '9', titleEn: 'added by A' },
      unchanged,
    },
    'PATCH /api/isc/sessions/:id/agenda/:itemId': {
      url: `${s}/agenda/${item}`,
      payload: { version: 1, titleEn: 'by A' },
      unchanged,
    },
    'POST /api/isc/sessions/:id/agenda/:itemId/move': {
      url: `${s}/agenda/${item}/move`,
      payload: { version: 1, direction: 'down' },
      unchanged,
    },
    'DELETE /api/isc/sessions/:id/agenda/:itemId': {
      url: `${s}/agenda/${item}`,
      payload: { version: 1 },
      unchanged,
    },
    'GET /api/isc/sessions/:id/documents/:documentId': { url: `${s}/documents/${doc}` },
    'DELETE /api/isc/sessions/:id/documents/:documentId': { url: `${s}/documents/${doc}`, unchanged },
    'PATCH /api/isc/work-items/:id': { id: work, payload: { version: 1, title: 'by A' }, unchanged },
    'PATCH /api/isc/recommendations/:id': { id: rec, payload: { version: 1, text: 'by A' }, unchanged },
    'POST /api/isc/recommendations/:id/status': {
      id: rec,
      payload: { version: 1, status: 'submitted', on: '2026-02-01' },
      unchanged,
    },
  };
};
