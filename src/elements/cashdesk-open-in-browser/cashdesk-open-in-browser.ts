import { html, type PropertyValues, svg } from 'lit';
import { property, query } from 'lit/decorators.js';
import { CopyController } from '../../controllers/copy.js';
import { detectEnvironment, type Os } from '../../core/environment.js';
import { CashdeskCloseEvent } from '../../events/events.js';
import { LocalizedElement } from '../../i18n/localized-element.js';
import type { Messages } from '../../i18n/messages.js';
import { styles } from './cashdesk-open-in-browser.styles.js';

const OSES: readonly Os[] = ['ios', 'android', 'other'];

/** A curved arrow from the panel up to the top right corner, drawn in a 80 × 100 box. */
const arrow = svg`<path
    d="M14 94 C 18 56, 38 28, 68 12"
    fill="none"
    stroke="currentColor"
    stroke-width="5"
    stroke-linecap="round"
  ></path>
  <path
    d="M50 11 L 68 12 L 59 28"
    fill="none"
    stroke="currentColor"
    stroke-width="5"
    stroke-linecap="round"
    stroke-linejoin="round"
  ></path>`;

function isOs(value: unknown): value is Os {
  return OSES.includes(value as Os);
}

function instructionFor(m: Messages, os: Os): string {
  if (os === 'ios') return m.openInBrowserIos;
  if (os === 'android') return m.openInBrowserAndroid;
  return m.openInBrowserOther;
}

/** The focused element, looking inside shadow roots; undefined when nothing but the body has focus. */
function deepActiveElement(): HTMLElement | undefined {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : undefined;
}

function isShown(layer: HTMLDialogElement): boolean {
  return layer.hasAttribute('open');
}

function showLayer(layer: HTMLDialogElement): void {
  if (typeof layer.showModal === 'function') {
    layer.showModal();
  } else {
    // WebKit before iOS 15.4 (still met inside WeChat) has no <dialog>: a fixed layer with the
    // dialog role still shows the guide, without the native focus trap.
    layer.setAttribute('role', 'dialog');
    layer.setAttribute('aria-modal', 'true');
    layer.setAttribute('open', '');
  }
  // showModal() focuses the first button, where Enter would act before the guide was read: the
  // dialog itself takes focus, so its name and description are what a screen reader says first.
  layer.focus();
}

function hideLayer(layer: HTMLDialogElement): void {
  if (typeof layer.close === 'function') layer.close();
  else layer.removeAttribute('open');
}

/**
 * The guide shown when the next payment page cannot open inside WeChat's browser (Alipay pages,
 * for one): a modal layer that points at WeChat's ⋯ menu in the top right corner and says which
 * entry opens the page in the system browser ("Open in Safari" on iOS, "Open in Browser" on
 * Android). The merchant page then resumes the same order in that browser. A button copies the
 * page link for shoppers who would rather paste it.
 *
 * It is a native `<dialog>` opened with `showModal()`: the page behind is inert, focus moves into
 * the dialog and comes back to where it was on close. Setting `open` to false closes it quietly;
 * the close button, Escape (or Android's back gesture) and a click outside the panel close it and
 * fire `cashdesk-close`. The `hidden` attribute does not hide it: a hidden modal dialog would leave
 * the page inert and nothing on screen.
 *
 * The element's own `lang` (or the nearest ancestor's) picks the language: en, zh-CN, zh-TW,
 * zh-HK or es.
 *
 * @summary Tells a shopper inside WeChat how to open the payment page in the system browser.
 *
 * @fires {CashdeskCloseEvent} cashdesk-close - The shopper dismissed the guide. Fired once per
 *   dismissal, never when `open` is set by the page.
 *
 * @csspart base - The full-screen layer (the `<dialog>`), which paints the backdrop.
 * @csspart dialog - The panel holding the text and the buttons.
 * @csspart title - The heading that names the dialog.
 * @csspart instructions - The steps for this OS.
 * @csspart copy - The "copy the page link" button.
 * @csspart close - The close button.
 *
 * @cssprop --cashdesk-color-text - Text colour.
 * @cssprop --cashdesk-color-muted - The reason and the copy note.
 * @cssprop --cashdesk-color-surface - Background of the panel.
 * @cssprop --cashdesk-color-border - Border of the close button.
 * @cssprop --cashdesk-color-accent - Background of the copy button and focus rings.
 * @cssprop --cashdesk-color-on-accent - Text on the accent colour.
 * @cssprop --cashdesk-color-backdrop - The dimming over the page. Default `rgb(0 0 0 / 0.65)`.
 * @cssprop --cashdesk-color-on-backdrop - The arrow pointing at the menu. Default `#ffffff`.
 * @cssprop --cashdesk-radius - Corner radius.
 * @cssprop --cashdesk-space - Spacing between the parts.
 * @cssprop --cashdesk-font-family - Font family. Inherited by default.
 */
