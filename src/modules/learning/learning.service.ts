import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { updateVersioned } from '../../platform/db/versioned.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Locale } from '../../platform/i18n/i18n.ts';
import type { Kernel } from '../../platform/kernel.ts';
import type { TableColumn, TableRow } from '../../platform/tables/tables.ts';
import { CertificatesService } from './learning.certificates.ts';
import type * as C from './learning.contract.ts';
import {
  type CourseDocument,
  type CourseModule,
  courseLanguage,
  parseCourse,
  pick,
  type Question,
  renderLesson,
} from './learning.course.ts';
import { P } from './learning.permissions.ts';
import * as q from './learning.queries.ts';
import { courses, courseVersions, enrolmentCampaigns, enrolments, quizAttempts } from './learning.schema.ts';
import {
  type Answer,
  AnswerError,
  courseScore,
  drawQuestions,
  present,
  scoreAttempt,
} from './learning.scoring.ts';
import { sha256 } from './learning.shipped.ts';
import { addDays, isoDay } from '../../platform/dates.ts';
import { unitSubtree } from '../identity/index.ts';

/** Days before the due date when the "due soon" reminder goes out. */
export const DUE_SOON_DAYS = 7;
/** A quiz submitted this long after its deadline is still accepted (network, clock skew). */
export const DEADLINE_GRACE_MS = 30_000;

