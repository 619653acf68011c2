import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { StatusController } from '../../controllers/status-controller.js';
import { Backend, newIdempotencyKey, type StatusAnswer } from '../../core/backend.js';
import { localDeadline } from '../../core/clock.js';
import { blockedInApp, clientInfo, detectEnvironment, type Environment } from '../../core/environment.js';
import { CheckoutError, isCheckoutError } from '../../core/errors.js';
import { formatMinor } from '../../core/money.js';
import type { ActionOf, NextAction } from '../../core/next-action.js';
import type { PollSchedule } from '../../core/poller.js';
import { preloadQrEncoder } from '../../core/qr.js';
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
  type CheckoutState,
} from '../../events/events.js';
import { toAction } from '../../gateways/registry.js';
import { methodName } from '../../i18n/localize.js';
import { LocalizedElement } from '../../i18n/localized-element.js';
import type { Messages } from '../../i18n/messages.js';
import { loadOpenInBrowser } from '../../lazy/open-in-browser.js';
import { openDeeplink } from '../../perform/deeplink.js';
import { performFormPost } from '../../perform/form-post.js';
import { onNativeResult, postToNative } from '../../perform/native-bridge.js';
import { performRedirect } from '../../perform/redirect.js';
import { invokeWechatPay } from '../../perform/wechat-jsapi.js';
import '../cashdesk-qr/cashdesk-qr.js';
import { styles } from './cashdesk-checkout.styles.js';

/** The gateway's answer, as a server-rendered page can hand it over without a create call. */
export interface CheckoutPayload {
  gateway: string;
  response: unknown;
  /** The backend's clock minus the device's, in ms (`CreateAnswer.clockOffset`): QR deadlines follow it. */
  clockOffset?: number;
}

/**
 * The wallet a QR is for, where its content says so: the label then names the app that can scan
 * it even when the gateway chose another channel than the method picked (or none was picked).
 */
