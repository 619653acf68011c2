/**
 * Alipay+-style wallet OpenAPI, `POST /v1/payments/pay` (the wallet's `pay` API page;
 * its sample is `alipayplusSeed` in test/fixtures/seeds.ts): the merchant side.
 *
 * Every message is JSON signed the Alipay+ way: headers `Client-Id`, `Request-Time` (or
 * `Response-Time`) and `Signature: algorithm=RSA256,keyVersion=1,signature=<urlencoded base64>`,
 * the signature being RSA-SHA256 over `POST <path>\n<Client-Id>.<time>.<body>`. The merchant signs
 * its request with its private key; the wallet signs its answer and its notify with the wallet's,
 * and both are checked before anything is believed. `paymentAmount.value` is an integer string in
 * minor units. The notify (`paymentRequestId`, `paymentId`, `paymentAmount`, `paymentStatus`,
 * `result`) is answered `{"result":{"resultStatus":"S",…}}`; anything else makes the wallet resend.
 */

import { createHash, type KeyObject } from 'node:crypto';
import { readBody } from '../http.js';
import { rsaSign, rsaVerify } from '../signing.js';
import {
  type Client,
  type CreateInput,
  type MerchantGateway,
  type NotifyOutcome,
  ServerConfigError,
} from '../types.js';

export interface AlipayplusConfig {
  /** The `Client-Id` the wallet's developer portal issued. */
  clientId: string;
  /** The `partnerId` the wallet assigned to the merchant. */
  partnerId: string;
  /** The merchant's RSA private key (PEM or KeyObject); its public half is uploaded to the portal. Never logged. */
  privateKey: string | KeyObject;
  /** The wallet's RSA public key (PEM or KeyObject), downloaded from the portal. */
  walletPublicKey: string | KeyObject;
  /**
   * The wallet's OpenAPI address, under which `v1/payments/pay` is (`https://open.wallet.example/`):
   * each wallet has its own, given with the credentials.
   */
  baseUrl: string;
}

interface Notice {
  paymentRequestId?: unknown;
  paymentId?: unknown;
  paymentAmount?: { currency?: unknown; value?: unknown };
  paymentStatus?: unknown;
  result?: { resultCode?: unknown; resultMessage?: unknown };
}

/** `<HTTP-Method> <HTTP-URI>\n<Client-Id>.<Request-Time or Response-Time>.<body>`. */
function contentToSign(uri: string, clientId: string, time: string, body: string): string {
  return `POST ${uri}\n${clientId}.${time}.${body}`;
}

