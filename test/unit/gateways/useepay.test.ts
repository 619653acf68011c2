import { expect } from '@open-wc/testing';
import { registerGateway, toAction } from '../../../src/gateways/registry.js';
import { useepay } from '../../../src/gateways/useepay.js';
import {
  ALIPAY_HK_URL,
  CASHIER_TEXT,
  CASHIER_URL,
  challenge,
  GIROGATE_URL,
  REFERENCE,
  SEED_KLARNA_TEXT,
  SEED_WEB_TEXT,
  useepayResponse,
} from './fixtures/useepay.js';
import { expectRefused } from './helpers.js';

registerGateway('useepay', useepay);

const run = (response: unknown, options = {}) => toAction('useepay', response, options);
const gateway = 'useepay';
const meta = { gateway, reference: REFERENCE };

// 3DS-style fields: `+`, `/`, `=` and a space must survive byte for byte in a form and be
// percent-encoded exactly once in a query.
const PARAMS = { PaReq: 'eJxVUt1ugjAU+5/=', MD: 'sess 42', TermUrl: 'https://merchant.example/3ds?x=1&y=2' };
const PARAMS_TEXT = JSON.stringify(PARAMS);

describe('useepay adapter', () => {
  describe('pending', () => {
    it('pending + codeUrl (seed WEB sample) -> qr', () => {
      expect(run(JSON.parse(SEED_WEB_TEXT))).to.deep.equal({
        kind: 'qr',
        content: 'weixin://wxpay/bizpayurl?pr=qCJcd2azz',
        gateway,
        reference: '1012201181439650764',
      });
    });

    it('pending + codeUrl, seed WEB sample as raw body text -> qr', () => {
      expect(run(SEED_WEB_TEXT)).to.deep.equal({
        kind: 'qr',
        content: 'weixin://wxpay/bizpayurl?pr=qCJcd2azz',
        gateway,
        reference: '1012201181439650764',
      });
    });

    it('pending + redirectUrl without redirectMethod -> redirect (GET by default)', () => {
      expect(run(useepayResponse({ redirectUrl: ALIPAY_HK_URL }))).to.deep.equal({
        kind: 'redirect',
        url: ALIPAY_HK_URL,
        ...meta,
      });
    });

    it('pending + redirectUrl with redirectMethod GET -> redirect', () => {
      expect(
        run(useepayResponse({ redirectUrl: ALIPAY_HK_URL, redirectMethod: 'GET', redirectParam: '' })),
      ).to.deep.equal({ kind: 'redirect', url: ALIPAY_HK_URL, ...meta });
    });

    it('pending + redirectUrl with redirectMethod POST -> form with the redirectParam fields', () => {
      const response = useepayResponse({
        redirectUrl: ALIPAY_HK_URL,
        redirectMethod: 'POST',
        redirectParam: PARAMS_TEXT,
      });
      expect(run(response)).to.deep.equal({
        kind: 'form',
        action: ALIPAY_HK_URL,
        method: 'POST',
        fields: PARAMS,
        ...meta,
      });
    });

    it('pending with both codeUrl and redirectUrl -> redirect (decision: redirect wins)', () => {
      const response = useepayResponse({
        codeUrl: 'https://qr.alipay.com/bax08861ovpnx3tq',
        redirectUrl: ALIPAY_HK_URL,
      });
      expect(run(response)).to.deep.equal({ kind: 'redirect', url: ALIPAY_HK_URL, ...meta });
    });

    it('pending with codeUrl and an empty redirectUrl -> qr (empty string means absent)', () => {
      const response = useepayResponse({ codeUrl: 'https://qr.alipay.com/bax08861ovpnx3tq', redirectUrl: '' });
      expect(run(response)).to.deep.equal({ kind: 'qr', content: 'https://qr.alipay.com/bax08861ovpnx3tq', ...meta });
    });

    it('pending with neither codeUrl nor redirectUrl -> pending', () => {
      expect(run(useepayResponse({}))).to.deep.equal({ kind: 'pending', ...meta });
    });

    it('pending with codeUrl over 2048 bytes -> too_large', () => {
      expectRefused(
        () => run(useepayResponse({ codeUrl: `weixin://wxpay/bizpayurl?pr=${'q'.repeat(2048)}` })),
        'too_large',
      );
    });

    it('pending + data: redirectUrl -> unsafe_url_scheme', () => {
      expectRefused(
        () => run(useepayResponse({ redirectUrl: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==' })),
        'unsafe_url_scheme',
      );
    });

    it('pending + javascript: redirectUrl -> unsafe_url_scheme', () => {
      expectRefused(() => run(useepayResponse({ redirectUrl: 'JavaScript:alert(1)' })), 'unsafe_url_scheme');
    });

    it('pending + http: redirectUrl -> unsafe_url_scheme unless allowInsecure', () => {
      const response = useepayResponse({ redirectUrl: 'http://pay-gateway1.uat.useepay.com/cashier?id=1' });
      expectRefused(() => run(response, { allowInsecure: false }), 'unsafe_url_scheme');
      expect(run(response, { allowInsecure: true })).to.deep.equal({
        kind: 'redirect',
        url: 'http://pay-gateway1.uat.useepay.com/cashier?id=1',
        ...meta,
      });
    });
  });

  describe('challenge', () => {
    it('challenge POST (seed klarna sample, redirectParam "{}") -> form with no fields, query kept in the action', () => {
      expect(run(JSON.parse(SEED_KLARNA_TEXT))).to.deep.equal({
        kind: 'form',
        action: GIROGATE_URL,
        method: 'POST',
        fields: {},
        ...meta,
      });
    });

    it('challenge POST, seed klarna sample as raw body text -> form', () => {
      expect(run(SEED_KLARNA_TEXT)).to.deep.equal({
        kind: 'form',
        action: GIROGATE_URL,
        method: 'POST',
        fields: {},
        ...meta,
      });
    });

    it('challenge POST with fields -> form carrying them byte for byte', () => {
      const acs = 'https://acs.issuer-bank.example/3ds/challenge?session=77';
      expect(run(challenge(acs, 'POST', PARAMS_TEXT))).to.deep.equal({
        kind: 'form',
        action: acs,
        method: 'POST',
        fields: PARAMS,
        ...meta,
      });
    });

    it('challenge GET -> redirect with redirectParam appended to the existing query', () => {
      expect(run(challenge(GIROGATE_URL, 'GET', PARAMS_TEXT))).to.deep.equal({
        kind: 'redirect',
        url: `${GIROGATE_URL}&PaReq=eJxVUt1ugjAU%2B5%2F%3D&MD=sess+42&TermUrl=https%3A%2F%2Fmerchant.example%2F3ds%3Fx%3D1%26y%3D2`,
        ...meta,
      });
    });

    it('challenge GET on a URL without a query, with a fragment -> params become the query, fragment kept', () => {
      expect(run(challenge('https://acs.issuer-bank.example/challenge#step1', 'GET', '{"MD":"m1"}'))).to.deep.equal({
        kind: 'redirect',
        url: 'https://acs.issuer-bank.example/challenge?MD=m1#step1',
        ...meta,
      });
    });

    it('challenge GET with redirectParam "{}" -> redirect to redirectUrl unchanged', () => {
      expect(run(challenge(GIROGATE_URL, 'GET', '{}'))).to.deep.equal({ kind: 'redirect', url: GIROGATE_URL, ...meta });
    });

    it('challenge without redirectMethod -> redirect (GET by default)', () => {
      expect(run(challenge(GIROGATE_URL, undefined, undefined))).to.deep.equal({
        kind: 'redirect',
        url: GIROGATE_URL,
        ...meta,
      });
    });

    it('redirectParam as a flat object (re-serialised by the backend) -> accepted', () => {
      expect(run(challenge(GIROGATE_URL, 'POST', { ...PARAMS }))).to.deep.equal({
        kind: 'form',
        action: GIROGATE_URL,
        method: 'POST',
        fields: PARAMS,
        ...meta,
      });
    });

    it('redirectParam not JSON -> invalid_json', () => {
      expectRefused(() => run(challenge(GIROGATE_URL, 'POST', 'PaReq=eJxVUt1ugjAU&MD=sess')), 'invalid_json');
    });

    it('redirectParam JSON with a numeric value -> invalid_field', () => {
      const error = expectRefused(
        () => run(challenge(GIROGATE_URL, 'POST', '{"PaReq":"x","amount":100}')),
        'invalid_field',
      );
      expect(error).to.have.property('field', 'redirectParam.amount');
    });

    it('redirectParam object with a nested value -> invalid_field', () => {
      expectRefused(
        () => run(challenge(GIROGATE_URL, 'POST', { PaReq: 'x', browser: { lang: 'de' } })),
        'invalid_field',
      );
    });

    it('redirectParam JSON array -> invalid_field', () => {
      expectRefused(() => run(challenge(GIROGATE_URL, 'POST', '["PaReq"]')), 'invalid_field');
    });

    it('redirectParam a number -> invalid_field', () => {
      expectRefused(() => run(challenge(GIROGATE_URL, 'POST', 42)), 'invalid_field');
    });

    it('redirectMethod PUT -> invalid_field', () => {
      const error = expectRefused(() => run(challenge(GIROGATE_URL, 'PUT', '{}')), 'invalid_field');
      expect(error).to.have.property('field', 'redirectMethod');
    });

    it('redirectMethod in lower case "post" -> invalid_field', () => {
      expectRefused(() => run(challenge(GIROGATE_URL, 'post', '{}')), 'invalid_field');
    });

    it('challenge without redirectUrl -> missing_field', () => {
      const error = expectRefused(() => run(challenge(undefined, 'POST', '{}')), 'missing_field');
      expect(error).to.have.property('field', 'redirectUrl');
    });

    it('challenge POST to a data: target -> unsafe_url_scheme', () => {
      expectRefused(() => run(challenge('data:text/html,<form>', 'POST', '{}')), 'unsafe_url_scheme');
    });

    it('challenge GET to a javascript: target hidden behind whitespace -> unsafe_url_scheme', () => {
      expectRefused(() => run(challenge(' \tjava\nscript:alert(1)//', 'GET', '{"MD":"1"}')), 'unsafe_url_scheme');
    });

    it('challenge to a scheme-relative //evil.example target -> relative_url', () => {
      expectRefused(() => run(challenge('//evil.example/acs', 'POST', '{}')), 'relative_url');
    });

    it('challenge to any https host (no allow-list for ACS pages) -> form', () => {
      const acs = 'https://secure5.arcot.example/acspage/cap?RID=35325&VAA=B';
      expect(run(challenge(acs, 'POST', '{}'), { allowedHosts: [] })).to.deep.equal({
        kind: 'form',
        action: acs,
        method: 'POST',
        fields: {},
        ...meta,
      });
    });
  });

  describe('final and other result codes', () => {
    it('received -> pending', () => {
      expect(run(useepayResponse({ resultCode: 'received', errorCode: '0000', token: 'tok_8f2c' }))).to.deep.equal({
        kind: 'pending',
        ...meta,
      });
    });

    it('real answer: the hosted /cashier answer (received + redirectUrl + token) is a redirect to the cashier', () => {
      expect(run(CASHIER_TEXT)).to.deep.equal({
        kind: 'redirect',
        url: CASHIER_URL,
        gateway,
        reference: '1012312011530011207',
      });
    });

    it('real answer: the hosted /cashier answer, already parsed by the backend -> the same redirect', () => {
      expect(run(JSON.parse(CASHIER_TEXT))).to.deep.equal({
        kind: 'redirect',
        url: CASHIER_URL,
        gateway,
        reference: '1012312011530011207',
      });
    });

    it('the /cashier answer with a javascript: redirectUrl -> unsafe_url_scheme', () => {
      const response = useepayResponse({ resultCode: 'received', redirectUrl: 'javascript:alert(1)', token: 't' });
      expectRefused(() => run(response), 'unsafe_url_scheme');
    });

    it('received with an empty or null redirectUrl -> pending, as without one', () => {
      for (const redirectUrl of ['', null]) {
        expect(run(useepayResponse({ resultCode: 'received', redirectUrl, token: 'tok_8f2c' }))).to.deep.equal({
          kind: 'pending',
          ...meta,
        });
      }
    });

    it('succeed -> success', () => {
      expect(run(useepayResponse({ resultCode: 'succeed', errorCode: '0000', errorMsg: 'Approved' }))).to.deep.equal({
        kind: 'success',
        ...meta,
      });
    });

    it('failed 1001 -> failed(1001, errorMsg)', () => {
      const response = useepayResponse({
        resultCode: 'failed',
        errorCode: '1001',
        errorMsg: 'Invalid parameter: userInfo.ip',
      });
      expect(run(response)).to.deep.equal({
        kind: 'failed',
        code: '1001',
        message: 'Invalid parameter: userInfo.ip',
        ...meta,
      });
    });

    it('failed 0053 -> failed(0053, errorMsg) with the leading zeros kept', () => {
      const response = useepayResponse({
        resultCode: 'failed',
        errorCode: '0053',
        errorMsg: 'Blocked by risk control',
      });
      expect(run(response)).to.deep.equal({
        kind: 'failed',
        code: '0053',
        message: 'Blocked by risk control',
        ...meta,
      });
    });

    it('failed without errorCode or errorMsg -> failed("failed") (decision)', () => {
      const response = useepayResponse({ resultCode: 'failed', errorCode: undefined, errorMsg: undefined });
      expect(run(response)).to.deep.equal({ kind: 'failed', code: 'failed', ...meta });
    });

    it('failed with a numeric errorCode -> invalid_field', () => {
      expectRefused(() => run(useepayResponse({ resultCode: 'failed', errorCode: 53 })), 'invalid_field');
    });

    it('closed -> failed("closed")', () => {
      const response = useepayResponse({ resultCode: 'closed', errorCode: undefined, errorMsg: undefined });
      expect(run(response)).to.deep.equal({ kind: 'failed', code: 'closed', ...meta });
    });

    it('closed with an errorMsg -> failed("closed") carrying errorMsg as message', () => {
      const response = useepayResponse({ resultCode: 'closed', errorCode: '0000', errorMsg: 'Order timed out' });
      expect(run(response)).to.deep.equal({ kind: 'failed', code: 'closed', message: 'Order timed out', ...meta });
    });

    it('cancelled -> failed("cancelled")', () => {
      const response = useepayResponse({ resultCode: 'cancelled', errorCode: undefined, errorMsg: undefined });
      expect(run(response)).to.deep.equal({ kind: 'failed', code: 'cancelled', ...meta });
    });

    it('gather -> unsupported_action', () => {
      expectRefused(() => run(useepayResponse({ resultCode: 'gather' })), 'unsupported_action');
    });

    it('unknown resultCode -> unknown_status', () => {
      expectRefused(() => run(useepayResponse({ resultCode: 'processing' })), 'unknown_status');
    });

    it('missing resultCode -> missing_field', () => {
      const error = expectRefused(() => run(useepayResponse({ resultCode: undefined })), 'missing_field');
      expect(error).to.have.property('field', 'resultCode');
    });
  });

  describe('envelope traps', () => {
    for (const amount of ['1.00', '-100', '1e3', '', ' 100', 100]) {
      it(`amount ${JSON.stringify(amount)} (not a digit string) -> invalid_amount`, () => {
        expectRefused(
          () => run(useepayResponse({ amount, codeUrl: 'https://qr.alipay.com/bax08861' })),
          'invalid_amount',
        );
      });
    }

    it('reference is the UseePay reference, not transactionId', () => {
      const response = useepayResponse({
        resultCode: 'succeed',
        reference: '1012201181439650764',
        transactionId: 'T-1',
      });
      expect(run(response)).to.deep.equal({ kind: 'success', gateway, reference: '1012201181439650764' });
    });

    it('no reference -> action without reference', () => {
      expect(run(useepayResponse({ resultCode: 'received', reference: undefined }))).to.deep.equal({
        kind: 'pending',
        gateway,
      });
    });

    it('null optional fields (re-serialised body) -> read as absent', () => {
      const response = useepayResponse({ codeUrl: null, redirectUrl: null, redirectMethod: null, redirectParam: null });
      expect(run(response)).to.deep.equal({ kind: 'pending', ...meta });
    });

    it('sign is not checked in the browser: a tampered sign classifies the same', () => {
      const response = { ...JSON.parse(SEED_WEB_TEXT), sign: '00000000000000000000000000000000' };
      expect(run(response)).to.deep.equal({
        kind: 'qr',
        content: 'weixin://wxpay/bizpayurl?pr=qCJcd2azz',
        gateway,
        reference: '1012201181439650764',
      });
    });

    it('invalid JSON text -> invalid_json', () => {
      expectRefused(() => run('{"resultCode":"pending","codeUrl":'), 'invalid_json');
    });

    it('an HTML error page -> invalid_json', () => {
      expectRefused(() => run('<!DOCTYPE html><title>503</title>'), 'invalid_json');
    });
  });
});
