import { expect } from '@open-wc/testing';
import { alipayplus } from '../../../src/gateways/alipayplus.js';
import { registerGateway, toAction } from '../../../src/gateways/registry.js';
import {
  accepted,
  F_CODES,
  orderCode,
  PAYMENT_ID,
  redirectActionForm,
  redirection,
  result,
  SEED_REDIRECTION_URL,
  SEED_RESPONSE_TEXT,
  U_CODES,
  V2_CASHIER_URL,
} from './fixtures/alipayplus.js';
import { expectRefused } from './helpers.js';

registerGateway('alipayplus', alipayplus);

const run = (response: unknown, options = {}) => toAction('alipayplus', response, options);
const gateway = 'alipayplus';

describe('alipayplus adapter', () => {
  describe('S', () => {
    it('S SUCCESS -> success', () => {
      const response = {
        result: result('S', 'SUCCESS', 'success'),
        paymentId: PAYMENT_ID,
        paymentTime: '2019-11-27T12:01:01+08:30',
      };
      expect(run(response)).to.deep.equal({ kind: 'success', gateway, reference: PAYMENT_ID });
    });

    it('S SUCCESS with an actionForm -> success, the actionForm is ignored', () => {
      const response = {
        result: result('S', 'SUCCESS', 'success'),
        paymentId: PAYMENT_ID,
        actionForm: { actionFormType: 'REDIRECTION', redirectionUrl: 'javascript:alert(1)' },
      };
      expect(run(response)).to.deep.equal({ kind: 'success', gateway, reference: PAYMENT_ID });
    });

    it('S SUCCESS with null paymentId and actionForm (re-serialised body) -> success without reference', () => {
      const response = { result: result('S', 'SUCCESS'), paymentId: null, actionForm: null };
      expect(run(response)).to.deep.equal({ kind: 'success', gateway });
    });
  });

  describe('A + REDIRECTION', () => {
    it('seed sample (http: cashier) -> redirect when allowInsecure', () => {
      expect(run(JSON.parse(SEED_RESPONSE_TEXT), { allowInsecure: true })).to.deep.equal({
        kind: 'redirect',
        url: SEED_REDIRECTION_URL,
        gateway,
        reference: 'string',
      });
    });

    it('seed sample as raw body text -> redirect when allowInsecure', () => {
      expect(run(SEED_RESPONSE_TEXT, { allowInsecure: true })).to.deep.equal({
        kind: 'redirect',
        url: SEED_REDIRECTION_URL,
        gateway,
        reference: 'string',
      });
    });

    it('seed sample (http: cashier) -> unsafe_url_scheme when allowInsecure is false', () => {
      expectRefused(() => run(SEED_RESPONSE_TEXT, { allowInsecure: false }), 'unsafe_url_scheme');
    });

    it('https cashier -> redirect', () => {
      const url = 'https://cashier.wallet.example/pay?orderId=2019112719074101&lang=es';
      expect(run(redirection(url), { allowInsecure: false })).to.deep.equal({
        kind: 'redirect',
        url,
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('redirectionUrl missing -> missing_field', () => {
      const error = expectRefused(() => run(accepted({ actionFormType: 'REDIRECTION' })), 'missing_field');
      expect(error).to.have.property('field', 'actionForm.redirectionUrl');
    });

    it('JavaScript: redirectionUrl (mixed case) -> unsafe_url_scheme', () => {
      expectRefused(() => run(redirection('JavaScript:alert(document.cookie)')), 'unsafe_url_scheme');
    });

    it('javascript: hidden behind whitespace and a tab -> unsafe_url_scheme', () => {
      expectRefused(() => run(redirection(' \n java\tscript:alert(1)')), 'unsafe_url_scheme');
    });

    it('scheme-relative //evil.example redirectionUrl -> relative_url', () => {
      expectRefused(() => run(redirection('//evil.example/cashier?orderId=1')), 'relative_url');
    });

    it('data: redirectionUrl -> unsafe_url_scheme', () => {
      expectRefused(() => run(redirection('data:text/html,<script>alert(1)</script>')), 'unsafe_url_scheme');
    });
  });

  describe('A + ORDER_CODE', () => {
    it('A ORDER_CODE -> qr of orderCode', () => {
      const code = '281666040092398830';
      expect(run(orderCode(code))).to.deep.equal({ kind: 'qr', content: code, gateway, reference: PAYMENT_ID });
    });

    it('orderCode of exactly 2048 bytes -> qr', () => {
      const code = `https://wallet.example/oc/${'A'.repeat(2048 - 26)}`;
      expect(code.length).to.equal(2048);
      expect(run(orderCode(code))).to.deep.equal({ kind: 'qr', content: code, gateway, reference: PAYMENT_ID });
    });

    it('orderCode over 2048 bytes -> too_large', () => {
      expectRefused(() => run(orderCode('9'.repeat(2049))), 'too_large');
    });

    it('orderCode with a control character -> invalid_field', () => {
      expectRefused(() => run(orderCode('2816660400\n92398830')), 'invalid_field');
    });

    it('orderCode missing -> missing_field', () => {
      const error = expectRefused(() => run(accepted({ actionFormType: 'ORDER_CODE' })), 'missing_field');
      expect(error).to.have.property('field', 'actionForm.orderCode');
    });
  });

  describe('A traps', () => {
    it('A without actionForm -> missing_action', () => {
      expectRefused(() => run({ result: result('A', 'ACCEPT', 'accept'), paymentId: PAYMENT_ID }), 'missing_action');
    });

    it('A with an unknown actionFormType -> unknown_action_form', () => {
      const response = accepted({ actionFormType: 'MINI_PROGRAM', redirectionUrl: 'https://wallet.example/' });
      expectRefused(() => run(response), 'unknown_action_form');
    });

    it('A with actionFormType in lower case -> unknown_action_form', () => {
      expectRefused(
        () => run(accepted({ actionFormType: 'redirection', redirectionUrl: 'https://wallet.example/' })),
        'unknown_action_form',
      );
    });
  });

  describe('A + v2 redirectActionForm (seen in the wild)', () => {
    it('real answer: v2 redirectActionForm without method is a redirect to redirectUrl', () => {
      expect(run(redirectActionForm({ redirectUrl: V2_CASHIER_URL }))).to.deep.equal({
        kind: 'redirect',
        url: V2_CASHIER_URL,
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('real answer: v2 redirectActionForm GET with parameters is a redirect with them merged into the query', () => {
      const response = redirectActionForm({
        redirectUrl: V2_CASHIER_URL,
        method: 'GET',
        parameters: { sessionId: 'Gx7+/q=', returnTo: 'https://shop.example/back?o=1&x=2' },
      });
      expect(run(response)).to.deep.equal({
        kind: 'redirect',
        url: `${V2_CASHIER_URL}&sessionId=Gx7%2B%2Fq%3D&returnTo=https%3A%2F%2Fshop.example%2Fback%3Fo%3D1%26x%3D2`,
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('real answer: v2 redirectActionForm GET with null method and parameters (re-serialised) is a plain redirect', () => {
      const response = redirectActionForm({ redirectUrl: V2_CASHIER_URL, method: null, parameters: null });
      expect(run(response)).to.deep.equal({ kind: 'redirect', url: V2_CASHIER_URL, gateway, reference: PAYMENT_ID });
    });

    it('real answer: v2 redirectActionForm POST with parameters as an object of strings is a form carrying them', () => {
      const parameters = { orderStr: 'a=1&b=2', sign: 'kq3+9Q/Z==' };
      const response = redirectActionForm({ redirectUrl: V2_CASHIER_URL, method: 'POST', parameters });
      expect(run(response)).to.deep.equal({
        kind: 'form',
        action: V2_CASHIER_URL,
        method: 'POST',
        fields: parameters,
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('real answer: v2 redirectActionForm POST with URL-encoded parameters is a form carrying them decoded', () => {
      const response = redirectActionForm({
        redirectUrl: V2_CASHIER_URL,
        method: 'POST',
        parameters: 'orderStr=a%3D1%26b%3D2&sign=kq3%2B9Q%2FZ%3D%3D&note=two+words',
      });
      expect(run(response)).to.deep.equal({
        kind: 'form',
        action: V2_CASHIER_URL,
        method: 'POST',
        fields: { orderStr: 'a=1&b=2', sign: 'kq3+9Q/Z==', note: 'two words' },
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('real answer: v2 redirectActionForm POST with parameters as a JSON string is a form carrying them', () => {
      const response = redirectActionForm({
        redirectUrl: V2_CASHIER_URL,
        method: 'POST',
        parameters: '{"orderStr":"a=1&b=2","sign":"kq3+9Q/Z=="}',
      });
      expect(run(response)).to.deep.include({
        kind: 'form',
        method: 'POST',
        fields: { orderStr: 'a=1&b=2', sign: 'kq3+9Q/Z==' },
      });
    });

    it('real answer: v2 redirectActionForm POST without parameters is a form with no fields', () => {
      expect(run(redirectActionForm({ redirectUrl: V2_CASHIER_URL, method: 'POST' }))).to.deep.equal({
        kind: 'form',
        action: V2_CASHIER_URL,
        method: 'POST',
        fields: {},
        gateway,
        reference: PAYMENT_ID,
      });
    });

    it('v2 redirectActionForm with a javascript:, data: or scheme-relative redirectUrl -> refused like v1', () => {
      expectRefused(() => run(redirectActionForm({ redirectUrl: 'JavaScript:alert(1)' })), 'unsafe_url_scheme');
      expectRefused(
        () => run(redirectActionForm({ redirectUrl: 'data:text/html,<form>', method: 'POST', parameters: {} })),
        'unsafe_url_scheme',
      );
      expectRefused(() => run(redirectActionForm({ redirectUrl: '//evil.example/cashier' })), 'relative_url');
    });

    it('v2 redirectActionForm with an http: redirectUrl -> unsafe_url_scheme unless allowInsecure', () => {
      const response = redirectActionForm({ redirectUrl: 'http://cashier.wallet.example/pay?orderId=1' });
      expectRefused(() => run(response, { allowInsecure: false }), 'unsafe_url_scheme');
      expect(run(response, { allowInsecure: true })).to.deep.include({
        kind: 'redirect',
        url: 'http://cashier.wallet.example/pay?orderId=1',
      });
    });

    it('v2 redirectActionForm without redirectUrl -> missing_field', () => {
      const error = expectRefused(() => run(redirectActionForm({ method: 'GET' })), 'missing_field');
      expect(error).to.have.property('field', 'redirectActionForm.redirectUrl');
    });

    it('v2 redirectActionForm with a method other than GET or POST -> invalid_field', () => {
      for (const method of ['PUT', 'post', 'SCAN']) {
        const error = expectRefused(
          () => run(redirectActionForm({ redirectUrl: V2_CASHIER_URL, method })),
          'invalid_field',
        );
        expect(error).to.have.property('field', 'redirectActionForm.method');
      }
    });

    it('v2 redirectActionForm parameters that are not flat strings -> invalid_field', () => {
      for (const parameters of [{ amount: 100 }, { nested: { a: 'b' } }, ['a'], 42, '{"amount":100}']) {
        expectRefused(
          () => run(redirectActionForm({ redirectUrl: V2_CASHIER_URL, method: 'POST', parameters })),
          'invalid_field',
        );
      }
    });

    it('v2 redirectActionForm URL-encoded parameters with a repeated name -> invalid_field', () => {
      const response = redirectActionForm({ redirectUrl: V2_CASHIER_URL, method: 'POST', parameters: 'a=1&a=2' });
      expectRefused(() => run(response), 'invalid_field');
    });

    it('S SUCCESS with a stale redirectActionForm -> success, not followed', () => {
      const response = {
        result: result('S', 'SUCCESS', 'success'),
        paymentId: PAYMENT_ID,
        redirectActionForm: { redirectUrl: 'javascript:alert(1)' },
      };
      expect(run(response)).to.deep.equal({ kind: 'success', gateway, reference: PAYMENT_ID });
    });
  });

  describe('U', () => {
    for (const code of U_CODES) {
      it(`U ${code} -> pending`, () => {
        const response = { result: result('U', code, 'unknown'), paymentId: PAYMENT_ID };
        expect(run(response)).to.deep.equal({ kind: 'pending', gateway, reference: PAYMENT_ID });
      });
    }
  });

  describe('F', () => {
    for (const [code, message] of F_CODES) {
      it(`F ${code} -> failed(${code}, resultMessage)`, () => {
        const response = { result: result('F', code, message), paymentId: PAYMENT_ID };
        expect(run(response)).to.deep.equal({ kind: 'failed', code, message, gateway, reference: PAYMENT_ID });
      });
    }

    it('F without resultMessage or paymentId -> failed(resultCode) without message', () => {
      expect(run({ result: result('F', 'RISK_REJECT') })).to.deep.equal({
        kind: 'failed',
        code: 'RISK_REJECT',
        gateway,
      });
    });
  });

  describe('envelope traps', () => {
    it('unknown resultStatus -> unknown_status', () => {
      expectRefused(() => run({ result: result('P', 'PROCESSING'), paymentId: PAYMENT_ID }), 'unknown_status');
    });

    it('lower-case resultStatus "s" -> unknown_status', () => {
      expectRefused(() => run({ result: result('s', 'SUCCESS'), paymentId: PAYMENT_ID }), 'unknown_status');
    });

    it('result missing -> missing_field', () => {
      const error = expectRefused(() => run({ paymentId: PAYMENT_ID }), 'missing_field');
      expect(error).to.have.property('field', 'result');
    });

    it('result.resultStatus missing -> missing_field', () => {
      const error = expectRefused(() => run({ result: { resultCode: 'SUCCESS' } }), 'missing_field');
      expect(error).to.have.property('field', 'result.resultStatus');
    });

    it('paymentId placeholder "string" -> carried as reference', () => {
      const response = { result: result('U', 'PAYMENT_IN_PROCESS'), paymentId: 'string' };
      expect(run(response)).to.deep.equal({ kind: 'pending', gateway, reference: 'string' });
    });

    it('invalid JSON text -> invalid_json', () => {
      expectRefused(() => run('{"result":{"resultStatus":"S",'), 'invalid_json');
    });

    it('an HTML error page -> invalid_json', () => {
      expectRefused(() => run('<html><body>502 Bad Gateway</body></html>'), 'invalid_json');
    });
  });
});
