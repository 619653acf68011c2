/**
 * Ping++ (`POST /v1/charges`): the merchant side. The create is a JSON charge request with the secret
 * key in HTTP Basic auth (`sk_live_…`, or `sk_test_…` for test mode on the same host) and, when the
 * app has request signing on, the body signed RSA-SHA256 in `Pingplusplus-Signature`. Ping++ answers
 * the charge; its `credential[channel]` is what the browser needs, so the charge goes to the widget
 * as the `data.payContent` of a `user/v2/pay` envelope (the shop API whose sample is `pingppSeed` in
 * test/fixtures/seeds.ts). The webhook (the URL set in the
 * Ping++ dashboard, i.e. this backend's notify URL) is signed RSA-SHA256 over the raw body in
 * `X-Pingplusplus-Signature`, with the key shown as "Webhooks 验证 Ping++ 公钥"; a non-2xx answer makes
 * Ping++ send it again. Sources: the Ping++ API reference (charges, webhooks), pingpp-nodejs
 * `example/charge_extra.js` (each channel's `extra`) and `example/webhooks_verify.js`.
 */

import type { KeyObject } from 'node:crypto';
import { readBody } from '../http.js';
import { rsaSign, rsaVerify } from '../signing.js';
import {
  type Client,
  type CreateInput,
  type MerchantGateway,
  type NotifyOutcome,
  ServerConfigError,
} from '../types.js';

/** Ping++'s API host, for live and test mode alike (the key decides): pingpp-go `pingpp.go` `apiBase`. */
export const PINGPP_BASE_URL = 'https://api.pingxx.com/';

/** The `user/v2/pay` envelope: `code` 200 with the charge as a JSON string, else Ping++'s HTTP status. */
export interface PingppEnvelope {
  code: number;
  message: string;
  data: { payContent: string } | null;
}

export interface PingppConfig {
  /** The secret key from the Ping++ dashboard (`sk_live_…`, `sk_test_…`). Never logged, never sent elsewhere. */
  secretKey: string;
  /** The Ping++ app id (`app_…`) the charges belong to. */
  appId: string;
  /** Ping++'s webhook public key ("Webhooks 验证 Ping++ 公钥"), PEM or a KeyObject. */
  webhookPublicKey: KeyObject | string;
  /**
   * The merchant's RSA private key whose public half is uploaded to the dashboard ("商户公钥"), for
   * request signing. Leave it out only if the app does not require signed requests.
   */
  privateKey?: KeyObject | string;
  /** The API's address; Ping++'s own by default. */
  baseUrl?: string;
  /**
   * The shopper's WeChat openid for a `wx_pub` charge (from WeChat OAuth, which the merchant's page
   * does before the checkout). Without it, WeChat's browser gets `wx_wap` instead.
   */
  openId?: (input: CreateInput) => string | undefined | Promise<string | undefined>;
  /** Wraps the envelope before it goes to the widget (a shop's own fields beside `code`/`data`). */
  answer?: (envelope: PingppEnvelope) => unknown;
}

/** The channel for the method and where the shopper is. */
function channelFor(method: string, client: Client, openId: string | undefined): string {
  // A merchant's own app webview hands tokens to the native SDKs.
  const app = client.inApp === 'webview';
  if (method === 'wxpay') {
    if (app) return 'wx';
    if (client.type === 'pc') return 'wx_pub_qr';
    if (client.type === 'wechat' && openId) return 'wx_pub';
    return 'wx_wap';
  }
  if (method === 'unionpay') return client.type === 'pc' ? 'upacp_pc' : 'upacp_wap';
  if (app) return 'alipay';
  return client.type === 'pc' ? 'alipay_pc_direct' : 'alipay_wap';
}

/** The `extra` each channel requires (pingpp-nodejs `example/charge_extra.js`). */
function extraFor(channel: string, input: CreateInput, openId: string | undefined): Record<string, string> {
  switch (channel) {
    case 'alipay_wap':
      return { success_url: input.returnUrl, cancel_url: input.returnUrl };
    case 'alipay_pc_direct':
      return { success_url: input.returnUrl };
    case 'wx_pub':
      return { open_id: openId ?? '' };
    case 'wx_pub_qr':
      return { product_id: input.order.orderId };
    case 'wx_wap':
    case 'upacp_wap':
    case 'upacp_pc':
      return { result_url: input.returnUrl };
    default:
      return {};
  }
}

