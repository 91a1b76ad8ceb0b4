import { z } from 'zod';
import {
  CAMPAIGN_TARGETS,
  COURSE_KINDS,
  ENROLMENT_STATUSES,
  QUESTION_TYPES,
  VERSION_STATUSES,
} from './learning.vocab.ts';

// The learning API's contracts (shared with the UI: src/modules/learning/ui/types.ts).

export const IdParam = z.object({ id: z.uuid() }).strict();
export const LessonParam = z.object({ id: z.uuid(), lessonId: z.string().min(1).max(64) }).strict();
export const QuizParam = z.object({ id: z.uuid(), moduleId: z.string().min(1).max(64) }).strict();
export const VersionParam = z.object({ id: z.uuid(), versionId: z.uuid() }).strict();

const Status = z.enum(ENROLMENT_STATUSES);
const Day = z.iso.date();

export const Enrolment = z.object({
  id: z.uuid(),
  courseId: z.uuid(),
  courseSlug: z.string(),
  courseTitle: z.string(),
  kind: z.enum(COURSE_KINDS),
  status: Status,
  /** 0–100: lessons done and quizzes passed, of all. */
  percent: z.number(),
  dueDate: z.string().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  score: z.number().nullable(),
  certificateId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  courseVersionId: z.uuid().nullable(),
  version: z.number().int(),
});
export type Enrolment = z.infer<typeof Enrolment>;

export const CourseListItem = z.object({
  id: z.uuid(),
  slug: z.string(),
  kind: z.enum(COURSE_KINDS),
  title: z.string(),
  summary: z.string(),
  shipped: z.boolean(),
  minutes: z.number().nullable(),
  lessonCount: z.number().nullable(),
  publishedVersion: z.number().nullable(),
  /** Every version for learning.manage; the published ones otherwise. */
  versions: z.array(
    z.object({ id: z.uuid(), number: z.number(), status: z.enum(VERSION_STATUSES), createdAt: z.string() }),
  ),
  enrolment: z.object({ id: z.uuid(), status: Status, percent: z.number() }).nullable(),
  /** A learner may enrol in any published course (shipped or the organisation's own). */
  selfEnrol: z.boolean(),
  certificate: z.boolean(),
  version: z.number().int(),
});
export type CourseListItem = z.infer<typeof CourseListItem>;

export const QuizMeta = z.object({
  draw: z.number(),
  passMark: z.number(),
  /** 0 = unlimited */
  attempts: z.number(),
  timeLimitMinutes: z.number().nullable(),
  attemptsUsed: z.number(),
  bestScore: z.number().nullable(),
  passed: z.boolean(),
});

export const OutlineModule = z.object({
  id: z.string(),
  title: z.string(),
  lessons: z.array(z.object({ id: z.string(), title: z.string(), minutes: z.number(), done: z.boolean() })),
  quiz: QuizMeta.nullable(),
});

export const CourseDetail = CourseListItem.extend({
  languages: z.array(z.string()),
  /** The version outlined: the learner's pinned one, else the latest published (or ?versionId for managers). */
  outlineVersion: z.object({ id: z.uuid(), number: z.number(), status: z.enum(VERSION_STATUSES) }).nullable(),
  modules: z.array(OutlineModule),
});

export const CourseQuery = z.object({ versionId: z.uuid().optional() }).strict();

export const Player = z.object({
  enrolment: Enrolment,
  versionNumber: z.number(),
  language: z.string(),
  modules: z.array(OutlineModule),
});

export const Lesson = z.object({
  id: z.string(),
  moduleId: z.string(),
  title: z.string(),
  minutes: z.number(),
  language: z.string(),
  html: z.string(),
  done: z.boolean(),
  previous: z.string().nullable(),
  next: z.string().nullable(),
});

const TextItem = z.object({ id: z.string(), text: z.string() });
export const Attempt = z.object({
  id: z.uuid(),
  enrolmentId: z.uuid(),
  moduleId: z.string(),
  attempt: z.number(),
  /** 0 = unlimited */
  attemptsAllowed: z.number(),
  startedAt: z.string(),
  deadline: z.string().nullable(),
  questions: z.array(
    z.object({
      id: z.string(),
      type: z.enum(QUESTION_TYPES),
      prompt: z.string(),
      options: z.array(TextItem).optional(),
      lefts: z.array(TextItem).optional(),
      rights: z.array(TextItem).optional(),
      items: z.array(TextItem).optional(),
    }),
  ),
});

