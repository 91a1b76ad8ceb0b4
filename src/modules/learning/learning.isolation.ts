import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { IsolationFixtures } from '../../platform/testing/isolation.ts';
import { certificateAndScormFixtures } from './learning.certificates.fixtures.ts';
import { fixtureCourse } from './learning.fixture.ts';
import { LearningService } from './learning.service.ts';

/** Tenant B's course, version, campaign, enrolment and attempt: tenant A must not see or touch them. */
export const isolationFixtures: IsolationFixtures = async (h) => {
  const svc = new LearningService(h.kernel);
  const user = h.b.users.integrity_officer;
  const actor = {
    userId: user.id,
    permissions: new Set(['learning.learn', 'learning.manage', 'learning.reports']),
  } as unknown as Actor;
  const b = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: user.id }, async (tx) => {
    const up = await svc.uploadCourse(tx, h.b.id, actor, fixtureCourse('b-isolation-course'));
    const draft = await svc.uploadCourse(tx, h.b.id, actor, fixtureCourse('b-isolation-course', 2));
    await svc.publish(tx, h.b.id, actor, up.courseId, up.versionId);
    const camp = await svc.createCampaign(
      tx,
      h.b.id,
      actor,
      { courseId: up.courseId, title: 'B campaign', targetKind: 'users', targets: [user.id] },
      'en',
    );
    const enrolmentId = camp.learners[0]!.enrolmentId;
    await svc.start(tx, h.b.id, actor, enrolmentId, 'en');
    const attempt = await svc.startAttempt(tx, h.b.id, actor, enrolmentId, 'm1', 'en');
    return {
      courseId: up.courseId,
      draftId: draft.versionId,
      campaignId: camp.id,
      enrolmentId,
      attemptId: attempt.id,
    };
  });
  const row = async (sql: string, id: string) =>
    (await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0]!;
  const enrolmentUnchanged = async () => {
    const e = await row('select version, progress from enrolments where id = $1', b.enrolmentId);
    assert.equal(e.version, 2);
  };
  return {
    ...(await certificateAndScormFixtures(h)),
    'GET /api/learning/courses/:id': { id: b.courseId },
    'POST /api/learning/courses/:id/enrol': {
      id: b.courseId,
      unchanged: async () => {
        const [n] = await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from enrolments where course_id = $1',
          [b.courseId],
        );
        assert.equal(n!.n, 1);
      },
    },
    'POST /api/learning/courses/:id/versions/:versionId/publish': {
      url: `/api/learning/courses/${b.courseId}/versions/${b.draftId}/publish`,
      unchanged: async () =>
        assert.equal(
          (await row('select status from course_versions where id = $1', b.draftId)).status,
          'draft',
        ),
    },
    'POST /api/learning/enrolments/:id/start': { id: b.enrolmentId, unchanged: enrolmentUnchanged },
    'GET /api/learning/enrolments/:id/lessons/:lessonId': {
      url: `/api/learning/enrolments/${b.enrolmentId}/lessons/m1-l1`,
    },
    'POST /api/learning/enrolments/:id/lessons/:lessonId/done': {
      url: `/api/learning/enrolments/${b.enrolmentId}/lessons/m1-l1/done`,
      unchanged: enrolmentUnchanged,
    },
    'POST /api/learning/enrolments/:id/quizzes/:moduleId/attempts': {
      url: `/api/learning/enrolments/${b.enrolmentId}/quizzes/m2/attempts`,
      unchanged: async () => {
        const [n] = await h.kernel.db.query<{ n: number }>(
          'select count(*)::int as n from quiz_attempts where enrolment_id = $1',
          [b.enrolmentId],
        );
        assert.equal(n!.n, 1);
      },
    },
    'POST /api/learning/attempts/:id/submit': {
      id: b.attemptId,
      payload: { answers: {} },
      unchanged: async () =>
        assert.equal(
          (await row('select submitted_at from quiz_attempts where id = $1', b.attemptId)).submitted_at,
          null,
        ),
    },
    'GET /api/learning/campaigns/:id': { id: b.campaignId },
    'POST /api/learning/campaigns/:id/enrol': { id: b.campaignId },
  };
};
