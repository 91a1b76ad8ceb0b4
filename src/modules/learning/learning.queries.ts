import { and, asc, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { Directory } from '../identity/index.ts';
import {
  certificates,
  courses,
  courseVersions,
  enrolmentCampaigns,
  enrolments,
  quizAttempts,
} from './learning.schema.ts';

// SQL of the learning module, on the tenant handle (RLS: the tenant's rows and the shipped
// tenant-less courses).

export type CourseRow = typeof courses.$inferSelect;
export type VersionRow = typeof courseVersions.$inferSelect;
export type EnrolmentRow = typeof enrolments.$inferSelect;
export type CampaignRow = typeof enrolmentCampaigns.$inferSelect;
export type AttemptRow = typeof quizAttempts.$inferSelect;

export const listCourses = (tx: TenantTx) =>
  tx.select().from(courses).where(eq(courses.archived, false)).orderBy(asc(courses.slug));

export const findCourse = async (tx: TenantTx, id: string) =>
  (await tx.select().from(courses).where(eq(courses.id, id)))[0];

export const courseBySlug = (tx: TenantTx, slug: string) =>
  tx.select().from(courses).where(eq(courses.slug, slug));

export const versionsOf = (tx: TenantTx, courseIds: string[]) =>
  courseIds.length
    ? tx
        .select()
        .from(courseVersions)
        .where(inArray(courseVersions.courseId, courseIds))
        .orderBy(desc(courseVersions.number))
    : Promise.resolve([] as VersionRow[]);

export const findVersion = async (tx: TenantTx, id: string) =>
  (await tx.select().from(courseVersions).where(eq(courseVersions.id, id)))[0];

export const latestPublished = async (tx: TenantTx, courseId: string) =>
  (
    await tx
      .select()
      .from(courseVersions)
      .where(and(eq(courseVersions.courseId, courseId), eq(courseVersions.status, 'published')))
      .orderBy(desc(courseVersions.number))
      .limit(1)
  )[0];

export const enrolmentsOfUser = (tx: TenantTx, userId: string) =>
  tx.select().from(enrolments).where(eq(enrolments.userId, userId)).orderBy(desc(enrolments.createdAt));

export const findEnrolment = async (tx: TenantTx, id: string) =>
  (await tx.select().from(enrolments).where(eq(enrolments.id, id)))[0];

export const findEnrolmentFor = async (tx: TenantTx, userId: string, courseId: string) =>
  (
    await tx
      .select()
      .from(enrolments)
      .where(and(eq(enrolments.userId, userId), eq(enrolments.courseId, courseId)))
  )[0];

export const certificateIds = async (tx: TenantTx, enrolmentIds: string[]) =>
  new Map(
    (enrolmentIds.length
      ? await tx
          .select({ id: certificates.id, enrolmentId: certificates.enrolmentId })
          .from(certificates)
          .where(and(inArray(certificates.enrolmentId, enrolmentIds), isNull(certificates.revokedAt)))
      : []
    ).map((c) => [c.enrolmentId, c.id]),
  );

export const attemptsOf = (tx: TenantTx, enrolmentId: string, moduleId?: string) =>
  tx
    .select()
    .from(quizAttempts)
    .where(
      and(
        eq(quizAttempts.enrolmentId, enrolmentId),
        moduleId ? eq(quizAttempts.moduleId, moduleId) : undefined,
      ),
    )
    .orderBy(asc(quizAttempts.attempt));

export const findAttempt = async (tx: TenantTx, id: string) =>
  (await tx.select().from(quizAttempts).where(eq(quizAttempts.id, id)))[0];

export const listCampaigns = (tx: TenantTx) =>
  tx.select().from(enrolmentCampaigns).orderBy(desc(enrolmentCampaigns.createdAt));

export const findCampaign = async (tx: TenantTx, id: string) =>
  (await tx.select().from(enrolmentCampaigns).where(eq(enrolmentCampaigns.id, id)))[0];

export const enrolmentsOfCampaigns = (tx: TenantTx, campaignIds: string[]) =>
  campaignIds.length
    ? tx.select().from(enrolments).where(inArray(enrolments.campaignId, campaignIds))
    : Promise.resolve([] as EnrolmentRow[]);

/** Open enrolments with a due date on or before `until` (for reminders). */
export const openEnrolmentsDueBy = (tx: TenantTx, until: string) =>
  tx
    .select()
    .from(enrolments)
    .where(and(ne(enrolments.status, 'completed'), sql`${enrolments.dueDate} <= ${until}::date`))
    .orderBy(asc(enrolments.dueDate));

export const allEnrolments = (tx: TenantTx, courseId?: string) =>
  tx
    .select()
    .from(enrolments)
    .where(courseId ? eq(enrolments.courseId, courseId) : undefined);

/** Insert enrolments that do not exist; returns how many were added. */
export async function insertEnrolments(tx: TenantTx, values: (typeof enrolments.$inferInsert)[]) {
  let added = 0;
  for (let i = 0; i < values.length; i += 500) {
    const r = await tx
      .insert(enrolments)
      .values(values.slice(i, i + 500))
      .onConflictDoNothing({ target: [enrolments.tenantId, enrolments.userId, enrolments.courseId] })
      .returning({ id: enrolments.id });
    added += r.length;
  }
  return added;
}

/** Self-enrolments (no campaign) of these people in this course join the campaign and its due date. */
export const attachToCampaign = (
  tx: TenantTx,
  courseId: string,
  userIds: string[],
  campaignId: string,
  dueDate: string | null,
) =>
  userIds.length
    ? tx
        .update(enrolments)
        .set({ campaignId, dueDate, updatedAt: new Date(), version: sql`${enrolments.version} + 1` })
        .where(
          and(
            eq(enrolments.courseId, courseId),
            inArray(enrolments.userId, userIds),
            isNull(enrolments.campaignId),
          ),
        )
        .returning({ id: enrolments.id })
    : Promise.resolve([]);

// ---- the organisation's directory (identity's Directory, tenant-scoped) ---------------------

const directory = new Directory();

export interface Member {
  userId: string;
  name: string;
  email: string;
  roles: string[];
  unitId: string | null;
  /** The member's own language (users.locale), if set. */
  locale: string | null;
}
export interface Unit {
  id: string;
  name: string;
  parentId: string | null;
}

export const members = (tx: TenantTx): Promise<Member[]> => directory.members(tx);
/** The organisation's default language (null: none set). */
export const defaultLocale = async (tx: TenantTx): Promise<string | null> =>
  (await directory.organisation(tx))?.defaultLocale ?? null;
export const units = (tx: TenantTx): Promise<Unit[]> => directory.units(tx);
/** The organisation unit of this member (null: none). */
export const unitOf = (tx: TenantTx, userId: string): Promise<string | null> => directory.unitOf(tx, userId);

/** Names of these people (members of the tenant, disabled accounts included). */
export const names = async (tx: TenantTx, ids: string[]): Promise<Map<string, string>> =>
  new Map([...(await directory.people(tx, ids))].map(([id, p]) => [id, p.name]));
