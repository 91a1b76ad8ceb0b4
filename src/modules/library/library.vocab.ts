// The library module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

export const ENTRY_TYPES = ['policy', 'tool', 'case_study', 'training_material', 'data_method'] as const;

/** Languages an entry may be written in, and the PostgreSQL text-search configuration of each
 *  (all present on PGlite and PostgreSQL 15; a missing one falls back to 'simple' when written). */
export const ENTRY_LANGUAGES = ['en', 'fr', 'es', 'pt', 'ru', 'ar'] as const;
export const TS_CONFIG: Record<EntryLanguage, string> = {
  en: 'english',
  fr: 'french',
  es: 'spanish',
  pt: 'portuguese',
  ru: 'russian',
  ar: 'arabic',
};

/** A submission (one moderated version): pending, then published or rejected; a newer
 *  submission of the same entry, or an edit, supersedes a pending one; the Secretariat may
 *  withdraw a published one (unpublished, with its reason). */
export const SUBMISSION_STATUSES = [
  'submitted',
  'published',
  'rejected',
  'superseded',
  'unpublished',
] as const;
/** The contributor's view of an entry: its working copy is a draft, or its last submission's state. */
export const ENTRY_STATUSES = ['draft', 'submitted', 'published', 'rejected', 'unpublished'] as const;

export type EntryType = (typeof ENTRY_TYPES)[number];
export type EntryLanguage = (typeof ENTRY_LANGUAGES)[number];
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];
export type EntryStatus = (typeof ENTRY_STATUSES)[number];
