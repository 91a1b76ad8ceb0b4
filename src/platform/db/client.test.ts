import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHarness, type Harness } from '../testing/harness.ts';
import { StatementNames } from './client.ts';

// One schema, two drivers: the same SQL must give the same JavaScript types.
describe('database drivers give the same types', () => {
  let h: Harness;
  before(async () => {
    h = await createHarness();
  });
  after(() => h.close());

  it('count(*) and bigint are numbers, numeric is an exact string, timestamps are Dates, bytea is a Buffer', async () => {
    const [row] = await h.kernel.db.query<Record<string, unknown>>(
      `select count(*) as n, 9007199254740991::int8 as big, 12345.678901234567890::numeric as exact,
              now() as at, '\\x00ff10'::bytea as bytes, '{"a": [1, 2]}'::jsonb as doc, array['x','y'] as list`,
    );
    assert.equal(typeof row!.n, 'number');
    assert.equal(row!.n, 1);
    assert.equal(row!.big, 9007199254740991);
    assert.equal(row!.exact, '12345.678901234567890');
    assert.ok(row!.at instanceof Date);
    assert.deepEqual(Buffer.from(row!.bytes as Uint8Array), Buffer.from([0, 255, 16]));
    assert.deepEqual(row!.doc, { a: [1, 2] });
    assert.deepEqual(row!.list, ['x', 'y']);
  });
});

describe('statement names (server connections prepare what they run often)', () => {
  it('names a text the second time it is seen, always the same name, never a text with a semicolon', () => {
    const names = new StatementNames(3);
    assert.equal(names.nameOf('select 1'), undefined, 'seen once: left unnamed');
    const first = names.nameOf('select 1');
    assert.ok(first);
    assert.equal(names.nameOf('select 1'), first);
    names.nameOf('select 2');
    assert.notEqual(names.nameOf('select 2'), first);
    for (let i = 0; i < 3; i++) assert.equal(names.nameOf('select 3; select 4'), undefined);
  });

  it('names at most `max` texts (each connection holds a bounded set)', () => {
    const names = new StatementNames(2);
    for (const text of ['a', 'a', 'b', 'b', 'c', 'c', 'c']) names.nameOf(text);
    assert.ok(names.nameOf('a') && names.nameOf('b'));
    assert.equal(names.nameOf('c'), undefined);
  });
});
