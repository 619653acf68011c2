import { expect } from '@open-wc/testing';
import { isCheckoutError } from '../../../src/core/errors.js';
import type { ActionOf } from '../../../src/core/next-action.js';
import {
  DEFAULT_MINI_PROGRAM_PAGE,
  handOffUrl,
  handToMiniProgram,
  WEB_VIEW_SCRIPTS,
} from '../../../src/perform/mini-program.js';

const WX: ActionOf<'mini-program'> = {
  kind: 'mini-program',
  platform: 'wechat',
  params: {
    appId: 'wx2421b1c4370ec43b',
    timeStamp: '1395712654',
    nonceStr: 'e61463f8efa94090b1f366cccfbbb444',
    package: 'prepay_id=wx201410272009395522657a690389285100',
    signType: 'RSA',
    paySign: 'oR9d8Puh+/A==',
  },
};
const ALI: ActionOf<'mini-program'> = {
  kind: 'mini-program',
  platform: 'alipay',
  params: { tradeNO: '2017111521001104105336' },
};

/** The parameters as the mini-program page's `onLoad(query)` reads them, decoded. */
function queryOf(url: string): Record<string, string> {
  const search = url.slice(url.indexOf('?') + 1);
  return Object.fromEntries(
    search.split('&').map((pair) => pair.split('=').map(decodeURIComponent) as [string, string]),
  );
}

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('mini-program hand-off', () => {
  it('builds the documented URL: the page, orderId, then the six WeChat parameters, each encoded', () => {
    const url = handOffUrl(WX, 'A-1001 &x');
    expect(url.startsWith(`${DEFAULT_MINI_PROGRAM_PAGE}?orderId=A-1001%20%26x&appId=`)).to.equal(true);
    expect(Object.keys(queryOf(url))).to.deep.equal([
      'orderId',
      'appId',
      'timeStamp',
      'nonceStr',
      'package',
      'signType',
      'paySign',
    ]);
    expect(queryOf(url)).to.deep.equal({ orderId: 'A-1001 &x', ...WX.params });
    expect(url).to.include('package=prepay_id%3Dwx2014');
  });

  it('Alipay: orderId and tradeNO; a page of the merchant’s own, with or without a query', () => {
    expect(handOffUrl(ALI, 'A1', '/pay/index')).to.equal('/pay/index?orderId=A1&tradeNO=2017111521001104105336');
    expect(handOffUrl(ALI, 'A1', '/pay/index?from=h5')).to.equal(
      '/pay/index?from=h5&orderId=A1&tradeNO=2017111521001104105336',
    );
  });

  it('refuses a page that is not an absolute page path, and a missing parameter', () => {
    for (const page of ['pages/pay', 'https://evil.example/', '/pay#x']) {
      expect(() => handOffUrl(ALI, 'A1', page))
        .to.throw()
        .with.property('code', 'invalid_field');
    }
    expect(() => handOffUrl({ ...WX, params: { ...WX.params, paySign: '' } }, 'A1'))
      .to.throw()
      .with.property('code', 'invalid_field');
  });

  it('WeChat: calls wx.miniProgram.navigateTo with the URL once getEnv says miniprogram', async () => {
    const urls: string[] = [];
    const win = {
      wx: {
        miniProgram: {
          getEnv: (cb: (res: { miniprogram: boolean }) => void) => setTimeout(() => cb({ miniprogram: true }), 1),
          navigateTo(this: unknown, options: { url: string; success?: () => void }) {
            expect(this).to.equal(win.wx.miniProgram);
            urls.push(options.url);
            setTimeout(() => options.success?.(), 1);
          },
        },
      },
    };
    await handToMiniProgram(WX, 'A1', { page: '/p/pay' }, win);
    expect(urls).to.deep.equal([handOffUrl(WX, 'A1', '/p/pay')]);
  });

  it('Alipay: calls my.navigateTo; the default page when the element’s attribute is empty', async () => {
    const urls: string[] = [];
    const win = {
      my: {
        getEnv: (cb: (res: { miniprogram: boolean }) => void) => cb({ miniprogram: true }),
        navigateTo: (o: { url: string; success?: () => void }) => {
          urls.push(o.url);
          o.success?.();
        },
      },
    };
    await handToMiniProgram(ALI, 'A1', { page: '' }, win);
    expect(urls).to.deep.equal([`${DEFAULT_MINI_PROGRAM_PAGE}?orderId=A1&tradeNO=2017111521001104105336`]);
  });

  it('without the web-view script: bridge_unavailable naming the script to include', async () => {
    for (const [action, script] of [
      [WX, WEB_VIEW_SCRIPTS.wechat],
      [ALI, WEB_VIEW_SCRIPTS.alipay],
    ] as const) {
      const error = await refusal(handToMiniProgram(action, 'A1', {}, {}));
      expect(isCheckoutError(error, 'bridge_unavailable')).to.equal(true);
      expect((error as Error).message).to.include(`<script src="${script}"></script>`);
    }
    // jweixin without miniProgram (an old version) is missing the SDK too.
    const old = await refusal(handToMiniProgram(WX, 'A1', {}, { wx: { config() {} } }));
    expect(isCheckoutError(old, 'bridge_unavailable')).to.equal(true);
  });

  it("navigateTo's fail (a page the mini-program does not have) is bridge_failed, for the shopper to retry", async () => {
    const win = {
      wx: {
        miniProgram: {
          getEnv: (cb: (res: { miniprogram: boolean }) => void) => cb({ miniprogram: true }),
          navigateTo: (o: { fail?: (res: { errMsg: string }) => void }) =>
            setTimeout(() => o.fail?.({ errMsg: 'navigateTo:fail page "p/pay" is not found' }), 1),
        },
      },
    };
    const error = await refusal(handToMiniProgram(WX, 'A1', { page: '/p/pay' }, win));
    expect(isCheckoutError(error, 'bridge_failed')).to.equal(true);
    expect((error as Error).message).to.include('is not found');
  });

  it('a named iframe is never the SDK', async () => {
    const frame = document.createElement('iframe');
    frame.name = 'my';
    document.body.append(frame);
    try {
      const error = await refusal(handToMiniProgram(ALI, 'A1', {}, window));
      expect(isCheckoutError(error, 'bridge_unavailable')).to.equal(true);
    } finally {
      frame.remove();
    }
  });

  it('getEnv saying no mini-program, or never answering, stops the hand-off', async () => {
    const navigateTo = () => {
      throw new Error('must not navigate');
    };
    const no = {
      my: { getEnv: (cb: (res: { miniprogram: boolean }) => void) => cb({ miniprogram: false }), navigateTo },
    };
    expect(isCheckoutError(await refusal(handToMiniProgram(ALI, 'A1', {}, no)), 'bridge_unavailable')).to.equal(true);
    const silent = { my: { getEnv: () => {}, navigateTo } };
    const error = await refusal(handToMiniProgram(ALI, 'A1', { getEnvTimeout: 20 }, silent));
    expect(isCheckoutError(error, 'bridge_timeout')).to.equal(true);
  });

  it('a navigateTo that throws is bridge_failed; an abort before it, aborted', async () => {
    const throwing = {
      my: {
        navigateTo: () => {
          throw new Error('boom');
        },
      },
    };
    expect(isCheckoutError(await refusal(handToMiniProgram(ALI, 'A1', {}, throwing)), 'bridge_failed')).to.equal(true);
    const abort = new AbortController();
    const win = {
      my: {
        getEnv: (cb: (res: { miniprogram: boolean }) => void) => setTimeout(() => cb({ miniprogram: true }), 20),
        navigateTo: () => {
          throw new Error('must not navigate');
        },
      },
    };
    const pending = handToMiniProgram(ALI, 'A1', { signal: abort.signal }, win);
    abort.abort();
    expect(isCheckoutError(await refusal(pending), 'aborted')).to.equal(true);
  });
});
