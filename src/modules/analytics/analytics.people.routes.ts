import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './analytics.contract.ts';
import type { PeopleService } from './analytics.people.ts';
import { P } from './analytics.permissions.ts';

/** Read-only people views: officer profile, rows behind a figure, a run's summary per indicator. */
export function peopleRoutes(r: Router, svc: PeopleService) {
  r.get({
    url: '/api/analytics/versions/:id/officers/:officer',
    access: P.read,
    summary:
      "An officer's profile: every indicator per month or quarter (observed, expected, funnel limits), the run's figures, pairs and alerts",
    params: C.OfficerParams,
    query: C.OfficerQuery,
    response: C.OfficerProfile,
    handler: async ({ tx, tenantId, params, query, locale }) =>
      svc.officerProfile(tx, tenantId, params.id, params.officer, query.period, locale),
  });
  r.get({
    url: '/api/analytics/versions/:id/declarations',
    access: P.read,
    summary:
      'The declarations behind a figure (officer, officer × declarant pair, indicator, period): one page and the total',
    params: C.IdParam,
    query: C.RowsQuery,
    response: C.RowsPage,
    handler: async ({ tx, tenantId, params, query }) => svc.rows(tx, tenantId, params.id, query),
  });
  r.get({
    url: '/api/analytics/runs/:id/summary',
    access: P.read,
    summary: 'Per indicator of a run: subjects computed, outside the 95 % and 99.8 % limits, alerts raised',
    params: C.IdParam,
    response: Items(C.RunSummaryRow),
    handler: async ({ tx, params }) => ({ items: await svc.runSummary(tx, params.id) }),
  });
}
