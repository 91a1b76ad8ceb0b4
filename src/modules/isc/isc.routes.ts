import { download } from '../../platform/http/download.ts';
import { DOCUMENT_TYPES } from '../../platform/http/upload.ts';
import { TABLE_MEDIA_TYPES } from '../../platform/tables/tables.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './isc.contract.ts';
import { P } from './isc.permissions.ts';
import type { IscService } from './isc.service.ts';

export function iscRoutes(r: Router, svc: IscService) {
  r.get({
    url: '/api/isc/capabilities',
    access: P.read,
    summary: 'Whether the caller may write ISC records (the Secretariat with isc.manage)',
    response: C.Capabilities,
    handler: async ({ tx, actor }) => svc.capabilities(tx, actor),
  });

  r.get({
    url: '/api/isc/observer-organisations',
    access: P.manage,
    summary:
      'Organisations the Secretariat may invite to a session as observers or private-sector bodies (empty elsewhere)',
    response: Items(C.ObserverOrganisation),
    handler: async ({ tx }) => ({ items: await svc.observerOrganisations(tx) }),
  });

  // ---- sessions ----------------------------------------------------------------------------------
  r.get({
    url: '/api/isc/sessions',
    access: P.read,
    summary: 'ISC sessions, latest first',
    response: Items(C.SessionSummary),
    handler: async ({ tx }) => ({ items: await svc.listSessions(tx) }),
  });
  r.post({
    url: '/api/isc/sessions',
    access: P.manage,
    summary: 'A new session (number unique, dates in order)',
    body: C.SessionInput,
    bodyLimit: 256 * 1024,
    status: 201,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, body }) => svc.createSession(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/isc/sessions/:id',
    access: P.read,
    summary: 'A session with its participants, agenda, documents and minutes',
    params: C.IdParam,
    response: C.SessionDetail,
    handler: async ({ tx, actor, params }) => svc.session(tx, actor, params.id),
  });
  r.patch({
    url: '/api/isc/sessions/:id',
    access: P.manage,
    summary: 'Edit a session: dates, place, status, participants, minutes',
    params: C.IdParam,
    body: C.UpdateSessionInput,
    bodyLimit: 512 * 1024,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateSession(tx, tenantId, actor, params.id, body),
  });

  // ---- agenda ------------------------------------------------------------------------------------
  r.post({
    url: '/api/isc/sessions/:id/agenda',
    access: P.manage,
    summary: 'Add an agenda item at the end',
    params: C.IdParam,
    body: C.AgendaItemInput,
    status: 201,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addAgendaItem(tx, tenantId, actor, params.id, body),
  });
  r.patch({
    url: '/api/isc/sessions/:id/agenda/:itemId',
    access: P.manage,
    summary: 'Edit an agenda item (version-checked)',
    params: C.ItemParam,
    body: C.UpdateAgendaItemInput,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateAgendaItem(tx, tenantId, actor, params.id, params.itemId, body),
  });
  r.post({
    url: '/api/isc/sessions/:id/agenda/:itemId/move',
    access: P.manage,
    summary: 'Move an agenda item up or down one place (version-checked)',
    params: C.ItemParam,
    body: C.MoveInput,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.moveAgendaItem(tx, tenantId, actor, params.id, params.itemId, body),
  });
  r.delete({
    url: '/api/isc/sessions/:id/agenda/:itemId',
    access: P.manage,
    summary: 'Remove an agenda item (version-checked)',
    params: C.ItemParam,
    body: C.VersionInput,
    response: C.SessionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.removeAgendaItem(tx, tenantId, actor, params.id, params.itemId, body.version),
  });

  // ---- documents ---------------------------------------------------------------------------------
  r.post({
    url: '/api/isc/documents',
    access: P.manage,
    summary: 'Attach a document to a session (20 MiB; PDF, images, office documents, text)',
    upload: { maxBytes: C.DOCUMENT_MAX_BYTES, types: DOCUMENT_TYPES, fields: C.DocumentFields },
    status: 201,
    response: C.Document,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      svc.addDocument(tx, tenantId, actor, fields, file),
  });
  r.get({
    url: '/api/isc/sessions/:id/documents/:documentId',
    access: P.read,
    summary: 'Download a session document',
    params: C.DocumentParam,
    handler: async ({ tx, params }) => download(await svc.documentFile(tx, params.id, params.documentId)),
  });
  r.delete({
    url: '/api/isc/sessions/:id/documents/:documentId',
    access: P.manage,
    summary: 'Remove a session document (and its links from agenda items)',
    params: C.DocumentParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, afterCommit }) =>
      svc.removeDocument(tx, tenantId, actor, params.id, params.documentId, afterCommit),
  });

  // ---- work programme ----------------------------------------------------------------------------
  r.get({
    url: '/api/isc/work-items',
    access: P.read,
    summary: 'Work-programme items (optionally one programme), with the overdue flag',
    query: C.WorkQuery,
    response: Items(C.WorkItem),
    handler: async ({ tx, query }) => ({ items: await svc.listWorkItems(tx, query.programme) }),
  });
  r.get({
    url: '/api/isc/work-items/export',
    access: P.read,
    summary: 'The work programme as XLSX or CSV, in the caller’s language',
    query: C.ExportQuery,
    handler: async ({ tx, query, locale }) =>
      download({
        filename: `isc-work-programme.${query.format}`,
        mediaType: TABLE_MEDIA_TYPES[query.format],
        data: await svc.exportWork(tx, query.format, locale, query.programme),
      }),
  });
  r.post({
    url: '/api/isc/work-items',
    access: P.manage,
    summary: 'A new work-programme item',
    body: C.WorkItemInput,
    status: 201,
    response: C.WorkItem,
    handler: async ({ tx, tenantId, actor, body }) => svc.createWorkItem(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/isc/work-items/:id',
    access: P.manage,
    summary: 'Edit a work-programme item: status, lead, deliverables, due date',
    params: C.IdParam,
    body: C.UpdateWorkItemInput,
    response: C.WorkItem,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateWorkItem(tx, tenantId, actor, params.id, body),
  });

  // ---- recommendations ---------------------------------------------------------------------------
  r.get({
    url: '/api/isc/recommendations',
    access: P.read,
    summary: 'Recommendations to the Policy Commission with their follow-up history',
    response: Items(C.Recommendation),
    handler: async ({ tx }) => ({ items: await svc.listRecommendations(tx) }),
  });
  r.post({
    url: '/api/isc/recommendations',
    access: P.manage,
    summary: 'A recommendation adopted at a session (proposed)',
    body: C.RecommendationInput,
    status: 201,
    response: C.Recommendation,
    handler: async ({ tx, tenantId, actor, body }) => svc.createRecommendation(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/isc/recommendations/:id',
    access: P.manage,
    summary: 'Edit a recommendation’s reference or text',
    params: C.IdParam,
    body: C.UpdateRecommendationInput,
    response: C.Recommendation,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateRecommendation(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/isc/recommendations/:id/status',
    access: P.manage,
    summary: 'Record the next follow-up step (submitted, endorsed, implemented, not endorsed), dated',
    params: C.IdParam,
    body: C.StatusInput,
    response: C.Recommendation,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.changeStatus(tx, tenantId, actor, params.id, body),
  });
}
