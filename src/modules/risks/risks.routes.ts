import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { RTL } from '../../platform/i18n/i18n.ts';
import { readTable, TABLE_MEDIA_TYPES, writeTable } from '../../platform/tables/tables.ts';
import { COLUMNS } from './risks.io.ts';
import * as C from './risks.contract.ts';
import { P } from './risks.permissions.ts';
import type { RisksService } from './risks.service.ts';

export function risksRoutes(r: Router, svc: RisksService) {
  // ---- matrix and review settings -----------------------------------------------------
  r.get({
    url: '/api/risks/settings',
    access: P.read,
    summary: "The administration's risk matrix (levels, bands, colours) and review intervals",
    response: C.Settings,
    handler: async ({ tx, locale }) => svc.settingsView(await svc.settings(tx), locale),
  });
  r.put({
    url: '/api/risks/settings',
    access: P.manage,
    summary:
      'Edit the risk matrix and review intervals (bands must cover every score; send the version you saw)',
    body: C.UpdateSettingsInput,
    response: C.Settings,
    handler: async ({ tx, tenantId, actor, body, locale }) =>
      svc.settingsView(await svc.updateSettings(tx, tenantId, actor, body), locale),
  });

  // ---- process catalogue ---------------------------------------------------------------
  r.get({
    url: '/api/risks/processes',
    access: P.read,
    summary: 'The catalogue of Customs processes (pre-loaded, editable)',
    response: Items(C.Process),
    handler: async ({ tx, tenantId, locale }) => ({ items: await svc.processes(tx, tenantId, locale) }),
  });
  r.post({
    url: '/api/risks/processes',
    access: P.manage,
    summary: 'Add a process to the catalogue',
    body: C.CreateProcessInput,
    status: 201,
    response: C.Process,
    handler: async ({ tx, tenantId, actor, body, locale }) =>
      svc.createProcess(tx, tenantId, actor, body, locale),
  });
  r.patch({
    url: '/api/risks/processes/:id',
    access: P.manage,
    summary: 'Rename, describe, reorder or archive a process (name null = the catalogue name)',
    params: C.IdParam,
    body: C.UpdateProcessInput,
    response: C.Process,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.updateProcess(tx, tenantId, actor, params.id, body, locale),
  });

  // ---- heat map, snapshots, pickers (before /:id) -----------------------------------------
  r.get({
    url: '/api/risks/heatmap',
    access: P.read,
    summary: 'Inherent and residual heat maps: counts and risks per cell (open risks, or a snapshot)',
    query: C.HeatmapQuery,
    response: C.HeatmapResult,
    handler: async ({ tx, tenantId, query, locale }) => svc.heatmap(tx, tenantId, locale, query),
  });
  r.get({
    url: '/api/risks/snapshots',
    access: P.read,
    summary: 'Snapshots of the register, newest first, with counts per level',
    response: Items(C.SnapshotSummary),
    handler: async ({ tx }) => ({ items: await svc.snapshots(tx) }),
  });
  r.post({
    url: '/api/risks/snapshots',
    access: P.manage,
    summary: 'Freeze the open register as it stands (at a review)',
    body: C.CreateSnapshotInput,
    status: 201,
    response: C.SnapshotSummary,
    handler: async ({ tx, tenantId, actor, body }) => svc.takeSnapshot(tx, tenantId, actor, body.label),
  });
  r.get({
    url: '/api/risks/snapshots/:id',
    access: P.read,
    summary: 'One snapshot: the frozen ratings',
    params: C.IdParam,
    response: C.SnapshotDetail,
    handler: async ({ tx, params, locale }) => svc.snapshot(tx, params.id, locale),
  });
  r.get({
    url: '/api/risks/trend',
    access: P.read,
    summary: 'Between two snapshots: counts per level, risks that moved level, new and closed risks',
    query: C.TrendQuery,
    response: C.TrendResult,
    handler: async ({ tx, query, locale }) => svc.trend(tx, query.from, query.to, locale),
  });
  r.get({
    url: '/api/risks/people',
    access: P.read,
    summary: 'Organisation units and members, for the risk form',
    response: C.People,
    handler: async ({ tx }) => svc.people(tx),
  });

  // ---- the register as a table ------------------------------------------------------------
  r.get({
    url: '/api/risks/export',
    access: P.read,
    summary: 'The register as XLSX or CSV (column layout: docs/adr/0012-risk-levels.md)',
    query: C.ExportQuery,
    handler: async ({ tx, tenantId, query, locale }) => {
      const rows = await svc.registerRows(tx, tenantId, locale);
      const data = await writeTable({
        sheetName: 'Risk register',
        columns: COLUMNS,
        rows,
        format: query.format,
        rtl: RTL.has(locale),
      });
      return download({
        filename: `risk-register-${svc.today()}.${query.format}`,
        mediaType: TABLE_MEDIA_TYPES[query.format],
        data,
      }) as never;
    },
  });
  r.post({
    url: '/api/risks/import',
    access: P.manage,
    summary: 'Import the register (XLSX or CSV): all or nothing; ?dryRun=true reports without writing',
    query: C.ImportQuery,
    upload: { maxBytes: 10 * 1024 * 1024, types: ['xlsx', 'csv'] },
    response: C.ImportReport,
    handler: async ({ tx, tenantId, actor, query, file, locale }) => {
      const table = await readTable(file.data, file.type === 'csv' ? 'csv' : 'xlsx', {
        maxRows: 5000,
        maxColumns: 60,
      });
      return svc.importRows(tx, tenantId, actor, table, { dryRun: query.dryRun === 'true', locale });
    },
  });

  // ---- the register ----------------------------------------------------------------------
  r.get({
    url: '/api/risks',
    access: P.read,
    summary: 'The risk register, with filters (process, factor, unit, residual level, flag, status, text)',
    query: C.ListQuery,
    response: Items(C.Risk),
    handler: async ({ tx, tenantId, query, locale }) => ({
      items: await svc.list(tx, tenantId, locale, query),
    }),
  });
  r.post({
    url: '/api/risks',
    access: P.manage,
    summary: 'Add a risk (ratings on the administration matrix; controls with it)',
    body: C.CreateRiskInput,
    status: 201,
    response: C.Risk,
    handler: async ({ tx, tenantId, actor, body, locale }) => svc.create(tx, tenantId, actor, body, locale),
  });
  r.get({
    url: '/api/risks/:id',
    access: P.read,
    summary: 'One risk with its controls and consistency flags',
    params: C.IdParam,
    response: C.Risk,
    handler: async ({ tx, tenantId, params, locale }) => svc.get(tx, tenantId, params.id, locale),
  });
  r.patch({
    url: '/api/risks/:id',
    access: P.manage,
    summary: 'Edit a risk (controls, when sent, replace the list; send the version you saw)',
    params: C.IdParam,
    body: C.UpdateRiskInput,
    response: C.Risk,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.updateRisk(tx, tenantId, actor, params.id, body, locale),
  });
  r.post({
    url: '/api/risks/:id/acceptance',
    access: P.approve,
    summary: 'Approve or reject the acceptance of a risk (treatment accept, acceptance pending)',
    params: C.IdParam,
    body: C.AcceptanceInput,
    response: C.Risk,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.decideAcceptance(tx, tenantId, actor, params.id, body, locale),
  });
  r.post({
    url: '/api/risks/:id/review',
    access: P.manage,
    summary: 'Mark a risk reviewed today; the next review follows the interval of its residual level',
    params: C.IdParam,
    body: C.ReviewInput,
    response: C.Risk,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.review(tx, tenantId, actor, params.id, body, locale),
  });
}
