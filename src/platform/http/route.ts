import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { AppError } from '../errors.ts';
import { withTenant, type TenantTx } from '../db/tenant.ts';
import { negotiate, type Locale } from '../i18n/i18n.ts';
import type { Kernel } from '../kernel.ts';
import { contentDisposition, FileResponse } from './download.ts';
import {
  type FormSpec,
  type RejectedFile,
  readForm,
  readUpload,
  type UploadedFile,
  type UploadSpec,
} from './upload.ts';

/**
 * Every route declares who may call it:
 * - 'public': anyone (say so explicitly; src/platform/http/routes.test.ts lists them);
 * - 'authenticated': any signed-in user, with or without an organisation;
 * - 'platform': a platform administrator (users.is_platform_admin), across tenants, with no
 *   tenant transaction — platform administration code uses the system handle;
 * - a permission id `module.action`: a member of the active organisation holding it.
 */
/** A list endpoint's response: `{ items: [...] }`. */
export const Items = <T extends ZodType>(item: T) => z.object({ items: z.array(item) });

export type Access = 'public' | 'authenticated' | 'platform' | `${string}.${string}`;

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  actor: Actor | null;
  locale: Locale;
  req: FastifyRequest;
  reply: FastifyReply;
}

/** Routes with a permission also get the tenant-scoped transaction and the tenant id. */
export interface TenantContext<P, Q, B> extends RouteContext<P, Q, B> {
  actor: Actor;
  tenantId: string;
  tx: TenantTx;
  /** Runs once the transaction has committed (cache invalidation, notifications). */
  afterCommit(fn: () => void): void;
}

/** What an upload route's handler gets besides the usual context (see `upload` below). */
export interface UploadContext<F> {
  file: UploadedFile;
  fields: F;
}

interface Base<P, Q, B, R> {
  url: string;
  summary: string;
  tags?: string[];
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  response?: ZodType<R>;
  /** HTTP status on success (default 200; 204 sends no body). */
  status?: number;
  /** Marked anonymous: no IP address or user agent is logged, not even the request id's origin. */
  anonymous?: boolean;
  bodyLimit?: number;
  rateLimit?: { max: number; timeWindow: string };
  /**
   * A page route (server-rendered HTML, the handler returns `html(...)`): its errors are answered
   * with this page instead of problem+json, with the error's status and headers.
   */
  errorPage?(err: AppError, ctx: RouteContext<unknown, unknown, unknown>): string;
  /**
   * Runs after access and validation, before the tenant transaction opens: work that must not
   * hold a transaction or needs the owner handle, such as re-entering one's sign-in password.
   */
  beforeTransaction?(ctx: RouteContext<P, Q, B>): Promise<void>;
}

/** An HTML page a handler returns instead of JSON (sent as text/html; charset=utf-8). */
export class HtmlResponse {
  constructor(readonly html: string) {}
}
export const html = (page: string) => new HtmlResponse(page);

type OpenAccess = 'public' | 'authenticated' | 'platform';
type PermissionAccess = `${string}.${string}`;

export type RouteSpec<P, Q, B, R> = Base<P, Q, B, R> &
  (
    | {
        access: OpenAccess;
        upload?: undefined;
        form?: undefined;
        handler(ctx: RouteContext<P, Q, B>): Promise<R>;
      }
    | {
        access: PermissionAccess;
        upload?: undefined;
        form?: undefined;
        handler(ctx: TenantContext<P, Q, B>): Promise<R>;
      }
  );

/**
 * An upload route (POST/PUT): a multipart/form-data body with exactly one file part named
 * `file` (type decided from its bytes, extension must agree, at most `maxBytes`) and optional
 * text fields validated by `upload.fields`. No `body` contract. Access is checked first.
 */
export type UploadRouteSpec<P, Q, F, R> = Omit<Base<P, Q, never, R>, 'body' | 'bodyLimit'> & {
  upload: UploadSpec<F>;
} & (
    | { access: OpenAccess; handler(ctx: RouteContext<P, Q, undefined> & UploadContext<F>): Promise<R> }
    | {
        access: PermissionAccess;
        handler(ctx: TenantContext<P, Q, undefined> & UploadContext<F>): Promise<R>;
      }
  );