export class CashdeskOpenInBrowser extends LocalizedElement {
  static override styles = styles;

  @query('dialog') private layer!: HTMLDialogElement | null;

  private readonly copier = new CopyController(this);
  private detectedOs: Os | undefined = undefined;
  /** Where focus was when the guide opened, to give it back on close. */
  private opener: HTMLElement | undefined = undefined;
  private pressedOnBackdrop = false;

  /** Whether the guide is shown. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** Which menu entry to name: `ios`, `android` or `other`. Detected from the user agent when unset. */
  @property() os: Os | undefined = undefined;

  /** The link "copy the page link" copies. This page's address (at the time of copying) by default. */
  @property() url: string | undefined = undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    // Moved in the page while open: the dialog was taken out of the top layer on removal.
    if (this.open && this.hasUpdated) this.requestUpdate();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    const layer = this.layer;
    if (layer === null || !isShown(layer)) return;
    hideLayer(layer);
    this.restoreFocus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('open') && this.open) || changed.has('url')) this.copier.clear();
  }

  protected override updated(): void {
    const layer = this.layer;
    if (layer === null) return;
    if (this.open && this.isConnected && !isShown(layer)) {
      this.opener = deepActiveElement();
      showLayer(layer);
    } else if (!this.open) {
      if (isShown(layer)) hideLayer(layer);
      this.restoreFocus();
    }
  }

  private dismiss(): void {
    if (!this.open) return;
    this.open = false;
    this.dispatchEvent(new CashdeskCloseEvent());
  }

  /** The dialog closed itself: Escape, or Android's back gesture. */
  private handleLayerClose(): void {
    const layer = this.layer;
    // A close the element asked for (removal, `open` set to false) was already accounted for, and a
    // stale one from before a move in the page finds the dialog open again.
    if (layer === null || !this.isConnected || isShown(layer)) return;
    this.dismiss();
  }

  private handleLayerPointerDown(event: PointerEvent): void {
    this.pressedOnBackdrop = event.target === event.currentTarget;
  }

  private handleLayerClick(event: MouseEvent): void {
    // A press that began in the panel (selecting text) and ended outside it is not a dismissal.
    if (event.target === event.currentTarget && this.pressedOnBackdrop) this.dismiss();
    this.pressedOnBackdrop = false;
  }

  private handleLayerKeydown(event: KeyboardEvent): void {
    const layer = this.layer;
    // A native modal dialog handles Escape itself, through its close event.
    if (event.key !== 'Escape' || layer === null || typeof layer.showModal === 'function') return;
    event.preventDefault();
    this.dismiss();
  }

  private handleCopy(): void {
    const url = this.pageUrl();
    void this.copier.copy(url, () => url === this.pageUrl());
  }

  private pageUrl(): string {
    return this.url ?? location.href;
  }

  private resolvedOs(): Os {
    if (isOs(this.os)) return this.os;
    this.detectedOs ??= detectEnvironment().os;
    return this.detectedOs;
  }

  private restoreFocus(): void {
    const opener = this.opener;
    this.opener = undefined;
    if (opener === undefined || !opener.isConnected) return;
    const active = deepActiveElement();
    // Only where focus would be lost: a cashdesk-close listener may have moved it on purpose.
    if (active === undefined || this.shadowRoot?.contains(active)) opener.focus();
  }

  override render() {
    const m = this.messages;
    const note = this.copier.note(m);
    return html`<dialog
      part="base"
      lang=${this.locale}
      dir=${this.direction}
      tabindex="-1"
      aria-labelledby="title"
      aria-describedby="why instructions"
      @close=${this.handleLayerClose}
      @pointerdown=${this.handleLayerPointerDown}
      @click=${this.handleLayerClick}
      @keydown=${this.handleLayerKeydown}
    >
      <svg class="arrow" aria-hidden="true" viewBox="0 0 80 100">${arrow}</svg>
      <div part="dialog">
        <h2 id="title" part="title">${m.openInBrowserTitle}</h2>
        <p id="why" class="why">${m.openInBrowserWhy}</p>
        <p id="instructions" part="instructions">${instructionFor(m, this.resolvedOs())}</p>
        <div class="actions">
          <button part="copy" type="button" @click=${this.handleCopy}>${m.copyPageLink}</button>
          <button part="close" type="button" @click=${this.dismiss}>${m.close}</button>
        </div>
        <p class="note" role="status">${note}</p>
      </div>
    </dialog>`;
  }
}

if (!customElements.get('cashdesk-open-in-browser')) {
  customElements.define('cashdesk-open-in-browser', CashdeskOpenInBrowser);
}

declare global {
  interface HTMLElementTagNameMap {
    'cashdesk-open-in-browser': CashdeskOpenInBrowser;
  }
}
