import { download } from '../../platform/http/download.ts';
import { Items, type Router } from '../../platform/http/route.ts';
import { RTL } from '../../platform/i18n/i18n.ts';
import { TABLE_MEDIA_TYPES, writeTable } from '../../platform/tables/tables.ts';
import * as C from './learning.contract.ts';
import { P } from './learning.permissions.ts';
import { LearningService } from './learning.service.ts';

export function learningRoutes(r: Router, svc: LearningService) {
  // ---- catalogue and enrolments ------------------------------------------------------------
  r.get({
    url: '/api/learning/courses',
    access: P.learn,
    summary:
      'The course catalogue (shipped and own published courses; drafts too for managers), with my enrolment',
    response: Items(C.CourseListItem),
    handler: async ({ tx, actor, locale }) => ({ items: await svc.catalogue(tx, actor, locale) }),
  });
  r.get({
    url: '/api/learning/courses/:id',
    access: P.learn,
    summary: "A course's outline: my pinned version, else the latest published (?versionId for managers)",
    params: C.IdParam,
    query: C.CourseQuery,
    response: C.CourseDetail,
    handler: async ({ tx, actor, params, query, locale }) =>
      svc.course(tx, actor, params.id, locale, query.versionId),
  });
  r.post({
    url: '/api/learning/courses/:id/enrol',
    access: P.learn,
    summary: 'Enrol myself in a published course (idempotent)',
    params: C.IdParam,
    response: C.Enrolment,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.enrolSelf(tx, tenantId, actor, params.id, locale),
  });
  r.get({
    url: '/api/learning/enrolments/me',
    access: P.learn,
    summary: 'My enrolments with progress and due dates',
    response: Items(C.Enrolment),
    handler: async ({ tx, actor, locale }) => ({ items: await svc.myEnrolments(tx, actor, locale) }),
  });
  r.post({
    url: '/api/learning/enrolments/:id/start',
    access: P.learn,
    summary: 'Start (or resume) a course: pins the latest published version the first time',
    params: C.IdParam,
    response: C.Player,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.start(tx, tenantId, actor, params.id, locale),
  });
  r.get({
    url: '/api/learning/enrolments/:id/lessons/:lessonId',
    access: P.learn,
    summary: 'A lesson as sanitised HTML in my language (else the course’s first language)',
    params: C.LessonParam,
    response: C.Lesson,
    handler: async ({ tx, actor, params, locale }) =>
      svc.lesson(tx, actor, params.id, params.lessonId, locale),
  });
  r.post({
    url: '/api/learning/enrolments/:id/lessons/:lessonId/done',
    access: P.learn,
    summary: 'Mark a lesson done (progress saved; may complete the course)',
    params: C.LessonParam,
    response: C.Enrolment,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.lessonDone(tx, tenantId, actor, params.id, params.lessonId, locale),
  });
  r.post({
    url: '/api/learning/enrolments/:id/quizzes/:moduleId/attempts',
    access: P.learn,
    summary:
      'Start a module quiz attempt (or get the open one): drawn questions without answers; 409 when the attempts are used',
    params: C.QuizParam,
    status: 201,
    response: C.Attempt,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.startAttempt(tx, tenantId, actor, params.id, params.moduleId, locale),
  });
  r.post({
    url: '/api/learning/attempts/:id/submit',
    access: P.learn,
    summary:
      'Submit answers: score, pass/fail and feedback; answers to questions not drawn → 400, nothing stored',
    params: C.IdParam,
    body: C.SubmitInput,
    response: C.AttemptResult,
    handler: async ({ tx, tenantId, actor, params, body, locale }) =>
      svc.submit(tx, tenantId, actor, params.id, body.answers, locale),
  });

  // ---- course management ------------------------------------------------------------------
  r.post({
    url: '/api/learning/courses',
    access: P.manage,
    summary:
      'Upload a course document (YAML or JSON text): a new course or a new draft version; 422 lists every problem',
    body: C.UploadCourseInput,
    bodyLimit: 4 * 1024 * 1024,
    status: 201,
    response: C.UploadResult,
    handler: async ({ tx, tenantId, actor, body }) => svc.uploadCourse(tx, tenantId, actor, body.content),
  });
  r.post({
    url: '/api/learning/courses/:id/versions/:versionId/publish',
    access: P.manage,
    summary: 'Publish a draft version (learners who started an older version finish it)',
    params: C.VersionParam,
    response: C.UploadResult,
    handler: async ({ tx, tenantId, actor, params }) =>
      svc.publish(tx, tenantId, actor, params.id, params.versionId),
  });

  // ---- campaigns ------------------------------------------------------------------------------
  r.get({
    url: '/api/learning/campaigns',
    access: P.manage,
    summary: 'Enrolment campaigns with enrolled, started, completed and overdue counts',
    response: Items(C.Campaign),
    handler: async ({ tx, locale }) => ({ items: await svc.listCampaigns(tx, locale) }),
  });
  r.post({
    url: '/api/learning/campaigns',
    access: P.manage,
    summary:
      'Create a campaign: enrols the members of units (with sub-units), holders of roles, or listed people',
    body: C.CreateCampaignInput,
    status: 201,
    response: C.CampaignDetail,
    handler: async ({ tx, tenantId, actor, body, locale }) =>
      svc.createCampaign(tx, tenantId, actor, body, locale),
  });
  r.get({
    url: '/api/learning/campaigns/:id',
    access: P.manage,
    summary: 'A campaign with its learners',
    params: C.IdParam,
    response: C.CampaignDetail,
    handler: async ({ tx, params, locale }) => svc.campaign(tx, params.id, locale),
  });
  r.post({
    url: '/api/learning/campaigns/:id/enrol',
    access: P.manage,
    summary: 'Enrol people who joined the targeted units or roles since (idempotent)',
    params: C.IdParam,
    response: C.EnrolResult,
    handler: async ({ tx, tenantId, actor, params, locale }) =>
      svc.refreshCampaign(tx, tenantId, actor, params.id, locale),
  });

  // ---- reports --------------------------------------------------------------------------------
  r.get({
    url: '/api/learning/reports',
    access: P.reports,
    summary: 'Completion and scores by unit, course and month',
    query: C.ReportQuery,
    response: C.Report,
    handler: async ({ tx, query, locale }) => svc.report(tx, query, locale),
  });
  r.get({
    url: '/api/learning/reports/export',
    access: P.reports,
    summary: 'The report’s learners as XLSX or CSV',
    query: C.ExportQuery,
    handler: async ({ tx, query, locale }) => {
      const { format, ...filter } = query;
      const data = await writeTable({
        sheetName: 'Learning',
        columns: LearningService.EXPORT_COLUMNS,
        rows: await svc.exportRows(tx, filter, locale),
        format,
        rtl: RTL.has(locale),
      });
      return download({
        filename: `learning-report-${svc.now().toISOString().slice(0, 10)}.${format}`,
        mediaType: TABLE_MEDIA_TYPES[format],
        data,
      }) as never;
    },
  });
}
