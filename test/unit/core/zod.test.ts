import { expect } from '@open-wc/testing';
import * as z from 'zod/mini';
import { isCheckoutError } from '../../../src/core/errors.js';
import { validate } from '../../../src/core/validate.js';

/** The first problem's path, or 'ok'. */
function problem(schema: z.ZodMiniType<unknown>, value: unknown): string {
  const result = schema.safeParse(value);
  return result.success ? 'ok' : `at [${result.error.issues[0]?.path.join('.')}]`;
}

describe('zod/mini, as the adapters rely on it', () => {
  it('checks primitive types; numbers refuse NaN and infinities, int refuses fractions and unsafe integers', () => {
    expect(problem(z.string(), 'x')).to.equal('ok');
    expect(problem(z.string(), 1)).to.equal('at []');
    expect(problem(z.number(), 1.5)).to.equal('ok');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '1', null])
      expect(problem(z.number(), bad)).to.equal('at []');
    expect(problem(z.int(), 1700000000)).to.equal('ok');
    for (const bad of [1.5, 2 ** 53, '1']) expect(problem(z.int(), bad)).to.equal('at []');
    expect(problem(z.boolean(), false)).to.equal('ok');
    expect(problem(z.boolean(), 'false')).to.equal('at []');
    expect(problem(z.unknown(), undefined)).to.equal('ok');
  });

  it('returns a new object with only the declared keys, values as parsed', () => {
    const schema = z.object({ a: z.string(), b: z.optional(z.int()) });
    const input = { a: 'x', extra: 'dropped' };
    const result = schema.safeParse(input);
    expect(result).to.deep.equal({ success: true, data: { a: 'x' } });
    expect(result.success && result.data).not.to.equal(input);
  });

  it('requires every key unless its schema is optional or nullish, even a z.unknown() key', () => {
    const schema = z.object({ data: z.unknown(), note: z.optional(z.string()), memo: z.nullish(z.string()) });
    expect(problem(schema, { data: 1 })).to.equal('ok');
    expect(problem(schema, { data: undefined, memo: null })).to.equal('ok');
    expect(problem(schema, {})).to.equal('at [data]');
    expect(problem(schema, { data: 1, note: null })).to.equal('at [note]');
    expect(problem(z.object({ s: z.nullable(z.string()) }), {})).to.equal('at [s]');
  });

  it('refuses arrays, null and primitives where an object is expected', () => {
    const schema = z.object({});
    for (const bad of [[], null, 'x', 1]) expect(problem(schema, bad)).to.equal('at []');
  });

  it('strictObject refuses an undeclared key at the object itself', () => {
    const schema = z.object({ params: z.strictObject({ appId: z.string() }) });
    expect(problem(schema, { params: { appId: 'wx1' } })).to.equal('ok');
    expect(problem(schema, { params: { appId: 'wx1', evil: '1' } })).to.equal('at [params]');
    // Names that Object.prototype has are undeclared too.
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const params = JSON.parse(`{"appId":"wx1","${key}":"x"}`);
      expect(problem(schema, { params }), key).to.equal('at [params]');
    }
  });

  it('reports the path of the first problem in nested objects, in declaration order', () => {
    const schema = z.object({ a: z.string(), inner: z.object({ b: z.int(), c: z.string() }) });
    expect(problem(schema, { a: 'x', inner: { b: 'no', c: 1 } })).to.equal('at [inner.b]');
    expect(problem(schema, { a: 1, inner: {} })).to.equal('at [a]');
  });

  it('union returns the first option that accepts the value; enum takes only its values', () => {
    const code = z.union([z.int(), z.string().check(z.minLength(1))]);
    expect(code.safeParse(0)).to.deep.equal({ success: true, data: 0 });
    expect(code.safeParse('E1')).to.deep.equal({ success: true, data: 'E1' });
    expect(problem(code, '')).to.equal('at []');
    expect(problem(code, true)).to.equal('at []');
    // A union with an optional option makes its key optional, as in zod.
    expect(problem(z.object({ memo: z.union([z.optional(z.string()), z.int()]) }), {})).to.equal('ok');
    const status = z.enum(['pending', 'paid'] as const);
    expect(problem(status, 'paid')).to.equal('ok');
    expect(problem(status, 'PAID')).to.equal('at []');
  });

  it('runs checks after the type is accepted, keeping the earlier ones', () => {
    const digits = z
      .string()
      .check(z.minLength(2))
      .check(z.refine((value: string) => /^\d+$/.test(value)));
    expect(problem(digits, '12')).to.equal('ok');
    expect(problem(digits, '1')).to.equal('at []');
    expect(problem(digits, '1a')).to.equal('at []');
    expect(problem(digits, 12)).to.equal('at []');
  });

  it('feeds validate(): a missing or null field is missing_field, a wrong one invalid_field, by name', () => {
    const schema = z.object({ data: z.object({ url: z.string() }) });
    const codeOf = (value: unknown) => {
      try {
        validate(schema, value);
        return 'ok';
      } catch (error) {
        if (!isCheckoutError(error)) throw error;
        return `${error.code} ${error.field}`;
      }
    };
    expect(codeOf({ data: { url: 'https://pay.example' } })).to.equal('ok');
    expect(codeOf({ data: {} })).to.equal('missing_field data.url');
    expect(codeOf({ data: { url: null } })).to.equal('missing_field data.url');
    expect(codeOf({ data: { url: 7 } })).to.equal('invalid_field data.url');
  });
});
