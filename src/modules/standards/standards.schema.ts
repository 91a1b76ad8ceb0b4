import { index, integer, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, id } from '../../platform/db/columns.ts';

// A library version as loaded. tenant_id NULL = shipped with Arusha and readable by every
// tenant; otherwise a national framework owned by one administration. Versions are never
// overwritten: an assessment keeps pointing at the version it was made against.
export const libraries = pgTable(
  'libraries',
  {
    id: id(),
    tenantId: uuid('tenant_id'),
    urn: text('urn').notNull(),
    version: integer('version').notNull(),
    kind: text('kind', { enum: ['framework', 'reference', 'scale', 'matrix'] }).notNull(),
    name: jsonb('name').notNull(),
    document: jsonb('document').notNull(),
    sha256: text('sha256').notNull(),
    loadedBy: uuid('loaded_by'),
    createdAt: createdAt(),
    supersededAt: timestamp('superseded_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('libraries_urn_version').on(
      sql`coalesce(${t.tenantId}, '00000000-0000-0000-0000-000000000000'::uuid)`,
      t.urn,
      t.version,
    ),
  ],
);

// One row per node of a framework version (factor, section, checklist item), so later
// modules can point at an item and follow it across versions by its stable URN.
export const libraryNodes = pgTable(
  'library_nodes',
  {
    id: id(),
    tenantId: uuid('tenant_id'),
    libraryId: uuid('library_id').notNull(),
    urn: text('urn').notNull(),
    parentUrn: text('parent_urn'),
    kind: text('kind').notNull(),
    refId: text('ref_id').notNull(),
    position: integer('position').notNull(),
    radFactor: integer('rad_factor'),
    data: jsonb('data').notNull(),
  },
  (t) => [
    index('library_nodes_library_idx').on(t.libraryId, t.position),
    index('library_nodes_urn_idx').on(t.urn),
  ],
);
