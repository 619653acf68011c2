/**
 * UseePay local payment, Alipay direct (`POST {baseUrl}/api`): the merchant side. The
 * create is a form POST with `payerInfo`, `userInfo` and `orderInfo` as JSON strings, signed with
 * MD5 over the sorted non-empty parameters plus `&pkey=<key>` (`signType` signed too); the answer
 * carries the same signature, checked before its body is passed on. The notify is a form POST to
 * `notifyUrl` with `resultCode` and the same signature, answered `OK` with HTTP 200 (anything else
 * makes UseePay send it again).
 * Sources: UseePay's "Alipay · Direct" API page (`POST BASE_URL/api`; its samples are in
 * test/fixtures/seeds.ts), nswbmw/useepay-node `src/index.js`
 * (`_genMD5Sign`, `_getURL`), useepay2020/useepay-java `SecurityUtils.buildParam`.
 */
import { readBody } from '../http.js';
import { sameSignature, splitsCanonical, useepaySign } from '../signing.js';
import {
  type Client,
  type CreateInput,
  type MerchantGateway,
  type NotifyOutcome,
  ServerConfigError,
} from '../types.js';

/** UseePay's gateway addresses (nswbmw/useepay-node `src/index.js`, `_getURL`). */
export const USEEPAY_BASE_URLS = {
  production: 'https://pay-gateway.useepay.com/',
  sandbox: 'https://pay-gateway1.uat.useepay.com/',
} as const;

export interface UseepayConfig {
  /** The merchant number (`merchantNo`) from the UseePay merchant portal. */
  merchantNo: string;
  /** The MD5 key (`pkey`) from the UseePay merchant portal. Never logged, never sent. */
  key: string;
  /** The site's domain as registered with UseePay (`appId`, e.g. `shop.example`). */
  appId: string;
  /** Where `/api` is: `USEEPAY_BASE_URLS.production`, `.sandbox`, or a simulator's address. */
  baseUrl: string;
  /** `transactionExpirationTime` in minutes, 1 to 10 (UseePay's limit); 10 by default. */
  expirationMinutes?: number;
}

