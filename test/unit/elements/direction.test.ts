// Right to left: in Arabic the checkout is laid out from the right, the QR stays as drawn, and the
// focus moves in reading order. The direction comes from the locale, or from a nearer `dir`.
import { expect, fixture, html } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import type { CashdeskCheckout } from '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import '../../../src/elements/cashdesk-checkout/cashdesk-checkout.js';
import type { CashdeskQr } from '../../../src/elements/cashdesk-qr/cashdesk-qr.js';
import '../../../src/elements/cashdesk-qr/cashdesk-qr.js';
import { registerBuiltinGateways } from '../../../src/gateways/builtin.js';
import { ensureLocale } from '../../../src/i18n/localize.js';
import { until } from '../helpers/fake-backend.js';

registerBuiltinGateways();

const base = (el: Element) => el.shadowRoot?.querySelector<HTMLElement>('[part~="base"]');
const direction = (el: Element) => {
  const root = base(el);
  return root ? getComputedStyle(root).direction : undefined;
};

function checkout(lang?: string) {
  return html`<cashdesk-checkout
    endpoint="/api/pay"
    order-id="A-1001"
    amount="9900"
    currency="CNY"
    methods="alipay wxpay unionpay"
    lang=${ifDefined(lang)}
  ></cashdesk-checkout>`;
}

describe('writing direction', () => {
  before(() => ensureLocale('ar'));
  afterEach(() => document.documentElement.removeAttribute('dir'));

  /** Where a method's radio sits against its name: `right` of it, or `left`. */
  const radioSide = (el: CashdeskCheckout) =>
    [...(el.shadowRoot?.querySelectorAll<HTMLElement>('label.method') ?? [])].map((label) => {
      const radio = label.querySelector('input')?.getBoundingClientRect();
      const name = [...label.children].find((child) => child.tagName !== 'INPUT')?.getBoundingClientRect();
      return (radio?.left ?? 0) >= (name?.right ?? 0) - 1 ? 'right' : 'left';
    });

  it('in Arabic, lays the checkout out from the right: each radio right of its name, the amount’s label at the right', async () => {
    const el = await fixture<CashdeskCheckout>(checkout('ar'));
    expect(base(el)?.getAttribute('dir')).to.equal('rtl');
    expect(direction(el)).to.equal('rtl');
    expect(radioSide(el)).to.deep.equal(['right', 'right', 'right']);
    const row = el.shadowRoot?.querySelector<HTMLElement>('.amount')?.getBoundingClientRect();
    const label = el.shadowRoot?.querySelector<HTMLElement>('.amount-label')?.getBoundingClientRect();
    expect(Math.abs((row?.right ?? 0) - (label?.right ?? 0))).to.be.below(2);
    // In English, the mirror image.
    const english = await fixture<CashdeskCheckout>(checkout('en'));
    expect(radioSide(english)).to.deep.equal(['left', 'left', 'left']);
  });

  it('in Arabic, the amount keeps its currency sign whole: CN¥, not ¥CN', async () => {
    const el = await fixture<CashdeskCheckout>(checkout('ar'));
    const amount = el.shadowRoot?.querySelector<HTMLElement>('[part~="amount"]');
    const text =
      amount &&
      document
        .createTreeWalker(amount, NodeFilter.SHOW_TEXT, (node) =>
          node.textContent?.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP,
        )
        .nextNode();
    expect(text).to.not.equal(null);
    const sign =
      new Intl.NumberFormat('ar', { style: 'currency', currency: 'CNY' })
        .formatToParts(99)
        .find((part) => part.type === 'currency')?.value ?? '';
    // The sign Intl writes for the yuan in Arabic mixes Latin letters and a symbol, which the
    // bidirectional algorithm splits unless it is isolated.
    expect(sign).to.match(/[A-Z].*[^A-Z]|[^A-Z].*[A-Z]/);
    const content = text?.textContent ?? '';
    const at = (index: number) => {
      const range = document.createRange();
      range.setStart(text as Node, index);
      range.setEnd(text as Node, index + 1);
      return range.getBoundingClientRect().left;
    };
    const start = content.indexOf(sign);
    expect(start).to.be.at.least(0);
    const lefts = [...sign].map((_, i) => at(start + i));
    // Latin letters and their symbol read left to right, in the order Intl wrote them.
    expect(lefts).to.deep.equal([...lefts].sort((a, b) => a - b));
  });

  it('in English laid out right to left by the page, the amount is left as Intl wrote it', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div dir="rtl">${checkout()}</div>`);
    const el = wrapper.querySelector('cashdesk-checkout') as CashdeskCheckout;
    expect(direction(el)).to.equal('rtl');
    const amount = el.shadowRoot?.querySelector('[part~="amount"]')?.textContent?.trim();
    expect(amount).to.equal(new Intl.NumberFormat('en', { style: 'currency', currency: 'CNY' }).format(99));
  });

  it('in English, is left to right even inside a right-to-left page', async () => {
    document.documentElement.setAttribute('dir', 'rtl');
    const el = await fixture<CashdeskCheckout>(checkout('en'));
    expect(base(el)?.getAttribute('dir')).to.equal('ltr');
    expect(direction(el)).to.equal('ltr');
  });

  it('without a lang of its own, follows the nearest dir, and changes when an ancestor’s does', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div dir="rtl">${checkout()}</div>`);
    const el = wrapper.querySelector('cashdesk-checkout') as CashdeskCheckout;
    expect(direction(el)).to.equal('rtl');
    wrapper.removeAttribute('dir');
    await until(() => base(el)?.getAttribute('dir') === 'ltr');
    document.documentElement.setAttribute('dir', 'rtl');
    await until(() => base(el)?.getAttribute('dir') === 'rtl');
    document.documentElement.setAttribute('dir', 'ltr');
    await until(() => base(el)?.getAttribute('dir') === 'ltr');
    expect(direction(el)).to.equal('ltr');
  });

  it('a lang of its own wins over an ancestor’s dir: lang="ar" inside dir="ltr" is right to left', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div dir="ltr" lang="en">${checkout('ar')}</div>`);
    const el = wrapper.querySelector('cashdesk-checkout') as CashdeskCheckout;
    expect(direction(el)).to.equal('rtl');
    el.setAttribute('lang', 'fr');
    await until(() => base(el)?.getAttribute('dir') === 'ltr');
    expect(base(el)?.getAttribute('lang')).to.equal('fr');
  });

  it('the QR is drawn the same in Arabic as in English, never mirrored', async () => {
    const draw = async (lang: string) => {
      const qr = await fixture<CashdeskQr>(
        html`<cashdesk-qr lang=${lang} .content=${'weixin://wxpay/bizpayurl?pr=04IPMKM'} .mobile=${false}></cashdesk-qr>`,
      );
      await until(() => Boolean(qr.shadowRoot?.querySelector('svg[part~="qr"] path')));
      const svg = qr.shadowRoot?.querySelector('svg[part~="qr"]') as SVGSVGElement;
      const modules = [...svg.querySelectorAll('path')].map((path) => path.getAttribute('d'));
      return { qr, svg, modules, viewBox: svg.getAttribute('viewBox') };
    };
    const english = await draw('en');
    const arabic = await draw('ar');
    expect(direction(arabic.qr)).to.equal('rtl');
    expect(arabic.modules).to.deep.equal(english.modules);
    expect(arabic.viewBox).to.equal(english.viewBox);
    expect(getComputedStyle(arabic.svg).transform).to.equal('none');
  });
});
