import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MIN_CELL } from '../cases/index.ts';
import { substantiation } from './analytics.triage.ts';

// The substantiation counts as published: the share with its interval once enough cases are
// closed, and small cells suppressed so that no case's outcome can be read off or worked out
// from the escalated total (which every alert's status already tells).

/** An indicator's escalated alerts: so many substantiated, closed otherwise, and still open. */
function row(sub: number, notSub: number, open: number, k = MIN_CELL) {
  const outcomes = [
    ...Array.from({ length: sub }, () => ({ status: 'closed' as const, decision: 'substantiated' as const })),
    ...Array.from({ length: notSub }, () => ({
      status: 'closed' as const,
      decision: 'not_substantiated' as const,
    })),
    ...Array.from({ length: open }, () => ({ status: 'investigation' as const, decision: null })),
  ];
  const cases = outcomes.map((o, i) => ({ id: `c${i}`, ...o }));
  const alerts = cases.map((c) => ({
    indicatorId: 'I1',
    status: 'escalated' as const,
    caseId: c.id,
    riskId: null,
  }));
  return substantiation(['I1'], alerts, cases as never, [], k)[0]!;
}

/** Wilson 95 % interval, from the formula. */
function wilson(k: number, n: number) {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
const near = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} ≠ ${b}`);
const OUTCOME = ['casesClosed', 'substantiated', 'notSubstantiated', 'caseOpen', 'suppressed'] as const;
const pick = (r: ReturnType<typeof row>) => OUTCOME.map((k) => r[k]);

describe('analytics substantiation: the share and small-cell suppression', () => {
  it('enough closed cases: the counts and the share with its Wilson interval', () => {
    assert.equal(MIN_CELL, 5);
    const r = row(6, 7, 5);
    assert.deepEqual(pick(r), [13, 6, 7, 5, false]);
    near(r.share, 6 / 13);
    near(r.shareLow, wilson(6, 13)[0]!);
    near(r.shareHigh, wilson(6, 13)[1]!);
    assert.equal(r.escalated, 18);
  });

  it('one case closed and substantiated: neither the decision nor the share is published', () => {
    const r = row(1, 0, 0);
    assert.deepEqual(pick(r), [1, null, null, 0, true], 'a zero is withheld beside the lone small cell');
    assert.deepEqual([r.share, r.shareLow, r.shareHigh], [null, null, null]);
  });

  it('complementary suppression: a small cell beside published ones takes the next smallest with it', () => {
    // 1 not substantiated is under 5; 12 escalated − 6 open − 5 substantiated would reveal it.
    const r = row(5, 1, 6);
    assert.deepEqual(pick(r), [6, null, null, 6, true]);
    assert.equal(r.share, null);
    // Small open count beside published outcomes: withheld with the smallest of them, and with it
    // the closed count (12 − open) and the share.
    assert.deepEqual(pick(row(5, 9, 2)), [null, null, 9, null, true]);
  });

  it('whatever the counts, no suppressed cell can be worked out from the escalated total and the published cells', () => {
    for (let s = 0; s <= 12; s++)
      for (let ns = 0; ns <= 12; ns++)
        for (let o = 0; o <= 12; o++) {
          const r = row(s, ns, o);
          const cells = [
            [s, r.substantiated],
            [ns, r.notSubstantiated],
            [o, r.caseOpen],
          ] as const;
          const label = `${s}/${ns}/${o}: ${JSON.stringify(pick(r))}`;
          for (const [n, shown] of cells) {
            if (n > 0 && n < MIN_CELL) assert.equal(shown, null, label);
            if (shown !== null) assert.equal(shown, n, label);
          }
          const hidden = cells.filter(([, shown]) => shown === null).length;
          assert.notEqual(hidden, 1, `one withheld cell is the total minus the others: ${label}`);
          // The closed count is published only where it splits nothing open: both outcomes shown
          // or both withheld.
          if (r.casesClosed !== null) {
            assert.equal(r.casesClosed, s + ns, label);
            assert.equal(r.substantiated === null, r.notSubstantiated === null, label);
          }
          assert.equal(r.suppressed, hidden > 0, label);
          if (r.share !== null) assert.ok(r.substantiated !== null && r.notSubstantiated !== null, label);
        }
  });
});
