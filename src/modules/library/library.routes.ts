import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { DOCUMENT_TYPES } from '../../platform/http/upload.ts';
import * as C from './library.contract.ts';
import { P } from './library.permissions.ts';
import type { LibraryService } from './library.service.ts';

/** Creating an action is the action plan's business: its own permission decides "use this". */
const MANAGE_PLANS = 'action-plans.manage';

export function libraryRoutes(r: Router, svc: LibraryService) {
  // ---- the published library (every organisation) ----------------------------------------------
  r.get({
    url: '/api/library/search',
    access: P.read,
    summary:
      'Search published entries: full text in each entry’s language, filters by RAD factor, WCO region, type and language',
    query: C.SearchQuery,
    response: C.SearchResult,
    handler: async ({ tx, query, locale }) => svc.search(tx, query, locale),
  });
  r.get({
    url: '/api/library/published/:id',
    access: P.read,
    summary:
      'A published entry (its current published version) with its comments, in the reader’s language where written in it (else its original; the answer says which)',
    params: C.IdParam,
    query: C.ReadQuery,
    response: C.PublishedDetail,
    handler: async ({ tx, params, query, locale }) => svc.published(tx, params.id, query.lang ?? locale),
  });
  r.post({
    url: '/api/library/published/:id/comments',
    access: P.comment,
    summary: 'Comment on a published entry',
    params: C.IdParam,
    body: C.CommentInput,
    status: 201,
    response: C.Comment,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addComment(tx, tenantId, actor, params.id, body.body),
  });
  r.get({
    url: '/api/library/published/:id/attachments/:attachmentId',
    access: P.read,
    summary: 'Download an attachment of a published entry (as published)',
    params: C.AttachmentParam,
    handler: async ({ tx, params }) => download(await svc.publishedFile(tx, params.id, params.attachmentId)),
  });
  r.post({
    url: '/api/library/published/:id/use',
    access: MANAGE_PLANS,
    summary:
      '"Use this": a draft action in one of my organisation’s Integrity Action Plans, citing the entry',
    params: C.IdParam,
    body: C.UseInput,
    status: 201,
    response: C.UseResult,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.use(tx, tenantId, actor, params.id, body.planId, locale),
  });

  // ---- my organisation's entries ----------------------------------------------------------------
  r.get({
    url: '/api/library/entries',
    access: P.contribute,
    summary: "My organisation's entries: drafts, pending, published and rejected",
    response: Items(C.Entry),
    handler: async ({ tx }) => ({ items: await svc.listEntries(tx) }),
  });
  r.post({
    url: '/api/library/entries',
    access: P.contribute,
    summary: 'A new draft entry',
    body: C.EntryInput,
    bodyLimit: 256 * 1024,
    status: 201,
    response: C.Entry,
    handler: async ({ tx, tenantId, actor, body }) => svc.createEntry(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/library/entries/:id',
    access: P.contribute,
    summary: "One of my organisation's entries",
    params: C.IdParam,
    response: C.Entry,
    handler: async ({ tx, params }) => svc.getEntry(tx, params.id),
  });
  r.patch({
    url: '/api/library/entries/:id',
    access: P.contribute,
    summary:
      'Edit an entry: a new draft (a pending submission is withdrawn; the published version stays visible)',
    params: C.IdParam,
    body: C.UpdateEntryInput,
    bodyLimit: 256 * 1024,
    response: C.Entry,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateEntry(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/library/entries/:id/versions',
    access: P.contribute,
    summary: "The submitted versions of one of my organisation's entries, newest first, with their decisions",
    params: C.IdParam,
    response: Items(C.VersionSummary),
    handler: async ({ tx, params }) => ({ items: await svc.versions(tx, params.id, 'contributor') }),
  });
  r.get({
    url: '/api/library/entries/:id/versions/:revision',
    access: P.contribute,
    summary: "One submitted version of one of my organisation's entries, as it was submitted",
    params: C.RevisionParam,
    response: C.Submission,
    handler: async ({ tx, params }) => svc.version(tx, params.id, params.revision, 'contributor'),
  });
  r.get({
    url: '/api/library/entries/:id/versions/:revision/attachments/:attachmentId',
    access: P.contribute,
    summary:
      "Download an attachment of one of my organisation's submitted versions, as that version had it (the working copy may have replaced it since)",
    params: C.VersionAttachmentParam,
    handler: async ({ tx, params }) =>
      download(await svc.versionFile(tx, params.id, params.revision, params.attachmentId)),
  });
  r.post({
    url: '/api/library/entries/:id/submit',
    access: P.contribute,
    summary: 'Submit the draft to the Secretariat for moderation (a new version)',
    params: C.IdParam,
    body: C.VersionInput,
    response: C.Entry,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.submit(tx, tenantId, actor, params.id, body.version),
  });

  r.post({
    url: '/api/library/attachments',
    access: P.contribute,
    summary:
      'Attach a file to one of my organisation’s entries (20 MiB, at most 10; PDF, images, office documents, text; the entry becomes a draft)',
    upload: { maxBytes: C.ATTACHMENT_MAX_BYTES, types: DOCUMENT_TYPES, fields: C.AttachmentFields },
    status: 201,
    response: C.Attachment,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      svc.addAttachment(tx, tenantId, actor, fields.entryId, file),
  });
  r.get({
    url: '/api/library/entries/:id/attachments/:attachmentId',
    access: P.contribute,
    summary: 'Download an attachment of one of my organisation’s entries',
    params: C.AttachmentParam,
    handler: async ({ tx, tenantId, params }) =>
      download(await svc.entryFile(tx, tenantId, params.id, params.attachmentId)),
  });
  r.delete({
    url: '/api/library/entries/:id/attachments/:attachmentId',
    access: P.contribute,
    summary: 'Remove an attachment from the working copy (submitted and published versions keep theirs)',
    params: C.AttachmentParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, afterCommit }) =>
      svc.removeAttachment(tx, tenantId, actor, params.id, params.attachmentId, afterCommit),
  });

  // ---- moderation (the Secretariat) --------------------------------------------------------------
  r.get({
    url: '/api/library/moderation',
    access: P.moderate,
    summary: 'Submissions awaiting moderation (empty outside the Secretariat)',
    response: Items(C.Submission),
    handler: async ({ tx }) => ({ items: await svc.queue(tx) }),
  });
  r.get({
    url: '/api/library/moderation/:id',
    access: P.moderate,
    summary: 'A submission, with the version currently published',
    params: C.IdParam,
    response: C.Submission,
    handler: async ({ tx, params }) => svc.submission(tx, params.id),
  });
  r.get({
    url: '/api/library/moderation/:id/attachments/:attachmentId',
    access: P.moderate,
    summary: 'Download an attachment of a submission being moderated',
    params: C.AttachmentParam,
    handler: async ({ tx, params }) => download(await svc.submissionFile(tx, params.id, params.attachmentId)),
  });
  r.get({
    url: '/api/library/moderation/entries/:id/versions',
    access: P.moderate,
    summary: "An entry's submitted versions, newest first (the Secretariat; 404 elsewhere)",
    params: C.IdParam,
    response: Items(C.VersionSummary),
    handler: async ({ tx, params }) => ({ items: await svc.versions(tx, params.id, 'moderator') }),
  });
  r.get({
    url: '/api/library/moderation/entries/:id/versions/:revision',
    access: P.moderate,
    summary: 'One submitted version of an entry, as it was submitted (the Secretariat; 404 elsewhere)',
    params: C.RevisionParam,
    response: C.Submission,
    handler: async ({ tx, params }) => svc.version(tx, params.id, params.revision, 'moderator'),
  });
  r.post({
    url: '/api/library/moderation/entries/:id/unpublish',
    access: P.moderate,
    summary:
      'Withdraw the published version, with a reason (the Secretariat): search and the public page stop showing it; the contributor is notified',
    params: C.IdParam,
    body: C.UnpublishInput,
    response: Items(C.VersionSummary),
    handler: async ({ tx, tenantId, actor, params, body, afterCommit }) => ({
      items: await svc.unpublish(tx, tenantId, actor, params.id, body, afterCommit),
    }),
  });
  r.post({
    url: '/api/library/comments/:id/hide',
    access: P.moderate,
    summary:
      'Hide a comment, with a reason (the Secretariat): only the Secretariat and the author’s organisation still read it',
    params: C.IdParam,
    body: C.HideCommentInput,
    response: C.Comment,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.hideComment(tx, tenantId, actor, params.id, body.reason),
  });
  r.post({
    url: '/api/library/moderation/:id/decision',
    access: P.moderate,
    summary:
      'Publish a submission (it replaces the published version, attachments included) or reject it with a reason; the contributor is notified',
    params: C.IdParam,
    body: C.DecisionInput,
    response: C.Submission,
    handler: async ({ tx, tenantId, actor, params, body, afterCommit }) =>
      svc.decide(tx, tenantId, actor, params.id, body, afterCommit),
  });
}
