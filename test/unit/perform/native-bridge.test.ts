import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import {
  NATIVE_MESSAGE_TYPE,
  NATIVE_RESULT_EVENT,
  type NativeMessage,
  type NativeResult,
  onNativeResult,
  postToNative,
} from '../../../src/perform/native-bridge.js';

// A CareyShop/Ping++ style signed Alipay order string: `+`, `%`, `&`, `=`, quotes and a U+2028.
const ALIPAY_TOKEN =
  'app_id=2021000000000000&biz_content=%7B%22total_amount%22%3A0.10000000000000001%7D&sign=kT3+/mS0q9Xw==&note="a\u2028b"';
const WECHAT_TOKEN = {
  appid: 'wx2421b1c4370ec43b',
  partnerid: '1900000109',
  prepayid: 'wx201410272009395522657a690389285100',
  noncestr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
  timestamp: 1412000000,
  package: 'Sign=WXPay',
  sign: 'C380BEC2BFD727A4B6845133519F3AD6',
};

const message = (token: NativeMessage['token'], sdk: NativeMessage['sdk'] = 'alipay'): NativeMessage => ({
  type: NATIVE_MESSAGE_TYPE,
  version: 1,
  orderId: 'A1001',
  sdk,
  token,
});

/** A receiver that records what it got and the `this` it was called with. */
function receiver() {
  const got: unknown[] = [];
  const thisValues: unknown[] = [];
  const target = {
    postMessage(this: unknown, body: unknown) {
      thisValues.push(this);
      got.push(body);
    },
  };
  return { target, got, thisValues };
}

describe('postToNative', () => {
  it('gives iOS (WKWebView handler "cashdesk") the message as an object', () => {
    const ios = receiver();
    const win = { webkit: { messageHandlers: { cashdesk: ios.target } } } as unknown as Window;
    expect(postToNative(message(WECHAT_TOKEN, 'wechat'), win)).to.equal('ios');
    expect(ios.got).to.deep.equal([
      { type: 'cashdesk:sdk-token', version: 1, orderId: 'A1001', sdk: 'wechat', token: WECHAT_TOKEN },
    ]);
    expect((ios.got[0] as NativeMessage).token).to.equal(WECHAT_TOKEN);
    expect(ios.thisValues[0]).to.equal(ios.target);
  });

  it('gives Android (CashdeskBridge) JSON text with the token string unchanged', () => {
    const android = receiver();
    const win = { CashdeskBridge: android.target } as unknown as Window;
    expect(postToNative(message(ALIPAY_TOKEN), win)).to.equal('android');
    expect(android.got).to.have.length(1);
    expect(android.got[0]).to.be.a('string');
    const parsed = JSON.parse(android.got[0] as string);
    expect(parsed).to.deep.equal({
      type: 'cashdesk:sdk-token',
      version: 1,
      orderId: 'A1001',
      sdk: 'alipay',
      token: ALIPAY_TOKEN,
    });
    expect(parsed.token).to.equal(ALIPAY_TOKEN);
    expect(android.thisValues[0]).to.equal(android.target);
  });

  it('gives React Native (ReactNativeWebView) JSON text with the token object unchanged', () => {
    const rn = receiver();
    const win = { ReactNativeWebView: rn.target } as unknown as Window;
    expect(postToNative(message(WECHAT_TOKEN, 'wechat'), win)).to.equal('react-native');
    expect(JSON.parse(rn.got[0] as string)).to.deep.equal(message(WECHAT_TOKEN, 'wechat'));
    expect(rn.thisValues[0]).to.equal(rn.target);
  });

  it('sends only the documented fields', () => {
    const rn = receiver();
    const win = { ReactNativeWebView: rn.target } as unknown as Window;
    const extra = { ...message('t'), secret: 'not for the app' } as NativeMessage;
    postToNative(extra, win);
    expect(Object.keys(JSON.parse(rn.got[0] as string))).to.deep.equal(['type', 'version', 'orderId', 'sdk', 'token']);
  });

  it('uses one bridge only, the iOS one first, when several exist', () => {
    const ios = receiver();
    const android = receiver();
    const win = {
      webkit: { messageHandlers: { cashdesk: ios.target } },
      CashdeskBridge: android.target,
    } as unknown as Window;
    expect(postToNative(message('t'), win)).to.equal('ios');
    expect(ios.got).to.have.length(1);
    expect(android.got).to.have.length(0);
  });

  it('returns undefined when there is no bridge, in a plain browser too', () => {
    expect(postToNative(message('t'), {} as Window)).to.equal(undefined);
    expect(postToNative(message('t'), { webkit: { messageHandlers: {} } } as unknown as Window)).to.equal(undefined);
    expect(postToNative(message('t'))).to.equal(undefined);
  });

  it('reports bridge_failed when the bridge throws', () => {
    const win = {
      CashdeskBridge: {
        postMessage() {
          throw new Error("Java bridge method can't be invoked on a non-injected object");
        },
      },
    } as unknown as Window;
    let caught: unknown;
    try {
      postToNative(message('t'), win);
    } catch (error) {
      caught = error;
    }
    expect(isCheckoutError(caught, 'bridge_failed')).to.equal(true);
  });
});

