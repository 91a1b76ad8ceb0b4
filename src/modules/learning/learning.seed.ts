import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { BUILT_IN_ROLES } from '../../platform/access/permissions.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { type TenantTx, withTenant } from '../../platform/db/tenant.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { IdentityService } from '../identity/index.ts';
import { CertificatesService } from './learning.certificates.ts';
import type { CourseDocument } from './learning.course.ts';
import { P } from './learning.permissions.ts';
import * as q from './learning.queries.ts';
import { enrolments, quizAttempts } from './learning.schema.ts';
import { drawQuestions } from './learning.scoring.ts';
import { LearningService } from './learning.service.ts';

const SLUG = 'integrity-in-customs';
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

/**
 * Norland: the campaign "Integrity in Customs 2026" for Internal Affairs and the Northern
 * Region (or every member, when nobody works in those units), due in 30 days; a few learners
 * have completed it (with passed quizzes and a certificate), one is half-way. The Southern
 * Region (staff@norland.demo, Lindi Inland Container Depot) is left for an officer to enrol.
 * Idempotent.
 */
export async function seedDemo(k: Kernel): Promise<void> {
  const org = (await new IdentityService(k).listAllOrganisations()).find((o) => o.shortName === 'Norland');
  if (!org) return;
  await withTenant(k.db, { tenantId: org.id, userId: null }, async (tx) => {
    if ((await q.listCampaigns(tx)).length > 0) return;
    const course = (await q.courseBySlug(tx, SLUG)).find((c) => c.tenantId === null);
    const version = course ? await q.latestPublished(tx, course.id) : undefined;
    if (!course || !version) {
      k.log.warn('learning demo: the shipped course is not loaded; nothing seeded');
      return;
    }
    const people = await q.members(tx);
    const officer =
      people.find((p) => p.email === 'integrity@norland.demo') ??
      people.find((p) => p.roles.includes('integrity_officer'));
    if (!officer) return;
    const actor = { userId: officer.userId, permissions: new Set(Object.values(P)) } as unknown as Actor;
    const svc = new LearningService(k, () => day(-21));
    const units = (await q.units(tx))
      .filter((u) => u.name === 'Internal Affairs' || u.name === 'Northern Region')
      .map((u) => u.id);
    const byUnit = units.length ? await svc.resolveTargets(tx, 'units', units) : [];
    const due = day(30).toISOString().slice(0, 10);
    await svc.createCampaign(
      tx,
      org.id,
      actor,
      byUnit.length
        ? {
            courseId: course.id,
            title: 'Integrity in Customs 2026',
            targetKind: 'units',
            targets: units,
            dueDate: due,
          }
        : {
            courseId: course.id,
            title: 'Integrity in Customs 2026',
            targetKind: 'roles',
            targets: BUILT_IN_ROLES.filter((r) => r !== 'platform_admin' && r !== 'donor_viewer'),
            dueDate: due,
          },
      'en',
    );
    const doc = version.content as CourseDocument;
    const done: [string, number, number][] = [
      ['integrity@norland.demo', 0.94, -12],
      ['executive@norland.demo', 0.86, -6],
      ['analyst@norland.demo', 0.8, -2],
    ];
    for (const [email, score, when] of done) {
      const p = people.find((x) => x.email === email);
      const e = p && (await q.findEnrolmentFor(tx, p.userId, course.id));
      if (e) await complete(k, tx, org.id, e, version.id, doc, score, day(when));
    }
    const enrolmentOf = async (email: string) => {
      const p = people.find((x) => x.email === email);
      return p ? q.findEnrolmentFor(tx, p.userId, course.id) : undefined;
    };
    const half = (await enrolmentOf('cases@norland.demo')) ?? (await enrolmentOf('staff@norland.demo'));
    if (half) {
      const lessons = doc.modules.slice(0, 2).flatMap((m) => m.lessons.map((l) => l.id));
      await tx
        .update(enrolments)
        .set({
          courseVersionId: version.id,
          status: 'in_progress',
          startedAt: day(-5),
          progress: { lessons },
        })
        .where(eq(enrolments.id, half.id));
    }
  });
}

async function complete(
  k: Kernel,
  tx: TenantTx,
  tenantId: string,
  e: q.EnrolmentRow,
  versionId: string,
  doc: CourseDocument,
  score: number,
  at: Date,
) {
  const quizzes: Record<string, { best: number; passed: boolean; attempts: number }> = {};
  for (const m of doc.modules) {
    if (!m.quiz) continue;
    const seed = randomBytes(16).toString('hex');
    await tx.insert(quizAttempts).values({
      tenantId,
      enrolmentId: e.id,
      moduleId: m.id,
      attempt: 1,
      seed,
      questionIds: drawQuestions(m.quiz, seed),
      answers: {},
      score,
      passed: true,
      startedAt: at,
      submittedAt: at,
    });
    quizzes[m.id] = { best: score, passed: true, attempts: 1 };
  }
  await tx
    .update(enrolments)
    .set({
      courseVersionId: versionId,
      status: 'completed',
      startedAt: new Date(at.getTime() - 3 * 86_400_000),
      completedAt: at,
      score,
      progress: { lessons: doc.modules.flatMap((m) => m.lessons.map((l) => l.id)), quizzes },
    })
    .where(eq(enrolments.id, e.id));
  try {
    await tx.transaction(async (sp) => new CertificatesService(k).issue(sp as TenantTx, tenantId, e.id));
  } catch (err) {
    k.log.warn({ err }, 'learning demo: certificate not issued');
  }
}
