import { html, nothing, type PropertyValues, svg } from 'lit';
import { property, query } from 'lit/decorators.js';
import { CopyController } from '../../controllers/copy.js';
import { CountdownController, passedMilestone } from '../../controllers/countdown.js';
import { blockedInApp, detectEnvironment, type Environment } from '../../core/environment.js';
import { isCheckoutError } from '../../core/errors.js';
import { drawQr, drawQrImage, preloadQrEncoder, type QrDrawing, qrEncoderReady } from '../../core/qr.js';
import { checkDeeplink, checkWebUrl, cleanUrl, DEEPLINK_SCHEMES } from '../../core/safe-url.js';
import { CashdeskQrRefreshEvent } from '../../events/events.js';
import { LocalizedElement } from '../../i18n/localized-element.js';
import type { Messages } from '../../i18n/messages.js';
import { styles } from './cashdesk-qr.styles.js';

/** Wallet apps whose links a phone can open straight from the page instead of scanning. */
export const QR_APP_SCHEMES = DEEPLINK_SCHEMES;

type Announcement = { kind: 'left'; seconds: number } | { kind: 'expired' };

interface OpenTarget {
  href: string;
  app: boolean;
}

/**
 * Whether the page runs where a shopper reads a code on the screen by long-pressing it (识别图中二维码):
 * WeChat's and Alipay's in-app browsers and mini-program web-views, which recognise a code in an
 * `<img>`, not in inline SVG.
 */
function longPressApp(env: Environment): boolean {
  return env.inApp === 'wechat' || env.inApp === 'wechat-miniprogram' || env.inApp === 'alipay';
}

/**
 * Whether a long-press on the image can take the shopper on from `content` here: a web address the
 * app's own browser may open. Not a WeChat Pay Native code (`weixin://wxpay/…`), which WeChat Pay
 * refuses to pay from a long-press; not a page WeChat blocks; and not in a WeChat mini-program's
 * web-view, which recognises only WeChat's own codes (README, "Long-press recognition").
 */
function pressable(content: string, env: Environment): boolean {
  return env.inApp !== 'wechat-miniprogram' && /^https?:\/\//i.test(content) && !blockedInApp(content, env);
}

/** Where "open app" may point for this content, by the same URL policy as every navigation. */
function openTargetFor(content: string): OpenTarget | undefined {
  const scheme = cleanUrl(content).toLowerCase();
  const app = QR_APP_SCHEMES.some((prefix) => scheme.startsWith(prefix));
  try {
    return { href: app ? checkDeeplink(content, QR_APP_SCHEMES) : checkWebUrl(content, { what: 'QR content' }), app };
  } catch (error) {
    if (isCheckoutError(error)) return undefined;
    throw error;
  }
}

/**
 * A payment QR code with its expiry countdown, a copy button, and on phones a link that opens
 * the wallet app directly. The countdown runs from `expires-at`; at expiry the code is hidden and
 * a refresh button asks the page for a new one.
 *
 * Inside WeChat and Alipay the code is drawn as an image (a PNG `data:` URL), which those apps can
 * recognise where it is shown when the shopper long-presses it; there the instruction says so
 * (`long-press-label`) when a long-press can take the shopper on from this content. Elsewhere it is
 * inline SVG.
 *
 * The element's own `lang` (or the nearest ancestor's) picks the language: en, zh-CN, zh-TW,
 * zh-HK or es.
 *
 * @summary Draws a payment QR code with its countdown, copy, refresh and "open app" actions.
 *
 * @fires {CashdeskQrRefreshEvent} cashdesk-qr-refresh - The shopper asked for a new code after
 *   this one expired. `detail.content` is the expired content.
 *
 * @csspart base - The wrapper around everything.
 * @csspart qr - The QR code: an `<svg>`, or inside WeChat and Alipay an `<img>`.
 * @csspart label - The instruction above the code.
 * @csspart countdown - The visible time left.
 * @csspart copy - The copy button.
 * @csspart open - The "open app" link, shown on phones for app links and cashier pages.
 * @csspart refresh - The button shown once the code has expired.
 *
 * @cssprop --cashdesk-qr-size - Side of the QR code, quiet zone included. Default `12rem`.
 * @cssprop --cashdesk-color-text - Text colour.
 * @cssprop --cashdesk-color-muted - Countdown and notes.
 * @cssprop --cashdesk-color-surface - Background behind the element's content.
 * @cssprop --cashdesk-color-border - Borders of the copy button and the expired frame.
 * @cssprop --cashdesk-color-accent - Background of the refresh button and the "open app" link.
 * @cssprop --cashdesk-color-on-accent - Text on the accent colour.
 * @cssprop --cashdesk-radius - Corner radius.
 * @cssprop --cashdesk-space - Spacing between the parts.
 * @cssprop --cashdesk-font-family - Font family. Inherited by default.
 */
