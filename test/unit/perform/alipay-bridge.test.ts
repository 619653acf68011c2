// Alipay's cashier inside the Alipay app (AlipayJSBridge `tradePay`), against a bridge that
// behaves as Alipay documents it: https://global.alipay.com/docs/ac/global/jsapitradepay
import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import { invokeAlipayTradePay, toAlipayResult, tradePayRequest } from '../../../src/perform/alipay-bridge.js';

const ALIPAY_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 ' +
  'ChannelId(1) Ariver/1.1.0 AliApp(AP/10.5.96.6000) Nebula WK RVKType(0) AlipayDefined(nt:WIFI,ws:390|780|3.0) ' +
  'AlipayClient/10.5.96.6000 Language/zh-Hans Region/CN NebulaX/1.0.0';
const ORDER_STR = 'app_id=2021000000000000&biz_content=%7B%7D&method=alipay.trade.app.pay&sign=abc%2B%3D';

interface Call {
  api: string;
  params: Record<string, string>;
  callback: (res: unknown) => void;
}

/** Behaves like the bridge the Alipay app injects: `call(api, params, callback)`, the callback later. */
function fakeBridge(answer?: unknown) {
  const calls: Call[] = [];
  const bridge = {
    call(this: unknown, api: string, params: Record<string, string>, callback: (res: unknown) => void) {
      if (this !== bridge) throw new TypeError('Illegal invocation');
      calls.push({ api, params, callback });
      if (answer !== undefined) setTimeout(() => callback(answer), 5);
    },
  };
  return { bridge, calls };
}

type BridgeHost = { AlipayJSBridge?: unknown };
const install = (bridge: unknown) => {
  (window as unknown as BridgeHost).AlipayJSBridge = bridge;
};
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

describe('invokeAlipayTradePay', () => {
  afterEach(() => {
    delete (window as unknown as BridgeHost).AlipayJSBridge;
    delete (navigator as { userAgent?: string }).userAgent;
  });

  it('calls tradePay at once when the bridge is there, with {orderStr} unchanged', async () => {
    const { bridge, calls } = fakeBridge({ resultCode: '9000', memo: '', result: '{}' });
    install(bridge);
    const result = await invokeAlipayTradePay(ORDER_STR);
    expect(result).to.deep.equal({ resultCode: '9000' });
    expect(calls).to.have.length(1);
    expect(calls[0]?.api).to.equal('tradePay');
    expect(calls[0]?.params).to.deep.equal({ orderStr: ORDER_STR });
  });

  it('pays a trade number with {tradeNO}, and nothing else of the token', async () => {
    const { bridge, calls } = fakeBridge({ resultCode: '6001', memo: '用户中途取消' });
    install(bridge);
    const result = await invokeAlipayTradePay({ tradeNO: '2026120722001414841426413774', extra: 'x' });
    expect(result).to.deep.equal({ resultCode: '6001', memo: '用户中途取消' });
    expect(calls[0]?.params).to.deep.equal({ tradeNO: '2026120722001414841426413774' });
  });

  it('refuses a token that is neither, without calling Alipay', async () => {
    const { bridge, calls } = fakeBridge({ resultCode: '9000' });
    install(bridge);
    for (const token of ['', {}, { tradeNO: 42 }, { trade_no: 'x' }] as never[]) {
      expect(await codeOf(invokeAlipayTradePay(token))).to.equal('invalid_field');
    }
    expect(calls).to.have.length(0);
    expect(() => tradePayRequest({ tradeNO: '' })).to.throw();
  });

  it('reads resultCode as a string, a number too; anything else is an empty code', () => {
    expect(toAlipayResult({ resultCode: 4000, memo: '订单支付失败' })).to.deep.equal({
      resultCode: '4000',
      memo: '订单支付失败',
    });
    expect(toAlipayResult(undefined)).to.deep.equal({ resultCode: '' });
    expect(toAlipayResult({ resultCode: { x: 1 } })).to.deep.equal({ resultCode: '' });
  });

  it('waits for AlipayJSBridgeReady when the bridge comes later, then calls it once', async () => {
    setUserAgent(ALIPAY_UA);
    const { bridge, calls } = fakeBridge({ resultCode: '8000' });
    const paying = invokeAlipayTradePay(ORDER_STR, { readyTimeout: 1000 });
    await tick(20);
    expect(calls).to.have.length(0);
    install(bridge);
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    expect(await paying).to.deep.equal({ resultCode: '8000' });
    expect(calls).to.have.length(1);
  });

  it('rejects with bridge_timeout when the bridge never becomes ready, and past a ready event with no bridge', async () => {
    setUserAgent(ALIPAY_UA);
    const paying = invokeAlipayTradePay(ORDER_STR, { readyTimeout: 50 });
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    expect(await codeOf(paying)).to.equal('bridge_timeout');
  });

  it('rejects at once with bridge_unavailable outside the Alipay app', async () => {
    expect(await codeOf(invokeAlipayTradePay(ORDER_STR, { readyTimeout: 10_000 }))).to.equal('bridge_unavailable');
  });

  it('takes an <iframe name="AlipayJSBridge"> in the page for no bridge, without a SecurityError', async () => {
    const frame = document.createElement('iframe');
    frame.name = 'AlipayJSBridge';
    document.body.append(frame);
    try {
      expect(await codeOf(invokeAlipayTradePay(ORDER_STR))).to.equal('bridge_unavailable');
    } finally {
      frame.remove();
    }
  });

  it('rejects with bridge_failed when call throws', async () => {
    install({
      call() {
        throw new Error('gone');
      },
    });
    expect(await codeOf(invokeAlipayTradePay(ORDER_STR))).to.equal('bridge_failed');
  });

  it('has no time limit once the cashier is up, and ignores a second callback', async () => {
    const { bridge, calls } = fakeBridge();
    install(bridge);
    const paying = invokeAlipayTradePay(ORDER_STR, { readyTimeout: 10 });
    await tick(40);
    calls[0]?.callback({ resultCode: '9000' });
    calls[0]?.callback({ resultCode: '4000' });
    expect(await paying).to.deep.equal({ resultCode: '9000' });
  });

  it('honours the signal while waiting for the bridge and while the cashier is up', async () => {
    setUserAgent(ALIPAY_UA);
    const waiting = new AbortController();
    const early = invokeAlipayTradePay(ORDER_STR, { signal: waiting.signal, readyTimeout: 10_000 });
    waiting.abort();
    expect(await codeOf(early)).to.equal('aborted');

    const { bridge, calls } = fakeBridge();
    install(bridge);
    const up = new AbortController();
    const late = invokeAlipayTradePay(ORDER_STR, { signal: up.signal });
    up.abort();
    expect(await codeOf(late)).to.equal('aborted');
    calls[0]?.callback({ resultCode: '9000' });
    const gone = new AbortController();
    gone.abort();
    expect(await codeOf(invokeAlipayTradePay(ORDER_STR, { signal: gone.signal }))).to.equal('aborted');
  });
});
