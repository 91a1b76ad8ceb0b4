// The assessments module's closed vocabularies, with no imports: shared by the database
// schema, the zod contracts and the UI.

export const ASSESSMENT_TYPES = ['self', 'remote', 'wco_facilitated', 'peer'] as const;
/** planned → in_progress → in_review → validated (executive sign-off) → closed. */
export const ASSESSMENT_STATUSES = ['planned', 'in_progress', 'in_review', 'validated', 'closed'] as const;
export const TEAM_ROLES = ['facilitator', 'assessor', 'observer', 'executive_sponsor'] as const;
export const EVIDENCE_SOURCES = ['desk_review', 'interview', 'survey', 'data'] as const;
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;

export type AssessmentType = (typeof ASSESSMENT_TYPES)[number];
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];
export type TeamRole = (typeof TEAM_ROLES)[number];
