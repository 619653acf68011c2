import { aTimeout, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { passedMilestone } from '../../../src/controllers/countdown.js';
import { preloadQrEncoder } from '../../../src/core/qr.js';
import type { CashdeskQr } from '../../../src/elements/cashdesk-qr/cashdesk-qr.js';
import '../../../src/elements/cashdesk-qr/cashdesk-qr.js';
import type { CashdeskQrRefreshEvent } from '../../../src/events/events.js';
import { messagesFor } from '../../../src/i18n/localize.js';
import { LOCALES } from '../../../src/i18n/messages.js';
import { decodeQrImage, decodeQrSvg } from '../helpers/decode-qr.js';

const en = messagesFor('en');
const WEIXIN = 'weixin://wxpay/bizpayurl?pr=Qx8cW1zz9';
const CASHIER = 'https://cashier.example.com/pay?trade_no=2024052012345678&sign=a1B2c3D4e5';
const ALIPAY_QR = 'https://qr.alipay.com/bax08861ndzz2klmkbvs6055';

/** User agents of the apps whose shoppers read a code on the screen by long-pressing it. */
const IN_APP = {
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003137) NetType/WIFI Language/zh_CN',
  'wechat-miniprogram':
    'Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 miniProgram/wx1234',
  alipay:
    'Mozilla/5.0 (Linux; Android 13; SM-S9180) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0 Mobile Safari/537.36 AlipayChannelId/5136 AlipayClient/10.5.86.8000 Language/zh-Hans',
} as const;

/** `run` with `navigator.userAgent` reading as `app`'s: the element detects its environment on its first update. */
async function inApp<T>(app: keyof typeof IN_APP, run: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => IN_APP[app] });
  try {
    return await run();
  } finally {
    Reflect.deleteProperty(navigator, 'userAgent');
  }
}

function qrImage(el: CashdeskQr): HTMLImageElement {
  const image = part(el, 'qr');
  if (!(image instanceof HTMLImageElement)) throw new Error(`the QR is drawn as ${image?.localName ?? 'nothing'}`);
  return image;
}

function part<T extends Element = HTMLElement>(el: CashdeskQr, name: string): T | null {
  return el.shadowRoot?.querySelector<T>(`[part="${name}"]`) ?? null;
}

function qrSvg(el: CashdeskQr): SVGSVGElement {
  const svg = part<SVGSVGElement>(el, 'qr');
  if (svg === null) throw new Error('no QR drawn');
  return svg;
}

function inSeconds(seconds: number): string {
  return new Date(Date.now() + seconds * 1000).toISOString();
}

/** Every distinct text `node` shows while `run` is awaited, in order. */
async function textsOf(node: Node, run: () => Promise<unknown>): Promise<string[]> {
  const seen = [node.textContent ?? ''];
  const observer = new MutationObserver(() => {
    const text = node.textContent ?? '';
    if (text !== seen[seen.length - 1]) seen.push(text);
  });
  observer.observe(node, { subtree: true, childList: true, characterData: true });
  try {
    await run();
  } finally {
    observer.disconnect();
  }
  return seen;
}

