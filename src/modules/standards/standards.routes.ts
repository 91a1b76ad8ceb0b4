import { z } from 'zod';
import { Items, type Router } from '../../platform/http/route.ts';
import { isLocale, type Locale } from '../../platform/i18n/i18n.ts';
import * as C from './standards.contract.ts';
import { P } from './standards.permissions.ts';
import type { StandardsService } from './standards.service.ts';

const pick = (q: { locale?: string }, fallback: Locale): Locale => (isLocale(q.locale) ? q.locale : fallback);

export function standardsRoutes(r: Router, svc: StandardsService) {
  r.get({
    url: '/api/standards/factors',
    access: P.read,
    summary: 'The ten key factors of the Revised Arusha Declaration',
    query: C.LocaleQuery,
    response: Items(C.FactorSummary),
    handler: async ({ tx, query, locale }) => ({ items: await svc.factors(tx, pick(query, locale)) }),
  });
  r.get({
    url: '/api/standards/factors/:number',
    access: P.read,
    summary: 'One key factor: expectations, checklist, UNCAC links',
    params: C.FactorParam,
    query: C.LocaleQuery,
    response: C.FactorDetail,
    handler: async ({ tx, params, query, locale }) => svc.factor(tx, params.number, pick(query, locale)),
  });
  r.get({
    url: '/api/standards/uncac',
    access: P.read,
    summary: 'UNCAC articles and the factors that map to them',
    query: C.LocaleQuery,
    response: Items(C.UncacArticle),
    handler: async ({ tx, query, locale }) => ({ items: await svc.uncac(tx, pick(query, locale)) }),
  });
  r.get({
    url: '/api/standards/uncac/:code',
    access: P.read,
    summary: 'One UNCAC article',
    params: C.UncacParam,
    query: C.LocaleQuery,
    response: C.UncacArticle,
    handler: async ({ tx, params, query, locale }) => svc.uncacArticle(tx, params.code, pick(query, locale)),
  });
  r.get({
    url: '/api/standards/libraries',
    access: P.read,
    summary: 'Loaded libraries: shipped and national, every version',
    query: C.LocaleQuery,
    response: Items(C.LibrarySummary),
    handler: async ({ tx, query, locale }) => ({ items: await svc.listLibraries(tx, pick(query, locale)) }),
  });
  r.get({
    url: '/api/standards/libraries/:id',
    access: P.read,
    summary: 'A library document as loaded',
    params: z.object({ id: z.uuid() }).strict(),
    response: z.record(z.string(), z.unknown()),
    handler: async ({ tx, params }) => svc.getLibrary(tx, params.id),
  });
  r.post({
    url: '/api/standards/libraries',
    access: P.manage,
    summary: 'Load a national framework, scale or matrix (YAML or JSON text); 422 lists every problem',
    body: C.LibraryUploadInput,
    status: 201,
    bodyLimit: 3 * 1024 * 1024,
    response: C.LibrarySummary,
    handler: async ({ tx, tenantId, actor, body, locale }) =>
      svc.upload(tx, tenantId, actor, body.content, locale),
  });
}
