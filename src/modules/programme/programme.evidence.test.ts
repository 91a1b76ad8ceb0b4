import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../../platform/auth/actor.ts';
import { withTenant } from '../../platform/db/tenant.ts';
import type { Client, Harness } from '../../platform/testing/harness.ts';
import { createHarness } from '../../platform/testing/harness.ts';
import { CasesService } from '../cases/cases.service.ts';
import { P as CASES } from '../cases/cases.permissions.ts';
import { addDonor, addResult, type Json, ok, partnershipOf, programmeWorld } from './programme.fixture.ts';

// Evidence read live in a partner administration's tenant under its consent: its closed perception
// surveys (scope survey_index) and its case statistics (scope case_statistics), with the surveys'
// and the cases' own suppression kept (docs/adr/0028).

/** The officials template's scored questions, each answered at its best (100): factor 6 set apart. */
const BEST: Json = {
  'o-priority': 5,
  'o-rules-clear': 5,
  'o-reporting-known': true,
  'o-automation': 5,
  'o-reform': 5,
  'o-code-aware': true,
  'o-code-useful': 5,
  'o-merit': 5,
  'o-morale': 5,
  // Negative statements: disagreeing, and "never", are the best answers.
  'o-retaliation': 1,
  'o-offers': 0,
};

describe('programme evidence: closed surveys and case statistics of the partner, under consent', () => {
  let h: Harness;
  let sec: Client;
  let officerA: Client;
  let donor1: Client;
  const ids: Record<string, string> = {};
  const put = (c: Client, url: string, payload: Json) => c.request({ method: 'PUT', url, payload });
  const consent = async (share: boolean, scope: string) =>
    ok(await put(officerA, '/api/programme/consent', { share, scope }));

  /** Every actual of the indicator named `name`, as `c` reads the partnership's results at `url`. */
  const actuals = async (name: string, c: Client = sec, prefix = '') => {
    const tree = await ok(await c.get(`/api/programme/${prefix}partnerships/${ids.p}/results`));
    const i = (tree.outcomes[0].indicators as Json[]).find((x) => x.name === name);
    assert.ok(i, `indicator ${name}`);
    return i.actuals as Json[];
  };
  const readers = () =>
    [
      [sec, ''],
      [donor1, 'donor/'],
      [officerA, 'mine/'],
    ] as const;

  /** The indicator's one row when no figure is read (as `c` reads it): `status`, no value, no source. */
  const unread = async (name: string, status: string, c: Client = sec, prefix = '') =>
    assert.deepEqual(
      (await actuals(name, c, prefix)).map((a) => [a.status, a.value, a.evidence]),
      [[status, null, null]],
      `${name} for /${prefix}`,
    );
  /** Consent withdrawn: the Secretariat, the donor and the partner read no figure of these indicators. */
  const withdrawnForAll = async (names: string[]) => {
    for (const [c, prefix] of readers())
      for (const name of names) await unread(name, 'consent_withdrawn', c, prefix);
  };

  /** A survey of the officials template, open with minimum cell 5, `answers` entered on paper, closed. */
  const closedSurvey = async (name: string, answers: Json[]) => {
    const s = await ok(await officerA.post('/api/surveys', { templateSlug: 'officials', name }), 201);
    const v = await ok(await officerA.patch(`/api/surveys/${s.id}`, { version: s.version, minCell: 5 }));
    const opened = await ok(await officerA.post(`/api/surveys/${s.id}/open`, { version: v.version }));
    for (const a of answers)
      await ok(await officerA.post(`/api/surveys/${s.id}/paper`, { bands: {}, answers: a }), 201);
    const closed = await ok(await officerA.post(`/api/surveys/${s.id}/close`, { version: opened.version }));
    assert.equal(closed.status, 'closed');
    return { id: s.id as string, closedOn: closed.closedOn as string };
  };

  /** `n` cases of tenant A closed in `year` (mid-June), decided `decision`. */
  const closedCases = async (year: number, n: number, decision: 'substantiated' | 'not_substantiated') => {
    const userId = h.a.users.integrity_officer.id;
    const actor = { userId, permissions: new Set(Object.values(CASES)) } as unknown as Actor;
    const svc = new CasesService(h.kernel, () => new Date(`${year}-06-15T10:00:00Z`));
    await withTenant(h.kernel.db, { tenantId: h.a.id, userId }, async (tx) => {
      for (let k = 0; k < n; k++) {
        const c = await svc.create(tx, h.a.id, actor, { title: `Case ${year} ${k}`, sourceKind: 'report' });
        let version = c.version;
        for (const step of [
          { to: 'acknowledged' },
          { to: 'triage' },
          { to: 'investigation' },
          { to: 'investigation_report' },
          { to: 'decision', decision },
          { to: 'outcome', outcome: 'no_action' },
          { to: 'closed' },
        ] as const)
          version = (await svc.transition(tx, h.a.id, actor, c.id, { ...step, version })).version;
      }
    });
  };

  before(async () => {
    h = await createHarness();
    officerA = await h.as(h.a.users.integrity_officer.email);
    const world = await programmeWorld(h, 'evidence.');
    ({ sec, donor1 } = world);
    const d1 = await addDonor(sec, 'Donor One', world.donorOrg1);
    ids.p = await partnershipOf(sec, officerA, [d1]);
    ids.outcome = await addResult(sec, ids.p, 'outcome', 'Integrity perceived and enforced');
    const indicator = async (name: string, link: Json) =>
      ok(
        await sec.post(`/api/programme/partnerships/${ids.p}/indicators`, {
          resultId: ids.outcome,
          name,
          unit: 'score',
          baseline: '0',
          target: '100',
          direction: 'increase',
          link,
        }),
        201,
      );
    await indicator('Perception index', { kind: 'survey_index', factor: null });
    await indicator('Perception of factor 6', { kind: 'survey_index', factor: 6 });
    await indicator('Cases closed', { kind: 'case_statistics', measure: 'closed' });
    await indicator('Cases substantiated', { kind: 'case_statistics', measure: 'substantiated' });
  });
  after(() => h.close());

  it("a closed survey's index and factor score are actuals for its period; too few respondents, or one factor hidden, stay hidden; a new closed survey shows at the next read", async () => {
    // Nothing shared yet; sharing the RAD scores does not share the surveys.
    await consent(true, 'rad_scores');
    await unread('Perception index', 'no_consent');
    await consent(true, 'survey_index');
    await unread('Perception index', 'no_survey');
    // Six respondents (the threshold is 5): factor 6 at 4 of 5 (75), every other factor at 100.
    const s1 = await closedSurvey(
      'Staff CIPS 2026',
      Array.from({ length: 6 }, () => ({ ...BEST, 'o-ia-trust': 4 })),
    );
    let index = await actuals('Perception index');
    assert.equal(index.length, 1);
    const [i1] = index;
    assert.deepEqual(
      [i1!.status, Number(i1!.value), i1!.source, i1!.periodLabel, i1!.periodEnd],
      ['ok', 97.5, 'survey_index', 'Staff CIPS 2026', s1.closedOn],
    );
    assert.deepEqual(i1!.evidence, {
      kind: 'survey_index',
      surveyId: s1.id,
      name: 'Staff CIPS 2026',
      closedOn: s1.closedOn,
      respondents: 6,
    });
    let f6 = await actuals('Perception of factor 6');
    assert.deepEqual(
      f6.map((a) => [a.status, Number(a.value)]),
      [['ok', 75]],
    );

    // Three respondents: under the threshold, every figure of that survey is hidden, never sent.
    const s2 = await closedSurvey(
      'Small unit pulse',
      Array.from({ length: 3 }, () => ({ ...BEST, 'o-ia-trust': 2 })),
    );
    index = await actuals('Perception index');
    const small = index.find((a) => a.evidence?.surveyId === s2.id);
    assert.ok(small, 'the second closed survey is read at once');
    assert.deepEqual([small.status, small.value, small.evidence.respondents], ['suppressed', null, null]);
    f6 = await actuals('Perception of factor 6');
    const small6 = f6.find((a) => a.evidence?.surveyId === s2.id)!;
    assert.deepEqual([small6.status, small6.value], ['suppressed', null]);
    // The first survey's figures are still there.
    assert.equal(Number(index.find((a) => a.evidence?.surveyId === s1.id)!.value), 97.5);

    // Six respondents, but only two answered factor 10: that factor is hidden, so is the index (it
    // would give the hidden factor back by difference); factor 6 (all six, at 25) still shows.
    const s3 = await closedSurvey(
      'Staff CIPS 2026 follow-up',
      Array.from({ length: 6 }, (_, k) => {
        const a: Json = { ...BEST, 'o-ia-trust': 2 };
        if (k >= 2) delete a['o-offers'];
        return a;
      }),
    );
    index = await actuals('Perception index');
    assert.equal(index.length, 3);
    const partial = index.find((a) => a.evidence?.surveyId === s3.id)!;
    assert.deepEqual([partial.status, partial.value, partial.evidence.respondents], ['suppressed', null, 6]);
    f6 = await actuals('Perception of factor 6');
    assert.deepEqual(
      [
        f6.find((a) => a.evidence?.surveyId === s3.id)!.status,
        Number(f6.find((a) => a.evidence?.surveyId === s3.id)!.value),
      ],
      ['ok', 25],
    );
    // The partner and the funding donor read the same figures.
    for (const [c, prefix] of readers()) {
      const seen = await actuals('Perception index', c, prefix);
      assert.deepEqual(
        seen.map((a) => [a.evidence.surveyId, a.status, a.value === null ? null : Number(a.value)]),
        index.map((a) => [a.evidence.surveyId, a.status, a.value === null ? null : Number(a.value)]),
      );
    }
  });

  it('withdrawing the survey_index consent stops the survey figures for the Secretariat, the donor and the partner', async () => {
    await consent(false, 'survey_index');
    await withdrawnForAll(['Perception index', 'Perception of factor 6']);
    // The RAD scores consent is a scope of its own: still active.
    const rad = await ok(await officerA.get('/api/programme/consent?scope=rad_scores'));
    assert.equal(rad.active, true);
  });

  it('cases closed per year show from 5; fewer are hidden; substantiated is hidden when it or the rest is small; withdrawal stops them', async () => {
    await unread('Cases closed', 'no_consent');
    await consent(true, 'case_statistics');
    await unread('Cases closed', 'no_cases');
    // 2023: 6 closed, 5 substantiated — the 1 not substantiated would follow by difference.
    await closedCases(2023, 5, 'substantiated');
    await closedCases(2023, 1, 'not_substantiated');
    // 2024: 3 closed, all substantiated — under 5.
    await closedCases(2024, 3, 'substantiated');
    // 2025: 11 closed, 5 substantiated, 6 not.
    await closedCases(2025, 5, 'substantiated');
    await closedCases(2025, 6, 'not_substantiated');
    const closed = await actuals('Cases closed');
    assert.deepEqual(
      closed.map((a) => [a.periodLabel, a.periodStart, a.periodEnd, a.status, a.value]),
      [
        ['2023', '2023-01-01', '2023-12-31', 'ok', '6'],
        ['2024', '2024-01-01', '2024-12-31', 'suppressed', null],
        ['2025', '2025-01-01', '2025-12-31', 'ok', '11'],
      ],
    );
    assert.deepEqual(closed[0]!.evidence, { kind: 'case_statistics', year: 2023, measure: 'closed' });
    const substantiated = await actuals('Cases substantiated');
    assert.deepEqual(
      substantiated.map((a) => [a.periodLabel, a.status, a.value]),
      [
        ['2023', 'suppressed', null],
        ['2024', 'suppressed', null],
        ['2025', 'ok', '5'],
      ],
    );
    // Cases closed since are counted at the next read: 2024 reaches 5 (all substantiated, none
    // left to give away).
    await closedCases(2024, 2, 'substantiated');
    assert.deepEqual(
      (await actuals('Cases substantiated')).map((a) => [a.periodLabel, a.status, a.value]),
      [
        ['2023', 'suppressed', null],
        ['2024', 'ok', '5'],
        ['2025', 'ok', '5'],
      ],
    );
    // The donor and the partner read the same; then, withdrawn, nobody reads any.
    for (const [c, prefix] of readers())
      assert.deepEqual(
        (await actuals('Cases closed', c, prefix)).map((a) => a.value),
        ['6', '5', '11'],
      );
    await consent(false, 'case_statistics');
    await withdrawnForAll(['Cases closed', 'Cases substantiated']);
  });
});
