/**
 * `PaymentFlow`: the checkout's rules without an element. It keeps one `PaymentState`, asks
 * `next()` what each event means, and performs the effects through what it is given: the backend
 * client, the performers, the key store, the clock, the environment. `<cashdesk-checkout>` runs
 * one; so can a React or Vue component, or a native app's webview (README, "The flow without the
 * element").
 */
import { type CreateAnswer, type CreateRequest, newIdempotencyKey, type StatusAnswer } from '../core/backend.js';
import { localDeadline } from '../core/clock.js';
import {
  blockedInApp,
  clientInfo,
  detectEnvironment,
  type Environment,
  type NativeBridgeKind,
} from '../core/environment.js';
import { CheckoutError, isCheckoutError } from '../core/errors.js';
import type { ActionOf, NextAction } from '../core/next-action.js';
import { type PollerOptions, type PollSchedule, StatusPoller } from '../core/poller.js';
import { checkDeeplink } from '../core/safe-url.js';
import {
  CashdeskActionEvent,
  CashdeskAppLaunchFailedEvent,
  CashdeskErrorEvent,
  CashdeskExpiredEvent,
  CashdeskFailureEvent,
  CashdeskOpenInBrowserEvent,
  CashdeskRedirectEvent,
  CashdeskSdkTokenEvent,
  CashdeskStatusEvent,
  CashdeskSuccessEvent,
} from '../events/events.js';
import { toAction as registryToAction } from '../gateways/registry.js';
import { loadAlipayBridge } from '../lazy/alipay-bridge.js';
import { loadMiniProgram } from '../lazy/mini-program.js';
import type { AlipayPayResult } from '../perform/alipay-bridge.js';
import { type DeeplinkOutcome, openDeeplink } from '../perform/deeplink.js';
import { performFormPost } from '../perform/form-post.js';
import { type NativeMessage, type NativeResult, onNativeResult, postToNative } from '../perform/native-bridge.js';
import { navigation } from '../perform/navigation.js';
import { performRedirect } from '../perform/redirect.js';
import { invokeWechatPay, type WechatPayOutcome } from '../perform/wechat-jsapi.js';
import { isConfigurationStatus } from './failure.js';
import { ALIPAY_RESULT_UNKNOWN } from './in-app.js';
import { type AttemptKeyStore, webKeyStore } from './keys.js';
import {
  type ActionFacts,
  type Effect,
  type FlowEvent,
  type FlowOutput,
  initialState,
  next,
  type PaymentState,
} from './state.js';

/** The merchant backend as the flow uses it (`Backend` is one). */
export interface FlowBackend {
  create(request: CreateRequest, call: { signal?: AbortSignal }): Promise<CreateAnswer>;
  status(orderId: string, call: { signal?: AbortSignal }): Promise<StatusAnswer>;
}

/** What performs an action; each defaults to cashdesk's own performer. */
export interface Performers {
  redirect(action: ActionOf<'redirect'>): void;
  form(action: ActionOf<'form'>): void;
  deeplink(action: ActionOf<'deeplink'>, signal: AbortSignal): Promise<DeeplinkOutcome>;
  /** Calls `back` once the shopper returns from the app the deep link opened. */
  appBack(signal: AbortSignal, back: () => void): void;
  wechat(action: ActionOf<'wechat-jsapi'>, signal: AbortSignal): Promise<WechatPayOutcome>;
  /** Inside the Alipay app: `AlipayJSBridge.call('tradePay', …)`; resolves with its `resultCode`. */
  alipay(action: ActionOf<'sdk-token'>, signal: AbortSignal): Promise<AlipayPayResult>;
  /** Inside the Alipay app: follows an Alipay link in place. */
  openInPlace(action: ActionOf<'deeplink'>): void;
  /** Hands the payment to the host mini-program (`navigateTo`); resolves once it is handed over. */
  miniProgram(action: ActionOf<'mini-program'>, orderId: string, signal: AbortSignal): Promise<void>;
  postToNative(message: NativeMessage): NativeBridgeKind | undefined;
  onNativeResult(callback: (result: NativeResult) => void): () => void;
}

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The part of `StatusPoller` the flow drives. */
export interface FlowPoller {
  start(): void;
  stop(): void;
  checkNow(): void;
  readonly active: boolean;
}

