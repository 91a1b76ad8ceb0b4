import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { UploadedFile } from '../../platform/http/upload.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { LibraryService } from './library.service.ts';

/**
 * Tenant B's draft and its pending submission: tenant A (an administration, not the
 * Secretariat) must not read, edit, submit, publish, comment on or use them. Published
 * entries are readable by every tenant by design (docs/adr/0027), so the fixtures are unpublished.
 */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new LibraryService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = { userId: user.id, email: user.email } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const entry = (title: string) =>
      svc.createEntry(tx, h.b.id, actor, {
        title,
        summary: 'B summary',
        factors: [6],
        type: 'tool',
        anonymous: false,
        whatDone: '',
        whatChanged: '',
        measures: [],
        language: 'en',
        translations: [],
      });
    const draft = await entry('B draft');
    const pending = await entry('B pending');
    const data = Buffer.from('%PDF-1.4\n%%EOF\n');
    const file = await svc.addAttachment(tx, h.b.id, actor, pending.id, {
      filename: 'b.pdf',
      mediaType: 'application/pdf',
      type: 'pdf',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
    } satisfies UploadedFile);
    await svc.submit(tx, h.b.id, actor, pending.id, (await svc.getEntry(tx, pending.id)).version);
    return { draft: draft.id, pending: pending.id, file: file.id };
  });
  const [s] = await h.kernel.db.query<{ id: string }>(
    'select id from library_submissions where entry_id = $1',
    [b.pending],
  );
  const submission = s!.id;
  const one = async (sql: string, id: string) =>
    (await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0];
  const draftUnchanged = async () =>
    assert.deepEqual(
      { ...(await one('select title, version, revision from library_entries where id = $1', b.draft)) },
      { title: 'B draft', version: 1, revision: 0 },
    );
  const pendingUnchanged = async () => {
    assert.deepEqual(
      { ...(await one('select status, version from library_submissions where id = $1', submission)) },
      { status: 'submitted', version: 1 },
    );
    assert.equal(await one('select id from library_published where id = $1', b.pending), undefined);
  };
  // A comment of B's that the Secretariat hid: B and the Secretariat read it, A does not. (Written
  // as the owner: publishing needs the Secretariat's organisation, which this harness lacks.)
  const shown = uuidv7();
  const hidden = uuidv7();
  await h.kernel.db.query(
    `insert into library_published (id, submission_id, revision, title, summary, factors, type, language)
     values ($1, $2, 1, 'Shown', 's', '{1}', 'tool', 'en')`,
    [shown, submission],
  );
  await h.kernel.db.query(
    `insert into library_comments (id, tenant_id, entry_id, author_id, author_name, organisation, body, hidden_at, hidden_reason)
     values ($1, $2, $3, $4, 'B', 'Tenant B Customs', 'hidden', now(), 'off topic')`,
    [hidden, h.b.id, shown, user.id],
  );
  const stillHidden = async () =>
    assert.equal(
      (await one('select hidden_reason from library_comments where id = $1', hidden))?.hidden_reason,
      'off topic',
    );
  const noComment = async () =>
    assert.equal(await one('select id from library_comments where entry_id = $1', b.pending), undefined);
  return {
    'GET /api/library/entries/:id': { id: b.draft },
    'PATCH /api/library/entries/:id': {
      id: b.draft,
      payload: { title: 'renamed by A', version: 1 },
      unchanged: draftUnchanged,
    },
    'POST /api/library/entries/:id/submit': {
      id: b.draft,
      payload: { version: 1 },
      unchanged: draftUnchanged,
    },
    'GET /api/library/published/:id': { id: b.pending },
    'POST /api/library/published/:id/comments': {
      id: b.pending,
      payload: { body: 'A comments' },
      unchanged: noComment,
    },
    'POST /api/library/published/:id/use': {
      id: b.pending,
      payload: { planId: '01900000-0000-7000-8000-000000000001' },
    },
    'GET /api/library/moderation/:id': { id: submission },
    'GET /api/library/moderation/:id/attachments/:attachmentId': {
      url: `/api/library/moderation/${submission}/attachments/${b.file}`,
    },
    'GET /api/library/entries/:id/attachments/:attachmentId': {
      url: `/api/library/entries/${b.pending}/attachments/${b.file}`,
    },
    'DELETE /api/library/entries/:id/attachments/:attachmentId': {
      url: `/api/library/entries/${b.pending}/attachments/${b.file}`,
      unchanged: async () => assert.ok(await one('select id from library_attachments where id = $1', b.file)),
    },
    'GET /api/library/published/:id/attachments/:attachmentId': {
      url: `/api/library/published/${b.pending}/attachments/${b.file}`,
    },
    'GET /api/library/entries/:id/versions': { id: b.pending },
    'GET /api/library/entries/:id/versions/:revision': {
      url: `/api/library/entries/${b.pending}/versions/1`,
    },
    'GET /api/library/entries/:id/versions/:revision/attachments/:attachmentId': {
      url: `/api/library/entries/${b.pending}/versions/1/attachments/${b.file}`,
    },
    'GET /api/library/moderation/entries/:id/versions': { id: b.pending },
    'GET /api/library/moderation/entries/:id/versions/:revision': {
      url: `/api/library/moderation/entries/${b.pending}/versions/1`,
    },
    'POST /api/library/moderation/entries/:id/unpublish': {
      id: b.pending,
      payload: { revision: 1, reason: 'A withdraws' },
      unchanged: pendingUnchanged,
    },
    'POST /api/library/comments/:id/hide': {
      id: hidden,
      payload: { reason: 'A hides' },
      unchanged: stillHidden,
    },
    'POST /api/library/moderation/:id/decision': {
      id: submission,
      payload: { version: 1, decision: 'publish' },
      unchanged: pendingUnchanged,
    },
  };
};