export class CashdeskQr extends LocalizedElement {
  static override styles = styles;

  private readonly countdown = new CountdownController(this);

  @query('[part="refresh"]') private refreshButton?: HTMLButtonElement;

  private readonly copier = new CopyController(this);
  /** The drawing: an SVG path, or the image's data URL where the code is drawn for a long-press. */
  private matrix: QrDrawing | string | undefined = undefined;
  /** The encoder on its way (its chunk loads on first use): `updateComplete` waits for it. */
  private encoderLoad: Promise<unknown> | undefined = undefined;
  private openTarget: OpenTarget | undefined = undefined;
  private detected: Environment | undefined = undefined;
  private announcement: Announcement | undefined = undefined;
  private lastSeconds: number | undefined = undefined;
  private focusRefreshAfterUpdate = false;
  private lastRefreshAt = Number.NEGATIVE_INFINITY;

  /** The string the QR code encodes: a wallet link, a cashier URL, any text. */
  @property() content = '';

  /** When the code stops being valid: ISO 8601, or epoch milliseconds. No countdown when unset. */
  @property({ attribute: 'expires-at' }) expiresAt: string | number | undefined = undefined;

  /** The instruction above the code, e.g. "Scan with WeChat Pay to pay". Localized generic text by default. */
  @property() label: string | undefined = undefined;

  /**
   * The instruction above the code where the shopper long-presses it (inside WeChat and Alipay).
   * Localized generic text by default: 长按识别二维码支付, "Press and hold the code to pay".
   */
  @property({ attribute: 'long-press-label' }) longPressLabel: string | undefined = undefined;

  /** Whether to offer "open app". Detected from the user agent when left undefined. */
  @property({ type: Boolean }) mobile: boolean | undefined = undefined;