export interface PaymentFlowOptions {
  backend: FlowBackend;
  /** Where the page runs; detected once when not given. */
  environment?: Environment | (() => Environment);
  /** Turns the create answer into an action; `toAction` with the registered adapters by default. */
  toAction?: (gateway: string, response: unknown) => NextAction | Promise<NextAction>;
  performers?: Partial<Performers>;
  keys?: AttemptKeyStore;
  clock?: Clock;
  newKey?: () => string;
  /** Where the events go (`cashdesk-status`, `cashdesk-success`, …); the flow itself by default. */
  target?: EventTarget;
  /** The return URL sent with each create. */
  returnUrl?: () => string | undefined;
  pollSchedule?: () => Partial<PollSchedule> | undefined;
  poller?: (options: PollerOptions) => FlowPoller;
  /** Where developer warnings go; `console.warn` by default. */
  warn?: (message: string, error?: unknown) => void;
}

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function defaultPerformers(): Performers {
  return {
    redirect: (action) => performRedirect(action),
    form: (action) => {
      performFormPost(action);
    },
    deeplink: (action, signal) => openDeeplink(action, { signal }),
    appBack(signal, back) {
      const onVisible = () => {
        if (document.visibilityState === 'hidden') return;
        document.removeEventListener('visibilitychange', onVisible);
        back();
      };
      document.addEventListener('visibilitychange', onVisible);
      signal.addEventListener('abort', () => document.removeEventListener('visibilitychange', onVisible), {
        once: true,
      });
    },
    wechat: (action, signal) => invokeWechatPay(action.params, { signal }),
    alipay: (action, signal) =>
      loadAlipayBridge().then(
        (chunk) => chunk.invokeAlipayTradePay(action.token, { signal }),
        (cause: unknown) => {
          // A lost fetch: Retry opens the same cashier again.
          throw new CheckoutError('bridge_failed', 'the Alipay cashier module could not be fetched', { cause });
        },
      ),
    openInPlace: (action) => navigation.assign(checkDeeplink(action.url), window),
    miniProgram: (action, orderId, signal) =>
      loadMiniProgram().then((chunk) => chunk.handToMiniProgram(action, orderId, { signal })),
    postToNative: (message) => postToNative(message),
    onNativeResult: (callback) => onNativeResult(callback),
  };
}

const asCheckoutError = (error: unknown, explanation: string) =>
  isCheckoutError(error) ? error : new CheckoutError('unsupported_response', explanation, { cause: error });

/** How a hand-off to a mini-program's page ended: its page opened, or it failed (or was stopped). */
type HandOff = { handed: true } | { handed: false; error: unknown };
interface HandOffRecord {
  n: number;
  outcome: Promise<HandOff>;
  ended?: HandOff;
}

export class PaymentFlow extends EventTarget {
  private current: PaymentState = initialState;
  private readonly options: PaymentFlowOptions;
  private readonly performers: Performers;
  private readonly keys: AttemptKeyStore;
  private readonly clock: Clock;
  private readonly listeners = new Set<(state: PaymentState) => void>();
  private readonly queue: FlowEvent[] = [];
  private running = false;
  private connected = true;
  private detected: Environment | undefined;
  private createAbort: AbortController | undefined;
  private actionAbort: AbortController | undefined;
  /** The last hand-off to a mini-program's page, and how it ended: a move waits for it. */
  private handOff: HandOffRecord | undefined;
  private poller: FlowPoller | undefined;
  private deadlineTimer: unknown;
  /** The create in flight, for callers that wait for its answer. */
  private creating: Promise<void> = Promise.resolve();
  /** The order a configuration-like status answer was already reported for. */
  private warnedOrder: string | undefined;

  constructor(options: PaymentFlowOptions) {
    super();
    this.options = options;
    this.performers = { ...defaultPerformers(), ...options.performers };
    this.keys = options.keys ?? webKeyStore();
    this.clock = options.clock ?? systemClock;
  }

  /** The one state value: what the checkout shows. */
  get state(): PaymentState {
    return this.current;
  }

