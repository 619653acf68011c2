/**
 * The base of cashdesk's elements: picks the shopper's language from `lang` (the element's own,
 * the nearest ancestor's, the document's, then the browser's) and the writing direction, and
 * re-renders when either changes.
 */
import { LitElement } from 'lit';
import {
  ensureLocale,
  isLocaleReady,
  messagesFor,
  onMessagesChange,
  resolveDirection,
  resolveLocale,
} from './localize.js';
import type { Locale, Messages } from './messages.js';

/**
 * Every connected element, re-rendered when the document's language or direction changes (a
 * language switcher).
 */
const connected = new Set<LitElement>();
let documentLang: MutationObserver | undefined;
let stopMessages: (() => void) | undefined;

function watchDocumentLang(element: LitElement): void {
  connected.add(element);
  stopMessages ??= onMessagesChange(() => {
    for (const each of connected) each.requestUpdate();
  });
  if (documentLang || typeof MutationObserver === 'undefined') return;
  documentLang = new MutationObserver(() => {
    for (const each of connected) each.requestUpdate();
  });
  // Any element's: an ancestor's `lang` or `dir` decides as much as the document's.
  documentLang.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'], subtree: true });
}

function unwatchDocumentLang(element: LitElement): void {
  connected.delete(element);
  if (connected.size === 0) {
    stopMessages?.();
    stopMessages = undefined;
    documentLang?.disconnect();
    documentLang = undefined;
  }
}

export class LocalizedElement extends LitElement {
  static override get observedAttributes(): string[] {
    // `lang` stays the native property (a Lit property would shadow it, and would reach the
    // attribute only after render), so its attribute is observed here to re-render in time.
    // biome-ignore lint/complexity/noThisInStatic: `super` keeps the subclass as the receiver, so Lit lists the subclass's attributes.
    return [...super.observedAttributes, 'lang', 'dir'];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    watchDocumentLang(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unwatchDocumentLang(this);
  }

  override attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    super.attributeChangedCallback(name, old, value);
    // `lang` and `dir` (a Lit property's own change has already asked for one; a second ask is free).
    if (old !== value) this.requestUpdate();
  }

  /**
   * Waits for the shopper's language before drawing, so a Chinese page never shows English first;
   * `updateComplete` waits too. In the script-tag build the words are already there.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: Lit's own signature for scheduleUpdate.
  protected override scheduleUpdate(): void | Promise<unknown> {
    const locale = resolveLocale(this);
    if (!isLocaleReady(locale)) return ensureLocale(locale).then(() => super.scheduleUpdate());
    return super.scheduleUpdate();
  }

  /** The shopper's language, or English while it is not here (its fetch failed). */
  protected get locale(): Locale {
    const wanted = resolveLocale(this);
    return isLocaleReady(wanted) ? wanted : 'en';
  }

  /** `rtl` for Arabic, or as a nearer `dir` says: each element sets it on its shadow root's outermost part. */
  protected get direction(): 'ltr' | 'rtl' {
    return resolveDirection(this, this.locale);
  }

  protected get messages(): Messages {
    return messagesFor(this.locale);
  }
}