describe('<cashdesk-qr>', () => {
  before(async function () {
    // The encoder is a lazy chunk (the checkout fetches it as a payment starts); served to the test
    // page it is bundled on first request, which can take seconds on a busy machine.
    this.timeout(30_000);
    await preloadQrEncoder();
  });

  it('renders', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${WEIXIN}></cashdesk-qr>`);
    expect(el).to.be.instanceOf(customElements.get('cashdesk-qr'));
    expect(part(el, 'label')?.textContent).to.equal(en.scanGeneric);
    const svg = qrSvg(el);
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal(en.qrLabel);
    expect(svg.querySelectorAll('path')).to.have.length(1);
    expect(part(el, 'countdown')).to.equal(null);
  });

  it('is accessible', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} expires-at=${inSeconds(300)} .mobile=${true}></cashdesk-qr>`,
    );
    await expect(el).to.be.accessible();
  });

  it('shows the label it is given', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} label="Scan with WeChat Pay to pay"></cashdesk-qr>`,
    );
    expect(part(el, 'label')?.textContent).to.equal('Scan with WeChat Pay to pay');
  });

  it('draws a code that decodes to a short weixin:// URL', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr content=${WEIXIN}></cashdesk-qr>`);
    expect(await decodeQrSvg(qrSvg(el))).to.equal(WEIXIN);
  });

  it('draws a code that decodes to a 300-character https URL', async () => {
    const base = 'https://cashier.example.com/pay?trade_no=2024052012345678&sign=';
    const url = base + 'a1B2c3D4e5'.repeat(30).slice(0, 300 - base.length);
    expect(url).to.have.length(300);
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr content=${url}></cashdesk-qr>`);
    expect(await decodeQrSvg(qrSvg(el))).to.equal(url);
  });

  it('draws a code that decodes to a CJK string', async () => {
    const text = '订单 20240520：请使用微信扫码支付 ¥99.00，支付寶／付款';
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr content=${text}></cashdesk-qr>`);
    expect(await decodeQrSvg(qrSvg(el))).to.equal(text);
  });

  it('counts down from expires-at', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} expires-at=${inSeconds(65)}></cashdesk-qr>`,
    );
    expect(part(el, 'countdown')?.textContent).to.be.oneOf([en.expiresIn(1, 5), en.expiresIn(1, 4)]);
    expect(part(el, 'refresh')).to.equal(null);
  });

  it('counts from an epoch-milliseconds expiresAt as well', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} .expiresAt=${Date.now() + 125_000}></cashdesk-qr>`,
    );
    expect(part(el, 'countdown')?.textContent).to.be.oneOf([en.expiresIn(2, 5), en.expiresIn(2, 4)]);
  });

  it('hides the code once expired and offers a refresh that fires exactly one cashdesk-qr-refresh', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} expires-at=${inSeconds(-5)}></cashdesk-qr>`,
    );
    expect(part(el, 'qr')).to.equal(null);
    expect(part(el, 'countdown')).to.equal(null);
    expect(part(el, 'copy')).to.equal(null);
    expect(el.shadowRoot?.querySelector('.expired')?.textContent).to.contain(en.qrExpired);
    const refresh = part<HTMLButtonElement>(el, 'refresh');
    expect(refresh?.textContent).to.equal(en.refresh);

    const events: CashdeskQrRefreshEvent[] = [];
    const listener = (event: CashdeskQrRefreshEvent) => events.push(event);
    document.addEventListener('cashdesk-qr-refresh', listener);
    try {
      // A double click is one request: each new code is a new payment attempt.
      refresh?.click();
      refresh?.click();
      await aTimeout(0);
    } finally {
      document.removeEventListener('cashdesk-qr-refresh', listener);
    }
    expect(events).to.have.length(1);
    expect(events[0]?.detail.content).to.equal(WEIXIN);
    expect(events[0]?.composed).to.equal(true);
  });

  it('expires while shown and moves focus from the copy button to refresh', async function () {
    this.timeout(6000);
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} expires-at=${inSeconds(0.6)}></cashdesk-qr>`,
    );
    part<HTMLButtonElement>(el, 'copy')?.focus();
    const refreshed = oneEvent(el, 'cashdesk-qr-refresh');
    await aTimeout(900);
    await el.updateComplete;
    const refresh = part<HTMLButtonElement>(el, 'refresh');
    expect(el.shadowRoot?.activeElement).to.equal(refresh);
    refresh?.click();
    expect((await refreshed).detail.content).to.equal(WEIXIN);
  });

  it('announces each whole minute in its live region, not every second', async function () {
    this.timeout(8000);
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} .expiresAt=${Date.now() + 61_400}></cashdesk-qr>`,
    );
    const countdown = part(el, 'countdown');
    const announcer = el.shadowRoot?.querySelector('#announcer');
    if (countdown === null || announcer === null || announcer === undefined) throw new Error('missing parts');
    let spoken: string[] = [];
    const shown = await textsOf(countdown, async () => {
      spoken = await textsOf(announcer, () => aTimeout(2600));
    });
    expect(shown.length).to.be.at.least(3);
    expect(spoken).to.deep.equal(['', en.expiresInSpoken(1, 0)]);
  });

  it('copies the content and says so', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${WEIXIN}></cashdesk-qr>`);
    const written: string[] = [];
    Object.defineProperty(navigator.clipboard, 'writeText', {
      configurable: true,
      value: async (text: string) => {
        written.push(text);
      },
    });
    try {
      part<HTMLButtonElement>(el, 'copy')?.click();
      await aTimeout(0);
      await el.updateComplete;
    } finally {
      Reflect.deleteProperty(navigator.clipboard, 'writeText');
    }
    expect(written).to.deep.equal([WEIXIN]);
    expect(el.shadowRoot?.querySelector('#copy-note')?.textContent).to.equal(en.copied);
  });

  it('a second copy is announced again: the note empties while the clipboard is written', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${WEIXIN}></cashdesk-qr>`);
    let finish: () => void = () => {};
    Object.defineProperty(navigator.clipboard, 'writeText', {
      configurable: true,
      value: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    const note = () => el.shadowRoot?.querySelector('#copy-note')?.textContent;
    try {
      part<HTMLButtonElement>(el, 'copy')?.click();
      finish();
      await aTimeout(0);
      await el.updateComplete;
      expect(note()).to.equal(en.copied);
      part<HTMLButtonElement>(el, 'copy')?.click();
      await el.updateComplete;
      // A live region only speaks a change: empty now, "Copied" again once the write is done.
      expect(note()).to.equal('');
      finish();
      await aTimeout(0);
      await el.updateComplete;
      expect(note()).to.equal(en.copied);
    } finally {
      Reflect.deleteProperty(navigator.clipboard, 'writeText');
    }
  });

  it('says when copying fails', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${WEIXIN}></cashdesk-qr>`);
    Object.defineProperty(navigator.clipboard, 'writeText', {
      configurable: true,
      value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
    });
    try {
      part<HTMLButtonElement>(el, 'copy')?.click();
      await aTimeout(0);
      await el.updateComplete;
    } finally {
      Reflect.deleteProperty(navigator.clipboard, 'writeText');
    }
    expect(el.shadowRoot?.querySelector('#copy-note')?.textContent).to.equal(en.copyFailed);
  });

  it('offers "open app" on a phone for weixin:, alipays: and https: content', async () => {
    const cashier = 'https://qr.alipay.com/bax08861ndzz2klmkbvs6055';
    const alipay = 'alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax01';
    for (const content of [WEIXIN, cashier, alipay]) {
      const el = await fixture<CashdeskQr>(
        html`<cashdesk-qr lang="en" content=${content} .mobile=${true}></cashdesk-qr>`,
      );
      const open = part<HTMLAnchorElement>(el, 'open');
      expect(open?.getAttribute('href'), content).to.equal(content);
      expect(open?.textContent).to.equal(en.openApp);
    }
  });

  it('offers no "open app" link on a desktop', async () => {
    for (const mobile of [false, undefined]) {
      const el = await fixture<CashdeskQr>(
        html`<cashdesk-qr lang="en" content=${WEIXIN} .mobile=${mobile}></cashdesk-qr>`,
      );
      expect(part(el, 'open'), String(mobile)).to.equal(null);
    }
  });

  it('never links javascript: or other unsafe content', async () => {
    // Deep links follow the one URL policy (GATEWAYS.md §0.2): the wallet apps' schemes only.
    for (const content of [
      'javascript:alert(1)',
      ' java\tscript:alert(1)',
      'data:text/html,x',
      'weixin-evil:x',
      'intent://scan/#Intent;scheme=weixin;end',
      'https:qr.alipay.com/../account',
    ]) {
      const el = await fixture<CashdeskQr>(html`<cashdesk-qr content=${content} .mobile=${true}></cashdesk-qr>`);
      expect(part(el, 'open'), content).to.equal(null);
      expect(el.shadowRoot?.querySelector('a')).to.equal(null);
    }
  });

  it('stops its timers when removed', async function () {
    this.timeout(6000);
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr content=${WEIXIN} .expiresAt=${Date.now() + 60_300}></cashdesk-qr>`,
    );
    let updates = 0;
    const requestUpdate = el.requestUpdate.bind(el);
    el.requestUpdate = (...args: Parameters<CashdeskQr['requestUpdate']>) => {
      updates += 1;
      requestUpdate(...args);
    };
    try {
      await aTimeout(500);
      expect(updates, 'ticks while connected').to.be.at.least(1);
      el.remove();
      updates = 0;
      await aTimeout(1200);
      expect(updates, 'ticks after removal').to.equal(0);
    } finally {
      Reflect.deleteProperty(el, 'requestUpdate');
    }
  });

  it('re-renders in the language its lang attribute names', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${WEIXIN}></cashdesk-qr>`);
    el.lang = 'zh-CN';
    await el.updateComplete;
    expect(part(el, 'label')?.textContent).to.equal(messagesFor('zh-CN').scanGeneric);
  });

  for (const locale of LOCALES) {
    it(`is accessible in ${locale}`, async () => {
      const el = await fixture<CashdeskQr>(
        html`<cashdesk-qr lang=${locale} content=${WEIXIN} expires-at=${inSeconds(90)} .mobile=${true}></cashdesk-qr>`,
      );
      expect(part(el, 'copy')?.textContent).to.equal(messagesFor(locale).copy);
      await expect(el).to.be.accessible();
    });
  }

  it('is accessible when expired', async () => {
    const el = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${WEIXIN} expires-at=${inSeconds(-1)}></cashdesk-qr>`,
    );
    expect(part(el, 'refresh')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('<cashdesk-qr> inside WeChat and Alipay: an image to long-press', () => {
  before(async function () {
    this.timeout(30_000);
    await preloadQrEncoder();
  });

  it('inside WeChat draws an image with the accessible name that decodes to the content, and says long-press', async () => {
    const el = await inApp('wechat', () =>
      fixture<CashdeskQr>(
        html`<cashdesk-qr lang="en" content=${CASHIER} label="Scan with WeChat Pay to pay"></cashdesk-qr>`,
      ),
    );
    const image = qrImage(el);
    expect(image.getAttribute('src')?.startsWith('data:image/png;base64,')).to.equal(true);
    expect(image.alt).to.equal(en.qrLabel);
    expect(el.shadowRoot?.querySelector('svg')).to.equal(null);
    expect(await decodeQrImage(image)).to.equal(CASHIER);
    // Read back at the size it is shown, as the app's recogniser sees the screen.
    const shown = image.getBoundingClientRect().width;
    expect(shown).to.be.above(100);
    expect(await decodeQrImage(image, Math.round(shown))).to.equal(CASHIER);
    // The checkout's "scan" label is for scanning; here the shopper long-presses.
    expect(part(el, 'label')?.textContent).to.equal(en.longPressGeneric);
    await expect(el).to.be.accessible();
  });

  it('shows long-press-label where it says long-press, and label where the code is scanned', async () => {
    const el = await inApp('wechat', () =>
      fixture<CashdeskQr>(
        html`<cashdesk-qr
          lang="en"
          content=${CASHIER}
          label="Scan with WeChat Pay to pay"
          long-press-label="Press and hold the code to pay with WeChat Pay"
        ></cashdesk-qr>`,
      ),
    );
    expect(part(el, 'label')?.textContent).to.equal('Press and hold the code to pay with WeChat Pay');
    const outside = await fixture<CashdeskQr>(
      html`<cashdesk-qr lang="en" content=${CASHIER} label="Scan" long-press-label="Press and hold"></cashdesk-qr>`,
    );
    expect(part(outside, 'label')?.textContent).to.equal('Scan');
  });

  for (const locale of LOCALES) {
    it(`says long-press in ${locale}, and is accessible`, async () => {
      const el = await inApp('wechat', () =>
        fixture<CashdeskQr>(
          html`<cashdesk-qr lang=${locale} content=${CASHIER} expires-at=${inSeconds(90)}></cashdesk-qr>`,
        ),
      );
      const m = messagesFor(locale);
      expect(part(el, 'label')?.textContent).to.equal(m.longPressGeneric);
      expect(m.longPressGeneric).not.to.equal(m.scanGeneric);
      expect(qrImage(el).alt).to.equal(m.qrLabel);
      await expect(el).to.be.accessible();
    });
  }

  it('inside the Alipay app draws an image of an Alipay code, says long-press, and still offers the app link', async () => {
    const el = await inApp('alipay', () =>
      fixture<CashdeskQr>(html`<cashdesk-qr lang="zh-CN" content=${ALIPAY_QR}></cashdesk-qr>`),
    );
    expect(await decodeQrImage(qrImage(el))).to.equal(ALIPAY_QR);
    expect(part(el, 'label')?.textContent).to.equal('长按识别二维码支付');
    expect(part<HTMLAnchorElement>(el, 'open')?.getAttribute('href')).to.equal(ALIPAY_QR);
  });

  it('keeps the scanning words for a WeChat Pay Native code inside WeChat: WeChat Pay refuses a long-press payment', async () => {
    const el = await inApp('wechat', () =>
      fixture<CashdeskQr>(
        html`<cashdesk-qr lang="en" content=${WEIXIN} label="Scan with WeChat Pay to pay"></cashdesk-qr>`,
      ),
    );
    expect(await decodeQrImage(qrImage(el))).to.equal(WEIXIN);
    expect(part(el, 'label')?.textContent).to.equal('Scan with WeChat Pay to pay');
  });

  it('keeps the scanning words for a page WeChat blocks', async () => {
    const el = await inApp('wechat', () =>
      fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${ALIPAY_QR}></cashdesk-qr>`),
    );
    expect(await decodeQrImage(qrImage(el))).to.equal(ALIPAY_QR);
    expect(part(el, 'label')?.textContent).to.equal(en.scanGeneric);
  });

  it("in a WeChat mini-program's web-view draws an image but does not say long-press: it recognises only WeChat's own codes", async () => {
    const el = await inApp('wechat-miniprogram', () =>
      fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${CASHIER}></cashdesk-qr>`),
    );
    expect(await decodeQrImage(qrImage(el))).to.equal(CASHIER);
    expect(part(el, 'label')?.textContent).to.equal(en.scanGeneric);
  });

  it('outside those apps stays inline SVG with the scanning words, as before', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${CASHIER}></cashdesk-qr>`);
    expect(qrSvg(el).localName).to.equal('svg');
    expect(el.shadowRoot?.querySelector('img')).to.equal(null);
    expect(await decodeQrSvg(qrSvg(el))).to.equal(CASHIER);
    expect(part(el, 'label')?.textContent).to.equal(en.scanGeneric);
  });

  it('long-press forces either drawing, and switching redraws the same code', async () => {
    const el = await fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${CASHIER} long-press></cashdesk-qr>`);
    expect(await decodeQrImage(qrImage(el))).to.equal(CASHIER);
    expect(part(el, 'label')?.textContent).to.equal(en.longPressGeneric);
    el.longPress = false;
    await el.updateComplete;
    expect(await decodeQrSvg(qrSvg(el))).to.equal(CASHIER);
    expect(part(el, 'label')?.textContent).to.equal(en.scanGeneric);
    const inside = await inApp('wechat', () =>
      fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${CASHIER} .longPress=${false}></cashdesk-qr>`),
    );
    expect(qrSvg(inside).localName).to.equal('svg');
  });

  it('hides the image at expiry and stays accessible', async () => {
    const el = await inApp('wechat', () =>
      fixture<CashdeskQr>(html`<cashdesk-qr lang="en" content=${CASHIER} expires-at=${inSeconds(-1)}></cashdesk-qr>`),
    );
    expect(part(el, 'qr')).to.equal(null);
    expect(part(el, 'refresh')).not.to.equal(null);
    await expect(el).to.be.accessible();
  });
});

describe('countdown announcements', () => {
  it('falls on each whole minute, then 30 and 10 seconds', () => {
    expect(passedMilestone(121, 120)).to.equal(true);
    expect(passedMilestone(61, 60)).to.equal(true);
    expect(passedMilestone(31, 30)).to.equal(true);
    expect(passedMilestone(11, 10)).to.equal(true);
  });

  it('stays quiet on the seconds between', () => {
    for (const [before, now] of [
      [120, 119],
      [60, 59],
      [45, 44],
      [30, 29],
      [10, 9],
      [1, 0],
    ] as const) {
      expect(passedMilestone(before, now), `${before} → ${now}`).to.equal(false);
    }
  });

  it('catches a milestone a throttled tab skipped over, and says nothing on the first measure', () => {
    expect(passedMilestone(125, 58)).to.equal(true);
    expect(passedMilestone(35, 25)).to.equal(true);
    expect(passedMilestone(undefined, 60)).to.equal(false);
  });
});
