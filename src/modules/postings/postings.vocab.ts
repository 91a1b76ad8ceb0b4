// The postings module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

export const VULNERABILITY = ['low', 'medium', 'high', 'critical'] as const;
export const POSTING_REASONS = ['rotation', 'promotion', 'disciplinary', 'request'] as const;
/** Where a posting stands against its position's maximum tenure. */
export const TENURE_STATUSES = ['ok', 'due_soon', 'overdue'] as const;

export type Vulnerability = (typeof VULNERABILITY)[number];
export type PostingReason = (typeof POSTING_REASONS)[number];
export type TenureStatus = (typeof TENURE_STATUSES)[number];
