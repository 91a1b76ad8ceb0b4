import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { uuidv7 } from '../../platform/ids.ts';
import type { IsolationFixture } from '../../platform/testing/isolation.ts';
import type { Harness } from '../../platform/testing/harness.ts';
import { CertificatesService } from './learning.certificates.ts';
import { samplePackage } from './learning.scorm.fixture.ts';
import { ScormService } from './learning.scorm.ts';
import { courses, courseVersions, enrolments } from './learning.schema.ts';

/**
 * Isolation fixtures (src/platform/http/routes.test.ts) for the certificates and SCORM routes:
 * a certificate, a SCORM package and a SCORM enrolment of tenant B. Spread into
 * learning.isolation.ts.
 */
export async function certificateAndScormFixtures(h: Harness): Promise<Record<string, IsolationFixture>> {
  const tenantId = h.b.id;
  const userId = h.b.users.staff.id;
  const scope = { tenantId, userId };
  const data = samplePackage('B package');
  const imported = await withTenant(h.kernel.db, scope, (tx) =>
    new ScormService(h.kernel).importPackage(tx, tenantId, { userId } as Actor, {
      filename: 'b.zip',
      type: 'zip',
      mediaType: 'application/zip',
      size: data.length,
      sha256: createHash('sha256').update(data).digest('hex'),
      data,
    }),
  );
  const scormEnrolment = await withTenant(h.kernel.db, scope, async (tx) => {
    const [e] = await tx
      .insert(enrolments)
      .values({ tenantId, userId, courseId: imported.courseId, courseVersionId: imported.versionId })
      .returning();
    return e!.id;
  });
  const certificateId = await withTenant(h.kernel.db, scope, async (tx) => {
    const courseId = uuidv7();
    const versionId = uuidv7();
    await tx
      .insert(courses)
      .values({ id: courseId, tenantId, slug: 'b-cert-course', title: { en: 'B course' } });
    await tx.insert(courseVersions).values({
      id: versionId,
      tenantId,
      courseId,
      number: 1,
      status: 'published',
      languages: ['en'],
      content: { modules: [] },
      sha256: 'b',
      publishedAt: new Date(),
    });
    const [e] = await tx
      .insert(enrolments)
      .values({
        tenantId,
        userId,
        courseId,
        courseVersionId: versionId,
        status: 'completed',
        completedAt: new Date(),
      })
      .returning();
    await new CertificatesService(h.kernel).issue(tx, tenantId, e!.id);
    const r = await tx.execute(sql`select id from certificates where enrolment_id = ${e!.id}`);
    return (r as unknown as { rows: { id: string }[] }).rows[0]!.id;
  });
  return {
    'GET /api/learning/certificates/:id/pdf': { id: certificateId },
    'POST /api/learning/certificates/:id/revoke': {
      id: certificateId,
      payload: { reason: 'revoked from tenant A' },
      unchanged: async () => {
        const [c] = await h.kernel.db.query<{ revoked_at: Date | null }>(
          'select revoked_at from certificates where id = $1',
          [certificateId],
        );
        assert.equal(c!.revoked_at, null, "tenant B's certificate was not revoked");
      },
    },
    'GET /api/learning/scorm/:versionId/files/*': {
      url: `/api/learning/scorm/${imported.versionId}/files/sco/index.html`,
    },
    'GET /api/learning/enrolments/:id/scorm': { id: scormEnrolment },
    'POST /api/learning/enrolments/:id/scorm': {
      id: scormEnrolment,
      payload: { lessonStatus: 'passed', scoreRaw: 100 },
      unchanged: async () => {
        const [e] = await h.kernel.db.query<{ status: string; version: number }>(
          'select status, version from enrolments where id = $1',
          [scormEnrolment],
        );
        assert.deepEqual(e, { status: 'enrolled', version: 1 }, "tenant B's enrolment was not changed");
      },
    },
  };
}
