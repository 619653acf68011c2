/**
 * The sandbox shop's backend: `cashdesk/server`, configured exactly as a merchant configures it, with
 * the credentials each gateway's console gave (`credentials.ts`) and the simulators' addresses as
 * the gateways' base URLs. Nothing here knows the gallery's scenarios.
 */

import { alipayplus } from '../../src/server/gateways/alipayplus.js';
import { careyshop } from '../../src/server/gateways/careyshop.js';
import { epay } from '../../src/server/gateways/epay.js';
import { pingpp } from '../../src/server/gateways/pingpp.js';
import { useepay } from '../../src/server/gateways/useepay.js';
import { createCashdeskServer, type MerchantGateway, type OrderStore } from '../../src/server/index.js';
import {
  ALIPAYPLUS,
  alipayplusKeys,
  CAREYSHOP,
  careyshopKeys,
  EPAY,
  PINGPP,
  pingppKeys,
  USEEPAY,
} from './credentials.js';

export function merchantServer(
  /** The shop's own origin. */
  origin: string | (() => string),
  orders: OrderStore,
  /** Where the simulators are: the gateways' base URLs start here. */
  gatewaysAt = typeof origin === 'string' ? origin : '',
) {
  const gateways: MerchantGateway[] = [
    epay({ ...EPAY, baseUrl: `${gatewaysAt}/gw/epay/` }),
    pingpp({
      secretKey: PINGPP.secretKey,
      appId: PINGPP.appId,
      privateKey: pingppKeys().merchant.privateKey,
      webhookPublicKey: pingppKeys().webhook.publicKey,
      baseUrl: `${gatewaysAt}/gw/pingpp/`,
      // The sandbox's WeChat browser has always been through OAuth: this is the shopper's openid.
      openId: () => PINGPP.openId,
      // The shop's user/v2/pay answer as `pingppSeed` (test/fixtures/seeds.ts) shows it, with its page and foot.
      answer: (envelope) => ({ ...envelope, page: null, foot: seedFoot() }),
    }),
    careyshop({
      appKey: CAREYSHOP.appKey,
      appSecret: CAREYSHOP.appSecret,
      baseUrl: `${gatewaysAt}/gw/careyshop/`,
      // The shopper signed in to the shop's CareyShop once (`login.user.user`); the shop kept the token.
      token: () => CAREYSHOP.shopperToken,
      alipayAppId: CAREYSHOP.alipayAppId,
      alipayPublicKey: careyshopKeys().alipay.publicKey,
    }),
    alipayplus({
      ...ALIPAYPLUS,
      privateKey: alipayplusKeys().merchant.privateKey,
      walletPublicKey: alipayplusKeys().wallet.publicKey,
      baseUrl: `${gatewaysAt}/gw/alipayplus/`,
    }),
    useepay({ ...USEEPAY, baseUrl: `${gatewaysAt}/gw/useepay/` }),
  ];
  return createCashdeskServer({ origin, gateways, orders, returnPage: '/return.html' });
}

/** `pingppSeed`'s `foot`: the time of the answer (Beijing), the shop's service phone and host. */
function seedFoot() {
  const iso = new Date(Date.now() + 8 * 3600_000).toISOString();
  return { operationTime: `${iso.slice(0, 10)} ${iso.slice(11, 19)}`, servicePhone: '400800400', host: 'localhost' };
}
