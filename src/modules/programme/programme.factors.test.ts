import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { AssessmentsApi } from '../assessments/index.ts';
import {
  addDonor,
  addResult,
  EOI,
  type Json,
  ok,
  partnershipOf,
  programmeWorld,
  validatedAssessment,
} from './programme.fixture.ts';

/*
 * Results by RAD factor, by hand. Requests (the fixture's EOI names factor 6):
 *   A's partnership (6), B's partnership (6), B's pending request (2 and 6), A's declined one (2, 9)
 *   → factor 6: 3 requests, factor 2: 1, factor 9: 0 (declined ones do not count).
 * Indicators read from a RAD factor score (s6, s2: A's validated scores, factor 6 rated high):
 *   A · I1 factor 6, increase, baseline s6 − 1, target s6 + 1: moved up from the baseline → on track
 *   A · I2 factor 6, decrease, baseline s6 − 1, target s6 − 2: went up, should fall → not on track
 *   A · I3 factor 2, increase, baseline s2 + 1, target s2 + 2: below its baseline → not on track
 *   A · I4 entered (no link): not by factor
 *   B · I5 factor 6: B shares nothing → counted, no figure
 *   → factor 6: 3 indicators, 2 measured, 1 on track; factor 2: 1, 1, 0.
 */
describe('programme: results by RAD factor', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let analystA: Client;
  let executiveA: Client;
  let adminB: Client;
  let pmA: Client;
  let staffA: Client;
  let donor1: Client;
  const ids = {} as Record<'pA' | 'pB', string>;
  const put = (c: Client, url: string, payload: Json) => c.request({ method: 'PUT', url, payload });
  const byFactor = async (c: Client = sec) =>
    ((await ok(await c.get('/api/programme/results-by-factor'))).items as Json[]).map((i) => [
      i.factor,
      i.requests,
      i.indicators,
      i.measured,
      i.onTrack,
    ]);
  /** Factor n's row in the expected table: [factor, requests, indicators, measured, onTrack]. */
  const table = (rows: Record<number, [number, number, number, number]>) =>
    Array.from({ length: 10 }, (_, k) => [k + 1, ...(rows[k + 1] ?? [0, 0, 0, 0])]);

  /** Factor n's score in A's latest validated assessment, read in tenant A itself. */
  const scoreInA = (n: number) =>
    withTenant(h.kernel.db, { tenantId: h.a.id, userId: null }, async (tx) => {
      const a = await new AssessmentsApi(h.kernel).latestValidated(tx);
      const s = a?.factors.find((f) => f.factor === n)?.score;
      assert.equal(typeof s, 'number', `factor ${n} has a score`);
      return s as number;
    });

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    analystA = await h.as(h.a.users.analyst.email);
    executiveA = await h.as(h.a.users.executive.email);
    adminB = await h.as(h.b.users.org_admin.email);
    pmA = await h.as(h.a.users.programme_manager.email);
    staffA = await h.as(h.a.users.staff.email);
    const world = await programmeWorld(h, 'factors.');
    ({ sec, donor1 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    ids.pA = await partnershipOf(sec, officerA, [d1]);
    ids.pB = await partnershipOf(sec, adminB, [d1]);
    const eoi = (c: Client, factors: number[]) =>
      c.post('/api/programme/eois', { ...EOI, priorities: factors.map((factor) => ({ factor, note: '' })) });
    await ok(await eoi(adminB, [2, 6]), 201);
    const declined = (await ok(await eoi(officerA, [2, 9]), 201)).id;
    await ok(
      await sec.post(`/api/programme/eois/${declined}/transition`, {
        version: 1,
        to: 'declined',
        reason: 'Out of scope',
        decidedOn: '2026-04-01',
      }),
    );
  });
  after(() => h.close());

  it('counts the requests naming each factor, declined ones left out; no indicator yet', async () => {
    assert.deepEqual(await byFactor(), table({ 2: [1, 0, 0, 0], 6: [3, 0, 0, 0] }));
  });

  it("counts each factor's linked indicators and how many are on track, read live under the partner's consent", async () => {
    // Factor 6's items rated 4, the others 1.
    await validatedAssessment(
      h,
      { officer: officerA, analyst: analystA, executive: executiveA },
      'RAD 2026',
      (ref) => (ref.startsWith('6.') ? 4 : 1),
    );
    const [s6, s2] = [await scoreInA(6), await scoreInA(2)];
    assert.ok(s6 > s2, `factor 6 (${s6}) scores above factor 2 (${s2})`);
    const fig = (n: number) => String(Math.round(n * 100) / 100);
    const outcome = (p: string) => addResult(sec, p, 'outcome', 'O');
    const indicator = async (p: string, resultId: string, name: string, extra: Json) =>
      ok(
        await sec.post(`/api/programme/partnerships/${p}/indicators`, {
          resultId,
          name,
          unit: 'score',
          ...extra,
        }),
        201,
      );
    const oA = await outcome(ids.pA);
    const link = (factor: number) => ({ link: { kind: 'rad_factor', factor } });
    await indicator(ids.pA, oA, 'I1', {
      baseline: fig(s6 - 1),
      target: fig(s6 + 1),
      direction: 'increase',
      ...link(6),
    });
    await indicator(ids.pA, oA, 'I2', {
      baseline: fig(s6 - 1),
      target: fig(s6 - 2),
      direction: 'decrease',
      ...link(6),
    });
    await indicator(ids.pA, oA, 'I3', {
      baseline: fig(s2 + 1),
      target: fig(s2 + 2),
      direction: 'increase',
      ...link(2),
    });
    await indicator(ids.pA, oA, 'I4', { baseline: '0', target: '10', direction: 'increase' });
    await indicator(ids.pB, await outcome(ids.pB), 'I5', {
      baseline: '0',
      target: '4',
      direction: 'increase',
      ...link(6),
    });
    // A shares nothing yet: the indicators count, none has a figure.
    assert.deepEqual(await byFactor(), table({ 2: [1, 1, 0, 0], 6: [3, 3, 0, 0] }));
    await ok(await put(officerA, '/api/programme/consent', { share: true }));
    assert.deepEqual(await byFactor(), table({ 2: [1, 1, 1, 0], 6: [3, 3, 2, 1] }));
    // Consent withdrawn: the figures stop.
    await ok(await put(officerA, '/api/programme/consent', { share: false }));
    assert.deepEqual(await byFactor(), table({ 2: [1, 1, 0, 0], 6: [3, 3, 0, 0] }));
  });

  it('only the Secretariat reads it: 403 without the permission, zeros for a programme manager elsewhere', async () => {
    for (const c of [staffA, donor1, officerA])
      assert.equal((await c.get('/api/programme/results-by-factor')).statusCode, 403);
    assert.deepEqual(await byFactor(pmA), table({}));
  });
});
