/**
 * The few schema types the adapters need, with zod/mini's names and semantics, so an adapter reads
 * as it would with zod (`import * as z from '../core/schema.js'`). zod/mini cost the script-tag
 * build 6.5 KB of gzip (its error classes, async parsing and Standard Schema support are kept by
 * its prototypes whatever is used) and 9–10 ms of main-thread time to build the schemas; this
 * costs well under 1 KB and nothing at load.
 *
 * Semantics kept from zod 4: objects return a new object with only their own keys (unknown keys
 * are dropped, or refused by `strictObject`); a key is required unless its schema accepts
 * `undefined` through `optional` or `nullish`; `number` refuses NaN and infinities; `int` is a
 * safe integer; a union returns the first option that accepts the value. Validation stops at the
 * first problem, which is the one `validate()` reports.
 */

export interface Issue {
  /** Where the problem is, from the value given to `safeParse`. */
  path: PropertyKey[];
  message: string;
}

export type SafeParseResult<T> = { success: true; data: T } | { success: false; error: { issues: Issue[] } };

type Check<T> = (value: T) => string | undefined;

/** The parse result inside the tree: the value, or the first problem. */
type Result = { ok: true; value: unknown } | { ok: false; issue: Issue };

export interface Schema<T> {
  /** Accepted when the key is absent from an object. */
  readonly optional: boolean;
  readonly _output?: T;
  run(value: unknown): Result;
  safeParse(value: unknown): SafeParseResult<T>;
  /** The same schema with more checks, run on the value once its type is accepted. */
  check(...checks: Check<T>[]): Schema<T>;
}

/** Zod's `z.ZodMiniType<T>`: any schema whose output is `T`. */
export type ZodMiniType<T = unknown> = Schema<T>;
type Output<S> = S extends Schema<infer T> ? T : never;

export type { Output as infer };

const fail = (message: string, path: PropertyKey[] = []): Result => ({ ok: false, issue: { path, message } });

function schema<T>(run: (value: unknown) => Result, optional = false, checks: readonly Check<T>[] = []): Schema<T> {
  const self: Schema<T> = {
    optional,
    run(value) {
      const result = run(value);
      if (!result.ok) return result;
      for (const check of checks) {
        const message = check(result.value as T);
        if (message !== undefined) return fail(message);
      }
      return result;
    },
    safeParse(value) {
      const result = self.run(value);
      return result.ok
        ? { success: true, data: result.value as T }
        : { success: false, error: { issues: [result.issue] } };
    },
    check: (...more) => schema(run, optional, [...checks, ...more]),
  };
  return self;
}

/** A schema for one `typeof`-style test. */
const primitive =
  <T>(expected: string, accepts: (value: unknown) => boolean) =>
  () =>
    schema<T>((value) => (accepts(value) ? { ok: true, value } : fail(`expected ${expected}`)));

export const string = primitive<string>('string', (value) => typeof value === 'string');
export const number = primitive<number>('number', (value) => typeof value === 'number' && Number.isFinite(value));
export const int = primitive<number>('int', Number.isSafeInteger);
export const boolean = primitive<boolean>('boolean', (value) => typeof value === 'boolean');
export const unknown = primitive<unknown>('unknown', () => true);

export function optional<T>(inner: Schema<T>): Schema<T | undefined> {
  return schema((value) => (value === undefined ? { ok: true, value } : inner.run(value)), true);
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((value) => (value === null ? { ok: true, value } : inner.run(value)), inner.optional);
}

export function nullish<T>(inner: Schema<T>): Schema<T | null | undefined> {
  return optional(nullable(inner));
}

export function union<const Options extends readonly Schema<unknown>[]>(
  options: Options,
): Schema<Output<Options[number]>> {
  return schema(
    (value) => {
      for (const option of options) {
        const result = option.run(value);
        if (result.ok) return result;
      }
      return fail('no option of the union accepts it');
    },
    options.some((option) => option.optional),
  );
}

export function enum_<const Values extends readonly string[]>(values: Values): Schema<Values[number]> {
  return schema((value) =>
    values.includes(value as string) ? { ok: true, value } : fail(`expected one of ${values.join(', ')}`),
  );
}
export { enum_ as enum };

type Shape = Record<string, Schema<unknown>>;
/** Keys whose schema accepts `undefined` are optional in the type, as zod infers them. */
type ObjectOutput<S extends Shape> = {
  [K in keyof S as undefined extends Output<S[K]> ? K : never]?: Output<S[K]>;
} & { [K in keyof S as undefined extends Output<S[K]> ? never : K]: Output<S[K]> };

function objectOf<S extends Shape>(shape: S, strict: boolean): Schema<ObjectOutput<S>> {
  return schema((value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('expected object');
    const input = value as Record<string, unknown>;
    const output: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      if (!(key in input)) {
        if (field.optional) continue;
        return fail('required', [key]);
      }
      const result = field.run(input[key]);
      if (!result.ok) return fail(result.issue.message, [key, ...result.issue.path]);
      output[key] = result.value;
    }
    // Own keys only: `constructor` or `__proto__` in the input is as undeclared as any other name.
    const extra = strict ? Object.keys(input).find((key) => !Object.hasOwn(shape, key)) : undefined;
    return extra === undefined ? { ok: true, value: output } : fail(`unrecognized key ${JSON.stringify(extra)}`);
  });
}

/** An object with these keys; any other key is dropped from the output. */
export const object = <S extends Shape>(shape: S) => objectOf(shape, false);
/** An object with these keys and no other. */
export const strictObject = <S extends Shape>(shape: S) => objectOf(shape, true);

/** A check: at least `minimum` characters. */
export const minLength =
  (minimum: number): Check<string> =>
  (value) =>
    value.length >= minimum ? undefined : `shorter than ${minimum}`;

/** A string with at least one character: the shape of every id, nonce and signature. */
export const nonEmpty = () => string().check(minLength(1));

/** A check: `accepts` returns true. */
export const refine =
  <T>(accepts: (value: T) => boolean): Check<T> =>
  (value) =>
    accepts(value) ? undefined : 'refused';