describe('onNativeResult', () => {
  const stops: (() => void)[] = [];
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  const report = (detail: unknown, target: EventTarget = window) =>
    target.dispatchEvent(new CustomEvent(NATIVE_RESULT_EVENT, { detail }));

  it('delivers what the app reports with the documented snippet', () => {
    const results: NativeResult[] = [];
    stops.push(onNativeResult((result) => results.push(result)));
    window.dispatchEvent(
      new CustomEvent('cashdesk-native-result', { detail: { orderId: 'A1001', outcome: 'success' } }),
    );
    report({ orderId: 'A1001', outcome: 'fail', message: 'ALI40247: user has no balance' });
    report({ orderId: 'A1002', outcome: 'cancel' });
    report({ orderId: 'A1003', outcome: 'unknown', extra: 'dropped' });
    expect(results).to.deep.equal([
      { orderId: 'A1001', outcome: 'success' },
      { orderId: 'A1001', outcome: 'fail', message: 'ALI40247: user has no balance' },
      { orderId: 'A1002', outcome: 'cancel' },
      { orderId: 'A1003', outcome: 'unknown' },
    ]);
  });

  it('ignores malformed reports', () => {
    const results: NativeResult[] = [];
    stops.push(onNativeResult((result) => results.push(result)));
    report(null);
    report(undefined);
    report('{"orderId":"A1001","outcome":"success"}');
    report({ outcome: 'success' });
    report({ orderId: '', outcome: 'success' });
    report({ orderId: 1001, outcome: 'success' });
    report({ orderId: 'A1001', outcome: 'paid' });
    report({ orderId: 'A1001', outcome: 'SUCCESS' });
    report({ orderId: 'A1001', outcome: 'success', message: 42 });
    window.dispatchEvent(new Event(NATIVE_RESULT_EVENT));
    expect(results).to.deep.equal([]);
  });

  it('stops delivering after unsubscribe', () => {
    const results: NativeResult[] = [];
    const stop = onNativeResult((result) => results.push(result));
    report({ orderId: 'A1001', outcome: 'cancel' });
    stop();
    stop();
    report({ orderId: 'A1001', outcome: 'success' });
    expect(results).to.deep.equal([{ orderId: 'A1001', outcome: 'cancel' }]);
  });

  it('listens on the window it is given', () => {
    const other = new EventTarget();
    const results: NativeResult[] = [];
    stops.push(onNativeResult((result) => results.push(result), other as unknown as Window));
    report({ orderId: 'A1001', outcome: 'success' });
    report({ orderId: 'A1001', outcome: 'cancel' }, other);
    expect(results).to.deep.equal([{ orderId: 'A1001', outcome: 'cancel' }]);
  });
});