/** What a form route's handler gets: the form's text fields and files (see `form` below). */
export interface FormContext<F> {
  /** `rejected`: files refused, when the form asked for them to be reported (`files.report`). */
  form: { fields: F; files: UploadedFile[]; rejected: RejectedFile[] };
}

/**
 * A form route (POST): an HTML form posted as multipart/form-data, read with `form` (text
 * fields validated by `form.fields`, repeated names as arrays, optional files). No `body`.
 */
export type FormRouteSpec<P, Q, F, R> = Omit<Base<P, Q, never, R>, 'body' | 'bodyLimit'> & {
  form: FormSpec<F>;
  upload?: undefined;
} & (
    | { access: OpenAccess; handler(ctx: RouteContext<P, Q, undefined> & FormContext<F>): Promise<R> }
    | { access: PermissionAccess; handler(ctx: TenantContext<P, Q, undefined> & FormContext<F>): Promise<R> }
  );

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Router {
  get<P = unknown, Q = unknown, B = unknown, R = unknown>(spec: RouteSpec<P, Q, B, R>): void;
  post<P = unknown, Q = unknown, B = unknown, R = unknown>(spec: RouteSpec<P, Q, B, R>): void;
  post<P = unknown, Q = unknown, F = Record<string, never>, R = unknown>(
    spec: UploadRouteSpec<P, Q, F, R>,
  ): void;
  post<P = unknown, Q = unknown, F = unknown, R = unknown>(spec: FormRouteSpec<P, Q, F, R>): void;
  put<P = unknown, Q = unknown, B = unknown, R = unknown>(spec: RouteSpec<P, Q, B, R>): void;
  put<P = unknown, Q = unknown, F = Record<string, never>, R = unknown>(
    spec: UploadRouteSpec<P, Q, F, R>,
  ): void;
  patch<P = unknown, Q = unknown, B = unknown, R = unknown>(spec: RouteSpec<P, Q, B, R>): void;
  delete<P = unknown, Q = unknown, B = unknown, R = unknown>(spec: RouteSpec<P, Q, B, R>): void;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    anonymous?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
}

const NoContent = z.void();
// A route without a body contract accepts no body (an empty object is tolerated).
const NoBody = z.union([z.undefined(), z.null(), z.object({}).strict()]);
// A GET route without a query contract takes no query parameter: `?foo=1` is refused (400 naming
// `foo`) as an unknown field of a declared contract is, instead of being silently ignored. A route
// that must tolerate parameters it does not read says so with its own `query` contract.
const NoQuery = z.object({}).strict();
const HAS_BODY = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

