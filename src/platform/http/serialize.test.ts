import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isResponseSerializationError, serializerCompiler as upstream } from 'fastify-type-provider-zod';
import { z, type ZodType } from 'zod';
import { checksOnly, serializerCompiler } from './serialize.ts';
import { Items } from './route.ts';

const compile = (schema: ZodType) =>
  serializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never) as (
    d: unknown,
  ) => string;
const compileUpstream = (schema: ZodType) =>
  upstream({ schema, method: 'GET', url: '/x', httpStatus: '200' } as never) as (d: unknown) => string;
const outcome = (fn: () => string) => {
  try {
    return { ok: fn() };
  } catch (e) {
    return { error: isResponseSerializationError(e as never) ? 'serialization' : String(e) };
  }
};

const Member = z.object({
  id: z.uuid(),
  email: z.email(),
  roles: z.array(z.string()),
  status: z.enum(['active', 'left']),
  score: z.number().int().min(0).nullable(),
  at: z.iso.datetime(),
  note: z.string().max(5).optional(),
  kind: z.union([z.literal('a'), z.object({ b: z.boolean() })]),
});
const good = {
  id: '7f1c0a52-3b1e-4c55-9d1e-2f9f3c1b2a10',
  email: 'a@b.test',
  roles: ['x'],
  status: 'active',
  score: null,
  at: '2026-11-28T03:00:00.000Z',
  kind: { b: true },
};

const codecFns = {
  decode: (s: string) => new Date(s),
  encode: (d: Date) => d.toISOString(),
};

describe('response serializer', () => {
  it('uses the fast path only for schemas that merely check values', () => {
    assert.equal(checksOnly(Items(Member)), true);
    assert.equal(checksOnly(z.object({ a: z.string().trim() })), false, 'overwrite check');
    assert.equal(checksOnly(z.object({ a: z.array(z.number().default(1)) })), false, 'default, nested');
    assert.equal(checksOnly(z.union([z.string(), z.string().transform((s) => s.length)])), false);
    assert.equal(checksOnly(z.object({ d: z.codec(z.iso.datetime(), z.date(), codecFns) })), false);
    assert.equal(checksOnly(z.coerce.number()), false, 'coercion');
    assert.equal(checksOnly(z.string().catch('x')), false);
    assert.equal(checksOnly(z.object({ a: z.lazy(() => z.string()) })), false, 'lazy is not looked through');
    // Recursive objects (getters) terminate.
    const Node: ZodType = z.object({
      name: z.string(),
      get children() {
        return z.array(Node);
      },
    });
    assert.equal(checksOnly(Node), true);
  });

  it('answers exactly as the upstream serializer: same JSON, same refusals', () => {
    const cases: unknown[] = [
      { items: [good, { ...good, note: 'ok' }] },
      { items: [{ ...good, extra: 'secret', kind: 'a' }] }, // unknown keys are stripped
      { items: [] },
      { items: [{ ...good, id: 'not-a-uuid' }] },
      { items: [{ ...good, note: 'too long' }] },
      { items: [{ ...good, score: 1.5 }] },
      { items: [{ ...good, status: 'gone' }] },
      { items: [{ ...good, kind: { b: 'yes' } }] },
      { items: [{ ...good, at: 'yesterday' }] },
      { items: 'nope' },
      null,
    ];
    const ours = compile(Items(Member));
    const theirs = compileUpstream(Items(Member));
    for (const c of cases)
      assert.deepEqual(
        outcome(() => ours(c)),
        outcome(() => theirs(c)),
        JSON.stringify(c),
      );
    assert.equal(JSON.parse(ours({ items: [{ ...good, extra: 'secret' }] })).items[0].extra, undefined);
    assert.equal(outcome(() => ours({ items: [{ ...good, id: 'x' }] })).error, 'serialization');
  });

  it('still encodes through codecs and refuses transforms, as before', () => {
    const When = z.object({ d: z.codec(z.iso.datetime(), z.date(), codecFns) });
    const d = new Date('2026-11-28T03:00:00.000Z');
    assert.equal(compile(When)({ d }), '{"d":"2026-11-28T03:00:00.000Z"}');
    assert.deepEqual(
      outcome(() => compile(When)({ d: 'not a date' })),
      outcome(() => compileUpstream(When)({ d: 'not a date' })),
    );
    const Trimmed = z.object({ a: z.string().trim() });
    assert.deepEqual(
      outcome(() => compile(Trimmed)({ a: ' x ' })),
      outcome(() => compileUpstream(Trimmed)({ a: ' x ' })),
    );
  });
});
