import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { StatusController } from '../../controllers/status-controller.js';
import { Backend, newIdempotencyKey, type StatusAnswer } from '../../core/backend.js';
import { clientInfo, detectEnvironment } from '../../core/environment.js';
import { CheckoutError, isCheckoutError } from '../../core/errors.js';
import { formatMinor } from '../../core/money.js';
import type { NextAction } from '../../core/next-action.js';
import type { PollSchedule } from '../../core/poller.js';
import {
  CashdeskActionEvent,
  CashdeskErrorEvent,
  CashdeskExpiredEvent,
  CashdeskFailureEvent,
  CashdeskStatusEvent,
  CashdeskSuccessEvent,
  type CheckoutState,
} from '../../events/events.js';
import { toAction } from '../../gateways/registry.js';
import { methodName } from '../../i18n/localize.js';
import { LocalizedElement } from '../../i18n/localized-element.js';
import type { Messages } from '../../i18n/messages.js';
import '../cashdesk-qr/cashdesk-qr.js';
import { styles } from './cashdesk-checkout.styles.js';

/** The gateway's answer, as a server-rendered page can hand it over without a create call. */
export interface CheckoutPayload {
  gateway: string;
  response: unknown;
}

/** One try at paying: a new one per method choice or refreshed QR, the same one across retries. */
interface Attempt {
  method: string;
  idempotencyKey: string;
  /** Set once a terminal event went out, so a payment never ends twice. */
  ended: boolean;
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
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The formatted amount.
 * @csspart methods - The method radio group.
 * @csspart button - The Pay button.
 * @csspart qr - The `<cashdesk-qr>` element.
 * @csspart message - The state message.
 * @csspart retry - The retry, try-again or refresh button.
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
  @state() private selected: string | undefined;
  @state() private checkingTrouble = false;
  @state() private failure: { code: string; message?: string } | undefined;
  @state() private lastError: CheckoutError | undefined;

