import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, id, tenantId, updatedAt, version } from '../../platform/db/columns.ts';
import { ENTRY_LANGUAGES, ENTRY_TYPES, type EntryLanguage, SUBMISSION_STATUSES } from './library.vocab.ts';

// Cross-tenant publication without weakening isolation (docs/adr/0027):
// - library_entries: the contributor's working copy, tenant-owned like any other table;
// - library_submissions: one immutable snapshot per submitted version, owned by the contributing
//   tenant; the Secretariat's tenant may also read them and record its decision (extra policies);
// - library_published: the deliberately public copy, with no tenant column and no contributor
//   identity when anonymous; every tenant reads it, only the Secretariat's tenant writes it;
// - library_comments: owned by the commenting tenant, readable by every tenant.

/** An attachment as a snapshot keeps it: the file stays in the contributor's storage. */
export interface AttachmentRef {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  storageKey: string;
}

/** An attachment of a published copy: its file copied to the Secretariat's storage at publication. */
export interface PublishedAttachment extends AttachmentRef {
  /** The tenant whose storage holds the copy (the Secretariat's, never the contributor's). */
  filesTenantId: string;
}

/** What changed, measured where known (before/after in the unit given). */
export interface Measure {
  label: string;
  before: string | null;
  after: string | null;
  unit: string | null;
}

/** The same content written in another language (the entry's own language holds the original). */
export interface Translation {
  language: EntryLanguage;
  title: string;
  summary: string;
  whatDone: string;
  whatChanged: string;
}

const regconfig = customType<{ data: string }>({ dataType: () => 'regconfig' });
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** The fields a contributor writes, repeated in each snapshot. */
const content = () => ({
  title: text('title').notNull(),
  summary: text('summary').notNull(),
  factors: integer('factors').array().notNull(),
  type: text('type', { enum: ENTRY_TYPES }).notNull(),
  anonymous: boolean('anonymous').notNull().default(false),
  whatDone: text('what_done').notNull().default(''),
  whatChanged: text('what_changed').notNull().default(''),
  measures: jsonb('measures').$type<Measure[]>().notNull().default([]),
  language: text('language', { enum: ENTRY_LANGUAGES }).notNull(),
});

export const libraryEntries = pgTable(
  'library_entries',
  {
    id: id(),
    tenantId: tenantId(),
    ...content(),
    /** The content in other languages than `language` (each language once). */
    translations: jsonb('translations').$type<Translation[]>().notNull().default([]),
    /** True while the working copy holds changes not yet submitted. */
    editing: boolean('editing').notNull().default(true),
    /** Submissions made so far (the next one is revision + 1). */
    revision: integer('revision').notNull().default(0),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('library_entries_tenant_idx').on(t.tenantId, t.updatedAt)],
);

export const librarySubmissions = pgTable(
  'library_submissions',
  {
    id: id(),
    tenantId: tenantId(),
    entryId: uuid('entry_id').notNull(),
    revision: integer('revision').notNull(),
    ...content(),
    /** The content in other languages than `language` (each language once). */
    translations: jsonb('translations').$type<Translation[]>().notNull().default([]),
    /** The contributor's organisation, shown unless anonymous (and to the Secretariat always). */
    organisation: text('organisation').notNull(),
    country: text('country'),
    region: text('region'),
    /** The entry's attachments when submitted. */
    attachments: jsonb('attachments').$type<AttachmentRef[]>().notNull().default([]),
    status: text('status', { enum: SUBMISSION_STATUSES }).notNull().default('submitted'),
    reason: text('reason'),
    submittedBy: uuid('submitted_by').notNull(),
    decidedBy: uuid('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('library_submissions_revision').on(t.entryId, t.revision),
    index('library_submissions_status_idx').on(t.status, t.createdAt),
  ],
);

/** The weighted document searched: title (A), summary (B), the rest (C). */
const document = (t: {
  tsConfig: unknown;
  title: unknown;
  summary: unknown;
  whatDone: unknown;
  whatChanged: unknown;
}): SQL =>
  sql`setweight(to_tsvector(${t.tsConfig}, ${t.title}), 'A') || setweight(to_tsvector(${t.tsConfig}, ${t.summary}), 'B') || setweight(to_tsvector(${t.tsConfig}, ${t.whatDone} || ' ' || ${t.whatChanged}), 'C')`;

export const libraryPublished = pgTable(
  'library_published',
  {
    /** The entry's id: stable across published versions. */
    id: uuid('id').primaryKey(),
    submissionId: uuid('submission_id').notNull(),
    revision: integer('revision').notNull(),
    ...content(),
    /** Null when the contributor chose to stay anonymous. */
    organisation: text('organisation'),
    country: text('country'),
    region: text('region'),
    /** The published version's attachments (copies in the Secretariat's storage). */
    attachments: jsonb('attachments').$type<PublishedAttachment[]>().notNull().default([]),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
    firstPublishedAt: timestamp('first_published_at', { withTimezone: true }).notNull().defaultNow(),
    /** Withdrawn by the Secretariat: then only the Secretariat reads the row (row-level security). */
    unpublishedAt: timestamp('unpublished_at', { withTimezone: true }),
    unpublishedReason: text('unpublished_reason'),
  },
  (t) => [index('library_published_factors_idx').using('gin', t.factors)],
);

/**
 * The searched text of a published copy, one row per language it is written in (the original and
 * each translation), each indexed with its own language's configuration. Readable where the
 * published copy is (row-level security); written by the Secretariat at publication.
 */
export const libraryPublishedTexts = pgTable(
  'library_published_texts',
  {
    entryId: uuid('entry_id')
      .notNull()
      .references(() => libraryPublished.id),
    language: text('language', { enum: ENTRY_LANGUAGES }).notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    whatDone: text('what_done').notNull().default(''),
    whatChanged: text('what_changed').notNull().default(''),
    tsConfig: regconfig('ts_config').notNull(),
    search: tsvector('search')
      .notNull()
      .generatedAlwaysAs(
        (): SQL =>
          document({
            tsConfig: sql.raw('ts_config'),
            title: sql.raw('title'),
            summary: sql.raw('summary'),
            whatDone: sql.raw('what_done'),
            whatChanged: sql.raw('what_changed'),
          }),
      ),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.language] }),
    index('library_published_texts_search_idx').using('gin', t.search),
  ],
);

export const libraryComments = pgTable(
  'library_comments',
  {
    id: id(),
    tenantId: tenantId(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => libraryPublished.id),
    authorId: uuid('author_id').notNull(),
    /** Names as they were when writing: other tenants cannot read the author's user row. */
    authorName: text('author_name').notNull(),
    organisation: text('organisation').notNull(),
    body: text('body').notNull(),
    createdAt: createdAt(),
    /** Hidden by the Secretariat: then read by the Secretariat and the author's organisation only. */
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenReason: text('hidden_reason'),
    hiddenBy: uuid('hidden_by'),
  },
  (t) => [index('library_comments_entry_idx').on(t.entryId, t.createdAt)],
);

/** Files attached to an entry's working copy (the contributor's tenant; row-level security). */
export const libraryAttachments = pgTable(
  'library_attachments',
  {
    id: id(),
    tenantId: tenantId(),
    entryId: uuid('entry_id')
      .notNull()
      .references(() => libraryEntries.id),
    filename: text('filename').notNull(),
    mediaType: text('media_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256').notNull(),
    storageKey: text('storage_key').notNull(),
    uploadedBy: uuid('uploaded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('library_attachments_entry_idx').on(t.entryId, t.createdAt)],
);