export interface Progress {
  lessons?: string[];
  quizzes?: Record<string, { best: number; passed: boolean; attempts: number }>;
  [k: string]: unknown;
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const docOf = (v: q.VersionRow) => v.content as CourseDocument;
const lessonsOf = (doc: CourseDocument) => doc.modules.flatMap((m) => m.lessons);

/** Share (0–100) of lessons done and quizzes passed, of all lessons and quizzes. */
export function percentOf(doc: CourseDocument | null, progress: Progress, status: string): number {
  if (status === 'completed') return 100;
  // A SCORM version has no modules: open is 0 % (the package reports no finer progress).
  if (!doc?.modules) return 0;
  const lessons = lessonsOf(doc).map((l) => l.id);
  const quizzes = doc.modules.filter((m) => m.quiz).map((m) => m.id);
  const total = lessons.length + quizzes.length;
  if (!total) return 0;
  const done =
    lessons.filter((l) => progress.lessons?.includes(l)).length +
    quizzes.filter((m) => progress.quizzes?.[m]?.passed).length;
  return Math.round((done / total) * 100);
}

/** All lessons done and every quiz passed. */
export function isComplete(doc: CourseDocument, progress: Progress): boolean {
  return (
    lessonsOf(doc).every((l) => progress.lessons?.includes(l.id)) &&
    doc.modules.filter((m) => m.quiz).every((m) => progress.quizzes?.[m.id]?.passed)
  );
}

export class LearningService {
  constructor(
    private readonly k: Kernel,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  now() {
    return this.clock();
  }

  // ---- catalogue and outline ----------------------------------------------------------------

  async catalogue(tx: TenantTx, actor: Actor, locale: Locale): Promise<C.CourseListItem[]> {
    const list = await q.listCourses(tx);
    const versions = await q.versionsOf(
      tx,
      list.map((c) => c.id),
    );
    const mine = new Map((await q.enrolmentsOfUser(tx, actor.userId)).map((e) => [e.courseId, e]));
    const manage = actor.permissions.has(P.manage);
    return list
      .map((c) => this.listItem(c, versions, mine.get(c.id) ?? null, manage, locale))
      .filter((c) => c.publishedVersion !== null || (manage && !c.shipped));
  }

  private listItem(
    c: q.CourseRow,
    allVersions: q.VersionRow[],
    enrolment: q.EnrolmentRow | null,
    manage: boolean,
    locale: Locale,
  ): C.CourseListItem {
    const versions = allVersions.filter((v) => v.courseId === c.id).sort((a, b) => b.number - a.number);
    const published = versions.find((v) => v.status === 'published');
    const shownDoc = published ? docOf(published) : versions[0] ? docOf(versions[0]) : null;
    const pinned = enrolment?.courseVersionId
      ? versions.find((v) => v.id === enrolment.courseVersionId)
      : null;
    const langs = shownDoc?.languages ?? ['en'];
    const lang = courseLanguage(locale, langs);
    return {
      id: c.id,
      slug: c.slug,
      kind: c.kind,
      title: pick(c.title, lang, langs),
      summary: pick(c.summary, lang, langs),
      shipped: c.tenantId === null,
      minutes: shownDoc?.modules ? lessonsOf(shownDoc).reduce((s, l) => s + l.minutes, 0) : null,
      lessonCount: shownDoc?.modules ? lessonsOf(shownDoc).length : null,
      publishedVersion: published?.number ?? null,
      versions: versions
        .filter((v) => manage || v.status === 'published')
        .map((v) => ({ id: v.id, number: v.number, status: v.status, createdAt: v.createdAt.toISOString() })),
      enrolment: enrolment
        ? {
            id: enrolment.id,
            status: enrolment.status,
            percent: percentOf(
              pinned ? docOf(pinned) : shownDoc,
              enrolment.progress as Progress,
              enrolment.status,
            ),
          }
        : null,
      selfEnrol: !!published && !enrolment,
      certificate: shownDoc?.certificate !== false,
      version: c.version,
    };
  }

  async course(
    tx: TenantTx,
    actor: Actor,
    id: string,
    locale: Locale,
    versionId?: string,
  ): Promise<z.infer<typeof C.CourseDetail>> {
    const c = await q.findCourse(tx, id);
    if (!c || c.archived) throw notFound('course');
    const versions = await q.versionsOf(tx, [c.id]);
    const manage = actor.permissions.has(P.manage);
    const enrolment = (await q.findEnrolmentFor(tx, actor.userId, c.id)) ?? null;
    let v: q.VersionRow | undefined;
    if (versionId) {
      v = versions.find((x) => x.id === versionId && (manage || x.status === 'published'));
      if (!v) throw notFound('course version');
    } else if (enrolment?.courseVersionId) v = versions.find((x) => x.id === enrolment.courseVersionId);
    v ??= versions.find((x) => x.status === 'published');
    if (!v && !manage) throw notFound('course');
    const item = this.listItem(c, versions, enrolment, manage, locale);
    const doc = v ? docOf(v) : null;
    const langs = doc?.languages ?? ['en'];
    const lang = courseLanguage(locale, langs);
    const attempts = enrolment ? await q.attemptsOf(tx, enrolment.id) : [];
    return {
      ...item,
      languages: langs,
      outlineVersion: v ? { id: v.id, number: v.number, status: v.status } : null,
      modules: doc?.modules
        ? this.outline(
            doc,
            lang,
            (enrolment?.progress as Progress) ?? {},
            enrolment?.courseVersionId === v?.id ? attempts : [],
          )
        : [],
    };
  }

  private outline(doc: CourseDocument, lang: string, progress: Progress, attempts: q.AttemptRow[]) {
    const langs = doc.languages;
    return doc.modules.map((m) => {
      const mine = attempts.filter((a) => a.moduleId === m.id && a.submittedAt);
      const scores = mine.map((a) => a.score ?? 0);
      return {
        id: m.id,
        title: pick(m.title, lang, langs),
        lessons: m.lessons.map((l) => ({
          id: l.id,
          title: pick(l.title, lang, langs),
          minutes: l.minutes,
          done: !!progress.lessons?.includes(l.id),
        })),
        quiz: m.quiz
          ? {
              draw: m.quiz.draw,
              passMark: m.quiz.pass_mark,
              attempts: m.quiz.attempts,
              timeLimitMinutes: m.quiz.time_limit_minutes ?? null,
              attemptsUsed: attempts.filter((a) => a.moduleId === m.id).length,
              bestScore: scores.length ? Math.max(...scores) : null,
              passed: mine.some((a) => a.passed),
            }
          : null,
      };
    });
  }

  // ---- enrolments -----------------------------------------------------------------------------

  private async views(tx: TenantTx, list: q.EnrolmentRow[], locale: Locale): Promise<C.Enrolment[]> {
    const courseIds = [...new Set(list.map((e) => e.courseId))];
    const allCourses = new Map((await q.listCourses(tx)).map((c) => [c.id, c]));
    for (const id of courseIds)
      if (!allCourses.has(id)) {
        const c = await q.findCourse(tx, id);
        if (c) allCourses.set(id, c);
      }
    const versions = await q.versionsOf(tx, courseIds);
    const certs = await q.certificateIds(
      tx,
      list.map((e) => e.id),
    );
    return list.map((e) => {
      const c = allCourses.get(e.courseId)!;
      const v =
        versions.find((x) => x.id === e.courseVersionId) ??
        versions.find((x) => x.courseId === e.courseId && x.status === 'published');
      const doc = v ? docOf(v) : null;
      const langs = doc?.languages ?? ['en'];
      return {
        id: e.id,
        courseId: e.courseId,
        courseSlug: c?.slug ?? '',
        courseTitle: pick(c?.title, courseLanguage(locale, langs), langs),
        kind: c?.kind ?? 'native',
        status: e.status,
        percent: doc?.modules
          ? percentOf(doc, e.progress as Progress, e.status)
          : e.status === 'completed'
            ? 100
            : 0,
        dueDate: e.dueDate,
        startedAt: iso(e.startedAt),
        completedAt: iso(e.completedAt),
        score: e.score,
        certificateId: certs.get(e.id) ?? null,
        campaignId: e.campaignId,
        courseVersionId: e.courseVersionId,
        version: e.version,
      };
    });
  }

  async enrolmentView(tx: TenantTx, e: q.EnrolmentRow, locale: Locale): Promise<C.Enrolment> {
    return (await this.views(tx, [e], locale))[0]!;
  }

  async myEnrolments(tx: TenantTx, actor: Actor, locale: Locale): Promise<C.Enrolment[]> {
    return this.views(tx, await q.enrolmentsOfUser(tx, actor.userId), locale);
  }

  /** The caller's own enrolment; anyone else's (or another tenant's) is not found. */
  async ownEnrolment(tx: TenantTx, actor: Actor, id: string): Promise<q.EnrolmentRow> {
    const e = await q.findEnrolment(tx, id);
    if (!e || e.userId !== actor.userId) throw notFound('enrolment');
    return e;
  }

  /** A learner enrols in a published course (shipped or the organisation's own); idempotent. */
  async enrolSelf(tx: TenantTx, tenantId: string, actor: Actor, courseId: string, locale: Locale) {
    const c = await q.findCourse(tx, courseId);
    if (!c || c.archived) throw notFound('course');
    if (!(await q.latestPublished(tx, c.id)))
      throw new AppError('CONFLICT', 'This course has no published version yet');
    const existing = await q.findEnrolmentFor(tx, actor.userId, c.id);
    if (existing) return this.enrolmentView(tx, existing, locale);
    const [e] = await tx
      .insert(enrolments)
      .values({ tenantId, userId: actor.userId, courseId: c.id, orgUnitId: await q.unitOf(tx, actor.userId) })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'learning.enrolment.created', 'enrolment', e!.id, {
      courseId: c.id,
      self: true,
    });
    return this.enrolmentView(tx, e!, locale);
  }

