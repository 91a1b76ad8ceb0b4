import { z } from 'zod';
import type { Router } from '../../platform/http/route.ts';
import type { Kernel } from '../../platform/kernel.ts';
import * as C from './learning.certificates.contract.ts';
import { P } from './learning.permissions.ts';
import { SCO_CSP, SCORM_LIMITS, ScormService } from './learning.scorm.ts';
import { XapiService } from './learning.xapi.ts';

export function scormRoutes(r: Router, k: Kernel, svc = new ScormService(k), xapi = new XapiService(k)) {
  r.post({
    url: '/api/learning/scorm',
    access: P.manage,
    summary: 'Import a SCORM 1.2 package (zip): a new course with a published version',
    upload: { maxBytes: SCORM_LIMITS.maxZipBytes, types: ['zip'] },
    response: C.ScormImported,
    status: 201,
    handler: async ({ tx, tenantId, actor, file }) => svc.importPackage(tx, tenantId, actor, file),
  });

  r.get({
    url: '/api/learning/scorm/:versionId/files/*',
    access: P.learn,
    summary: "A file of an imported SCORM package, served sandboxed for the learner's runtime",
    params: C.VersionFileParams,
    // The package's own pages ask for its files with query strings we neither set nor read
    // (cache busters such as `app.js?v=3`, an authoring tool's parameters): tolerated, ignored.
    query: z.looseObject({}),
    handler: async ({ tx, tenantId, params, reply }) => {
      const f = await svc.file(tx, tenantId, params.versionId, params['*']);
      reply
        .header('content-type', f.contentType)
        .header('content-security-policy', SCO_CSP)
        .header('x-frame-options', 'SAMEORIGIN')
        .header('x-content-type-options', 'nosniff')
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, max-age=300');
      return f.data;
    },
  });

  r.get({
    url: '/api/learning/enrolments/:id/scorm',
    access: P.learn,
    summary: 'What the SCORM runtime page needs to launch my enrolment (launch URL, saved state)',
    params: C.IdParams,
    response: C.ScormLaunch,
    handler: async ({ tx, actor, params }) => svc.launch(tx, actor, params.id),
  });

  r.post({
    url: '/api/learning/enrolments/:id/scorm',
    access: P.learn,
    summary: 'Commit the SCO’s cmi data (status, score, suspend data, session time)',
    params: C.IdParams,
    body: C.ScormCommitBody,
    response: C.ScormCommitResult,
    handler: async ({ tx, tenantId, actor, params, body }) =>
      svc.commit(tx, tenantId, actor, params.id, body),
  });

  r.get({
    url: '/api/learning/xapi',
    access: P.reports,
    summary: 'Learning records as xAPI 1.0.3 statements (completed, passed, failed, scored)',
    query: C.XapiQuery,
    handler: async ({ tx, query }) => xapi.statements(tx, query.since ? new Date(query.since) : undefined),
  });
}
