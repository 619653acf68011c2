/**
 * The payment protocol as data: one `PaymentState` value, the events that move it, and a pure
 * `next(state, event) -> { state, effects }`. It decides; `PaymentFlow` performs the effects.
 *
 * The rules it keeps: Pay twice creates one payment; a retry of a create that got no answer sends
 * the same idempotency key, a new attempt (another method, a new code) a new one; only the
 * backend's `paid` ends a payment as paid; each attempt ends once; a status check sent before the
 * QR's deadline cannot expire it, the check after the deadline decides; results of an abandoned
 * attempt are dropped by its number `n`, as `@lit/task` drops a stale run by its call id.
 */

import type { PaymentStatus, StatusAnswer } from '../core/backend.js';
import type { NativeBridgeKind } from '../core/environment.js';
import { CheckoutError } from '../core/errors.js';
import type { ActionOf, MiniProgram, NextAction, QrAction, SdkName } from '../core/next-action.js';
import type { CheckoutState } from '../events/events.js';
import { canTryAgain, type FailureReason, failureReason, isConfigurationStatus } from './failure.js';
import { alipayVerdict, isAlipayLink, isWechatMiniProgramLink } from './in-app.js';

/** One try at paying: a new one per method choice or new code, the same across retries. */
export interface Attempt {
  /** The attempt's number: results that carry another are an abandoned attempt's, and dropped. */
  readonly n: number;
  /** Taken when the attempt starts: a later change of the page's order id cannot redirect it. */
  readonly orderId: string;
  readonly method: string;
  /** Empty for a payment the server rendered (no create call). */
  readonly key: string;
}

export interface Failure {
  code: string;
  /** The gateway's or the backend's own words: a detail, never the shopper's sentence. */
  message?: string;
  reason: FailureReason;
}

/** The states in which the payment is followed with the backend, and what each shows. */
export const FOLLOWING_VIEWS = [
  'qr',
  'waiting',
  'redirecting',
  'app',
  'app-fallback',
  'wechat',
  'alipay',
  'open-in-wechat',
  'open-in-browser',
  'native',
  'mini-program',
  'unsupported',
] as const;
export type FollowingView = (typeof FOLLOWING_VIEWS)[number];

/** How many pending answers in a row make a wait "long": about 50 s on the default schedule. */
export const SLOW_AFTER_CHECKS = 10;

interface Base {
  /** The last attempt number handed out: the next attempt takes `n + 1`. */
  readonly n: number;
}

interface Followed extends Base {
  /** Undefined on a return page, which follows an order it did not create. */
  readonly attempt?: Attempt;
  readonly orderId: string;
  readonly action?: NextAction;
  /** Status checks are failing: the payment is safe, and still being checked. */
  readonly trouble: boolean;
  /** Pending answers in a row. */
  readonly pending: number;
}

export type PaymentState =
  | (Base & { readonly view: 'idle'; readonly note?: 'canceled'; readonly orderId?: string })
  | (Base & { readonly view: 'creating'; readonly attempt: Attempt; readonly orderId: string })
  | (Followed & { readonly view: 'qr'; readonly action: QrAction; readonly deadline?: number })
  | (Followed & { readonly view: 'app-fallback'; readonly action: ActionOf<'deeplink'>; readonly tried: boolean })
  | (Followed & { readonly view: Exclude<FollowingView, 'qr' | 'app-fallback'> })
  | (Base & {
      readonly view: 'paid';
      readonly orderId: string;
      readonly reference?: string;
      readonly answer?: StatusAnswer;
    })
  | (Base & {
      readonly view: 'failed';
      readonly orderId: string;
      readonly attempt?: Attempt;
      readonly failure: Failure;
      readonly answer?: StatusAnswer;
    })
  | (Base & {
      readonly view: 'expired';
      readonly orderId: string;
      readonly attempt?: Attempt;
      readonly answer?: StatusAnswer;
    })
  | (Base & {
      readonly view: 'error';
      readonly orderId: string;
      readonly attempt?: Attempt;
      readonly action?: NextAction;
      readonly error: CheckoutError;
      /** The payment may still go through (WeChat's sheet failed): the backend is still asked. */
      readonly following: boolean;
      /** No retry can work (the merchant's setup): the shopper is offered another method. */
      readonly unavailable: boolean;
    });

