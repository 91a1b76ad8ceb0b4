// The learning module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

export const COURSE_KINDS = ['native', 'scorm'] as const;
export const VERSION_STATUSES = ['draft', 'published', 'retired'] as const;
export const QUESTION_TYPES = ['single', 'multiple', 'true_false', 'matching', 'ordering'] as const;
export const ENROLMENT_STATUSES = ['enrolled', 'in_progress', 'completed'] as const;
export const CAMPAIGN_TARGETS = ['units', 'roles', 'users'] as const;

export type CourseKind = (typeof COURSE_KINDS)[number];
export type QuestionType = (typeof QUESTION_TYPES)[number];
