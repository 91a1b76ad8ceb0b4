import { index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId } from '../db/columns.ts';

/**
 * In-app notifications. `dedupe_key` is unique per recipient: a reminder for one due event
 * is inserted once, and only an inserted row sends its e-mail — nothing is sent twice.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid('user_id').notNull(),
    kind: text('kind').notNull(),
    /** A catalog key and its variables, rendered in the reader's language. */
    messageKey: text('message_key').notNull(),
    vars: jsonb('vars').$type<Record<string, string | number>>().notNull().default({}),
    link: text('link'),
    dedupeKey: text('dedupe_key').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notifications_dedupe').on(t.tenantId, t.userId, t.dedupeKey),
    index('notifications_user_idx').on(t.userId, t.createdAt),
  ],
);