/** The keys of UseePay's notify (its payment result), and no others. */
const NOTIFY_KEYS = [
  'version',
  'transactionId',
  'transactionType',
  'reference',
  'amount',
  'currency',
  'merchantNo',
  'echoParam',
  'reserved',
  'resultCode',
  'errorCode',
  'errorMsg',
  'signType',
  'sign',
];

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** payerInfo for Alipay direct: WEB on a desktop, WAP (with the phone's OS) everywhere else. */
function payerInfo(client: Client, userAgent: string): Record<string, string> {
  if (client.type === 'pc') return { paymentMethod: 'alipay', terminalType: 'WEB' };
  const android = client.os === 'android' || (client.os !== 'ios' && /Android/i.test(userAgent));
  return { paymentMethod: 'alipay', terminalType: 'WAP', osType: android ? 'ANDROID' : 'IOS' };
}

export function useepay(config: UseepayConfig): MerchantGateway {
  for (const field of ['merchantNo', 'key', 'appId', 'baseUrl'] as const) {
    if (typeof config?.[field] !== 'string' || config[field] === '')
      throw new ServerConfigError(`cashdesk/server: useepay.${field} is missing`);
  }
  if (!URL.canParse(config.baseUrl))
    throw new ServerConfigError('cashdesk/server: useepay.baseUrl must be an absolute URL');
  const minutes = config.expirationMinutes ?? 10;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 10)
    throw new ServerConfigError('cashdesk/server: useepay.expirationMinutes must be an integer from 1 to 10');
  const api = new URL('api', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`).href;
  const sign = (params: Record<string, unknown>) => useepaySign(params, config.key);

  return {
    id: 'useepay',
    async create(input: CreateInput) {
      const { order } = input;
      // A new number per create: UseePay refuses a transactionId it has seen.
      const transactionId = `${order.orderId}-${input.sequence}`;
      const subject = order.subject.slice(0, 128);
      const params: Record<string, string> = {
        transactionType: 'pay',
        version: '1.0',
        signType: 'MD5',
        merchantNo: config.merchantNo,
        transactionId,
        transactionExpirationTime: String(minutes),
        appId: config.appId,
        // UseePay amounts are in the currency's minor units already.
        amount: String(order.amount),
        currency: order.currency,
        notifyUrl: input.notifyUrl,
        redirectUrl: input.returnUrl,
        echoParam: order.orderId,
        payerInfo: JSON.stringify(payerInfo(input.client, input.userAgent)),
        userInfo: JSON.stringify({ ip: input.clientIp }),
        orderInfo: JSON.stringify({
          subject,
          goodsInfo: [{ name: subject, body: subject, quantity: 1, price: String(order.amount) }],
        }),
      };
      const response = await fetch(api, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...params, sign: sign(params) }),
      });
      if (!response.ok) throw new Error(`UseePay answered HTTP ${response.status}`);
      const answer: unknown = await response.json();
      if (answer === null || typeof answer !== 'object' || Array.isArray(answer))
        throw new Error('UseePay answered something other than a JSON object');
      // Checked here, never in the browser: the key stays on the server. A refusal (`failed`,
      // 1001) is signed too and passed on as it came: the widget shows it as a failure.
      const { sign: signature, ...rest } = answer as Record<string, unknown>;
      if (typeof signature !== 'string' || !sameSignature(signature, sign(rest)))
        throw new Error('the UseePay answer failed its signature check');
      const reference = (answer as { reference?: unknown }).reference;
      return {
        response: answer,
        reference: typeof reference === 'string' && reference !== '' ? reference : transactionId,
        merchantReference: transactionId,
      };
    },

    async notify(request: Request): Promise<NotifyOutcome> {
      const form = new URLSearchParams(request.method === 'POST' ? await readBody(request) : '');
      const params = Object.fromEntries(form);
      const fail = (why: string): NotifyOutcome => ({ verified: false, reply: text(400, why), why });
      // Only the notify's documented keys, once each, and no value that could pass for more
      // pairs: a string the key signed elsewhere (a refusal echoing a request) must not split
      // into a notify of other parameters.
      if ([...form.keys()].length !== Object.keys(params).length) return fail('not a UseePay notify');
      if (splitsCanonical(params, NOTIFY_KEYS)) return fail('not a UseePay notify');
      const { sign: signature, ...rest } = params;
      if (!sameSignature(signature, sign(rest))) return fail('bad signature');
      if (params.merchantNo !== config.merchantNo) return fail('not our merchantNo');
      const accept = text(200, 'OK');
      const reject = text(400, 'refused');
      const transactionId = params.transactionId ?? '';
      const orderId = transactionId.replace(/-\d+$/, '');
      if (orderId === transactionId) return fail('not a payment of ours');
      // A refund's notify, say: nothing this module records.
      if (params.transactionType !== 'pay') return { verified: true, accept, reject };
      // UseePay's own reference, which its answers to a refused request never carry: those are
      // signed with the same key and echo the shop's guessable transactionId, so a refusal replayed
      // whole would otherwise pass for a "failed" notify. The order's attempt must have it.
      if (!params.reference) return fail('no UseePay reference');
      const references = [params.reference];
      const code = params.errorCode || undefined;
      const message = params.errorMsg || undefined;
      const settled = (status: 'failed' | 'expired' | 'canceled'): NotifyOutcome => ({
        verified: true,
        accept,
        reject,
        result: {
          orderId,
          status,
          references,
          ...(code !== undefined ? { code } : {}),
          ...(message !== undefined ? { message } : {}),
        },
      });
      switch (params.resultCode) {
        case 'succeed': {
          if (!/^\d{1,12}$/.test(params.amount ?? '')) return fail('no amount');
          return {
            verified: true,
            accept,
            reject,
            result: {
              orderId,
              status: 'paid',
              amount: Number(params.amount),
              ...(params.currency ? { currency: params.currency } : {}),
              references,
            },
          };
        }
        case 'failed':
          return settled('failed');
        case 'closed':
          return settled('expired');
        case 'cancelled':
          return settled('canceled');
        default:
          // pending, received, challenge: not final, nothing to record.
          return { verified: true, accept, reject };
      }
    },
  };
}