export type ViewOf<V extends CheckoutState> = Extract<PaymentState, { view: V }>;

/**
 * What the page and the environment said about an action, asked before `next` sees it: whether
 * the merchant took the action over (`cashdesk-action` cancelled), where a page-leaving action goes,
 * and what the device can do.
 */
export interface ActionFacts {
  /** The merchant performs the action itself. */
  taken: boolean;
  /** For redirects and forms: leave the page, let the page handle it, or show the open-in-browser guide. */
  leave?: 'go' | 'page' | 'guide';
  mobile: boolean;
  inWechat: boolean;
  /** Inside the Alipay app's own browser (`AlipayClient`, not a mini-program's web-view): its bridge pays. */
  inAlipay?: boolean;
  /** The mini-program whose web-view the page runs in, if any. */
  miniProgram?: MiniProgram;
}

export type FlowEvent =
  | { type: 'pay'; orderId: string; method: string; storedKey?: string; newKey: string }
  /** A server-rendered answer, converted: shown without a create call. */
  | { type: 'show'; orderId: string; method: string; action: NextAction; facts: ActionFacts; deadline?: number }
  /** A server-rendered answer that was refused. */
  | { type: 'refused'; orderId: string; method: string; error: CheckoutError }
  /** A return page: follow an order this page did not create. */
  | { type: 'resume'; orderId: string }
  | { type: 'created'; n: number; action: NextAction; facts: ActionFacts; deadline?: number }
  | { type: 'create-failed'; n: number; error: CheckoutError }
  /** Back to the methods, the order kept: "Choose another method", "Try again", the guide closed. */
  | { type: 'back' }
  /** A new code: a new attempt with a new key. `orderId` and `method` are used when no attempt is known. */
  | { type: 'refresh'; orderId: string; method: string; newKey: string }
  /** `inAlipay`: where the page runs now, for a payment made with the Alipay app's bridge. */
  | { type: 'retry'; orderId: string; method: string; newKey: string; inAlipay?: boolean }
  /** "I have paid": ask the backend now. */
  | { type: 'check' }
  | { type: 'page-shown'; persisted: boolean }
  | { type: 'status'; n: number; answer: StatusAnswer; sentAt: number; at: number }
  | { type: 'status-failed'; n: number; error: unknown }
  | { type: 'deadline'; n: number }
  | { type: 'app'; n: number; outcome: 'left' | 'stayed' | 'back' }
  | { type: 'wechat'; n: number; outcome: 'ok' | 'cancel' | 'fail'; message?: string }
  /** The Alipay app's cashier closed: `tradePay`'s `resultCode` (and `memo`), as the bridge answered. */
  | { type: 'alipay'; n: number; resultCode: string; memo?: string }
  /** Back on the page from the mini-program's payment page. */
  | { type: 'mini-program-back'; n: number }
  | { type: 'native-posted'; n: number; bridge?: NativeBridgeKind }
  | { type: 'native'; n: number; outcome: 'success' | 'cancel' | 'fail' | 'unknown'; message?: string }
  | { type: 'perform-failed'; n: number; error: CheckoutError; keepFollowing?: boolean };

/** What the flow tells the page: the element's events, as data. */
export type FlowOutput =
  | { type: 'status'; orderId: string; state: CheckoutState; status?: PaymentStatus; answer?: StatusAnswer }
  | { type: 'success'; orderId: string; reference?: string }
  | {
      type: 'failure';
      orderId: string;
      code: string;
      message?: string;
      status?: PaymentStatus;
      reason: FailureReason;
    }
  | { type: 'expired'; orderId: string }
  | { type: 'error'; orderId: string; error: CheckoutError }
  | { type: 'app-launch-failed'; orderId: string; url: string }
  | { type: 'sdk-token'; orderId: string; sdk: SdkName; token: unknown; bridge?: NativeBridgeKind };