const Key = z.string().min(1).max(64);
export const Answer = z.union([
  z.object({ choice: Key }).strict(),
  z.object({ choices: z.array(Key).max(20) }).strict(),
  z.object({ value: z.boolean() }).strict(),
  z
    .object({ pairs: z.record(Key, Key).refine((r) => Object.keys(r).length <= 20, 'too many pairs') })
    .strict(),
  z.object({ order: z.array(Key).max(20) }).strict(),
]);
export const SubmitInput = z
  .object({
    answers: z.record(Key, Answer).refine((r) => Object.keys(r).length <= 100, 'too many answers'),
  })
  .strict();

export const AttemptResult = z.object({
  id: z.uuid(),
  score: z.number(),
  passed: z.boolean(),
  passMark: z.number(),
  /** Submitted after the deadline (plus 30 s of grace): recorded as 0, failed. */
  late: z.boolean(),
  attemptsLeft: z.number().nullable(),
  questions: z.array(
    z.object({
      id: z.string(),
      points: z.number(),
      correct: z.boolean(),
      feedback: z.string().nullable(),
      /** Feedback of the options the learner chose (single / multiple). */
      chosen: z.array(z.object({ id: z.string(), feedback: z.string().nullable() })),
    }),
  ),
  enrolment: Enrolment,
});

export const UploadCourseInput = z.object({ content: z.string().min(1).max(3_000_000) }).strict();
export const UploadResult = z.object({
  courseId: z.uuid(),
  versionId: z.uuid(),
  number: z.number(),
  status: z.enum(VERSION_STATUSES),
  created: z.boolean(),
});

export const CreateCampaignInput = z
  .object({
    courseId: z.uuid(),
    title: z.string().trim().min(1).max(200),
    targetKind: z.enum(CAMPAIGN_TARGETS),
    /** Unit ids, role ids or user ids, by targetKind. */
    targets: z.array(z.string().min(1).max(64)).min(1).max(500),
    dueDate: Day.nullable().optional(),
    escalate: z.boolean().optional(),
  })
  .strict();

export const Campaign = z.object({
  id: z.uuid(),
  title: z.string(),
  courseId: z.uuid(),
  courseTitle: z.string(),
  targetKind: z.enum(CAMPAIGN_TARGETS),
  targets: z.array(z.string()),
  dueDate: z.string().nullable(),
  escalate: z.boolean(),
  enrolled: z.number(),
  started: z.number(),
  completed: z.number(),
  overdue: z.number(),
  createdBy: z.uuid(),
  createdAt: z.string(),
  version: z.number(),
});
export const CampaignDetail = Campaign.extend({
  learners: z.array(
    z.object({
      enrolmentId: z.uuid(),
      userId: z.uuid(),
      userName: z.string(),
      unitName: z.string().nullable(),
      status: Status,
      dueDate: z.string().nullable(),
      completedAt: z.string().nullable(),
      score: z.number().nullable(),
    }),
  ),
});
export const EnrolResult = z.object({ campaign: Campaign, added: z.number() });

export const ReportQuery = z
  .object({
    courseId: z.uuid().optional(),
    unitId: z.uuid().optional(),
    from: Day.optional(),
    to: Day.optional(),
  })
  .strict();
export const ExportQuery = ReportQuery.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }).strict();

const ReportRow = z.object({
  id: z.string().nullable(),
  name: z.string(),
  enrolled: z.number(),
  completed: z.number(),
  overdue: z.number(),
  completionRate: z.number(),
  meanScore: z.number().nullable(),
});
export const Report = z.object({
  from: z.string(),
  to: z.string(),
  totals: z.object({
    enrolled: z.number(),
    completed: z.number(),
    overdue: z.number(),
    completionRate: z.number(),
    meanScore: z.number().nullable(),
  }),
  byUnit: z.array(ReportRow),
  byCourse: z.array(ReportRow),
  byPeriod: z.array(z.object({ period: z.string(), completed: z.number() })),
  scoreDistribution: z.array(z.object({ from: z.number(), to: z.number(), count: z.number() })),
  learners: z.array(
    z.object({
      enrolmentId: z.uuid(),
      userName: z.string(),
      unitName: z.string().nullable(),
      courseTitle: z.string(),
      status: Status,
      dueDate: z.string().nullable(),
      completedAt: z.string().nullable(),
      score: z.number().nullable(),
      certificateId: z.uuid().nullable(),
    }),
  ),
});
export type Report = z.infer<typeof Report>;
