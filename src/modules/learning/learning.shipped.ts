import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { PLATFORM_TENANT } from '../../platform/audit/audit.ts';
import { withSystem } from '../../platform/db/system.ts';
import type { Kernel } from '../../platform/kernel.ts';
import { parseCourse } from './learning.course.ts';
import { courses, courseVersions } from './learning.schema.ts';

export const COURSES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'courses');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Loads the courses Arusha ships (courses/*.yaml) as tenant-less courses with a published
 * version, like the standards library. Idempotent: a version already loaded is skipped (a
 * changed file with the same version number is logged and ignored); a higher version number
 * adds a published version (learners who started an older one finish it).
 */
export async function loadShippedCourses(k: Kernel, dir = COURSES_DIR): Promise<number> {
  if (!fs.existsSync(dir)) return 0;
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort();
  let loaded = 0;
  await withSystem(k.db, async (tx) => {
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const doc = parseCourse(text);
      const hash = sha256(text);
      let [course] = await tx
        .select()
        .from(courses)
        .where(and(eq(courses.slug, doc.slug), isNull(courses.tenantId)));
      const versions = course
        ? await tx
            .select()
            .from(courseVersions)
            .where(eq(courseVersions.courseId, course.id))
            .orderBy(desc(courseVersions.number))
        : [];
      const same = versions.find((v) => v.number === doc.version);
      if (same) {
        if (same.sha256 !== hash)
          k.log.warn(
            { file: f, version: doc.version },
            'shipped course changed without a new version number; keeping the loaded one',
          );
        continue;
      }
      if (versions[0] && versions[0].number > doc.version) continue;
      if (!course)
        [course] = await tx
          .insert(courses)
          .values({ tenantId: null, slug: doc.slug, title: doc.title, summary: doc.summary })
          .returning();
      else
        await tx
          .update(courses)
          .set({ title: doc.title, summary: doc.summary, updatedAt: new Date() })
          .where(eq(courses.id, course.id));
      const [v] = await tx
        .insert(courseVersions)
        .values({
          tenantId: null,
          courseId: course!.id,
          number: doc.version,
          status: 'published',
          languages: doc.languages,
          content: doc,
          sha256: hash,
          publishedAt: new Date(),
        })
        .returning();
      await k.audit.record(tx, PLATFORM_TENANT, {
        actorId: null,
        action: 'learning.course.loaded',
        entityType: 'course_version',
        entityId: v!.id,
        data: { slug: doc.slug, version: doc.version, sha256: hash },
      });
      loaded++;
    }
  });
  return loaded;
}
