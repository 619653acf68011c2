/**
 * The Alipay+-style wallet simulator, OpenAPI `POST /v1/payments/pay` (the wallet's `pay` API page): it checks the
 * client, the signature (RSA-SHA256 over `POST <path>\n<Client-Id>.<Request-Time>.<body>`) and the
 * fields, enforces idempotency on `partnerId` + `paymentRequestId` (same body: same answer; another
 * body: F `REPEAT_REQ_INCONSISTENT`), and answers S, A (`REDIRECTION` or `ORDER_CODE`), U or F,
 * signed with the wallet's key. A U payment settles by itself a few seconds later; every final
 * state is notified to `paymentNotifyUrl` with a signed POST.
 *
 * The scenario is the gallery's choice on the board, found by the merchant's `paymentRequestId`
 * (which starts with the order id). The sandbox merchant is registered from `credentials.ts`;
 * `POST /gw/alipayplus/portal/clients` lets another client (the end-to-end tests) upload its own
 * public key and talk to the wallet directly.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { decimal, md5, rsaSign, rsaVerify } from '../../../src/server/signing.js';
import { ALIPAYPLUS, alipayplusKeys } from '../credentials.js';
import { originOf, type Router, readForm, readText, redirect, sendHtml, sendJson } from '../http.js';
import { cashierPage, page } from '../pages.js';
import type { ScenarioBoard } from './board.js';
import type { Simulator } from './types.js';

const BASE = '/gw/alipayplus';
const PAY_PATH = `${BASE}/v1/payments/pay`;
/** How long a U payment stays unknown before the wallet settles it and notifies. */
const SETTLE_DELAY_MS = 3000;
/** Currencies without minor units (ISO 4217 exponent 0), for the cashier's display only. */
const ZERO_DECIMAL = ['JPY', 'KRW', 'VND', 'CLP', 'ISK', 'UGX'];

// The result codes and messages of the API page's table, in the English documentation's words.
const MESSAGES: Record<string, string> = {
  SUCCESS: 'success',
  ACCEPT: 'accept',
  UNKNOWN_EXCEPTION: 'An API calling is failed, which is caused by unknown reasons.',
  REQUEST_TRAFFIC_EXCEED_LIMIT: 'The request traffic exceeds the limit.',
  PAYMENT_IN_PROCESS: 'The payment is still under process.',
  REPEAT_REQ_INCONSISTENT: 'Repeated submit, and requests are inconsistent.',
  PROCESS_FAIL: "A general business failure occurred. Don't retry.",
  PARAM_ILLEGAL: 'Illegal parameters exist. For example, a non-numeric input, or an invalid date.',
  ACCESS_DENIED: 'Access is denied.',
  // Not in the API page's table: the common result code of Alipay+/Antom OpenAPIs for a bad signature.
  INVALID_SIGNATURE: 'The signature is invalid.',
  PAYMENT_AMOUNT_EXCEED_LIMIT: 'Payment amount exceeds limit.',
  USER_NOT_EXIST: 'The user does not exist.',
  USER_STATUS_ABNORMAL: 'The user status is abnormal.',
  USER_BALANCE_NOT_ENOUGH: 'The user balance is not enough for this payment.',
  PARTNER_NOT_EXIST: 'Partner does not exist.',
  RISK_REJECT: 'Risk reject.',
  CURRENCY_NOT_SUPPORT: 'The currency is not supported.',
  ORDER_STATUS_INVALID: 'The order is in invalid status such as closed.',
  USER_AMOUNT_EXCEED_LIMIT: "The payment amount exceeds the user's amount limit.",
};

/** F scenarios: scenario id → result code. */
const FAILURES: Record<string, string> = {
  'fail-balance': 'USER_BALANCE_NOT_ENOUGH',
  'fail-risk': 'RISK_REJECT',
  'fail-amount-limit': 'PAYMENT_AMOUNT_EXCEED_LIMIT',
  'fail-user-limit': 'USER_AMOUNT_EXCEED_LIMIT',
  'fail-user-status': 'USER_STATUS_ABNORMAL',
  'fail-user-missing': 'USER_NOT_EXIST',
  'fail-currency': 'CURRENCY_NOT_SUPPORT',
  'fail-process': 'PROCESS_FAIL',
};

/** U scenarios: scenario id → result code. */
const UNKNOWNS: Record<string, string> = {
  'unknown-exception': 'UNKNOWN_EXCEPTION',
  'in-process': 'PAYMENT_IN_PROCESS',
  'traffic-limit': 'REQUEST_TRAFFIC_EXCEED_LIMIT',
};

