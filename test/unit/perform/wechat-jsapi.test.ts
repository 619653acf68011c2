import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { WechatJsapiParams } from '../../../src/core/next-action.js';
import { invokeWechatPay, toWechatOutcome } from '../../../src/perform/wechat-jsapi.js';

const WECHAT_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003133) NetType/WIFI Language/zh_CN';

const PARAMS: WechatJsapiParams = {
  appId: 'wx2421b1c4370ec43b',
  timeStamp: '1395712654',
  nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
  package: 'prepay_id=u802345jgfjsdfgsdg888',
  signType: 'MD5',
  paySign: '70EA570631E4BB79628FBCA90534C63F',
};

interface Call {
  api: string;
  params: Record<string, string>;
  callback: (res: unknown) => void;
}

/** Behaves like the bridge WeChat injects: `invoke(api, params, callback)`, the callback later. */
function fakeBridge(answer?: unknown) {
  const calls: Call[] = [];
  const bridge = {
    invoke(api: string, params: Record<string, string>, callback: (res: unknown) => void) {
      calls.push({ api, params, callback });
      if (answer !== undefined) setTimeout(() => callback(answer), 5);
    },
  };
  return { bridge, calls };
}

type BridgeHost = { WeixinJSBridge?: unknown };

function installBridge(bridge: unknown) {
  (window as unknown as BridgeHost).WeixinJSBridge = bridge;
}

