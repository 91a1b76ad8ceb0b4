import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addDays, isoDay } from './dates.ts';

describe('calendar days', () => {
  it('isoDay is the UTC date of an instant', () => {
    assert.equal(isoDay(new Date('2026-11-28T23:59:59.999Z')), '2026-11-28');
    assert.equal(isoDay(new Date('2026-11-28T23:30:00-02:00')), '2026-11-29');
  });

  it('addDays crosses months, years and leap days, both ways', () => {
    assert.equal(addDays('2026-12-28', 7), '2027-01-04');
    assert.equal(addDays('2026-12-31', 1), '2027-01-01');
    assert.equal(addDays('2028-02-28', 1), '2028-02-29');
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
    assert.equal(addDays('2026-03-29', 0), '2026-03-29');
  });
});