  /** Called after every change of state; returns the function that stops it. */
  subscribe(listener: (state: PaymentState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Creates the payment of `orderId` with `method`; a second call during a payment does nothing.
   * Resolves once the backend's answer is shown (or refused).
   *
   * On a page that cannot create (`canCreate: false`, no create endpoint) whose payment the server
   * rendered (`rendered`), Pay is that payment again: it is shown, and nothing is created.
   */
  pay(
    orderId: string,
    method: string,
    page: { canCreate?: boolean; rendered?: CreateAnswer | undefined } = {},
  ): Promise<void> {
    if (page.canCreate === false && page.rendered !== undefined) return this.show(orderId, method, page.rendered);
    const storedKey = this.keys.read(orderId, method);
    return this.creatingAfter({
      type: 'pay',
      orderId,
      method,
      newKey: this.newKey(),
      ...(storedKey ? { storedKey } : {}),
    });
  }

  /** Dispatches an event and returns the create it started, if it started one. */
  private creatingAfter(event: FlowEvent): Promise<void> {
    const before = this.creating;
    this.dispatch(event);
    // A create already in flight (a double tap): its answer is the one to wait for.
    return this.creating !== before || this.current.view === 'creating' ? this.creating : Promise.resolve();
  }

  /** Shows an answer the server rendered (no create call). */
  async show(orderId: string, method: string, payload: CreateAnswer): Promise<void> {
    if (this.current.view !== 'idle') return;
    const n = this.current.n;
    let action: NextAction;
    try {
      const converted = this.convert(payload);
      action = converted instanceof Promise ? await converted : converted;
    } catch (error) {
      const refused = asCheckoutError(error, 'the payment could not be prepared');
      if (this.current.view === 'idle' && this.current.n === n)
        this.dispatch({ type: 'refused', orderId, method, error: refused });
      return;
    }
    // Removed while the adapter loaded: nothing is performed from a detached element.
    if (this.current.view !== 'idle' || this.current.n !== n || !this.connected) return;
    const facts = this.facts(orderId, action);
    const deadline = action.kind === 'qr' ? localDeadline(action.expiresAt, payload.clockOffset) : undefined;
    this.dispatch({ type: 'show', orderId, method, action, facts, ...(deadline === undefined ? {} : { deadline }) });
  }

  /** Follows an order this page did not create (a return page). */
  resume(orderId: string): void {
    this.dispatch({ type: 'resume', orderId });
  }

  /** A new code: a new attempt with a new key. */
  refresh(orderId: string, method: string): Promise<void> {
    return this.creatingAfter({ type: 'refresh', orderId, method, newKey: this.newKey() });
  }

  /** After an error: the same request again where it may still work, else a new attempt. */
  retry(orderId: string, method: string): Promise<void> {
    const inAlipay = this.env().inApp === 'alipay';
    return this.creatingAfter({ type: 'retry', orderId, method, newKey: this.newKey(), inAlipay });
  }

  /** Back to the methods; the order is kept. */
  back(): void {
    this.dispatch({ type: 'back' });
  }

  /** "I have paid": asks the backend now. */
  check(): void {
    this.dispatch({ type: 'check' });
  }

  /** The page was shown again (back from the gateway, the app, or the back-forward cache). */
  pageShown(persisted: boolean): void {
    this.dispatch({ type: 'page-shown', persisted });
  }

  /** Starts again what `disconnect` paused: the poller, a create cut short, the app's listener. */
  connect(): void {
    if (this.connected) return;
    this.connected = true;
    this.poller?.start();
    const state = this.current;
    if (state.view === 'qr' && state.deadline !== undefined) this.armDeadline(state.n, state.deadline);
    // Moved while the create was in flight (a framework re-parenting the element): the removal
    // aborted it, so send it again, with the same idempotency key.
    if (state.view === 'creating') this.run({ type: 'create', attempt: state.attempt });
    if (state.view === 'native') this.run({ type: 'listen-native', n: state.n, orderId: state.orderId });
    // Moved while Alipay's cashier was up: the removal stopped the call that waited for its answer,
    // and the cashier answers no one else. The result is unknown to this page, so the backend,
    // asked now, decides; the shopper meanwhile sees the waiting screen's choices.
    if (state.view === 'alipay') this.dispatch({ type: 'alipay', n: state.n, resultCode: ALIPAY_RESULT_UNKNOWN });
    // Moved while the mini-program's page was up: listen again for the shopper's way back. Moved
    // before it opened (the bridge still asked): the removal stopped the hand-off, so make it again.
    if (state.view === 'mini-program') {
      const { n, action } = state;
      const resume = (result: HandOff) => {
        const now = this.current;
        if (!this.connected || now.view !== 'mini-program' || now.n !== n || action?.kind !== 'mini-program') return;
        this.handedOff(n, action, result, this.actionSignal());
      };
      const handOff = this.handOff?.n === n ? this.handOff : undefined;
      if (!handOff || handOff.ended) resume(handOff?.ended ?? { handed: true });
      else void handOff.outcome.then(resume);
    }
  }

  /** Pauses everything that runs (the element left the page); nothing is lost. */
  disconnect(): void {
    this.connected = false;
    this.poller?.stop();
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.createAbort?.abort();
    this.createAbort = undefined;
    this.actionAbort?.abort();
    this.actionAbort = undefined;
  }

  private newKey(): string {
    return (this.options.newKey ?? newIdempotencyKey)();
  }

  private env(): Environment {
    const given = this.options.environment;
    if (typeof given === 'function') return given();
    if (given) return given;
    this.detected ??= detectEnvironment();
    return this.detected;
  }

  /** The answer's action: at once from a synchronous `toAction`, so a rendered payload shows in the same turn. */
  private convert(answer: CreateAnswer): NextAction | Promise<NextAction> {
    const convert = this.options.toAction ?? ((gateway, response) => registryToAction(gateway, response));
    return convert(answer.gateway, answer.response);
  }

  /** Asks the page about the action before the flow decides: its events are cancelable. */
  private facts(orderId: string, action: NextAction): ActionFacts {
    const env = this.env();
    const facts: ActionFacts = { taken: false, mobile: env.mobile, inWechat: env.inApp === 'wechat' };
    if (env.inApp === 'alipay') facts.inAlipay = true;
    if (env.inApp === 'wechat-miniprogram') facts.miniProgram = 'wechat';
    if (env.inApp === 'alipay-miniprogram') facts.miniProgram = 'alipay';
    facts.taken = !this.fire(new CashdeskActionEvent({ orderId, action }));
    if (facts.taken || (action.kind !== 'redirect' && action.kind !== 'form')) return facts;
    const url = action.kind === 'redirect' ? action.url : action.action;
    if (blockedInApp(url, env) && env.inApp !== undefined) {
      const own = this.fire(new CashdeskOpenInBrowserEvent({ orderId, action, inApp: env.inApp }));
      facts.leave = own ? 'guide' : 'page';
    } else {
      facts.leave = this.fire(new CashdeskRedirectEvent({ orderId, action, url })) ? 'go' : 'page';
    }
    return facts;
  }

  private fire(event: Event): boolean {
    return (this.options.target ?? this).dispatchEvent(event);
  }

  /** Feeds one event to `next`; events raised while effects run wait their turn. */
  private dispatch(event: FlowEvent): void {
    this.queue.push(event);
    if (this.running) return;
    this.running = true;
    const thrown: unknown[] = [];
    // A throwing listener or performer (the page's own) must not strand the events behind it.
    const guarded = (call: () => void) => {
      try {
        call();
      } catch (error) {
        thrown.push(error);
      }
    };
    for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
      const { state, effects } = next(this.current, item);
      const changed = state !== this.current;
      this.current = state;
      for (const effect of effects) guarded(() => this.run(effect));
      if (changed) for (const listener of this.listeners) guarded(() => listener(state));
    }
    this.running = false;
    // Reported as uncaught, where the page's error monitoring sees them, once the flow is consistent.
    for (const error of thrown) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'create':
        this.creating = this.create(effect.attempt);
        break;
      case 'cancel-create':
        this.createAbort?.abort();
        this.createAbort = undefined;
        break;
      case 'store-key':
        this.keys.write(effect.orderId, effect.method, effect.key);
        break;
      case 'clear-keys':
        this.keys.clearOrder(effect.orderId);
        break;
      case 'follow':
        this.follow(effect.n, effect.orderId, effect.deadline);
        break;
      case 'ensure-following':
        if (this.poller && !this.poller.active && this.connected) {
          this.poller.start();
          this.poller.checkNow();
        }
        break;
      case 'stop-following':
        this.poller?.stop();
        this.poller = undefined;
        this.clock.clearTimeout(this.deadlineTimer);
        this.deadlineTimer = undefined;
        break;
      case 'check':
        this.poller?.checkNow();
        break;
      case 'perform':
        this.perform(effect.n, effect.action);
        break;
      case 'trade-pay':
        this.tradePay(effect.n, effect.action);
        break;
      case 'open-in-place':
        try {
          this.performers.openInPlace(effect.action);
        } catch (error) {
          this.dispatch({
            type: 'perform-failed',
            n: effect.n,
            error: asCheckoutError(error, 'the link could not be opened'),
          });
        }
        break;
      case 'listen-native':
        this.listenNative(effect.n, effect.orderId);
        break;
      case 'cancel-action':
        this.actionAbort?.abort();
        this.actionAbort = undefined;
        break;
      case 'emit':
        this.fire(toEvent(effect.output));
        break;
      case 'warn':
        (this.options.warn ?? console.warn)(effect.message, ...(effect.error === undefined ? [] : [effect.error]));
        break;
    }
  }

