import type { FastifyRequest } from 'fastify';

/** Who is calling. Resolved once per request by the authenticator (identity module). */
export interface Actor {
  userId: string;
  email: string;
  /** The active organisation (tenant), if the user has one selected. */
  tenantId: string | null;
  roles: readonly string[];
  permissions: ReadonlySet<string>;
  isPlatformAdmin: boolean;
  locale: string | null;
  via: 'session' | 'token';
  sessionId: string | null;
}

export type Authenticator = (req: FastifyRequest) => Promise<Actor | null>;