interface Result {
  resultStatus: 'S' | 'A' | 'U' | 'F';
  resultCode: string;
  resultMessage: string;
}

function result(resultStatus: Result['resultStatus'], resultCode: string): Result {
  return { resultStatus, resultCode, resultMessage: MESSAGES[resultCode] ?? resultCode };
}

/** The wallet's own private key: signs answers and notifies. */
const walletKey = () => alipayplusKeys().wallet.privateKey;

/** `<HTTP-Method> <HTTP-URI>\n<Client-Id>.<Request-Time or Response-Time>.<body>`. */
function contentToSign(method: string, uri: string, clientId: string, time: string, body: string): string {
  return `${method} ${uri}\n${clientId}.${time}.${body}`;
}

function signatureHeader(content: string, key: KeyObject): string {
  return `algorithm=RSA256,keyVersion=1,signature=${encodeURIComponent(rsaSign(content, key))}`;
}

/** The base64 signature inside a `Signature` header, or undefined when the header is malformed. */
function readSignature(header: string | null | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const fields = new Map<string, string>();
  for (const part of header.split(',')) {
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

function header(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  return typeof value === 'string' ? value : '';
}

/** The three headers of a signed request (or notify) from the given client. */
function signRequest(uri: string, clientId: string, body: string, key: KeyObject): Record<string, string> {
  const time = new Date().toISOString();
  return {
    'content-type': 'application/json; charset=UTF-8',
    'client-id': clientId,
    'request-time': time,
    signature: signatureHeader(contentToSign('POST', uri, clientId, time, body), key),
  };
}

// ---------------------------------------------------------------------------------------------
// The simulated wallet.

interface WalletClient {
  partnerId: string;
  publicKey: KeyObject;
}

/** The clients whose public keys were uploaded to the wallet's portal, by `Client-Id`. */
const clients = new Map<string, WalletClient>();

/** The client of `clientId`; the sandbox merchant is registered as the portal would have it. */
function clientOf(clientId: string): WalletClient | undefined {
  if (!clients.has(ALIPAYPLUS.clientId)) {
    clients.set(ALIPAYPLUS.clientId, {
      partnerId: ALIPAYPLUS.partnerId,
      publicKey: alipayplusKeys().merchant.publicKey,
    });
  }
  return clients.get(clientId);
}

type PaymentStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL' | 'CANCELLED';

interface Payment {
  clientId: string;
  paymentRequestId: string;
  paymentId: string;
  /** The request body with its keys sorted: what a repeated request is compared against. */
  canonical: string;
  title: string;
  amount: { currency: string; value: string };
  returnUrl: string;
  notifyUrl: string;
  status: PaymentStatus;
  /** The first answer, repeated while the payment is not final. */
  answer: Record<string, unknown>;
  paymentTime?: string;
  failure?: Result;
  /** The merchant's answer to the last notify, for the gallery's curiosity. */
  acknowledged?: boolean;
}

/** Payments by `partnerId/paymentRequestId`, the idempotency key the documentation names. */
const payments = new Map<string, Payment>();
const byPaymentId = new Map<string, Payment>();

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function newPaymentId(): string {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const random = Array.from({ length: 16 }, () => Math.floor(Math.random() * 10)).join('');
  return `${stamp}${random}`;
}

function bounded(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= max ? value : undefined;
}

function webUrl(value: unknown): string | undefined {
  const candidate = bounded(value, 1024);
  if (!candidate) return undefined;
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** What the wallet says about a payment that has reached a final state. */
function finalAnswer(payment: Payment): Record<string, unknown> {
  if (payment.status === 'SUCCESS') {
    return { result: result('S', 'SUCCESS'), paymentId: payment.paymentId, paymentTime: payment.paymentTime };
  }
  return { result: payment.failure ?? result('F', 'ORDER_STATUS_INVALID'), paymentId: payment.paymentId };
}

async function notifyMerchant(payment: Payment): Promise<void> {
  const client = clientOf(payment.clientId);
  if (!client || !payment.notifyUrl) return;
  const body = JSON.stringify({
    paymentRequestId: payment.paymentRequestId,
    paymentId: payment.paymentId,
    paymentAmount: payment.amount,
    paymentStatus: payment.status,
    paymentTime: payment.paymentTime ?? new Date().toISOString(),
    result: payment.status === 'SUCCESS' ? result('S', 'SUCCESS') : payment.failure,
  });
  const url = new URL(payment.notifyUrl);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: signRequest(`${url.pathname}${url.search}`, payment.clientId, body, walletKey()),
      body,
    });
    const answer = (await response.json()) as { result?: { resultStatus?: string } };
    payment.acknowledged = answer.result?.resultStatus === 'S';
  } catch {
    // A real wallet retries on a schedule; the simulator only records that the merchant did not take it.
    payment.acknowledged = false;
  }
}

