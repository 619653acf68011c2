import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { Os } from '../../../src/core/environment.js';
import type { CashdeskOpenInBrowser } from '../../../src/elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js';
import '../../../src/elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js';
import { messagesFor } from '../../../src/i18n/localize.js';
import { LOCALES, type Messages } from '../../../src/i18n/messages.js';
import { fadesSettled } from '../helpers/fake-backend.js';

const en = messagesFor('en');
const PAGE = 'https://shop.example.com/checkout?order=20240520-0042';
const OSES: readonly Os[] = ['ios', 'android', 'other'];

function instructionFor(m: Messages, os: Os): string {
  return { ios: m.openInBrowserIos, android: m.openInBrowserAndroid, other: m.openInBrowserOther }[os];
}

function part<T extends Element = HTMLElement>(el: CashdeskOpenInBrowser, name: string): T {
  const found = el.shadowRoot?.querySelector<T>(`[part="${name}"]`);
  if (found === null || found === undefined) throw new Error(`no ${name} part`);
  return found;
}

function layer(el: CashdeskOpenInBrowser): HTMLDialogElement {
  return part<HTMLDialogElement>(el, 'base');
}

function note(el: CashdeskOpenInBrowser): string {
  return el.shadowRoot?.querySelector('[role="status"]')?.textContent ?? '';
}

/** Counts the cashdesk-close events `el` fires while `run` is awaited, and a moment after. */
async function closesDuring(el: CashdeskOpenInBrowser, run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const listener = () => {
    count += 1;
  };
  document.addEventListener('cashdesk-close', listener);
  try {
    await run();
    await aTimeout(50);
    await el.updateComplete;
  } finally {
    document.removeEventListener('cashdesk-close', listener);
  }
  return count;
}

async function stubClipboard(write: (text: string) => Promise<void>, run: () => Promise<unknown>): Promise<void> {
  Object.defineProperty(navigator.clipboard, 'writeText', { configurable: true, value: write });
  try {
    await run();
  } finally {
    Reflect.deleteProperty(navigator.clipboard, 'writeText');
  }
}

async function openGuide(attrs: { lang?: string; os?: Os; url?: string } = {}): Promise<CashdeskOpenInBrowser> {
  return fixture<CashdeskOpenInBrowser>(
    html`<cashdesk-open-in-browser
      open
      lang=${attrs.lang ?? 'en'}
      os=${attrs.os ?? 'ios'}
      url=${attrs.url ?? PAGE}
    ></cashdesk-open-in-browser>`,
  );
}

/**
 * What has focus, as a short label (a part name in the guide, a page button's text): failed
 * assertions on DOM nodes themselves are slow to print.
 */
function focusLabel(): string {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  if (active === null || active === document.body) return 'nothing';
  return active.getAttribute('part') ?? active.textContent?.trim() ?? active.tagName;
}

/** WebKitWebDriver and Firefox's BiDi launcher have no `emulateMedia`; Chromium's launcher does. */
const CAN_EMULATE_MEDIA = /Chrome\//.test(navigator.userAgent);

