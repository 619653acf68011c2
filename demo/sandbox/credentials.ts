/**
 * What each gateway's console gives a merchant, made up for the sandbox. Both halves read it, as in
 * real life both the merchant and the gateway hold the shared key (or each holds one half of a key
 * pair): the merchant backend through its cashdesk/server configuration, the simulator directly.
 */
import { createHash, generateKeyPairSync, type KeyPairKeyObjectResult } from 'node:crypto';

export const EPAY = {
  pid: '1001',
  key: 'sandbox-epay-key-3f8a1c',
} as const;

/**
 * The Ping++ dashboard: the test secret key (`sk_test_` + 24) and app, the shopper's WeChat openid
 * (which a real shop gets from WeChat OAuth before a wx_pub charge), and two RSA pairs made on first
 * use: the merchant's request-signing pair (its public half uploaded to Ping++) and Ping++'s
 * webhook pair (its public half shown as "Webhooks 验证 Ping++ 公钥").
 */
export const PINGPP = {
  secretKey: 'sk_test_Sbx9XqLz0PjHv4nT8aWcK2mR',
  appId: 'app_Sbx1LqHv4nT8aWcK',
  openId: 'o7xEMsySBFG3MVHI-9VsAJX-sbx0',
} as const;

let pingppPairs: { merchant: KeyPairKeyObjectResult; webhook: KeyPairKeyObjectResult } | undefined;
/** Both Ping++ key pairs: the merchant's (signs charge requests) and Ping++'s (signs webhooks). */
export function pingppKeys(): { merchant: KeyPairKeyObjectResult; webhook: KeyPairKeyObjectResult } {
  pingppPairs ??= {
    merchant: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    webhook: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return pingppPairs;
}

/**
 * The shop's CareyShop: the app's `appkey` and `app_secret` (`get.app.list`), the session token
 * CareyShop issued the sandbox shopper at login (`user_md5(client_id . client_type . code)`), the
 * Alipay app its Alipay driver uses, and two RSA pairs made on first use: the app's (CareyShop signs
 * Alipay requests with it) and Alipay's (it signs the notifies CareyShop forwards to the shop).
 */
export const CAREYSHOP = {
  appKey: '86757125',
  appSecret: 'sandbox-careyshop-secret-5d1e9a',
  shopperToken: careyshopToken(1, 0, 'sandbox-login-current'),
  alipayAppId: '2021000118600001',
} as const;

/** CareyShop's token: `user_md5()` (md5 of the sha1) of client id, client type and login code. */
export function careyshopToken(clientId: number, clientType: number, code: string): string {
  const sha1 = createHash('sha1').update(`${clientId}${clientType}${code}`, 'utf8').digest('hex');
  return createHash('md5').update(sha1, 'utf8').digest('hex');
}

let careyshopPairs: { app: KeyPairKeyObjectResult; alipay: KeyPairKeyObjectResult } | undefined;
/** Both CareyShop key pairs: the Alipay app's (CareyShop signs forms) and Alipay's (signs notifies). */
export function careyshopKeys(): { app: KeyPairKeyObjectResult; alipay: KeyPairKeyObjectResult } {
  careyshopPairs ??= {
    app: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    alipay: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return careyshopPairs;
}

/**
 * The Alipay+ wallet's portal: the merchant's Client-Id and partnerId, and two RSA pairs (the
 * merchant uploads the public half of its own, downloads the wallet's public key). Made on first
 * use, as the sandbox has no portal to get real ones from.
 */
export const ALIPAYPLUS = {
  clientId: 'SANDBOX_5Y0A1P0000000001',
  partnerId: 'P0000000000000010001',
} as const;

let alipayplusPairs: { merchant: KeyPairKeyObjectResult; wallet: KeyPairKeyObjectResult } | undefined;
/** Both Alipay+ key pairs: the merchant's (signs requests) and the wallet's (signs answers, notifies). */
export function alipayplusKeys(): { merchant: KeyPairKeyObjectResult; wallet: KeyPairKeyObjectResult } {
  alipayplusPairs ??= {
    merchant: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    wallet: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  };
  return alipayplusPairs;
}

/** UseePay: the merchant number, the MD5 key (`pkey`) and the site registered (`appId`) in its portal. */
export const USEEPAY = {
  merchantNo: '500000000007264',
  key: 'sandbox-useepay-pkey-5d0b72',
  appId: '127.0.0.1',
} as const;
