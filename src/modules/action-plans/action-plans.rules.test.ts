import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  actionDateProblems,
  isOverdue,
  kpiProgress,
  kpiTargetProblem,
  milestoneDateProblems,
  nextRef,
  planDateProblems,
  reminderKey,
  reminderKind,
  statusEffects,
} from './action-plans.rules.ts';
import { addDays } from '../../platform/dates.ts';

describe('action-plans rules (hand-computed)', () => {
  it('KPI progress, increasing: baseline 40, target 90, actual 65 → 25/50 = 0.5; beyond target clamps to 1', () => {
    assert.equal(kpiProgress('increase', 40, 90, 65), 0.5);
    assert.equal(kpiProgress('increase', 40, 90, 40), 0);
    assert.equal(kpiProgress('increase', 40, 90, 100), 1); // 60/50 = 1.2 → 1
    assert.equal(kpiProgress('increase', 40, 90, 30), 0); // −10/50 → 0
    assert.equal(kpiProgress('increase', 0, 80, 20), 0.25);
  });

  it('KPI progress, decreasing: 72 h → 24 h, actual 48 → (48−72)/(24−72) = 0.5; worse than baseline → 0', () => {
    assert.equal(kpiProgress('decrease', 72, 24, 48), 0.5);
    assert.equal(kpiProgress('decrease', 30, 10, 25), 0.25); // −5/−20
    assert.equal(kpiProgress('decrease', 72, 24, 80), 0); // 8/−48 → 0
    assert.equal(kpiProgress('decrease', 72, 24, 12), 1); // −60/−48 = 1.25 → 1
  });

  it('KPI progress when baseline equals target: met (1) or not (0) by direction; null when a term is missing', () => {
    assert.equal(kpiProgress('increase', 95, 95, 96), 1);
    assert.equal(kpiProgress('increase', 95, 95, 95), 1);
    assert.equal(kpiProgress('increase', 95, 95, 94), 0);
    assert.equal(kpiProgress('decrease', 5, 5, 5), 1);
    assert.equal(kpiProgress('decrease', 5, 5, 6), 0);
    assert.equal(kpiProgress('decrease', 5, 5, 4), 1);
    assert.equal(kpiProgress('increase', null, 90, 50), null);
    assert.equal(kpiProgress('increase', 10, null, 50), null);
    assert.equal(kpiProgress('increase', 10, 90, null), null);
  });

  it('a target on the wrong side of the baseline is refused for its direction', () => {
    assert.match(kpiTargetProblem('increase', 50, 40)!, /increasing/);
    assert.match(kpiTargetProblem('decrease', 24, 72)!, /decreasing/);
    assert.equal(kpiTargetProblem('decrease', 72, 24), null);
    assert.equal(kpiTargetProblem('increase', 50, 50), null);
    assert.equal(kpiTargetProblem('increase', null, 50), null);
  });

  it('reminder kinds: overdue after the due date, due soon from 7 days before it, nothing earlier', () => {
    const today = '2026-06-01';
    assert.equal(reminderKind('2026-05-31', today), 'overdue');
    assert.equal(reminderKind('2026-06-01', today), 'due_soon');
    assert.equal(reminderKind('2026-06-08', today), 'due_soon');
    assert.equal(reminderKind('2026-06-09', today), null);
    assert.equal(addDays('2026-12-28', 7), '2027-01-04');
    assert.equal(reminderKey('action', 'x', 'due_soon', '2026-06-08'), 'action:x:due_soon:2026-06-08');
  });

  it('overdue is computed: due date passed and neither done nor cancelled', () => {
    assert.equal(isOverdue({ status: 'in_progress', dueDate: '2026-05-31' }, '2026-06-01'), true);
    assert.equal(isOverdue({ status: 'not_started', dueDate: '2026-06-01' }, '2026-06-01'), false);
    assert.equal(isOverdue({ status: 'done', dueDate: '2026-01-01' }, '2026-06-01'), false);
    assert.equal(isOverdue({ status: 'cancelled', dueDate: '2026-01-01' }, '2026-06-01'), false);
    assert.equal(isOverdue({ status: 'delayed', dueDate: '2026-01-01' }, '2026-06-01'), true);
    assert.equal(isOverdue({ status: 'delayed', dueDate: null }, '2026-06-01'), false);
  });

  it('dates out of order are problems: horizon, start after due, outside the horizon', () => {
    const h = { horizonStart: '2026-01-01', horizonEnd: '2028-12-31' };
    assert.equal(planDateProblems({ horizonStart: '2026-01-01', horizonEnd: '2025-12-31' }).length, 1);
    assert.equal(planDateProblems(h).length, 0);
    assert.deepEqual(
      actionDateProblems({ startDate: '2026-05-01', dueDate: '2026-04-01' }, h).map((p) => p.path),
      ['body.dueDate'],
    );
    assert.deepEqual(
      actionDateProblems({ startDate: '2025-12-31', dueDate: '2029-01-01' }, h).map((p) => p.path),
      ['body.startDate', 'body.dueDate'],
    );
    assert.equal(actionDateProblems({ startDate: null, dueDate: '2026-06-01' }, h).length, 0);
    assert.equal(milestoneDateProblems('2029-01-01', h).length, 1);
    assert.equal(milestoneDateProblems('2028-12-31', h).length, 0);
  });

  it('status done sets progress 100 and a completion time; leaving done clears it', () => {
    const now = new Date('2026-06-01T10:00:00Z');
    const done = statusEffects(
      { status: 'in_progress', progress: 40, completedAt: null },
      { status: 'done' },
      now,
    );
    assert.deepEqual(done, { status: 'done', progress: 100, completedAt: now });
    const back = statusEffects(done, { status: 'in_progress', progress: 80 }, new Date());
    assert.deepEqual(back, { status: 'in_progress', progress: 80, completedAt: null });
    const again = statusEffects(done, { progress: 50 }, new Date('2027-01-01'));
    assert.equal(again.completedAt, now, 'a done action keeps its first completion time');
    assert.equal(again.progress, 100);
  });

  it('references continue after the highest in use', () => {
    assert.deepEqual(nextRef([], 2), ['A-01', 'A-02']);
    assert.deepEqual(nextRef(['A-01', 'A-07', 'X'], 1), ['A-08']);
  });
});