export function createRouter(app: FastifyInstance, kernel: Kernel, module: string): Router {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const add = (method: Method) =>
    function route<P, Q, B, R>(
      spec: RouteSpec<P, Q, B, R> | UploadRouteSpec<P, Q, unknown, R> | FormRouteSpec<P, Q, unknown, R>,
    ) {
      if (!spec.access)
        throw new Error(`${method} ${(spec as { url: string }).url}: a route must declare its access`);
      if (
        spec.access !== 'public' &&
        spec.access !== 'authenticated' &&
        spec.access !== 'platform' &&
        !kernel.permissions.has(spec.access)
      )
        throw new Error(`${method} ${spec.url}: unknown permission ${spec.access}`);
      const upload = spec.upload;
      const form = 'form' in spec ? spec.form : undefined;
      if (form && method !== 'POST') throw new Error(`${method} ${spec.url}: forms are POST`);
      if (upload && method !== 'POST' && method !== 'PUT')
        throw new Error(`${method} ${spec.url}: uploads are POST or PUT`);
      if (upload && (!(upload.maxBytes > 0) || upload.types.length === 0))
        throw new Error(`${method} ${spec.url}: an upload needs maxBytes and at least one file type`);
      const body = upload || form ? undefined : (spec as RouteSpec<P, Q, B, R>).body;
      const status = spec.status ?? 200;
      function checkRequest(req: FastifyRequest) {
        const actor = req.actor;
        if (spec.access !== 'public') {
          if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
          if (spec.access === 'platform') {
            if (!actor.isPlatformAdmin) throw new AppError('FORBIDDEN', 'Platform administrators only');
          } else if (spec.access !== 'authenticated') {
            if (!actor.tenantId) throw new AppError('FORBIDDEN', 'Choose an organisation first');
            if (!actor.permissions.has(spec.access))
              throw new AppError('FORBIDDEN', `Requires the permission ${spec.access}`);
          }
        }
        // Before the body is read: uploads and forms take multipart only, every other route never does.
        const multipart = /^multipart\/form-data\b/i.test(String(req.headers['content-type'] ?? ''));
        if ((upload || form) && !multipart)
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
        if (!upload && !form && multipart && HAS_BODY.has(method))
          throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
      }
      const context = (req: FastifyRequest, reply: FastifyReply): RouteContext<P, Q, B> => ({
        params: req.params as P,
        query: req.query as Q,
        body: req.body as B,
        actor: req.actor,
        locale: negotiate(req.actor?.locale, req.headers['accept-language']),
        req,
        reply,
      });
      /** A page route's error as its HTML page, with the error's status and headers. */
      const sendErrorPage = (e: AppError, ctx: RouteContext<P, Q, B>) => {
        if (e.headers) ctx.reply.headers(e.headers);
        return ctx.reply
          .status(e.status)
          .type('text/html; charset=utf-8')
          .send(spec.errorPage!(e, ctx as RouteContext<unknown, unknown, unknown>));
      };
      typed.route({
        method,
        url: spec.url,
        bodyLimit: upload || form ? undefined : (spec as RouteSpec<P, Q, B, R>).bodyLimit,
        config: {
          access: spec.access,
          anonymous: spec.anonymous ?? false,
          ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
        },
        schema: {
          summary: spec.summary,
          tags: spec.tags ?? [module],
          ...(spec.params ? { params: spec.params } : {}),
          ...(spec.query ? { querystring: spec.query } : method === 'GET' ? { querystring: NoQuery } : {}),
          ...(upload || form ? {} : body ? { body } : HAS_BODY.has(method) ? { body: NoBody } : {}),
          ...(spec.response ? { response: { [status]: status === 204 ? NoContent : spec.response } } : {}),
        },
        // Access is decided before validation, so a caller without the permission learns
        // nothing about the shape a route expects: 401/403 first, then 400.
        onRequest: async (req, reply) => {
          try {
            checkRequest(req);
          } catch (e) {
            if (!spec.errorPage || !(e instanceof AppError)) throw e;
            return sendErrorPage(e, context(req, reply)); // the body is not read yet
          }
        },
        handler: async (req, reply) => {
          const base: RouteContext<P, Q, B> & Partial<UploadContext<unknown> & FormContext<unknown>> =
            context(req, reply);
          const actor = base.actor;
          if (!spec.errorPage) return run();
          try {
            return await run();
          } catch (e) {
            if (!(e instanceof AppError)) throw e;
            return sendErrorPage(e, base);
          }
          async function run() {
            if (form) base.form = await readForm(req, form);
            if (upload) {
              const { file, fields } = await readUpload(req, upload);
              base.file = file;
              base.fields = fields;
              base.body = undefined as B;
            }
            if (spec.beforeTransaction) await spec.beforeTransaction(base as never);
            reply.status(status);
            let result: R;
            if (spec.access === 'public' || spec.access === 'authenticated' || spec.access === 'platform') {
              result = await (spec.handler as (c: RouteContext<P, Q, B>) => Promise<R>)(base);
            } else {
              const tenantId = actor!.tenantId!;
              const handler = spec.handler as (c: TenantContext<P, Q, B>) => Promise<R>;
              const committed: (() => void)[] = [];
              result = await withTenant(
                kernel.db,
                { tenantId, userId: actor!.userId },
                (tx) =>
                  handler({ ...base, actor: actor!, tenantId, tx, afterCommit: (fn) => committed.push(fn) }),
                { readOnly: method === 'GET' },
              );
              for (const fn of committed) fn();
            }
            if (result instanceof FileResponse) {
              reply
                .header('content-type', result.mediaType)
                .header('content-disposition', contentDisposition(result.filename))
                .header('x-content-type-options', 'nosniff')
                .header('cache-control', 'no-store');
              if (Buffer.isBuffer(result.data)) reply.header('content-length', result.data.length);
              return reply.send(result.data);
            }
            if (result instanceof HtmlResponse)
              return reply.type('text/html; charset=utf-8').send(result.html);
            if (status === 204) return reply.send();
            return result;
          }
        },
      });
    };
  return { get: add('GET'), post: add('POST'), put: add('PUT'), patch: add('PATCH'), delete: add('DELETE') };
}