  /** Pins the latest published version on the first start; afterwards returns the player. */
  async start(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    let e = await this.ownEnrolment(tx, actor, id);
    if (!e.courseVersionId) {
      const v = await q.latestPublished(tx, e.courseId);
      if (!v) throw new AppError('CONFLICT', 'This course has no published version yet');
      e = await updateVersioned(tx, enrolments, e.id, e.version, {
        courseVersionId: v.id,
        status: e.status === 'completed' ? 'completed' : 'in_progress',
        startedAt: this.now(),
      });
      await this.audit(tx, tenantId, actor.userId, 'learning.enrolment.started', 'enrolment', e.id, {
        versionId: v.id,
        number: v.number,
      });
    }
    const v = (await q.findVersion(tx, e.courseVersionId!))!;
    const doc = docOf(v);
    if (!doc.modules)
      throw new AppError('CONFLICT', 'This course is a SCORM package: open it in the SCORM player');
    const lang = courseLanguage(locale, doc.languages);
    return {
      enrolment: await this.enrolmentView(tx, e, locale),
      versionNumber: v.number,
      language: lang,
      modules: this.outline(doc, lang, e.progress as Progress, await q.attemptsOf(tx, e.id)),
    };
  }

  private async pinned(tx: TenantTx, e: q.EnrolmentRow) {
    if (!e.courseVersionId) throw new AppError('CONFLICT', 'Start the course first');
    const v = await q.findVersion(tx, e.courseVersionId);
    if (!v) throw notFound('course version');
    const doc = docOf(v);
    if (!doc.modules) throw new AppError('CONFLICT', 'This course is a SCORM package');
    return { v, doc };
  }

  private static lessonCache = new Map<string, string>();
  private html(versionId: string, lessonId: string, lang: string, md: string) {
    const key = `${versionId}:${lessonId}:${lang}`;
    let html = LearningService.lessonCache.get(key);
    if (html === undefined) {
      html = renderLesson(md);
      if (LearningService.lessonCache.size > 500) LearningService.lessonCache.clear();
      LearningService.lessonCache.set(key, html);
    }
    return html;
  }

  async lesson(tx: TenantTx, actor: Actor, id: string, lessonId: string, locale: Locale) {
    const e = await this.ownEnrolment(tx, actor, id);
    const { v, doc } = await this.pinned(tx, e);
    const all = doc.modules.flatMap((m) => m.lessons.map((l) => ({ m, l })));
    const i = all.findIndex((x) => x.l.id === lessonId);
    if (i < 0) throw notFound('lesson');
    const { m, l } = all[i]!;
    const lang = courseLanguage(locale, doc.languages);
    return {
      id: l.id,
      moduleId: m.id,
      title: pick(l.title, lang, doc.languages),
      minutes: l.minutes,
      language: lang,
      html: this.html(v.id, l.id, lang, pick(l.body, lang, doc.languages)),
      done: !!(e.progress as Progress).lessons?.includes(l.id),
      previous: all[i - 1]?.l.id ?? null,
      next: all[i + 1]?.l.id ?? null,
    };
  }

  async lessonDone(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    lessonId: string,
    locale: Locale,
  ) {
    let e = await this.ownEnrolment(tx, actor, id);
    const { doc } = await this.pinned(tx, e);
    if (!lessonsOf(doc).some((l) => l.id === lessonId)) throw notFound('lesson');
    const progress = e.progress as Progress;
    if (!progress.lessons?.includes(lessonId)) {
      const next: Progress = { ...progress, lessons: [...(progress.lessons ?? []), lessonId] };
      e = await updateVersioned(tx, enrolments, e.id, e.version, { progress: next });
      await this.audit(tx, tenantId, actor.userId, 'learning.lesson.done', 'enrolment', e.id, { lessonId });
      e = await this.maybeComplete(tx, tenantId, actor.userId, e, doc);
    }
    return this.enrolmentView(tx, e, locale);
  }

  // ---- quizzes --------------------------------------------------------------------------------

  private quizOf(
    doc: CourseDocument,
    moduleId: string,
  ): { m: CourseModule; quiz: NonNullable<CourseModule['quiz']> } {
    const m = doc.modules.find((x) => x.id === moduleId);
    if (!m?.quiz) throw notFound('quiz');
    return { m, quiz: m.quiz };
  }

  private attemptView(
    a: q.AttemptRow,
    doc: CourseDocument,
    quiz: NonNullable<CourseModule['quiz']>,
    locale: Locale,
  ) {
    const langs = doc.languages;
    const lang = courseLanguage(locale, langs);
    const tr = (t: Record<string, string>) => pick(t, lang, langs);
    return {
      id: a.id,
      enrolmentId: a.enrolmentId,
      moduleId: a.moduleId,
      attempt: a.attempt,
      attemptsAllowed: quiz.attempts,
      startedAt: a.startedAt.toISOString(),
      deadline: iso(a.deadline),
      questions: a.questionIds.map((id) => {
        const question = quiz.questions.find((x) => x.id === id)!;
        const shown = present(question, a.seed);
        const base = { id, type: question.type, prompt: tr(question.prompt) };
        switch (question.type) {
          case 'single':
          case 'multiple':
            return {
              ...base,
              options: shown.options!.map((o) => ({
                id: o,
                text: tr(question.options.find((x) => x.id === o)!.text),
              })),
            };
          case 'matching':
            return {
              ...base,
              lefts: question.pairs.map((p) => ({ id: p.id, text: tr(p.left) })),
              rights: shown.rights!.map((p, k) => ({
                id: `r${k + 1}`,
                text: tr(question.pairs.find((x) => x.id === p)!.right),
              })),
            };
          case 'ordering':
            return {
              ...base,
              items: shown.items!.map((it, k) => ({
                id: `i${k + 1}`,
                text: tr(question.items.find((x) => x.id === it)!.text),
              })),
            };
          default:
            return base;
        }
      }),
    };
  }

