import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { DOCUMENT_TYPES } from '../../platform/http/upload.ts';
import * as C from './assessments.contract.ts';
import { P } from './assessments.permissions.ts';
import type { AssessmentsService } from './assessments.service.ts';

/** PDF, images, office documents, text and CSV (no archives). */
const EVIDENCE_TYPES = DOCUMENT_TYPES;

export function assessmentsRoutes(r: Router, svc: AssessmentsService) {
  r.get({
    url: '/api/assessments',
    access: P.read,
    summary: 'Assessment campaigns of the administration, with progress and overall score',
    response: Items(C.AssessmentSummary),
    handler: async ({ tx, locale }) => ({ items: await svc.list(tx, locale) }),
  });
  r.get({
    url: '/api/assessments/options',
    access: P.read,
    summary: 'What a new campaign can be made of: frameworks, scales, members, units',
    response: C.OptionsResult,
    handler: async ({ tx, locale }) => svc.options(tx, locale),
  });
  r.get({
    url: '/api/assessments/trend',
    access: P.read,
    summary: 'Validated iterations of a framework in time order (per-factor and overall scores)',
    query: C.FrameworkQuery,
    response: C.TrendResult,
    handler: async ({ tx, locale, query }) => svc.trend(tx, locale, query.frameworkUrn),
  });
  r.get({
    url: '/api/assessments/benchmark',
    access: P.benchmark,
    summary:
      'Peer benchmark: anonymous per-factor distribution by WCO region and overall (groups under 5 not shown)',
    query: C.FrameworkQuery,
    response: C.BenchmarkResult,
    handler: async ({ tx, locale, query }) => svc.benchmark(tx, locale, query.frameworkUrn),
  });
  r.post({
    url: '/api/assessments',
    access: P.manage,
    summary: 'Start an assessment campaign pinned to a framework and scale version',
    body: C.CreateAssessmentInput,
    status: 201,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, body, locale }) => svc.create(tx, tenantId, actor, body, locale),
  });
  r.get({
    url: '/api/assessments/:id',
    access: P.read,
    summary: 'One assessment: header, team, scale, what the caller may do',
    params: C.IdParam,
    response: C.AssessmentDetail,
    handler: async ({ tx, actor, params, locale }) => svc.detail(tx, actor, params.id, locale),
  });
  r.patch({
    url: '/api/assessments/:id',
    access: P.manage,
    summary: 'Edit title, type, dates or scope (not once validated)',
    params: C.IdParam,
    body: C.UpdateAssessmentInput,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.edit(tx, tenantId, actor, params.id, body, locale),
  });
  r.put({
    url: '/api/assessments/:id/team',
    access: P.manage,
    summary: 'Replace the team (facilitators, assessors, observers, executive sponsors)',
    params: C.IdParam,
    body: C.SetTeamInput,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.setTeam(tx, tenantId, actor, params.id, body, locale),
  });
  r.post({
    url: '/api/assessments/:id/transition',
    access: P.manage,
    summary: 'Move the workflow: start, submit for review, send back, close',
    params: C.IdParam,
    body: C.TransitionInput,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.transition(tx, tenantId, actor, params.id, body, locale),
  });
  r.post({
    url: '/api/assessments/:id/validate',
    access: P.validate,
    summary: 'Executive sign-off: validates, freezes the scores, makes the assessment read-only',
    params: C.IdParam,
    body: C.ValidateInput,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.validate(tx, tenantId, actor, params.id, body, locale),
  });
  r.post({
    url: '/api/assessments/:id/revise',
    access: P.manage,
    summary: 'Correct a validated assessment: a new revision with the responses copied',
    params: C.IdParam,
    status: 201,
    response: C.AssessmentDetail,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.revise(tx, tenantId, actor, params.id, locale),
  });
  r.get({
    url: '/api/assessments/:id/items',
    access: P.read,
    summary: 'Checklist items with responses, evidence and comments, grouped by factor',
    params: C.IdParam,
    response: C.ItemsResult,
    handler: async ({ tx, params, locale }) => svc.items(tx, params.id, locale),
  });
  r.put({
    url: '/api/assessments/:id/items/:itemId/response',
    access: P.respond,
    summary: 'Rate an item (or mark it N/A with a reason); 409 with the current version on a stale save',
    params: C.ItemParam,
    body: C.ResponseInput,
    response: C.ItemResponse,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.saveResponse(tx, tenantId, actor, params.id, params.itemId, body, locale),
  });
  r.post({
    url: '/api/assessments/:id/items/:itemId/comments',
    access: P.read,
    summary: 'Comment on an item, mentioning colleagues',
    params: C.ItemParam,
    body: C.CommentInput,
    status: 201,
    response: C.Comment,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.comment(tx, tenantId, actor, params.id, params.itemId, body, locale),
  });
  r.get({
    url: '/api/assessments/:id/scores',
    access: P.read,
    summary: 'Scores per factor and overall, progress, and the deltas against the previous iteration',
    params: C.IdParam,
    response: C.ScoresResult,
    handler: async ({ tx, params, locale }) => svc.scores(tx, params.id, locale),
  });
  r.post({
    url: '/api/assessments/:id/share',
    access: P.benchmark,
    summary: "Share this validated assessment's per-factor scores with the peer benchmark",
    params: C.IdParam,
    response: C.ShareResult,
    handler: async ({ tx, tenantId, actor, params }) => svc.share(tx, tenantId, actor, params.id),
  });
  r.delete({
    url: '/api/assessments/:id/share',
    access: P.benchmark,
    summary: 'Withdraw the shared scores from the peer benchmark',
    params: C.IdParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params }) => svc.unshare(tx, tenantId, actor, params.id),
  });
  // The assessment and item go in form fields: a multipart route takes no :id (the isolation
  // battery sends JSON); tenant isolation is still the row-level security of the lookup.
  r.post({
    url: '/api/assessments/evidence',
    access: P.respond,
    summary: 'Attach an evidence file to an item (10 MiB; PDF, images, office documents, text, CSV)',
    upload: { maxBytes: C.EVIDENCE_MAX_BYTES, types: EVIDENCE_TYPES, fields: C.EvidenceFields },
    status: 201,
    response: C.Evidence,
    handler: async ({ tx, tenantId, actor, file, fields, locale }) =>
      svc.addEvidence(tx, tenantId, actor, fields.assessmentId, fields.itemId, file, locale),
  });
  r.get({
    url: '/api/assessments/:id/evidence/:evidenceId',
    access: P.read,
    summary: 'Download an evidence file',
    params: C.EvidenceParam,
    handler: async ({ tx, tenantId, params }) =>
      download(await svc.evidenceFile(tx, tenantId, params.id, params.evidenceId)),
  });
  r.delete({
    url: '/api/assessments/:id/evidence/:evidenceId',
    access: P.respond,
    summary: 'Remove an evidence file (while in progress)',
    params: C.EvidenceParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, afterCommit }) =>
      svc.deleteEvidence(tx, tenantId, actor, params.id, params.evidenceId, afterCommit),
  });
}
