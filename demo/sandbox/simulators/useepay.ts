/**
 * The UseePay (Alipay direct) simulator: `POST /api` as UseePay's "Alipay · Direct" page documents it. It checks the
 * merchant, the MD5 signature and the documented parameters (a refusal is `resultCode: failed,
 * errorCode: 1001` with the reason in `errorMsg`, signed and echoing the request's values), then
 * answers in the shape the gallery's scenario picks, hosts the Alipay cashier and the girogate-style
 * challenge pages, and notifies the merchant's `notifyUrl` with a signed form POST until it answers
 * HTTP 200.
 *
 * Two scenarios play a faulty request, as UseePay would see it: `bad-sign` alters the amount on the
 * way in (as a proxy between the merchant and UseePay might), so the signature no longer matches;
 * `failed-param` reads the request as if it said `transactionExpirationTime=30` (the API page's sample's
 * value, over the documented 10-minute limit).
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { decimal, sameSignature, useepaySign } from '../../../src/server/signing.js';
import { USEEPAY } from '../credentials.js';
import {
  escapeHtml,
  originOf,
  query,
  type Request,
  type Router,
  readForm,
  redirect,
  sendHtml,
  sendJson,
} from '../http.js';
import { cashierPage, page } from '../pages.js';
import type { ScenarioBoard } from './board.js';
import type { Simulator } from './types.js';

const { merchantNo: MERCHANT_NO, key: PKEY } = USEEPAY;
/** The simulator's own secret for the challenge links it issues; the merchant never sees it. */
const GATEWAY_SECRET = randomBytes(16).toString('hex');
const BASE = '/gw/useepay';

function useepayMd5(params: Record<string, unknown>): string {
  return useepaySign(params, PKEY);
}

type Outcome = { resultCode: string; errorCode?: string; errorMsg?: string };

// Codes and messages that public UseePay sources confirm (useepay-java ErrorCode,
// the notify sample); `cancelled` has no documented errorCode, so it carries none.
const PENDING: Outcome = { resultCode: 'pending', errorCode: '3200', errorMsg: 'Transaction is pending' };
const CHALLENGE: Outcome = { resultCode: 'challenge', errorCode: '3200', errorMsg: 'Transaction is pending' };
const RECEIVED: Outcome = { resultCode: 'received', errorCode: '0000', errorMsg: 'Successful payment' };
const SUCCEED: Outcome = { resultCode: 'succeed', errorCode: '0000', errorMsg: 'Successful payment' };
const RISK: Outcome = {
  resultCode: 'failed',
  errorCode: '0053',
  errorMsg: 'Payment failed, blocked by payment company risk control system',
};
const CLOSED: Outcome = { resultCode: 'closed', errorCode: '3300', errorMsg: 'Transaction is expired' };
const CANCELLED: Outcome = { resultCode: 'cancelled', errorMsg: 'Transaction is cancelled' };

/** The key order UseePay's answers come in (the API page's samples and the SDK README's). */
const FIELD_ORDER = [
  'codeUrl',
  'amount',
  'redirectUrl',
  'resultCode',
  'sign',
  'errorCode',
  'transactionId',
  'errorMsg',
  'token',
  'transactionType',
  'reference',
  'redirectMethod',
  'echoParam',
  'redirectParam',
  'reserved',
  'signType',
  'currency',
  'merchantNo',
];

interface Challenge {
  method: 'GET' | 'POST';
  /** What the challenge URL carries in its own query, girogate style: `tx`, `rs`, `cs`. */
  query: Record<string, string>;
  /** The fields sent as `redirectParam`, to come back byte for byte. */
  fields: Record<string, string>;
}

interface Trade {
  reference: string;
  transactionId: string;
  amount: string;
  currency: string;
  notifyUrl: string;
  /** The merchant's `redirectUrl`: where the shopper goes back to. */
  returnUrl: string | undefined;
  echoParam: string | undefined;
  reserved: string | undefined;
  subject: string;
  terminalType: string;
  codeUrl?: string;
  challenge?: Challenge;
  /** The final resultCode once there is one; a trade is settled once. */
  result?: string;
}

