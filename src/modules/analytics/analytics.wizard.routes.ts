import type { Router } from '../../platform/http/route.ts';
import * as C from './analytics.contract.ts';
import { P } from './analytics.permissions.ts';
import { UPLOAD_MAX_BYTES } from './analytics.routes.ts';
import type { ImportWizard } from './analytics.wizard.ts';

/** The import wizard: upload once, map on the first rows, validate, then refuse or import. */
export function wizardRoutes(r: Router, w: ImportWizard) {
  r.post({
    url: '/api/analytics/uploads',
    access: P.manage,
    summary:
      'Wizard step 1: stage a file (CSV with any delimiter, or Parquet) as an uploaded version of a dataset, read by DuckDB (unreadable, or a header without rows: 422); the same content already staged: that version; already imported: 409',
    upload: { maxBytes: UPLOAD_MAX_BYTES, types: ['csv', 'txt', 'parquet'], fields: C.UploadFields },
    response: C.DatasetVersion,
    status: 201,
    handler: async ({ tx, tenantId, actor, file, fields }) =>
      w.upload(tx, tenantId, actor.userId, file, fields),
  });
  r.get({
    url: '/api/analytics/versions/:id/preview',
    access: P.manage,
    summary:
      "Wizard step 2: a staged file's header and first 10 rows as read, the few values of its code columns, and a suggested mapping (header names, or a saved mapping's)",
    params: C.IdParam,
    query: C.PreviewQuery,
    response: C.Preview,
    handler: async ({ tx, tenantId, params, query }) => w.preview(tx, tenantId, params.id, query.mappingId),
  });
  r.post({
    url: '/api/analytics/versions/:id/validate',
    access: P.manage,
    summary:
      'Wizard step 3: validate a staged file with a mapping (checked against its header first: 422), by a job; poll the version for its stage and report',
    params: C.IdParam,
    body: C.ValidateBody,
    response: C.DatasetVersion,
    status: 202,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      w.validate(tx, tenantId, actor.userId, params.id, body),
  });
  r.post({
    url: '/api/analytics/versions/:id/choice',
    access: P.manage,
    summary:
      'Wizard step 4: after validation, refuse the file (reject-file: nothing imported) or import its valid rows with the rejects saved (import-valid: a job when rows were rejected)',
    params: C.IdParam,
    body: C.ChoiceBody,
    response: C.DatasetVersion,
    handler: async ({ tx, tenantId, actor, params, body, afterCommit, locale }) =>
      w.choose(tx, tenantId, actor.userId, params.id, body.choice, afterCommit, locale),
  });
}