export type Effect =
  | { type: 'create'; attempt: Attempt }
  | { type: 'cancel-create' }
  | { type: 'store-key'; orderId: string; method: string; key?: string }
  | { type: 'clear-keys'; orderId: string }
  /** Follow the order with the backend (replacing what was followed); a deadline asks once more when it passes. */
  | { type: 'follow'; n: number; orderId: string; deadline?: number }
  /** Follow, unless already following: a page shown again. */
  | { type: 'ensure-following' }
  | { type: 'stop-following' }
  | { type: 'check' }
  | {
      type: 'perform';
      n: number;
      action: ActionOf<'redirect' | 'form' | 'deeplink' | 'wechat-jsapi' | 'sdk-token' | 'mini-program'>;
    }
  /** Pay an Alipay order string or trade number with the Alipay app's bridge (`tradePay`). */
  | { type: 'trade-pay'; n: number; action: ActionOf<'sdk-token'> }
  /** Follow an Alipay link in place, inside the Alipay app: no app to launch, nothing to watch. */
  | { type: 'open-in-place'; n: number; action: ActionOf<'deeplink'> }
  /** Listen for the native app's answer about the hand-off. */
  | { type: 'listen-native'; n: number; orderId: string }
  | { type: 'cancel-action' }
  | { type: 'emit'; output: FlowOutput }
  /** For the developer, never the shopper: the merchant's setup is wrong. */
  | { type: 'warn'; message: string; error?: unknown };

export interface Transition {
  state: PaymentState;
  effects: Effect[];
}

export const initialState: PaymentState = { view: 'idle', n: 0 };

const isFollowing = (state: PaymentState): state is Extract<PaymentState, { view: FollowingView }> =>
  (FOLLOWING_VIEWS as readonly string[]).includes(state.view);

/** The attempt a state belongs to, and so the number its results must carry. */
function attemptOf(state: PaymentState): Attempt | undefined {
  return 'attempt' in state ? state.attempt : undefined;
}

/** Whether a result is for the state's own attempt (a return page's results carry `n` too). */
const current = (state: PaymentState, n: number) => state.n === n;

const statusOut = (state: PaymentState, answer?: StatusAnswer): Effect => ({
  type: 'emit',
  output: {
    type: 'status',
    orderId: ('orderId' in state ? state.orderId : undefined) ?? '',
    state: state.view,
    ...(answer ? { status: answer.status, answer } : {}),
  },
});

/** Enters a state and announces it, before anything it starts (a navigation, an event). */
const enter = (state: PaymentState, ...effects: Effect[]): Transition => ({
  state,
  effects: [statusOut(state), ...effects],
});

const stay = (state: PaymentState, ...effects: Effect[]): Transition => ({ state, effects });

function follow(
  base: { n: number; orderId: string; attempt?: Attempt; action?: NextAction },
  view: Exclude<FollowingView, 'qr' | 'app-fallback'>,
): PaymentState {
  return {
    view,
    n: base.n,
    orderId: base.orderId,
    trouble: false,
    pending: 0,
    ...(base.attempt ? { attempt: base.attempt } : {}),
    ...(base.action ? { action: base.action } : {}),
  };
}

/** Starts a create for an attempt: its key kept for a reload, the old one's work stopped. */
function create(attempt: Attempt): Transition {
  return enter(
    { view: 'creating', n: attempt.n, attempt, orderId: attempt.orderId },
    { type: 'stop-following' },
    { type: 'cancel-action' },
    { type: 'store-key', orderId: attempt.orderId, method: attempt.method, key: attempt.key },
    { type: 'create', attempt },
  );
}

function newAttempt(state: PaymentState, orderId: string, method: string, key: string): Attempt {
  return { n: state.n + 1, orderId, method, key };
}