describe('<cashdesk-open-in-browser>', () => {
  afterEach(async () => {
    await resetMouse();
  });

  it('renders', async () => {
    const el = await openGuide();
    expect(el).to.be.instanceOf(customElements.get('cashdesk-open-in-browser'));
    expect(el.hasAttribute('open')).to.equal(true);
    expect(part(el, 'title').textContent).to.equal(en.openInBrowserTitle);
    expect(el.shadowRoot?.querySelector('.why')?.textContent).to.equal(en.openInBrowserWhy);
    expect(part(el, 'instructions').textContent).to.equal(en.openInBrowserIos);
    expect(part(el, 'copy').textContent).to.equal(en.copyPageLink);
    expect(part(el, 'close').textContent).to.equal(en.close);
    const arrow = el.shadowRoot?.querySelector('svg.arrow');
    expect(arrow?.getAttribute('aria-hidden')).to.equal('true');
    expect(arrow?.querySelectorAll('path')).to.have.length(2);
  });

  it('is accessible', async () => {
    const el = await openGuide();
    await fadesSettled();
    await expect(el).to.be.accessible();
  });

  it('shows nothing and leaves the page usable while closed', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><button type="button">Pay</button><cashdesk-open-in-browser lang="en"></cashdesk-open-in-browser></div>`,
    );
    const el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    expect(layer(el).open).to.equal(false);
    expect(part(el, 'dialog').checkVisibility()).to.equal(false);
    const box = el.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([0, 0]);
    const pay = wrapper.querySelector('button') as HTMLButtonElement;
    pay.focus();
    expect(focusLabel()).to.equal('Pay');
  });

  it('opens as a modal dialog named by its heading', async () => {
    const el = await openGuide();
    const dialog = layer(el);
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect(part(el, 'dialog').checkVisibility()).to.equal(true);
    const labelledBy = dialog.getAttribute('aria-labelledby') ?? '';
    const heading = el.shadowRoot?.getElementById(labelledBy);
    expect(heading?.localName).to.equal('h2');
    expect(heading?.textContent).to.equal(en.openInBrowserTitle);
  });

  it('opens when `open` is set after it was added', async () => {
    const el = await fixture<CashdeskOpenInBrowser>(
      html`<cashdesk-open-in-browser lang="en" os="android"></cashdesk-open-in-browser>`,
    );
    el.open = true;
    await el.updateComplete;
    expect(layer(el).matches(':modal')).to.equal(true);
    expect(el.hasAttribute('open')).to.equal(true);
  });

  it('stays visible when hidden while open, never an invisible modal over an inert page', async () => {
    const el = await openGuide();
    el.hidden = true;
    await el.updateComplete;
    expect(layer(el).matches(':modal')).to.equal(true);
    expect(part(el, 'dialog').checkVisibility()).to.equal(true);
  });

  for (const os of OSES) {
    it(`gives the ${os} instruction when os is "${os}"`, async () => {
      const el = await openGuide({ os });
      expect(part(el, 'instructions').textContent).to.equal(instructionFor(en, os));
    });
  }

  it('detects the OS from the user agent when os is unset', async () => {
    const iphoneWechat =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN';
    Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => iphoneWechat });
    try {
      const el = await fixture<CashdeskOpenInBrowser>(
        html`<cashdesk-open-in-browser open lang="en"></cashdesk-open-in-browser>`,
      );
      expect(part(el, 'instructions').textContent).to.equal(en.openInBrowserIos);
    } finally {
      Reflect.deleteProperty(navigator, 'userAgent');
    }
  });

  it('copies the url and says so', async () => {
    const el = await openGuide();
    const written: string[] = [];
    await stubClipboard(
      async (text) => {
        written.push(text);
      },
      async () => {
        part<HTMLButtonElement>(el, 'copy').click();
        await aTimeout(0);
        await el.updateComplete;
      },
    );
    expect(written).to.deep.equal([PAGE]);
    expect(note(el)).to.equal(en.copied);
  });

  it("copies this page's address when no url is given", async () => {
    const el = await fixture<CashdeskOpenInBrowser>(
      html`<cashdesk-open-in-browser open lang="en" os="ios"></cashdesk-open-in-browser>`,
    );
    const written: string[] = [];
    await stubClipboard(
      async (text) => {
        written.push(text);
      },
      async () => {
        part<HTMLButtonElement>(el, 'copy').click();
        await aTimeout(0);
        await el.updateComplete;
      },
    );
    expect(written).to.deep.equal([location.href]);
  });

  it('says when copying fails', async () => {
    const el = await openGuide();
    await stubClipboard(
      () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
      async () => {
        part<HTMLButtonElement>(el, 'copy').click();
        await aTimeout(0);
        await el.updateComplete;
      },
    );
    expect(note(el)).to.equal(en.copyFailed);
  });

  it('closes from its close button and fires exactly one cashdesk-close', async () => {
    const el = await openGuide();
    const close = part<HTMLButtonElement>(el, 'close');
    const fired = await closesDuring(el, async () => {
      close.click();
      close.click();
    });
    expect(fired).to.equal(1);
    expect(el.open).to.equal(false);
    expect(el.hasAttribute('open')).to.equal(false);
    expect(layer(el).open).to.equal(false);
  });

  it('closes on Escape and fires exactly one cashdesk-close', async () => {
    const el = await openGuide();
    const fired = await closesDuring(el, async () => {
      const closed = oneEvent(el, 'cashdesk-close');
      await sendKeys({ press: 'Escape' });
      await closed;
    });
    expect(fired).to.equal(1);
    expect(el.open).to.equal(false);
    expect(layer(el).open).to.equal(false);
  });

  it('closes on a click outside the panel, not on one inside it', async () => {
    const el = await openGuide();
    const panel = part(el, 'dialog').getBoundingClientRect();
    const inside: [number, number] = [Math.round(panel.left + 8), Math.round(panel.top + 8)];
    const outside: [number, number] = [4, window.innerHeight - 4];

    const before = await closesDuring(el, async () => {
      await sendMouse({ type: 'click', position: inside });
      // Selecting text from the panel out onto the backdrop is not a dismissal either.
      await sendMouse({ type: 'move', position: inside });
      await sendMouse({ type: 'down' });
      await sendMouse({ type: 'move', position: outside });
      await sendMouse({ type: 'up' });
    });
    expect(before).to.equal(0);
    expect(layer(el).open).to.equal(true);

    const fired = await closesDuring(el, () => sendMouse({ type: 'click', position: outside }));
    expect(fired).to.equal(1);
    expect(el.open).to.equal(false);
    expect(layer(el).open).to.equal(false);
  });

  it('closes quietly when the page sets open to false', async () => {
    const el = await openGuide();
    const fired = await closesDuring(el, async () => {
      el.open = false;
    });
    expect(fired).to.equal(0);
    expect(layer(el).open).to.equal(false);
  });

  it('moves focus into the dialog and back to the opener', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <button type="button">Pay with Alipay</button>
        <cashdesk-open-in-browser lang="en" os="android" url=${PAGE}></cashdesk-open-in-browser>
      </div>`,
    );
    const opener = wrapper.querySelector('button') as HTMLButtonElement;
    const el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
    opener.focus();
    el.open = true;
    await el.updateComplete;
    expect(focusLabel()).to.equal('base');

    // Tab stays inside the modal dialog.
    await sendKeys({ press: 'Tab' });
    expect(focusLabel()).to.equal('copy');
    await sendKeys({ press: 'Tab' });
    expect(focusLabel()).to.equal('close');

    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(el.open).to.equal(false);
    expect(focusLabel()).to.equal('Pay with Alipay');
  });

  it('gives focus back after Escape as well', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <button type="button">Pay with Alipay</button>
        <cashdesk-open-in-browser lang="en" os="ios" url=${PAGE}></cashdesk-open-in-browser>
      </div>`,
    );
    const opener = wrapper.querySelector('button') as HTMLButtonElement;
    const el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
    opener.focus();
    el.open = true;
    await el.updateComplete;
    const closed = oneEvent(el, 'cashdesk-close');
    await sendKeys({ press: 'Escape' });
    await closed;
    await el.updateComplete;
    expect(focusLabel()).to.equal('Pay with Alipay');
  });

  // Media emulation exists only for the Chromium launcher: the summary names these skips.
  it('follows a dark colour scheme (media emulation: Chromium only)', async function () {
    if (!CAN_EMULATE_MEDIA) this.skip();
    const el = await openGuide();
    const light = getComputedStyle(part(el, 'dialog')).backgroundColor;
    try {
      await emulateMedia({ colorScheme: 'dark' });
      expect(getComputedStyle(part(el, 'dialog')).backgroundColor).to.equal('rgb(21, 27, 35)');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
    expect(light).to.equal('rgb(255, 255, 255)');
    // A media change can replay the fade-in; axe must see the settled colours, not a half-faded layer.
    await fadesSettled();
    await expect(el).to.be.accessible();
  });

  it('holds still when reduced motion is asked for (media emulation: Chromium only)', async function () {
    if (!CAN_EMULATE_MEDIA) this.skip();
    const el = await openGuide();
    const arrow = el.shadowRoot?.querySelector('svg.arrow') as SVGSVGElement;
    expect(getComputedStyle(arrow).animationName).to.equal('nudge');
    try {
      await emulateMedia({ reducedMotion: 'reduce' });
      expect(getComputedStyle(arrow).animationName).to.equal('none');
      expect(getComputedStyle(layer(el)).animationName).to.equal('none');
    } finally {
      await emulateMedia({ reducedMotion: 'no-preference' });
    }
  });

  it('lets the page theme it through --cashdesk-* properties', async () => {
    const el = await openGuide();
    el.style.setProperty('--cashdesk-color-accent', 'rgb(0, 102, 51)');
    el.style.setProperty('--cashdesk-color-backdrop', 'rgb(0, 0, 0)');
    expect(getComputedStyle(part(el, 'copy')).backgroundColor).to.equal('rgb(0, 102, 51)');
    expect(getComputedStyle(layer(el)).backgroundColor).to.equal('rgb(0, 0, 0)');
  });

  for (const locale of LOCALES) {
    for (const os of OSES) {
      it(`is accessible open in ${locale} on ${os}`, async () => {
        const el = await openGuide({ lang: locale, os });
        const m = messagesFor(locale);
        expect(part(el, 'title').textContent).to.equal(m.openInBrowserTitle);
        expect(part(el, 'instructions').textContent).to.equal(instructionFor(m, os));
        await fadesSettled();
        await expect(el).to.be.accessible();
      });
    }
  }

  it('re-renders in the language its lang attribute names', async () => {
    const el = await openGuide();
    el.lang = 'zh-HK';
    await el.updateComplete;
    expect(part(el, 'instructions').textContent).to.equal(messagesFor('zh-HK').openInBrowserIos);
  });

  it('leaves no listener, modal or event behind when removed while open', async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const targets: EventTarget[] = [window, document, document.documentElement, document.body];
    const originals = targets.map((target) => ({
      target,
      add: target.addEventListener,
      remove: target.removeEventListener,
    }));
    for (const { target, add, remove } of originals) {
      target.addEventListener = function (this: EventTarget, ...args: Parameters<EventTarget['addEventListener']>) {
        added.push(args[1]);
        add.apply(this, args);
      };
      target.removeEventListener = function (
        this: EventTarget,
        ...args: Parameters<EventTarget['removeEventListener']>
      ) {
        removed.push(args[1]);
        remove.apply(this, args);
      };
    }
    let el: CashdeskOpenInBrowser;
    let wrapper: HTMLDivElement;
    try {
      wrapper = await fixture<HTMLDivElement>(
        html`<div>
          <button type="button">Pay</button>
          <button type="button">Back</button>
          <cashdesk-open-in-browser lang="en" os="ios" url=${PAGE}></cashdesk-open-in-browser>
        </div>`,
      );
      el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
      wrapper.querySelector('button')?.focus();
      el.open = true;
      await el.updateComplete;
      expect(layer(el).matches(':modal')).to.equal(true);
      el.remove();
    } finally {
      for (const { target } of originals) {
        Reflect.deleteProperty(target, 'addEventListener');
        Reflect.deleteProperty(target, 'removeEventListener');
      }
    }
    expect(added.filter((listener) => !removed.includes(listener))).to.deep.equal([]);
    expect(layer(el).open).to.equal(false);
    expect(focusLabel(), 'focus is given back, not lost').to.equal('Pay');

    const fired = await closesDuring(el, () => sendKeys({ press: 'Escape' }));
    expect(fired).to.equal(0);
    wrapper.querySelectorAll('button')[1]?.focus();
    expect(focusLabel(), 'the page is not inert').to.equal('Back');
  });

  it('can be removed before it first rendered', async () => {
    const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
    const el = document.createElement('cashdesk-open-in-browser');
    el.open = true;
    wrapper.append(el);
    el.remove();
    await el.updateComplete;
    expect(el.shadowRoot?.querySelector('dialog')?.open ?? false).to.equal(false);
  });

  it('shows again, modal, when moved in the page while open', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div><cashdesk-open-in-browser open lang="en" os="ios"></cashdesk-open-in-browser><section></section></div>`,
    );
    const el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
    await el.updateComplete;
    const fired = await closesDuring(el, async () => {
      wrapper.querySelector('section')?.append(el);
      await el.updateComplete;
    });
    expect(fired).to.equal(0);
    expect(layer(el).matches(':modal')).to.equal(true);
  });

  it('still shows, takes and gives back focus and closes where <dialog> has no showModal', async () => {
    const wrapper = await fixture<HTMLDivElement>(
      html`<div>
        <button type="button">Pay with Alipay</button>
        <cashdesk-open-in-browser lang="en" os="ios" url=${PAGE}></cashdesk-open-in-browser>
      </div>`,
    );
    const el = wrapper.querySelector('cashdesk-open-in-browser') as CashdeskOpenInBrowser;
    await el.updateComplete;
    wrapper.querySelector('button')?.focus();
    const dialog = layer(el);
    // What WebKit before iOS 15.4 offers: an unknown element with no dialog methods.
    Object.defineProperty(dialog, 'showModal', { configurable: true, value: undefined });
    Object.defineProperty(dialog, 'close', { configurable: true, value: undefined });
    el.open = true;
    await el.updateComplete;
    expect(dialog.hasAttribute('open')).to.equal(true);
    expect(dialog.getAttribute('role')).to.equal('dialog');
    expect(dialog.getAttribute('aria-modal')).to.equal('true');
    expect(part(el, 'dialog').checkVisibility()).to.equal(true);
    expect(focusLabel()).to.equal('base');
    const fired = await closesDuring(el, () => sendKeys({ press: 'Escape' }));
    expect(fired).to.equal(1);
    expect(dialog.hasAttribute('open')).to.equal(false);
    expect(part(el, 'dialog').checkVisibility()).to.equal(false);
    expect(focusLabel()).to.equal('Pay with Alipay');
  });
});
