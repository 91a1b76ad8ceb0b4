import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { DOCUMENT_TYPES } from '../../platform/http/upload.ts';
import { TABLE_MEDIA_TYPES } from '../../platform/tables/tables.ts';
import * as C from './cases.contract.ts';
import { P } from './cases.permissions.ts';
import type { CasesService } from './cases.service.ts';

export function casesRoutes(r: Router, svc: CasesService) {
  // ---- taxonomy ------------------------------------------------------------------------------
  r.get({
    url: '/api/cases/settings',
    access: P.read,
    summary:
      "The administration's case taxonomy: steps, closure reasons, outcomes, sanction scale, decision days",
    response: C.Settings,
    handler: async ({ tx }) => svc.settings(tx),
  });
  r.put({
    url: '/api/cases/settings',
    access: P.manage,
    summary: 'Save the taxonomy (version 0 the first time; 409 on a stale version; 400 on a broken workflow)',
    body: C.SettingsInput,
    response: C.Settings,
    handler: async ({ tx, tenantId, actor, body }) => svc.updateSettings(tx, tenantId, actor, body),
  });

  r.get({
    url: '/api/cases/settings/usage',
    access: P.manage,
    summary:
      'How many cases use each closure reason, decision, outcome and sanction (an entry in use is deactivated, not removed)',
    response: C.TaxonomyUsage,
    handler: async ({ tx }) => svc.usage(tx),
  });

  // ---- cases ---------------------------------------------------------------------------------
  r.get({
    url: '/api/cases',
    access: P.read,
    summary:
      'Cases I may see: those assigned to me, or every case for the head of Internal Affairs (scope=mine narrows)',
    query: C.CaseQuery,
    response: Items(C.CaseSummary),
    handler: async ({ tx, actor, query }) => ({
      items: await svc.list(tx, actor, query.scope),
    }),
  });
  r.post({
    url: '/api/cases',
    access: P.manage,
    summary: 'Open a case from a source (report, audit, analytics alert, declaration flag) or manually',
    body: C.CaseInput,
    status: 201,
    response: C.CaseSummary,
    handler: async ({ tx, tenantId, actor, body }) => svc.create(tx, tenantId, actor, body),
  });
  r.post({
    url: '/api/cases/:id/open',
    access: P.read,
    summary: 'Read a whole case (notes, subjects, files, timeline); every reading is audited; not mine → 404',
    params: C.IdParam,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params }) => svc.open(tx, tenantId, actor, params.id),
  });
  r.patch({
    url: '/api/cases/:id',
    access: P.manage,
    summary: 'Change title, unit concerned, decision due date, or mark the case as naming a senior manager',
    params: C.IdParam,
    body: C.CaseUpdate,
    response: C.CaseSummary,
    handler: async ({ tx, tenantId, actor, params, body }) => svc.edit(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/cases/:id/transition',
    access: P.read,
    summary:
      'Move the case one step of the taxonomy (409 when not allowed from here; 422 when a needed field is missing)',
    params: C.IdParam,
    body: C.TransitionInput,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.transition(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/cases/:id/appeal',
    access: P.read,
    summary: 'Record an appeal against the decision',
    params: C.IdParam,
    body: C.AppealInput,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.appeal(tx, tenantId, actor, params.id, body),
  });

  // ---- assignment ----------------------------------------------------------------------------
  r.get({
    url: '/api/cases/:id/candidates',
    access: P.manage,
    summary: 'Who may handle the case, each with a conflict warning (member of the unit concerned or below)',
    params: C.IdParam,
    response: Items(C.Candidate),
    handler: async ({ tx, actor, params }) => ({ items: await svc.candidates(tx, actor, params.id) }),
  });
  r.post({
    url: '/api/cases/:id/assign',
    access: P.manage,
    summary:
      'Assign a handler, or reassign (replace); a conflicted handler needs acknowledgeConflict (else 409)',
    params: C.IdParam,
    body: C.AssignInput,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.assign(tx, tenantId, actor, params.id, body),
  });

  // ---- notes, subjects, files ----------------------------------------------------------------
  r.post({
    url: '/api/cases/:id/notes',
    access: P.read,
    summary: 'Add an internal note (never shown to a reporter)',
    params: C.IdParam,
    body: C.NoteInput,
    status: 201,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addNote(tx, tenantId, actor, params.id, body.body),
  });
  r.post({
    url: '/api/cases/:id/subjects',
    access: P.read,
    summary: 'Add a subject (staff, broker, importer): restricted data',
    params: C.IdParam,
    body: C.SubjectInput,
    status: 201,
    response: C.CaseDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.addSubject(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/cases/files',
    access: P.read,
    summary: 'Attach a file to a case (20 MiB; PDF, images, office documents, text)',
    upload: { maxBytes: C.FILE_MAX_BYTES, types: DOCUMENT_TYPES, fields: C.FileFields },
    status: 201,
    response: C.CaseFile,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      svc.addFile(tx, tenantId, actor, fields.caseId, file),
  });
  r.post({
    url: '/api/cases/:id/files/:fileId',
    access: P.read,
    summary: 'Download a file of a case (a POST: every download is audited)',
    params: C.FileParam,
    handler: async ({ tx, tenantId, actor, params }) =>
      download(await svc.file(tx, tenantId, actor, params.id, params.fileId)),
  });

  // ---- statistics ----------------------------------------------------------------------------
  r.get({
    url: '/api/cases/statistics',
    access: P.stats,
    summary: 'Counts by source, status, outcome and unit, median days to close; counts under 5 suppressed',
    response: C.Statistics,
    handler: async ({ tx, locale }) => svc.statistics(tx, locale),
  });
  r.get({
    url: '/api/cases/statistics/export',
    access: P.stats,
    summary: 'The statistics as XLSX or CSV (the same suppression)',
    query: C.ExportQuery,
    handler: async ({ tx, query, locale }) =>
      download({
        filename: `case-statistics.${query.format}`,
        mediaType: TABLE_MEDIA_TYPES[query.format],
        data: await svc.exportStatistics(tx, query.format, locale),
      }),
  });
}
