/**
 * epay (彩虹易支付) and its clones, `mapi.php`: the merchant side. The create is a form POST signed
 * with MD5 over the sorted non-empty parameters plus the merchant key; the notify is a GET to
 * `notify_url` with the same signature, answered `success` (anything else makes epay send it again).
 * Source: the epay plugin's `template/default/doc.inc.php` (its API page) and `submit.php`.
 */
import { readBody } from '../http.js';
import { decimal, epaySign, minorUnits, sameSignature, splitsCanonical } from '../signing.js';
import {
  type Client,
  type CreateInput,
  type MerchantGateway,
  type NotifyOutcome,
  ServerConfigError,
} from '../types.js';

export interface EpayConfig {
  /** The merchant id (`pid`) from the epay console. */
  pid: string;
  /** The merchant key (`key`) from the epay console. Never logged, never sent. */
  key: string;
  /** The epay site's address, where `mapi.php` is (`https://pay.example.com/`): each clone has its own. */
  baseUrl: string;
}

/** The keys of epay's notify, and no others. */
const NOTIFY_KEYS = [
  'pid',
  'trade_no',
  'out_trade_no',
  'type',
  'name',
  'money',
  'trade_status',
  'param',
  'sign',
  'sign_type',
];
const TYPES: Record<string, string> = { alipay: 'alipay', wxpay: 'wxpay', qqpay: 'qqpay' };

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** epay's `device` from the shopper's environment (`pc`, `mobile`, `wechat`, `alipay`, `qq`). */
function deviceOf(client: Client): string {
  return client.type;
}

export function epay(config: EpayConfig): MerchantGateway {
  for (const field of ['pid', 'key', 'baseUrl'] as const) {
    if (typeof config?.[field] !== 'string' || config[field] === '')
      throw new ServerConfigError(`cashdesk/server: epay.${field} is missing`);
  }
  if (!URL.canParse(config.baseUrl))
    throw new ServerConfigError('cashdesk/server: epay.baseUrl must be an absolute URL');
  const mapi = new URL('mapi.php', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`).href;

  return {
    id: 'epay',
    async create(input: CreateInput) {
      const { order } = input;
      if (order.currency !== 'CNY') throw new Error(`epay takes CNY only, not ${order.currency}`);
      const params: Record<string, string> = {
        pid: config.pid,
        type: TYPES[input.method] ?? 'alipay',
        // A new number per create: epay refuses a number it has seen.
        out_trade_no: `${order.orderId}-${input.sequence}`,
        notify_url: input.notifyUrl,
        return_url: input.returnUrl,
        // epay signs `k=v&k=v` unescaped: a subject with `&` would make a notify no one can check.
        name: order.subject.replace(/&/g, ' '),
        money: decimal(order.amount),
        clientip: input.clientIp,
        device: deviceOf(input.client),
      };
      const response = await fetch(mapi, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...params, sign: epaySign(params, config.key), sign_type: 'MD5' }),
      });
      if (!response.ok) throw new Error(`epay answered HTTP ${response.status}`);
      const answer = (await response.json()) as { trade_no?: unknown };
      const tradeNo = typeof answer?.trade_no === 'string' ? answer.trade_no : undefined;
      return {
        response: answer,
        reference: tradeNo ?? params.out_trade_no ?? '',
        merchantReference: params.out_trade_no ?? '',
      };
    },

    async notify(request: Request): Promise<NotifyOutcome> {
      const params = Object.fromEntries(new URL(request.url).searchParams);
      if (request.method === 'POST') {
        // Some clones POST the notify as a form.
        for (const [key, value] of new URLSearchParams(await readBody(request))) params[key] = value;
      }
      const fail = (why: string): NotifyOutcome => ({ verified: false, reply: text(400, 'fail'), why });
      // Only the notify's documented keys, and no value that could pass for more pairs: the `html`
      // answer's form is signed with the same key over a subject the order's creator chooses.
      if (splitsCanonical(params, NOTIFY_KEYS)) return fail('not an epay notify');
      const { sign, ...rest } = params;
      if (!sameSignature(sign, epaySign(rest, config.key))) return fail('bad signature');
      if (params.pid !== config.pid) return fail('not our pid');
      const accept = text(200, 'success');
      const reject = text(400, 'fail');
      // epay notifies only success.
      if (params.trade_status !== 'TRADE_SUCCESS') return { verified: true, accept, reject };
      const merchantReference = params.out_trade_no ?? '';
      const orderId = merchantReference.replace(/-\d+$/, '');
      const amount = minorUnits(params.money);
      if (amount === undefined || orderId === merchantReference) return fail('not a payment of ours');
      return {
        verified: true,
        accept,
        reject,
        result: {
          orderId,
          status: 'paid',
          amount,
          currency: 'CNY',
          references: [params.trade_no ?? '', merchantReference].filter(Boolean),
        },
      };
    },
  };
}
