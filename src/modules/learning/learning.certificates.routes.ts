import { download } from '../../platform/http/download.ts';
import type { Router } from '../../platform/http/route.ts';
import type { Kernel } from '../../platform/kernel.ts';
import * as C from './learning.certificates.contract.ts';
import { CertificatesService, loadSigningKey } from './learning.certificates.ts';
import { P } from './learning.permissions.ts';

const VERIFY_LIMIT = { max: 30, timeWindow: '1 minute' };

export function certificateRoutes(r: Router, k: Kernel, svc = new CertificatesService(k)) {
  r.get({
    url: '/api/learning/certificates/me',
    access: P.learn,
    summary: 'My certificates',
    response: C.CertificateList,
    handler: async ({ tx, actor }) => ({ items: await svc.mine(tx, actor) }),
  });

  r.get({
    url: '/api/learning/certificates',
    access: P.reports,
    summary: "The organisation's certificates (learner, course, version, date, code, revoked)",
    response: C.OrgCertificateList,
    handler: async ({ tx }) => ({ items: await svc.list(tx) }),
  });

  r.get({
    url: '/api/learning/certificates/:id/pdf',
    access: P.learn,
    summary: "A certificate as a signed PDF (one's own, or any for learning.manage)",
    params: C.IdParams,
    handler: async ({ tx, actor, params }) => {
      const f = await svc.pdf(tx, actor, params.id);
      return download({ filename: f.filename, mediaType: 'application/pdf', data: f.data });
    },
  });

  r.post({
    url: '/api/learning/certificates/:id/revoke',
    access: P.manage,
    summary: 'Revoke a certificate (it then verifies as not valid)',
    params: C.IdParams,
    body: C.RevokeBody,
    status: 204,
    handler: async ({ tx, tenantId, actor, params, body }) => {
      await svc.revoke(tx, tenantId, actor, params.id, body.reason);
    },
  });

  r.get({
    url: '/api/learning/verify/:code',
    access: 'public',
    anonymous: true,
    rateLimit: VERIFY_LIMIT,
    summary: 'Verify a certificate by its code (no sign-in): what it states, or not valid',
    params: C.CodeParams,
    response: C.Verification,
    handler: async ({ params }) => svc.verify(params.code),
  });

  r.get({
    url: '/api/learning/public-key',
    access: 'public',
    anonymous: true,
    summary: 'The current certificate signing public key (Ed25519, SPKI PEM), for offline checks',
    handler: async ({ reply }) => {
      const key = await loadSigningKey(k);
      reply.header('content-type', 'application/x-pem-file; charset=utf-8');
      reply.header('content-disposition', 'inline; filename="arusha-certificates.pem"');
      return key.publicKeyPem;
    },
  });

  r.get({
    url: '/api/learning/public-keys',
    access: 'public',
    anonymous: true,
    summary: 'Every certificate signing public key, current and retired (Ed25519, SPKI PEM)',
    response: C.PublicKeys,
    handler: async () => {
      const current = await loadSigningKey(k);
      return { algorithm: 'Ed25519' as const, current: current.keyId, keys: await svc.publicKeys() };
    },
  });
}