  /**
   * A new attempt of a module's quiz: `draw` questions of the bank in a seeded random order.
   * An open attempt (not submitted, not past its deadline) is returned again rather than
   * spending another. Attempt limit reached → 409.
   */
  async startAttempt(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    id: string,
    moduleId: string,
    locale: Locale,
  ) {
    const e = await this.ownEnrolment(tx, actor, id);
    const { doc } = await this.pinned(tx, e);
    const { quiz } = this.quizOf(doc, moduleId);
    const now = this.now();
    const previous = await q.attemptsOf(tx, e.id, moduleId);
    const open = previous.find(
      (a) => !a.submittedAt && (!a.deadline || a.deadline.getTime() + DEADLINE_GRACE_MS > now.getTime()),
    );
    if (open) return this.attemptView(open, doc, quiz, locale);
    if (quiz.attempts > 0 && previous.length >= quiz.attempts)
      throw new AppError('CONFLICT', `The ${quiz.attempts} attempt(s) allowed for this quiz are used`);
    const seed = randomBytes(16).toString('hex');
    const [a] = await tx
      .insert(quizAttempts)
      .values({
        tenantId,
        enrolmentId: e.id,
        moduleId,
        attempt: previous.length + 1,
        seed,
        questionIds: drawQuestions(quiz, seed),
        startedAt: now,
        deadline: quiz.time_limit_minutes ? new Date(now.getTime() + quiz.time_limit_minutes * 60_000) : null,
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'learning.attempt.started', 'quiz_attempt', a!.id, {
      enrolmentId: e.id,
      moduleId,
      attempt: a!.attempt,
    });
    return this.attemptView(a!, doc, quiz, locale);
  }

  /**
   * Scores an attempt. Answers are checked against the drawn questions first: an answer to a
   * question not drawn, or of the wrong shape, or naming an option the question lacks → 400
   * and nothing is stored. Submitted after the deadline (+30 s grace) → recorded as 0, failed,
   * `late: true` (the attempt counts). Already submitted → 409.
   */
  async submit(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    attemptId: string,
    answers: Record<string, Answer>,
    locale: Locale,
  ): Promise<z.infer<typeof C.AttemptResult>> {
    const a = await q.findAttempt(tx, attemptId);
    if (!a) throw notFound('attempt');
    let e = await this.ownEnrolment(tx, actor, a.enrolmentId).catch(() => {
      throw notFound('attempt');
    });
    const { doc } = await this.pinned(tx, e);
    const { quiz } = this.quizOf(doc, a.moduleId);
    let result: ReturnType<typeof scoreAttempt>;
    try {
      result = scoreAttempt(quiz, a.questionIds, answers, a.seed);
    } catch (err) {
      if (err instanceof AnswerError)
        throw new AppError('BAD_REQUEST', err.message, [{ path: 'answers', message: err.message }]);
      throw err;
    }
    if (a.submittedAt) throw new AppError('CONFLICT', 'This attempt is already submitted');
    const now = this.now();
    const late = !!a.deadline && now.getTime() > a.deadline.getTime() + DEADLINE_GRACE_MS;
    const score = late ? 0 : result.score;
    const passed = late ? false : result.passed;
    const updated = await tx
      .update(quizAttempts)
      .set({ answers, score, passed, submittedAt: now })
      .where(and(eq(quizAttempts.id, a.id), sql`${quizAttempts.submittedAt} is null`))
      .returning({ id: quizAttempts.id });
    if (updated.length !== 1) throw new AppError('CONFLICT', 'This attempt is already submitted');
    const progress = e.progress as Progress;
    const before = progress.quizzes?.[a.moduleId];
    const next: Progress = {
      ...progress,
      quizzes: {
        ...(progress.quizzes ?? {}),
        [a.moduleId]: {
          best: Math.max(before?.best ?? 0, score),
          passed: !!before?.passed || passed,
          attempts: a.attempt,
        },
      },
    };
    e = await updateVersioned(tx, enrolments, e.id, e.version, { progress: next });
    await this.audit(tx, tenantId, actor.userId, 'learning.attempt.submitted', 'quiz_attempt', a.id, {
      enrolmentId: e.id,
      moduleId: a.moduleId,
      score,
      passed,
      late,
    });
    e = await this.maybeComplete(tx, tenantId, actor.userId, e, doc);
    const lang = courseLanguage(locale, doc.languages);
    const tr = (t: Record<string, string> | undefined) => (t ? pick(t, lang, doc.languages) : null);
    return {
      id: a.id,
      score,
      passed,
      passMark: quiz.pass_mark,
      late,
      attemptsLeft: quiz.attempts === 0 ? null : Math.max(0, quiz.attempts - a.attempt),
      questions: a.questionIds.map((id) => {
        const question = quiz.questions.find((x) => x.id === id) as Question;
        const points = late ? 0 : (result.points[id] ?? 0);
        const ans = answers[id];
        const chosenIds = !ans ? [] : 'choice' in ans ? [ans.choice] : 'choices' in ans ? ans.choices : [];
        const options = question.type === 'single' || question.type === 'multiple' ? question.options : [];
        return {
          id,
          points,
          correct: points >= 1,
          feedback: tr(question.feedback),
          chosen: chosenIds.map((c) => ({ id: c, feedback: tr(options.find((o) => o.id === c)?.feedback) })),
        };
      }),
      enrolment: await this.enrolmentView(tx, e, locale),
    };
  }

  /** All lessons done and every quiz passed → completed, score = mean of best quiz scores, certificate. */
  private async maybeComplete(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    e: q.EnrolmentRow,
    doc: CourseDocument,
  ): Promise<q.EnrolmentRow> {
    if (e.status === 'completed') return e;
    const progress = e.progress as Progress;
    if (!isComplete(doc, progress)) return e;
    const best = doc.modules.filter((m) => m.quiz).map((m) => progress.quizzes?.[m.id]?.best ?? 0);
    const done = await updateVersioned(tx, enrolments, e.id, e.version, {
      status: 'completed',
      completedAt: this.now(),
      score: courseScore(best),
    });
    await this.audit(tx, tenantId, actorId, 'learning.enrolment.completed', 'enrolment', e.id, {
      score: done.score,
    });
    await this.onCompleted(tx, tenantId, done, doc);
    return done;
  }

  /**
   * Extension point on completion: issues the certificate (learning.certificates.ts) when the
   * course version asks for one. Runs in a savepoint: a certificate that cannot be issued
   * (e.g. no signing key) is logged and does not undo the completion; it can be issued later.
   */
  async onCompleted(tx: TenantTx, tenantId: string, e: q.EnrolmentRow, doc: CourseDocument): Promise<void> {
    if (doc.certificate === false) return;
    try {
      await tx.transaction(async (sp) =>
        new CertificatesService(this.k).issue(sp as TenantTx, tenantId, e.id),
      );
    } catch (err) {
      this.k.log.warn({ err, enrolmentId: e.id }, 'certificate not issued on completion');
    }
  }

  // ---- courses (management) -------------------------------------------------------------------

  /**
   * Uploads a course document: a new slug makes a new course; a known slug of the
   * organisation's own course adds a draft version (its number must be higher). The slug of
   * a shipped course is refused (409). 422 lists every problem of the document.
   */
  async uploadCourse(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    content: string,
  ): Promise<z.infer<typeof C.UploadResult>> {
    const doc = parseCourse(content);
    const same = await q.courseBySlug(tx, doc.slug);
    if (same.some((c) => c.tenantId === null))
      throw new AppError(
        'CONFLICT',
        `${doc.slug} is the slug of a course shipped with Arusha; choose another`,
        [{ path: 'slug', message: 'reserved by a shipped course' }],
      );
    let course = same.find((c) => c.tenantId === tenantId);
    let created = false;
    if (course) {
      const versions = await q.versionsOf(tx, [course.id]);
      const latest = versions[0];
      if (latest && latest.number >= doc.version)
        throw new AppError(
          latest.number === doc.version ? 'ALREADY_EXISTS' : 'CONFLICT',
          `Version ${latest.number} of ${doc.slug} is already loaded; raise the version number`,
          [{ path: 'version', message: `must be greater than ${latest.number}` }],
        );
    } else {
      [course] = await tx
        .insert(courses)
        .values({ tenantId, slug: doc.slug, title: doc.title, summary: doc.summary })
        .returning();
      created = true;
    }
    const [v] = await tx
      .insert(courseVersions)
      .values({
        tenantId,
        courseId: course!.id,
        number: doc.version,
        status: 'draft',
        languages: doc.languages,
        content: doc,
        sha256: sha256(content),
      })
      .returning();
    await this.audit(tx, tenantId, actor.userId, 'learning.course.uploaded', 'course_version', v!.id, {
      courseId: course!.id,
      slug: doc.slug,
      number: doc.version,
      created,
    });
    return { courseId: course!.id, versionId: v!.id, number: v!.number, status: v!.status, created };
  }

  /** Publishes a draft version of the organisation's own course (older published ones stay for those who started them). */
  async publish(tx: TenantTx, tenantId: string, actor: Actor, courseId: string, versionId: string) {
    const c = await q.findCourse(tx, courseId);
    const v = await q.findVersion(tx, versionId);
    if (!c || !v || v.courseId !== c.id) throw notFound('course version');
    if (c.tenantId === null || v.tenantId === null)
      throw new AppError('CONFLICT', 'Shipped courses are published with Arusha');
    if (v.status !== 'draft')
      throw new AppError('CONFLICT', `Version ${v.number} is ${v.status}, not a draft`);
    const latest = await q.latestPublished(tx, c.id);
    if (latest && latest.number > v.number)
      throw new AppError(
        'CONFLICT',
        `Version ${latest.number} is already published; publish a higher version`,
      );
    const [p] = await tx
      .update(courseVersions)
      .set({ status: 'published', publishedAt: this.now() })
      .where(eq(courseVersions.id, v.id))
      .returning();
    const doc = docOf(v);
    await updateVersioned(tx, courses, c.id, c.version, { title: doc.title, summary: doc.summary });
    await this.audit(tx, tenantId, actor.userId, 'learning.course.published', 'course_version', v.id, {
      courseId: c.id,
      number: v.number,
    });
    return { courseId: c.id, versionId: p!.id, number: p!.number, status: p!.status, created: false };
  }

  // ---- campaigns ------------------------------------------------------------------------------

  /** The people a campaign targets, with their unit (units: with their sub-units). */
  async resolveTargets(tx: TenantTx, kind: 'units' | 'roles' | 'users', targets: string[]) {
    const people = await q.members(tx);
    if (kind === 'roles') {
      const bad = targets.filter((r) => !(BUILT_IN_ROLES as readonly string[]).includes(r));
      if (bad.length)
        throw new AppError('VALIDATION_FAILED', `Unknown role(s): ${bad.join(', ')}`, [
          { path: 'targets', message: `unknown role(s): ${bad.join(', ')}` },
        ]);
      return people.filter((p) => p.roles.some((r) => targets.includes(r)));
    }
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
    if (targets.some((t) => !uuid.test(t)))
      throw new AppError('VALIDATION_FAILED', 'Targets must be ids', [
        { path: 'targets', message: 'expected ids' },
      ]);
    if (kind === 'users') {
      const missing = targets.filter((t) => !people.some((p) => p.userId === t));
      if (missing.length)
        throw new AppError('VALIDATION_FAILED', `Not members of the organisation: ${missing.join(', ')}`, [
          { path: 'targets', message: 'not members of the organisation' },
        ]);
      return people.filter((p) => targets.includes(p.userId));
    }
    const all = await q.units(tx);
    const missing = targets.filter((t) => !all.some((u) => u.id === t));
    if (missing.length)
      throw new AppError('VALIDATION_FAILED', `Unknown unit(s): ${missing.join(', ')}`, [
        { path: 'targets', message: 'unknown unit(s)' },
      ]);
    const within = unitSubtree(all, targets);
    return people.filter((p) => p.unitId && within.has(p.unitId));
  }

  async createCampaign(
    tx: TenantTx,
    tenantId: string,
    actor: Actor,
    input: z.infer<typeof C.CreateCampaignInput>,
    locale: Locale,
  ) {
    const c = await q.findCourse(tx, input.courseId);
    if (!c || c.archived)
      throw new AppError('VALIDATION_FAILED', 'Unknown course', [
        { path: 'courseId', message: 'unknown course' },
      ]);
    if (!(await q.latestPublished(tx, c.id)))
      throw new AppError('CONFLICT', 'This course has no published version yet');
    const people = await this.resolveTargets(tx, input.targetKind, input.targets);
    const [camp] = await tx
      .insert(enrolmentCampaigns)
      .values({
        tenantId,
        courseId: c.id,
        title: input.title,
        targetKind: input.targetKind,
        targets: [...new Set(input.targets)],
        dueDate: input.dueDate ?? null,
        escalate: input.escalate ?? true,
        createdBy: actor.userId,
      })
      .returning();
    const added = await this.enrolPeople(tx, tenantId, camp!, people);
    await this.audit(tx, tenantId, actor.userId, 'learning.campaign.created', 'campaign', camp!.id, {
      courseId: c.id,
      targetKind: input.targetKind,
      targets: camp!.targets,
      dueDate: camp!.dueDate,
      enrolled: added,
    });
    return this.campaign(tx, camp!.id, locale);
  }

  private async enrolPeople(tx: TenantTx, tenantId: string, camp: q.CampaignRow, people: q.Member[]) {
    const added = await q.insertEnrolments(
      tx,
      people.map((p) => ({
        tenantId,
        userId: p.userId,
        courseId: camp.courseId,
        campaignId: camp.id,
        orgUnitId: p.unitId,
        dueDate: camp.dueDate,
      })),
    );
    const attached = await q.attachToCampaign(
      tx,
      camp.courseId,
      people.map((p) => p.userId),
      camp.id,
      camp.dueDate,
    );
    return added + attached.length;
  }

  /**
   * Enrols the campaign's targets again: people who joined a targeted unit or took a targeted
   * role since are added (idempotent; nobody is enrolled twice). Campaigns do not follow the
   * directory on their own.
   */
  async refreshCampaign(tx: TenantTx, tenantId: string, actor: Actor, id: string, locale: Locale) {
    const camp = await q.findCampaign(tx, id);
    if (!camp) throw notFound('campaign');
    const people = await this.resolveTargets(tx, camp.targetKind, camp.targets).catch(() => [] as q.Member[]);
    const added = await this.enrolPeople(tx, tenantId, camp, people);
    await this.audit(tx, tenantId, actor.userId, 'learning.campaign.refreshed', 'campaign', camp.id, {
      added,
    });
    return { campaign: await this.campaignSummary(tx, camp, locale), added };
  }

  private async campaignRows(tx: TenantTx, list: q.CampaignRow[], locale: Locale) {
    const all = await q.enrolmentsOfCampaigns(
      tx,
      list.map((c) => c.id),
    );
    const cs = new Map((await q.listCourses(tx)).map((c) => [c.id, c]));
    const today = isoDay(this.now());
    return list.map((c) => {
      const mine = all.filter((e) => e.campaignId === c.id);
      const course = cs.get(c.courseId);
      return {
        id: c.id,
        title: c.title,
        courseId: c.courseId,
        courseTitle: pick(course?.title, locale, ['en']),
        targetKind: c.targetKind,
        targets: c.targets,
        dueDate: c.dueDate,
        escalate: c.escalate,
        enrolled: mine.length,
        started: mine.filter((e) => e.status !== 'enrolled').length,
        completed: mine.filter((e) => e.status === 'completed').length,
        overdue: mine.filter((e) => e.status !== 'completed' && e.dueDate && e.dueDate < today).length,
        createdBy: c.createdBy,
        createdAt: c.createdAt.toISOString(),
        version: c.version,
      };
    });
  }

  private async campaignSummary(tx: TenantTx, c: q.CampaignRow, locale: Locale) {
    return (await this.campaignRows(tx, [c], locale))[0]!;
  }

  async listCampaigns(tx: TenantTx, locale: Locale) {
    return this.campaignRows(tx, await q.listCampaigns(tx), locale);
  }

  async campaign(tx: TenantTx, id: string, locale: Locale): Promise<z.infer<typeof C.CampaignDetail>> {
    const c = await q.findCampaign(tx, id);
    if (!c) throw notFound('campaign');
    const summary = await this.campaignSummary(tx, c, locale);
    const list = await q.enrolmentsOfCampaigns(tx, [c.id]);
    const who = await q.names(
      tx,
      list.map((e) => e.userId),
    );
    const unitNames = new Map((await q.units(tx)).map((u) => [u.id, u.name]));
    return {
      ...summary,
      learners: list
        .map((e) => ({
          enrolmentId: e.id,
          userId: e.userId,
          userName: who.get(e.userId) ?? '—',
          unitName: e.orgUnitId ? (unitNames.get(e.orgUnitId) ?? null) : null,
          status: e.status,
          dueDate: e.dueDate,
          completedAt: iso(e.completedAt),
          score: e.score,
        }))
        .sort((a, b) => a.userName.localeCompare(b.userName)),
    };
  }

  // ---- reports --------------------------------------------------------------------------------

  /**
   * Completion and scores. Population: enrolments created on or before `to` (default today),
   * of the course and of the unit with its sub-units (the learner's unit when enrolled), if
   * given. Completed: completed on or before `to`. Overdue: not completed by min(to, today)
   * with an earlier due date. By period: completions per month between `from` (default 12
   * months before `to`) and `to`. Mean score: of completed enrolments that have a score.
   */
  async report(tx: TenantTx, query: z.infer<typeof C.ReportQuery>, locale: Locale): Promise<C.Report> {
    const today = isoDay(this.now());
    const to = query.to ?? today;
    const from = query.from ?? addDays(to, -365);
    if (from > to)
      throw new AppError('VALIDATION_FAILED', 'from is after to', [{ path: 'from', message: 'after to' }]);
    const units = await q.units(tx);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const within = query.unitId ? unitSubtree(units, [query.unitId]) : null;
    if (query.unitId && !unitName.has(query.unitId)) throw notFound('unit');
    const endOfTo = new Date(`${addDays(to, 1)}T00:00:00Z`);
    const population = (await q.allEnrolments(tx, query.courseId)).filter(
      (e) => e.createdAt < endOfTo && (!within || (e.orgUnitId && within.has(e.orgUnitId))),
    );
    // biome-ignore lint/complexity/useMathMinMax: YYYY-MM-DD strings, not numbers (Math.min would give NaN)
    const asOf = to < today ? to : today;
    const done = (e: q.EnrolmentRow) =>
      e.status === 'completed' && !!e.completedAt && e.completedAt < endOfTo;
    const overdue = (e: q.EnrolmentRow) => !done(e) && !!e.dueDate && e.dueDate < asOf;
    const cs = new Map((await q.listCourses(tx)).map((c) => [c.id, c]));
    const row = (id: string | null, name: string, list: q.EnrolmentRow[]) => {
      const completed = list.filter(done);
      const scored = completed.filter((e) => e.score !== null);
      return {
        id,
        name,
        enrolled: list.length,
        completed: completed.length,
        overdue: list.filter(overdue).length,
        completionRate: list.length ? completed.length / list.length : 0,
        meanScore: scored.length ? scored.reduce((s, e) => s + e.score!, 0) / scored.length : null,
      };
    };
    const group = (key: (e: q.EnrolmentRow) => string | null) => {
      const m = new Map<string | null, q.EnrolmentRow[]>();
      for (const e of population) m.set(key(e), [...(m.get(key(e)) ?? []), e]);
      return m;
    };
    const byUnit = [...group((e) => e.orgUnitId)].map(([id, list]) =>
      row(id, id ? (unitName.get(id) ?? '—') : '—', list),
    );
    const byCourse = [...group((e) => e.courseId)].map(([id, list]) =>
      row(id, pick(cs.get(id!)?.title, locale, ['en']), list),
    );
    const months: string[] = [];
    for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
      months.push(m);
      const [y, mo] = m.split('-').map(Number) as [number, number];
      m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
    }
    const fromTime = new Date(`${from}T00:00:00Z`);
    const completedIn = population.filter((e) => done(e) && e.completedAt! >= fromTime);
    const byPeriod = months.map((p) => ({
      period: p,
      completed: completedIn.filter((e) => e.completedAt!.toISOString().startsWith(p)).length,
    }));
    const scores = population.filter((e) => done(e) && e.score !== null).map((e) => e.score!);
    const scoreDistribution = Array.from({ length: 10 }, (_, i) => ({
      from: i / 10,
      to: (i + 1) / 10,
      count: scores.filter((s) => Math.min(9, Math.floor(s * 10 + 1e-9)) === i).length,
    }));
    const who = await q.names(tx, [...new Set(population.map((e) => e.userId))]);
    const certs = await q.certificateIds(
      tx,
      population.map((e) => e.id),
    );
    return {
      from,
      to,
      totals: (({ id: _i, name: _n, ...t }) => t)(row(null, '', population)),
      byUnit: byUnit.sort((a, b) => a.name.localeCompare(b.name)),
      byCourse: byCourse.sort((a, b) => a.name.localeCompare(b.name)),
      byPeriod,
      scoreDistribution,
      learners: population
        .map((e) => ({
          enrolmentId: e.id,
          userName: who.get(e.userId) ?? '—',
          unitName: e.orgUnitId ? (unitName.get(e.orgUnitId) ?? null) : null,
          courseTitle: pick(cs.get(e.courseId)?.title, locale, ['en']),
          status: done(e)
            ? ('completed' as const)
            : e.status === 'completed'
              ? ('in_progress' as const)
              : e.status,
          dueDate: e.dueDate,
          completedAt: done(e) ? iso(e.completedAt) : null,
          score: done(e) ? e.score : null,
          certificateId: certs.get(e.id) ?? null,
        }))
        .sort((a, b) => a.userName.localeCompare(b.userName)),
    };
  }

