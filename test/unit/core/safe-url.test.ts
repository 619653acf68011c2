import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import { checkDeeplink, checkWebUrl, withQueryFields } from '../../../src/core/safe-url.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('safe-url', () => {
  it('accepts an absolute https URL unchanged', () => {
    const url = 'https://qr.alipay.com/bax01234?x=1&y=%20';
    expect(checkWebUrl(url)).to.equal(url);
  });

  it('refuses javascript: hidden behind whitespace, tabs and newlines', () => {
    expect(codeOf(() => checkWebUrl(' \n java\tscript:alert(1)'))).to.equal('unsafe_url_scheme');
    expect(codeOf(() => checkWebUrl('JavaScript:alert(1)'))).to.equal('unsafe_url_scheme');
  });

  it('refuses data:, vbscript: and file: targets', () => {
    for (const url of ['data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd']) {
      expect(
        codeOf(() => checkWebUrl(url)),
        url,
      ).to.equal('unsafe_url_scheme');
    }
  });

  it('refuses relative and scheme-relative URLs', () => {
    expect(codeOf(() => checkWebUrl('pay/wxpay/202010903/'))).to.equal('relative_url');
    expect(codeOf(() => checkWebUrl('./cashier.php?trade_no=1'))).to.equal('relative_url');
    expect(codeOf(() => checkWebUrl('//evil.example/pay'))).to.equal('relative_url');
  });

  it('refuses a control character that the parser would not strip', () => {
    expect(codeOf(() => checkWebUrl('https://a.example/\u0000x'))).to.equal('invalid_url');
  });

  it('refuses URLs longer than 8 KiB', () => {
    expect(codeOf(() => checkWebUrl(`https://a.example/${'a'.repeat(8200)}`))).to.equal('too_large');
  });

  it('accepts http: only when allowed', () => {
    expect(codeOf(() => checkWebUrl('http://pay.example/', { allowInsecure: false }))).to.equal('unsafe_url_scheme');
    expect(checkWebUrl('http://pay.example/', { allowInsecure: true })).to.equal('http://pay.example/');
  });

  it('keeps host allow-lists exact: look-alike hosts are refused', () => {
    const rule = { hosts: ['openapi.alipay.com'] };
    expect(checkWebUrl('https://openapi.alipay.com/gateway.do', rule)).to.equal(
      'https://openapi.alipay.com/gateway.do',
    );
    expect(codeOf(() => checkWebUrl('https://openapi.alipay.com.evil.example/gateway.do', rule))).to.equal(
      'host_not_allowed',
    );
    expect(checkWebUrl('https://sandbox.test/x', { ...rule, allowedHosts: ['sandbox.test'] })).to.equal(
      'https://sandbox.test/x',
    );
  });

  it("accepts the wallet apps' deep links (WeChat, Alipay) and nothing else", () => {
    for (const link of [
      'weixin://dl/business/?t=abc',
      'alipays://platformapi/startapp?saId=10000007&qrcode=https%3A%2F%2Fqr.alipay.com%2Fbax01234',
      'alipay://platformapi/startapp?appId=20000067',
      'alipayqr://platformapi/startapp?saId=10000007',
    ]) {
      expect(checkDeeplink(link)).to.equal(link);
    }
    for (const link of [
      'javascript:alert(1)',
      'https://evil.example/',
      'intent://scan#Intent;scheme=weixin;end',
      'tel:10086',
    ]) {
      expect(
        codeOf(() => checkDeeplink(link)),
        link,
      ).to.equal('unsafe_url_scheme');
    }
  });

  it('refuses a user name or password in the URL', () => {
    expect(codeOf(() => checkWebUrl('https://openapi.alipay.com@evil.example/gateway.do'))).to.equal('invalid_url');
    expect(codeOf(() => checkWebUrl('https://user:pw@pay.example/'))).to.equal('invalid_url');
  });
});

describe('withQueryFields (a GET form, the gateway query kept)', () => {
  it("keeps the action's pairs byte for byte, replaces a same-name pair, appends the rest form-encoded", () => {
    const action = 'https://mapi.alipay.com/gateway.do?_input_charset=utf-8&sign=A%2fb%2B#top';
    expect(withQueryFields(action, { _input_charset: 'gbk', subject: 'a b&c' })).to.equal(
      'https://mapi.alipay.com/gateway.do?sign=A%2fb%2B&_input_charset=gbk&subject=a+b%26c#top',
    );
  });

  it('adds a query where there was none, and leaves the URL alone without fields', () => {
    expect(withQueryFields('https://pay.example/c', { a: '1' })).to.equal('https://pay.example/c?a=1');
    expect(withQueryFields('https://pay.example/c?', { a: '1' })).to.equal('https://pay.example/c?a=1');
    expect(withQueryFields('https://pay.example/c?x=1&', {})).to.equal('https://pay.example/c?x=1&');
  });
});
