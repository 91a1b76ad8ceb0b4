import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './declarations.contract.ts';
import { P } from './declarations.permissions.ts';
import type { DeclarationsService } from './declarations.service.ts';

export function declarationsRoutes(r: Router, svc: DeclarationsService) {
  // ---- configuration -------------------------------------------------------------------------
  r.get({
    url: '/api/declarations/settings',
    access: P.declare,
    summary: 'Declaration types in use, gift threshold, base currency and exchange rates, flag parameters',
    response: C.Settings,
    handler: async ({ tx }) => svc.settings(tx),
  });
  r.put({
    url: '/api/declarations/settings',
    access: P.manage,
    summary: 'Save the settings (version 0 the first time; 409 on a stale version)',
    body: C.SettingsInput,
    response: C.Settings,
    handler: async ({ tx, tenantId, actor, body }) => svc.updateSettings(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/declarations/cycles',
    access: P.declare,
    summary: 'Filing cycles with their due dates, and whether I have filed in each',
    response: Items(C.Cycle),
    handler: async ({ tx, actor }) => ({ items: await svc.listCycles(tx, actor) }),
  });
  r.post({
    url: '/api/declarations/cycles',
    access: P.manage,
    summary: 'Open a filing cycle for every member or some units (with sub-units)',
    body: C.CycleInput,
    status: 201,
    response: C.Cycle,
    handler: async ({ tx, tenantId, actor, body }) => svc.createCycle(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/declarations/cycles/:id',
    access: P.manage,
    summary: "Change a cycle's title, due date (reminders start again) or escalation",
    params: C.IdParam,
    body: C.CycleUpdate,
    response: C.Cycle,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateCycle(tx, tenantId, actor, params.id, body),
  });

  // ---- my declarations -----------------------------------------------------------------------
  r.get({
    url: '/api/declarations/mine',
    access: P.declare,
    summary: 'My declarations and their status (no asset values: open one to see them)',
    response: Items(C.Declaration),
    handler: async ({ tx, actor, locale }) => ({ items: await svc.mine(tx, actor, locale) }),
  });
  r.post({
    url: '/api/declarations',
    access: P.declare,
    summary:
      'File a conflict of interest, gift or asset declaration; bad amounts, currencies or dates → 400, nothing stored',
    body: C.DeclarationInput,
    status: 201,
    response: C.Declaration,
    handler: async ({ tx, tenantId, actor, body, locale }) => svc.file(tx, tenantId, actor, body, locale),
  });
  r.get({
    url: '/api/declarations/:id',
    access: P.declare,
    summary:
      'One declaration without asset values (the declarant, a reviewer, or the approving line manager)',
    params: C.IdParam,
    response: C.Declaration,
    handler: async ({ tx, actor, params, locale }) => svc.get(tx, actor, params.id, locale),
  });
  r.post({
    url: '/api/declarations/:id/asset-values',
    access: P.declare,
    summary: 'Open an asset declaration with its values (the declarant or a reviewer; every opening audited)',
    params: C.IdParam,
    response: C.AssetValues,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.assetValues(tx, tenantId, actor, params.id, locale),
  });

  // ---- line managers -------------------------------------------------------------------------
  r.get({
    url: '/api/declarations/approvals',
    access: P.approve,
    summary: "Conflicts and gifts of my unit's staff that need (or had) my approval",
    response: Items(C.Declaration),
    handler: async ({ tx, actor, locale }) => ({ items: await svc.approvals(tx, actor, locale) }),
  });
  r.post({
    url: '/api/declarations/:id/approval',
    access: P.approve,
    summary: 'Approve or reject a conflict mitigation or a gift disposition of my unit',
    params: C.IdParam,
    body: C.ApprovalInput,
    response: C.Declaration,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.approve(tx, tenantId, actor, params.id, body, locale),
  });

  // ---- reviewers -----------------------------------------------------------------------------
  r.get({
    url: '/api/declarations/queue',
    access: P.review,
    summary: 'Every declaration with its status and open flags (asset values only through asset-values)',
    response: Items(C.Declaration),
    handler: async ({ tx, locale }) => ({ items: await svc.queue(tx, locale) }),
  });
  r.post({
    url: '/api/declarations/:id/review',
    access: P.review,
    summary:
      'Move a declaration: start (under review), clear, flag, refer (opens a case; an external reference optional)',
    params: C.IdParam,
    body: C.ReviewInput,
    response: C.Declaration,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.review(tx, tenantId, actor, params.id, body, locale),
  });
  r.get({
    url: '/api/declarations/flags',
    access: P.review,
    summary: 'Red flags, each with the facts that raised it in words',
    query: C.FlagQuery,
    response: Items(C.Flag),
    handler: async ({ tx, query, locale }) => ({ items: await svc.flags(tx, query.status, locale) }),
  });
  r.post({
    url: '/api/declarations/flags/:id/decision',
    access: P.review,
    summary: 'Dismiss a flag with a reason, or refer it (a case reference; recorded and audited)',
    params: C.IdParam,
    body: C.FlagDecisionInput,
    response: C.Flag,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.decideFlag(tx, tenantId, actor, params.id, body, locale),
  });

  r.get({
    url: '/api/declarations/flags/:id/rows',
    access: P.review,
    summary:
      'The Customs declarations behind a related-party flag (the analytics dataset rows: first 200, and how many)',
    params: C.IdParam,
    response: C.HandledRows,
    handler: async ({ tx, tenantId, params }) => svc.flagRows(tx, tenantId, params.id),
  });
  r.post({
    url: '/api/declarations/flags/scan',
    access: P.review,
    summary:
      "Check declared related parties against the declarations each officer handled (the analytics module's data) now",
    response: C.ScanResult,
    handler: async ({ tx, tenantId }) => svc.scanRelatedParties(tx, tenantId),
  });

  // ---- statistics ----------------------------------------------------------------------------
  r.get({
    url: '/api/declarations/statistics',
    access: P.statistics,
    summary:
      'Submission rates by cycle and unit (small cells suppressed), flags by rule, declarations by type',
    response: C.Statistics,
    handler: async ({ tx, locale }) => svc.statistics(tx, locale),
  });
}
