import { z } from 'zod';
import type { Module } from './kernel.ts';
import { notificationRoutes } from './notify/notify.routes.ts';

/** The kernel's own routes: health (load balancers) and, outside production, the mail outbox. */
export const platformModule: Module = {
  name: 'platform',
  routes(r, k) {
    r.get({
      url: '/api/health',
      access: 'public',
      summary: 'Liveness and readiness',
      response: z.object({
        status: z.literal('ok'),
        database: z.enum(['embedded', 'server']),
        demo: z.boolean(),
        version: z.string(),
      }),
      handler: async () => {
        await k.db.query('select 1');
        return { status: 'ok', database: k.db.kind, demo: k.config.demoData, version: '0.1.0' } as const;
      },
    });
    notificationRoutes(r, k);
    if (k.config.production) return;
    r.get({
      url: '/api/dev/outbox',
      access: 'public',
      summary: 'Development only: mail that would have been sent',
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            to: z.string(),
            subject: z.string(),
            body: z.string(),
            createdAt: z.iso.datetime(),
          }),
        ),
      }),
      handler: async () => ({
        items: (await k.mail.outbox()).map((m) => ({
          id: m.id,
          to: m.to,
          subject: m.subject,
          body: m.body,
          createdAt: m.createdAt.toISOString(),
        })),
      }),
    });
  },
};
