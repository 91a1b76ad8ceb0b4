import { integer, pgTable, text, uuid, unique } from 'drizzle-orm/pg-core';
import { bytea, createdAt, id } from '../db/columns.ts';

// Used by the `database` storage driver (several app instances without a shared folder).
export const storedFiles = pgTable(
  'stored_files',
  {
    id: id(),
    tenantId: uuid('tenant_id').notNull(),
    key: text('key').notNull(),
    content: bytea('content').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('stored_files_key').on(t.tenantId, t.key)],
);