/** Ping++ takes an IPv4 address. */
function ipv4(address: string): string {
  const plain = address.replace(/^::ffff:/, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(plain) ? plain : '127.0.0.1';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

export function pingpp(config: PingppConfig): MerchantGateway {
  for (const field of ['secretKey', 'appId'] as const) {
    if (typeof config?.[field] !== 'string' || config[field] === '')
      throw new ServerConfigError(`cashdesk/server: pingpp.${field} is missing`);
  }
  if (!config.webhookPublicKey) throw new ServerConfigError('cashdesk/server: pingpp.webhookPublicKey is missing');
  const base = config.baseUrl ?? PINGPP_BASE_URL;
  if (!URL.canParse(base)) throw new ServerConfigError('cashdesk/server: pingpp.baseUrl must be an absolute URL');
  const charges = new URL('v1/charges', base.endsWith('/') ? base : `${base}/`).href;
  const authorization = `Basic ${Buffer.from(`${config.secretKey}:`).toString('base64')}`;
  const answer = config.answer ?? ((envelope: PingppEnvelope) => envelope);

  return {
    id: 'pingpp',
    async create(input: CreateInput) {
      const { order } = input;
      const openId = await config.openId?.(input);
      const channel = channelFor(input.method, input.client, openId);
      // A new number per create (Ping++ refuses an order_no it has charged): the order id, then two digits.
      const orderNo = `${order.orderId}${String(input.sequence).padStart(2, '0')}`;
      const body = JSON.stringify({
        order_no: orderNo,
        app: { id: config.appId },
        channel,
        amount: order.amount,
        client_ip: ipv4(input.clientIp),
        currency: order.currency.toLowerCase(),
        subject: order.subject.slice(0, 32),
        body: order.subject.slice(0, 128),
        extra: extraFor(channel, input, openId),
        // Echoed in the charge and its webhook: how the webhook names the order.
        metadata: { order_id: order.orderId },
      });
      const headers: Record<string, string> = {
        authorization,
        'content-type': 'application/json',
        accept: 'application/json',
      };
      if (config.privateKey) headers['pingplusplus-signature'] = rsaSign(body, config.privateKey);
      const response = await fetch(charges, { method: 'POST', headers, body });
      const reply: unknown = await response.json().catch(() => undefined);
      if (!isRecord(reply)) throw new Error(`Ping++ answered HTTP ${response.status} without a JSON object`);
      if (isRecord(reply.error)) {
        // A refused charge (bad key, bad parameter, channel error): its HTTP status and message.
        const message = typeof reply.error.message === 'string' ? reply.error.message : '支付失败';
        return {
          response: answer({ code: response.status, message, data: null }),
          reference: orderNo,
          merchantReference: orderNo,
        };
      }
      const chargeId = typeof reply.id === 'string' ? reply.id : orderNo;
      return {
        response: answer({ code: 200, message: '成功', data: { payContent: JSON.stringify(reply) } }),
        reference: chargeId,
        merchantReference: orderNo,
      };
    },

    async notify(request: Request): Promise<NotifyOutcome> {
      const raw = await readBody(request);
      // Checked over the exact bytes received, before anything is parsed.
      if (!rsaVerify(raw, request.headers.get('x-pingplusplus-signature'), config.webhookPublicKey))
        return { verified: false, reply: text(401, 'signature verification failed'), why: 'bad signature' };
      let event: unknown;
      try {
        event = JSON.parse(raw);
      } catch {
        return { verified: false, reply: text(400, 'bad event'), why: 'not JSON' };
      }
      const accept = text(200, 'OK');
      const reject = text(409, 'refused');
      if (!isRecord(event) || event.object !== 'event' || event.type !== 'charge.succeeded')
        return { verified: true, accept, reject };
      const charge = isRecord(event.data) && isRecord(event.data.object) ? event.data.object : undefined;
      if (charge?.object !== 'charge' || charge.paid !== true) return { verified: true, accept, reject };
      const orderId = isRecord(charge.metadata) ? charge.metadata.order_id : undefined;
      if (charge.app !== config.appId || typeof orderId !== 'string' || typeof charge.amount !== 'number')
        return { verified: false, reply: reject, why: 'not a charge of ours' };
      return {
        verified: true,
        accept,
        reject,
        result: {
          orderId,
          status: 'paid',
          // Ping++ amounts are minor units already.
          amount: charge.amount,
          ...(typeof charge.currency === 'string' ? { currency: charge.currency } : {}),
          references: [charge.id, charge.order_no].filter((value): value is string => typeof value === 'string'),
        },
      };
    },
  };
}
