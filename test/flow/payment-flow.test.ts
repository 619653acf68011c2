// PaymentFlow with fakes for what it is given: a backend whose answers the test releases, a
// poller the test drives, a clock the test sets. No DOM, no timers, no sleeps.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateAnswer, CreateRequest, StatusAnswer } from '../../src/core/backend.js';
import { CheckoutError } from '../../src/core/errors.js';
import type { PollerOptions } from '../../src/core/poller.js';
import { webKeyStore } from '../../src/flow/keys.js';
import { type Clock, PaymentFlow } from '../../src/flow/payment-flow.js';

/** A promise the test settles. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function harness() {
  const creates: { request: CreateRequest; answer: ReturnType<typeof deferred<CreateAnswer>> }[] = [];
  const statuses: ReturnType<typeof deferred<StatusAnswer>>[] = [];
  let poller: PollerOptions | undefined;
  let now = 0;
  const timers: { at: number; run: () => void }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (run, ms) => timers.push({ at: now + ms, run }),
    clearTimeout: () => undefined,
  };
  const events: string[] = [];
  const flow = new PaymentFlow({
    backend: {
      create: (request) => {
        const answer = deferred<CreateAnswer>();
        creates.push({ request, answer });
        return answer.promise;
      },
      status: () => {
        const answer = deferred<StatusAnswer>();
        statuses.push(answer);
        return answer.promise;
      },
    },
    environment: { mobile: false, os: 'other' },
    keys: webKeyStore(() => undefined),
    clock,
    newKey: (() => {
      let n = 0;
      return () => `key-${++n}`;
    })(),
    poller: (options) => {
      poller = options;
      let active = false;
      return {
        get active() {
          return active;
        },
        start: () => {
          active = true;
        },
        stop: () => {
          active = false;
        },
        // One request at a time, as StatusPoller: the answer goes to onStatus when the test releases it.
        checkNow: () => {
          const controller = new AbortController();
          void options.check(controller.signal).then((answer) => options.onStatus?.(answer));
        },
      };
    },
    warn: () => undefined,
  });
  for (const type of [
    'cashdesk-status',
    'cashdesk-success',
    'cashdesk-failure',
    'cashdesk-expired',
    'cashdesk-error',
  ]) {
    flow.addEventListener(type, (event) => {
      const detail = (event as CustomEvent).detail;
      events.push(
        type === 'cashdesk-status' ? `status:${detail.state}${detail.status ? `:${detail.status}` : ''}` : type,
      );
    });
  }
  const settle = () => new Promise((r) => setTimeout(r, 0));
  const advance = async (ms: number) => {
    now += ms;
    for (const timer of timers.splice(0).filter((t) => t.at <= now)) timer.run();
    await settle();
  };
  const setNow = (ms: number) => {
    now = ms;
  };
  return { flow, creates, statuses, events, settle, advance, setNow, now: () => now, poller: () => poller };
}

const qrAnswer = (expiresAt?: string): CreateAnswer => ({
  gateway: 'test',
  response: {},
  ...(expiresAt ? { clockOffset: 0 } : {}),
});

describe('PaymentFlow', () => {
  it('a double tap sends one create', async () => {
    const h = harness();
    void h.flow.pay('A1', 'alipay');
    void h.flow.pay('A1', 'alipay');
    await h.settle();
    assert.equal(h.creates.length, 1);
    assert.equal(h.creates[0]?.request.idempotencyKey, 'key-1');
  });

  it("an abandoned attempt's late create answer is ignored", async () => {
    const h = harness();
    const flow = new PaymentFlow({
      backend: {
        create: (request) => {
          const answer = deferred<CreateAnswer>();
          h.creates.push({ request, answer });
          return answer.promise;
        },
        status: () => new Promise(() => undefined),
      },
      environment: { mobile: false, os: 'other' },
      keys: webKeyStore(() => undefined),
      toAction: () => ({ kind: 'qr', content: 'https://qr.alipay.com/abc' }),
      poller: () => ({ active: false, start() {}, stop() {}, checkNow() {} }),
    });
    void flow.pay('A1', 'alipay');
    await h.settle();
    flow.back();
    h.creates[0]?.answer.resolve(qrAnswer());
    await h.settle();
    assert.equal(flow.state.view, 'idle');
  });

  it('the deadline race: a pending answer that left before the deadline does not expire a paid order', async () => {
    const h = harness();
    const flow = new PaymentFlow({
      backend: {
        create: async () => ({ gateway: 'test', response: {} }),
        status: () => {
          const answer = deferred<StatusAnswer>();
          h.statuses.push(answer);
          return answer.promise;
        },
      },
      environment: { mobile: false, os: 'other' },
      keys: webKeyStore(() => undefined),
      toAction: () => ({ kind: 'qr', content: 'https://qr.alipay.com/abc', expiresAt: new Date(1000).toISOString() }),
      clock: {
        now: () => h.now(),
        setTimeout: () => undefined,
        clearTimeout: () => undefined,
      },
      poller: (options) => ({
        active: true,
        start() {},
        stop() {},
        checkNow() {
          const sent = options.check(new AbortController().signal);
          void sent.then((answer) => options.onStatus?.(answer));
        },
      }),
    });
    const ended: string[] = [];
    flow.addEventListener('cashdesk-expired', () => ended.push('expired'));
    flow.addEventListener('cashdesk-success', () => ended.push('paid'));
    h.setNow(900);
    await flow.pay('A1', 'alipay');
    assert.equal(flow.state.view, 'qr');
    flow.check(); // a status request leaves at 900, before the deadline
    h.setNow(1100); // and its answer comes back after it
    h.statuses[0]?.resolve({ status: 'pending' });
    await h.settle();
    assert.equal(flow.state.view, 'qr', 'the early answer cannot expire the code');
    assert.equal(h.statuses.length, 2, 'the last check went out');
    h.statuses[1]?.resolve({ status: 'paid' });
    await h.settle();
    assert.deepEqual(ended, ['paid']);
  });

  it('Pay on a page that cannot create (no endpoint) shows the payment the server rendered again; with one, it creates', async () => {
    let creates = 0;
    const make = () =>
      new PaymentFlow({
        backend: {
          create: async () => {
            creates += 1;
            return { gateway: 'test', response: {} };
          },
          status: () => new Promise(() => undefined),
        },
        environment: { mobile: false, os: 'other' },
        keys: webKeyStore(() => undefined),
        toAction: (_gateway, response) => ({
          kind: 'qr',
          content: (response as { rendered?: boolean }).rendered ? 'rendered' : 'created',
        }),
        poller: () => ({ active: false, start() {}, stop() {}, checkNow() {} }),
      });
    const rendered: CreateAnswer = { gateway: 'test', response: { rendered: true } };
    const page = make();
    await page.pay('A1', 'alipay', { canCreate: false, rendered });
    assert.equal(page.state.view === 'qr' && page.state.action.content, 'rendered');
    assert.equal(creates, 0);
    const shop = make();
    await shop.pay('A1', 'alipay', { canCreate: true, rendered });
    assert.equal(shop.state.view === 'qr' && shop.state.action.content, 'created');
    assert.equal(creates, 1);
    // Without a rendered payment there is nothing to show: Pay creates (and the backend says what is wrong).
    const bare = make();
    await bare.pay('A1', 'alipay', { canCreate: false });
    assert.equal(creates, 2);
  });
});

describe('PaymentFlow moved in the page mid-payment (a framework re-parenting the element)', () => {
  const flowWith = (inApp: 'alipay' | 'wechat-miniprogram', performers: Record<string, unknown>) => {
    const checks: number[] = [];
    const flow = new PaymentFlow({
      backend: {
        create: async () => ({ gateway: 'test', response: {} }),
        status: () => new Promise(() => undefined),
      },
      environment: { mobile: true, os: 'ios', inApp },
      keys: webKeyStore(() => undefined),
      toAction: () =>
        inApp === 'alipay'
          ? { kind: 'sdk-token', sdk: 'alipay', token: 'app_id=1&biz_content=x&sign=y' }
          : {
              kind: 'mini-program',
              platform: 'wechat',
              params: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 'S' },
            },
      poller: () => ({ active: true, start() {}, stop() {}, checkNow: () => checks.push(1) }),
      performers: performers as never,
    });
    return { flow, checks };
  };
  const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

  it("Alipay's cashier: its answer is lost with the move, so the backend is asked and the shopper can choose again", async () => {
    // The cashier never answers this page again: the move aborted the call that was waiting for it.
    const { flow, checks } = flowWith('alipay', { alipay: () => new Promise(() => undefined) });
    await flow.pay('A1', 'alipay');
    await tick();
    assert.equal(flow.state.view, 'alipay');
    flow.disconnect();
    flow.connect();
    await tick();
    assert.equal(flow.state.view, 'waiting');
    assert.ok(checks.length > 0, 'the backend is asked at once');
  });

  /** The web-view's hand-off as `handToMiniProgram` makes it: a removal while the bridge is still asked stops it. */
  const handOffs = () => {
    const made: { opened: () => void; signal: AbortSignal }[] = [];
    const miniProgram = (_action: unknown, _orderId: string, signal: AbortSignal) =>
      new Promise<void>((resolve, reject) => {
        made.push({ opened: resolve, signal });
        signal.addEventListener('abort', () => reject(new CheckoutError('aborted', 'the hand-off was aborted')));
      });
    return { made, miniProgram };
  };

  it("moved before the mini-program's page opened: the hand-off is made again, then the way back listened for", async () => {
    const { made, miniProgram } = handOffs();
    const backs: { signal: AbortSignal; back: () => void }[] = [];
    const { flow } = flowWith('wechat-miniprogram', {
      miniProgram,
      appBack: (signal: AbortSignal, back: () => void) => backs.push({ signal, back }),
    });
    await flow.pay('A1', 'wxpay');
    await tick();
    assert.equal(flow.state.view, 'mini-program');
    assert.equal(made.length, 1);
    flow.disconnect();
    flow.connect();
    await tick();
    assert.equal(made.length, 2, 'the page is asked to open again');
    made[1]?.opened();
    await tick();
    const listening = backs.filter((each) => !each.signal.aborted);
    assert.equal(listening.length, 1, 'one live listener for the way back');
    listening[0]?.back();
    assert.equal(flow.state.view, 'waiting');
  });

  it("moved while the mini-program's page was opening: it opens once, and the way back is listened for", async () => {
    const { made, miniProgram } = handOffs();
    const backs: { signal: AbortSignal; back: () => void }[] = [];
    const { flow } = flowWith('wechat-miniprogram', {
      // navigateTo was already called: the removal does not stop it, and its success comes later.
      miniProgram: (action: unknown, orderId: string, signal: AbortSignal) =>
        miniProgram(action, orderId, new AbortController().signal).then(() => assert.ok(signal)),
      appBack: (signal: AbortSignal, back: () => void) => backs.push({ signal, back }),
    });
    await flow.pay('A1', 'wxpay');
    await tick();
    flow.disconnect();
    flow.connect();
    made[0]?.opened();
    await tick();
    assert.equal(made.length, 1, 'one navigateTo');
    const listening = backs.filter((each) => !each.signal.aborted);
    assert.equal(listening.length, 1, 'one live listener for the way back');
  });

  it("a mini-program's page: the way back is listened for again after the move", async () => {
    const backs: { signal: AbortSignal; back: () => void }[] = [];
    const { flow } = flowWith('wechat-miniprogram', {
      miniProgram: async () => undefined,
      appBack: (signal: AbortSignal, back: () => void) => backs.push({ signal, back }),
    });
    await flow.pay('A1', 'wxpay');
    await tick();
    assert.equal(flow.state.view, 'mini-program');
    flow.disconnect();
    flow.connect();
    const listening = backs.filter((each) => !each.signal.aborted);
    assert.equal(listening.length, 1, 'one live listener for the way back');
    listening[0]?.back();
    assert.equal(flow.state.view, 'waiting');
  });
});
