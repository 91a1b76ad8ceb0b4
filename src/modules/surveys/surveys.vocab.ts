// The surveys module's closed vocabularies, with no imports: shared by the database schema,
// the zod contracts and the UI.

export const AUDIENCES = ['officials', 'private_sector'] as const;
export const SURVEY_STATUSES = ['draft', 'open', 'closed'] as const;
export const QUESTION_KINDS = ['likert5', 'frequency', 'yesno', 'single', 'multiple', 'text'] as const;
/** How people take part: invitations and printed tokens only, an open link only, or both. */
export const PARTICIPATION = ['tokens', 'open', 'both'] as const;
export const RESPONSE_MODES = ['web', 'paper'] as const;
export const INVITE_TARGETS = ['units', 'roles', 'users'] as const;
/** Respondent bands an administration may ask (never a direct identifier). */
export const BAND_KEYS = ['gender', 'age', 'grade', 'region'] as const;
/** How results can be broken down: not at all, or by one band. */
export const RESULTS_BY = ['none', ...BAND_KEYS] as const;
export const GENDER_BANDS = ['female', 'male', 'other'] as const;
export const AGE_BANDS = ['u30', '30_44', '45_59', '60p'] as const;
export const GRADE_BANDS = ['junior', 'mid', 'senior', 'management'] as const;
/** RAD key factors 1–10. */
export const RAD_FACTORS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/** Small-cell suppression: default threshold, and the floor no configuration goes below. */
export const DEFAULT_MIN_CELL = 10;
export const MIN_CELL_FLOOR = 5;

export type Audience = (typeof AUDIENCES)[number];
export type SurveyStatus = (typeof SURVEY_STATUSES)[number];
export type QuestionKind = (typeof QUESTION_KINDS)[number];
export type Participation = (typeof PARTICIPATION)[number];
export type BandKey = (typeof BAND_KEYS)[number];