/** What the gateway asked for, now that the page and the device have had their say. */
function route(
  n: number,
  attempt: Attempt,
  action: NextAction,
  facts: ActionFacts,
  deadline: number | undefined,
): Transition {
  const base = { n, orderId: attempt.orderId, attempt, action };
  const followEffect: Effect = { type: 'follow', n, orderId: attempt.orderId };
  if (facts.taken) return enter(follow(base, 'waiting'), followEffect);
  switch (action.kind) {
    case 'qr':
      return enter(
        {
          view: 'qr',
          ...base,
          action,
          trouble: false,
          pending: 0,
          ...(deadline === undefined ? {} : { deadline }),
        },
        { ...followEffect, ...(deadline === undefined ? {} : { deadline }) },
      );
    case 'failed':
      // The gateway's own verdict, not the backend's: the failure event carries no status.
      return end({ view: 'creating', n, attempt, orderId: attempt.orderId }, 'failed', undefined, {
        code: action.code,
        ...(action.message ? { message: action.message } : {}),
      });
    case 'success':
    case 'pending':
      // Only the backend's "paid" is proof of payment: ask it at once.
      return enter(follow(base, 'waiting'), followEffect, { type: 'check' });
    case 'redirect':
    case 'form':
      if (facts.leave === 'guide') return enter(follow(base, 'open-in-browser'), followEffect);
      if (facts.leave === 'page') return enter(follow(base, 'waiting'), followEffect);
      return enter(follow(base, 'redirecting'), followEffect, { type: 'perform', n, action });
    case 'deeplink':
      // WeChat opens its mini-program links only from outside WeChat: inside, the code at once (to
      // long-press, or to scan), never an attempt that fails into "install the app".
      // A desktop has no wallet app: the link as a QR is the way to pay from a phone.
      if (!facts.mobile || (facts.inWechat && isWechatMiniProgramLink(action.url))) {
        return enter({ view: 'app-fallback', ...base, action, tried: false, trouble: false, pending: 0 }, followEffect);
      }
      if (facts.inAlipay && isAlipayLink(action.url)) {
        return enter(follow(base, 'redirecting'), followEffect, { type: 'open-in-place', n, action });
      }
      return enter(follow(base, 'app'), followEffect, { type: 'perform', n, action });
    case 'mini-program':
      // Only the host mini-program can pay it (`wx.requestPayment`, `my.tradePay`): inside its
      // web-view it is handed over, anywhere else refused.
      if (facts.miniProgram !== action.platform) {
        return fail(
          { view: 'creating', n, attempt, orderId: attempt.orderId },
          new CheckoutError('unsupported_environment', `this payment needs the ${action.platform} mini-program`),
        );
      }
      return enter(follow(base, 'mini-program'), followEffect, { type: 'perform', n, action });
    case 'wechat-jsapi':
      // A mini-program's web-view has no payment sheet: the mini-program pays with the same parameters.
      if (facts.miniProgram === 'wechat') {
        const { kind: _, params, ...meta } = action;
        return route(
          n,
          attempt,
          { ...meta, kind: 'mini-program', platform: 'wechat', params: { ...params } },
          facts,
          deadline,
        );
      }
      if (!facts.inWechat) return enter(follow(base, 'open-in-wechat'), followEffect);
      return enter(follow(base, 'wechat'), followEffect, { type: 'perform', n, action });
    case 'sdk-token':
      // Inside the Alipay app its own cashier pays an Alipay order string or trade number.
      if (action.sdk === 'alipay' && facts.inAlipay) {
        return enter(follow(base, 'alipay'), followEffect, { type: 'trade-pay', n, action });
      }
      // A trade number (`{tradeNO}`) is for that cashier only: no native SDK takes one.
      if (action.sdk === 'alipay' && typeof action.token !== 'string') {
        return fail(
          { view: 'creating', n, attempt, orderId: attempt.orderId },
          new CheckoutError('unsupported_environment', 'an Alipay trade number is paid inside the Alipay app only'),
        );
      }
      // Announced once the hand-off is done (`native-posted`): the app may have no bridge.
      return stay(follow(base, 'native'), followEffect, { type: 'perform', n, action });
    default:
      return enter(follow(base, 'unsupported'), followEffect);
  }
}