  /**
   * Whether to draw the code as an image for a long-press rather than as SVG. Detected from the user
   * agent when left undefined: inside WeChat and Alipay.
   */
  @property({ type: Boolean, attribute: 'long-press' }) longPress: boolean | undefined = undefined;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('content') || changed.has('longPress')) this.matrix = this.encode(this.content);
    if (changed.has('content')) this.copier.clear();
    if (changed.has('content') || changed.has('expiresAt')) {
      this.countdown.expiresAt = this.expiresAt;
      this.announcement = undefined;
      this.lastSeconds = undefined;
    }
    if (changed.has('content') || changed.has('mobile')) {
      this.openTarget = this.isMobile() && this.content !== '' ? openTargetFor(this.content) : undefined;
    }
    this.updateAnnouncement();
  }

  /** Also waits for the encoder when the code is still to be drawn, so a drawn code is one `await` away. */
  protected override getUpdateComplete(): Promise<boolean> {
    const load = this.encoderLoad;
    // No extra turn when nothing is loading: the timing of `updateComplete` stays Lit's own.
    if (load === undefined) return super.getUpdateComplete();
    return load.then(() => {
      if (this.encoderLoad === load) this.encoderLoad = undefined;
      return this.getUpdateComplete();
    });
  }

  protected override updated(): void {
    if (this.focusRefreshAfterUpdate) {
      this.focusRefreshAfterUpdate = false;
      this.refreshButton?.focus();
    }
  }

  private handleCopy(): void {
    const content = this.content;
    void this.copier.copy(content, () => content === this.content);
  }

  private handleRefresh(event: MouseEvent): void {
    // A double click must not ask for two new codes: each would be a new payment attempt.
    if (event.timeStamp - this.lastRefreshAt < 1000) return;
    this.lastRefreshAt = event.timeStamp;
    this.dispatchEvent(new CashdeskQrRefreshEvent({ content: this.content }));
  }

  private encode(content: string): QrDrawing | string | undefined {
    if (content === '') return undefined;
    if (!qrEncoderReady()) {
      // Drawn as soon as the encoder has arrived, if the content is still this one.
      this.encoderLoad = preloadQrEncoder().then(
        () => {
          if (this.content !== content) return;
          this.matrix = this.encode(content);
          this.requestUpdate();
        },
        () => undefined,
      );
      return undefined;
    }
    try {
      return this.isLongPress() ? drawQrImage(content) : drawQr(content);
    } catch {
      // Longer than a QR code holds: the copy button still hands the content over.
      return undefined;
    }
  }

  private env(): Environment {
    this.detected ??= detectEnvironment();
    return this.detected;
  }

  private isMobile(): boolean {
    return this.mobile ?? this.env().mobile;
  }

  private isLongPress(): boolean {
    return this.longPress ?? longPressApp(this.env());
  }

  /** Speaks at each whole minute, at 30 and 10 seconds and at expiry, never every second. */
  private updateAnnouncement(): void {
    const { expired, remaining } = this.countdown;
    if (expired) {
      if (this.announcement?.kind !== 'expired') {
        // The copy button and the link vanish at expiry: keep keyboard focus in the element.
        this.focusRefreshAfterUpdate = this.matches(':focus-within');
        this.announcement = { kind: 'expired' };
      }
      return;
    }
    if (remaining === undefined) return;
    if (passedMilestone(this.lastSeconds, remaining)) this.announcement = { kind: 'left', seconds: remaining };
    this.lastSeconds = remaining;
  }

  private renderCode(m: Messages) {
    if (this.countdown.expired) {
      return html`<div class="expired">
        <p>${m.qrExpired}</p>
        <button part="refresh" type="button" @click=${this.handleRefresh}>${m.refresh}</button>
      </div>`;
    }
    const matrix = this.matrix;
    if (matrix === undefined) return nothing;
    // Scaled without smoothing (the styles): the modules stay sharp squares for the app's recogniser.
    if (typeof matrix === 'string') return html`<img part="qr" src=${matrix} alt=${m.qrLabel} />`;
    return html`<svg
      part="qr"
      role="img"
      aria-label=${m.qrLabel}
      viewBox="0 0 ${matrix.extent} ${matrix.extent}"
      shape-rendering="crispEdges"
    >
      ${svg`<rect width=${matrix.extent} height=${matrix.extent} fill="#ffffff"></rect><path d=${matrix.path} fill="none" stroke="#000000" stroke-width="1"></path>`}
    </svg>`;
  }

  private renderCountdown(m: Messages) {
    const { remaining, expired } = this.countdown;
    if (remaining === undefined || expired) return nothing;
    return html`<p part="countdown">${m.expiresIn(Math.floor(remaining / 60), remaining % 60)}</p>`;
  }

  private renderActions(m: Messages) {
    if (this.countdown.expired || this.content === '') return nothing;
    const open = this.openTarget;
    return html`<div class="actions">
      ${
        open === undefined
          ? nothing
          : html`<a
              part="open"
              href=${open.href}
              target=${open.app ? nothing : '_blank'}
              rel=${open.app ? nothing : 'noopener noreferrer'}
              >${m.openApp}</a
            >`
      }
      <button part="copy" type="button" @click=${this.handleCopy}>${m.copy}</button>
    </div>`;
  }

  private renderAnnouncement(m: Messages): string {
    const said = this.announcement;
    if (said === undefined) return '';
    if (said.kind === 'expired') return m.qrExpired;
    return m.expiresInSpoken(Math.floor(said.seconds / 60), said.seconds % 60);
  }

  /** Long-press words where the image can be long-pressed to go on; the scanning words otherwise. */
  private renderLabel(m: Messages): string {
    if (this.isLongPress() && pressable(this.content, this.env())) {
      return this.longPressLabel ?? m.longPressGeneric;
    }
    return this.label ?? m.scanGeneric;
  }

  override render() {
    const m = this.messages;
    const note = this.copier.note(m);
    return html`<div part="base" lang=${this.locale} dir=${this.direction}>
      <p part="label">${this.renderLabel(m)}</p>
      <div class="frame">${this.renderCode(m)}</div>
      ${this.renderCountdown(m)} ${this.renderActions(m)}
      <span id="copy-note" class="note" role="status">${note}</span>
      <div id="announcer" class="visually-hidden" role="status">${this.renderAnnouncement(m)}</div>
    </div>`;
  }
}

if (!customElements.get('cashdesk-qr')) customElements.define('cashdesk-qr', CashdeskQr);

declare global {
  interface HTMLElementTagNameMap {
    'cashdesk-qr': CashdeskQr;
  }
}
