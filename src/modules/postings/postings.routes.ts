import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './postings.contract.ts';
import { P } from './postings.permissions.ts';
import type { PostingsService } from './postings.service.ts';

export function postingsRoutes(r: Router, svc: PostingsService) {
  r.get({
    url: '/api/postings/rules',
    access: P.read,
    summary: 'The rotation rules: on or off for this administration, alert lead time',
    response: C.Rules,
    handler: async ({ tx }) => svc.rules(tx),
  });
  r.put({
    url: '/api/postings/rules',
    access: P.manage,
    summary: 'Switch the rotation rules on or off and set the alert lead time (version 0 the first time)',
    body: C.RulesInput,
    response: C.Rules,
    handler: async ({ tx, tenantId, actor, body }) => svc.setRules(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/postings/positions',
    access: P.read,
    summary: 'Positions with their vulnerability, linked risks, tenure rules and current holders',
    response: Items(C.Position),
    handler: async ({ tx, locale }) => ({ items: await svc.listPositions(tx, locale) }),
  });
  r.post({
    url: '/api/postings/positions',
    access: P.manage,
    summary: 'Add a position',
    body: C.PositionInput,
    status: 201,
    response: C.Position,
    handler: async ({ tx, tenantId, actor, body, locale }) =>
      svc.createPosition(tx, tenantId, actor, body, locale),
  });
  r.patch({
    url: '/api/postings/positions/:id',
    access: P.manage,
    summary: 'Edit or archive a position',
    params: C.IdParam,
    body: C.UpdatePositionInput,
    response: C.Position,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.updatePosition(tx, tenantId, actor, params.id, body, locale),
  });
  r.get({
    url: '/api/postings/history',
    access: P.read,
    summary: 'Postings history (of a member or a position), with months served and tenure end',
    query: C.PostingQuery,
    response: Items(C.Posting),
    handler: async ({ tx, query }) => ({ items: await svc.listPostings(tx, query) }),
  });
  r.post({
    url: '/api/postings/history',
    access: P.manage,
    summary: 'Post a member to a position (closes their open posting; cooling-off checked)',
    body: C.PostingInput,
    status: 201,
    response: C.Posting,
    handler: async ({ tx, tenantId, actor, body }) => svc.createPosting(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/postings/history/:id',
    access: P.manage,
    summary: 'End a posting or correct its reason',
    params: C.IdParam,
    body: C.UpdatePostingInput,
    response: C.Posting,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updatePosting(tx, tenantId, actor, params.id, body),
  });
  r.get({
    url: '/api/postings/plan',
    access: P.read,
    summary: 'The rotation plan: open postings by tenure end, and moves due per month',
    response: C.Plan,
    handler: async ({ tx }) => svc.plan(tx),
  });
}
