import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { RTL } from '../../platform/i18n/i18n.ts';
import { TABLE_MEDIA_TYPES, writeTable } from '../../platform/tables/tables.ts';
import * as C from './conduct.contract.ts';
import { P } from './conduct.permissions.ts';
import { ConductService } from './conduct.service.ts';

/** The public acknowledgement page: a few tries a minute per address. */
const PUBLIC_LIMIT = { max: 20, timeWindow: '1 minute' };
/** A code of conduct PDF: 20 MB at most. */
const PDF_MAX_BYTES = 20 * 1024 * 1024;

export function conductRoutes(r: Router, svc: ConductService) {
  // ---- the code I must acknowledge ------------------------------------------------------------
  r.get({
    url: '/api/conduct/me',
    access: P.acknowledge,
    summary:
      'The code of conduct in force, whether I acknowledged it, my due date and my past acknowledgements',
    response: C.MyCode,
    handler: async ({ tx, actor }) => svc.myCode(tx, actor),
  });
  r.post({
    url: '/api/conduct/versions/:id/acknowledge',
    access: P.acknowledge,
    summary: 'Acknowledge a published version of the staff code (explicit confirmation; idempotent)',
    params: C.IdParam,
    body: C.AcknowledgeInput,
    response: C.Acknowledgement,
    handler: async ({ tx, tenantId, actor, params }) => svc.acknowledge(tx, tenantId, actor, params.id),
  });
  r.get({
    url: '/api/conduct/versions/:id',
    access: P.acknowledge,
    summary: 'A code version (published staff versions; drafts and the private-sector code for managers)',
    params: C.IdParam,
    response: C.VersionDetail,
    handler: async ({ tx, actor, params }) => svc.version(tx, actor, params.id),
  });
  r.get({
    url: '/api/conduct/versions/:id/pdf',
    access: P.acknowledge,
    summary: "A code version's PDF",
    params: C.IdParam,
    handler: async ({ tx, tenantId, actor, params }) => {
      const f = await svc.pdf(tx, tenantId, actor, params.id);
      return download({ filename: f.filename, mediaType: 'application/pdf', data: f.data }) as never;
    },
  });

  // ---- versions ---------------------------------------------------------------------------------
  r.get({
    url: '/api/conduct/versions',
    access: P.manage,
    summary: 'Versions of the staff and private-sector codes, drafts included',
    query: C.VersionListQuery,
    response: Items(C.VersionSummary),
    handler: async ({ tx, query }) => ({ items: await svc.listVersions(tx, query.audience) }),
  });
  r.post({
    url: '/api/conduct/versions',
    access: P.manage,
    summary: 'A new draft version (text, effective date, graded sanction scale)',
    body: C.CreateVersionInput,
    bodyLimit: 512 * 1024,
    status: 201,
    response: C.VersionDetail,
    handler: async ({ tx, tenantId, actor, body }) => svc.createVersion(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/conduct/versions/:id',
    access: P.manage,
    summary: 'Edit a draft version (a published version is immutable: 409)',
    params: C.IdParam,
    body: C.UpdateVersionInput,
    bodyLimit: 512 * 1024,
    response: C.VersionDetail,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateVersion(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/conduct/pdf',
    access: P.manage,
    summary: 'Attach the PDF of a draft version (multipart: file and versionId)',
    upload: { maxBytes: PDF_MAX_BYTES, types: ['pdf'], fields: C.PdfFields },
    response: C.VersionDetail,
    handler: async ({ tx, tenantId, actor, fields, file }) =>
      svc.attachPdf(tx, tenantId, actor, fields.versionId, file),
  });
  r.post({
    url: '/api/conduct/versions/:id/publish',
    access: P.manage,
    summary: 'Publish a draft: from then on it cannot change, and staff must acknowledge it again',
    params: C.IdParam,
    response: C.VersionDetail,
    handler: async ({ tx, tenantId, actor, params }) => svc.publish(tx, tenantId, actor, params.id),
  });

  // ---- campaigns --------------------------------------------------------------------------------
  r.get({
    url: '/api/conduct/campaigns',
    access: P.manage,
    summary: 'Acknowledgement campaigns with assigned, acknowledged and overdue counts',
    response: Items(C.Campaign),
    handler: async ({ tx }) => ({ items: await svc.listCampaigns(tx) }),
  });
  r.post({
    url: '/api/conduct/campaigns',
    access: P.manage,
    summary:
      'Launch a campaign: all staff, new entrants (joined from a day) or units with sub-units, by a due date',
    body: C.CreateCampaignInput,
    status: 201,
    response: C.CampaignDetail,
    handler: async ({ tx, tenantId, actor, body }) => svc.createCampaign(tx, tenantId, actor, body),
  });
  r.get({
    url: '/api/conduct/campaigns/:id',
    access: P.manage,
    summary: 'A campaign with the people who must acknowledge',
    params: C.IdParam,
    response: C.CampaignDetail,
    handler: async ({ tx, params }) => svc.campaign(tx, params.id),
  });

  // ---- reports ----------------------------------------------------------------------------------
  r.get({
    url: '/api/conduct/reports',
    access: P.reports,
    summary: 'Acknowledgement rate by org unit (own members, and with sub-units) — the RAD factor 7 KPI',
    query: C.ReportQuery,
    response: C.Report,
    handler: async ({ tx, query }) => svc.report(tx, query),
  });
  r.get({
    url: '/api/conduct/reports/export',
    access: P.reports,
    summary: "The report's people as XLSX or CSV",
    query: C.ExportQuery,
    handler: async ({ tx, query, locale }) => {
      const { format, ...filter } = query;
      const data = await writeTable({
        sheetName: 'Code of conduct',
        columns: ConductService.EXPORT_COLUMNS,
        rows: await svc.exportRows(tx, filter),
        format,
        rtl: RTL.has(locale),
      });
      return download({
        filename: `code-acknowledgements-${svc.now().toISOString().slice(0, 10)}.${format}`,
        mediaType: TABLE_MEDIA_TYPES[format],
        data,
      }) as never;
    },
  });

  // ---- private sector ---------------------------------------------------------------------------
  r.get({
    url: '/api/conduct/parties',
    access: P.manage,
    summary:
      'Brokers, importers, exporters and associations, their acknowledgement, and the licensed brokers rate',
    response: C.PartyList,
    handler: async ({ tx }) => svc.parties(tx),
  });
  r.post({
    url: '/api/conduct/parties',
    access: P.manage,
    summary: 'Add an external party to the register',
    body: C.PartyInput,
    status: 201,
    response: C.Party,
    handler: async ({ tx, tenantId, actor, body }) => svc.createParty(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/conduct/parties/:id',
    access: P.manage,
    summary: 'Edit or archive a party',
    params: C.IdParam,
    body: C.UpdatePartyInput,
    response: C.Party,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateParty(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/conduct/parties/:id/acknowledgements',
    access: P.manage,
    summary: "Record a party's signed paper acknowledgement of the current private-sector code",
    params: C.IdParam,
    body: C.PaperAckInput,
    status: 201,
    response: C.Party,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.recordPaper(tx, tenantId, actor, params.id, body),
  });
  r.post({
    url: '/api/conduct/parties/:id/links',
    access: P.manage,
    summary: 'A one-time link for the party to acknowledge online (shown once; only its hash is kept)',
    params: C.IdParam,
    status: 201,
    response: C.PartyLink,
    handler: async ({ tx, tenantId, actor, params }) => svc.createLink(tx, tenantId, actor, params.id),
  });
  r.get({
    url: '/api/conduct/public/:token',
    access: 'public',
    anonymous: true,
    rateLimit: PUBLIC_LIMIT,
    summary: 'The private-sector code behind a one-time link (no sign-in)',
    params: C.TokenParam,
    response: C.PublicCode,
    handler: async ({ params }) => svc.publicCode(params.token),
  });
  r.post({
    url: '/api/conduct/public/:token/acknowledge',
    access: 'public',
    anonymous: true,
    rateLimit: PUBLIC_LIMIT,
    summary:
      'Acknowledge the private-sector code through a one-time link (no sign-in; the link is then used)',
    params: C.TokenParam,
    body: C.PublicAckInput,
    status: 204,
    handler: async ({ params, body }) => svc.publicAcknowledge(params.token, body),
  });
}