  static readonly EXPORT_COLUMNS: TableColumn[] = [
    { key: 'learner', header: 'Learner' },
    { key: 'unit', header: 'Unit' },
    { key: 'course', header: 'Course' },
    { key: 'status', header: 'Status' },
    { key: 'dueDate', header: 'Due date' },
    { key: 'completedAt', header: 'Completed' },
    { key: 'score', header: 'Score (%)' },
    { key: 'certificate', header: 'Certificate' },
  ];

  async exportRows(tx: TenantTx, query: z.infer<typeof C.ReportQuery>, locale: Locale): Promise<TableRow[]> {
    const r = await this.report(tx, query, locale);
    return r.learners.map((l) => ({
      learner: l.userName,
      unit: l.unitName,
      course: l.courseTitle,
      status: l.status,
      dueDate: l.dueDate ? new Date(`${l.dueDate}T00:00:00Z`) : null,
      completedAt: l.completedAt ? new Date(l.completedAt) : null,
      score: l.score === null ? null : Math.round(l.score * 1000) / 10,
      certificate: l.certificateId ? 'yes' : 'no',
    }));
  }

  /** Completion rate of a course (optionally in a unit and its sub-units), for KPIs. */
  async completionRate(tx: TenantTx, courseId: string, unitId?: string) {
    const r = await this.report(tx, { courseId, unitId }, 'en');
    return { enrolled: r.totals.enrolled, completed: r.totals.completed, rate: r.totals.completionRate };
  }

