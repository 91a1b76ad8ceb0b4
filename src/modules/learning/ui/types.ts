// What the UI reads from /api/learning: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  Attempt,
  AttemptResult,
  Campaign,
  CourseDetail,
  CourseListItem,
  Enrolment,
  Lesson,
  OutlineModule,
  Player,
  Report,
  UploadResult,
} from '../learning.contract';
import type { Verification } from '../learning.certificates.contract';

export type EnrolmentT = z.infer<typeof Enrolment>;
export type EnrolmentStatus = EnrolmentT['status'];
export type CourseListItemT = z.infer<typeof CourseListItem>;
export type CourseDetailT = z.infer<typeof CourseDetail>;
export type OutlineModuleT = z.infer<typeof OutlineModule>;
export type PlayerT = z.infer<typeof Player>;
export type LessonT = z.infer<typeof Lesson>;
export type AttemptT = z.infer<typeof Attempt>;
export type AttemptQuestionT = AttemptT['questions'][number];
export type AttemptResultT = z.infer<typeof AttemptResult>;
export type CampaignT = z.infer<typeof Campaign>;
export type UploadResultT = z.infer<typeof UploadResult>;
export type ReportT = Report;
export type ReportRowT = Report['byUnit'][number];
export type VerificationT = Verification;

export interface TextItem {
  id: string;
  text: string;
}

/** What the learner has picked, before it is shaped for the server (quiz.tsx answersFor). */
export type AnswerT = string | string[] | boolean | Record<string, string>;