  private async create(attempt: { n: number; orderId: string; method: string; key: string }): Promise<void> {
    this.createAbort?.abort();
    const abort = new AbortController();
    this.createAbort = abort;
    const returnUrl = this.options.returnUrl?.();
    try {
      const answer = await this.options.backend.create(
        {
          orderId: attempt.orderId,
          method: attempt.method,
          client: clientInfo(this.env()),
          idempotencyKey: attempt.key,
          ...(returnUrl ? { returnUrl } : {}),
        },
        { signal: abort.signal },
      );
      if (abort.signal.aborted) return;
      const converted = this.convert(answer);
      const action = converted instanceof Promise ? await converted : converted;
      if (abort.signal.aborted || this.current.n !== attempt.n || this.current.view !== 'creating') return;
      const facts = this.facts(attempt.orderId, action);
      const deadline = action.kind === 'qr' ? localDeadline(action.expiresAt, answer.clockOffset) : undefined;
      this.dispatch({ type: 'created', n: attempt.n, action, facts, ...(deadline === undefined ? {} : { deadline }) });
    } catch (error) {
      if (abort.signal.aborted) return;
      this.dispatch({
        type: 'create-failed',
        n: attempt.n,
        error: asCheckoutError(error, 'the payment could not be prepared'),
      });
    } finally {
      if (this.createAbort === abort) this.createAbort = undefined;
    }
  }

