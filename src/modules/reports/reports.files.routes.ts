import { z } from 'zod';
import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import * as C from './reports.contract.ts';
import { ATTACHMENT_TYPES } from './reports.metadata.ts';
import { P } from './reports.permissions.ts';
import type { ReportsService } from './reports.service.ts';
import { reporterHeaders } from './reports.routes.ts';

// Attachments (reports.files.ts). Uploads are multipart with one file part named `file` (the
// platform upload helper: type decided from the bytes, name sanitised, read into memory, no
// temporary file); a report takes several files through several requests, within its limits.

const PUBLIC = '/api/public/reports/:org';

export const AttachedFile = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number(),
  direction: z.enum(['reporter', 'handler']),
  metadataRemoved: z.boolean(),
  removed: z.array(z.string()),
  messageId: z.string().nullable(),
  at: z.string(),
});
const Attached = z.object({ files: z.array(AttachedFile) });
const SubmittedWithFiles = C.Submitted.extend({ files: z.array(AttachedFile) });
const FileParam = z.object({ id: z.uuid(), fileId: z.uuid() }).strict();
/** How the caller reaches the report key: their own seal (default) or, as a custodian, the escrow. */
const Via = z.object({ via: z.enum(['escrow']).optional() }).strict();
/** Ids of the reporter's download travel in the body, like the receipt, never in a URL. */
const ReporterFileInput = C.ReceiptInput.extend({ fileId: z.uuid() }).strict();

/** The multipart submission: the JSON submission as one text field, beside the file. */
const SubmissionFields = z.object({ submission: z.string().min(2).max(60_000) }).strict();
const ReceiptFields = z.object({ receipt: z.string().min(1).max(100) }).strict();
/** Upload routes take no :id (the shared isolation check sends JSON): the report is a field. */
const HandlerFileFields = z.object({ reportId: z.uuid() }).strict();

function parseSubmission(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The field "submission" is not JSON', [
      { path: 'fields.submission', message: 'JSON expected' },
    ]);
  }
  const r = C.SubmitInput.safeParse(json);
  if (!r.success) throw validationFailed('The submission is not valid', r.error.issues, 'fields.submission');
  return r.data;
}

export function reportFilesRoutes(r: Router, svc: ReportsService) {
  const upload = <F>(fields: z.ZodType<F>) => ({
    maxBytes: svc.files.limits.maxFileBytes,
    types: ATTACHMENT_TYPES,
    fields,
  });

  // ---- reporter (no sign-in) ----------------------------------------------------------------------
  r.post({
    url: `${PUBLIC}/:channel/with-file`,
    access: 'public',
    anonymous: true,
    summary:
      'Submit a report with a file (multipart: `submission` = the JSON submission, `file`); metadata is removed before encryption',
    params: C.PublicChannelParam,
    upload: upload(SubmissionFields),
    status: 201,
    response: SubmittedWithFiles,
    handler: async ({ params, fields, file, reply }) => {
      reporterHeaders(reply);
      return svc.submit(params.org, params.channel, parseSubmission(fields.submission), [file]);
    },
  });
  r.post({
    url: `${PUBLIC}/follow-up/files`,
    access: 'public',
    anonymous: true,
    summary: 'The reporter adds a file to their report (multipart: `receipt`, `file`)',
    params: C.PublicOrgParam,
    upload: upload(ReceiptFields),
    status: 201,
    response: Attached,
    handler: async ({ params, fields, file, reply }) => {
      reporterHeaders(reply);
      return { files: await svc.reporterAddFiles(params.org, fields.receipt, [file]) };
    },
  });
  r.post({
    url: `${PUBLIC}/follow-up/files/list`,
    access: 'public',
    anonymous: true,
    summary: "The files of a receipt's report (the reporter's and the handlers')",
    params: C.PublicOrgParam,
    body: C.ReceiptInput,
    response: Items(AttachedFile),
    handler: async ({ params, body, reply }) => {
      reporterHeaders(reply);
      return { items: await svc.reporterFiles(params.org, body.receipt) };
    },
  });
  r.post({
    url: `${PUBLIC}/follow-up/files/download`,
    access: 'public',
    anonymous: true,
    summary: "Download a file of the receipt's report (decrypted in memory)",
    params: C.PublicOrgParam,
    body: ReporterFileInput,
    handler: async ({ params, body, reply }) => {
      reporterHeaders(reply);
      return download(await svc.reporterFile(params.org, body.receipt, body.fileId));
    },
  });

  // ---- handlers ------------------------------------------------------------------------------------
  r.post({
    url: '/api/reports/:id/files/list',
    access: P.handle,
    summary:
      'The files of a report assigned to me, names decrypted (audited); `?via=escrow`: of an escrowed report, as its custodian; 409 while my keys are locked',
    params: C.IdParam,
    query: Via,
    response: Items(AttachedFile),
    handler: async ({ tx, tenantId, actor, params, query }) => ({
      items: await (query.via === 'escrow'
        ? svc.escrowFiles(tx, tenantId, actor, params.id)
        : svc.handlerFiles(tx, tenantId, actor, params.id)),
    }),
  });
  r.post({
    url: '/api/reports/:id/files/:fileId/download',
    access: P.handle,
    summary:
      'Download a file of a report assigned to me, decrypted in memory (audited); `?via=escrow`: as the custodian of an escrowed report',
    params: FileParam,
    query: Via,
    handler: async ({ tx, tenantId, actor, params, query }) =>
      download(
        await (query.via === 'escrow'
          ? svc.escrowFile(tx, tenantId, actor, params.id, params.fileId)
          : svc.handlerFile(tx, tenantId, actor, params.id, params.fileId)),
      ),
  });
  r.post({
    url: '/api/reports/files',
    access: P.handle,
    summary:
      'Send a file to the reporter of a report assigned to me (multipart `reportId`, `file`; metadata removed, encrypted with the report key)',
    upload: upload(HandlerFileFields),
    status: 201,
    response: Attached,
    handler: async ({ tx, tenantId, actor, fields, file }) => ({
      files: await svc.handlerAddFiles(tx, tenantId, actor, fields.reportId, [file]),
    }),
  });
}
