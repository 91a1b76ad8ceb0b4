import { z } from 'zod';
import { withTenant } from '../db/tenant.ts';
import { AppError } from '../errors.ts';
import type { Router } from '../http/route.ts';
import type { Kernel } from '../kernel.ts';

export const NotificationItem = z.object({
  id: z.uuid(),
  kind: z.string(),
  message: z.string(),
  link: z.string().nullable(),
  createdAt: z.iso.datetime(),
  readAt: z.iso.datetime().nullable(),
});
export const NotificationList = z.object({
  items: z.array(NotificationItem),
  unread: z.number().int().min(0),
});
const IdParams = z.object({ id: z.uuid() }).strict();

/** The signed-in user's notifications in the active organisation. */
export function notificationRoutes(r: Router, k: Kernel): void {
  r.get({
    url: '/api/me/notifications',
    access: 'authenticated',
    summary: 'My latest notifications (at most 50) and the unread count',
    tags: ['me'],
    response: NotificationList,
    handler: async ({ actor, locale }) => {
      const tenantId = actor!.tenantId;
      if (!tenantId) return { items: [], unread: 0 };
      return withTenant(
        k.db,
        { tenantId, userId: actor!.userId },
        (tx) => k.notify.list(tx, actor!.userId, locale),
        {
          readOnly: true,
        },
      );
    },
  });
  r.post({
    url: '/api/me/notifications/:id/read',
    access: 'authenticated',
    summary: 'Mark one of my notifications read',
    tags: ['me'],
    params: IdParams,
    status: 204,
    handler: async ({ actor, params }) => {
      const tenantId = actor!.tenantId;
      const found =
        !!tenantId &&
        (await withTenant(k.db, { tenantId, userId: actor!.userId }, (tx) =>
          k.notify.markRead(tx, actor!.userId, params.id),
        ));
      if (!found) throw new AppError('NOT_FOUND', 'Notification not found');
    },
  });
  r.post({
    url: '/api/me/notifications/read-all',
    access: 'authenticated',
    summary: 'Mark all my notifications read',
    tags: ['me'],
    response: z.object({ changed: z.number().int().min(0) }),
    handler: async ({ actor }) => {
      const tenantId = actor!.tenantId;
      if (!tenantId) return { changed: 0 };
      const changed = await withTenant(k.db, { tenantId, userId: actor!.userId }, (tx) =>
        k.notify.markAllRead(tx, actor!.userId),
      );
      return { changed };
    },
  });
}
