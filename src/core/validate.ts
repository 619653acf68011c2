/**
 * Gateway bodies as data: size limits, JSON parsing, schema validation and QR content rules,
 * each failing with one of the `RESPONSE_ERROR_CODES` slugs (core/errors.ts).
 */

import * as z from 'zod/mini';
import { CheckoutError } from './errors.js';

export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_QR_BYTES = 2048;

const encoder = /* @__PURE__ */ new TextEncoder();

/** A body as the backend delivered it: a parsed JSON value, or the raw text (JSON or HTML). */
export type Body = { type: 'json'; value: unknown } | { type: 'text'; text: string };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LOOKS_LIKE_JSON = /^[\s\ufeff]*[[{"]/;

/**
 * Refuses bodies over the limit, parses text that looks like JSON, and leaves other text (HTML)
 * as text. Text that starts like JSON but does not parse is `invalid_json`.
 */
export function readBody(response: unknown): Body {
  if (typeof response === 'string') {
    if (response.length > MAX_BODY_BYTES || encoder.encode(response).length > MAX_BODY_BYTES) {
      throw new CheckoutError('too_large', `the response is larger than ${MAX_BODY_BYTES} bytes`);
    }
    if (LOOKS_LIKE_JSON.test(response)) return { type: 'json', value: parseJson(response, 'the response') };
    return { type: 'text', text: response };
  }
  if (response !== null && typeof response === 'object') {
    let size = 0;
    try {
      size = JSON.stringify(response)?.length ?? 0;
    } catch (cause) {
      throw new CheckoutError('invalid_json', 'the response cannot be serialised as JSON', { cause });
    }
    if (size > MAX_BODY_BYTES)
      throw new CheckoutError('too_large', `the response is larger than ${MAX_BODY_BYTES} bytes`);
  }
  return { type: 'json', value: response };
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (cause) {
    throw new CheckoutError('invalid_json', `${what} is not valid JSON`, { cause });
  }
}

/** The body as JSON, or `invalid_json` when it is text that is not JSON (an HTML error page). */
export function readJson(response: unknown): unknown {
  const body = readBody(response);
  if (body.type === 'text') throw new CheckoutError('invalid_json', 'the response is not JSON');
  return body.value;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A string with at least one character: the shape of every id, nonce and signature. */
export const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * Validates with a zod/mini schema; the first problem becomes `missing_field` (nothing there, or null)
 * or `invalid_field` (something of the wrong shape), naming the field.
 */
export function validate<T>(schema: z.ZodMiniType<T>, value: unknown, what = 'the response'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const field = path.map(String).join('.');
  const found = valueAt(value, path);
  const missing = found === undefined || found === null;
  const code = missing ? 'missing_field' : 'invalid_field';
  const name = field === '' ? what : `${field}`;
  throw new CheckoutError(
    code,
    missing ? `${name} is missing` : `${name} is invalid (${issue?.message ?? 'bad value'})`,
    {
      field,
    },
  );
}

// `/path`, `//host/path`, `./x` and `../x`: references that only mean something against a base URL.
const RELATIVE_REFERENCE = /^\.{0,2}\//;

/**
 * QR content: a non-empty string of at most 2048 UTF-8 bytes with no control characters, and not
 * a relative reference. Content is otherwise opaque (a `weixin://` code_url, an https page, a bare
 * payment code).
 */
export function checkQrContent(content: unknown, what = 'QR content'): string {
  if (typeof content !== 'string' || content === '') {
    const missing = content === undefined || content === '';
    throw new CheckoutError(
      missing ? 'missing_field' : 'invalid_field',
      `${what} is ${missing ? 'missing' : 'not a string'}`,
    );
  }
  if (encoder.encode(content).length > MAX_QR_BYTES) {
    throw new CheckoutError('too_large', `${what} is longer than ${MAX_QR_BYTES} bytes`);
  }
  if (/[\u0000-\u001f\u007f]/.test(content)) {
    throw new CheckoutError('invalid_field', `${what} contains a control character`);
  }
  // A lone surrogate has no UTF-8 form: the code would carry U+FFFD where the copied link has it.
  if (LONE_SURROGATE.test(content)) {
    throw new CheckoutError('invalid_field', `${what} contains a lone surrogate`);
  }
  // The phone that scans the code has no base to resolve a relative reference against (a clone's
  // `/api/pay/toapp/…`), and this page cannot supply the gateway's origin either.
  if (RELATIVE_REFERENCE.test(content)) {
    throw new CheckoutError('relative_url', `${what} is a relative reference a scanning phone cannot open`);
  }
  return content;
}

/**
 * A flat object of strings, as form fields and signed parameters are. Every value must already be
 * a string: a JSON number has lost its text once parsed ("50.00" is 50), so converting it could
 * not reproduce what was signed. Fails with `invalid_field` naming the key, or the object.
 */
export function stringRecord(value: unknown, what: string): Record<string, string> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CheckoutError('invalid_field', `${what} is not an object`, { field: what });
  }
  for (const [key, field] of Object.entries(value)) {
    if (typeof field !== 'string') {
      throw new CheckoutError('invalid_field', `${what}.${key} is not a string`, { field: `${what}.${key}` });
    }
  }
  return { ...(value as Record<string, string>) };
}

/**
 * Builds a value on first use. An adapter's schemas are made when a page first meets that gateway,
 * and a bundler sees no module-level call it would have to prove free of side effects.
 */
export function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= build();
    return value;
  };
}

/** Integer minor units given as a JSON number. */
export function isIntegerAmount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Integer minor units given as a digit string (`"10000"`). */
export function isDigitString(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,18}$/.test(value);
}
