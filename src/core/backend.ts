/**
 * The merchant-backend client: `create` and `status` (README, "Your backend"). Each call
 * has a timeout and honours an AbortSignal; answers are validated; failures are typed
 * `CheckoutError`s of kind `backend`, kept apart from refused gateway responses.
 */

import * as z from 'zod/mini';
import type { ClientInfo } from './environment.js';
import { CheckoutError, isCheckoutError } from './errors.js';
import { lazy } from './validate.js';

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'expired', 'canceled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface StatusAnswer {
  status: PaymentStatus;
  code?: string;
  message?: string;
}

export interface CreateRequest {
  orderId: string;
  method: string;
  client: ClientInfo;
  returnUrl?: string;
  idempotencyKey: string;
}

/** The gateway's answer as the backend passed it on: a JSON value, or HTML text. */
export interface CreateAnswer {
  gateway: string;
  response: unknown;
  /**
   * The backend's clock minus this device's, in milliseconds, from the answer's `Date` header
   * (absent when it cannot be read: a cross-origin backend must list it in
   * `Access-Control-Expose-Headers`). A gateway's `expiresAt` is on the backend's side of it.
   */
  clockOffset?: number;
}

export interface BackendOptions {
  /** The create endpoint (`POST`). */
  endpoint: string;
  /** The status endpoint (`GET ?orderId=`). */
  statusEndpoint?: string;
  /** Extra request headers, such as a CSRF token. */
  headers?: Record<string, string>;
  credentials?: RequestCredentials;
  /** Per-call time limits in milliseconds. */
  createTimeout?: number;
  statusTimeout?: number;
  /** Automatic retries of a create that failed on the network (same idempotency key). */
  createRetries?: number;
  /** When set, the create answer may be the gateway's body itself rather than `{gateway, response}`. */
  gateway?: string;
  /** For tests and non-browser hosts; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}

type Answer = ({ kind: 'json'; value: unknown } | { kind: 'text'; text: string }) & { clockOffset?: number };

export interface CallOptions {
  signal?: AbortSignal;
}

const statusSchema = lazy(() =>
  z.object({
    status: z.enum(PAYMENT_STATUSES),
    code: z.nullish(z.union([z.string(), z.number()])),
    message: z.nullish(z.string()),
  }),
);

/** A fresh idempotency key: a new one per attempt, the same one for every retry of it. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  // randomUUID exists only in secure contexts; an http: development page still needs a key.
  if (typeof c?.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Waits between create retries; an abort (the element removed) ends the wait, and nothing is left on the signal. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CheckoutError('aborted', 'the call was aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Whether a failed call may be sent again unchanged: the network, a time-out, or a 5xx. */
export function isRetriable(error: unknown): boolean {
  if (!isCheckoutError(error)) return false;
  if (error.code === 'network' || error.code === 'timeout') return true;
  return error.code === 'http_status' && (error.status ?? 0) >= 500;
}

export class Backend {
  readonly options: BackendOptions;

  constructor(options: BackendOptions) {
    this.options = options;
  }

  /**
   * One call, body included: the time limit and the caller's abort cover reading the body too,
   * so a backend that sends headers and then stalls cannot hold a payment forever.
   */
  private async request(url: string, init: RequestInit, timeout: number, call: CallOptions): Promise<Answer> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeout);
    const onAbort = () => controller.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (call.signal?.aborted) throw new CheckoutError('aborted', 'the call was aborted');
      const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
      const response = await doFetch(url, {
        ...init,
        credentials: this.options.credentials ?? 'same-origin',
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new CheckoutError('http_status', `the backend answered ${response.status}`, { status: response.status });
      }
      const type = response.headers.get('content-type') ?? '';
      // Read when the headers arrive: the body may take a while. A cache's `Age` says how much
      // older than now its `Date` is.
      const age = Number(response.headers.get('age') ?? 0);
      const date = Date.parse(response.headers.get('date') ?? '') + (age > 0 ? age * 1000 : 0);
      const clock = Number.isNaN(date) ? {} : { clockOffset: date - Date.now() };
      const text = await response.text();
      if (!/json/i.test(type)) return { kind: 'text', text, ...clock };
      try {
        return { kind: 'json', value: JSON.parse(text), ...clock };
      } catch (cause) {
        throw new CheckoutError('invalid_backend_response', 'the backend answered with invalid JSON', { cause });
      }
    } catch (error) {
      if (isCheckoutError(error)) throw error;
      if (timedOut) throw new CheckoutError('timeout', `the backend did not answer within ${timeout} ms`);
      if (call.signal?.aborted) throw new CheckoutError('aborted', 'the call was aborted');
      throw new CheckoutError('network', 'the backend could not be reached', { cause: error });
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Creates the payment. Network failures, time-outs and 5xx answers are retried with the same
   * idempotency key, so the backend can recognise the retry and never create a second payment.
   */
  async create(request: CreateRequest, call: CallOptions = {}): Promise<CreateAnswer> {
    const retries = this.options.createRetries ?? 2;
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await this.createOnce(request, call);
      } catch (error) {
        if (attempt >= retries || !isRetriable(error)) throw error;
        await sleep(400 * 3 ** attempt, call.signal);
      }
    }
  }

  private async createOnce(request: CreateRequest, call: CallOptions): Promise<CreateAnswer> {
    if (!this.options.endpoint) throw new CheckoutError('invalid_backend_response', 'no create endpoint is set');
    const answer = await this.request(
      this.options.endpoint,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json, text/html;q=0.9',
          ...this.options.headers,
          'Idempotency-Key': request.idempotencyKey,
        },
        body: JSON.stringify(request),
      },
      this.options.createTimeout ?? 20_000,
      call,
    );
    const gateway = this.options.gateway;
    const clock = answer.clockOffset === undefined ? {} : { clockOffset: answer.clockOffset };
    if (answer.kind === 'json') {
      const body = answer.value;
      if (isEnvelope(body)) return { gateway: body.gateway, response: body.response, ...clock };
      if (gateway !== undefined) return { gateway, response: body, ...clock };
      throw new CheckoutError('invalid_backend_response', 'the create answer has no {gateway, response}');
    }
    // An HTML body (CareyShop's web forms) arrives as text; only a known gateway can read it.
    if (gateway !== undefined) return { gateway, response: answer.text, ...clock };
    throw new CheckoutError('invalid_backend_response', 'the create answer is not JSON and no gateway is set');
  }

  async status(orderId: string, call: CallOptions = {}): Promise<StatusAnswer> {
    const endpoint = this.options.statusEndpoint;
    if (!endpoint) throw new CheckoutError('invalid_backend_response', 'no status endpoint is set');
    const url = new URL(endpoint, globalThis.location?.href);
    url.searchParams.set('orderId', orderId);
    const answer = await this.request(
      url.href,
      { method: 'GET', headers: { Accept: 'application/json', ...this.options.headers }, cache: 'no-store' },
      this.options.statusTimeout ?? 10_000,
      call,
    );
    const parsed = statusSchema().safeParse(answer.kind === 'json' ? answer.value : undefined);
    if (!parsed.success) throw new CheckoutError('invalid_backend_response', 'the status answer has the wrong shape');
    const { status, code, message } = parsed.data;
    const result: StatusAnswer = { status };
    if (code !== undefined && code !== null) result.code = String(code);
    if (message !== undefined && message !== null) result.message = message;
    return result;
  }
}

function isEnvelope(body: unknown): body is CreateAnswer {
  return (
    body !== null &&
    typeof body === 'object' &&
    typeof (body as { gateway?: unknown }).gateway === 'string' &&
    'response' in body
  );
}