function walletOfQr(content: string): string | undefined {
  if (/^weixin:/i.test(content)) return 'wxpay';
  if (/^(?:alipays?|alipayqr):|^https:\/\/qr\.alipay\.com\//i.test(content)) return 'alipay';
  if (/^https:\/\/qr\.95516\.com\//i.test(content)) return 'unionpay';
  return undefined;
}

/** One try at paying: a new one per method choice or refreshed QR, the same one across retries. */
interface Attempt {
  /** Taken when the attempt starts: a later change of `order-id` cannot redirect it. */
  orderId: string;
  method: string;
  idempotencyKey: string;
  /** Set once a terminal event went out, so a payment never ends twice. */
  ended: boolean;
}

/**
 * The idempotency key of the attempt in progress, per order and method, kept for the tab's life:
 * a reload after a lost create answer sends the same key, so the backend answers with the same
 * payment instead of creating a second one.
 */
const keyStore = {
  name: (orderId: string, method: string) => `cashdesk:attempt:${orderId}:${method}`,
  read(orderId: string, method: string): string | undefined {
    try {
      return sessionStorage.getItem(this.name(orderId, method)) ?? undefined;
    } catch {
      // Storage can be refused (sandboxed frames, some private modes): fall back to memory only.
      return undefined;
    }
  },
  clearOrder(orderId: string): void {
    try {
      const prefix = this.name(orderId, '');
      for (const name of Object.keys(sessionStorage)) if (name.startsWith(prefix)) sessionStorage.removeItem(name);
    } catch {
      // No storage, nothing kept.
    }
  },
  write(orderId: string, method: string, key: string | undefined): void {
    try {
      if (key === undefined) sessionStorage.removeItem(this.name(orderId, method));
      else sessionStorage.setItem(this.name(orderId, method), key);
    } catch {
      // As above: without storage, the key lives as long as the element.
    }
  },
};

/**
 * The checkout a shopper sees: amount, method picker and one Pay button; then the QR (or, later,
 * the page-leaving action) and the payment followed with the merchant backend to its end.
 *
 * @summary Creates the payment through the merchant backend and follows it to the end.
 *
 * @fires cashdesk-action - An action is about to be performed; cancel it to perform it yourself.
 * @fires cashdesk-status - The state or the backend's status changed.
 * @fires cashdesk-success - The backend says the order is paid. Fired once per payment.
 * @fires cashdesk-failure - The gateway or the backend says the payment failed. Fired once per payment.
 * @fires cashdesk-expired - The payment code expired unpaid. Fired once per payment.
 * @fires cashdesk-error - The payment could not go on (backend unreachable, response refused); the order is kept.
 * @fires cashdesk-redirect - A redirect or form post is about to leave the page; cancel it to navigate yourself.
 * @fires cashdesk-app-launch-failed - The wallet app did not open from its deep link; the fallback is shown.
 * @fires cashdesk-sdk-token - An SDK token for the native app (also posted to its bridge, when there is one).
 * @fires cashdesk-open-in-browser - The action needs the system browser (Alipay inside WeChat); cancel it to show your own guide.
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The formatted amount.
 * @csspart methods - The method radio group.
 * @csspart button - The Pay button.
 * @csspart qr - The `<cashdesk-qr>` element.
 * @csspart message - The state message.
 * @csspart retry - The retry, try-again or refresh button.
 * @csspart check - "I have paid": asks the backend now, while the payment happens elsewhere.
 * @csspart back - Back to the method picker; the order is kept.
 *
 * @cssprop --cashdesk-color-accent - Buttons, the chosen method and focus rings.
 * @cssprop --cashdesk-color-on-accent - Text on the accent colour.
 * @cssprop --cashdesk-color-surface - Background.
 * @cssprop --cashdesk-color-text - Text colour.
 * @cssprop --cashdesk-color-muted - Secondary text.
 * @cssprop --cashdesk-color-border - Borders.
 * @cssprop --cashdesk-color-success - The paid message.
 * @cssprop --cashdesk-color-danger - Failure and error messages.
 * @cssprop --cashdesk-radius - Corner radius.
 * @cssprop --cashdesk-space - Spacing between parts.
 * @cssprop --cashdesk-font-family - Font family.
 *
 * The `--cashdesk-color-*`, `--cashdesk-radius` and `--cashdesk-font-family` properties also
 * theme the `<cashdesk-qr>` inside.
 */
export class CashdeskCheckout extends LocalizedElement {
  static override styles = styles;

  private readonly status = new StatusController(this);

  @state() private view: CheckoutState = 'idle';
  @state() private action: NextAction | undefined;
  /** The environment as detected once, when no `environment` is given. */
  private detected: Environment | undefined;
  /** The open-in-browser guide's module on its way: `updateComplete` waits for it. */
  private guideLoad: Promise<unknown> | undefined;
  /** The order a 4xx status answer was already logged for. */
  private warnedOrder: string | undefined;
  /** The QR's `expiresAt` on this device's clock (see core/clock.ts). */
  private qrDeadline: number | undefined;
  @state() private selected: string | undefined;
  @state() private checkingTrouble = false;
  @state() private failure: { code: string; message?: string } | undefined;
  @state() private lastError: CheckoutError | undefined;
  /** The backend said "canceled": shown as such, not as a failure. */
  @state() private canceled = false;

  /** A short note about what just happened (a cancelled WeChat sheet), announced with the state. */
  @state() private note: string | undefined;

  private attempt: Attempt | undefined;
  /**
   * Set by the shopper's own clicks, and by any render while focus is inside: once the focused
   * button is gone (WeChat's sheet cancelled, a payment settled, "I have paid" no longer needed),
   * focus goes to what replaced it instead of the page's body, unless the shopper has gone on to
   * something else on the page.
   */
  private focusAfterUpdate = false;
  private createAbort: AbortController | undefined;
  /** Stops whatever the current action left running: a deep-link watch, the WeChat sheet, a native listener. */
  private actionAbort: AbortController | undefined;

  /** The create endpoint (`POST`). */
  @property() endpoint = '';
  /** The status endpoint (`GET ?orderId=`). */
  @property({ attribute: 'status-endpoint' }) statusEndpoint = '';
  @property({ attribute: 'order-id' }) orderId = '';
  /** Minor units (`9900` is ¥99.00 in CNY). */
  @property() amount = '';
  /** ISO 4217 code. */
  @property() currency = '';
  /** Space-separated method ids, e.g. `alipay wxpay`. */
  @property() methods = '';
  /** When set, the create answer may be this gateway's body itself. */
  @property() gateway = '';
  @property({ attribute: 'return-url' }) returnUrl = '';
  /** A server-rendered `{gateway, response}`: shown without a create call. */
  @property({ attribute: false }) payload: CheckoutPayload | undefined;
  /** Extra headers for the backend calls (a CSRF token). */
  @property({ attribute: false }) headers: Record<string, string> = {};
  @property({ attribute: false }) credentials: RequestCredentials = 'same-origin';
  /** Extra hosts accepted where a host allow-list applies (a sandbox gateway). */
  @property({ attribute: false }) allowedHosts: string[] = [];
  /** Accept `http:` targets; by default only on an `http:` page. */
  @property({ attribute: false }) allowInsecure: boolean | undefined;
  /** Inside an iframe, redirects and form posts navigate the top window where the browser allows it. */
  @property({ type: Boolean, attribute: 'navigate-top' }) navigateTop = false;
  /**
   * Mount on a return page, or on the page reopened in the system browser: the element asks the
   * backend about `order-id` at once and shows the result (or keeps following the payment).
   */
  @property({ type: Boolean }) resume = false;
  /** Where the page runs; detected from the user agent and the window when not set. */
  @property({ attribute: false }) environment: Environment | undefined;
  /** Overrides the status polling schedule (ms). */
  @property({ attribute: false }) pollSchedule: Partial<PollSchedule> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Waiting states resume by themselves (the status controller restarts its poller).
    window.addEventListener('pageshow', this.onPageShow);
    // Moved while the create was in flight (a framework re-parenting the element): the removal
    // aborted it, so send it again, with the same idempotency key. Moved while the app has the
    // token: listen for its answer again.
    if (this.hasUpdated && this.view === 'creating' && this.attempt) void this.create();
    if (this.hasUpdated && this.view === 'native') this.listenToApp();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('pageshow', this.onPageShow);
    this.createAbort?.abort();
    this.createAbort = undefined;
    this.actionAbort?.abort();
    this.actionAbort = undefined;
  }

  protected override update(changed: PropertyValues<this>): void {
    // Before rendering: a button that has the focus may go with this render.
    if (this.shadowRoot?.activeElement) this.focusAfterUpdate = true;
    super.update(changed);
  }

  /** Also waits for the guide's module when it is being fetched, so the guide is drawn one `await` away. */
  protected override getUpdateComplete(): Promise<boolean> {
    const load = this.guideLoad;
    // No extra turn when nothing is loading: the timing of `updateComplete` stays Lit's own.
    if (load === undefined) return super.getUpdateComplete();
    const settled = () => super.getUpdateComplete();
    return load.then(settled, settled);
  }

  protected override updated(): void {
    if (!this.focusAfterUpdate) return;
    const root = this.shadowRoot;
    const active = document.activeElement;
    // Still inside, or the shopper has moved on to something else on the page: leave it there.
    if (!root || root.activeElement || (active && active !== document.body && active !== this)) {
      this.focusAfterUpdate = false;
      return;
    }
    // What the shopper can do next, else what happened (the message is said before the buttons).
    const next =
      root.querySelector<HTMLElement>(
        '[part~="retry"], [part~="back"], [part~="check"], [part~="button"]:not([disabled])',
      ) ?? root.querySelector<HTMLElement>('[part~="message"]');
    if (next) {
      this.focusAfterUpdate = false;
      next.focus();
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Before the first render, so the page never sees the picker flash on a return page.
    if (!this.hasUpdated && this.resume && this.orderId && this.view === 'idle' && this.payload === undefined) {
      this.setView('waiting');
      this.follow();
      this.status.checkNow();
    }
    if (changed.has('methods')) {
      const list = this.methodList;
      if (this.selected === undefined || !list.includes(this.selected)) this.selected = list[0];
    }
    if (changed.has('payload') && this.payload !== undefined && this.view === 'idle') {
      this.show(this.payload);
    }
  }

  private get methodList(): string[] {
    return this.methods.split(/\s+/).filter(Boolean);
  }

  private backend(): Backend {
    return new Backend({
      endpoint: this.endpoint,
      statusEndpoint: this.statusEndpoint,
      headers: this.headers,
      credentials: this.credentials,
      ...(this.gateway ? { gateway: this.gateway } : {}),
    });
  }

  /** The order the current payment is for. */
  private get activeOrderId(): string {
    return this.attempt?.orderId ?? this.orderId;
  }

  private newAttempt(method: string, fresh: boolean): Attempt {
    const orderId = this.orderId;
    const idempotencyKey = (fresh ? undefined : keyStore.read(orderId, method)) ?? newIdempotencyKey();
    keyStore.write(orderId, method, idempotencyKey);
    return { orderId, method, idempotencyKey, ended: false };
  }

  private setView(view: CheckoutState, answer?: StatusAnswer): void {
    this.view = view;
    this.dispatchEvent(
      new CashdeskStatusEvent({
        orderId: this.activeOrderId,
        state: view,
        ...(answer ? { status: answer.status, answer } : {}),
      }),
    );
  }

  private readonly onMethodChange = (event: Event): void => {
    this.selected = (event.target as HTMLInputElement).value;
  };

  private readonly onPay = (): void => {
    this.focusAfterUpdate = true;
    void this.pay();
  };

  private readonly onRetry = (): void => {
    this.focusAfterUpdate = true;
    void this.retry();
  };

  private readonly onTryAgain = (): void => {
    this.focusAfterUpdate = true;
    this.reset();
  };

  private readonly onRefresh = (): void => {
    this.focusAfterUpdate = true;
    void this.refresh();
  };

  private readonly onCheckAgain = (): void => {
    this.status.checkNow();
  };

  private readonly onOverlayClose = (): void => {
    this.reset();
  };

  /**
   * Back from the gateway's page, the wallet app, or the back-forward cache: never a stuck
   * spinner or a disabled button. Leave the busy states and ask the backend at once.
   */
  private readonly onPageShow = (event: PageTransitionEvent): void => {
    if (this.view === 'creating' && event.persisted) {
      this.reset();
      return;
    }
    if (this.view === 'redirecting' || this.view === 'app') this.setView('waiting');
    // A running poller checks on pageshow by itself; one that is not running yet starts with a check.
    if (!this.status.active && this.view === 'waiting') {
      this.follow();
      this.status.checkNow();
    }
  };

  /** Creates the payment for the chosen method and shows what the gateway asks for. */
  async pay(): Promise<void> {
    // A double click, or Pay during a payment, never creates a second payment.
    if (this.view !== 'idle') return;
    // A page whose payment was rendered by the server (no endpoint): Pay is that payment again.
    if (!this.canPay && this.payload) {
      this.show(this.payload);
      return;
    }
    this.attempt = this.newAttempt(this.selected ?? this.methodList[0] ?? '', false);
    await this.create();
  }

  /** Asks for a new payment code (a new attempt, so a new idempotency key). */
  async refresh(): Promise<void> {
    if (this.view === 'creating' || this.view === 'paid') return;
    this.status.stop();
    this.attempt = this.newAttempt(this.attempt?.method ?? this.selected ?? this.methodList[0] ?? '', true);
    await this.create();
  }

  /** Back to the method picker; the order is kept. */
  reset(): void {
    this.status.stop();
    this.createAbort?.abort();
    this.createAbort = undefined;
    this.actionAbort?.abort();
    this.actionAbort = undefined;
    this.note = undefined;
    this.attempt = undefined;
    this.action = undefined;
    this.failure = undefined;
    this.lastError = undefined;
    this.checkingTrouble = false;
    this.canceled = false;
    this.setView('idle');
  }

  /**
   * After an error: a create that never got an answer is sent again with the same idempotency
   * key (the backend may have created the payment already). A refused gateway answer would be
   * refused again, so it offers the methods instead (see renderBody); anything else starts over.
   */
  private async retry(): Promise<void> {
    if (this.view !== 'error') return;
    if (this.attempt && this.lastError?.kind === 'backend' && this.action === undefined) {
      this.attempt.ended = false;
      await this.create();
      return;
    }
    // WeChat's sheet or the app's SDK failed: the payment may still go through, so offer the same
    // one again (same prepay id, same token), never a new payment beside it.
    if (this.lastError?.kind === 'environment') {
      if (this.action?.kind === 'wechat-jsapi') {
        this.lastError = undefined;
        void this.payInWechat(this.action);
        return;
      }
      if (this.action?.kind === 'sdk-token') {
        this.lastError = undefined;
        this.handToApp(this.action);
        return;
      }
    }
    await this.refresh();
  }

  private async create(): Promise<void> {
    const attempt = this.attempt;
    if (!attempt) return;
    this.action = undefined;
    this.failure = undefined;
    this.lastError = undefined;
    this.checkingTrouble = false;
    this.note = undefined;
    this.actionAbort?.abort();
    this.actionAbort = undefined;
    this.setView('creating');
    this.createAbort?.abort();
    const abort = new AbortController();
    this.createAbort = abort;
    // Most answers are a QR code: its encoder (a chunk of its own) arrives while the backend answers.
    preloadQrEncoder().catch(() => undefined);
    try {
      const answer = await this.backend().create(
        {
          orderId: attempt.orderId,
          method: attempt.method,
          client: clientInfo(this.env()),
          idempotencyKey: attempt.idempotencyKey,
          ...(this.returnUrl ? { returnUrl: this.returnUrl } : {}),
        },
        { signal: abort.signal },
      );
      if (abort.signal.aborted || this.attempt !== attempt) return;
      this.show(answer);
    } catch (error) {
      if (abort.signal.aborted || this.attempt !== attempt) return;
      this.fail(error);
    } finally {
      if (this.createAbort === abort) this.createAbort = undefined;
    }
  }

  private show(answer: CheckoutPayload): void {
    // A server-rendered payload comes without a create: its attempt starts here.
    this.attempt ??= { orderId: this.orderId, method: this.selected ?? '', idempotencyKey: '', ended: false };
    let action: NextAction;
    try {
      action = toAction(answer.gateway, answer.response, {
        allowedHosts: this.allowedHosts,
        ...(this.allowInsecure === undefined ? {} : { allowInsecure: this.allowInsecure }),
      });
    } catch (error) {
      this.fail(error);
      return;
    }
    this.action = action;
    const proceed = this.dispatchEvent(new CashdeskActionEvent({ orderId: this.activeOrderId, action }));
    if (!proceed) {
      // The merchant performs the action; we keep following the payment.
      this.setView('waiting');
      this.follow();
      return;
    }
    switch (action.kind) {
      case 'qr':
        this.qrDeadline = localDeadline(action.expiresAt, answer.clockOffset);
        this.setView('qr');
        this.follow(this.qrDeadline);
        break;
      case 'failed':
        // The gateway's own verdict, not the backend's: the event carries no backend status.
        this.end('failed', undefined, { code: action.code, ...(action.message ? { message: action.message } : {}) });
        break;
      case 'success':
      case 'pending':
        // Only the backend's "paid" is proof of payment: confirm it before telling the page.
        this.setView('waiting');
        this.follow();
        this.status.checkNow();
        break;
      case 'redirect':
      case 'form':
        this.leave(action);
        break;
      case 'deeplink':
        void this.openApp(action);
        break;
      case 'wechat-jsapi':
        void this.payInWechat(action);
        break;
      case 'sdk-token':
        this.handToApp(action);
        break;
      default:
        this.setView('unsupported');
        this.follow();
        break;
    }
  }

  private env(): Environment {
    if (this.environment) return this.environment;
    this.detected ??= detectEnvironment();
    return this.detected;
  }

  /** A fresh signal for what the action leaves running; the previous one is stopped. */
  private newActionSignal(): AbortSignal {
    this.actionAbort?.abort();
    this.actionAbort = new AbortController();
    return this.actionAbort.signal;
  }

  /** Redirects and form posts: the page is left, unless the merchant or the in-app browser says no. */
  private leave(action: ActionOf<'redirect' | 'form'>): void {
    const url = action.kind === 'redirect' ? action.url : action.action;
    const env = this.env();
    // The status is followed throughout: the shopper may pay elsewhere (the system browser, another tab).
    this.follow();
    if (blockedInApp(url, env) && env.inApp !== undefined) {
      const own = this.dispatchEvent(
        new CashdeskOpenInBrowserEvent({ orderId: this.activeOrderId, action, inApp: env.inApp }),
      );
      // The guide is needed only inside WeChat, for Alipay's pages: its code is a chunk of its own.
      if (own) this.guideLoad = loadOpenInBrowser();
      this.setView(own ? 'open-in-browser' : 'waiting');
      return;
    }
    if (!this.dispatchEvent(new CashdeskRedirectEvent({ orderId: this.activeOrderId, action, url }))) {
      this.setView('waiting');
      return;
    }
    this.setView('redirecting');
    const options = {
      allowedHosts: this.allowedHosts,
      top: this.navigateTop,
      ...(this.allowInsecure === undefined ? {} : { allowInsecure: this.allowInsecure }),
    };
    try {
      if (action.kind === 'redirect') performRedirect(action, options);
      else performFormPost(action, { ...options, container: this.renderRoot });
    } catch (error) {
      this.fail(error);
    }
  }

  /** A wallet deep link: open it on a phone; if the page stays in front, the app did not open. */
  private async openApp(action: ActionOf<'deeplink'>): Promise<void> {
    this.follow();
    if (!this.env().mobile) {
      // A desktop has no wallet app: the link as a QR is the way to pay from a phone.
      this.setView('app-fallback');
      return;
    }
    this.setView('app');
    const signal = this.newActionSignal();
    try {
      const outcome = await openDeeplink(action, { signal });
      if (signal.aborted || this.action !== action) return;
      if (outcome === 'left') {
        // The app took over. Back from it (a visibilitychange, no pageshow) the shopper finds the
        // payment being followed, not "Opening the app…".
        const back = () => {
          if (document.visibilityState === 'hidden' || this.view !== 'app') return;
          document.removeEventListener('visibilitychange', back);
          this.setView('waiting');
        };
        document.addEventListener('visibilitychange', back);
        signal.addEventListener('abort', () => document.removeEventListener('visibilitychange', back), { once: true });
        return;
      }
      this.setView('app-fallback');
      this.dispatchEvent(new CashdeskAppLaunchFailedEvent({ orderId: this.activeOrderId, url: action.url }));
    } catch (error) {
      if (!signal.aborted) this.fail(error);
    }
  }

  /**
   * WeChat's payment sheet. "ok" only means the sheet closed after paying: the backend still has
   * to say "paid". "cancel" takes the shopper back to the methods with the order kept.
   */
  private async payInWechat(action: ActionOf<'wechat-jsapi'>): Promise<void> {
    const env = this.env();
    if (env.inApp !== 'wechat') {
      this.setView('open-in-wechat');
      this.follow();
      return;
    }
    this.setView('wechat');
    // Followed while the sheet is up: the shopper may pay and the sheet never call back.
    this.follow();
    const signal = this.newActionSignal();
    try {
      const result = await invokeWechatPay(action.params, { signal });
      if (signal.aborted || this.action !== action) return;
      if (result.outcome === 'ok') {
        // Already followed since the sheet opened: ask at once.
        this.setView('waiting');
        this.status.checkNow();
      } else if (result.outcome === 'cancel') {
        this.reset();
        this.note = this.messages.canceledKept;
      } else {
        // WeChat's "fail" is not the backend's: some builds report it while the sheet is still up.
        // Show the error, and keep asking the backend in case the payment went through.
        this.fail(new CheckoutError('bridge_failed', result.message ?? 'WeChat Pay reported a failure'), true);
      }
    } catch (error) {
      if (!signal.aborted) this.fail(error);
    }
  }

  /** An SDK token for the native app around the webview, posted to its bridge when it has one. */
  private handToApp(action: ActionOf<'sdk-token'>): void {
    const orderId = this.activeOrderId;
    let bridge: ReturnType<typeof postToNative>;
    try {
      bridge = postToNative({ type: 'cashdesk:sdk-token', version: 1, orderId, sdk: action.sdk, token: action.token });
    } catch (error) {
      // The app's bridge is there but threw: say so, rather than wait for an app that never heard.
      // On a retry the first hand-off may still be paid: keep following the payment.
      this.fail(error, true);
      return;
    }
    this.dispatchEvent(
      new CashdeskSdkTokenEvent({ orderId, sdk: action.sdk, token: action.token, ...(bridge ? { bridge } : {}) }),
    );
    this.follow();
    if (bridge === undefined) {
      this.setView('unsupported');
      return;
    }
    this.setView('native');
    this.listenToApp();
  }

  /** The app's answer about the hand-off; listened for again when the element is moved meanwhile. */
  private listenToApp(): void {
    const orderId = this.activeOrderId;
    const signal = this.newActionSignal();
    const unsubscribe = onNativeResult((result) => {
      if (result.orderId !== orderId || signal.aborted) return;
      if (result.outcome === 'cancel') {
        this.reset();
        this.note = this.messages.canceledKept;
        return;
      }
      if (result.outcome === 'fail') {
        // As with WeChat's sheet: say so and offer a retry with the same payment, while the
        // backend, which alone decides, keeps being asked.
        this.fail(new CheckoutError('bridge_failed', result.message ?? 'the app reported a failure'), true);
        this.status.checkNow();
        return;
      }
      // Success or unknown: the backend decides.
      this.setView('waiting');
      this.status.checkNow();
    });
    signal.addEventListener('abort', unsubscribe, { once: true });
  }

  private follow(deadline?: number): void {
    const backend = this.backend();
    const orderId = this.activeOrderId;
    this.status.follow({
      check: (signal) => backend.status(orderId, { signal }),
      onStatus: (answer) => this.onStatus(answer),
      onError: (error) => {
        // The payment is not failed because we could not ask: say so, and keep asking.
        this.checkingTrouble = true;
        // A 4xx other than 408 or 429 will not go away by itself (a wrong status-endpoint or
        // order-id): tell the developer once per order, without alarming the shopper, who still
        // sees "still checking".
        const status = isCheckoutError(error, 'http_status') ? (error.status ?? 0) : 0;
        if (status >= 400 && status < 500 && status !== 408 && status !== 429 && this.warnedOrder !== orderId) {
          this.warnedOrder = orderId;
          console.warn(`cashdesk: the status endpoint answered ${status} for order ${orderId}`, error);
        }
      },
      onExpired: () => this.end('expired'),
      ...(deadline === undefined ? {} : { deadline }),
      ...(this.pollSchedule ? { schedule: this.pollSchedule } : {}),
    });
  }

  private onStatus(answer: StatusAnswer): void {
    this.checkingTrouble = false;
    switch (answer.status) {
      case 'paid':
        this.end('paid', answer);
        break;
      case 'failed':
      case 'canceled':
        this.end('failed', answer);
        break;
      case 'expired':
        this.end('expired', answer);
        break;
      default:
        // "Still pending" changes nothing on screen: an error shown while the payment is still
        // followed (WeChat's sheet failed) keeps its Retry until the shopper acts or it is paid.
        this.dispatchEvent(
          new CashdeskStatusEvent({ orderId: this.activeOrderId, state: this.view, status: answer.status, answer }),
        );
    }
  }

  /** The one way a payment ends: one terminal event per attempt, never two. */
  private end(
    view: 'paid' | 'failed' | 'expired',
    answer?: StatusAnswer,
    verdict?: { code: string; message?: string },
  ): void {
    const attempt = this.attempt;
    if (attempt?.ended) return;
    if (attempt) attempt.ended = true;
    // The attempt is over: the next Pay is a new payment with a new key (on a return page there
    // is no attempt in memory, so every key kept for the order goes).
    if (attempt) keyStore.write(attempt.orderId, attempt.method, undefined);
    else keyStore.clearOrder(this.orderId);
    this.status.stop();
    this.actionAbort?.abort();
    this.actionAbort = undefined;
    this.checkingTrouble = false;
    const orderId = this.activeOrderId;
    if (view === 'failed') {
      const message = verdict?.message ?? answer?.message;
      this.failure = {
        code: verdict?.code ?? answer?.code ?? answer?.status ?? 'failed',
        ...(message ? { message } : {}),
      };
    }
    this.canceled = answer?.status === 'canceled';
    this.setView(view, answer);
    if (view === 'paid') {
      const reference = this.action?.reference;
      this.dispatchEvent(new CashdeskSuccessEvent({ orderId, ...(reference ? { reference } : {}) }));
    } else if (view === 'failed') {
      this.dispatchEvent(
        new CashdeskFailureEvent({
          orderId,
          code: this.failure?.code ?? 'failed',
          ...(this.failure?.message ? { message: this.failure.message } : {}),
          ...(answer ? { status: answer.status } : {}),
        }),
      );
    } else {
      this.dispatchEvent(new CashdeskExpiredEvent({ orderId }));
    }
  }

  private fail(error: unknown, keepFollowing = false): void {
    const checkoutError = isCheckoutError(error)
      ? error
      : new CheckoutError('unsupported_response', 'the payment could not be prepared', { cause: error });
    this.lastError = checkoutError;
    // A refused gateway answer would come back the same for the same key: the next Pay is new.
    if (checkoutError.kind === 'response' && this.attempt) {
      keyStore.write(this.attempt.orderId, this.attempt.method, undefined);
    }
    if (!keepFollowing) this.status.stop();
    this.actionAbort?.abort();
    this.actionAbort = undefined;
    this.setView('error');
    this.dispatchEvent(
      new CashdeskErrorEvent({ orderId: this.activeOrderId, error: checkoutError, code: checkoutError.code }),
    );
  }

  private announcement(m: Messages): string {
    switch (this.view) {
      case 'creating':
        return m.creating;
      case 'qr':
      case 'waiting':
        return this.checkingTrouble ? m.stillChecking : m.waiting;
      case 'paid':
        return m.paid;
      case 'failed':
        if (this.canceled) return m.canceled;
        return this.failure?.message ? m.failedWith(this.failure.message) : m.failed;
      case 'expired':
        return m.expired;
      case 'error':
        return m.error;
      case 'unsupported':
        return m.notSupportedHere;
      case 'redirecting':
        return m.redirecting;
      case 'app':
        return m.openingApp;
      case 'app-fallback':
        return m.appNotOpened;
      case 'wechat':
        return m.wechatPaying;
      case 'open-in-wechat':
        return m.openInWechat;
      case 'open-in-browser':
        return m.openInBrowserTitle;
      case 'native':
        return m.handedToApp;
      default:
        return this.note ?? '';
    }
  }

  private renderPicker(m: Messages, amount: string | undefined) {
    const methods = this.methodList;
    const busy = this.view === 'creating';
    return html`
      ${
        methods.length > 1
          ? html`<fieldset part="methods" ?disabled=${busy}>
            <legend>${m.methodLegend}</legend>
            ${methods.map(
              (method) => html`<label class="method">
                <input
                  type="radio"
                  name="method"
                  .value=${method}
                  .checked=${method === this.selected}
                  @change=${this.onMethodChange}
                />
                <span>${methodName(m, method)}</span>
              </label>`,
            )}
          </fieldset>`
          : nothing
      }
      ${
        // A return page (resume, no endpoint) has nothing to pay with; elsewhere a missing endpoint
        // is the page's mistake, and Pay says so.
        this.canPay || this.payload || !this.resume
          ? html`<button part="button" class="primary" type="button" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'} @click=${this.onPay}>
            ${amount ? m.pay(amount) : m.payNoAmount}
          </button>`
          : nothing
      }
    `;
  }

  /** A code to scan that is not the gateway's own QR: a deep link for another phone, this page for WeChat. */
  private renderQr(content: string, label: string) {
    return html`<cashdesk-qr part="qr" .content=${content} .label=${label} .mobile=${false} lang=${this.locale}></cashdesk-qr>`;
  }

  /** While the payment happens elsewhere: "I have paid" asks the backend now; or pick another method. */
  private renderAway(m: Messages, checkAgain: boolean) {
    if (!checkAgain && !this.canPay) return nothing;
    return html`<div class="actions">
      ${checkAgain ? html`<button part="check" type="button" @click=${this.onCheckAgain}>${m.checkAgain}</button>` : nothing}
      ${this.canPay ? html`<button part="back" type="button" @click=${this.onTryAgain}>${m.backToMethods}</button>` : nothing}
    </div>`;
  }

  /**
   * Whether this element can start a payment: a return page has only `order-id` and
   * `status-endpoint`, and there "Try again" or "Choose another method" would lead to a Pay
   * button that cannot work. The page's own links take the shopper back to the checkout.
   */
  private get canPay(): boolean {
    return this.endpoint !== '';
  }

  private renderBody(m: Messages, amount: string | undefined) {
    const action = this.action;
    switch (this.view) {
      case 'idle':
      case 'creating':
        return this.renderPicker(m, amount);
      case 'qr': {
        if (action?.kind !== 'qr') return nothing;
        const method = walletOfQr(action.content) ?? this.attempt?.method;
        return html`<cashdesk-qr
          part="qr"
          .content=${action.content}
          .expiresAt=${this.qrDeadline ?? ''}
          .label=${method ? m.scanWith(methodName(m, method)) : m.scanGeneric}
          .mobile=${this.env().mobile}
          lang=${this.locale}
          @cashdesk-qr-refresh=${this.onRefresh}
        ></cashdesk-qr>
        ${this.checkingTrouble ? this.renderAway(m, true) : nothing}`;
      }
      case 'paid':
        return nothing;
      case 'failed':
        if (!this.canPay) return nothing;
        return html`<button part="retry" type="button" @click=${this.onTryAgain}>${m.tryAgain}</button>`;
      case 'expired':
        if (!this.canPay) return nothing;
        return html`<button part="retry" type="button" @click=${this.onRefresh}>${m.refresh}</button>`;
      case 'error': {
        // A refused gateway answer would be refused again: offer the methods, not the same request.
        // (The message above already says the order is kept.)
        if (this.lastError?.kind === 'response') {
          return this.canPay
            ? html`<button part="back" type="button" @click=${this.onTryAgain}>${m.backToMethods}</button>`
            : nothing;
        }
        // WeChat's sheet and the app's SDK are tried again with the same payment: no create needed.
        const again = this.action?.kind === 'wechat-jsapi' || this.action?.kind === 'sdk-token';
        return this.canPay || (again && this.lastError?.kind === 'environment')
          ? html`<button part="retry" type="button" @click=${this.onRetry}>${m.retry}</button>`
          : nothing;
      }
      case 'unsupported':
        return this.renderAway(m, false);
      case 'waiting':
      case 'app':
      case 'native':
      case 'wechat':
        return this.renderAway(m, true);
      case 'redirecting':
        // Normally gone in a moment; if the navigation was blocked, the shopper is not stuck.
        return this.renderAway(m, false);
      case 'app-fallback':
        return html`${this.renderQr(action?.kind === 'deeplink' ? action.url : '', m.appNotOpened)}
          ${this.renderAway(m, false)}`;
      case 'open-in-wechat':
        return html`${this.renderQr(location.href, m.openInWechat)} ${this.renderAway(m, false)}`;
      case 'open-in-browser':
        return html`<cashdesk-open-in-browser
            open
            .url=${location.href}
            .os=${this.env().os}
            lang=${this.locale}
            @cashdesk-close=${this.onOverlayClose}
          ></cashdesk-open-in-browser>
          ${this.renderAway(m, false)}`;
      default:
        return nothing;
    }
  }

  override render() {
    const m = this.messages;
    const amount = formatMinor(this.amount, this.currency, this.locale);
    const text = this.announcement(m);
    const waiting = ['creating', 'waiting', 'qr', 'redirecting', 'app', 'wechat', 'native'].includes(this.view);
    // Said first, then what the shopper can do about it; under the QR it reads as its caption. Where
    // the text is already the QR's own label, it is only announced.
    const message =
      text && this.view !== 'creating' && this.view !== 'app-fallback' && this.view !== 'open-in-wechat'
        ? html`<p part="message" class="message ${this.view}" tabindex="-1">
            ${waiting ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}<span>${text}</span>
          </p>`
        : nothing;
    const qrFirst = this.view === 'qr';
    return html`<div part="base" class="base" data-state=${this.view}>
      ${
        amount
          ? html`<div class="amount">
            <span class="amount-label"
              >${m.amountLabel} ${this.action?.testMode ? html`<span class="badge">${m.testMode}</span>` : nothing}</span
            >
            <strong part="amount">${amount}</strong>
          </div>`
          : nothing
      }
      ${qrFirst ? nothing : message} ${this.renderBody(m, amount)} ${qrFirst ? message : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${text}</div>
    </div>`;
  }
}

if (!customElements.get('cashdesk-checkout')) customElements.define('cashdesk-checkout', CashdeskCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'cashdesk-checkout': CashdeskCheckout;
  }
}
