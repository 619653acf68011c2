import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PaymentFlowController } from '../../controllers/payment-flow-controller.js';
import { Backend } from '../../core/backend.js';
import { detectEnvironment, type Environment } from '../../core/environment.js';
import { CheckoutError } from '../../core/errors.js';
import { formatMinor } from '../../core/money.js';
import type { PollSchedule } from '../../core/poller.js';
import { preloadQrEncoder } from '../../core/qr.js';
import { checkWebUrl } from '../../core/safe-url.js';
import { toldFailure } from '../../flow/failure.js';
import { isWechatMiniProgramLink } from '../../flow/in-app.js';
import { isSlow, offerOf, type ViewOf } from '../../flow/state.js';
import { isGatewayLoaded, loadGateways, toAction } from '../../gateways/registry.js';
import { LocalizedElement } from '../../i18n/localized-element.js';
import { type Messages, RTL_LOCALES } from '../../i18n/messages.js';
import { loadMiniProgram } from '../../lazy/mini-program.js';
import { loadOpenInBrowser } from '../../lazy/open-in-browser.js';
import { performFormPost } from '../../perform/form-post.js';
import { performRedirect } from '../../perform/redirect.js';
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

/** What the shopper can do next; the view's focus goes there when the old control is gone. */
type FocusTarget = 'button' | 'retry' | 'back' | 'check' | 'message';