/** The one way a payment ends: one terminal state, one terminal event, never two. */
function end(
  state: PaymentState,
  view: 'paid' | 'failed' | 'expired',
  answer?: StatusAnswer,
  verdict?: { code: string; message?: string },
): Transition {
  const attempt = attemptOf(state);
  const orderId = ('orderId' in state ? state.orderId : undefined) ?? '';
  // The attempt is over: the next Pay is a new payment with a new key. A return page has no
  // attempt in memory, so every key kept for the order goes.
  const effects: Effect[] = [
    attempt ? { type: 'store-key', orderId: attempt.orderId, method: attempt.method } : { type: 'clear-keys', orderId },
    { type: 'stop-following' },
    { type: 'cancel-action' },
  ];
  if (view === 'paid') {
    const reference = 'action' in state ? state.action?.reference : undefined;
    const paid: PaymentState = {
      view,
      n: state.n,
      orderId,
      ...(reference ? { reference } : {}),
      ...(answer ? { answer } : {}),
    };
    return {
      state: paid,
      effects: [
        ...effects,
        statusOut(paid, answer),
        { type: 'emit', output: { type: 'success', orderId, ...(reference ? { reference } : {}) } },
      ],
    };
  }
  if (view === 'expired') {
    const expired: PaymentState = {
      view,
      n: state.n,
      orderId,
      ...(attempt ? { attempt } : {}),
      ...(answer ? { answer } : {}),
    };
    return {
      state: expired,
      effects: [...effects, statusOut(expired, answer), { type: 'emit', output: { type: 'expired', orderId } }],
    };
  }
  const code = verdict?.code ?? answer?.code ?? answer?.status ?? 'failed';
  const message = verdict?.message ?? answer?.message;
  const reason = failureReason(code, message, answer?.status);
  const failure: Failure = { code, reason, ...(message ? { message } : {}) };
  const failed: PaymentState = {
    view,
    n: state.n,
    orderId,
    failure,
    ...(attempt ? { attempt } : {}),
    ...(answer ? { answer } : {}),
  };
  if (reason === 'merchant_config') {
    effects.push({
      type: 'warn',
      message: `cashdesk: order ${orderId} was refused for the merchant's setup: ${code} ${message ?? ''}`,
    });
  }
  return {
    state: failed,
    effects: [
      ...effects,
      statusOut(failed, answer),
      {
        type: 'emit',
        output: {
          type: 'failure',
          orderId,
          code,
          reason,
          ...(message ? { message } : {}),
          ...(answer ? { status: answer.status } : {}),
        },
      },
    ],
  };
}

/** The payment could not go on; the order is kept. */
function fail(state: PaymentState, error: CheckoutError, keepFollowing = false): Transition {
  const attempt = attemptOf(state);
  const orderId = ('orderId' in state ? state.orderId : undefined) ?? '';
  const action = 'action' in state ? state.action : undefined;
  const status = error.code === 'http_status' ? error.status : undefined;
  const unavailable = error.kind === 'backend' && isConfigurationStatus(status);
  const failed: PaymentState = {
    view: 'error',
    n: state.n,
    orderId,
    error,
    following: keepFollowing,
    unavailable,
    ...(attempt ? { attempt } : {}),
    ...(action ? { action } : {}),
  };
  const effects: Effect[] = [];
  // A refused gateway answer would come back the same for the same key: the next Pay is new.
  if (error.kind === 'response' && attempt) {
    effects.push({ type: 'store-key', orderId: attempt.orderId, method: attempt.method });
  }
  if (!keepFollowing) effects.push({ type: 'stop-following' });
  effects.push({ type: 'cancel-action' });
  if (unavailable) {
    effects.push({
      type: 'warn',
      message: `cashdesk: the create endpoint answered ${status}: check the endpoint and the backend`,
      error,
    });
  }
  effects.push(statusOut(failed), { type: 'emit', output: { type: 'error', orderId, error } });
  return { state: failed, effects };
}

/** Back to the methods with the order kept; the attempt's late answers no longer match. */
function back(state: PaymentState, note?: 'canceled'): Transition {
  const orderId = 'orderId' in state ? state.orderId : undefined;
  return enter(
    { view: 'idle', n: state.n, ...(note ? { note } : {}), ...(orderId ? { orderId } : {}) },
    { type: 'stop-following' },
    { type: 'cancel-create' },
    { type: 'cancel-action' },
  );
}