  private follow(n: number, orderId: string, deadline: number | undefined): void {
    this.poller?.stop();
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    let sentAt = 0;
    const schedule = this.options.pollSchedule?.();
    const options: PollerOptions = {
      check: (signal) => {
        sentAt = this.clock.now();
        return this.options.backend.status(orderId, { signal });
      },
      onStatus: (answer) => this.dispatch({ type: 'status', n, answer, sentAt, at: this.clock.now() }),
      onError: (error) => {
        this.warnStatus(orderId, error);
        this.dispatch({ type: 'status-failed', n, error });
      },
      ...(schedule ? { schedule } : {}),
    };
    const poller = (this.options.poller ?? ((o) => new StatusPoller(o)))(options);
    this.poller = poller;
    if (this.connected) poller.start();
    if (deadline !== undefined && this.connected) this.armDeadline(n, deadline);
  }

  private armDeadline(n: number, deadline: number): void {
    this.clock.clearTimeout(this.deadlineTimer);
    this.deadlineTimer = this.clock.setTimeout(
      () => this.dispatch({ type: 'deadline', n }),
      Math.max(0, deadline - this.clock.now()),
    );
  }

  /**
   * A 4xx other than 408 or 429 will not go away by itself (a wrong status-endpoint or order id):
   * tell the developer once per order, without alarming the shopper, who still sees "still checking".
   */
  private warnStatus(orderId: string, error: unknown): void {
    const status = isCheckoutError(error, 'http_status') ? error.status : undefined;
    if (!isConfigurationStatus(status) || this.warnedOrder === orderId) return;
    this.warnedOrder = orderId;
    (this.options.warn ?? console.warn)(`cashdesk: the status endpoint answered ${status} for order ${orderId}`, error);
  }

  /** A fresh signal for what the action leaves running; the previous one is stopped. */
  private actionSignal(): AbortSignal {
    this.actionAbort?.abort();
    this.actionAbort = new AbortController();
    return this.actionAbort.signal;
  }

  private performFailed(n: number, error: unknown, keepFollowing = false): void {
    this.dispatch({
      type: 'perform-failed',
      n,
      error: asCheckoutError(error, 'the action could not be performed'),
      keepFollowing,
    });
  }

  /**
   * After a hand-off to a mini-program's page: listen for the shopper's way back once it opened;
   * make it again if a move stopped it before; else say it failed.
   */
  private handedOff(n: number, action: ActionOf<'mini-program'>, result: HandOff, signal: AbortSignal): void {
    if (result.handed) this.performers.appBack(signal, () => this.dispatch({ type: 'mini-program-back', n }));
    else if (isCheckoutError(result.error, 'aborted')) this.perform(n, action);
    else this.performFailed(n, result.error);
  }