/** One state drawn: what is said, what is shown, where the focus goes. */
interface View {
  text: string;
  body: TemplateResult | typeof nothing;
  focus: FocusTarget;
  /** A spinner beside the message: something is under way. */
  busy?: boolean;
  /** The message is said only (the QR's own label already shows it). */
  silent?: boolean;
  /** The gateway's words under a failure. */
  detail?: string;
}

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
 * @csspart detail - The gateway's own words under a failure, small; never shown for a setup error.
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
  /** The page's own names for methods, by id (`{ cod: 'Pay the courier' }`); shipped names otherwise. */
  @property({ attribute: false }) methodLabels: Record<string, string> = {};
  /** When set, the create answer may be this gateway's body itself. */
  @property() gateway = '';
  @property({ attribute: 'return-url' }) returnUrl = '';
  /**
   * On a return page: the checkout page, offered as the way back when the payment ended unpaid or
   * is still not seen after a while. Same origin or `https:` only.
   */
  @property({ attribute: 'checkout-url' }) checkoutUrl = '';
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
  /**
   * Inside a mini-program's web-view: the merchant mini-program's payment page the payment is
   * handed to (README, "Mini-program web-views"); `/pages/cashdesk-pay/index` when not set.
   */
  @property({ attribute: 'mini-program-page' }) miniProgramPage = '';
  /** Overrides the status polling schedule (ms). */
  @property({ attribute: false }) pollSchedule: Partial<PollSchedule> | undefined;

  @state() private selected: string | undefined;

  private readonly payment = new PaymentFlowController(this, {
    backend: {
      create: (request, call) => {
        // Most answers are a QR code: its encoder (a chunk of its own) arrives while the backend
        // answers, and so does the gateway's adapter (the named one, else every built-in one).
        preloadQrEncoder().catch(() => undefined);
        loadGateways(this.gateway ? [this.gateway] : undefined).catch(() => undefined);
        return this.backend().create(request, call);
      },
      status: (orderId, call) => this.backend().status(orderId, call),
    },
    environment: () => this.env(),
    // At once when the adapter is there (a rendered payload shows in the same turn), else after it loads.
    // A failed fetch of the adapter is the network's fault, not the answer's: Retry then sends the
    // same create with the same idempotency key, never a second payment.
    toAction: (gateway, response) =>
      isGatewayLoaded(gateway)
        ? toAction(gateway, response, this.urlPolicy())
        : loadGateways([gateway]).then(
            () => toAction(gateway, response, this.urlPolicy()),
            (error: unknown) => {
              throw new CheckoutError('network', `the ${gateway} adapter could not be fetched`, { cause: error });
            },
          ),
    performers: {
      redirect: (action) => performRedirect(action, { ...this.urlPolicy(), top: this.navigateTop }),
      form: (action) => {
        performFormPost(action, { ...this.urlPolicy(), top: this.navigateTop, container: this.renderRoot });
      },
      miniProgram: (action, orderId, signal) =>
        loadMiniProgram().then((chunk) =>
          chunk.handToMiniProgram(action, orderId, { signal, page: this.miniProgramPage }),
        ),
    },
    returnUrl: () => this.returnUrl || undefined,
    pollSchedule: () => this.pollSchedule,
    inputs: () => ({ orderId: this.orderId, method: this.method, resume: this.resume, payload: this.payload }),
  });

  /** The environment as detected once, when no `environment` is given. */
  private detected: Environment | undefined;
  /** The open-in-browser guide's module on its way: `updateComplete` waits for it. */
  private guideLoad: Promise<unknown> | undefined;
  /**
   * Set by the shopper's own clicks, and by any render while the focus is inside: once the focused
   * control is gone, the view's target takes the focus instead of the page's body, unless the
   * shopper has gone on to something else on the page.
   */
  private followFocus = false;
  /** The state drawn last: the focus follows a change of state, not every render. */
  private drawnView = '';

  /** Creates the payment for the chosen method and shows what the gateway asks for. */
  async pay(): Promise<void> {
    // Without an endpoint, a payment the server rendered is what Pay shows again (the flow's rule).
    await this.payment.flow.pay(this.orderId, this.method, { canCreate: this.canPay, rendered: this.payload });
  }

  /** Asks for a new payment code (a new attempt, so a new idempotency key). */
  async refresh(): Promise<void> {
    await this.payment.flow.refresh(this.orderId, this.method);
  }

  /** Back to the method picker; the order is kept. */
  reset(): void {
    this.payment.flow.back();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('methods')) {
      const list = this.methodList;
      if (this.selected === undefined || !list.includes(this.selected)) this.selected = list[0];
    }
  }

  protected override update(changed: PropertyValues<this>): void {
    // The guide is needed only inside WeChat, for Alipay's pages: its code is a chunk of its own.
    if (this.payment.state.view === 'open-in-browser') this.guideLoad ??= loadOpenInBrowser();
    if (this.shadowRoot?.activeElement) this.followFocus = true;
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
    const root = this.shadowRoot;
    if (!root || !this.followFocus) return;
    const view = this.payment.state.view;
    const changed = view !== this.drawnView;
    this.drawnView = view;
    const active = document.activeElement;
    // The message had the focus only to say what happened: a new state says something else.
    const onMessage = root.activeElement?.getAttribute('part') === 'message';
    // Still inside, or the shopper has moved on to something else on the page: left where it is.
    if ((root.activeElement && !(changed && onMessage)) || (active && active !== document.body && active !== this)) {
      this.followFocus = root.activeElement != null;
      return;
    }
    const target = this.currentView(this.messages).focus;
    const element =
      root.querySelector<HTMLElement>(`[part~="${target}"]`) ?? root.querySelector<HTMLElement>('[part~="message"]');
    if (element) {
      element.focus();
      this.followFocus = root.activeElement != null;
    }
  }

  private get methodList(): string[] {
    return this.methods.split(/\s+/).filter(Boolean);
  }

  private get method(): string {
    return this.selected ?? this.methodList[0] ?? '';
  }

  private methodName(m: Messages, method: string): string {
    return this.methodLabels[method] ?? (m.methodNames as Record<string, string>)[method] ?? method;
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

  private urlPolicy() {
    return {
      allowedHosts: this.allowedHosts,
      ...(this.allowInsecure === undefined ? {} : { allowInsecure: this.allowInsecure }),
    };
  }

  private env(): Environment {
    if (this.environment) return this.environment;
    this.detected ??= detectEnvironment();
    return this.detected;
  }

  /**
   * Whether this element can start a payment: a return page has only `order-id` and
   * `status-endpoint`, and there "Try again" or "Choose another method" would lead to a Pay
   * button that cannot work. `checkout-url` is its way back.
   */
  private get canPay(): boolean {
    return this.endpoint !== '';
  }

  /** The checked `checkout-url`, or undefined. */
  private get wayBack(): string | undefined {
    if (!this.checkoutUrl) return undefined;
    try {
      return checkWebUrl(new URL(this.checkoutUrl, location.href).href, { what: 'checkout URL' });
    } catch {
      return undefined;
    }
  }

  private readonly handleMethodChange = (event: Event): void => {
    this.selected = (event.target as HTMLInputElement).value;
  };

  private readonly handlePay = (): void => {
    this.followFocus = true;
    // aria-disabled, not disabled, while creating: the button keeps the focus, and the flow
    // ignores a second Pay during a payment.
    void this.pay();
  };

  private readonly handleRetry = (): void => {
    this.followFocus = true;
    void this.payment.flow.retry(this.orderId, this.method);
  };

  private readonly handleBack = (): void => {
    this.followFocus = true;
    this.payment.flow.back();
  };

  private readonly handleRefresh = (): void => {
    this.followFocus = true;
    void this.refresh();
  };

  private readonly handleCheck = (): void => {
    this.followFocus = true;
    this.payment.flow.check();
  };

  private renderPicker(m: Messages, amount: string | undefined, busy: boolean) {
    const methods = this.methodList;
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
                  @change=${this.handleMethodChange}
                />
                <span>${this.methodName(m, method)}</span>
              </label>`,
            )}
          </fieldset>`
          : nothing
      }
      ${
        // A return page (resume, no endpoint) has nothing to pay with; elsewhere a missing endpoint
        // is the page's mistake, and Pay says so.
        this.canPay || this.payload || !this.resume
          ? html`<button part="button" class="primary" type="button" aria-disabled=${busy ? 'true' : 'false'} aria-busy=${busy ? 'true' : 'false'} @click=${this.handlePay}>
            ${amount ? m.pay(amount) : m.payNoAmount}
          </button>`
          : nothing
      }
    `;
  }

  /** A code to scan that is not the gateway's own QR: a deep link for another phone, this page for WeChat. */
  private renderQr(content: string, label: string) {
    return html`<cashdesk-qr part="qr" .content=${content} .label=${label} .mobile=${false} lang=${this.locale} dir=${this.direction}></cashdesk-qr>`;
  }

  /** While the payment happens elsewhere: "I have paid" asks the backend now; or pick another method. */
  private renderAway(m: Messages, checkAgain: boolean) {
    const back = this.renderBack(m);
    if (!checkAgain && back === nothing) return nothing;
    return html`<div class="actions">
      ${checkAgain ? html`<button part="check" type="button" @click=${this.handleCheck}>${m.checkAgain}</button>` : nothing}
      ${back}
    </div>`;
  }

  /** "Choose another method": the picker here, or the checkout page from a return page. */
  private renderBack(m: Messages) {
    if (this.canPay)
      return html`<button part="back" type="button" @click=${this.handleBack}>${m.backToMethods}</button>`;
    const wayBack = this.wayBack;
    return wayBack ? html`<a part="back" class="button" href=${wayBack}>${m.backToMethods}</a>` : nothing;
  }

  /** The state as the shopper sees it: one function per view, each naming its words and its focus. */
  private currentView(m: Messages): View {
    const state = this.payment.state;
    switch (state.view) {
      case 'idle':
        return { text: state.note === 'canceled' ? m.canceledKept : '', body: nothing, focus: 'button' };
      case 'creating':
        return { text: m.creating, body: nothing, focus: 'button', silent: true };
      case 'qr':
        return this.viewQr(m, state);
      case 'waiting': {
        const slow = isSlow(state);
        return {
          text: state.trouble ? m.stillChecking : slow ? m.slowWaiting : m.waiting,
          body: this.renderAway(m, true),
          focus: 'message',
          busy: !slow,
        };
      }
      case 'redirecting':
        // Normally gone in a moment; if the navigation was blocked, the shopper is not stuck.
        return { text: m.redirecting, body: this.renderAway(m, false), focus: 'message', busy: true };
      case 'app':
        return { text: m.openingApp, body: this.renderAway(m, true), focus: 'message', busy: true };
      case 'wechat':
        return { text: m.wechatPaying, body: this.renderAway(m, true), focus: 'message', busy: true };
      case 'alipay':
        return { text: m.alipayPaying, body: this.renderAway(m, true), focus: 'message', busy: true };
      case 'native':
        return { text: m.handedToApp, body: this.renderAway(m, true), focus: 'message', busy: true };
      case 'mini-program':
        return { text: m.miniProgramPaying, body: this.renderAway(m, true), focus: 'message', busy: true };
      case 'unsupported':
        return { text: m.notSupportedHere, body: this.renderAway(m, false), focus: 'back' };
      case 'app-fallback': {
        const wallet = walletOfQr(state.action.url) ?? state.attempt?.method;
        // Tried on a phone and nothing opened; on a computer none was tried: scan it with the phone.
        // Inside WeChat a mini-program link cannot open from the page: its code, to long-press.
        const inWechat = this.env().inApp === 'wechat' && isWechatMiniProgramLink(state.action.url);
        const text = inWechat
          ? m.miniProgramLinkInWechat
          : state.tried
            ? m.appNotOpened
            : wallet
              ? m.scanOnPhone(this.methodName(m, wallet))
              : m.scanOnPhoneGeneric;
        return {
          text,
          body: html`${this.renderQr(state.action.url, text)} ${this.renderAway(m, false)}`,
          focus: 'back',
          silent: true,
        };
      }
      case 'open-in-wechat':
        return {
          text: m.openInWechat,
          body: html`${this.renderQr(location.href, m.openInWechat)} ${this.renderAway(m, false)}`,
          focus: 'back',
          silent: true,
        };
      case 'open-in-browser':
        return {
          text: m.openInBrowserTitle,
          body: html`<cashdesk-open-in-browser
              open
              .url=${location.href}
              .os=${this.env().os}
              lang=${this.locale}
              dir=${this.direction}
              @cashdesk-close=${this.handleBack}
            ></cashdesk-open-in-browser>
            ${this.renderAway(m, false)}`,
          focus: 'back',
        };
      case 'paid':
        return { text: m.paid, body: nothing, focus: 'message' };
      case 'failed':
        return this.viewFailed(m, state);
      case 'expired':
        return {
          text: m.expired,
          body:
            offerOf(state, { canCreate: this.canPay }) === 'retry'
              ? html`<button part="retry" type="button" @click=${this.handleRefresh}>${m.refresh}</button>`
              : this.renderAway(m, false),
          focus: 'retry',
        };
      case 'error':
        return this.viewError(m, state);
    }
  }

  private viewQr(m: Messages, state: ViewOf<'qr'>): View {
    const method = walletOfQr(state.action.content) ?? state.attempt?.method;
    return {
      text: state.trouble ? m.stillChecking : m.waiting,
      body: html`<cashdesk-qr
          part="qr"
          .content=${state.action.content}
          .expiresAt=${state.deadline ?? ''}
          .label=${method ? m.scanWith(this.methodName(m, method)) : m.scanGeneric}
          .mobile=${this.env().mobile}
          lang=${this.locale}
          dir=${this.direction}
          @cashdesk-qr-refresh=${this.handleRefresh}
        ></cashdesk-qr>
        ${state.trouble ? this.renderAway(m, true) : html`<div class="actions">${this.renderBack(m)}</div>`}`,
      focus: 'message',
      busy: true,
    };
  }

  private viewFailed(m: Messages, state: ViewOf<'failed'>): View {
    // A setup error is told as "unavailable", never with the gateway's words.
    const told = toldFailure(state.failure.reason, state.failure.message);
    const again = offerOf(state, { canCreate: this.canPay }) === 'retry';
    return {
      text: m.failureReasons[told.reason],
      body: again
        ? html`<div class="actions">
            <button part="retry" type="button" @click=${this.handleBack}>${m.tryAgain}</button>
          </div>`
        : this.renderAway(m, false),
      focus: again ? 'retry' : 'back',
      ...(told.detail ? { detail: m.failureDetail(told.detail) } : {}),
    };
  }

  private viewError(m: Messages, state: ViewOf<'error'>): View {
    // The merchant's setup (a create endpoint that answers 404) is told as the method unavailable.
    const sdkMissing = state.error.code === 'bridge_unavailable' && state.action?.kind === 'mini-program';
    const text = state.unavailable
      ? m.failureReasons.method_unavailable
      : sdkMissing
        ? m.miniProgramSdkMissing
        : m.error;
    const offer = offerOf(state, { canCreate: this.canPay });
    if (offer === 'another-method') return { text, body: this.renderAway(m, false), focus: 'back' };
    if (offer === undefined) return { text, body: nothing, focus: 'message' };
    return {
      text,
      body: html`<button part="retry" type="button" @click=${this.handleRetry}>${m.retry}</button>`,
      focus: 'retry',
    };
  }

  override render() {
    const m = this.messages;
    const state = this.payment.state;
    const amount = formatMinor(this.amount, this.currency, this.locale, RTL_LOCALES.includes(this.locale));
    const view = this.currentView(m);
    // Said first, then what the shopper can do about it; under the QR it reads as its caption. Where
    // the text is already the QR's own label, it is only announced.
    const message =
      view.text && !view.silent
        ? html`<p part="message" class="message ${state.view}" tabindex="-1">
            ${view.busy ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}<span>${view.text}</span>
          </p>${view.detail ? html`<p part="detail" class="detail">${view.detail}</p>` : nothing}`
        : nothing;
    const picker = state.view === 'idle' || state.view === 'creating';
    const qrFirst = state.view === 'qr';
    const testMode = 'action' in state && state.action?.testMode;
    return html`<div part="base" class="base" data-state=${state.view} lang=${this.locale} dir=${this.direction}>
      ${
        amount
          ? html`<div class="amount">
            <span class="amount-label"
              >${m.amountLabel} ${testMode ? html`<span class="badge">${m.testMode}</span>` : nothing}</span
            >
            <strong part="amount">${amount}</strong>
          </div>`
          : nothing
      }
      ${qrFirst ? nothing : message} ${picker ? this.renderPicker(m, amount, state.view === 'creating') : view.body}
      ${qrFirst ? message : nothing}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${view.text}</div>
    </div>`;
  }
}

if (!customElements.get('cashdesk-checkout')) customElements.define('cashdesk-checkout', CashdeskCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'cashdesk-checkout': CashdeskCheckout;
  }
}
