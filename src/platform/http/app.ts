import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  hasZodFastifySchemaValidationErrors,
  isResponseSerializationError,
  jsonSchemaTransform,
  validatorCompiler,
} from 'fastify-type-provider-zod';
import { AppError, type ProblemDetail } from '../errors.ts';
import type { Authenticator } from '../auth/actor.ts';
import type { Kernel, Module } from '../kernel.ts';
import { createRouter } from './route.ts';
import { serializerCompiler } from './serialize.ts';
import { MULTIPART_LIMITS } from './upload.ts';
import { negotiate, t } from '../i18n/i18n.ts';

const API_BODY_LIMIT = 1024 * 1024;
/**
 * Helmet itself, as @fastify/helmet depends on it: that plugin builds a new Helmet middleware
 * on every request (~20 µs); the headers depend on nothing per request, so it is built once.
 */
const require = createRequire(import.meta.url);
const helmet: typeof import('helmet').default = require(
  require.resolve('helmet', { paths: [path.dirname(require.resolve('@fastify/helmet'))] }),
);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export interface RegisteredRoute {
  method: string;
  url: string;
  access: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

export interface AppOptions {
  kernel: Kernel;
  modules: Module[];
  authenticate: Authenticator;
}

function problem(reply: FastifyReply, req: FastifyRequest, err: AppError) {
  const locale = negotiate(req.actor?.locale, req.headers['accept-language']);
  if (err.headers) reply.headers(err.headers);
  return reply
    .status(err.status)
    .type('application/problem+json')
    .send({
      type: `https://arusha.dev/problems/${err.code.toLowerCase().replaceAll('_', '-')}`,
      title: t(locale, `errors.${err.code}`),
      status: err.status,
      code: err.code,
      detail: err.message,
      ...(err.details?.length ? { errors: err.details } : {}),
      requestId: req.id,
    });
}

function toAppError(e: FastifyError | Error): AppError {
  if (e instanceof AppError) return e;
  if (hasZodFastifySchemaValidationErrors(e)) {
    const where = (e as { validationContext?: string }).validationContext ?? 'body';
    const details: ProblemDetail[] = e.validation.map((v) => ({
      path: `${where}${v.instancePath === '/' ? '' : v.instancePath.replaceAll('/', '.')}`,
      message: v.message ?? 'invalid',
    }));
    return new AppError(
      'VALIDATION_FAILED',
      `The ${where} is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const code = (e as FastifyError).code;
  const status = (e as FastifyError).statusCode;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('INVALID_JSON', 'The body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', 'The body is larger than this route accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send application/json');
    case 'FST_ERR_CTP_INVALID_TYPE':
      return new AppError('BAD_REQUEST', 'The request body is malformed');
    case 'FST_ERR_BAD_URL':
      return new AppError('BAD_REQUEST', 'The URL is malformed');
  }
  // Database refusals that reach here are races or limits the service did not anticipate:
  // answer them as conflicts or bad input, never as a crash.
  const pgCode = (e as { code?: string }).code ?? (e as { cause?: { code?: string } }).cause?.code;
  switch (pgCode) {
    case '23505':
      return new AppError('ALREADY_EXISTS', 'This already exists (someone may have just created it)');
    case '40001':
    case '40P01':
    case '55P03':
      return new AppError('CONFLICT', 'A concurrent change got in the way; try again');
    case '23503':
      return new AppError('CONFLICT', 'This refers to something that does not exist or is still in use');
    case '22001':
    case '22003':
    case '22P02':
    case '22007':
    case '22008':
      return new AppError('BAD_REQUEST', 'A value is out of range or malformed');
  }
  if (status === 429) return new AppError('RATE_LIMITED', 'Too many requests; wait and try again');
  if (status && status >= 400 && status < 500) return new AppError('BAD_REQUEST', e.message);
  return new AppError('INTERNAL', 'Something went wrong on our side. Quote the request id if you report it.');
}

function hasNul(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (v && typeof v === 'object')
    return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x));
  return false;
}

export async function buildApp({ kernel, modules, authenticate }: AppOptions): Promise<FastifyInstance> {
  const { config, log } = kernel;
  const app = Fastify({
    loggerInstance: log,
    // Our own request log (onResponse below) decides what may be logged per route.
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: config.TRUST_PROXY,
    bodyLimit: API_BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    genReqId: () => crypto.randomUUID(),
    // Router-level rejections (malformed URL, over-long path parameter) get the same problem+json.
    frameworkErrors: (err, req, reply) =>
      problem(
        reply,
        req,
        new AppError(
          'BAD_REQUEST',
          err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is too long' : 'The URL is malformed',
        ),
      ),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('actor', null);
  // The PDF renderer's browser lives as long as the app (it relaunches if used again).
  app.addHook('onClose', async () => kernel.pdf?.close());

  // JSON bodies: valid UTF-8 only, no NUL characters (PostgreSQL text cannot hold them).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(new AppError('INVALID_ENCODING', 'The body is not valid UTF-8'), undefined);
    }
    if (text.trim() === '') return done(null, undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return done(new AppError('INVALID_JSON', 'The body is not valid JSON'), undefined);
    }
    if (hasNul(parsed))
      return done(new AppError('BAD_REQUEST', 'Text may not contain NUL characters'), undefined);
    done(null, parsed);
  });

  // Every route must say who may call it (ARCHITECTURE.md, layer 3). The OpenAPI pages are
  // public by nature; anything else registered without `access` stops the start.
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (r) => {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (r.url.startsWith('/api/docs')) r.config = { ...(r.config ?? {}), access: 'public' };
    const access = (r.config as { access?: string } | undefined)?.access;
    if (!access) throw new Error(`${methods.join(',')} ${r.url} declares no access`);
    for (const method of methods) if (method !== 'HEAD') routes.push({ method, url: r.url, access });
  });
  app.decorate('registeredRoutes', routes);

  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    hsts: config.production ? { maxAge: 31536000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onRequest', (req, reply, done) =>
    securityHeaders(req.raw, reply.raw, (err) => done(err as Error | undefined)),
  );
  await app.register(cookie, { secret: config.SECRET_KEY });
  await app.register(rateLimit, { global: false });
  // Multipart bodies are read only by upload routes (route.ts `upload`), with their own limits;
  // every other route refuses them with 415 before anything is read.
  await app.register(multipart, { limits: { ...MULTIPART_LIMITS, fileSize: API_BODY_LIMIT } });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Arusha API',
        version: '0.1.0',
        description: 'Integrity and anti-corruption platform for Customs administrations',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'arusha_session' },
          token: { type: 'http', scheme: 'bearer', description: 'Personal API token (arusha_pat_…)' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    const cfg = req.routeOptions.config;
    if (!req.url.startsWith('/api/') || cfg.anonymous) return;
    // CSRF defence on top of SameSite=Strict: state-changing cookie requests must carry a
    // header a cross-site form cannot set.
    const unsafe = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
    if (unsafe && !req.headers.authorization && req.headers['x-requested-with'] !== 'arusha')
      throw new AppError('FORBIDDEN', 'Missing the X-Requested-With: arusha header');
    req.actor = await authenticate(req);
  });

  app.addHook('preValidation', async (req) => {
    if (hasNul(req.query) || hasNul(req.params))
      throw new AppError('BAD_REQUEST', 'The URL may not contain NUL characters');
  });

  app.addHook('onResponse', async (req, reply) => {
    const anonymous = req.routeOptions.config.anonymous;
    // Anonymous routes (reporting, survey answers) leave no request line at all: even without an
    // address, a timestamped line per submission dates it to the millisecond. Failures still do.
    if (anonymous && reply.statusCode < 500) return;
    const entry: Record<string, unknown> = {
      reqId: req.id,
      method: req.method,
      route: req.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    };
    // Routes marked anonymous never log where a request came from.
    if (!anonymous) {
      entry.ip = req.ip;
      entry.ua = req.headers['user-agent'];
      entry.user = req.actor?.userId;
    }
    log.info(entry, 'request');
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isResponseSerializationError(err))
      log.error({ reqId: req.id, err: err.cause }, 'response did not match its contract');
    const appErr = toAppError(err);
    if (appErr.code === 'INTERNAL' || (err as { cause?: unknown }).cause) {
      // Database errors carry the query's parameters (user data, secrets): log the reason only.
      const cause = (err as { cause?: { message?: string; code?: string } }).cause;
      const safe = cause
        ? { message: cause.message, code: cause.code, query: (err as { query?: string }).query }
        : err;
      if (appErr.code === 'INTERNAL') log.error({ reqId: req.id, err: safe }, 'unhandled error');
      else log.warn({ reqId: req.id, err: safe, code: appErr.code }, 'database refused a request');
    }
    return problem(reply, req, appErr);
  });

  for (const m of modules) {
    if (!m.routes) continue;
    await app.register(async (scope) => m.routes!(createRouter(scope, kernel, m.name), kernel));
  }

  // The built UI: static files, and index.html for every other non-API GET (client-side routing).
  const index = path.join(config.webDist, 'index.html');
  fs.mkdirSync(config.webDist, { recursive: true }); // the UI may be built after the server starts
  await app.register(fastifyStatic, {
    root: config.webDist,
    serve: false,
    cacheControl: false,
    // The build writes .br and .gz copies of the assets (vite.config.ts): sent when accepted.
    preCompressed: true,
  });
  app.get('/assets/*', { config: { access: 'public' } }, (req, reply) => {
    const file = (req.params as { '*': string })['*'];
    reply.header('cache-control', 'public, max-age=31536000, immutable');
    return reply.sendFile(path.join('assets', file));
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return problem(
        reply,
        req,
        new AppError('NOT_FOUND', `No route ${req.method} ${req.url.split('?')[0]}`),
      );
    }
    const file = req.url.split('?')[0]!.slice(1);
    if (
      file &&
      !file.includes('..') &&
      fs.existsSync(path.join(config.webDist, file)) &&
      fs.statSync(path.join(config.webDist, file)).isFile()
    )
      return reply.sendFile(file);
    if (fs.existsSync(index)) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply
      .type('text/html')
      .send(
        '<!doctype html><html lang="en"><title>Arusha</title><p>The web interface is not built. Run <code>npm run build</code>.</p></html>',
      );
  });
  return app as unknown as FastifyInstance;
}
