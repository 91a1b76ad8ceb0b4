import assert from 'node:assert/strict';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import { sampleFile } from '../../platform/testing/files.ts';
import type { Harness } from '../../platform/testing/harness.ts';
import type { IsolationFixture } from '../../platform/testing/isolation.ts';
import { RecordsService } from './programme.records.ts';
import { ResultsService } from './programme.results.ts';
import { ProgrammeService } from './programme.service.ts';

const pdf = (filename: string) => {
  const data = sampleFile('pdf');
  return {
    filename,
    mediaType: 'application/pdf',
    type: 'pdf' as const,
    size: data.length,
    sha256: 'x',
    data,
  };
};

/**
 * Fixtures of programme.records.ts's id-taking routes (loaded by programme.isolation.ts): tenant
 * B's EOI with a file, and the Secretariat's activity with a report, agreement and evaluation.
 */
export async function recordsFixtures(
  h: Harness,
  made: { eoi: string; wco: string; pm: Actor; activity: string; agreement: string; partnership: string },
): Promise<Record<string, IsolationFixture>> {
  const svc = new ProgrammeService(h.kernel);
  const records = new RecordsService(h.kernel, svc);
  const bUser = h.b.users.integrity_officer;
  const bActor = { userId: bUser.id, email: bUser.email } as unknown as Actor;
  const eoiFile = await withTenant(h.kernel.db, { tenantId: h.b.id, userId: bUser.id }, (tx) =>
    records.addEoiFile(tx, h.b.id, bActor, made.eoi, pdf('b.pdf')),
  );
  const { report, evaluation } = await withTenant(
    h.kernel.db,
    { tenantId: made.wco, userId: made.pm.userId },
    async (tx) => ({
      report: await records.addReport(tx, made.wco, made.pm, made.activity, pdf('report.pdf')),
      evaluation: await new ResultsService(h.kernel).addEvaluation(tx, made.wco, made.pm, made.partnership, {
        title: 'E',
        evaluator: 'X',
        evaluatedOn: '2026-06-01',
        criteria: ['relevance', 'coherence', 'effectiveness', 'efficiency', 'impact', 'sustainability'].map(
          (criterion) => ({ criterion, rating: 2, findings: 'f' }) as never,
        ),
      }),
    }),
  );
  const one = async (sql: string, id: string) => ({
    ...(await h.kernel.db.query<Record<string, unknown>>(sql, [id]))[0],
  });
  const still = (table: string, id: string) => async () =>
    assert.deepEqual(await one(`select count(*)::int as n from ${table} where id = $1`, id), { n: 1 });
  const evaluationUnchanged = async () =>
    assert.deepEqual(
      await one('select title, version from programme_evaluations where id = $1', evaluation.id),
      {
        title: 'E',
        version: 1,
      },
    );
  return {
    'GET /api/programme/mine/eois/:id': { id: made.eoi },
    'GET /api/programme/mine/eois/:id/attachments/:fileId': {
      url: `/api/programme/mine/eois/${made.eoi}/attachments/${eoiFile.id}`,
    },
    'GET /api/programme/eois/:id/attachments': { id: made.eoi },
    'GET /api/programme/eois/:id/attachments/:fileId': {
      url: `/api/programme/eois/${made.eoi}/attachments/${eoiFile.id}`,
    },
    'GET /api/programme/activities/:id/reports': { id: made.activity },
    'GET /api/programme/activities/:id/reports/:fileId': {
      url: `/api/programme/activities/${made.activity}/reports/${report.id}`,
    },
    // Tenant A is neither the activity's partner (B is) nor a donor paying for it.
    'GET /api/programme/mine/activities/:id/reports': { id: made.activity },
    'GET /api/programme/mine/activities/:id/reports/:fileId': {
      url: `/api/programme/mine/activities/${made.activity}/reports/${report.id}`,
    },
    'GET /api/programme/donor/activities/:id/reports': { id: made.activity },
    'GET /api/programme/donor/activities/:id/reports/:fileId': {
      url: `/api/programme/donor/activities/${made.activity}/reports/${report.id}`,
    },
    'DELETE /api/programme/activities/:id/reports/:fileId': {
      url: `/api/programme/activities/${made.activity}/reports/${report.id}`,
      unchanged: still('programme_activity_reports', report.id),
    },
    'DELETE /api/programme/activities/:id': {
      url: `/api/programme/activities/${made.activity}?version=1`,
      unchanged: still('programme_activities', made.activity),
    },
    'DELETE /api/programme/agreements/:id': {
      url: `/api/programme/agreements/${made.agreement}?version=1`,
      unchanged: still('programme_agreements', made.agreement),
    },
    'GET /api/programme/evaluations/:id': { id: evaluation.id },
    'PATCH /api/programme/evaluations/:id': {
      id: evaluation.id,
      payload: { version: 1, title: 'renamed by A' },
      unchanged: evaluationUnchanged,
    },
    'DELETE /api/programme/evaluations/:id': {
      url: `/api/programme/evaluations/${evaluation.id}?version=1`,
      unchanged: evaluationUnchanged,
    },
  };
}
