import { expect } from '@open-wc/testing';
import { ALIPAY_HOSTS, UNIONPAY_HOSTS } from '../../../src/core/safe-url.js';
import { pingpp } from '../../../src/gateways/pingpp.js';
import { registerGateway, type ToActionOptions, toAction } from '../../../src/gateways/registry.js';
import {
  ALIPAY_APP_ORDER_INFO,
  ALIPAY_PC_MAPI,
  ALIPAY_PC_OPENAPI,
  ALIPAY_QR_CREDENTIAL,
  ALIPAY_WAP_MAPI,
  ALIPAY_WAP_MAPI_PINGPP,
  ALIPAY_WAP_OPENAPI,
  ALIPAY_WAP_REQ_DATA,
  charge,
  envelope,
  javaSdkPayContent,
  ORDER_NO,
  PINGPP_API_ERROR,
  PINGPP_API_ERROR_WITHOUT_CODE,
  SEED_JSAPI_PARAMS,
  SEED_RESPONSE_TEXT,
  UPACP_WAP_CREDENTIAL,
  WX_APP_CREDENTIAL,
  WX_PUB_CREDENTIAL,
  WX_PUB_QR_CREDENTIAL,
  WX_WAP_CREDENTIAL,
} from './fixtures/pingpp.js';
import { expectRefused } from './helpers.js';

registerGateway('pingpp', pingpp);

/** As on an https: page, so that http: targets are refused whatever page the runner serves. */
function run(response: unknown, options: ToActionOptions = {}) {
  return toAction('pingpp', response, { allowInsecure: false, ...options });
}

function runCharge(channel: string, credential: unknown, extra: Record<string, unknown> = {}) {
  return run(envelope(charge(channel, credential, extra)));
}

/** What every action from the live fixture charge carries. */
const LIVE = { gateway: 'pingpp', reference: ORDER_NO };