function onStatus(state: PaymentState, event: Extract<FlowEvent, { type: 'status' }>): Transition {
  const following = isFollowing(state) || (state.view === 'error' && state.following);
  if (!following || !current(state, event.n)) return stay(state);
  const { answer } = event;
  switch (answer.status) {
    case 'paid':
      return end(state, 'paid', answer);
    case 'failed':
    case 'canceled':
      return end(state, 'failed', answer);
    case 'expired':
      return end(state, 'expired', answer);
    default:
      break;
  }
  if (state.view === 'qr' && state.deadline !== undefined) {
    // Asked after the deadline and still unpaid: the code is spent.
    if (event.sentAt >= state.deadline) return end(state, 'expired');
    // Asked before it, answered after: that answer cannot expire the code; one more check decides.
    if (event.at >= state.deadline) return stay({ ...state, trouble: false }, { type: 'check' });
  }
  const updated: PaymentState =
    state.view === 'error' ? state : { ...state, trouble: false, pending: state.pending + 1 };
  // "Still pending" changes nothing on screen, except a wait grown long enough to say so (the view's).
  return stay(updated, statusOut(updated, answer));
}

/**
 * What Retry does after an error, or `undefined` where no retry can work (the merchant's setup):
 * - `same-create`: the create that never got an answer, sent again with the same key, as the
 *   backend may have created the payment;
 * - `same-payment`: WeChat's sheet or the app's SDK opened again with the same payment (same
 *   prepay id, same token): no create, so it works on a page without a create endpoint too;
 * - `new-attempt`: a new create with a new key.
 */
export type Retry = 'same-create' | 'same-payment' | 'new-attempt';

/** The actions a Retry performs again as they are: the same payment, never a new one beside it. */
const SAME_PAYMENT: readonly string[] = ['wechat-jsapi', 'sdk-token', 'mini-program'];

export function retryOf(state: PaymentState): Retry | undefined {
  if (state.view !== 'error' || state.unavailable) return undefined;
  const { attempt, action, error } = state;
  if (attempt?.key && error.kind === 'backend' && action === undefined) return 'same-create';
  if (error.kind === 'environment' && attempt && action !== undefined && SAME_PAYMENT.includes(action.kind)) {
    return 'same-payment';
  }
  return 'new-attempt';
}

/**
 * What the shopper is offered where a payment stopped, asked by a view rather than decided there:
 * - `retry`: after an error, Retry (`retry`); after a failure, Try again (`back`, then Pay: a new
 *   payment); after an expiry, a new code (`refresh`);
 * - `another-method`: only the way to another method (or, on a page that cannot create, the way
 *   back to the checkout): the merchant's setup, a refused gateway answer (it would be refused
 *   again), a limit or a balance the same method would meet again;
 * - `undefined`: nothing to offer (a payment still under way, or an error no retry here can mend).
 *
 * `canCreate`: the page can create a payment (it has a create endpoint); a return page cannot.
 */
export type Offer = 'retry' | 'another-method';

