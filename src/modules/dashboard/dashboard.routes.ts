import type { Router } from '../../platform/http/route.ts';
import * as C from './dashboard.contract.ts';
import { P } from './dashboard.permissions.ts';
import type { DashboardService } from './dashboard.service.ts';

export function dashboardRoutes(r: Router, svc: DashboardService) {
  r.get({
    url: '/api/dashboard',
    access: P.read,
    summary: 'The executive dashboard: latest factor scores and trend, actions, top residual risks, KPIs',
    response: C.Dashboard,
    handler: async ({ tx, locale }) => svc.overview(tx, locale),
  });
  r.get({
    url: '/api/dashboard/reports/assessments/:assessmentId',
    access: P.read,
    summary: 'The assessment report as PDF, in the reader’s language (or ?locale=)',
    params: C.ReportParams,
    query: C.ReportQuery,
    handler: async ({ tx, params, query, locale }) =>
      svc.reportPdf(tx, params.assessmentId, query.locale ?? locale),
  });
  r.get({
    url: '/api/dashboard/exports/:dataset',
    access: P.read,
    summary: 'Checklist responses, risks, actions or KPIs as XLSX or CSV',
    params: C.ExportParams,
    query: C.ExportQuery,
    handler: async ({ tx, params, query, locale }) =>
      svc.export(tx, params.dataset, query.format, locale, query.assessmentId),
  });
}