  private attempt: Attempt | undefined;
  private createAbort: AbortController | undefined;

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
  /** Overrides the status polling schedule (ms). */
  @property({ attribute: false }) pollSchedule: Partial<PollSchedule> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Waiting states resume by themselves (the status controller restarts its poller).
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.createAbort?.abort();
    this.createAbort = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('methods')) {
      const list = this.methodList;
      if (this.selected === undefined || !list.includes(this.selected)) this.selected = list[0];
    }
    if (changed.has('payload') && this.payload !== undefined && this.view === 'idle') {
      void this.show(this.payload);
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

  private setView(view: CheckoutState, answer?: StatusAnswer): void {
    this.view = view;
    this.dispatchEvent(
      new CashdeskStatusEvent({
        orderId: this.orderId,
        state: view,
        ...(answer ? { status: answer.status, answer } : {}),
      }),
    );
  }

  private readonly onMethodChange = (event: Event): void => {
    this.selected = (event.target as HTMLInputElement).value;
  };

  private readonly onPay = (): void => {
    void this.pay();
  };

  private readonly onRetry = (): void => {
    void this.retry();
  };

  private readonly onTryAgain = (): void => {
    this.reset();
  };

  private readonly onRefresh = (): void => {
    void this.refresh();
  };

  /** Creates the payment for the chosen method and shows what the gateway asks for. */
  async pay(): Promise<void> {
    // A double click, or Pay during a payment, never creates a second payment.
    if (this.view !== 'idle') return;
    const method = this.selected ?? this.methodList[0] ?? '';
    this.attempt = { method, idempotencyKey: newIdempotencyKey(), ended: false };
    await this.create();
  }

  /** Asks for a new payment code (a new attempt, so a new idempotency key). */
  async refresh(): Promise<void> {
    if (this.view === 'creating' || this.view === 'paid') return;
    this.status.stop();
    const method = this.attempt?.method ?? this.selected ?? this.methodList[0] ?? '';
    this.attempt = { method, idempotencyKey: newIdempotencyKey(), ended: false };
    await this.create();
  }

  /** Back to the method picker; the order is kept. */
  reset(): void {
    this.status.stop();
    this.createAbort?.abort();
    this.createAbort = undefined;
    this.attempt = undefined;
    this.action = undefined;
    this.failure = undefined;
    this.lastError = undefined;
    this.checkingTrouble = false;
    this.setView('idle');
  }

  /**
   * After an error: a create that never got an answer is sent again with the same idempotency
   * key (the backend may have created the payment already); a refused answer starts a new attempt.
   */
  private async retry(): Promise<void> {
    if (this.view !== 'error') return;
    if (this.attempt && this.lastError?.kind === 'backend' && this.action === undefined) {
      this.attempt.ended = false;
      await this.create();
      return;
    }
    if (this.action !== undefined && this.lastError?.kind === 'backend') {
      // The action is there; only following it failed. Follow it again.
      this.follow();
      return;
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
    this.setView('creating');
    this.createAbort?.abort();
    const abort = new AbortController();
    this.createAbort = abort;
    try {
      const answer = await this.backend().create(
        {
          orderId: this.orderId,
          method: attempt.method,
          client: clientInfo(detectEnvironment()),
          idempotencyKey: attempt.idempotencyKey,
          ...(this.returnUrl ? { returnUrl: this.returnUrl } : {}),
        },
        { signal: abort.signal },
      );
      if (abort.signal.aborted || this.attempt !== attempt) return;
      await this.show(answer);
    } catch (error) {
      if (abort.signal.aborted || this.attempt !== attempt) return;
      this.fail(error);
    } finally {
      if (this.createAbort === abort) this.createAbort = undefined;
    }
  }

  private async show(answer: CheckoutPayload): Promise<void> {
    this.attempt ??= {
      method: this.selected ?? this.methodList[0] ?? '',
      idempotencyKey: newIdempotencyKey(),
      ended: false,
    };
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
    const proceed = this.dispatchEvent(new CashdeskActionEvent({ orderId: this.orderId, action }));
    if (!proceed) {
      // The merchant performs the action; we keep following the payment.
      this.setView('waiting');
      this.follow();
      return;
    }
    switch (action.kind) {
      case 'qr':
        this.setView('qr');
        this.follow(action.expiresAt);
        break;
      case 'failed':
        this.end('failed', {
          status: 'failed',
          code: action.code,
          ...(action.message ? { message: action.message } : {}),
        });
        break;
      case 'success':
      case 'pending':
        // Only the backend's "paid" is proof of payment: confirm it before telling the page.
        this.setView('waiting');
        this.follow();
        this.status.checkNow();
        break;
      default:
        this.setView('unsupported');
        this.follow();
        break;
    }
  }

  private follow(expiresAt?: string): void {
    const deadline = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
    const backend = this.backend();
    this.status.follow({
      check: (signal) => backend.status(this.orderId, { signal }),
      onStatus: (answer) => this.onStatus(answer),
      onError: () => {
        // The payment is not failed because we could not ask: say so, and keep asking.
        this.checkingTrouble = true;
      },
      onExpired: () => this.end('expired'),
      ...(Number.isNaN(deadline) ? {} : { deadline }),
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
        if (this.view === 'error') this.setView(this.action?.kind === 'qr' ? 'qr' : 'waiting', answer);
        this.dispatchEvent(
          new CashdeskStatusEvent({ orderId: this.orderId, state: this.view, status: answer.status, answer }),
        );
    }
  }

  /** The one way a payment ends: one terminal event per attempt, never two. */
  private end(view: 'paid' | 'failed' | 'expired', answer?: StatusAnswer): void {
    const attempt = this.attempt;
    if (attempt?.ended) return;
    if (attempt) attempt.ended = true;
    this.status.stop();
    this.checkingTrouble = false;
    const orderId = this.orderId;
    if (view === 'failed') {
      const code = answer?.code ?? answer?.status ?? 'failed';
      this.failure = { code, ...(answer?.message ? { message: answer.message } : {}) };
    }
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

  private fail(error: unknown): void {
    const checkoutError = isCheckoutError(error)
      ? error
      : new CheckoutError('unsupported_response', 'the payment could not be prepared', { cause: error });
    this.lastError = checkoutError;
    this.status.stop();
    this.setView('error');
    this.dispatchEvent(
      new CashdeskErrorEvent({ orderId: this.orderId, error: checkoutError, code: checkoutError.code }),
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
        return this.failure?.message ? m.failedWith(this.failure.message) : m.failed;
      case 'expired':
        return m.expired;
      case 'error':
        return m.error;
      case 'unsupported':
        return m.notSupportedHere;
      default:
        return '';
    }
  }

  private renderPicker(m: Messages) {
    const methods = this.methodList;
    const busy = this.view === 'creating';
    const amount = formatMinor(this.amount, this.currency, this.locale);
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
      <button part="button" class="primary" type="button" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'} @click=${this.onPay}>
        ${amount ? m.pay(amount) : m.payNoAmount}
      </button>
    `;
  }

  private renderBody(m: Messages) {
    const action = this.action;
    switch (this.view) {
      case 'idle':
      case 'creating':
        return this.renderPicker(m);
      case 'qr': {
        if (action?.kind !== 'qr') return nothing;
        const method = this.attempt?.method;
        return html`<cashdesk-qr
          part="qr"
          .content=${action.content}
          .expiresAt=${action.expiresAt ?? ''}
          .label=${method ? m.scanWith(methodName(m, method)) : m.scanGeneric}
          lang=${this.locale}
          @cashdesk-qr-refresh=${this.onRefresh}
        ></cashdesk-qr>`;
      }
      case 'paid':
        return nothing;
      case 'failed':
        return html`<button part="retry" type="button" @click=${this.onTryAgain}>${m.tryAgain}</button>`;
      case 'expired':
        return html`<button part="retry" type="button" @click=${this.onRefresh}>${m.refresh}</button>`;
      case 'error':
        return html`<p class="notice">${m.orderKept}</p>
          <button part="retry" type="button" @click=${this.onRetry}>${m.retry}</button>`;
      default:
        return nothing;
    }
  }

  override render() {
    const m = this.messages;
    const amount = formatMinor(this.amount, this.currency, this.locale);
    const text = this.announcement(m);
    const waiting = this.view === 'creating' || this.view === 'waiting' || this.view === 'qr';
    return html`<div part="base" class="base" data-state=${this.view}>
      ${
        amount
          ? html`<div class="amount">
            <span class="amount-label">${m.amountLabel}</span>
            <strong part="amount">${amount}</strong>
            ${this.action?.testMode ? html`<span class="badge">${m.testMode}</span>` : nothing}
          </div>`
          : nothing
      }
      ${this.renderBody(m)}
      ${
        text && this.view !== 'creating'
          ? html`<p part="message" class="message ${this.view}">
            ${waiting ? html`<span class="spinner" aria-hidden="true"></span>` : nothing}<span>${text}</span>
          </p>`
          : nothing
      }
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