const trades = new Map<string, Trade>();
const transactionIds = new Set<string>();

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** UseePay's reference: `1012`, the last digit of the year, MMddHHmm (UTC+8), six random digits. */
function newReference(): string {
  const t = new Date(Date.now() + 8 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${t.getUTCFullYear() % 10}${two(t.getUTCMonth() + 1)}${two(t.getUTCDate())}${two(t.getUTCHours())}${two(t.getUTCMinutes())}`;
  return `1012${stamp}${String(randomInt(1_000_000)).padStart(6, '0')}`;
}

/** ISO 4217 minor-unit digits, for the cashier's display only (UseePay amounts stay integers). */
function minorDigits(currency: string): number {
  if (['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND'].includes(currency)) return 3;
  const zero = [
    'BIF',
    'CLP',
    'DJF',
    'GNF',
    'ISK',
    'JPY',
    'KMF',
    'KRW',
    'PYG',
    'RWF',
    'UGX',
    'VND',
    'VUV',
    'XAF',
    'XOF',
  ];
  return zero.includes(currency) ? 0 : 2;
}

/** Adds `signType` and `sign`, drops absent fields, and orders the keys as UseePay does. */
function signed(fields: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) present[key] = value;
  present.signType = 'MD5';
  present.sign = useepayMd5(present);
  const rank = (key: string) => {
    const at = FIELD_ORDER.indexOf(key);
    return at === -1 ? FIELD_ORDER.length : at;
  };
  return Object.fromEntries(Object.entries(present).sort(([a], [b]) => rank(a) - rank(b)));
}

function tradeFields(trade: Trade): Record<string, string | undefined> {
  return {
    transactionId: trade.transactionId,
    transactionType: 'pay',
    reference: trade.reference,
    amount: trade.amount,
    currency: trade.currency,
    merchantNo: MERCHANT_NO,
    echoParam: trade.echoParam,
    reserved: trade.reserved,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * UseePay's asynchronous notify: a signed form POST to notifyUrl, sent again until the merchant
 * answers HTTP 200 (documented schedule 1m, 3m, 5m, …; compressed here to seconds). The retry is
 * also what makes a notify for an immediately final answer land after the merchant has recorded
 * the payment it belongs to.
 */
async function notifyMerchant(trade: Trade, outcome: Outcome): Promise<boolean> {
  const params: Record<string, string | undefined> = {
    version: '1.0',
    ...tradeFields(trade),
    resultCode: outcome.resultCode,
    errorCode: outcome.errorCode,
    errorMsg: outcome.errorMsg,
  };
  const body = new URLSearchParams(signed(params));
  for (const delay of [0, 250, 500, 1000, 2000, 4000]) {
    await sleep(delay);
    try {
      const response = await fetch(trade.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await response.text();
      if (response.status === 200) return true;
    } catch {
      // The merchant was unreachable: the next round tries again, as UseePay would.
    }
  }
  return false;
}

/** Settles a trade once: the first final outcome is notified, later presses change nothing. */
async function settle(trade: Trade, outcome: Outcome): Promise<void> {
  if (trade.result !== undefined) return;
  trade.result = outcome.resultCode;
  await notifyMerchant(trade, outcome);
}

/** Where the shopper's QR leads: a page on the sandbox host (a real code opens the Alipay app). */
function codeUrlOf(trade: Trade, origin: string): string {
  return `${origin}${BASE}/qr/${trade.reference}`;
}

function cashierUrlOf(trade: Trade, origin: string): string {
  return `${origin}${BASE}/cashier/${trade.reference}`;
}

function challengeSignature(tx: string, rs: string): string {
  return createHmac('sha256', GATEWAY_SECRET).update(`${tx}:${rs}`).digest('hex');
}

/** A girogate/3DS-style challenge: the URL keeps its own signed query, the rest travels as fields. */
function newChallenge(trade: Trade, method: 'GET' | 'POST'): Challenge {
  const rs = randomBytes(24).toString('base64url');
  const tx = trade.reference;
  // The trailing bytes make the base64 hold `+`, `/` and `=`, which must survive the form byte
  // for byte and be percent-encoded exactly once in a GET query.
  const pareq = Buffer.concat([randomBytes(24), Buffer.from([0xfb, 0xef, 0xff, 0x01])]).toString('base64');
  return {
    method,
    query: { tx, rs, cs: challengeSignature(tx, rs) },
    fields: { PaReq: pareq, MD: `sess ${trade.reference}`, TermUrl: trade.returnUrl ?? '' },
  };
}

function challengeUrlOf(trade: Trade, challenge: Challenge, origin: string): string {
  return `${origin}${BASE}/challenge/${trade.reference}?${new URLSearchParams(challenge.query)}`;
}

/** Why a request is refused, as UseePay's 1001 `errorMsg` gives it; undefined when it is valid. */
function invalidParameter(params: Record<string, string>, origin: string): string | undefined {
  const httpUrl = (text: string | undefined) => {
    try {
      const url = new URL(text ?? '');
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
    } catch {
      return undefined;
    }
  };
  if (params.transactionType !== 'pay') return 'transactionType must be pay';
  if (params.version !== '1.0') return 'version must be 1.0';
  const transactionId = params.transactionId ?? '';
  if (transactionId === '' || transactionId.length > 64) return 'transactionId must be 1 to 64 characters';
  if (transactionIds.has(transactionId)) return 'transactionId is duplicate';
  const expiry = params.transactionExpirationTime;
  if (
    expiry !== undefined &&
    expiry !== '' &&
    !(/^\d{1,6}$/.test(expiry) && Number(expiry) >= 1 && Number(expiry) <= 10)
  )
    return 'transactionExpirationTime must be between 1 and 10 minutes';
  if (!params.appId || params.appId.length > 128) return 'appId must be 1 to 128 characters';
  if (!/^[1-9]\d{0,11}$/.test(params.amount ?? '')) return 'amount must be a positive integer in minor units';
  if (!/^[A-Z]{3}$/.test(params.currency ?? '')) return 'currency must be an ISO 4217 code';
  const notifyUrl = httpUrl(params.notifyUrl);
  if (!notifyUrl || (params.notifyUrl ?? '').length > 512) return 'notifyUrl must be an http(s) URL';
  // The sandbox never calls out: it notifies only its own host, or a shop on this machine.
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(notifyUrl.hostname);
  if (!loopback && notifyUrl.hostname !== new URL(origin).hostname) return 'notifyUrl must be on the sandbox host';
  if (params.redirectUrl && (!httpUrl(params.redirectUrl) || params.redirectUrl.length > 512))
    return 'redirectUrl must be an http(s) URL';
  if ((params.echoParam ?? '').length > 256) return 'echoParam must be at most 256 characters';
  const payer = parseObject(params.payerInfo);
  if (!payer) return 'payerInfo must be a JSON object';
  if (payer.paymentMethod !== 'alipay') return 'payerInfo.paymentMethod must be alipay';
  if (payer.terminalType !== 'WEB' && payer.terminalType !== 'WAP') return 'payerInfo.terminalType must be WEB or WAP';
  if (payer.terminalType === 'WAP' && payer.osType !== 'IOS' && payer.osType !== 'ANDROID')
    return 'payerInfo.osType must be IOS or ANDROID when terminalType is WAP';
  const user = parseObject(params.userInfo);
  if (!user) return 'userInfo must be a JSON object';
  if (typeof user.ip !== 'string' || user.ip === '' || user.ip.length > 128) return 'userInfo.ip is required';
  if (params.orderInfo !== undefined && params.orderInfo !== '') {
    const order = parseObject(params.orderInfo);
    if (!order) return 'orderInfo must be a JSON object';
    if (typeof order.subject !== 'string' || order.subject === '' || order.subject.length > 128)
      return 'orderInfo.subject must be 1 to 128 characters';
  }
  return undefined;
}

function cashier(trade: Trade): string {
  const details: Record<string, string> = {
    Merchant: MERCHANT_NO,
    Order: trade.transactionId,
    Terminal: trade.terminalType,
  };
  // With both fields, the cashier also offers its QR (shown as its content: the page draws no image).
  if (trade.codeUrl) details['Or scan'] = trade.codeUrl;
  const decide = `${BASE}/decide/${trade.reference}`;
  return cashierPage({
    gateway: 'Alipay · UseePay',
    brand: 'brand-alipay',
    title: trade.subject,
    amount: `${trade.currency} ${decimal(Number(trade.amount), minorDigits(trade.currency))}`,
    reference: trade.reference,
    details,
    decisions: [
      { label: 'Pay', action: decide, fields: { outcome: 'pay' }, kind: 'primary' },
      { label: 'Fail', action: decide, fields: { outcome: 'fail' } },
      { label: 'Cancel', action: decide, fields: { outcome: 'cancel' } },
    ],
  });
}

function settledPage(trade: Trade): string {
  const back = trade.returnUrl ? `<p><a href="${escapeHtml(trade.returnUrl)}">Back to the shop</a></p>` : '';
  return page(
    'UseePay',
    `<p class="sandbox-brand">Alipay · UseePay <span>sandbox</span></p><h1>This payment is ${escapeHtml(trade.result)}</h1>${back}`,
    { brand: 'brand-alipay' },
  );
}

function showTrade(res: ServerResponse, reference: string): void {
  const trade = trades.get(reference);
  if (!trade) sendHtml(res, 404, page('UseePay', '<h1>No such transaction</h1>'));
  else sendHtml(res, 200, trade.result === undefined ? cashier(trade) : settledPage(trade));
}

/** Compares what reached the challenge page with what UseePay issued; the list of differences. */
function challengeProblems(
  challenge: Challenge,
  method: string,
  got: URLSearchParams,
  fields: URLSearchParams,
): string[] {
  const problems: string[] = [];
  if (method !== challenge.method) problems.push(`arrived as ${method}, issued as ${challenge.method}`);
  for (const [name, value] of Object.entries(challenge.query)) {
    if (got.getAll(name).length !== 1 || got.get(name) !== value) problems.push(`query ${name} is not as issued`);
  }
  const { tx = '', rs = '', cs = '' } = Object.fromEntries(got);
  if (!sameSignature(cs, challengeSignature(tx, rs))) problems.push('query cs does not sign tx and rs');
  for (const [name, value] of Object.entries(challenge.fields)) {
    const values = fields.getAll(name);
    if (values.length === 0) problems.push(`field ${name} is missing`);
    else if (values.length > 1) problems.push(`field ${name} arrived ${values.length} times`);
    else if (values[0] !== value) problems.push(`field ${name} is not as issued`);
  }
  for (const name of new Set(fields.keys())) {
    if (!(name in challenge.fields)) problems.push(`field ${name} was not issued`);
  }
  return problems;
}

async function showChallenge(req: Request, res: ServerResponse, reference: string): Promise<void> {
  const trade = trades.get(reference);
  const challenge = trade?.challenge;
  if (!trade || !challenge) return sendHtml(res, 404, page('UseePay', '<h1>No such challenge</h1>'));
  const got = query(req);
  // A POST brings the fields in its body; a GET has them merged into the query beside tx/rs/cs.
  const fields =
    req.method === 'POST'
      ? new URLSearchParams(await readForm(req))
      : new URLSearchParams([...got].filter(([name]) => !(name in challenge.query)));
  const problems = challengeProblems(challenge, req.method, got, fields);
  if (problems.length > 0) {
    const items = problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
    return sendHtml(
      res,
      400,
      page(
        'UseePay challenge',
        `<p class="sandbox-brand">girogate · UseePay <span>sandbox</span></p><h1>Challenge refused</h1><p>The challenge did not arrive as UseePay issued it.</p><ul>${items}</ul>`,
        { brand: 'brand-useepay' },
      ),
    );
  }
  if (trade.result !== undefined) return sendHtml(res, 200, settledPage(trade));
  const details: Record<string, string> = { 'Arrived as': req.method, 'tx, rs, cs': 'as issued, cs verified' };
  for (const [name, value] of fields) details[`Field ${name}`] = value;
  details.Checked = `${Object.keys(challenge.fields).length} of ${Object.keys(challenge.fields).length} fields as issued`;
  const decide = `${BASE}/decide/${trade.reference}`;
  return sendHtml(
    res,
    200,
    cashierPage({
      gateway: 'girogate · UseePay',
      brand: 'brand-useepay',
      title: 'Confirm your payment',
      amount: `${trade.currency} ${decimal(Number(trade.amount), minorDigits(trade.currency))}`,
      reference: trade.reference,
      details,
      decisions: [
        { label: 'Pay', action: decide, fields: { outcome: 'pay' }, kind: 'primary' },
        { label: 'Fail', action: decide, fields: { outcome: 'fail' } },
      ],
    }),
  );
}

export const useepaySimulator: Simulator = {
  id: 'useepay',
  label: 'UseePay (Alipay direct)',
  methods: ['alipay'],
  scenarios: [
    { id: 'auto', label: 'As the device decides (pc: WEB codeUrl, phone: WAP redirectUrl)', expect: 'qr | redirect' },
    { id: 'qr', label: 'pending + codeUrl (WEB)', expect: 'qr' },
    { id: 'redirect', label: 'pending + redirectUrl (WAP Alipay cashier)', expect: 'redirect' },
    { id: 'both', label: 'pending with both codeUrl and redirectUrl', expect: 'redirect' },
    { id: 'pending', label: 'pending with neither (UseePay notifies success a moment later)', expect: 'pending' },
    { id: 'challenge-post', label: 'challenge, redirectMethod POST with redirectParam fields', expect: 'form' },
    { id: 'challenge-get', label: 'challenge, redirectMethod GET (params merged into the query)', expect: 'redirect' },
    { id: 'received', label: 'received (UseePay notifies success a moment later)', expect: 'pending' },
    { id: 'succeed', label: 'succeed 0000', expect: 'success' },
    { id: 'failed-risk', label: 'failed 0053: blocked by risk control', expect: 'failed' },
    { id: 'failed-param', label: 'failed 1001: transactionExpirationTime over 10 minutes', expect: 'failed' },
    { id: 'bad-sign', label: 'failed 1001: the request was altered after signing', expect: 'failed' },
    { id: 'closed', label: 'closed 3300: transaction expired', expect: 'failed' },
    { id: 'cancelled', label: 'cancelled', expect: 'failed' },
  ],

  routes(router: Router, board: ScenarioBoard) {
    router.on('POST', `${BASE}/api`, async (req, res) => {
      const params = await readForm(req);
      const origin = originOf(req);
      const scenario = board.of(params.transactionId, 'auto');
      // bad-sign: the body was altered on its way here, after the merchant signed it.
      if (scenario === 'bad-sign' && /^\d+$/.test(params.amount ?? ''))
        params.amount = String(Number(params.amount) + 100);
      const echo: Record<string, string | undefined> = {
        transactionId: params.transactionId,
        transactionType: params.transactionType,
        amount: params.amount,
        currency: params.currency,
        merchantNo: params.merchantNo,
        echoParam: params.echoParam,
        reserved: params.reserved,
      };
      const refuse = (reason: string) =>
        sendJson(
          res,
          200,
          signed({ ...echo, resultCode: 'failed', errorCode: '1001', errorMsg: `Invalid parameter: ${reason}` }),
        );
      if (params.merchantNo !== MERCHANT_NO) return refuse('merchantNo does not exist');
      if (params.signType !== 'MD5') return refuse('signType must be MD5 (no RSA key is registered)');
      const { sign, ...rest } = params;
      if (!sameSignature(sign, useepayMd5(rest))) return refuse('sign does not match the parameters');
      // failed-param: the request is read as if it asked for 30 minutes, over the documented 10.
      if (scenario === 'failed-param') params.transactionExpirationTime = '30';
      const invalid = invalidParameter(params, origin);
      if (invalid) return refuse(invalid);

      const payer = parseObject(params.payerInfo) ?? {};
      const order = parseObject(params.orderInfo);
      const trade: Trade = {
        reference: newReference(),
        transactionId: params.transactionId ?? '',
        amount: params.amount ?? '',
        currency: params.currency ?? '',
        notifyUrl: params.notifyUrl ?? '',
        returnUrl: params.redirectUrl || undefined,
        echoParam: params.echoParam,
        reserved: params.reserved,
        subject: typeof order?.subject === 'string' ? order.subject : 'UseePay order',
        terminalType: String(payer.terminalType),
      };
      trades.set(trade.reference, trade);
      transactionIds.add(trade.transactionId);
      const answer = (outcome: Outcome, extra: Record<string, string> = {}) =>
        sendJson(res, 200, signed({ ...tradeFields(trade), ...outcome, ...extra }));
      // Final answers are notified too; the notify retries until the merchant knows the payment.
      const later = (outcome: Outcome, delay = 0) => {
        void sleep(delay).then(() => settle(trade, outcome));
      };

      const variant = scenario === 'auto' ? (trade.terminalType === 'WEB' ? 'qr' : 'redirect') : scenario;
      switch (variant) {
        case 'qr':
          trade.codeUrl = codeUrlOf(trade, origin);
          return answer(PENDING, { codeUrl: trade.codeUrl });
        case 'both':
          trade.codeUrl = codeUrlOf(trade, origin);
          return answer(PENDING, { codeUrl: trade.codeUrl, redirectUrl: cashierUrlOf(trade, origin) });
        case 'pending':
          answer(PENDING);
          return later(SUCCEED, 1500);
        case 'challenge-post':
        case 'challenge-get': {
          const challenge = newChallenge(trade, variant === 'challenge-post' ? 'POST' : 'GET');
          trade.challenge = challenge;
          return answer(CHALLENGE, {
            redirectUrl: challengeUrlOf(trade, challenge, origin),
            redirectMethod: challenge.method,
            redirectParam: JSON.stringify(challenge.fields),
          });
        }
        case 'received':
          answer(RECEIVED);
          return later(SUCCEED, 1500);
        case 'succeed':
          answer(SUCCEED);
          return later(SUCCEED);
        case 'failed-risk':
          answer(RISK);
          return later(RISK);
        case 'closed':
          answer(CLOSED);
          return later(CLOSED);
        case 'cancelled':
          answer(CANCELLED);
          return later(CANCELLED);
        default:
          return answer(PENDING, { redirectUrl: cashierUrlOf(trade, origin) });
      }
    });

    // The WAP redirectUrl: an Alipay-looking cashier.
    router.on('GET', `${BASE}/cashier/:reference`, (_req, res, params) => showTrade(res, params.reference ?? ''));
    // What the WEB codeUrl opens on a phone: the same cashier.
    router.on('GET', `${BASE}/qr/:reference`, (_req, res, params) => showTrade(res, params.reference ?? ''));

    // The challenge target, for both methods: it checks the query it issued and every field.
    router.on('POST', `${BASE}/challenge/:reference`, (req, res, params) =>
      showChallenge(req, res, params.reference ?? ''),
    );
    router.on('GET', `${BASE}/challenge/:reference`, (req, res, params) =>
      showChallenge(req, res, params.reference ?? ''),
    );

    // "Scan": what a phone does with the codeUrl, for the gallery's simulate-scan button.
    router.on('POST', `${BASE}/scan`, async (req, res) => {
      const { content } = await readForm(req);
      const reference = new RegExp(`${BASE}/qr/(\\d+)$`).exec(content ?? '')?.[1] ?? '';
      const trade = trades.get(reference);
      if (!trade?.codeUrl || trade.codeUrl !== content) return sendJson(res, 404, { error: 'no trade for that code' });
      if (trade.result !== undefined && trade.result !== 'succeed')
        return sendJson(res, 409, { error: `the payment is already ${trade.result}` });
      await settle(trade, SUCCEED);
      return sendJson(res, 200, { paid: trade.reference });
    });

    router.on('POST', `${BASE}/decide/:reference`, async (req, res, params) => {
      const trade = trades.get(params.reference ?? '');
      if (!trade) return sendHtml(res, 404, page('UseePay', '<h1>No such transaction</h1>'));
      const { outcome } = await readForm(req);
      if (outcome === 'pay') await settle(trade, SUCCEED);
      else if (outcome === 'fail') await settle(trade, RISK);
      else if (outcome === 'cancel') await settle(trade, CANCELLED);
      else return sendHtml(res, 400, page('UseePay', '<h1>Unknown decision</h1>'));
      if (!trade.returnUrl) return sendHtml(res, 200, settledPage(trade));
      return redirect(res, trade.returnUrl);
    });
  },
};
