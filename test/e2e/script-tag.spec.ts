/**
 * The script-tag build on a plain merchant page: `window.Cashdesk.toAction` classifies the five
 * seed samples, and never navigates, fetches or touches the page's DOM while doing it.
 */
import { expect, type Page, test } from '@playwright/test';
import { alipayplusSeed, careyshopSeed, epaySeed, pingppSeed, useepaySeed } from '../fixtures/seeds.js';
import { classify, openMerchant } from './merchant-page.js';

/** The plain page at `origin`, where nothing but the page and the bundle may be requested. */
const openMerchantPage = (p: Page, origin: string) => openMerchant(p, { origin, isolated: true });

const seeds = {
  pingpp: pingppSeed,
  epay: epaySeed,
  careyshop: careyshopSeed,
  alipayplus: alipayplusSeed,
  useepay: useepaySeed,
};

test('every named export is on window.Cashdesk', async ({ page: p }) => {
  await openMerchantPage(p, 'http://merchant.test');
  const names = await p.evaluate(() => Object.keys((window as unknown as { Cashdesk: object }).Cashdesk).sort());
  expect(names).toEqual(
    expect.arrayContaining(['toAction', 'registerGateway', 'CheckoutError', 'isCheckoutError', 'ACTION_KINDS']),
  );
});

test('classifies the five seed samples from a plain http page', async ({ page: p }) => {
  await openMerchantPage(p, 'http://merchant.test');
  const actions: Record<string, unknown> = {};
  for (const [gateway, response] of Object.entries(seeds)) actions[gateway] = await classify(p, gateway, response);

  expect(actions.pingpp).toMatchObject({
    kind: 'wechat-jsapi',
    gateway: 'pingpp',
    testMode: true,
    params: {
      appId: 'wxmbt0u9gosoydvhyn',
      timeStamp: '1444444728',
      nonceStr: 'dabcee564bad7f47b65f709703317506',
      package: 'prepayid=1101000000151010j1mli5lsydsgpyt4',
      signType: 'MD5',
      paySign: '625252DAE70AC7FD2FBC53175E7FB1C0',
    },
  });
  expect(actions.epay).toMatchObject({
    kind: 'redirect',
    gateway: 'epay',
    url: 'http://fps.cloudfament.co/pay/wxpay/202010903/',
    reference: '20200806151343349',
  });
  expect(actions.careyshop).toEqual({
    kind: 'sdk-token',
    gateway: 'careyshop',
    sdk: 'alipay',
    token: careyshopSeed.data,
  });
  expect(actions.alipayplus).toMatchObject({
    kind: 'redirect',
    gateway: 'alipayplus',
    url: 'http://www.merchant.com/cashier?orderId=xxxxxxx',
  });
  expect(actions.useepay).toMatchObject({
    kind: 'qr',
    gateway: 'useepay',
    content: 'weixin://wxpay/bizpayurl?pr=qCJcd2azz',
    reference: '1012201181439650764',
  });
});

test('on an https page, the seeds http: targets are refused unless the merchant opts in', async ({ page: p }) => {
  await openMerchantPage(p, 'https://merchant.test');
  const attempt = async (gateway: keyof typeof seeds, options?: object) => {
    const action = await classify(p, gateway, seeds[gateway], options);
    return action.error ?? action.kind;
  };
  const outcome = {
    epay: await attempt('epay'),
    alipayplus: await attempt('alipayplus'),
    epayOptIn: await attempt('epay', { allowInsecure: true }),
    alipayplusOptIn: await attempt('alipayplus', { allowInsecure: true }),
  };
  expect(outcome).toEqual({
    epay: 'unsafe_url_scheme',
    alipayplus: 'unsafe_url_scheme',
    epayOptIn: 'redirect',
    alipayplusOptIn: 'redirect',
  });
});

test('never navigates, fetches or changes the page, even for hostile and HTML bodies', async ({ page: p }) => {
  const requests = await openMerchantPage(p, 'http://merchant.test');
  const before = requests.length;
  const result = await p.evaluate(async (all) => {
    const { toAction } = (window as unknown as { Cashdesk: { toAction: (g: string, r: unknown) => unknown } }).Cashdesk;
    const mutations: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const record of records) mutations.push(record.type);
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    const hostile: [string, unknown][] = [
      // CareyShop's WeChat answer is an <img>; parsing it must not load the image.
      [
        'careyshop',
        '<img src="https://shop.example/api/v1/qrcode/method/get.qrcode.item.html?text=weixin%3A%2F%2Fwxpay%2Fbizpayurl%3Fpr%3Dabc"/>',
      ],
      ['careyshop', '<img src="https://evil.example/x.png" onerror="window.__pwned = 1">'],
      [
        'careyshop',
        "<form id='alipaysubmit' name='alipaysubmit' action='javascript:window.__pwned=2' method='POST'></form><script>document.forms['alipaysubmit'].submit();</script>",
      ],
      ['epay', { code: 1, payurl: 'javascript:window.__pwned=3' }],
      [
        'useepay',
        { resultCode: 'pending', amount: '1', redirectUrl: 'data:text/html,<script>parent.__pwned=4</script>' },
      ],
      ...Object.entries(all),
    ];
    const kinds = hostile.map(([gateway, response]) => {
      try {
        return (toAction(gateway, response) as { kind: string }).kind;
      } catch (error) {
        return (error as { code?: string }).code ?? 'thrown';
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    observer.disconnect();
    return {
      kinds,
      mutations,
      href: location.href,
      pwned: (window as unknown as { __pwned?: number }).__pwned,
    };
  }, seeds);
  expect(result.kinds.slice(0, 5)).toEqual([
    'qr',
    'unexpected_markup',
    'unsafe_url_scheme',
    'unsafe_url_scheme',
    'unsafe_url_scheme',
  ]);
  expect(result.mutations).toEqual([]);
  expect(result.href).toBe('http://merchant.test/');
  expect(result.pwned).toBeUndefined();
  expect(requests.slice(before)).toEqual([]);
});