/** Moves a processing payment to its final state and notifies; a final payment never changes. */
async function settle(payment: Payment, status: Exclude<PaymentStatus, 'PROCESSING'>, failure?: Result) {
  if (payment.status !== 'PROCESSING') return;
  payment.status = status;
  if (status === 'SUCCESS') payment.paymentTime = new Date().toISOString();
  if (failure) payment.failure = failure;
  await notifyMerchant(payment);
}

function sendSigned(res: ServerResponse, uri: string, clientId: string, body: unknown): void {
  const json = JSON.stringify(body);
  const time = new Date().toISOString();
  res.writeHead(200, {
    'content-type': 'application/json; charset=UTF-8',
    'cache-control': 'no-store',
    'client-id': clientId,
    'response-time': time,
    signature: signatureHeader(contentToSign('POST', uri, clientId, time, json), walletKey()),
  });
  res.end(json);
}

/** Checks the documented fields; the PARAM_ILLEGAL explanation, or undefined when all is well. */
function illegalParameter(body: Record<string, unknown>): string | undefined {
  if (!bounded(body.paymentRequestId, 64)) return 'paymentRequestId';
  if (!bounded(body.paymentOrderTitle, 256)) return 'paymentOrderTitle';
  const amount = body.paymentAmount as { currency?: unknown; value?: unknown } | null | undefined;
  if (typeof amount?.currency !== 'string' || !/^[A-Z]{3}$/.test(amount.currency)) return 'paymentAmount.currency';
  if (typeof amount.value !== 'string' || !/^[1-9]\d{0,15}$/.test(amount.value)) return 'paymentAmount.value';
  const factor = body.paymentFactor as { isCashierPayment?: unknown } | null | undefined;
  if (factor != null && typeof factor.isCashierPayment !== 'boolean') return 'paymentFactor.isCashierPayment';
  if (body.paymentReturnUrl !== undefined && !webUrl(body.paymentReturnUrl)) return 'paymentReturnUrl';
  if (body.paymentNotifyUrl !== undefined && !webUrl(body.paymentNotifyUrl)) return 'paymentNotifyUrl';
  const env = body.envInfo as { terminalType?: unknown } | null | undefined;
  if (env != null && !['WEB', 'WAP', 'APP', 'MINI_APP'].includes(String(env.terminalType)))
    return 'envInfo.terminalType';
  if (body.extendInfo !== undefined && !bounded(body.extendInfo, 4096)) return 'extendInfo';
  return undefined;
}

/** The first answer to a new payment, by scenario and environment. */
function answerFor(payment: Payment, scenario: string, terminalType: string, origin: string): Record<string, unknown> {
  const failure = FAILURES[scenario];
  if (failure) return { result: result('F', failure) };
  const unknown = UNKNOWNS[scenario];
  // PAYMENT_IN_PROCESS means the wallet has the payment; the other two say nothing about it.
  if (unknown)
    return {
      result: result('U', unknown),
      ...(unknown === 'PAYMENT_IN_PROCESS' ? { paymentId: payment.paymentId } : {}),
    };
  if (scenario === 'success') {
    return { result: result('S', 'SUCCESS'), paymentId: payment.paymentId, paymentTime: payment.paymentTime };
  }
  const type =
    scenario === 'redirection' || scenario === 'order-code'
      ? scenario
      : terminalType === 'WEB'
        ? 'order-code'
        : 'redirection';
  if (type === 'order-code') {
    return {
      result: result('A', 'ACCEPT'),
      paymentId: payment.paymentId,
      actionForm: { actionFormType: 'ORDER_CODE', orderCode: `${origin}${BASE}/code/${payment.paymentId}` },
    };
  }
  return {
    result: result('A', 'ACCEPT'),
    paymentId: payment.paymentId,
    actionForm: { actionFormType: 'REDIRECTION', redirectionUrl: `${origin}${BASE}/cashier/${payment.paymentId}` },
  };
}