  // ---- reminders ------------------------------------------------------------------------------

  /**
   * Due-soon (within 7 days) and overdue reminders to learners, and, when overdue and the
   * campaign escalates, a notice to the campaign's creator and to the members holding
   * learning.manage in the learner's unit (else anywhere in the organisation). Each once per
   * enrolment, kind and due date (kernel.notify dedupe): a changed due date reminds again.
   * docs/adr/0018-learning-reminders-and-escalation.md
   */
  async sendReminders(tx: TenantTx, tenantId: string, now: Date): Promise<{ sent: number; skipped: number }> {
    const today = isoDay(now);
    const due = await q.openEnrolmentsDueBy(tx, addDays(today, DUE_SOON_DAYS));
    if (!due.length) return { sent: 0, skipped: 0 };
    const people = await q.members(tx);
    const byId = new Map(people.map((p) => [p.userId, p]));
    const managers = people.filter((p) => this.k.permissions.permissionsOf(p.roles).has(P.manage));
    const campaigns = new Map((await q.listCampaigns(tx)).map((c) => [c.id, c]));
    const titles = new Map((await q.listCourses(tx)).map((c) => [c.id, c.title]));
    const orgLocale = await q.defaultLocale(tx);
    // The course title in the recipient's language (their own, else the organisation's, as
    // kernel.notify chooses the language of the message), else the course's first language.
    const courseFor = (userId: string, courseId: string) => {
      const title = titles.get(courseId);
      const lang = byId.get(userId)?.locale ?? orgLocale ?? 'en';
      return pick(title, lang, title?.en ? ['en'] : Object.keys(title ?? {}));
    };
    let sent = 0;
    let skipped = 0;
    const send = async (
      userId: string,
      e: q.EnrolmentRow,
      kind: string,
      vars: Record<string, string>,
      link: string,
    ) => {
      if (!byId.has(userId)) {
        skipped++;
        return;
      }
      const isNew = await this.k.notify.send(tx, {
        tenantId,
        userId,
        kind: `learning.${kind}`,
        messageKey: `learning.notify.${kind}`,
        vars: { ...vars, course: courseFor(userId, e.courseId), dueDate: e.dueDate! },
        link,
        dedupeKey: `enrolment:${e.id}:${kind}:${e.dueDate}`,
        email: true,
      });
      if (isNew) sent++;
      else skipped++;
    };
    for (const e of due) {
      const learner = byId.get(e.userId);
      const overdue = e.dueDate! < today;
      await send(e.userId, e, overdue ? 'overdue' : 'due_soon', {}, `/learning/enrolments/${e.id}`);
      const camp = e.campaignId ? campaigns.get(e.campaignId) : undefined;
      if (!overdue || !camp?.escalate || !learner) continue;
      const inUnit = managers.filter((m) => learner.unitId && m.unitId === learner.unitId);
      const to = new Set([camp.createdBy, ...(inUnit.length ? inUnit : managers).map((m) => m.userId)]);
      to.delete(e.userId);
      for (const u of to)
        await send(
          u,
          e,
          'escalation',
          { learner: learner.name, campaign: camp.title },
          `/learning/campaigns/${camp.id}`,
        );
    }
    return { sent, skipped };
  }

  private audit(
    tx: TenantTx,
    tenantId: string,
    actorId: string | null,
    action: string,
    entityType: string,
    entityId: string,
    data: Record<string, unknown>,
  ) {
    return this.k.audit.record(tx, tenantId, { actorId, action, entityType, entityId, data });
  }
}
