// The payment protocol as data: `next(state, event)` with no DOM, no timers, no network.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckoutError } from '../../src/core/errors.js';
import type { NextAction } from '../../src/core/next-action.js';
import { canTryAgain, FAILURE_REASONS, type FailureReason, toldFailure } from '../../src/flow/failure.js';
import {
  type ActionFacts,
  type Effect,
  type FlowEvent,
  initialState,
  isSlow,
  next,
  offerOf,
  type PaymentState,
  retryOf,
  SLOW_AFTER_CHECKS,
} from '../../src/flow/state.js';

const desktop: ActionFacts = { taken: false, mobile: false, inWechat: false };
const phone: ActionFacts = { taken: false, mobile: true, inWechat: false };
const qr: NextAction = { kind: 'qr', content: 'weixin://wxpay/bizpayurl?pr=abc', gateway: 'epay' };

/** Runs events from a state; returns the last state and every effect, in order. */
function play(state: PaymentState, ...events: FlowEvent[]): { state: PaymentState; effects: Effect[] } {
  const effects: Effect[] = [];
  let now = state;
  for (const event of events) {
    const result = next(now, event);
    now = result.state;
    effects.push(...result.effects);
  }
  return { state: now, effects };
}

const outputs = (effects: Effect[], type: string) =>
  effects.flatMap((effect) => (effect.type === 'emit' && effect.output.type === type ? [effect.output] : []));
const effectsOf = (effects: Effect[], type: Effect['type']) => effects.filter((effect) => effect.type === type);
const states = (effects: Effect[]) =>
  effects.flatMap((e) => (e.type === 'emit' && e.output.type === 'status' && !e.output.status ? [e.output.state] : []));

const pay: FlowEvent = { type: 'pay', orderId: 'A1', method: 'wxpay', newKey: 'key-1' };
const created = (action: NextAction, facts: ActionFacts = desktop, deadline?: number): FlowEvent => ({
  type: 'created',
  n: 1,
  action,
  facts,
  ...(deadline === undefined ? {} : { deadline }),
});
const status = (answer: FlowEvent & { type: 'status' } extends { answer: infer A } ? A : never, sentAt = 0, at = 0) =>
  ({ type: 'status', n: 1, answer, sentAt, at }) as FlowEvent;

describe('next: creating a payment', () => {
  it('Pay creates one payment with a new key, kept for a reload', () => {
    const { state, effects } = play(initialState, pay);
    assert.equal(state.view, 'creating');
    assert.deepEqual(effectsOf(effects, 'create'), [
      { type: 'create', attempt: { n: 1, orderId: 'A1', method: 'wxpay', key: 'key-1' } },
    ]);
    assert.deepEqual(effectsOf(effects, 'store-key'), [
      { type: 'store-key', orderId: 'A1', method: 'wxpay', key: 'key-1' },
    ]);
    assert.deepEqual(states(effects), ['creating']);
  });

  it('a double tap creates nothing more', () => {
    const { effects } = play(initialState, pay, { ...pay, newKey: 'key-2' });
    assert.equal(effectsOf(effects, 'create').length, 1);
  });

  it('a reload after a lost answer sends the key kept for the order and method', () => {
    const { effects } = play(initialState, { ...pay, storedKey: 'kept' });
    assert.deepEqual(effectsOf(effects, 'create'), [
      { type: 'create', attempt: { n: 1, orderId: 'A1', method: 'wxpay', key: 'kept' } },
    ]);
  });

  it('a create that got no answer is retried with the same key', () => {
    const lost = new CheckoutError('network', 'offline');
    const { state, effects } = play(
      initialState,
      pay,
      { type: 'create-failed', n: 1, error: lost },
      { type: 'retry', orderId: 'A1', method: 'wxpay', newKey: 'key-2' },
    );
    assert.equal(state.view, 'creating');
    assert.deepEqual(
      effectsOf(effects, 'create').map((e) => e.type === 'create' && e.attempt.key),
      ['key-1', 'key-1'],
    );
  });

  it('a new code is a new attempt with a new key', () => {
    const { effects } = play(initialState, pay, created({ ...qr }), {
      type: 'refresh',
      orderId: 'A1',
      method: 'wxpay',
      newKey: 'key-2',
    });
    assert.deepEqual(
      effectsOf(effects, 'create').map((e) => e.type === 'create' && [e.attempt.n, e.attempt.key]),
      [
        [1, 'key-1'],
        [2, 'key-2'],
      ],
    );
  });

  it('a refused gateway answer forgets the key: the next Pay is a new payment', () => {
    const refused = new CheckoutError('unsafe_url_scheme', 'javascript:');
    const { state, effects } = play(initialState, pay, { type: 'create-failed', n: 1, error: refused });
    assert.equal(state.view, 'error');
    assert.deepEqual(effectsOf(effects, 'store-key').at(-1), { type: 'store-key', orderId: 'A1', method: 'wxpay' });
  });

  it('a create endpoint that answers 404 is the merchant setup: no retry, a warning, another method', () => {
    const notFound = new CheckoutError('http_status', 'the create endpoint answered 404', { status: 404 });
    const failed = play(initialState, pay, { type: 'create-failed', n: 1, error: notFound });
    assert.equal(failed.state.view === 'error' && failed.state.unavailable, true);
    assert.equal(effectsOf(failed.effects, 'warn').length, 1);
    const retried = next(failed.state, { type: 'retry', orderId: 'A1', method: 'wxpay', newKey: 'k' });
    assert.equal(retried.state, failed.state);
    assert.deepEqual(retried.effects, []);
  });
});