export function offerOf(state: PaymentState, page: { canCreate: boolean }): Offer | undefined {
  switch (state.view) {
    case 'failed':
      return page.canCreate && canTryAgain(state.failure.reason) ? 'retry' : 'another-method';
    case 'expired':
      return page.canCreate ? 'retry' : 'another-method';
    case 'error': {
      if (state.unavailable || state.error.kind === 'response') return 'another-method';
      const retry = retryOf(state);
      return retry !== undefined && (page.canCreate || retry === 'same-payment') ? 'retry' : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A wait grown long: `SLOW_AFTER_CHECKS` pending answers in a row while the checks work. The
 * shopper is told so (and can check again) rather than shown an endless spinner.
 */
export function isSlow(state: PaymentState): boolean {
  return isFollowing(state) && !state.trouble && state.pending >= SLOW_AFTER_CHECKS;
}

/** The transition function. Pure: the same state and event give the same result. */
export function next(state: PaymentState, event: FlowEvent): Transition {
  switch (event.type) {
    case 'pay': {
      // A double tap, or Pay during a payment, never creates a second payment.
      if (state.view !== 'idle') return stay(state);
      return create(newAttempt(state, event.orderId, event.method, event.storedKey ?? event.newKey));
    }
    case 'show': {
      if (state.view !== 'idle') return stay(state);
      const attempt = newAttempt(state, event.orderId, event.method, '');
      return route(attempt.n, attempt, event.action, event.facts, event.deadline);
    }
    case 'refused': {
      if (state.view !== 'idle') return stay(state);
      const attempt = newAttempt(state, event.orderId, event.method, '');
      return fail({ view: 'creating', n: attempt.n, attempt, orderId: attempt.orderId }, event.error);
    }
    case 'resume': {
      if (state.view !== 'idle') return stay(state);
      const n = state.n + 1;
      return enter(
        follow({ n, orderId: event.orderId }, 'waiting'),
        { type: 'follow', n, orderId: event.orderId },
        {
          type: 'check',
        },
      );
    }
    case 'created': {
      if (state.view !== 'creating' || !current(state, event.n)) return stay(state);
      return route(state.n, state.attempt, event.action, event.facts, event.deadline);
    }
    case 'create-failed': {
      if (state.view !== 'creating' || !current(state, event.n)) return stay(state);
      return fail(state, event.error);
    }
    case 'back':
      // From `paid` too: the page's own `reset()` (the UI offers no way back from a paid order).
      if (state.view === 'idle') return stay(state);
      return back(state);
    case 'refresh': {
      if (state.view === 'creating' || state.view === 'paid') return stay(state);
      const attempt = attemptOf(state);
      return create(
        newAttempt(state, attempt?.orderId ?? event.orderId, attempt?.method ?? event.method, event.newKey),
      );
    }
    case 'retry': {
      if (state.view !== 'error') return stay(state);
      const retry = retryOf(state);
      if (retry === undefined) return stay(state);
      const { attempt, action } = state;
      // A create that never got an answer: the same key, as the backend may have created the payment.
      if (retry === 'same-create' && attempt) return create(attempt);
      // WeChat's sheet or the app's SDK failed: the payment may still go through, so the same one
      // again (same prepay id, same token), never a new payment beside it.
      if (
        retry === 'same-payment' &&
        attempt &&
        (action?.kind === 'wechat-jsapi' || action?.kind === 'sdk-token' || action?.kind === 'mini-program')
      ) {
        const base = { n: state.n, orderId: state.orderId, attempt, action };
        if (action.kind === 'sdk-token' && action.sdk === 'alipay' && event.inAlipay) {
          return enter(
            follow(base, 'alipay'),
            { type: 'follow', n: state.n, orderId: state.orderId },
            { type: 'trade-pay', n: state.n, action },
          );
        }
        const again: Effect[] = [
          { type: 'follow', n: state.n, orderId: state.orderId },
          { type: 'perform', n: state.n, action },
        ];
        // The sheet is announced at once; the hand-off to the app once it is done (`native-posted`).
        if (action.kind === 'sdk-token') return stay(follow(base, 'native'), ...again);
        return enter(follow(base, action.kind === 'wechat-jsapi' ? 'wechat' : 'mini-program'), ...again);
      }
      return next(state, { ...event, type: 'refresh' });
    }
    case 'check':
      return stay(state, { type: 'check' });
    case 'page-shown': {
      // Back from the gateway, the wallet app, or the back-forward cache: never a stuck spinner.
      if (state.view === 'creating' && event.persisted) return back(state);
      if (state.view === 'redirecting' || state.view === 'app') {
        return enter({ ...state, view: 'waiting' }, { type: 'ensure-following' });
      }
      if (state.view === 'mini-program') return next(state, { type: 'mini-program-back', n: state.n });
      return isFollowing(state) ? stay(state, { type: 'ensure-following' }) : stay(state);
    }
    case 'status':
      return onStatus(state, event);
    case 'status-failed': {
      if (!current(state, event.n)) return stay(state);
      // The payment is not failed because we could not ask: say so, and keep asking.
      if (isFollowing(state)) return state.trouble ? stay(state) : stay({ ...state, trouble: true });
      return stay(state);
    }
    case 'deadline':
      // One last check at the deadline: a payment made in its last second must not show "expired".
      if (state.view !== 'qr' || !current(state, event.n)) return stay(state);
      return stay(state, { type: 'check' });
    case 'app': {
      if (!current(state, event.n)) return stay(state);
      // `waiting` too: a webview that replaced the page with an error page for the unknown scheme
      // shows the page again (pageshow, so `waiting`) before the link's watch says nothing opened.
      const watching = state.view === 'app' || state.view === 'waiting';
      if (event.outcome === 'stayed' && watching && state.action?.kind === 'deeplink') {
        const fallback: PaymentState = { ...state, view: 'app-fallback', action: state.action, tried: true };
        return enter(fallback, {
          type: 'emit',
          output: { type: 'app-launch-failed', orderId: state.orderId, url: state.action.url },
        });
      }
      // The app took over, and the shopper is back from it: the payment is followed, not "Opening the app…".
      if (event.outcome === 'back' && state.view === 'app') return enter({ ...state, view: 'waiting' });
      return stay(state);
    }
    case 'wechat': {
      if (state.view !== 'wechat' || !current(state, event.n)) return stay(state);
      if (event.outcome === 'ok') return enter({ ...state, view: 'waiting' }, { type: 'check' });
      if (event.outcome === 'cancel') return back(state, 'canceled');
      // WeChat's "fail" is not the backend's: some builds report it while the sheet is still up.
      // Show the error, and keep asking the backend in case the payment went through.
      return fail(state, bridgeFailed(event.message ?? 'WeChat Pay reported a failure'), true);
    }
    case 'alipay': {
      if (state.view !== 'alipay' || !current(state, event.n)) return stay(state);
      const verdict = alipayVerdict(event.resultCode);
      // 9000 is the cashier's word, not proof of payment: the backend, asked now, decides.
      if (verdict === 'ask') return enter({ ...state, view: 'waiting' }, { type: 'check' });
      if (verdict === 'cancel') return back(state, 'canceled');
      // As for WeChat's "fail": Retry pays the same order string again; the backend is still asked.
      const memo = event.memo ? `: ${event.memo}` : '';
      return fail(state, bridgeFailed(`Alipay answered ${event.resultCode}${memo}`), true);
    }
    case 'mini-program-back':
      // Its page has no way to answer the web-view: the backend, asked at once, says how it went.
      if (state.view !== 'mini-program' || !current(state, event.n)) return stay(state);
      return enter({ ...state, view: 'waiting' }, { type: 'ensure-following' }, { type: 'check' });
    case 'native-posted': {
      if (state.view !== 'native' || !current(state, event.n) || state.action?.kind !== 'sdk-token') {
        return stay(state);
      }
      const { sdk, token } = state.action;
      const handed: Effect = {
        type: 'emit',
        output: {
          type: 'sdk-token',
          orderId: state.orderId,
          sdk,
          token,
          ...(event.bridge ? { bridge: event.bridge } : {}),
        },
      };
      if (event.bridge === undefined)
        return {
          state: { ...state, view: 'unsupported' },
          effects: [handed, statusOut({ ...state, view: 'unsupported' })],
        };
      return {
        state,
        effects: [handed, { type: 'listen-native', n: state.n, orderId: state.orderId }, statusOut(state)],
      };
    }
    case 'native': {
      if (!current(state, event.n) || !(state.view === 'native' || state.view === 'waiting')) return stay(state);
      if (event.outcome === 'cancel') return back(state, 'canceled');
      if (event.outcome === 'fail') {
        // As with WeChat's sheet: a retry with the same payment, while the backend, which alone
        // decides, keeps being asked.
        const failed = fail(state, bridgeFailed(event.message ?? 'the app reported a failure'), true);
        return { state: failed.state, effects: [...failed.effects, { type: 'check' }] };
      }
      return enter({ ...state, view: 'waiting' }, { type: 'check' });
    }
    case 'perform-failed': {
      if (!current(state, event.n) || !(isFollowing(state) || state.view === 'error')) return stay(state);
      const failed = fail(state, event.error, event.keepFollowing);
      // The page did not load the mini-program's web-view script: the developer is told which.
      if (state.view === 'mini-program' && event.error.code === 'bridge_unavailable') {
        failed.effects.unshift({ type: 'warn', message: `cashdesk: ${event.error.message}`, error: event.error });
      }
      return failed;
    }
    default:
      return stay(state);
  }
}

function bridgeFailed(message: string): CheckoutError {
  return new CheckoutError('bridge_failed', message);
}
