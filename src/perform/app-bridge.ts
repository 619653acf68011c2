/**
 * The wait both wallet apps' in-page bridges need: the app injects its bridge object some time
 * after the page loads and announces it with a ready event on the document (WeChat's
 * `WeixinJSBridgeReady`, Alipay's `AlipayJSBridgeReady`; both documented as "if the object is
 * missing, listen for the event"). One call, once the bridge is there, at most `readyTimeout`
 * later; an abort or a settled call stops every timer and listener.
 */
import { CheckoutError } from '../core/errors.js';

export interface BridgeCall<B, R> {
  /** The bridge's global name, for messages (`WeixinJSBridge`). */
  name: string;
  /** What the call does, for the abort message (`the WeChat payment`). */
  what: string;
  /** The bridge object if the app has injected it (never something the page could fake). */
  find: () => B | undefined;
  /** Whether the page runs in the app, so waiting for its bridge is worth it. */
  inApp: () => boolean;
  /** Where the bridge exists, for the message when the page is elsewhere. */
  where: string;
  readyTimeout: number;
  signal?: AbortSignal | undefined;
  /** Calls the bridge; `answer` settles with its reply (a later reply is ignored). */
  call: (bridge: B, answer: (result: R) => void) => void;
}

/**
 * Rejects with `bridge_unavailable` at once outside the app, `bridge_timeout` when the ready event
 * does not come in time, `bridge_failed` when the bridge throws, `aborted` on the signal.
 */
export function callWhenReady<B, R>(options: BridgeCall<B, R>): Promise<R> {
  const { name, signal, readyTimeout } = options;
  const readyEvent = `${name}Ready`;
  return new Promise<R>((resolve, reject) => {
    if (signal?.aborted) throw new CheckoutError('aborted', `${options.what} was aborted`);

    let timer: number | undefined;
    let settled = false;

    const stopWaiting = () => {
      if (timer !== undefined) window.clearTimeout(timer);
      timer = undefined;
      document.removeEventListener(readyEvent, onReady);
    };
    const finish = (done: () => void) => {
      if (settled) return;
      settled = true;
      stopWaiting();
      signal?.removeEventListener('abort', onAbort);
      done();
    };
    const call = (bridge: B) => {
      stopWaiting();
      try {
        options.call(bridge, (result) => finish(() => resolve(result)));
      } catch (cause) {
        finish(() => reject(new CheckoutError('bridge_failed', `${name} threw`, { cause })));
      }
    };
    function onReady() {
      // A ready event without a usable bridge is left to the timeout rather than trusted.
      const bridge = options.find();
      if (bridge !== undefined && !settled) call(bridge);
    }
    function onAbort() {
      finish(() => reject(new CheckoutError('aborted', `${options.what} was aborted`)));
    }

    const bridge = options.find();
    if (bridge === undefined && !options.inApp()) {
      throw new CheckoutError('bridge_unavailable', `${name} exists only inside ${options.where}`);
    }
    signal?.addEventListener('abort', onAbort);
    if (bridge !== undefined) {
      call(bridge);
      return;
    }
    document.addEventListener(readyEvent, onReady);
    timer = window.setTimeout(() => {
      timer = undefined;
      finish(() => reject(new CheckoutError('bridge_timeout', `${readyEvent} did not fire in ${readyTimeout} ms`)));
    }, readyTimeout);
  });
}