/** The base64 signature inside a `Signature` header, or undefined when it is not RSA256 key version 1. */
function readSignature(header: string | null): string | undefined {
  const fields = new Map<string, string>();
  for (const part of (header ?? '').split(',')) {
    const at = part.indexOf('=');
    if (at > 0) fields.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  if ((fields.get('algorithm') ?? 'RSA256').toUpperCase() !== 'RSA256') return undefined;
  if ((fields.get('keyversion') ?? '1') !== '1') return undefined;
  try {
    return decodeURIComponent(fields.get('signature') ?? '');
  } catch {
    return undefined;
  }
}

/** `envInfo` from the shopper's environment: desktop browser WEB, phone browser or in-app page WAP, own app APP. */
function envInfoOf(client: Client, userAgent: string): Record<string, string> {
  const terminalType = client.type === 'pc' ? 'WEB' : client.inApp === 'webview' ? 'APP' : 'WAP';
  const osType = client.os === 'ios' ? 'IOS' : client.os === 'android' ? 'ANDROID' : undefined;
  return {
    terminalType,
    ...(osType && terminalType !== 'WEB' ? { osType } : {}),
    ...(userAgent ? { userAgent } : {}),
  };
}

function reply(status: number, resultStatus: string, resultCode: string, resultMessage: string): Response {
  return new Response(JSON.stringify({ result: { resultCode, resultStatus, resultMessage } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

const string = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function alipayplus(config: AlipayplusConfig): MerchantGateway {
  for (const field of ['clientId', 'partnerId', 'baseUrl'] as const) {
    if (typeof config?.[field] !== 'string' || config[field] === '')
      throw new ServerConfigError(`cashdesk/server: alipayplus.${field} is missing`);
  }
  for (const field of ['privateKey', 'walletPublicKey'] as const) {
    if (!config[field])
      throw new ServerConfigError(`cashdesk/server: alipayplus.${field} is missing (a PEM string or KeyObject)`);
  }
  if (!URL.canParse(config.baseUrl))
    throw new ServerConfigError('cashdesk/server: alipayplus.baseUrl must be an absolute URL');
  const payUrl = new URL('v1/payments/pay', config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const payPath = payUrl.pathname;
  /** A signed message's check: from our Client-Id, with a time, signed by the wallet. */
  const signedByWallet = (headers: Headers, uri: string, body: string, time: string | null) =>
    headers.get('client-id') === config.clientId &&
    !!time &&
    rsaVerify(
      contentToSign(uri, config.clientId, time, body),
      readSignature(headers.get('signature')),
      config.walletPublicKey,
    );

  return {
    id: 'alipayplus',
    async create(input: CreateInput) {
      const { order } = input;
      // From the idempotency key: a create retried after a lost answer is the same request, which
      // the wallet answers once (it is idempotent on partnerId + paymentRequestId). The order id leads.
      const paymentRequestId = `${order.orderId}-${createHash('sha256').update(input.idempotencyKey).digest('hex').slice(0, 24)}`;
      const body = JSON.stringify({
        partnerId: config.partnerId,
        paymentRequestId,
        paymentOrderTitle: order.subject,
        paymentAmount: { currency: order.currency, value: String(order.amount) },
        paymentFactor: { isCashierPayment: true },
        paymentReturnUrl: input.returnUrl,
        paymentNotifyUrl: input.notifyUrl,
        envInfo: envInfoOf(input.client, input.userAgent),
      });
      const time = new Date().toISOString();
      const signature = encodeURIComponent(
        rsaSign(contentToSign(payPath, config.clientId, time, body), config.privateKey),
      );
      const response = await fetch(payUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=UTF-8',
          'client-id': config.clientId,
          'request-time': time,
          signature: `algorithm=RSA256,keyVersion=1,signature=${signature}`,
        },
        body,
      });
      const answer = await response.text();
      // The wallet signs its answer; an unsigned or altered one never reaches the browser.
      if (!signedByWallet(response.headers, payPath, answer, response.headers.get('response-time')))
        throw new Error(`the Alipay+ answer's signature does not verify (HTTP ${response.status})`);
      const parsed = JSON.parse(answer) as { paymentId?: unknown };
      return {
        response: parsed,
        // A U answer may have no paymentId: the attempt is then known by its paymentRequestId.
        reference: string(parsed.paymentId) ?? paymentRequestId,
        merchantReference: paymentRequestId,
      };
    },

    async notify(request: Request): Promise<NotifyOutcome> {
      const raw = await readBody(request);
      const url = new URL(request.url);
      if (!signedByWallet(request.headers, `${url.pathname}${url.search}`, raw, request.headers.get('request-time')))
        return {
          verified: false,
          reply: reply(401, 'F', 'INVALID_SIGNATURE', 'The signature is invalid.'),
          why: 'bad signature',
        };
      const illegal = (why: string): NotifyOutcome => ({
        verified: false,
        reply: reply(400, 'F', 'PARAM_ILLEGAL', 'Illegal parameters exist.'),
        why,
      });
      let notice: Notice;
      try {
        notice = JSON.parse(raw) as Notice;
      } catch {
        return illegal('the body is not JSON');
      }
      if (notice === null || typeof notice !== 'object') return illegal('the body is not an object');
      const accept = reply(200, 'S', 'SUCCESS', 'success');
      // Not S: the wallet sends the notify again later.
      const reject = reply(400, 'U', 'UNKNOWN_EXCEPTION', 'not recorded, send again');
      const merchantReference = string(notice.paymentRequestId) ?? '';
      const orderId = merchantReference.replace(/-[0-9a-f]{24}$/, '');
      if (orderId === merchantReference) return illegal('not a paymentRequestId of ours');
      const references = [string(notice.paymentId), merchantReference].filter((id): id is string => !!id);
      const code = string(notice.result?.resultCode);
      const message = string(notice.result?.resultMessage);
      const said = { ...(code ? { code } : {}), ...(message ? { message } : {}) };
      switch (notice.paymentStatus) {
        case 'SUCCESS': {
          const value = notice.paymentAmount?.value;
          const currency = string(notice.paymentAmount?.currency);
          if (typeof value !== 'string' || !/^\d{1,16}$/.test(value) || !currency) return illegal('no paymentAmount');
          return {
            verified: true,
            accept,
            reject,
            result: { orderId, status: 'paid', amount: Number(value), currency, references },
          };
        }
        case 'FAIL':
          return {
            verified: true,
            accept,
            reject,
            result: { orderId, status: 'failed', code: code ?? 'FAIL', ...(message ? { message } : {}), references },
          };
        case 'CANCELLED':
          return { verified: true, accept, reject, result: { orderId, status: 'canceled', ...said, references } };
        default:
          // PROCESSING says nothing final.
          return { verified: true, accept, reject };
      }
    },
  };
}
