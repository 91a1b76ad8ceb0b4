import { z } from 'zod';
import { ENTRY_LANGUAGES, ENTRY_STATUSES, ENTRY_TYPES, SUBMISSION_STATUSES } from './library.vocab.ts';

// The library API's contracts (shared with the UI).

export const IdParam = z.object({ id: z.uuid() }).strict();

const Text = (max: number) => z.string().trim().min(1).max(max);
const LongText = (max: number) => z.string().trim().max(max);
const version = z.number().int().min(1);
/** RAD key factors 1–10, each once. */
const Factors = z
  .array(z.number().int().min(1).max(10))
  .min(1)
  .max(10)
  .refine((l) => new Set(l).size === l.length, { message: 'Each factor appears once' });

export const Measure = z
  .object({
    label: Text(200),
    before: LongText(100).nullable(),
    after: LongText(100).nullable(),
    unit: LongText(50).nullable(),
  })
  .strict();

/** The entry's content in another language (measures and factors are shared by every language). */
export const Translation = z
  .object({
    language: z.enum(ENTRY_LANGUAGES),
    title: Text(300),
    summary: Text(2000),
    whatDone: LongText(20_000).default(''),
    whatChanged: LongText(20_000).default(''),
  })
  .strict();
export type TranslationT = z.infer<typeof Translation>;

const Translations = z
  .array(Translation)
  .max(ENTRY_LANGUAGES.length - 1)
  .refine((l) => new Set(l.map((x) => x.language)).size === l.length, {
    message: 'Each language appears once',
  });

const entryFields = {
  title: Text(300),
  summary: Text(2000),
  factors: Factors,
  type: z.enum(ENTRY_TYPES),
  /** Published without the organisation's name and country (the Secretariat still knows it). */
  anonymous: z.boolean(),
  whatDone: LongText(20_000),
  whatChanged: LongText(20_000),
  measures: z.array(Measure).max(20),
  language: z.enum(ENTRY_LANGUAGES),
  translations: Translations,
};

export const EntryInput = z
  .object({
    ...entryFields,
    anonymous: entryFields.anonymous.default(false),
    whatDone: entryFields.whatDone.default(''),
    whatChanged: entryFields.whatChanged.default(''),
    measures: entryFields.measures.default([]),
    translations: entryFields.translations.default([]),
  })
  .strict();
export type EntryInputT = z.infer<typeof EntryInput>;

export const UpdateEntryInput = z
  .object({
    version,
    title: entryFields.title.optional(),
    summary: entryFields.summary.optional(),
    factors: entryFields.factors.optional(),
    type: entryFields.type.optional(),
    anonymous: entryFields.anonymous.optional(),
    whatDone: entryFields.whatDone.optional(),
    whatChanged: entryFields.whatChanged.optional(),
    measures: entryFields.measures.optional(),
    language: entryFields.language.optional(),
    translations: entryFields.translations.optional(),
  })
  .strict();
export type UpdateEntryInputT = z.infer<typeof UpdateEntryInput>;

export const VersionInput = z.object({ version }).strict();

/** Largest attachment (PDF, images, office documents, text: the platform's document types). */
export const ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024;
/** Attachments per entry. */
export const MAX_ATTACHMENTS = 10;

export const Attachment = z.object({
  id: z.uuid(),
  filename: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
});
export type AttachmentT = z.infer<typeof Attachment>;

/** The upload form's other field: the entry the file goes to. */
export const AttachmentFields = z.object({ entryId: z.uuid() }).strict();
export const AttachmentParam = z.object({ id: z.uuid(), attachmentId: z.uuid() }).strict();

const content = {
  title: z.string(),
  summary: z.string(),
  factors: z.array(z.number().int()),
  type: z.enum(ENTRY_TYPES),
  anonymous: z.boolean(),
  whatDone: z.string(),
  whatChanged: z.string(),
  measures: z.array(Measure),
  language: z.enum(ENTRY_LANGUAGES),
  translations: z.array(
    z.object({
      language: z.enum(ENTRY_LANGUAGES),
      title: z.string(),
      summary: z.string(),
      whatDone: z.string(),
      whatChanged: z.string(),
    }),
  ),
  attachments: z.array(Attachment),
};

/** One of my organisation's entries: the working copy and where it stands. */
export const Entry = z.object({
  id: z.uuid(),
  ...content,
  status: z.enum(ENTRY_STATUSES),
  /** Submissions made so far. */
  revision: z.number().int(),
  /** The version every organisation sees (null: never published). */
  publishedRevision: z.number().int().nullable(),
  /** Why the Secretariat rejected the last submission. */
  rejectionReason: z.string().nullable(),
  /** Why the Secretariat withdrew the published version (status unpublished). */
  unpublishedReason: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int(),
});
export type EntryT = z.infer<typeof Entry>;

