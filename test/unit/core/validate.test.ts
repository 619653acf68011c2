import { expect } from '@open-wc/testing';
import { checkQrContent } from '../../../src/core/validate.js';
import { expectRefused } from '../gateways/helpers.js';

describe('checkQrContent', () => {
  it('accepts a WeChat Native code_url, an Alipay F2F code and a numeric payment code unchanged', () => {
    for (const content of [
      'weixin://wxpay/bizpayurl?pr=abc',
      'https://qr.alipay.com/bax08861ymbbwjhfyrpd0053',
      '2881234567890123',
    ]) {
      expect(checkQrContent(content)).to.equal(content);
    }
  });

  it('accepts plain tokens that only contain a slash or dots later on', () => {
    for (const content of ['ORDER/2024/0001', '.5 CNY', 'a./b', 'pay..now']) {
      expect(checkQrContent(content)).to.equal(content);
    }
  });

  it('refuses a root-relative path (/api/pay/toapp/…) with relative_url: a scanning phone cannot resolve it', () => {
    expectRefused(() => checkQrContent('/api/pay/toapp/2024052013141512345'), 'relative_url');
  });

  it('refuses ./ and ../ references and a scheme-relative //host with relative_url', () => {
    for (const content of ['./qrcode.php?trade_no=1', '../pay/qrcode/1/', '//pay.example.com/qr/1']) {
      expectRefused(() => checkQrContent(content), 'relative_url');
    }
  });
});
