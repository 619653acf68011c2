import { expect } from '@open-wc/testing';
import { clientInfo, detectEnvironment, detectNativeBridge } from '../../../src/core/environment.js';

const UA = {
  desktop: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.49(0x18003133) NetType/WIFI Language/zh_CN',
  miniprogram:
    'Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/111.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 miniProgram/wx1234',
  alipay:
    'Mozilla/5.0 (Linux; Android 13; SM-S9180) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/104.0 Mobile Safari/537.36 AlipayChannelId/5136 AlipayClient/10.5.86.8000 Language/zh-Hans',
  qq: 'Mozilla/5.0 (Linux; Android 13; PFEM10) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/98.0 Mobile Safari/537.36 QQ/9.0.20.14110 V1_AND_SQ_9.0.20',
};

describe('environment', () => {
  it('tells desktop from phones and names the OS', () => {
    expect(detectEnvironment(UA.desktop, {})).to.deep.equal({ mobile: false, os: 'other' });
    expect(detectEnvironment(UA.iphone, {})).to.deep.equal({ mobile: true, os: 'ios' });
    expect(detectEnvironment(UA.android, {})).to.deep.equal({ mobile: true, os: 'android' });
  });

  it('recognises WeChat, its mini-program web-view, Alipay and QQ', () => {
    expect(detectEnvironment(UA.wechat, {}).inApp).to.equal('wechat');
    expect(detectEnvironment(UA.miniprogram, {}).inApp).to.equal('wechat-miniprogram');
    expect(detectEnvironment(UA.android, { __wxjs_environment: 'miniprogram' }).inApp).to.equal(undefined);
    expect(
      detectEnvironment(`${UA.android} MicroMessenger/8.0.1`, { __wxjs_environment: 'miniprogram' }).inApp,
    ).to.equal('wechat-miniprogram');
    expect(detectEnvironment(UA.alipay, {}).inApp).to.equal('alipay');
    expect(detectEnvironment(UA.qq, {}).inApp).to.equal('qq');
  });

  it('recognises the Alipay mini-program web-view as Alipay documents it (AlipayClient … MiniProgram), sent as client type alipay', () => {
    const mini = `${UA.alipay} MiniProgram`;
    const env = detectEnvironment(mini, {});
    expect(env.inApp).to.equal('alipay-miniprogram');
    expect(clientInfo(env)).to.deep.equal({ type: 'alipay', os: 'android', inApp: 'alipay-miniprogram' });
    // `my` alone (Alipay's web-view script loaded in another browser) is no mini-program.
    expect(detectEnvironment(UA.android, { my: { navigateTo() {} } }).inApp).to.equal(undefined);
    expect(detectEnvironment(UA.alipay, {}).inApp).to.equal('alipay');
  });

  it('finds the native bridges an app webview exposes', () => {
    const ios = { webkit: { messageHandlers: { cashdesk: { postMessage() {} } } } };
    const android = { CashdeskBridge: { postMessage() {} } };
    const rn = { ReactNativeWebView: { postMessage() {} } };
    expect(detectEnvironment(UA.iphone, ios)).to.deep.equal({
      mobile: true,
      os: 'ios',
      inApp: 'webview',
      nativeBridge: 'ios',
    });
    expect(detectEnvironment(UA.android, android).nativeBridge).to.equal('android');
    expect(detectEnvironment(UA.android, rn).nativeBridge).to.equal('react-native');
  });

  describe('markup alone never passes for a native bridge', () => {
    const frames: HTMLIFrameElement[] = [];
    /** A named frame, as HTML injected into the merchant's page could add, without any script. */
    async function namedFrame(name: string, attributes: Record<string, string> = {}): Promise<void> {
      const frame = document.createElement('iframe');
      frame.name = name;
      for (const [key, value] of Object.entries(attributes)) frame.setAttribute(key, value);
      const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      document.body.append(frame);
      frames.push(frame);
      await loaded;
    }
    afterEach(() => {
      for (const frame of frames.splice(0)) frame.remove();
    });

    it('<iframe name="CashdeskBridge"> and <iframe name="ReactNativeWebView"> are not app bridges', async () => {
      await namedFrame('CashdeskBridge');
      await namedFrame('ReactNativeWebView');
      expect(
        typeof (window as unknown as { CashdeskBridge: { postMessage: unknown } }).CashdeskBridge.postMessage,
      ).to.equal('function');
      expect(detectNativeBridge(window)).to.equal(undefined);
      expect(detectEnvironment(UA.android, window).inApp).to.equal(undefined);
    });

    it('<iframe name="webkit">, cross-origin or holding frames named like the handler, is not the iOS bridge', async () => {
      // A sandboxed frame is cross-origin: reading `messageHandlers` through it throws.
      await namedFrame('webkit', { sandbox: '', srcdoc: '<p>x</p>' });
      expect(() => detectNativeBridge(window)).not.to.throw();
      expect(detectNativeBridge(window)).to.equal(undefined);
      for (const frame of frames.splice(0)) frame.remove();
      await namedFrame('webkit', {
        srcdoc: '<iframe name="messageHandlers" srcdoc="<iframe name=cashdesk></iframe>"></iframe>',
      });
      expect(detectNativeBridge(window)).to.equal(undefined);
    });
  });

  it('builds the client object of the create request', () => {
    expect(clientInfo(detectEnvironment(UA.desktop, {}))).to.deep.equal({ type: 'pc', os: 'other', inApp: null });
    expect(clientInfo(detectEnvironment(UA.android, {}))).to.deep.equal({ type: 'mobile', os: 'android', inApp: null });
    expect(clientInfo(detectEnvironment(UA.wechat, {}))).to.deep.equal({ type: 'wechat', os: 'ios', inApp: 'wechat' });
    expect(clientInfo(detectEnvironment(UA.alipay, {})).type).to.equal('alipay');
    expect(clientInfo(detectEnvironment(UA.qq, {})).type).to.equal('qq');
  });
});