describe('next: what the gateway asked for', () => {
  it('a QR is shown and followed, with its deadline', () => {
    const { state, effects } = play(initialState, pay, created(qr, desktop, 5000));
    assert.equal(state.view, 'qr');
    assert.deepEqual(effectsOf(effects, 'follow'), [{ type: 'follow', n: 1, orderId: 'A1', deadline: 5000 }]);
  });

  it("a gateway's success is not proof of payment: the backend is asked, nothing is paid yet", () => {
    const { state, effects } = play(initialState, pay, created({ kind: 'success', reference: 'T1' }));
    assert.equal(state.view, 'waiting');
    assert.equal(outputs(effects, 'success').length, 0);
    assert.equal(effectsOf(effects, 'check').length, 1);
  });

  it('the merchant took the action over: the payment is followed', () => {
    const { state, effects } = play(initialState, pay, created(qr, { ...desktop, taken: true }));
    assert.equal(state.view, 'waiting');
    assert.equal(effectsOf(effects, 'follow').length, 1);
  });

  it('a redirect leaves the page; the guide or the page can keep it', () => {
    const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
    assert.deepEqual(
      effectsOf(play(initialState, pay, created(redirect, { ...desktop, leave: 'go' })).effects, 'perform'),
      [{ type: 'perform', n: 1, action: redirect }],
    );
    assert.equal(
      play(initialState, pay, created(redirect, { ...desktop, leave: 'guide' })).state.view,
      'open-in-browser',
    );
    assert.equal(play(initialState, pay, created(redirect, { ...desktop, leave: 'page' })).state.view, 'waiting');
  });

  it('a deep link on a desktop is shown as a code to scan, and no app is said to have failed', () => {
    const link: NextAction = { kind: 'deeplink', url: 'weixin://wxpay/bizpayurl?pr=x' };
    const { state, effects } = play(initialState, pay, created(link, desktop));
    assert.equal(state.view === 'app-fallback' && state.tried, false);
    assert.equal(effectsOf(effects, 'perform').length, 0);
    assert.equal(outputs(effects, 'app-launch-failed').length, 0);
  });

  it('a deep link on a phone that opened no app shows its code and says so once', () => {
    const link: NextAction = { kind: 'deeplink', url: 'alipays://platformapi/startapp?x=1' };
    const { state, effects } = play(initialState, pay, created(link, phone), { type: 'app', n: 1, outcome: 'stayed' });
    assert.equal(state.view === 'app-fallback' && state.tried, true);
    assert.deepEqual(outputs(effects, 'app-launch-failed'), [
      { type: 'app-launch-failed', orderId: 'A1', url: 'alipays://platformapi/startapp?x=1' },
    ]);
  });

  it('a deep link whose error page was left by Back: the page shown again, then nothing opened, shows the fallback', () => {
    const link: NextAction = { kind: 'deeplink', url: 'weixin://dl/business/?t=x' };
    const { state, effects } = play(
      initialState,
      pay,
      created(link, phone),
      { type: 'page-shown', persisted: false },
      { type: 'app', n: 1, outcome: 'stayed' },
    );
    assert.equal(state.view === 'app-fallback' && state.tried, true);
    assert.equal(outputs(effects, 'app-launch-failed').length, 1);
  });

  it("WeChat's cancel goes back to the methods with the order and its key kept", () => {
    const sheet: NextAction = {
      kind: 'wechat-jsapi',
      params: { appId: 'a', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' },
    };
    const { state, effects } = play(initialState, pay, created(sheet, { ...phone, inWechat: true }), {
      type: 'wechat',
      n: 1,
      outcome: 'cancel',
    });
    assert.deepEqual(state, { view: 'idle', n: 1, note: 'canceled', orderId: 'A1' });
    assert.equal(
      effectsOf(effects, 'store-key').some((e) => e.type === 'store-key' && e.key === undefined),
      false,
    );
  });

  it("WeChat's fail keeps following; Retry opens the same sheet, never a new payment", () => {
    const sheet: NextAction = {
      kind: 'wechat-jsapi',
      params: { appId: 'a', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' },
    };
    const { state, effects } = play(
      initialState,
      pay,
      created(sheet, { ...phone, inWechat: true }),
      { type: 'wechat', n: 1, outcome: 'fail' },
      { type: 'retry', orderId: 'A1', method: 'wxpay', newKey: 'key-2' },
    );
    assert.equal(state.view, 'wechat');
    assert.equal(effectsOf(effects, 'create').length, 1);
    assert.equal(effectsOf(effects, 'perform').length, 2);
  });
});

describe('next: the end of a payment', () => {
  const shown = play(initialState, pay, created(qr)).state;

  it('only the backend says paid, and the success event goes out once', () => {
    const { state, effects } = play(
      shown,
      status({ status: 'paid' }),
      status({ status: 'paid' }),
      status({ status: 'failed' }),
    );
    assert.equal(state.view, 'paid');
    assert.equal(outputs(effects, 'success').length, 1);
    assert.equal(outputs(effects, 'failure').length, 0);
    assert.deepEqual(effectsOf(effects, 'store-key'), [{ type: 'store-key', orderId: 'A1', method: 'wxpay' }]);
  });

  it('the shopper reads the kind of failure; the gateway words stay a detail', () => {
    const { state, effects } = play(
      shown,
      status({ status: 'failed', code: 'USER_BALANCE_NOT_ENOUGH', message: 'The user balance is not enough' }),
    );
    assert.equal(state.view === 'failed' && state.failure.reason, 'insufficient_funds');
    const [failure] = outputs(effects, 'failure');
    assert.equal(failure?.type === 'failure' && failure.reason, 'insufficient_funds');
  });

  it("a bad API key is the merchant's setup: a warning for the developer", () => {
    const { state, effects } = play(
      initialState,
      pay,
      created({ kind: 'failed', code: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_abc' }),
    );
    assert.equal(state.view === 'failed' && state.failure.reason, 'merchant_config');
    assert.equal(effectsOf(effects, 'warn').length, 1);
  });

  it('the answers of an abandoned attempt are ignored', () => {
    const left = play(shown, { type: 'back' });
    assert.equal(left.state.view, 'idle');
    const late = play(left.state, status({ status: 'paid' }));
    assert.equal(late.state, left.state);
    assert.deepEqual(late.effects, []);
    const again = play(left.state, { ...pay, newKey: 'key-2' }, created(qr));
    assert.equal(again.state.view, 'creating', 'the first attempt’s create answer (n = 1) is not the second’s');
  });

  it('the shopper can choose another method from the QR and from every waiting state', () => {
    for (const view of [
      'qr',
      'waiting',
      'app',
      'wechat',
      'native',
      'redirecting',
      'app-fallback',
      'open-in-wechat',
    ] as const) {
      const waiting = { ...shown, view } as PaymentState;
      assert.equal(next(waiting, { type: 'back' }).state.view, 'idle', view);
    }
  });
});

describe('next: the QR deadline', () => {
  const shown = play(initialState, pay, created(qr, desktop, 1000)).state;

  it('at the deadline the backend is asked once more', () => {
    assert.deepEqual(next(shown, { type: 'deadline', n: 1 }).effects, [{ type: 'check' }]);
  });

  it('a pending answer sent before the deadline cannot expire the code; the last check decides', () => {
    const raced = play(shown, { type: 'deadline', n: 1 }, status({ status: 'pending' }, 900, 1100));
    assert.equal(raced.state.view, 'qr');
    assert.equal(outputs(raced.effects, 'expired').length, 0);
    assert.equal(effectsOf(raced.effects, 'check').length, 2);
    assert.equal(play(raced.state, status({ status: 'paid' }, 1100, 1150)).state.view, 'paid');
    const spent = play(raced.state, status({ status: 'pending' }, 1100, 1150));
    assert.equal(spent.state.view, 'expired');
    assert.equal(outputs(spent.effects, 'expired').length, 1);
  });
});

describe('next: a return page', () => {
  const resumed = play(initialState, { type: 'resume', orderId: 'R7' });

  it('follows the order at once', () => {
    assert.equal(resumed.state.view, 'waiting');
    assert.equal(effectsOf(resumed.effects, 'check').length, 1);
  });

  it('a canceled answer ends it, with every key of the order forgotten', () => {
    const { state, effects } = play(resumed.state, {
      type: 'status',
      n: 1,
      answer: { status: 'canceled' },
      sentAt: 0,
      at: 0,
    });
    assert.equal(state.view === 'failed' && state.failure.reason, 'canceled');
    assert.deepEqual(effectsOf(effects, 'clear-keys'), [{ type: 'clear-keys', orderId: 'R7' }]);
  });

  it('a long pending is counted, and the payment is still followed', () => {
    const pending = Array.from({ length: SLOW_AFTER_CHECKS + 2 }, () => status({ status: 'pending' }));
    const { state, effects } = play(resumed.state, ...pending);
    assert.equal(state.view === 'waiting' && state.pending, SLOW_AFTER_CHECKS + 2);
    assert.equal(outputs(effects, 'status').length, SLOW_AFTER_CHECKS + 2, 'each answer is told to the page');
    assert.equal(effectsOf(effects, 'stop-following').length, 0);
  });
});

describe('next: what the page is told', () => {
  it('a state is announced before what it starts: "redirecting", then the navigation', () => {
    const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
    const { effects } = play(initialState, pay, created(redirect, { ...desktop, leave: 'go' }));
    const announced = effects.findIndex(
      (e) => e.type === 'emit' && e.output.type === 'status' && e.output.state === 'redirecting',
    );
    const performed = effects.findIndex((e) => e.type === 'perform');
    assert.ok(announced >= 0 && announced < performed);
  });

  it('back to the methods still names the order', () => {
    const { effects } = play(initialState, pay, created(qr), { type: 'back' });
    assert.deepEqual(outputs(effects, 'status').at(-1), { type: 'status', orderId: 'A1', state: 'idle' });
  });

  it('a new code after expiry is for the method of the expired one, with a new key', () => {
    const expired = play(
      initialState,
      pay,
      created(qr, desktop, 1000),
      status({ status: 'pending' }, 1200, 1300),
    ).state;
    assert.equal(expired.view, 'expired');
    const { effects } = play(expired, { type: 'refresh', orderId: 'A1', method: 'alipay', newKey: 'key-2' });
    assert.deepEqual(effectsOf(effects, 'create'), [
      { type: 'create', attempt: { n: 2, orderId: 'A1', method: 'wxpay', key: 'key-2' } },
    ]);
  });
});

describe('next: the rest of the transitions', () => {
  const token: NextAction = { kind: 'sdk-token', sdk: 'alipay', token: 'app_id=1&sign=x' };
  const handed = () => play(initialState, pay, created(token, phone), { type: 'native-posted', n: 1, bridge: 'ios' });

  it('an SDK token: handed to the app, then the app says success: the backend is asked, nothing is paid yet', () => {
    const { state, effects } = play(handed().state, { type: 'native', n: 1, outcome: 'success' });
    assert.equal(state.view, 'waiting');
    assert.equal(effectsOf(effects, 'check').length, 1);
    assert.equal(outputs(handed().effects, 'sdk-token').length, 1);
    assert.equal(effectsOf(handed().effects, 'listen-native').length, 1);
  });

  it('an SDK token without a native bridge: unsupported, still followed', () => {
    const { state } = play(initialState, pay, created(token, phone), { type: 'native-posted', n: 1 });
    assert.equal(state.view, 'unsupported');
  });

  it("the app's fail keeps following; its cancel goes back to the methods", () => {
    const failed = play(handed().state, { type: 'native', n: 1, outcome: 'fail', message: 'x' });
    assert.equal(failed.state.view === 'error' && failed.state.following, true);
    assert.equal(effectsOf(failed.effects, 'stop-following').length, 0);
    assert.equal(play(handed().state, { type: 'native', n: 1, outcome: 'cancel' }).state.view, 'idle');
  });

  it('a navigation that threw is an error; a status check that failed is trouble, not a failure', () => {
    const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
    const leaving = play(initialState, pay, created(redirect, { ...desktop, leave: 'go' })).state;
    const thrown = new CheckoutError('unsafe_url_scheme', 'x');
    assert.equal(play(leaving, { type: 'perform-failed', n: 1, error: thrown }).state.view, 'error');
    const troubled = play(leaving, { type: 'status-failed', n: 1, error: new Error('offline') }).state;
    assert.equal(troubled.view === 'redirecting' && troubled.trouble, true);
    assert.equal(play(troubled, status({ status: 'pending' })).state.view === 'redirecting', true);
  });

  it('back from the page that was left: redirecting becomes waiting; a bfcache restore while creating goes back', () => {
    const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
    const leaving = play(initialState, pay, created(redirect, { ...desktop, leave: 'go' })).state;
    const shown = play(leaving, { type: 'page-shown', persisted: true });
    assert.equal(shown.state.view, 'waiting');
    assert.deepEqual(effectsOf(shown.effects, 'ensure-following'), [{ type: 'ensure-following' }]);
    assert.equal(play(initialState, pay, { type: 'page-shown', persisted: true }).state.view, 'idle');
  });

  it("a stale attempt's deadline, WeChat answer or app answer changes nothing", () => {
    const second = play(
      initialState,
      pay,
      created(qr),
      { type: 'back' },
      { ...pay, newKey: 'k2' },
      {
        type: 'created',
        n: 2,
        action: qr,
        facts: desktop,
        deadline: 5,
      },
    ).state;
    for (const event of [
      { type: 'deadline', n: 1 },
      { type: 'wechat', n: 1, outcome: 'ok' },
      { type: 'native', n: 1, outcome: 'cancel' },
      { type: 'app', n: 1, outcome: 'stayed' },
      { type: 'status', n: 1, answer: { status: 'paid' }, sentAt: 0, at: 0 },
    ] as FlowEvent[]) {
      const result = next(second, event);
      assert.equal(result.state, second, event.type);
      assert.deepEqual(result.effects, [], event.type);
    }
  });
});

/** The effects in order, as short names: `emit:status:qr`, `perform:redirect`, `follow`, … */
const summary = (effects: Effect[]) =>
  effects.map((effect) => {
    if (effect.type === 'emit') {
      return `emit:${effect.output.type}${effect.output.type === 'status' ? `:${effect.output.state}` : ''}`;
    }
    return effect.type === 'perform' ? `perform:${effect.action.kind}` : effect.type;
  });

describe('next: a payment the server rendered (show) or refused (refused)', () => {
  const sheet: NextAction = {
    kind: 'wechat-jsapi',
    params: { appId: 'a', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' },
  };
  const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
  const form: NextAction = { kind: 'form', action: 'https://pay.example/', method: 'POST', fields: { a: '1' } };
  const link: NextAction = { kind: 'deeplink', url: 'weixin://dl/business/?t=x' };
  const token: NextAction = { kind: 'sdk-token', sdk: 'alipay', token: 'app_id=1&sign=x' };
  const show = (action: NextAction, facts: ActionFacts = desktop, deadline?: number): FlowEvent => ({
    type: 'show',
    orderId: 'S1',
    method: 'wxpay',
    action,
    facts,
    ...(deadline === undefined ? {} : { deadline }),
  });

  // [what, event, the state it enters, its effects in order]
  const shown: [string, FlowEvent, PaymentState['view'], string[]][] = [
    ['a QR, with its deadline', show(qr, desktop, 5000), 'qr', ['emit:status:qr', 'follow']],
    [
      'an action the merchant took over',
      show(qr, { ...desktop, taken: true }),
      'waiting',
      ['emit:status:waiting', 'follow'],
    ],
    [
      'a redirect that leaves',
      show(redirect, { ...desktop, leave: 'go' }),
      'redirecting',
      ['emit:status:redirecting', 'follow', 'perform:redirect'],
    ],
    [
      'a form post that leaves',
      show(form, { ...desktop, leave: 'go' }),
      'redirecting',
      ['emit:status:redirecting', 'follow', 'perform:form'],
    ],
    [
      'a redirect the page keeps',
      show(redirect, { ...desktop, leave: 'page' }),
      'waiting',
      ['emit:status:waiting', 'follow'],
    ],
    [
      'a redirect blocked in the app',
      show(redirect, { ...desktop, leave: 'guide' }),
      'open-in-browser',
      ['emit:status:open-in-browser', 'follow'],
    ],
    ['a deep link on a desktop', show(link, desktop), 'app-fallback', ['emit:status:app-fallback', 'follow']],
    ['a deep link on a phone', show(link, phone), 'app', ['emit:status:app', 'follow', 'perform:deeplink']],
    [
      'a WeChat sheet in WeChat',
      show(sheet, { ...phone, inWechat: true }),
      'wechat',
      ['emit:status:wechat', 'follow', 'perform:wechat-jsapi'],
    ],
    ['a WeChat sheet elsewhere', show(sheet, desktop), 'open-in-wechat', ['emit:status:open-in-wechat', 'follow']],
    // Announced once the hand-off is done (`native-posted`).
    ['an SDK token', show(token, phone), 'native', ['follow', 'perform:sdk-token']],
    ["the gateway's success", show({ kind: 'success' }), 'waiting', ['emit:status:waiting', 'follow', 'check']],
    ["the gateway's pending", show({ kind: 'pending' }), 'waiting', ['emit:status:waiting', 'follow', 'check']],
    [
      "the gateway's failure",
      show({ kind: 'failed', code: 'x', message: 'no' }),
      'failed',
      ['store-key', 'stop-following', 'cancel-action', 'emit:status:failed', 'emit:failure'],
    ],
  ];
  for (const [what, event, view, effects] of shown) {
    it(`show ${what}: ${view}, with no create`, () => {
      const result = next(initialState, event);
      assert.equal(result.state.view, view);
      assert.deepEqual(summary(result.effects), effects);
      // A rendered payment has no create call, so no key to keep.
      assert.deepEqual(effectsOf(result.effects, 'create'), []);
      assert.equal(
        result.effects.some((e) => e.type === 'store-key' && e.key !== undefined),
        false,
      );
      assert.deepEqual('attempt' in result.state && result.state.attempt, {
        n: 1,
        orderId: 'S1',
        method: 'wxpay',
        key: '',
      });
    });
  }

  it('show: the QR is followed with its deadline, and the backend ends it', () => {
    const { state, effects } = play(initialState, show(qr, desktop, 5000), {
      type: 'status',
      n: 1,
      answer: { status: 'paid' },
      sentAt: 0,
      at: 0,
    });
    assert.deepEqual(effectsOf(effects, 'follow'), [{ type: 'follow', n: 1, orderId: 'S1', deadline: 5000 }]);
    assert.equal(state.view, 'paid');
    assert.deepEqual(outputs(effects, 'success'), [{ type: 'success', orderId: 'S1' }]);
  });

  it("show: the gateway's failure carries no status (the backend did not say it)", () => {
    const { effects } = play(initialState, show({ kind: 'failed', code: 'x', message: 'no' }));
    assert.deepEqual(outputs(effects, 'failure'), [
      { type: 'failure', orderId: 'S1', code: 'x', message: 'no', reason: 'unknown' },
    ]);
  });

  // [what, error, whether the key slot is cleared]
  const refused: [string, CheckoutError, boolean][] = [
    ['a hostile answer', new CheckoutError('unsafe_url_scheme', 'javascript:'), true],
    ["an adapter that could not be fetched (the network's)", new CheckoutError('network', 'offline'), false],
  ];
  for (const [what, error, clears] of refused) {
    it(`refused, ${what}: an error, the order kept, nothing followed`, () => {
      const result = next(initialState, { type: 'refused', orderId: 'S1', method: 'wxpay', error });
      assert.equal(result.state.view, 'error');
      assert.deepEqual(summary(result.effects), [
        ...(clears ? ['store-key'] : []),
        'stop-following',
        'cancel-action',
        'emit:status:error',
        'emit:error',
      ]);
      assert.deepEqual(outputs(result.effects, 'error'), [{ type: 'error', orderId: 'S1', error }]);
      const state = result.state as Extract<PaymentState, { view: 'error' }>;
      assert.equal(state.following, false);
      assert.equal(state.unavailable, false);
      assert.deepEqual(state.attempt, { n: 1, orderId: 'S1', method: 'wxpay', key: '' });
    });
  }

  it('show and refused change nothing once a payment is under way', () => {
    const refusal: FlowEvent = {
      type: 'refused',
      orderId: 'S1',
      method: 'wxpay',
      error: new CheckoutError('unsafe_url_scheme', 'x'),
    };
    const events: FlowEvent[] = [show(qr), refusal];
    const under: PaymentState[] = [play(initialState, pay).state, play(initialState, pay, created(qr)).state];
    for (const from of under) {
      for (const event of events) {
        const result: ReturnType<typeof next> = next(from, event);
        assert.equal(result.state, from, `${event.type} in ${from.view}`);
        assert.deepEqual(result.effects, [], `${event.type} in ${from.view}`);
      }
    }
  });

  it('a rendered payment after one that was abandoned is a new attempt: the old one’s answers no longer match', () => {
    const left = play(initialState, pay, created(qr), { type: 'back' }).state;
    const again = next(left, show(qr));
    assert.equal('attempt' in again.state && again.state.attempt?.n, 2);
    assert.equal(play(again.state, status({ status: 'paid' })).state.view, 'qr');
  });
});

describe('what can be tried again (retryOf, offerOf) and a long wait (isSlow)', () => {
  const sheet: NextAction = {
    kind: 'wechat-jsapi',
    params: { appId: 'a', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' },
  };
  const token: NextAction = { kind: 'sdk-token', sdk: 'alipay', token: 'app_id=1&sign=x' };
  const redirect: NextAction = { kind: 'redirect', url: 'https://pay.example/' };
  const retry: FlowEvent = { type: 'retry', orderId: 'A1', method: 'wxpay', newKey: 'key-2' };
  const wechat = { ...phone, inWechat: true };

  // [what, the error state, retryOf, offerOf with a create endpoint, offerOf without one]
  const errors: [string, PaymentState, string | undefined, string | undefined, string | undefined][] = [
    [
      'a create that got no answer',
      play(initialState, pay, { type: 'create-failed', n: 1, error: new CheckoutError('network', 'offline') }).state,
      'same-create',
      'retry',
      undefined,
    ],
    [
      'a create endpoint that answers 404 (the merchant setup)',
      play(initialState, pay, {
        type: 'create-failed',
        n: 1,
        error: new CheckoutError('http_status', 'the create endpoint answered 404', { status: 404 }),
      }).state,
      undefined,
      'another-method',
      'another-method',
    ],
    [
      'a refused gateway answer',
      play(initialState, pay, { type: 'create-failed', n: 1, error: new CheckoutError('unsafe_url_scheme', 'x') })
        .state,
      'new-attempt',
      'another-method',
      'another-method',
    ],
    [
      "WeChat's sheet that failed",
      play(initialState, pay, created(sheet, wechat), { type: 'wechat', n: 1, outcome: 'fail' }).state,
      'same-payment',
      'retry',
      'retry',
    ],
    [
      "the app's SDK that failed",
      play(
        initialState,
        pay,
        created(token, phone),
        { type: 'native-posted', n: 1, bridge: 'ios' },
        {
          type: 'native',
          n: 1,
          outcome: 'fail',
        },
      ).state,
      'same-payment',
      'retry',
      'retry',
    ],
    [
      'a navigation that was refused',
      play(initialState, pay, created(redirect, { ...desktop, leave: 'go' }), {
        type: 'perform-failed',
        n: 1,
        error: new CheckoutError('unsafe_url_scheme', 'x'),
      }).state,
      'new-attempt',
      'another-method',
      'another-method',
    ],
    [
      'a WeChat bridge that never came (the same sheet again)',
      play(initialState, pay, created(sheet, wechat), {
        type: 'perform-failed',
        n: 1,
        error: new CheckoutError('bridge_timeout', 'x'),
      }).state,
      'same-payment',
      'retry',
      'retry',
    ],
  ];

  for (const [what, state, retries, withEndpoint, withoutEndpoint] of errors) {
    it(`after ${what}: retry ${retries ?? 'none'}; offered ${withEndpoint ?? 'nothing'}, ${withoutEndpoint ?? 'nothing'} without an endpoint`, () => {
      assert.equal(state.view, 'error');
      assert.equal(retryOf(state), retries);
      assert.equal(offerOf(state, { canCreate: true }), withEndpoint);
      assert.equal(offerOf(state, { canCreate: false }), withoutEndpoint);
      // next() does what retryOf says.
      const { state: after, effects } = next(state, retry);
      const creates = effectsOf(effects, 'create').map((e) => e.type === 'create' && e.attempt);
      const attempt = 'attempt' in state ? state.attempt : undefined;
      if (retries === undefined) {
        assert.equal(after, state);
        assert.deepEqual(effects, []);
      } else if (retries === 'same-create') {
        assert.deepEqual(creates, [attempt]);
      } else if (retries === 'same-payment') {
        assert.deepEqual(creates, []);
        assert.equal(effectsOf(effects, 'perform').length, 1);
      } else {
        assert.deepEqual(creates, [{ n: 2, orderId: 'A1', method: 'wxpay', key: 'key-2' }]);
      }
    });
  }

  const canTry: Record<FailureReason, boolean> = {
    declined: true,
    insufficient_funds: false,
    limit_exceeded: false,
    expired: true,
    method_unavailable: false,
    merchant_config: false,
    canceled: true,
    unknown: true,
  };
  it('after a failure: Try again (back to Pay) where the same method can work, else another method', () => {
    assert.deepEqual(Object.keys(canTry).sort(), [...FAILURE_REASONS].sort());
    for (const reason of FAILURE_REASONS) {
      assert.equal(canTryAgain(reason), canTry[reason], reason);
      const failed: PaymentState = { view: 'failed', n: 1, orderId: 'A1', failure: { code: 'x', reason } };
      assert.equal(offerOf(failed, { canCreate: true }), canTry[reason] ? 'retry' : 'another-method', reason);
      // A return page cannot create: the way back instead.
      assert.equal(offerOf(failed, { canCreate: false }), 'another-method', reason);
      assert.deepEqual(next(failed, retry).effects, [], 'Retry is not how a failed payment is tried again');
    }
  });

  it('what the shopper is told for a failure: a setup error as "unavailable", never with the gateway words', () => {
    for (const reason of FAILURE_REASONS) {
      const told = toldFailure(reason, 'the gateway words');
      if (reason === 'merchant_config') {
        assert.deepEqual(told, { reason: 'method_unavailable' });
      } else {
        assert.deepEqual(told, { reason, detail: 'the gateway words' });
      }
      assert.deepEqual(toldFailure(reason), { reason: reason === 'merchant_config' ? 'method_unavailable' : reason });
    }
  });

  it('after expiry: a new code where the page can create one, else the way back', () => {
    const expired: PaymentState = { view: 'expired', n: 1, orderId: 'A1' };
    assert.equal(offerOf(expired, { canCreate: true }), 'retry');
    assert.equal(offerOf(expired, { canCreate: false }), 'another-method');
    assert.equal(retryOf(expired), undefined);
  });

  it('while the payment goes on nothing is to be tried again', () => {
    for (const state of [
      initialState,
      play(initialState, pay).state,
      play(initialState, pay, created(qr)).state,
      play(initialState, pay, created(qr), status({ status: 'paid' })).state,
    ]) {
      assert.equal(retryOf(state), undefined, state.view);
      assert.equal(offerOf(state, { canCreate: true }), undefined, state.view);
    }
  });

  it('a wait is long after SLOW_AFTER_CHECKS pending answers in a row, and not while checks fail', () => {
    const resumed = play(initialState, { type: 'resume', orderId: 'R7' }).state;
    const after = (count: number) =>
      play(resumed, ...Array.from({ length: count }, () => status({ status: 'pending' }))).state;
    assert.equal(isSlow(after(SLOW_AFTER_CHECKS - 1)), false);
    assert.equal(isSlow(after(SLOW_AFTER_CHECKS)), true);
    const troubled = next(after(SLOW_AFTER_CHECKS), { type: 'status-failed', n: 1, error: new Error('offline') }).state;
    assert.equal(isSlow(troubled), false, 'checks failing: "still checking" is said instead');
    assert.equal(isSlow(initialState), false);
  });
});

describe('inside the Alipay app, and WeChat mini-program links inside WeChat', () => {
  const alipay: ActionFacts = { ...phone, inAlipay: true };
  const orderStr: NextAction = {
    kind: 'sdk-token',
    sdk: 'alipay',
    token: 'app_id=1&method=alipay.trade.app.pay&sign=x',
  };
  const tradeNo: NextAction = { kind: 'sdk-token', sdk: 'alipay', token: { tradeNO: '2026120722001414841426413774' } };
  const answer = (resultCode: string, memo?: string): FlowEvent => ({
    type: 'alipay',
    n: 1,
    resultCode,
    ...(memo === undefined ? {} : { memo }),
  });
  const inAlipay = (action: NextAction = orderStr) => play(initialState, pay, created(action, alipay));
  const kinds = (effects: Effect[]) => effects.map((e) => (e.type === 'emit' ? `emit:${e.output.type}` : e.type));

  it('an Alipay order string or trade number is paid with the bridge: the sheet view, followed, tradePay', () => {
    for (const action of [orderStr, tradeNo]) {
      const { state, effects } = inAlipay(action);
      assert.equal(state.view, 'alipay');
      assert.deepEqual(states(effects), ['creating', 'alipay']);
      assert.deepEqual(effectsOf(effects, 'trade-pay'), [{ type: 'trade-pay', n: 1, action }]);
      assert.equal(effectsOf(effects, 'perform').length, 0, 'no hand-off to a native app');
      assert.equal(effectsOf(effects, 'follow').length, 1);
    }
  });

  it('a WeChat SDK token inside the Alipay app is not for its bridge', () => {
    const wechatToken: NextAction = { kind: 'sdk-token', sdk: 'wechat', token: { prepayid: 'wx1' } };
    const { state, effects } = inAlipay(wechatToken);
    assert.equal(state.view, 'native');
    assert.equal(effectsOf(effects, 'trade-pay').length, 0);
  });

  it('a trade number anywhere else is refused with unsupported_environment (no native SDK takes one)', () => {
    for (const facts of [phone, desktop, { ...phone, inWechat: true }]) {
      const { state, effects } = play(initialState, pay, created(tradeNo, facts));
      assert.equal(state.view, 'error');
      assert.equal(state.view === 'error' && state.error.code, 'unsupported_environment');
      assert.equal(offerOf(state, { canCreate: true }), 'another-method');
      assert.equal(effectsOf(effects, 'perform').length + effectsOf(effects, 'trade-pay').length, 0);
    }
  });

  // [resultCode, the view after, what the effects are]
  const codes: [string, string, string[]][] = [
    ['9000', 'waiting', ['emit:status', 'check']],
    ['8000', 'waiting', ['emit:status', 'check']],
    ['6004', 'waiting', ['emit:status', 'check']],
    ['6001', 'idle', ['emit:status', 'stop-following', 'cancel-create', 'cancel-action']],
    ['99', 'idle', ['emit:status', 'stop-following', 'cancel-create', 'cancel-action']],
    ['4000', 'error', ['cancel-action', 'emit:status', 'emit:error']],
    ['6002', 'error', ['cancel-action', 'emit:status', 'emit:error']],
    ['5000', 'error', ['cancel-action', 'emit:status', 'emit:error']],
  ];
  for (const [code, view, effects] of codes) {
    it(`resultCode ${code} → ${view}`, () => {
      const after = next(inAlipay().state, answer(code, 'memo text'));
      assert.equal(after.state.view, view);
      assert.deepEqual(kinds(after.effects), effects);
      // Never paid nor failed on the bridge's word: only the backend ends a payment.
      assert.equal(outputs(after.effects, 'success').length + outputs(after.effects, 'failure').length, 0);
    });
  }

  it('9000 is not proof of payment: the backend is asked, and only its paid ends the payment', () => {
    const { state, effects } = play(inAlipay().state, answer('9000'), status({ status: 'paid' }));
    assert.equal(state.view, 'paid');
    assert.equal(outputs(effects, 'success').length, 1);
    const pending = play(inAlipay().state, answer('9000'), status({ status: 'pending' })).state;
    assert.equal(pending.view, 'waiting');
  });

  it('6001: back to the methods with the same order, its key kept (the next Pay is the same payment)', () => {
    const { state, effects } = play(inAlipay().state, answer('6001'));
    assert.deepEqual(state, { view: 'idle', n: 1, note: 'canceled', orderId: 'A1' });
    assert.equal(effectsOf(effects, 'store-key').length, 0);
  });

  it('4000: an error whose Retry pays the same order string again (no create), the backend still asked', () => {
    const failed = next(inAlipay().state, answer('4000', '订单支付失败')).state;
    assert.equal(failed.view === 'error' && failed.following, true);
    assert.equal(failed.view === 'error' && failed.error.code, 'bridge_failed');
    assert.match(failed.view === 'error' ? failed.error.message : '', /4000.*订单支付失败/);
    assert.equal(retryOf(failed), 'same-payment');
    assert.equal(offerOf(failed, { canCreate: false }), 'retry', 'works without a create endpoint too');
    const again = next(failed, { type: 'retry', orderId: 'A1', method: 'alipay', newKey: 'key-2', inAlipay: true });
    assert.equal(again.state.view, 'alipay');
    assert.deepEqual(effectsOf(again.effects, 'trade-pay'), [{ type: 'trade-pay', n: 1, action: orderStr }]);
    assert.equal(effectsOf(again.effects, 'create').length, 0);
    assert.deepEqual(states(again.effects), ['alipay']);
    // The retried sheet's answers carry the same attempt.
    assert.equal(next(again.state, answer('9000')).state.view, 'waiting');
  });

  it('a bridge that never came (bridge_timeout) is retried with the same payment', () => {
    const timedOut = next(inAlipay().state, {
      type: 'perform-failed',
      n: 1,
      error: new CheckoutError('bridge_timeout', 'AlipayJSBridgeReady did not fire'),
    }).state;
    assert.equal(retryOf(timedOut), 'same-payment');
    const again = next(timedOut, { type: 'retry', orderId: 'A1', method: 'alipay', newKey: 'key-2', inAlipay: true });
    assert.equal(effectsOf(again.effects, 'trade-pay').length, 1);
  });

  it("an abandoned sheet's answer, or one outside the sheet, changes nothing", () => {
    const left = play(inAlipay().state, { type: 'back' }).state;
    assert.equal(next(left, answer('9000')).state, left);
    const stale = inAlipay().state;
    assert.equal(next(stale, { ...answer('9000'), n: 7 } as FlowEvent).state, stale);
    const qrShown = play(initialState, pay, created(qr, alipay)).state;
    assert.equal(next(qrShown, answer('9000')).state, qrShown);
  });

  it('an alipays: or alipay: link opens in place inside the Alipay app: no launch watch, no fallback', () => {
    for (const url of ['alipays://platformapi/startapp?appId=20000067&url=x', 'alipay://platformapi/startapp?x=1']) {
      const link: NextAction = { kind: 'deeplink', url };
      const { state, effects } = play(initialState, pay, created(link, alipay));
      assert.equal(state.view, 'redirecting');
      assert.deepEqual(effectsOf(effects, 'open-in-place'), [{ type: 'open-in-place', n: 1, action: link }]);
      assert.equal(effectsOf(effects, 'perform').length, 0);
      // Back on the page, the payment is followed.
      assert.equal(next(state, { type: 'page-shown', persisted: true }).state.view, 'waiting');
    }
    // A WeChat link inside Alipay is still tried as a link, with its fallback.
    const wechatLink: NextAction = { kind: 'deeplink', url: 'weixin://wxpay/bizpayurl?pr=1' };
    assert.equal(play(initialState, pay, created(wechatLink, alipay)).state.view, 'app');
  });

  it('inside WeChat, a mini-program link is shown at once as its code (WeChat opens those only from outside)', () => {
    const inWechat: ActionFacts = { ...phone, inWechat: true };
    for (const url of [
      'weixin://dl/business/?ticket=abc',
      'weixin://dl/business/?t=abc',
      'WEIXIN://dl/business?appid=wx1&path=p',
    ]) {
      const link: NextAction = { kind: 'deeplink', url };
      const { state, effects } = play(initialState, pay, created(link, inWechat));
      assert.equal(state.view, 'app-fallback', url);
      assert.equal(state.view === 'app-fallback' && state.tried, false, 'nothing was tried, so nothing failed');
      assert.equal(effectsOf(effects, 'perform').length, 0);
      assert.equal(outputs(effects, 'app-launch-failed').length, 0);
      assert.equal(effectsOf(effects, 'follow').length, 1);
    }
    // Outside WeChat the same link is opened as any wallet link.
    const link: NextAction = { kind: 'deeplink', url: 'weixin://dl/business/?ticket=abc' };
    assert.equal(play(initialState, pay, created(link, phone)).state.view, 'app');
    // And inside WeChat a payment link (not a mini-program's) is still tried.
    const payLink: NextAction = { kind: 'deeplink', url: 'weixin://wxpay/bizpayurl?pr=abc' };
    assert.equal(play(initialState, pay, created(payLink, inWechat)).state.view, 'app');
  });
});

describe('next: mini-program web-views', () => {
  const wxLite: NextAction = {
    kind: 'mini-program',
    platform: 'wechat',
    params: { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 'S' },
    gateway: 'pingpp',
    reference: 'A1',
  };
  const alipayLite: NextAction = { kind: 'mini-program', platform: 'alipay', params: { tradeNO: 'T1' } };
  const wxPub: NextAction = {
    kind: 'wechat-jsapi',
    params: { appId: 'wx1', timeStamp: '1', nonceStr: 'n', package: 'prepay_id=p', signType: 'MD5', paySign: 'S' },
    gateway: 'pingpp',
  };
  const inWechatMini: ActionFacts = { ...phone, miniProgram: 'wechat' };
  const inAlipayMini: ActionFacts = { ...phone, miniProgram: 'alipay' };
  const performed = (effects: Effect[]) =>
    effectsOf(effects, 'perform').map((effect) => (effect.type === 'perform' ? effect.action : undefined));

  it('wx_lite inside the WeChat mini-program is handed to it, and the payment followed', () => {
    const { state, effects } = play(initialState, pay, created(wxLite, inWechatMini));
    assert.equal(state.view, 'mini-program');
    assert.deepEqual(performed(effects), [wxLite]);
    assert.equal(effectsOf(effects, 'follow').length, 1);
    assert.deepEqual(states(effects), ['creating', 'mini-program']);
  });

  it('alipay_lite inside the Alipay mini-program is handed to it', () => {
    const { state, effects } = play(initialState, pay, created(alipayLite, inAlipayMini));
    assert.equal(state.view, 'mini-program');
    assert.deepEqual(performed(effects), [alipayLite]);
  });

  it('wx_pub inside the WeChat mini-program is handed over with the same six parameters', () => {
    const { state, effects } = play(initialState, pay, created(wxPub, inWechatMini));
    assert.equal(state.view, 'mini-program');
    const handOff = {
      kind: 'mini-program',
      platform: 'wechat',
      params: wxPub.kind === 'wechat-jsapi' && wxPub.params,
      gateway: 'pingpp',
    };
    assert.deepEqual(performed(effects), [handOff]);
    assert.deepEqual(state.view === 'mini-program' && state.action, handOff);
  });

  for (const [where, facts] of [
    ['a plain browser', phone],
    ['a desktop', desktop],
    ['WeChat’s browser', { ...phone, inWechat: true }],
    ['the other mini-program', inAlipayMini],
  ] as const) {
    it(`wx_lite in ${where} is refused with unsupported_environment; another method is offered`, () => {
      const { state, effects } = play(initialState, pay, created(wxLite, facts));
      assert.equal(state.view, 'error');
      assert.equal(state.view === 'error' && state.error.code, 'unsupported_environment');
      assert.equal(offerOf(state, { canCreate: true }), 'another-method');
      assert.deepEqual(performed(effects), []);
      assert.equal(outputs(effects, 'error').length, 1);
    });
  }

  it('alipay_lite in the WeChat mini-program is refused too', () => {
    const { state } = play(initialState, pay, created(alipayLite, inWechatMini));
    assert.equal(state.view === 'error' && state.error.code, 'unsupported_environment');
  });

  it('back on the page: waiting, and the backend asked at once; paid only when it says so', () => {
    const handed = play(initialState, pay, created(wxLite, inWechatMini)).state;
    const back = play(handed, { type: 'mini-program-back', n: 1 });
    assert.equal(back.state.view, 'waiting');
    assert.equal(effectsOf(back.effects, 'check').length, 1);
    assert.deepEqual(outputs(back.effects, 'success'), []);
    const pending = play(back.state, status({ status: 'pending' }));
    assert.equal(pending.state.view, 'waiting');
    const paid = play(back.state, status({ status: 'paid' }));
    assert.equal(paid.state.view, 'paid');
    assert.equal(outputs(paid.effects, 'success').length, 1);
  });

  it('a pageshow while handed over counts as back; a stale return is dropped', () => {
    const handed = play(initialState, pay, created(wxLite, inWechatMini)).state;
    const shown = play(handed, { type: 'page-shown', persisted: false });
    assert.equal(shown.state.view, 'waiting');
    assert.equal(effectsOf(shown.effects, 'check').length, 1);
    assert.equal(play(handed, { type: 'mini-program-back', n: 7 }).state, handed);
  });

  it('a page without the web-view script: the error, a warning naming it, and Retry hands the same payment over', () => {
    const handed = play(initialState, pay, created(wxLite, inWechatMini)).state;
    const error = new CheckoutError('bridge_unavailable', 'has not loaded jweixin: add <script src="x"></script>');
    const failed = play(handed, { type: 'perform-failed', n: 1, error });
    assert.equal(failed.state.view, 'error');
    const warns = effectsOf(failed.effects, 'warn');
    assert.equal(warns.length, 1);
    assert.match(warns[0]?.type === 'warn' ? warns[0].message : '', /<script src="x">/);
    assert.equal(retryOf(failed.state), 'same-payment');
    assert.equal(offerOf(failed.state, { canCreate: false }), 'retry');
    const again = play(failed.state, { type: 'retry', orderId: 'A1', method: 'wxpay', newKey: 'key-2' });
    assert.equal(again.state.view, 'mini-program');
    assert.deepEqual(performed(again.effects), [wxLite]);
    assert.deepEqual(effectsOf(again.effects, 'create'), []);
  });

  it('another failure of the hand-off warns nobody', () => {
    const handed = play(initialState, pay, created(wxLite, inWechatMini)).state;
    const failed = play(handed, { type: 'perform-failed', n: 1, error: new CheckoutError('bridge_failed', 'threw') });
    assert.deepEqual(effectsOf(failed.effects, 'warn'), []);
  });

  it('Choose another method while handed over: back to the methods, the order kept', () => {
    const handed = play(initialState, pay, created(wxLite, inWechatMini)).state;
    const { state, effects } = play(handed, { type: 'back' });
    assert.equal(state.view, 'idle');
    assert.equal(effectsOf(effects, 'cancel-action').length, 1);
  });
});