function cashier(payment: Payment): string {
  const digits = ZERO_DECIMAL.includes(payment.amount.currency) ? 0 : 2;
  const decide = `${BASE}/decide/${payment.paymentId}`;
  return cashierPage({
    gateway: 'Alipay+ wallet',
    brand: 'brand-alipayplus',
    title: payment.title,
    amount: `${payment.amount.currency} ${decimal(Number(payment.amount.value), digits)}`,
    reference: payment.paymentId,
    details: { 'Payment request': payment.paymentRequestId },
    decisions: [
      { label: 'Pay', action: decide, fields: { outcome: 'pay' }, kind: 'primary' },
      { label: 'Fail', action: decide, fields: { outcome: 'fail' } },
      { label: 'Cancel', action: decide, fields: { outcome: 'cancel' } },
    ],
  });
}

function noPayment(res: ServerResponse): void {
  sendHtml(res, 404, page('Alipay+ wallet', '<h1>No such payment</h1>'));
}

export const alipayplusSimulator: Simulator = {
  id: 'alipayplus',
  label: 'Alipay+ wallet (v1/payments/pay)',
  methods: ['alipay'],
  scenarios: [
    {
      id: 'auto',
      label: 'As the environment decides (desktop: A ORDER_CODE, phone: A REDIRECTION)',
      expect: 'qr | redirect',
    },
    { id: 'redirection', label: 'A ACCEPT + REDIRECTION (wallet cashier page)', expect: 'redirect' },
    { id: 'order-code', label: 'A ACCEPT + ORDER_CODE (code to scan)', expect: 'qr' },
    { id: 'success', label: 'S SUCCESS (paid at once)', expect: 'success' },
    { id: 'unknown-exception', label: 'U UNKNOWN_EXCEPTION (settles paid after a few seconds)', expect: 'pending' },
    { id: 'in-process', label: 'U PAYMENT_IN_PROCESS (settles paid after a few seconds)', expect: 'pending' },
    {
      id: 'traffic-limit',
      label: 'U REQUEST_TRAFFIC_EXCEED_LIMIT (settles paid after a few seconds)',
      expect: 'pending',
    },
    ...Object.entries(FAILURES).map(([id, code]) => ({ id, label: `F ${code}: ${MESSAGES[code]}`, expect: 'failed' })),
  ],

  routes(router: Router, board: ScenarioBoard) {
    // The portal: a client uploads its public key and gets its Client-Id, partnerId and the
    // wallet's public key (the sandbox merchant is registered from credentials.ts).
    router.on('POST', `${BASE}/portal/clients`, async (req, res) => {
      let publicKey: KeyObject;
      try {
        const { publicKey: pem } = JSON.parse(await readText(req)) as { publicKey?: unknown };
        publicKey = createPublicKey(String(pem));
      } catch {
        return sendJson(res, 400, { error: 'publicKey must be a PEM public key' });
      }
      const clientId = `SANDBOX_${md5(`${Date.now()}${Math.random()}`).slice(0, 16).toUpperCase()}`;
      const partnerId = `P${String(Date.now()).padStart(19, '0')}`;
      clients.set(clientId, { partnerId, publicKey });
      return sendJson(res, 201, {
        clientId,
        partnerId,
        walletPublicKey: alipayplusKeys().wallet.publicKey.export({ type: 'spki', format: 'pem' }),
      });
    });

    router.on('POST', PAY_PATH, async (req, res) => {
      const raw = await readText(req);
      const clientId = header(req.headers, 'client-id');
      const client = clientOf(clientId);
      const reply = (body: Record<string, unknown>) => sendSigned(res, PAY_PATH, clientId, body);
      if (!client) return reply({ result: result('F', 'ACCESS_DENIED') });
      const signed = contentToSign('POST', req.url, clientId, header(req.headers, 'request-time'), raw);
      if (
        !header(req.headers, 'request-time') ||
        !rsaVerify(signed, readSignature(header(req.headers, 'signature')), client.publicKey)
      ) {
        return reply({ result: result('F', 'INVALID_SIGNATURE') });
      }
      let body: Record<string, unknown>;
      try {
        const value: unknown = JSON.parse(raw);
        if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
        body = value as Record<string, unknown>;
      } catch {
        return reply({ result: result('F', 'PARAM_ILLEGAL') });
      }
      if (body.partnerId !== client.partnerId) return reply({ result: result('F', 'PARTNER_NOT_EXIST') });
      if (illegalParameter(body)) return reply({ result: result('F', 'PARAM_ILLEGAL') });

      const paymentRequestId = String(body.paymentRequestId);
      const canonical = canonicalJson(body);
      const known = payments.get(`${client.partnerId}/${paymentRequestId}`);
      if (known) {
        if (known.canonical !== canonical) return reply({ result: result('F', 'REPEAT_REQ_INCONSISTENT') });
        // A final first answer (S, F) is repeated as it was; a payment that became final since
        // (after A or U) now answers with its final state.
        const firstWasFinal = ['S', 'F'].includes(String((known.answer.result as Result | undefined)?.resultStatus));
        return reply(known.status === 'PROCESSING' || firstWasFinal ? known.answer : finalAnswer(known));
      }

      const amount = body.paymentAmount as { currency: string; value: string };
      const scenario = board.of(paymentRequestId, 'auto');
      const terminalType = String((body.envInfo as { terminalType?: unknown } | undefined)?.terminalType ?? 'WEB');
      const payment: Payment = {
        clientId,
        paymentRequestId,
        paymentId: newPaymentId(),
        canonical,
        title: String(body.paymentOrderTitle),
        amount: { currency: amount.currency, value: amount.value },
        returnUrl: webUrl(body.paymentReturnUrl) ?? `${originOf(req)}/`,
        notifyUrl: webUrl(body.paymentNotifyUrl) ?? '',
        status: 'PROCESSING',
        answer: {},
      };
      const failure = FAILURES[scenario];
      if (failure) {
        payment.status = 'FAIL';
        payment.failure = result('F', failure);
      }
      if (scenario === 'success') {
        payment.status = 'SUCCESS';
        payment.paymentTime = new Date().toISOString();
      }
      payment.answer = answerFor(payment, scenario, terminalType, originOf(req));
      payments.set(`${client.partnerId}/${paymentRequestId}`, payment);
      byPaymentId.set(payment.paymentId, payment);
      reply(payment.answer);

      // The notify follows the answer, as the wallet's asynchronous message would.
      if (scenario === 'success') setTimeout(() => void notifyMerchant(payment), 200).unref();
      if (UNKNOWNS[scenario]) setTimeout(() => void settle(payment, 'SUCCESS'), SETTLE_DELAY_MS).unref();
    });

    const showCashier = (res: ServerResponse, paymentId: string) => {
      const payment = byPaymentId.get(paymentId);
      if (!payment) return noPayment(res);
      if (payment.status !== 'PROCESSING') {
        return sendHtml(
          res,
          409,
          page('Alipay+ wallet', `<h1>This payment is closed</h1><p>Status: ${payment.status.toLowerCase()}</p>`),
        );
      }
      return sendHtml(res, 200, cashier(payment));
    };
    router.on('GET', `${BASE}/cashier/:paymentId`, (_req, res, params) => showCashier(res, params.paymentId ?? ''));
    // Where an order code leads when a phone opens it as a link: the same cashier.
    router.on('GET', `${BASE}/code/:paymentId`, (_req, res, params) => showCashier(res, params.paymentId ?? ''));

    router.on('POST', `${BASE}/decide/:paymentId`, async (req, res, params) => {
      const payment = byPaymentId.get(params.paymentId ?? '');
      if (!payment) return noPayment(res);
      const { outcome } = await readForm(req);
      if (outcome === 'pay') await settle(payment, 'SUCCESS');
      else if (outcome === 'fail') await settle(payment, 'FAIL', result('F', 'USER_BALANCE_NOT_ENOUGH'));
      else if (outcome === 'cancel') await settle(payment, 'CANCELLED', result('F', 'ORDER_STATUS_INVALID'));
      else return sendHtml(res, 400, page('Alipay+ wallet', '<h1>Unknown decision</h1>'));
      return redirect(res, payment.returnUrl);
    });

    // "Scan": what the wallet app does with an order code, for the gallery's simulate-scan button.
    router.on('POST', `${BASE}/scan`, async (req, res) => {
      const { content } = await readForm(req);
      const paymentId = /\/code\/(\d+)\/?$/.exec(content ?? '')?.[1] ?? '';
      const payment = byPaymentId.get(paymentId);
      if (!payment) return sendJson(res, 404, { error: 'no payment for that code' });
      if (payment.status !== 'PROCESSING') {
        return sendJson(res, 409, { error: 'the payment is closed', paymentStatus: payment.status });
      }
      await settle(payment, 'SUCCESS');
      return sendJson(res, 200, { paid: payment.paymentId });
    });
  },
};