  private perform(n: number, action: Extract<Effect, { type: 'perform' }>['action']): void {
    const failed = (error: unknown, keepFollowing = false) => this.performFailed(n, error, keepFollowing);
    switch (action.kind) {
      case 'redirect':
      case 'form':
        try {
          if (action.kind === 'redirect') this.performers.redirect(action);
          else this.performers.form(action);
        } catch (error) {
          failed(error);
        }
        return;
      case 'deeplink': {
        const signal = this.actionSignal();
        this.performers.deeplink(action, signal).then(
          (outcome) => {
            if (signal.aborted) return;
            this.dispatch({ type: 'app', n, outcome });
            if (outcome === 'left')
              this.performers.appBack(signal, () => this.dispatch({ type: 'app', n, outcome: 'back' }));
          },
          (error) => {
            if (!signal.aborted) failed(error);
          },
        );
        return;
      }
      case 'wechat-jsapi': {
        const signal = this.actionSignal();
        this.performers.wechat(action, signal).then(
          (result) => {
            if (!signal.aborted) this.dispatch({ type: 'wechat', n, ...result });
          },
          (error) => {
            if (!signal.aborted) failed(error);
          },
        );
        return;
      }
      case 'mini-program': {
        const signal = this.actionSignal();
        const orderId = ('orderId' in this.current ? this.current.orderId : undefined) ?? '';
        const outcome = this.performers.miniProgram(action, orderId, signal).then(
          () => ({ handed: true as const }),
          (error: unknown) => ({ handed: false as const, error }),
        );
        const handOff: HandOffRecord = { n, outcome };
        this.handOff = handOff;
        void outcome.then((result) => {
          handOff.ended = result;
          // Moved meanwhile: `connect` reads the outcome.
          if (!signal.aborted) this.handedOff(n, action, result, signal);
        });
        return;
      }
      case 'sdk-token': {
        const orderId = ('orderId' in this.current ? this.current.orderId : undefined) ?? '';
        let bridge: NativeBridgeKind | undefined;
        try {
          bridge = this.performers.postToNative({
            type: 'cashdesk:sdk-token',
            version: 1,
            orderId,
            sdk: action.sdk,
            token: action.token,
          });
        } catch (error) {
          // The app's bridge is there but threw: say so, rather than wait for an app that never
          // heard. On a retry the first hand-off may still be paid: keep following the payment.
          failed(error, true);
          return;
        }
        this.dispatch({ type: 'native-posted', n, ...(bridge ? { bridge } : {}) });
        return;
      }
    }
  }

  /** Alipay's cashier: its answer, or why it could not open (the bridge never came, or threw). */
  private tradePay(n: number, action: ActionOf<'sdk-token'>): void {
    const signal = this.actionSignal();
    this.performers.alipay(action, signal).then(
      (result) => {
        if (!signal.aborted) this.dispatch({ type: 'alipay', n, ...result });
      },
      (error) => {
        if (signal.aborted) return;
        this.dispatch({
          type: 'perform-failed',
          n,
          error: asCheckoutError(error, 'the Alipay payment could not be opened'),
        });
      },
    );
  }

  private listenNative(n: number, orderId: string): void {
    const signal = this.actionSignal();
    const stop = this.performers.onNativeResult((result) => {
      if (result.orderId !== orderId || signal.aborted) return;
      this.dispatch({
        type: 'native',
        n,
        outcome: result.outcome,
        ...(result.message === undefined ? {} : { message: result.message }),
      });
    });
    signal.addEventListener('abort', stop, { once: true });
  }
}

/** The element's events, from the flow's outputs: each output's fields are its event's detail. */
const EVENTS = {
  status: CashdeskStatusEvent,
  success: CashdeskSuccessEvent,
  failure: CashdeskFailureEvent,
  expired: CashdeskExpiredEvent,
  'app-launch-failed': CashdeskAppLaunchFailedEvent,
  'sdk-token': CashdeskSdkTokenEvent,
} as const;

function toEvent(output: FlowOutput): Event {
  if (output.type === 'error') {
    return new CashdeskErrorEvent({ orderId: output.orderId, error: output.error, code: output.error.code });
  }
  const { type, ...detail } = output;
  return new EVENTS[type](detail as never);
}