export const SearchQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    factor: z.coerce.number().int().min(1).max(10).optional(),
    region: z
      .string()
      .regex(/^[A-Z]{2,4}$/, 'a WCO region code')
      .optional(),
    type: z.enum(ENTRY_TYPES).optional(),
    /** Entries readable in this language (the original or a translation). */
    language: z.enum(ENTRY_LANGUAGES).optional(),
    /** The reader's language: each result is shown in it when written in it, else in its original. */
    lang: z.enum(ENTRY_LANGUAGES).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type SearchQueryT = z.infer<typeof SearchQuery>;

export const PublishedSummary = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string(),
  factors: z.array(z.number().int()),
  type: z.enum(ENTRY_TYPES),
  /** The language the entry was written in. */
  language: z.enum(ENTRY_LANGUAGES),
  /** The language of the title and text shown here: the reader's if written in it, else the original. */
  shownLanguage: z.enum(ENTRY_LANGUAGES),
  /** Every language the entry is written in (the original first). */
  languages: z.array(z.enum(ENTRY_LANGUAGES)),
  anonymous: z.boolean(),
  /** Null when anonymous. */
  organisation: z.string().nullable(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  revision: z.number().int(),
  publishedAt: z.iso.datetime(),
});
export type PublishedSummaryT = z.infer<typeof PublishedSummary>;

export const SearchResult = z.object({ items: z.array(PublishedSummary), total: z.number().int() });

export const Comment = z.object({
  id: z.uuid(),
  authorName: z.string(),
  organisation: z.string(),
  body: z.string(),
  createdAt: z.iso.datetime(),
  /** Hidden by the Secretariat: only the Secretariat and the author's organisation still read it. */
  hidden: z.object({ at: z.iso.datetime(), reason: z.string() }).nullable(),
});
export type CommentT = z.infer<typeof Comment>;

export const PublishedDetail = PublishedSummary.extend({
  whatDone: z.string(),
  whatChanged: z.string(),
  measures: z.array(Measure),
  attachments: z.array(Attachment),
  firstPublishedAt: z.iso.datetime(),
  /** The caller's organisation contributed it. */
  mine: z.boolean(),
  comments: z.array(Comment),
  /** The caller is the Secretariat: it may withdraw the entry and hide comments. */
  canModerate: z.boolean(),
});
export type PublishedDetailT = z.infer<typeof PublishedDetail>;

export const CommentInput = z.object({ body: Text(4000) }).strict();
export const HideCommentInput = z.object({ reason: Text(2000) }).strict();
/** The reader's language for a published entry (else the negotiated locale). */
export const ReadQuery = z.object({ lang: z.enum(ENTRY_LANGUAGES).optional() }).strict();

/** Withdraw the published version: the revision read (409 if another was published since), why. */
export const UnpublishInput = z.object({ revision: z.number().int().min(1), reason: Text(2000) }).strict();

export const RevisionParam = z.object({ id: z.uuid(), revision: z.coerce.number().int().min(1) }).strict();
/** A file of one submitted version, as that version had it. */
export const VersionAttachmentParam = z
  .object({ id: z.uuid(), revision: z.coerce.number().int().min(1), attachmentId: z.uuid() })
  .strict();

/** One submitted version of an entry, as its history lists it. */
export const VersionSummary = z.object({
  id: z.uuid(),
  revision: z.number().int(),
  title: z.string(),
  language: z.enum(ENTRY_LANGUAGES),
  status: z.enum(SUBMISSION_STATUSES),
  reason: z.string().nullable(),
  submittedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  /** This is the version every organisation reads now. */
  current: z.boolean(),
});
export type VersionSummaryT = z.infer<typeof VersionSummary>;

export const UseInput = z.object({ planId: z.uuid() }).strict();
export const UseResult = z.object({ planId: z.uuid(), actionId: z.uuid(), ref: z.string() });

/** A submitted version, as the Secretariat moderates it. */
export const Submission = z.object({
  id: z.uuid(),
  entryId: z.uuid(),
  revision: z.number().int(),
  ...content,
  organisation: z.string(),
  country: z.string().nullable(),
  region: z.string().nullable(),
  status: z.enum(SUBMISSION_STATUSES),
  reason: z.string().nullable(),
  submittedAt: z.iso.datetime(),
  decidedAt: z.iso.datetime().nullable(),
  /** The version currently published, if any (it stays visible until this one is). */
  publishedRevision: z.number().int().nullable(),
  version: z.number().int(),
});
export type SubmissionT = z.infer<typeof Submission>;

export const DecisionInput = z
  .object({
    version,
    decision: z.enum(['publish', 'reject']),
    reason: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((d) => d.decision === 'publish' || d.reason, {
    message: 'A rejection needs a reason',
    path: ['reason'],
  });
export type DecisionInputT = z.infer<typeof DecisionInput>;