describe('pingpp adapter', () => {
  describe('envelope and payContent (§1.1, §1.2 steps 1-2)', () => {
    it('seed 000 sample made valid JSON -> wechat-jsapi (wxpub alias, prepayid= package unchanged, test mode)', () => {
      expect(run(SEED_RESPONSE_TEXT)).to.deep.equal({
        kind: 'wechat-jsapi',
        params: SEED_JSAPI_PARAMS,
        gateway: 'pingpp',
        reference: 'u00011510100940210228430966',
        testMode: true,
      });
    });

    it('envelope code != 200 -> failed with String(code) and the message', () => {
      expect(run({ code: 500, message: '订单不存在', data: null, page: null, foot: null })).to.deep.equal({
        kind: 'failed',
        code: '500',
        message: '订单不存在',
        gateway: 'pingpp',
      });
    });

    it('envelope code != 200 without a message -> failed with the code only', () => {
      expect(run({ code: 401, data: null })).to.deep.equal({ kind: 'failed', code: '401', gateway: 'pingpp' });
    });

    it('envelope code "200" as a string -> classified like 200', () => {
      const body = { ...envelope(charge('wx_pub_qr', WX_PUB_QR_CREDENTIAL)), code: '200' };
      expect(run(body)).to.deep.equal({ kind: 'qr', content: WX_PUB_QR_CREDENTIAL, ...LIVE });
    });

    it('envelope without code -> missing_field', () => {
      expectRefused(() => run({ message: '成功', data: { payContent: '{}' } }), 'missing_field');
    });

    it('payContent as a JSON string -> classified', () => {
      expect(run(envelope(charge('wx_pub', WX_PUB_CREDENTIAL)))).to.deep.equal({
        kind: 'wechat-jsapi',
        params: WX_PUB_CREDENTIAL,
        ...LIVE,
      });
    });

    it('payContent as an object -> classified the same as the JSON string', () => {
      expect(run(envelope(charge('wx_pub', WX_PUB_CREDENTIAL), false))).to.deep.equal({
        kind: 'wechat-jsapi',
        params: WX_PUB_CREDENTIAL,
        ...LIVE,
      });
    });

    it('payContent string that is not JSON -> invalid_json', () => {
      expectRefused(() => run(envelope('{id:"ch_1", channel:"wx_pub"}-', false)), 'invalid_json');
    });

    it('payContent JSON that is not an object -> invalid_field', () => {
      expectRefused(() => run(envelope('"ch_1"', false)), 'invalid_field');
    });

    it('code 200 without payContent -> missing_field', () => {
      expectRefused(() => run({ code: 200, message: '成功', data: null }), 'missing_field');
    });

    it('body text that is not JSON -> invalid_json', () => {
      expectRefused(() => run('<html><body>502 Bad Gateway</body></html>'), 'invalid_json');
    });

    it('bare charge without the envelope -> classified like payContent', () => {
      expect(run(charge('alipay_qr', ALIPAY_QR_CREDENTIAL))).to.deep.equal({
        kind: 'qr',
        content: ALIPAY_QR_CREDENTIAL,
        ...LIVE,
      });
    });
  });

  describe('snake_case and camelCase spellings (§1.1)', () => {
    it('failure_code and failure_msg -> failed', () => {
      const body = charge('wx_pub', WX_PUB_CREDENTIAL, {
        failure_code: 'channel_returns_fail',
        failure_msg: '余额不足',
      });
      expect(run(envelope(body))).to.deep.equal({
        kind: 'failed',
        code: 'channel_returns_fail',
        message: '余额不足',
        ...LIVE,
      });
    });

    it('failureCode and failureMsg (camelCase) -> failed', () => {
      const body = charge('wx_pub', WX_PUB_CREDENTIAL, {
        failure_code: undefined,
        failureCode: 'SYSTEMERROR',
        failureMsg: '系统错误',
      });
      expect(run(envelope(body))).to.deep.equal({ kind: 'failed', code: 'SYSTEMERROR', message: '系统错误', ...LIVE });
    });

    it('numeric failure_code -> failed with a string code', () => {
      const body = charge('wx_pub', WX_PUB_CREDENTIAL, { failure_code: 40001 });
      expect(run(envelope(body))).to.deep.equal({ kind: 'failed', code: '40001', ...LIVE });
    });

    it('order_no -> reference', () => {
      const action = run(envelope(charge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { order_no: 'SO-2016-0001' })));
      expect(action.reference).to.equal('SO-2016-0001');
    });

    it('orderNo (camelCase) -> reference', () => {
      const body = charge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { order_no: undefined, orderNo: 'SO-2016-0002' });
      expect(run(envelope(body)).reference).to.equal('SO-2016-0002');
    });

    it('livemode false -> testMode true on the action', () => {
      const body = charge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { livemode: false });
      expect(run(envelope(body))).to.deep.equal({ kind: 'qr', content: WX_PUB_QR_CREDENTIAL, ...LIVE, testMode: true });
    });

    it('livemode true -> no testMode flag', () => {
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL)).to.not.have.property('testMode');
    });
  });

  describe('order objects (§1.1)', () => {
    const order = {
      id: '2011611170000003651',
      object: 'order',
      livemode: true,
      paid: false,
      status: 'created',
      app: 'app_1Gqj58ynP0mHeX1q',
      merchant_order_no: 'MO-88317',
      amount: 5000,
      actual_amount: 5000,
      charge: 'ch_0iTWv95O0yDSy5e5yDzzHmjP',
      charge_essentials: {
        channel: 'wx_pub_qr',
        credential: { object: 'credential', wx_pub_qr: WX_PUB_QR_CREDENTIAL },
        extra: {},
      },
    };

    it('order object -> unwrapped through charge_essentials, merchant_order_no as reference', () => {
      expect(run(envelope(order))).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        gateway: 'pingpp',
        reference: 'MO-88317',
      });
    });

    it('order object in camelCase (chargeEssentials, merchantOrderNo) -> unwrapped', () => {
      const { charge_essentials: chargeEssentials, merchant_order_no: merchantOrderNo, ...rest } = order;
      expect(run(envelope({ ...rest, chargeEssentials, merchantOrderNo }))).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        gateway: 'pingpp',
        reference: 'MO-88317',
      });
    });

    it('paid order -> success', () => {
      expect(run(envelope({ ...order, paid: true, status: 'paid' }))).to.deep.equal({
        kind: 'success',
        gateway: 'pingpp',
        reference: 'MO-88317',
      });
    });

    it('order object without charge_essentials -> missing_field', () => {
      const { charge_essentials: _dropped, ...rest } = order;
      expectRefused(() => run(envelope(rest)), 'missing_field');
    });
  });

  describe('decision order (§1.2 steps 3-7)', () => {
    it('amount as a float -> invalid_amount', () => {
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, { amount: 50.5 }), 'invalid_amount');
    });

    it('amount as a digit string -> invalid_amount', () => {
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, { amount: '5000' }), 'invalid_amount');
    });

    it('invalid amount is refused before failure_code is read (step 3 before 4)', () => {
      const extra = { amount: 0.5, failure_code: 'channel_returns_fail' };
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, extra), 'invalid_amount');
    });

    it('charge without amount -> classified', () => {
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { amount: undefined })).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    it('failure_code on a paid charge -> failed (step 4 before 5)', () => {
      const extra = { paid: true, failure_code: 'channel_returns_fail' };
      expect(runCharge('wx_pub', WX_PUB_CREDENTIAL, extra)).to.deep.equal({
        kind: 'failed',
        code: 'channel_returns_fail',
        ...LIVE,
      });
    });

    it('paid true -> success', () => {
      expect(runCharge('wx_pub', WX_PUB_CREDENTIAL, { paid: true })).to.deep.equal({ kind: 'success', ...LIVE });
    });

    it('paid charge without a usable credential -> success (step 5 before 6)', () => {
      expect(
        runCharge('wx_pub', WX_PUB_CREDENTIAL, { paid: true, credential: { object: 'credential' } }),
      ).to.deep.equal({ kind: 'success', ...LIVE });
    });

    it('credential without the channel key -> credential_mismatch', () => {
      const extra = { credential: { object: 'credential', alipay_wap: ALIPAY_WAP_MAPI } };
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, extra), 'credential_mismatch');
    });

    it('credential missing -> credential_mismatch', () => {
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, { credential: null }), 'credential_mismatch');
    });

    it('channel "object" -> credential_mismatch (credential.object is never a channel)', () => {
      expectRefused(
        () => runCharge('wx_pub', WX_PUB_CREDENTIAL, { channel: 'object', credential: { object: 'credential' } }),
        'credential_mismatch',
      );
    });

    it('channel "constructor" -> credential_mismatch (only own credential keys count)', () => {
      expectRefused(
        () => runCharge('wx_pub', WX_PUB_CREDENTIAL, { channel: 'constructor', credential: { object: 'credential' } }),
        'credential_mismatch',
      );
    });

    it('channel wxpub with the credential under wx_pub -> credential_mismatch (literal lookup)', () => {
      const extra = { channel: 'wxpub', credential: { object: 'credential', wx_pub: WX_PUB_CREDENTIAL } };
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, extra), 'credential_mismatch');
    });

    it('charge without channel -> missing_field', () => {
      expectRefused(() => runCharge('wx_pub', WX_PUB_CREDENTIAL, { channel: undefined }), 'missing_field');
    });
  });

  describe('wx_pub -> wechat-jsapi (§1.3)', () => {
    it('wx_pub credential -> wechat-jsapi', () => {
      expect(runCharge('wx_pub', WX_PUB_CREDENTIAL)).to.deep.equal({
        kind: 'wechat-jsapi',
        params: WX_PUB_CREDENTIAL,
        ...LIVE,
      });
    });

    it('wx_pub numeric timeStamp -> string timeStamp', () => {
      expect(runCharge('wx_pub', { ...WX_PUB_CREDENTIAL, timeStamp: 1466490246 })).to.deep.equal({
        kind: 'wechat-jsapi',
        params: { ...WX_PUB_CREDENTIAL, timeStamp: '1466490246' },
        ...LIVE,
      });
    });

    for (const field of ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const) {
      it(`wx_pub credential missing ${field} -> missing_field`, () => {
        const { [field]: _dropped, ...credential } = WX_PUB_CREDENTIAL;
        const error = expectRefused(() => runCharge('wx_pub', credential), 'missing_field');
        expect(error).to.have.property('field', field);
      });
    }

    it('wx_pub credential as a string -> invalid_field', () => {
      expectRefused(() => runCharge('wx_pub', 'prepay_id=wx2016'), 'invalid_field');
    });
  });

  describe('wx_pub_qr and alipay_qr -> qr (§1.3)', () => {
    it('wx_pub_qr credential string -> qr', () => {
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL)).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    it('wx_pub_qr content with a control character -> invalid_field', () => {
      expectRefused(() => runCharge('wx_pub_qr', 'weixin://wxpay/bizpayurl?pr=X\u0007'), 'invalid_field');
    });

    it('wx_pub_qr content over 2048 bytes -> too_large', () => {
      expectRefused(() => runCharge('wx_pub_qr', `weixin://wxpay/bizpayurl?pr=${'x'.repeat(2048)}`), 'too_large');
    });

    it('alipay_qr credential string -> qr', () => {
      expect(runCharge('alipay_qr', ALIPAY_QR_CREDENTIAL)).to.deep.equal({
        kind: 'qr',
        content: ALIPAY_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    // pingpp-js `alipay_qr.js`: `AlipayJSBridge.call('tradePay', {tradeNO: credential.transaction_no})`.
    // Paid with the Alipay app's bridge only: the flow refuses it elsewhere (unsupported_environment).
    it('alipay_qr object credential (Koubei in-Alipay variant) -> sdk-token alipay {tradeNO}', () => {
      expect(runCharge('alipay_qr', { transaction_no: '2016121521001004610200123456' })).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'alipay',
        token: { tradeNO: '2016121521001004610200123456' },
        ...LIVE,
      });
    });

    it('alipay_qr object credential without a transaction_no -> refused', () => {
      expectRefused(() => runCharge('alipay_qr', {}), 'missing_field');
      expectRefused(() => runCharge('alipay_qr', { transaction_no: '' }), 'invalid_field');
    });
  });

  describe('wx_wap -> redirect (§1.3)', () => {
    it('wx_wap credential string -> redirect', () => {
      expect(runCharge('wx_wap', WX_WAP_CREDENTIAL)).to.deep.equal({
        kind: 'redirect',
        url: WX_WAP_CREDENTIAL,
        ...LIVE,
      });
    });

    it('wx_wap credential {url} -> redirect', () => {
      expect(runCharge('wx_wap', { url: WX_WAP_CREDENTIAL })).to.deep.equal({
        kind: 'redirect',
        url: WX_WAP_CREDENTIAL,
        ...LIVE,
      });
    });

    it('wx_wap javascript: URL -> unsafe_url_scheme', () => {
      expectRefused(() => runCharge('wx_wap', ' java\tscript:alert(document.domain)'), 'unsafe_url_scheme');
    });

    it('wx_wap {url} with a data: URL -> unsafe_url_scheme', () => {
      expectRefused(
        () => runCharge('wx_wap', { url: 'data:text/html,<script>alert(1)</script>' }),
        'unsafe_url_scheme',
      );
    });

    it('wx_wap http: URL on an https page -> unsafe_url_scheme', () => {
      expectRefused(() => runCharge('wx_wap', WX_WAP_CREDENTIAL.replace('https:', 'http:')), 'unsafe_url_scheme');
    });

    it('wx_wap relative URL -> relative_url', () => {
      expectRefused(() => runCharge('wx_wap', '//evil.example/checkmweb'), 'relative_url');
    });

    it('wx_wap object without url -> missing_field', () => {
      expectRefused(() => runCharge('wx_wap', { prepay_id: 'wx2016' }), 'missing_field');
    });
  });

  describe('alipay_wap -> redirect built as pingpp-js builds it (§1.3)', () => {
    it('alipay_wap mapi 1.0 -> redirect to the default mapi base with _input_charset appended', () => {
      expect(runCharge('alipay_wap', ALIPAY_WAP_MAPI)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://mapi.alipay.com/gateway.do?service=alipay.wap.create.direct.pay.by.user&partner=2088101568358171' +
          '&seller_id=2088101568358171&out_trade_no=189fd440a223&subject=Tea%20(2)' +
          '&body=%E5%8E%9F%E4%BB%B7%E4%B8%BA50.0%E5%85%83&total_fee=50.00&payment_type=1' +
          '&it_b_pay=2016-06-21%2015%3A04%3A06' +
          '&notify_url=https%3A%2F%2Fapi.pingxx.com%2Fnotify%2Fcharges%2Fch_0iTWv95O0yDSy5e5yDzzHmjP' +
          '&return_url=https%3A%2F%2Fexample.com%2Fsuccess%3Fa%3D1%26b%3D2&sign=otYX%2FGCj%2B1by%3D&sign_type=RSA' +
          '&_input_charset=utf-8',
        ...LIVE,
      });
    });

    it('alipay_wap mapi 1.0 as Ping++ sends it (channel_url, pre-encoded URLs) -> channel_url dropped, encoded again', () => {
      expect(runCharge('alipay_wap', ALIPAY_WAP_MAPI_PINGPP)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://mapi.alipay.com/gateway.do?body=Your%20Body&it_b_pay=2016-06-21%2015%3A04%3A06' +
          '&notify_url=https%253A%252F%252Fapi.pingxx.com%252Fnotify%252Fcharges%252Fch_0iTWv95O0yDSy5e5yDzzHmjP' +
          '&out_trade_no=189fd440a223&partner=2008845014558968&payment_type=1' +
          '&return_url=http%253A%252F%252Fexample.com%252Fsuccess&seller_id=2008845014558968' +
          '&service=alipay.wap.create.direct.pay.by.user&subject=Your%20Subject&total_fee=1.00' +
          '&sign=otYXSLFAB0Cak2zg5aULfLlB%2FGCjtjYeOeJDy5u%2B1bydOIsN%2Fi17531M%2BFYXxRNnKmM14GSzkxdf576t8cJdjFJXr' +
          'ZYrmuypuMTniPCFBCOEpX%2FbAT6LnJfSd%2FgzuUYKFExlqCOSgdBKNmMfsFRcLMHWwNmjQMLmgMFKSLbrRcU%3D' +
          '&sign_type=RSA&_input_charset=utf-8',
        ...LIVE,
      });
    });

    it('alipay_wap mapi 1.0 with _input_charset present -> kept in place, not appended', () => {
      const credential = { service: 'alipay.wap.create.direct.pay.by.user', _input_charset: 'UTF-8', sign: 'x' };
      expect(runCharge('alipay_wap', credential)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: 'https://mapi.alipay.com/gateway.do?service=alipay.wap.create.direct.pay.by.user&_input_charset=UTF-8&sign=x',
        ...LIVE,
      });
    });

    it('alipay_wap legacy req_data -> redirect to wappaygw.alipay.com with _input_charset appended', () => {
      expect(runCharge('alipay_wap', ALIPAY_WAP_REQ_DATA)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://wappaygw.alipay.com/service/rest.htm?service=alipay.wap.auth.authAndExecute&format=xml&v=2.0' +
          '&partner=2088101568358171&sec_id=MD5' +
          '&req_data=%3Cauth_and_execute_req%3E%3Crequest_token%3E20161215abc%3C%2Frequest_token%3E%3C%2Fauth_and_execute_req%3E' +
          '&sign=9f8e7d6c5b4a&_input_charset=utf-8',
        ...LIVE,
      });
    });

    it('alipay_wap req_data wins over channel_url (pingpp-js order)', () => {
      const credential = { ...ALIPAY_WAP_REQ_DATA, channel_url: 'https://openapi.alipay.com/gateway.do' };
      const action = runCharge('alipay_wap', credential);
      expect(action).to.have.property('kind', 'redirect');
      expect(
        (action as { url: string }).url.startsWith('https://wappaygw.alipay.com/service/rest.htm?service='),
      ).to.equal(true);
      expect((action as { url: string }).url).to.not.include('channel_url');
    });

    it('alipay_wap openapi 2.0 -> redirect to channel_url, channel_url dropped, no _input_charset', () => {
      expect(runCharge('alipay_wap', ALIPAY_WAP_OPENAPI)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://openapi.alipay.com/gateway.do?app_id=2016072900117068&method=alipay.trade.wap.pay&format=JSON' +
          '&charset=utf-8&sign_type=RSA2&timestamp=2016-12-15%2016%3A42%3A02&version=1.0' +
          '&biz_content=%7B%22out_trade_no%22%3A%22189fd440a223%22%2C%22total_amount%22%3A%2250.00%22%2C' +
          '%22product_code%22%3A%22QUICK_WAP_WAY%22%7D&return_url=https%3A%2F%2Fexample.com%2Fsuccess' +
          '&notify_url=https%3A%2F%2Fapi.pingxx.com%2Fnotify%2Fcharges%2Fch_0iTWv95O0yDSy5e5yDzzHmjP&sign=Ab%2B%2Fc%3D',
        ...LIVE,
      });
    });

    it('alipay_wap channel_url on a look-alike host -> host_not_allowed', () => {
      const credential = { ...ALIPAY_WAP_OPENAPI, channel_url: 'https://openapi.alipay.com.evil.example/gateway.do' };
      expectRefused(() => runCharge('alipay_wap', credential), 'host_not_allowed');
    });

    it('alipay_wap channel_url on a host in allowedHosts -> redirect there', () => {
      const credential = {
        channel_url: 'https://alipay.sandbox.test/gateway.do',
        method: 'alipay.trade.wap.pay',
        sign: 's',
      };
      const body = envelope(charge('alipay_wap', credential));
      expect(run(body, { allowedHosts: ['alipay.sandbox.test'] })).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: 'https://alipay.sandbox.test/gateway.do?method=alipay.trade.wap.pay&sign=s',
        ...LIVE,
      });
    });

    it('alipay_wap channel_url with a javascript: scheme -> unsafe_url_scheme', () => {
      const credential = { ...ALIPAY_WAP_OPENAPI, channel_url: 'javascript:alert(1)//openapi.alipay.com' };
      expectRefused(() => runCharge('alipay_wap', credential), 'unsafe_url_scheme');
    });

    it('alipay_wap channel_url that already has a query -> invalid_field', () => {
      const credential = { ...ALIPAY_WAP_OPENAPI, channel_url: 'https://openapi.alipay.com/gateway.do?charset=utf-8' };
      expectRefused(() => runCharge('alipay_wap', credential), 'invalid_field');
    });

    for (const [name, value] of [
      ['a boolean', true],
      ['an object', { amount: '50.00' }],
      ['an array', ['50.00']],
      ['null', null],
      ['Infinity', Number.POSITIVE_INFINITY],
      ['NaN', Number.NaN],
    ] as const) {
      it(`alipay_wap credential value that is ${name} -> invalid_field`, () => {
        // As an object, not JSON text: JSON cannot carry Infinity or NaN.
        const body = envelope(charge('alipay_wap', { ...ALIPAY_WAP_MAPI, total_fee: value }), false);
        const error = expectRefused(() => run(body), 'invalid_field');
        expect(error).to.have.property('field', 'credential.alipay_wap.total_fee');
      });
    }

    it('alipay_wap parameter name outside the Alipay alphabet -> invalid_field', () => {
      expectRefused(() => runCharge('alipay_wap', { ...ALIPAY_WAP_MAPI, 'x#y': '1' }), 'invalid_field');
    });

    it('alipay_wap credential without sign -> missing_field', () => {
      const { sign: _dropped, ...credential } = ALIPAY_WAP_MAPI;
      expectRefused(() => runCharge('alipay_wap', credential), 'missing_field');
    });
  });

  describe('alipay_pc_direct -> redirect (§1.3)', () => {
    it('alipay_pc_direct mapi create_direct_pay_by_user -> redirect with _input_charset appended', () => {
      expect(runCharge('alipay_pc_direct', ALIPAY_PC_MAPI)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://mapi.alipay.com/gateway.do?service=create_direct_pay_by_user&partner=2088101568358171' +
          '&seller_id=2088101568358171&out_trade_no=189fd440a223&subject=Your%20Subject&total_fee=50.00' +
          '&payment_type=1&return_url=https%3A%2F%2Fexample.com%2Fsuccess&sign=a1b2%2Bc3%3D&sign_type=RSA' +
          '&_input_charset=utf-8',
        ...LIVE,
      });
    });

    it('alipay_pc_direct openapi page.pay -> redirect to channel_url without _input_charset', () => {
      expect(runCharge('alipay_pc_direct', ALIPAY_PC_OPENAPI)).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://openapi.alipay.com/gateway.do?app_id=2016072900117068&method=alipay.trade.page.pay&format=JSON' +
          '&charset=utf-8&sign_type=RSA2&timestamp=2016-12-15%2016%3A42%3A02&version=1.0' +
          '&biz_content=%7B%22out_trade_no%22%3A%22189fd440a223%22%2C%22total_amount%22%3A%2250.00%22%2C' +
          '%22product_code%22%3A%22FAST_INSTANT_TRADE_PAY%22%7D&return_url=https%3A%2F%2Fexample.com%2Fsuccess' +
          '&sign=Zz9%3D',
        ...LIVE,
      });
    });

    it('alipay_pc_direct channel_url on a look-alike host -> host_not_allowed', () => {
      const credential = { ...ALIPAY_PC_OPENAPI, channel_url: 'https://openapi-alipay.com/gateway.do' };
      expectRefused(() => runCharge('alipay_pc_direct', credential), 'host_not_allowed');
    });
  });

  describe('upacp_wap / upacp_pc -> form (§1.3)', () => {
    const action = 'https://gateway.95516.com/gateway/api/frontTransReq.do';

    it('upacp_wap credential -> form POST to gateway.95516.com with every field, in order', () => {
      const result = runCharge('upacp_wap', UPACP_WAP_CREDENTIAL);
      expect(result).to.deep.equal({
        kind: 'form',
        action,
        method: 'POST',
        fields: UPACP_WAP_CREDENTIAL,
        hosts: UNIONPAY_HOSTS,
        ...LIVE,
      });
      expect(Object.keys((result as { fields: object }).fields)).to.deep.equal(Object.keys(UPACP_WAP_CREDENTIAL));
    });

    it('upacp_pc credential -> form POST to gateway.95516.com', () => {
      const credential = { ...UPACP_WAP_CREDENTIAL, channelType: '07' };
      expect(runCharge('upacp_pc', credential)).to.deep.equal({
        kind: 'form',
        hosts: UNIONPAY_HOSTS,
        action,
        method: 'POST',
        fields: credential,
        ...LIVE,
      });
    });

    it('upacp_wap field that is a boolean -> invalid_field', () => {
      expectRefused(() => runCharge('upacp_wap', { ...UPACP_WAP_CREDENTIAL, txnAmt: true }), 'invalid_field');
    });

    it('upacp_wap field that is an object -> invalid_field', () => {
      expectRefused(
        () => runCharge('upacp_wap', { ...UPACP_WAP_CREDENTIAL, txnAmt: { value: '5000' } }),
        'invalid_field',
      );
    });

    it('upacp_wap credential without signature -> missing_field', () => {
      const { signature: _dropped, ...credential } = UPACP_WAP_CREDENTIAL;
      expectRefused(() => runCharge('upacp_wap', credential), 'missing_field');
    });
  });

  describe('alipay (App) and wx (App) -> sdk-token (§1.3)', () => {
    it('alipay (App) {orderInfo} -> sdk-token alipay with the orderInfo string unchanged', () => {
      expect(runCharge('alipay', { orderInfo: ALIPAY_APP_ORDER_INFO })).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'alipay',
        token: ALIPAY_APP_ORDER_INFO,
        ...LIVE,
      });
    });

    it('alipay (App) without orderInfo -> missing_field', () => {
      expectRefused(() => runCharge('alipay', { order_info: ALIPAY_APP_ORDER_INFO }), 'missing_field');
    });

    it('wx (App) credential -> sdk-token wechat with the credential object unchanged', () => {
      expect(runCharge('wx', WX_APP_CREDENTIAL)).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'wechat',
        token: WX_APP_CREDENTIAL,
        ...LIVE,
      });
    });

    it('wx (App) credential missing prepayId -> missing_field', () => {
      const { prepayId: _dropped, ...credential } = WX_APP_CREDENTIAL;
      expectRefused(() => runCharge('wx', credential), 'missing_field');
    });
  });

  describe('mini-program channels (pingpp-js wx_lite.js, alipay_lite.js)', () => {
    it('wx_lite -> a mini-program action with the six parameters (the flow refuses it outside the mini-program)', () => {
      const action = runCharge('wx_lite', WX_PUB_CREDENTIAL);
      expect(action).to.deep.include({ kind: 'mini-program', platform: 'wechat' });
      expect((action as { params: unknown }).params).to.deep.equal(WX_PUB_CREDENTIAL);
    });

    it('alipay_lite -> a mini-program action with the trade number for my.tradePay({tradeNO})', () => {
      const action = runCharge('alipay_lite', '2017111521001104105336');
      expect(action).to.deep.include({ kind: 'mini-program', platform: 'alipay' });
      expect((action as { params: unknown }).params).to.deep.equal({ tradeNO: '2017111521001104105336' });
    });

    it('wx_lite missing paySign, alipay_lite not a string -> refused', () => {
      const { paySign: _dropped, ...credential } = WX_PUB_CREDENTIAL;
      expectRefused(() => runCharge('wx_lite', credential), 'missing_field');
      expect(() => runCharge('alipay_lite', { trade_no: 'x' })).to.throw();
    });
  });

  describe('channels a web page cannot pay (§1.3)', () => {
    for (const channel of ['isv_lite', 'wx_lite_pab']) {
      it(`${channel} -> unsupported_environment`, () => {
        expectRefused(() => runCharge(channel, WX_PUB_CREDENTIAL), 'unsupported_environment');
      });
    }

    for (const channel of ['bfb_wap', 'jdpay_wap', 'yeepay_wap', 'cmb_wallet', 'cp_b2b', 'isv_wap', 'paypal']) {
      it(`${channel} -> unsupported_channel`, () => {
        expectRefused(() => runCharge(channel, { url: 'https://pay.example/x' }), 'unsupported_channel');
      });
    }
  });

  describe('real answers seen in the wild (§7)', () => {
    const mapiQuery =
      'service=alipay.wap.create.direct.pay.by.user&partner=2088101568358171' +
      '&seller_id=2088101568358171&out_trade_no=189fd440a223&subject=Tea%20(2)' +
      '&body=%E5%8E%9F%E4%BB%B7%E4%B8%BA50.0%E5%85%83&total_fee=50.00&payment_type=1' +
      '&it_b_pay=2016-06-21%2015%3A04%3A06' +
      '&notify_url=https%3A%2F%2Fapi.pingxx.com%2Fnotify%2Fcharges%2Fch_0iTWv95O0yDSy5e5yDzzHmjP' +
      '&return_url=https%3A%2F%2Fexample.com%2Fsuccess%3Fa%3D1%26b%3D2&sign=otYX%2FGCj%2B1by%3D&sign_type=RSA' +
      '&_input_charset=utf-8';

    it('real answer: alipay_wap credential with a numeric payment_type builds the query with "1"', () => {
      const payContent = javaSdkPayContent('alipay_wap', ALIPAY_WAP_MAPI);
      expect(payContent).to.include('"payment_type":1.0,');
      expect(run(envelope(payContent, false))).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: `https://mapi.alipay.com/gateway.do?${mapiQuery}`,
        ...LIVE,
      });
    });

    it('real answer: alipay_pc_direct credential with a numeric payment_type builds the query with "1"', () => {
      const payContent = javaSdkPayContent('alipay_pc_direct', ALIPAY_PC_MAPI);
      expect(payContent).to.include('"payment_type":1.0,');
      expect(run(envelope(payContent, false))).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url:
          'https://mapi.alipay.com/gateway.do?service=create_direct_pay_by_user&partner=2088101568358171' +
          '&seller_id=2088101568358171&out_trade_no=189fd440a223&subject=Your%20Subject&total_fee=50.00' +
          '&payment_type=1&return_url=https%3A%2F%2Fexample.com%2Fsuccess&sign=a1b2%2Bc3%3D&sign_type=RSA' +
          '&_input_charset=utf-8',
        ...LIVE,
      });
    });

    it('real answer: alipay_wap credential with a numeric total_fee writes its shortest decimal text', () => {
      const action = runCharge('alipay_wap', { ...ALIPAY_WAP_MAPI, total_fee: 50.5 });
      expect((action as { url: string }).url).to.include('&total_fee=50.5&');
    });

    it('real answer: upacp_wap credential with a numeric txnAmt posts "5000" (pingpp-js formSubmit)', () => {
      expect(runCharge('upacp_wap', { ...UPACP_WAP_CREDENTIAL, txnAmt: 5000 })).to.deep.equal({
        kind: 'form',
        hosts: UNIONPAY_HOSTS,
        action: 'https://gateway.95516.com/gateway/api/frontTransReq.do',
        method: 'POST',
        fields: UPACP_WAP_CREDENTIAL,
        ...LIVE,
      });
    });

    it('real answer: Ping++ API error object with a code -> failed with error.code and error.message', () => {
      expect(run(JSON.stringify(PINGPP_API_ERROR))).to.deep.equal({
        kind: 'failed',
        code: 'api_key_invalid',
        message: PINGPP_API_ERROR.error.message,
        gateway: 'pingpp',
      });
    });

    it('real answer: Ping++ API error object without a code in payContent -> failed with error.type', () => {
      expect(run(envelope(PINGPP_API_ERROR_WITHOUT_CODE))).to.deep.equal({
        kind: 'failed',
        code: 'invalid_request_error',
        message: '参数 amount 不正确',
        gateway: 'pingpp',
      });
    });

    it('real answer: Ping++ API error object with an empty code -> failed with error.type', () => {
      const body = { error: { ...PINGPP_API_ERROR.error, code: '' } };
      expect(run(body)).to.deep.equal({
        kind: 'failed',
        code: 'invalid_request_error',
        message: PINGPP_API_ERROR.error.message,
        gateway: 'pingpp',
      });
    });

    it('Ping++ API error object without type and code -> missing_field', () => {
      expectRefused(() => run({ error: { message: '参数 amount 不正确', param: 'amount' } }), 'missing_field');
    });

    it('Ping++ API error object with a numeric code -> invalid_field', () => {
      expectRefused(() => run(envelope({ error: { ...PINGPP_API_ERROR.error, code: 40001 } })), 'invalid_field');
    });

    it('Ping++ API error object with a non-string message -> invalid_field', () => {
      expectRefused(() => run({ error: { ...PINGPP_API_ERROR.error, message: ['bad key'] } }), 'invalid_field');
    });

    it('Ping++ API error that is a string -> invalid_field', () => {
      expectRefused(() => run({ error: 'invalid_request_error' }), 'invalid_field');
    });

    it('real answer: charge with "metadata": [] -> classified', () => {
      expect(runCharge('alipay_wap', ALIPAY_WAP_MAPI, { metadata: [] })).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: `https://mapi.alipay.com/gateway.do?${mapiQuery}`,
        ...LIVE,
      });
    });

    it('real answer: credential with the channel key before "object" -> classified', () => {
      const credential = { alipay_wap: ALIPAY_WAP_MAPI, object: 'credential' };
      expect(runCharge('alipay_wap', ALIPAY_WAP_MAPI, { credential })).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: `https://mapi.alipay.com/gateway.do?${mapiQuery}`,
        ...LIVE,
      });
    });

    it('real answer: v1 charge with empty credentials for other channels -> the channel named decides', () => {
      const credential = { object: 'credential', alipay: {}, wx: {}, alipay_wap: ALIPAY_WAP_MAPI };
      expect(runCharge('alipay_wap', ALIPAY_WAP_MAPI, { credential })).to.deep.equal({
        kind: 'redirect',
        hosts: ALIPAY_HOSTS,
        url: `https://mapi.alipay.com/gateway.do?${mapiQuery}`,
        ...LIVE,
      });
    });

    it('real answer: paid false with time_paid set -> not success, the credential is still acted on', () => {
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { paid: false, time_paid: 1466490300 })).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    it('real answer: paid false with timePaid set (camelCase) -> not success', () => {
      const extra = { paid: false, time_paid: undefined, timePaid: 1466490300 };
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, extra)).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    it('paid absent with time_paid set -> not success (only paid === true is paid)', () => {
      const extra = { paid: undefined, time_paid: 1466490300 };
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, extra)).to.deep.equal({
        kind: 'qr',
        content: WX_PUB_QR_CREDENTIAL,
        ...LIVE,
      });
    });

    it('paid true with time_paid set -> success', () => {
      expect(runCharge('wx_pub_qr', WX_PUB_QR_CREDENTIAL, { paid: true, time_paid: 1466490300 })).to.deep.equal({
        kind: 'success',
        ...LIVE,
      });
    });
  });
});
