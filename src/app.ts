import type { FastifyInstance } from 'fastify';
import { buildApp } from './platform/http/app.ts';
import type { Kernel, Module } from './platform/kernel.ts';
import { AuthService } from './modules/identity/index.ts';

/** The HTTP application of a booted kernel: used by server.ts, the tests and the benchmark. */
export function createHttpApp(kernel: Kernel, modules: Module[]): Promise<FastifyInstance> {
  return buildApp({ kernel, modules, authenticate: AuthService.for(kernel).authenticator() });
}
