import type { IsolationFixtures } from '../../platform/testing/isolation.ts';

// The report route reads an assessment of tenant B: any id of B's must be "not found".
export const isolationFixtures: IsolationFixtures = async (h) => {
  const [a] = await h.kernel.db.query<{ id: string }>(
    `insert into assessments (id, tenant_id, title, type, framework_library_id, scale_library_id, scale_urn, created_by)
     select gen_random_uuid(), $1, 'B assessment', 'self', l.id, l.id, 'urn:arusha:scale:0-4', $2
       from libraries l where l.urn = 'urn:arusha:library:rad-idg' limit 1 returning id`,
    [h.b.id, h.b.users.org_admin.id],
  );
  return {
    'GET /api/dashboard/reports/assessments/:assessmentId': {
      url: `/api/dashboard/reports/assessments/${a!.id}`,
    },
  };
};
