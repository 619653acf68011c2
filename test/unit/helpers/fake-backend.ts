/**
 * A merchant backend faked at the `fetch` level: the element's real backend client, real
 * Request/Response objects, scripted answers. Restore with `restore()` (call it in afterEach).
 */
import type { CashdeskStatusEvent } from '../../../src/events/events.js';

export interface Recorded {
  url: URL;
  method: string;
  headers: Headers;
  body: unknown;
  signal: AbortSignal | undefined;
  /** Settles once the request has ended: answered, failed or aborted. */
  settled: Promise<void>;
}

export type Reply = Response | Error | Promise<Response | Error> | 'hang';

export interface FakeBackend {
  creates: Recorded[];
  statuses: Recorded[];
  /** Requests still waiting for an answer. */
  pending: () => number;
  restore: () => void;
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

export const htmlBody = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/html; charset=utf-8' } });

export function fakeBackend(script: {
  create?: (call: Recorded, n: number) => Reply;
  status?: (call: Recorded, n: number) => Reply;
}): FakeBackend {
  const original = window.fetch;
  const creates: Recorded[] = [];
  const statuses: Recorded[] = [];
  let waiting = 0;
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input instanceof Request ? input.url : input), location.href);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    let ended: () => void = () => {};
    const settled = new Promise<void>((resolve) => {
      ended = resolve;
    });
    const call: Recorded = {
      url,
      method,
      headers: new Headers(init.headers),
      body,
      signal: init.signal ?? undefined,
      settled,
    };
    const isCreate = method === 'POST';
    const list = isCreate ? creates : statuses;
    list.push(call);
    const handler = isCreate ? script.create : script.status;
    if (!handler) {
      ended();
      throw new TypeError('Failed to fetch');
    }
    waiting += 1;
    try {
      const reply = handler(call, list.length);
      const answer =
        reply === 'hang'
          ? await new Promise<Response | Error>((_resolve, reject) => {
              call.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
            })
          : await reply;
      if (call.signal?.aborted) throw new DOMException('aborted', 'AbortError');
      if (answer instanceof Error) throw answer;
      return answer;
    } finally {
      waiting -= 1;
      ended();
    }
  };
  return {
    creates,
    statuses,
    pending: () => waiting,
    restore: () => {
      window.fetch = original;
    },
  };
}

/** Makes the page look hidden or visible to the code under test, and fires visibilitychange. */
export function setVisibility(state: DocumentVisibilityState): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => state === 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** Back to the browser's own visibility. */
export function restoreVisibility(): void {
  delete (document as { visibilityState?: unknown }).visibilityState;
  delete (document as { hidden?: unknown }).hidden;
}

/** A promise the test settles: an answer released when the test says so. */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

type StatusDetail = CashdeskStatusEvent['detail'];

/**
 * The next `cashdesk-status` the element fires whose detail matches: a state reached
 * (`{ state: 'idle' }`) or a status answered (`{ status: 'pending' }`). Listen before the act.
 */
export function nextStatus(target: EventTarget, match: Partial<StatusDetail>): Promise<StatusDetail> {
  return new Promise((resolve) => {
    const listener = (event: Event) => {
      const detail = (event as CashdeskStatusEvent).detail;
      if (!Object.entries(match).every(([key, value]) => detail[key as keyof StatusDetail] === value)) return;
      target.removeEventListener('cashdesk-status', listener);
      resolve(detail);
    };
    target.addEventListener('cashdesk-status', listener);
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` is true, polling every 10 ms, or fails after `timeout`. */
export async function until(check: () => boolean, timeout = 3000, what = 'condition'): Promise<void> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeout) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/**
 * Waits until nothing on the page is fading (an animation of opacity still in the document's
 * list), then a frame more: axe and pixel checks must see the settled colours. In WebKitGTK the
 * computed opacity lags for 100–150 ms after an animation reports `finished`, while it is still
 * listed, so the list is what is waited on.
 */
export async function fadesSettled(timeout = 3000): Promise<void> {
  const deadline = performance.now() + timeout;
  // Firefox lists a shadow tree's animations only on its own root, so every open root is asked.
  const roots = (): (Document | ShadowRoot)[] => {
    const found: (Document | ShadowRoot)[] = [document];
    for (let i = 0; i < found.length; i += 1) {
      for (const el of (found[i] as ParentNode).querySelectorAll('*')) if (el.shadowRoot) found.push(el.shadowRoot);
    }
    return found;
  };
  const fading = () =>
    [...new Set(roots().flatMap((root) => root.getAnimations()))].filter((animation) =>
      (animation.effect as KeyframeEffect | null)?.getKeyframes().some((frame) => 'opacity' in frame),
    );
  while (fading().length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}
