import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { TABLE_MEDIA_TYPES } from '../../platform/tables/tables.ts';
import * as C from './reports.contract.ts';
import { reportFilesRoutes } from './reports.files.routes.ts';
import { P } from './reports.permissions.ts';
import type { ReportsService } from './reports.service.ts';
import { ReportStatistics, ReportStatisticsService, StatisticsExportQuery } from './reports.statistics.ts';

// The reporter's routes are `public` and `anonymous`: no session, no cookie, no CSRF header,
// and the request log holds neither address, user agent nor referrer (app.ts). Receipts travel
// in POST bodies only, never in a URL. Strict headers on top of the app's own (reporterHeaders).
const PUBLIC = '/api/public/reports/:org';
const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function reporterHeaders(reply: { header(k: string, v: string): unknown }) {
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cache-control', 'no-store');
  reply.header('content-security-policy', STRICT_CSP);
  reply.header('x-robots-tag', 'noindex, noarchive');
}

export function reportsRoutes(r: Router, svc: ReportsService) {
  // Attachments: submission with a file, follow-up files, handlers' list and download.
  reportFilesRoutes(r, svc);
  // ---- reporter (no sign-in) ----------------------------------------------------------------------
  r.get({
    url: `${PUBLIC}/:channel`,
    access: 'public',
    anonymous: true,
    summary: "A channel's questionnaire, translated (office picker included)",
    params: C.PublicChannelParam,
    query: C.LangQuery,
    response: C.PublicChannel,
    handler: async ({ params, query, locale, reply }) => {
      reporterHeaders(reply);
      return svc.publicChannel(params.org, params.channel, query.lang, locale);
    },
  });
  r.post({
    url: `${PUBLIC}/:channel`,
    access: 'public',
    anonymous: true,
    bodyLimit: 256 * 1024,
    summary: 'Submit a report; the receipt in the answer is shown once and is the only way back',
    params: C.PublicChannelParam,
    body: C.SubmitInput,
    status: 201,
    response: C.Submitted,
    handler: async ({ params, body, reply }) => {
      reporterHeaders(reply);
      return svc.submit(params.org, params.channel, body);
    },
  });
  r.post({
    url: `${PUBLIC}/follow-up`,
    access: 'public',
    anonymous: true,
    summary: 'The report of a receipt: status, answers, messages (wrong receipts are slowed down)',
    params: C.PublicOrgParam,
    body: C.ReceiptInput,
    response: C.ReporterView,
    handler: async ({ params, body, locale, reply }) => {
      reporterHeaders(reply);
      return svc.reporterView(params.org, body.receipt, locale);
    },
  });
  r.post({
    url: `${PUBLIC}/follow-up/messages`,
    access: 'public',
    anonymous: true,
    bodyLimit: 64 * 1024,
    summary: "The reporter answers or adds information (encrypted with the report's key)",
    params: C.PublicOrgParam,
    body: C.ReporterMessageInput,
    status: 204,
    handler: async ({ params, body, reply }) => {
      reporterHeaders(reply);
      await svc.reporterMessage(params.org, body.receipt, body.body);
    },
  });

  // ---- handler keys ------------------------------------------------------------------------------
  r.get({
    url: '/api/reports/keys',
    access: P.handle,
    summary: 'Whether I have reporting keys and whether they are unlocked in this session',
    response: C.KeyStatus,
    handler: async ({ tx, actor }) => svc.keyStatus(tx, actor),
  });
  r.post({
    url: '/api/reports/keys',
    access: P.handle,
    summary: 'Create my reporting keys; the recovery key is in the answer, once',
    body: C.KeySetupInput,
    status: 201,
    response: C.KeyCreated,
    handler: async ({ tx, tenantId, actor, body }) => svc.setupKey(tx, tenantId, actor, body.passphrase),
  });
  r.post({
    url: '/api/reports/keys/unlock',
    access: P.handle,
    summary: 'Unlock my private key for this session (memory only, 30 min idle)',
    body: C.UnlockInput,
    status: 204,
    handler: async ({ tx, actor, body }) => svc.unlock(tx, actor, body.passphrase),
  });
  r.post({
    url: '/api/reports/keys/recover',
    access: P.handle,
    summary: 'Set a new passphrase with the recovery key',
    body: C.RecoverInput,
    status: 204,
    handler: async ({ tx, tenantId, actor, body }) =>
      svc.recover(tx, tenantId, actor, body.recoveryKey, body.passphrase),
  });
  r.post({
    url: '/api/reports/keys/lock',
    access: P.handle,
    summary: 'Forget my unlocked key now',
    status: 204,
    handler: async ({ actor }) => svc.lock(actor),
  });

  // ---- reports -----------------------------------------------------------------------------------
  r.get({
    url: '/api/reports',
    access: P.handle,
    summary: 'Reports assigned to me (managers: every report, metadata only)',
    response: Items(C.ReportItem),
    handler: async ({ tx, actor, locale }) => ({ items: await svc.list(tx, actor, locale) }),
  });
  r.post({
    url: '/api/reports/:id/open',
    access: P.handle,
    summary: 'Decrypt a report assigned to me (audited); 409 while my keys are locked',
    params: C.IdParam,
    response: C.ReportDetail,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.open(tx, tenantId, actor, params.id, locale),
  });
  r.post({
    url: '/api/reports/:id/open-via-escrow',
    access: P.handle,
    summary:
      'Escrow custodians: decrypt a report through the escrow key (audited, in its access history); 404 unless custodian and escrowed',
    params: C.IdParam,
    response: C.ReportDetail,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.openViaEscrow(tx, tenantId, actor, params.id, locale),
  });
  r.post({
    url: '/api/reports/:id/acknowledge',
    access: P.handle,
    summary: 'Acknowledge a new report (starts the feedback clock)',
    params: C.IdParam,
    body: C.VersionInput,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.acknowledge(tx, tenantId, actor, params.id, body.version),
  });
  r.post({
    url: '/api/reports/:id/messages',
    access: P.handle,
    summary: 'Write to the reporter (encrypted with the report key)',
    params: C.IdParam,
    body: C.HandlerMessageInput,
    bodyLimit: 64 * 1024,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.sendMessage(tx, tenantId, actor, params.id, body.body),
  });
  r.post({
    url: '/api/reports/:id/assignees',
    access: P.handle,
    summary: 'Share a report with another handler (the report key is sealed to their public key)',
    params: C.IdParam,
    body: C.AssignInput,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.assign(tx, tenantId, actor, params.id, body),
  });
  r.delete({
    url: '/api/reports/:id/assignees/:userId',
    access: P.handle,
    summary: 'Remove a handler: their seal of the report key is deleted',
    params: C.AssigneeParam,
    status: 204,
    handler: async ({ tx, tenantId, actor, params }) =>
      svc.unassign(tx, tenantId, actor, params.id, params.userId),
  });
  r.post({
    url: '/api/reports/:id/close',
    access: P.handle,
    summary: 'Close a report with a reason (retention starts)',
    params: C.IdParam,
    body: C.CloseInput,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.close(tx, tenantId, actor, params.id, body.version, body.reason),
  });
  r.post({
    url: '/api/reports/:id/case',
    access: P.handle,
    summary: 'Triage into a case (cases module); the report moves to triage; again, the same case',
    params: C.IdParam,
    response: C.CaseOpened,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.openCase(tx, tenantId, actor, params.id, locale),
  });
  r.post({
    url: '/api/reports/:id/legal-hold',
    access: P.manage,
    summary: 'Set or lift a legal hold (stops retention expiry)',
    params: C.IdParam,
    body: C.LegalHoldInput,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.legalHold(tx, tenantId, actor, params.id, body.version, body.hold),
  });

  // ---- key escrow (off by default; docs/adr/0023-reporting-encryption.md) -----------------------
  r.get({
    url: '/api/reports/escrow',
    access: P.manage,
    summary: 'Whether key escrow is on in this administration, since when, by whom, and its custodians',
    response: C.EscrowState,
    handler: async ({ tx, actor }) => svc.escrowState(tx, actor),
  });
  r.get({
    url: '/api/reports/escrow/notice',
    access: P.handle,
    summary: "Handlers: whether key escrow is on (the inbox's banner) and whether I am a custodian",
    response: C.EscrowState,
    handler: async ({ tx, actor }) => svc.escrowState(tx, actor),
  });
  r.post({
    url: '/api/reports/escrow',
    access: P.escrow,
    summary:
      'Switch key escrow on (naming custodians with reporting keys) or off (every escrow seal destroyed); my password again; audited',
    body: C.EscrowSwitch,
    response: C.EscrowState,
    // Re-authentication reads the credentials (owner handle): before the tenant transaction.
    beforeTransaction: async ({ actor, body }) => svc.confirmPassword(actor!, body.password),
    handler: async ({ tx, tenantId, actor, body }) => svc.switchEscrow(tx, tenantId, actor, body),
  });

  // ---- statistics (clear metadata and statistical answers only; reports.statistics.ts) ----------
  const stats = new ReportStatisticsService();
  r.get({
    url: '/api/reports/statistics',
    access: P.manage,
    summary:
      'Counts by channel, statistical answer, status, reason and month, median delays; under 5 suppressed',
    response: ReportStatistics,
    handler: async ({ tx, locale }) => stats.statistics(tx, locale),
  });
  r.get({
    url: '/api/reports/statistics/export',
    access: P.manage,
    summary: 'The report statistics as XLSX or CSV (the same suppression)',
    query: StatisticsExportQuery,
    handler: async ({ tx, query, locale }) =>
      download({
        filename: `report-statistics.${query.format}`,
        mediaType: TABLE_MEDIA_TYPES[query.format],
        data: await stats.export(tx, query.format, locale),
      }),
  });

  // ---- channels ----------------------------------------------------------------------------------
  r.get({
    url: '/api/reports/channels',
    access: P.manage,
    summary: 'Reporting channels of the organisation',
    response: Items(C.Channel),
    handler: async ({ tx }) => ({ items: await svc.listChannels(tx) }),
  });
  r.get({
    url: '/api/reports/recipients',
    access: P.manage,
    summary: "Members who may receive a channel's reports (hold reports.handle), and whether they have keys",
    response: Items(C.Recipient),
    handler: async ({ tx }) => ({ items: await svc.recipients(tx) }),
  });
  r.post({
    url: '/api/reports/channels',
    access: P.manage,
    summary: 'Create a channel (the shipped customs questionnaire unless one is given)',
    body: C.ChannelCreate,
    bodyLimit: 256 * 1024,
    status: 201,
    response: C.Channel,
    handler: async ({ tx, tenantId, actor, body }) => svc.createChannel(tx, tenantId, actor, body),
  });
  r.patch({
    url: '/api/reports/channels/:id',
    access: P.manage,
    summary:
      'Change a channel (questionnaire, steps, recipients, retention, clocks, address, on/off); 409 on a stale version',
    params: C.IdParam,
    body: C.ChannelUpdate,
    bodyLimit: 256 * 1024,
    response: C.Channel,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.updateChannel(tx, tenantId, actor, params.id, body),
  });
}