function setUserAgent(ua: string) {
  Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => ua });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('invokeWechatPay', () => {
  afterEach(() => {
    delete (window as unknown as BridgeHost).WeixinJSBridge;
    delete (navigator as { userAgent?: unknown }).userAgent;
  });

  it('calls getBrandWCPayRequest at once when the bridge is there, with exactly the six strings', async () => {
    const { bridge, calls } = fakeBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    installBridge(bridge);
    const paying = invokeWechatPay({ ...PARAMS, extra: 'not for WeChat' } as WechatJsapiParams);
    expect(calls).to.have.length(1);
    expect(calls[0]!.api).to.equal('getBrandWCPayRequest');
    expect(calls[0]!.params).to.deep.equal(PARAMS);
    expect(Object.keys(calls[0]!.params)).to.deep.equal([
      'appId',
      'timeStamp',
      'nonceStr',
      'package',
      'signType',
      'paySign',
    ]);
    expect(Object.values(calls[0]!.params).every((v) => typeof v === 'string')).to.equal(true);
    expect(await paying).to.deep.equal({ outcome: 'ok' });
  });

  it('reports cancel and fail, with the reason WeChat gives', async () => {
    installBridge(fakeBridge({ err_msg: 'get_brand_wcpay_request:cancel' }).bridge);
    expect(await invokeWechatPay(PARAMS)).to.deep.equal({ outcome: 'cancel' });
    installBridge(fakeBridge({ err_msg: 'get_brand_wcpay_request:fail', err_desc: '签名错误' }).bridge);
    expect(await invokeWechatPay(PARAMS)).to.deep.equal({ outcome: 'fail', message: '签名错误' });
    installBridge(fakeBridge({ err_msg: 'get_brand_wcpay_request:fail' }).bridge);
    expect(await invokeWechatPay(PARAMS)).to.deep.equal({
      outcome: 'fail',
      message: 'get_brand_wcpay_request:fail',
    });
  });

  it('treats an unknown or missing err_msg as a failure', async () => {
    installBridge(fakeBridge({ err_msg: 'system:access_denied' }).bridge);
    expect(await invokeWechatPay(PARAMS)).to.deep.equal({ outcome: 'fail', message: 'system:access_denied' });
    installBridge(fakeBridge({}).bridge);
    expect(await invokeWechatPay(PARAMS)).to.deep.equal({ outcome: 'fail' });
  });

  it('reads the errMsg spelling some WeChat builds answer with', () => {
    expect(toWechatOutcome({ errMsg: 'getBrandWCPayRequest:ok' })).to.deep.equal({ outcome: 'ok' });
    expect(toWechatOutcome({ errMsg: 'getBrandWCPayRequest:cancel' })).to.deep.equal({ outcome: 'cancel' });
    expect(toWechatOutcome({ err_msg: 'get_brand_wcpay_request:fail', errMsg: 'no money' })).to.deep.equal({
      outcome: 'fail',
      message: 'no money',
    });
    expect(toWechatOutcome(null)).to.deep.equal({ outcome: 'fail' });
  });

  it('waits for WeixinJSBridgeReady when the bridge comes later, then calls it once', async () => {
    setUserAgent(WECHAT_UA);
    const { bridge, calls } = fakeBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    const paying = invokeWechatPay(PARAMS, { readyTimeout: 2000 });
    await tick(30);
    expect(calls).to.have.length(0);
    installBridge(bridge);
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(calls).to.have.length(1);
    expect(calls[0]!.params).to.deep.equal(PARAMS);
    expect(await paying).to.deep.equal({ outcome: 'ok' });
    // The ready listener is gone: another ready event does not open a second sheet.
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(calls).to.have.length(1);
  });

  it('rejects with bridge_timeout when the bridge never becomes ready', async () => {
    setUserAgent(WECHAT_UA);
    const started = performance.now();
    expect(await codeOf(invokeWechatPay(PARAMS, { readyTimeout: 50 }))).to.equal('bridge_timeout');
    expect(performance.now() - started).to.be.within(40, 1000);
    // A bridge that turns up afterwards is not called.
    const { bridge, calls } = fakeBridge();
    installBridge(bridge);
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(calls).to.have.length(0);
  });

  it('keeps waiting past a ready event that brings no bridge', async () => {
    setUserAgent(WECHAT_UA);
    const paying = invokeWechatPay(PARAMS, { readyTimeout: 60 });
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(await codeOf(paying)).to.equal('bridge_timeout');
  });

  it('rejects at once with bridge_unavailable outside WeChat', async () => {
    const started = performance.now();
    expect(await codeOf(invokeWechatPay(PARAMS, { readyTimeout: 5000 }))).to.equal('bridge_unavailable');
    expect(performance.now() - started).to.be.below(500);
  });

  it('takes an <iframe name="WeixinJSBridge"> in the page for no bridge, without a SecurityError', async () => {
    const frame = document.createElement('iframe');
    frame.name = 'WeixinJSBridge';
    frame.setAttribute('sandbox', '');
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    document.body.append(frame);
    await loaded;
    try {
      expect(await codeOf(invokeWechatPay(PARAMS, { readyTimeout: 5000 }))).to.equal('bridge_unavailable');
    } finally {
      frame.remove();
    }
  });

  it('rejects with bridge_failed when invoke throws', async () => {
    installBridge({
      invoke() {
        throw new Error('JSAPI not permitted');
      },
    });
    expect(await codeOf(invokeWechatPay(PARAMS))).to.equal('bridge_failed');
  });

  it('refuses a parameter that is not a string, without calling WeChat', async () => {
    const { bridge, calls } = fakeBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    installBridge(bridge);
    const numeric = { ...PARAMS, timeStamp: 1395712654 } as unknown as WechatJsapiParams;
    expect(await codeOf(invokeWechatPay(numeric))).to.equal('invalid_field');
    const missing = { ...PARAMS } as Partial<WechatJsapiParams>;
    delete missing.paySign;
    expect(await codeOf(invokeWechatPay(missing as WechatJsapiParams))).to.equal('invalid_field');
    expect(calls).to.have.length(0);
  });

  it('has no time limit once the sheet is up', async () => {
    const { bridge, calls } = fakeBridge();
    installBridge(bridge);
    const paying = invokeWechatPay(PARAMS, { readyTimeout: 10 });
    const first = await Promise.race([paying, tick(80).then(() => 'pending')]);
    expect(first).to.equal('pending');
    calls[0]!.callback({ err_msg: 'get_brand_wcpay_request:ok' });
    expect(await paying).to.deep.equal({ outcome: 'ok' });
  });

  it('honours the signal while waiting for the bridge and while the sheet is up', async () => {
    setUserAgent(WECHAT_UA);
    const waiting = new AbortController();
    const early = invokeWechatPay(PARAMS, { readyTimeout: 2000, signal: waiting.signal });
    waiting.abort();
    expect(await codeOf(early)).to.equal('aborted');
    const { bridge, calls } = fakeBridge();
    installBridge(bridge);
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    expect(calls).to.have.length(0);

    const paying = new AbortController();
    const late = invokeWechatPay(PARAMS, { signal: paying.signal });
    expect(calls).to.have.length(1);
    paying.abort();
    expect(await codeOf(late)).to.equal('aborted');
    calls[0]!.callback({ err_msg: 'get_brand_wcpay_request:ok' });

    const already = new AbortController();
    already.abort();
    expect(await codeOf(invokeWechatPay(PARAMS, { signal: already.signal }))).to.equal('aborted');
    expect(calls).to.have.length(1);
  });
});
