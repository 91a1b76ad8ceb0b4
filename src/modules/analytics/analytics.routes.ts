import { z } from 'zod';
import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import * as C from './analytics.contract.ts';
import { P } from './analytics.permissions.ts';
import type { AnalyticsService } from './analytics.service.ts';

/** Largest extract accepted through the API (bigger files: `arusha analytics import`). */
export const UPLOAD_MAX_BYTES = 256 * 1024 * 1024;

export function analyticsRoutes(r: Router, svc: AnalyticsService) {
  r.get({
    url: '/api/analytics/datasets',
    access: P.read,
    summary: 'Datasets with their versions (imports) and validation reports',
    response: Items(C.Dataset),
    handler: async ({ tx }) => ({ items: await svc.listDatasets(tx) }),
  });
  r.post({
    url: '/api/analytics/datasets',
    access: P.manage,
    summary: 'Create a dataset: declaration extracts, partner trade statistics or a duty-rate table',
    body: C.DatasetCreate,
    response: C.Dataset,
    status: 201,
    handler: async ({ tx, tenantId, actor, body }) => svc.createDataset(tx, tenantId, actor.userId, body),
  });
  r.get({
    url: '/api/analytics/datasets/:id',
    access: P.read,
    summary: 'A dataset and its versions',
    params: C.IdParam,
    response: C.Dataset,
    handler: async ({ tx, params }) => svc.getDataset(tx, params.id),
  });
  r.post({
    url: '/api/analytics/imports',
    access: P.manage,
    summary:
      'Upload a CSV or Parquet file (declarations, trade statistics or duty rates, by the dataset kind): a new version, validated and imported by a job in one step (the same file twice: 409); the wizard is /api/analytics/uploads',
    upload: { maxBytes: UPLOAD_MAX_BYTES, types: ['csv', 'txt', 'parquet'], fields: C.ImportFields },
    response: C.DatasetVersion,
    status: 202,
    handler: async ({ tx, tenantId, actor, file, fields, locale }) =>
      svc.upload(tx, tenantId, actor.userId, file, fields, locale),
  });
  r.get({
    url: '/api/analytics/versions/:id',
    access: P.read,
    summary: 'A dataset version: status and validation report (poll while importing)',
    params: C.IdParam,
    response: C.DatasetVersion,
    handler: async ({ tx, params }) => svc.getVersion(tx, params.id),
  });
  r.get({
    url: '/api/analytics/versions/:id/rejects',
    access: P.read,
    summary: 'The rows an import left out, with their row numbers and reasons (CSV)',
    params: C.IdParam,
    handler: async ({ tx, tenantId, params }) => {
      const f = await svc.rejects(tx, tenantId, params.id);
      return download({ filename: f.filename, mediaType: 'text/csv', data: f.data });
    },
  });
  r.get({
    url: '/api/analytics/versions/:id/mirror',
    access: P.read,
    summary:
      'Mirror gaps of a trade-statistics version for one country: declared imports against partners’ exports per HS code × partner × year (sorted page, summary, caveats)',
    params: C.IdParam,
    query: C.MirrorQuery,
    response: C.Mirror,
    handler: async ({ tx, tenantId, params, query }) => svc.mirror(tx, tenantId, params.id, query),
  });
  r.get({
    url: '/api/analytics/versions/:id/mirror/countries',
    access: P.read,
    summary:
      'The reporters of a trade-statistics version with imports (countries a mirror analysis can take)',
    params: C.IdParam,
    response: Items(C.MirrorCountry),
    handler: async ({ tx, tenantId, params }) => ({
      items: await svc.mirrorCountries(tx, tenantId, params.id),
    }),
  });
  r.get({
    url: '/api/analytics/versions/:id/mirror/rows',
    access: P.read,
    summary:
      'The rows behind one mirror cell: the trade rows (both sides, every flow), or with declarationsVersionId the declarations of the declared side (first 200 and the total)',
    params: C.IdParam,
    query: C.MirrorCellQuery,
    response: C.DeclarationRows,
    handler: async ({ tx, tenantId, params, query }) => svc.mirrorCell(tx, tenantId, params.id, query),
  });
  r.get({
    url: '/api/analytics/versions/:id/mirror/actors',
    access: P.read,
    summary:
      'I17: the mirror gap of each HS × partner × year cell attributed to the officers, declarants and importers whose declarations make up its declared side (value-weighted), largest first, with caveats',
    params: C.IdParam,
    query: C.MirrorActorsQuery,
    response: C.MirrorActors,
    handler: async ({ tx, tenantId, params, query }) => svc.mirrorActors(tx, tenantId, params.id, query),
  });
  r.get({
    url: '/api/analytics/versions/:id/mirror/actors/rows',
    access: P.read,
    summary:
      'I17: the declarations of one officer, declarant or importer in the two-sided cells that gave it a share of a mirror gap (first 200 and the total)',
    params: C.IdParam,
    query: C.MirrorActorRowsQuery,
    response: C.DeclarationRows,
    handler: async ({ tx, tenantId, params, query }) => svc.mirrorActorRows(tx, tenantId, params.id, query),
  });
  r.get({
    url: '/api/analytics/mappings',
    access: P.read,
    summary: 'Column mappings, one per source system',
    response: Items(C.Mapping),
    handler: async ({ tx }) => ({ items: await svc.listMappings(tx) }),
  });
  r.post({
    url: '/api/analytics/mappings',
    access: P.manage,
    summary: 'Save a column mapping for a source system',
    body: C.MappingBody,
    response: C.Mapping,
    status: 201,
    handler: async ({ tx, tenantId, actor, body }) => svc.createMapping(tx, tenantId, actor.userId, body),
  });
  r.patch({
    url: '/api/analytics/mappings/:id',
    access: P.manage,
    summary: 'Change a column mapping (409 on a stale version)',
    params: C.IdParam,
    body: C.MappingUpdate,
    response: C.Mapping,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateMapping(tx, tenantId, actor.userId, params.id, body),
  });
  r.get({
    url: '/api/analytics/indicators',
    access: P.read,
    summary: 'The indicator catalogue: definitions, formulas and versions',
    response: Items(C.IndicatorDef),
    handler: async ({ locale }) => ({ items: svc.catalogue(locale) }),
  });
  r.get({
    url: '/api/analytics/runs',
    access: P.read,
    summary: 'Indicator runs, newest first',
    query: z.object({ datasetVersionId: z.uuid().optional() }).strict(),
    response: Items(C.Run),
    handler: async ({ tx, query }) => ({ items: await svc.listRuns(tx, query.datasetVersionId) }),
  });
  r.post({
    url: '/api/analytics/runs',
    access: P.manage,
    summary:
      'Compute the indicator catalogue over an imported version (a job); over trade statistics, a mirror run (country, CIF/FOB factor, threshold, duty rates)',
    body: C.RunCreate,
    response: C.Run,
    status: 202,
    handler: async ({ tx, tenantId, actor, body }) => svc.createRun(tx, tenantId, actor.userId, body),
  });
  r.get({
    url: '/api/analytics/runs/:id',
    access: P.read,
    summary: 'A run and its status',
    params: C.IdParam,
    response: C.Run,
    handler: async ({ tx, params }) => svc.getRun(tx, params.id),
  });
  r.get({
    url: '/api/analytics/runs/:id/results',
    access: P.read,
    summary: "One indicator's results in a run, with funnel limits (the funnel plot)",
    params: C.IdParam,
    query: C.ResultsQuery,
    response: Items(C.Result),
    handler: async ({ tx, params, query }) => ({ items: await svc.results(tx, params.id, query.indicator) }),
  });
  r.get({
    url: '/api/analytics/alerts',
    access: P.read,
    summary: 'Alerts, highest score first',
    query: C.AlertsQuery,
    response: Items(C.Alert),
    handler: async ({ tx, query, locale }) => ({ items: await svc.listAlerts(tx, query, locale) }),
  });
  r.get({
    url: '/api/analytics/alerts/substantiation',
    access: P.read,
    summary: 'Per indicator: alerts raised, decided and substantiated',
    response: C.Substantiation,
    handler: async ({ tx }) => svc.substantiation(tx),
  });
  r.get({
    url: '/api/analytics/alerts/:id',
    access: P.read,
    summary: 'An alert with its explanation',
    params: C.IdParam,
    response: C.Alert,
    handler: async ({ tx, params, locale }) => svc.getAlert(tx, params.id, locale),
  });
  r.get({
    url: '/api/analytics/alerts/:id/declarations',
    access: P.read,
    summary: 'The declarations behind an alert (first 200 and the total)',
    params: C.IdParam,
    response: C.DeclarationRows,
    handler: async ({ tx, tenantId, params }) => svc.alertDeclarations(tx, tenantId, params.id),
  });
  r.patch({
    url: '/api/analytics/alerts/:id',
    access: P.alerts,
    summary: 'Triage an alert: under review, dismissed (reason), escalated, added to the risk map',
    params: C.IdParam,
    body: C.Triage,
    response: C.Alert,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.triage(tx, tenantId, actor, params.id, body, locale),
  });
}
