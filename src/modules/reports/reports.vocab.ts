// The reports module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

/** Report workflow kept by this module; triage into a case belongs to the cases module. */
export const REPORT_STATUSES = ['new', 'acknowledged', 'triage', 'closed'] as const;
export const CLOSE_REASONS = [
  'no_jurisdiction',
  'insufficient_information',
  'unfounded',
  'referred',
  'triaged_to_case',
  'duplicate',
] as const;
export const FIELD_TYPES = [
  'short_text',
  'long_text',
  'single',
  'multiple',
  'date',
  'office',
  'amount',
  /** Files, sent as multipart parts (never as an answer value); see reports.files.ts. */
  'attachment',
] as const;
export const DIRECTIONS = ['reporter', 'handler'] as const;
/** Languages a channel may offer (the UI's). */
export const CHANNEL_LANGUAGES = ['en', 'fr', 'es', 'pt', 'ar', 'ru'] as const;

export const DEFAULT_RETENTION_DAYS = 90;
export const DEFAULT_ACK_DAYS = 7;
export const DEFAULT_FEEDBACK_DAYS = 90;

export type ReportStatus = (typeof REPORT_STATUSES)[number];
export type CloseReason = (typeof CLOSE_REASONS)[number];
export type FieldType = (typeof FIELD_TYPES)[number];
export type Direction = (typeof DIRECTIONS)[number];
export type ChannelLanguage = (typeof CHANNEL_LANGUAGES)[number];
