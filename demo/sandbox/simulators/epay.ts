/**
 * The epay (彩虹易支付) simulator: `mapi.php` as the plugin answers it (the epay "API接口支付" page and the plugin's
 * API page): it checks the merchant's MD5 signature, answers `{code:1, trade_no, <one field>}` as
 * the plugin's result type decides (`payurl`, `qrcode`, `urlscheme`, or the undocumented `html`),
 * or an error code, hosts the cashier, and notifies the merchant with a signed GET.
 */
import type { ServerResponse } from 'node:http';
import { epaySign, sameSignature } from '../../../src/server/signing.js';
import { EPAY } from '../credentials.js';
import { originOf, type Router, readForm, redirect, sendHtml, sendJson } from '../http.js';
import { cashierPage, page } from '../pages.js';
import type { ScenarioBoard } from './board.js';
import type { Simulator } from './types.js';

const { pid: PID, key: KEY } = EPAY;
const BASE = '/gw/epay';

interface Trade {
  tradeNo: string;
  type: string;
  notifyUrl: string;
  returnUrl: string;
  money: string;
  name: string;
  outTradeNo: string;
}

const trades = new Map<string, Trade>();

function newTradeNo(): string {
  return `${Date.now()}${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
}

/** Which result type the plugin returns, from the gallery's scenario and the device. */
function resultType(scenario: string, device: string, type: string): string {
  if (scenario !== 'auto') return scenario;
  if (device === 'pc') return 'qrcode';
  if (device === 'wechat' && type === 'wxpay') return 'urlscheme';
  return 'payurl';
}

async function notifyMerchant(trade: Trade): Promise<void> {
  const params: Record<string, string> = {
    pid: PID,
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    type: trade.type,
    name: trade.name,
    money: trade.money,
    trade_status: 'TRADE_SUCCESS',
  };
  const signed = new URLSearchParams({ ...params, sign: epaySign(params, KEY), sign_type: 'MD5' });
  // epay notifies with a GET to notify_url (over real HTTP, to the sandbox backend).
  const url = new URL(trade.notifyUrl);
  url.search = signed.toString();
  await fetch(url);
}

function cashier(trade: Trade): string {
  return cashierPage({
    gateway: 'epay',
    brand: 'brand-epay',
    title: trade.name,
    amount: `¥${trade.money}`,
    reference: trade.tradeNo,
    details: { Method: trade.type },
    decisions: [
      { label: 'Pay', action: `${BASE}/decide/${trade.tradeNo}`, fields: { outcome: 'pay' }, kind: 'primary' },
      { label: 'Cancel', action: `${BASE}/decide/${trade.tradeNo}`, fields: { outcome: 'cancel' } },
    ],
  });
}

export const epaySimulator: Simulator = {
  id: 'epay',
  label: 'epay (mapi.php)',
  methods: ['wxpay', 'alipay', 'qqpay'],
  scenarios: [
    {
      id: 'auto',
      label: 'As the device decides (pc: QR, phone: payurl, WeChat: urlscheme)',
      expect: 'qr | redirect | deeplink',
    },
    { id: 'qrcode', label: 'qrcode', expect: 'qr' },
    { id: 'payurl', label: 'payurl (cashier page)', expect: 'redirect' },
    { id: 'urlscheme', label: 'urlscheme (weixin:// mini-program pay)', expect: 'deeplink' },
    { id: 'html', label: 'html (auto-submitting form)', expect: 'form' },
    { id: 'error', label: 'code -1: amount over the limit', expect: 'failed' },
    { id: 'plugin-error', label: 'code -2: channel failure', expect: 'failed' },
  ],

  routes(router: Router, board: ScenarioBoard) {
    router.on('POST', `${BASE}/mapi.php`, async (req, res) => {
      const params = await readForm(req);
      const { sign, ...rest } = params;
      if (!params.pid) return sendJson(res, 200, { code: -4, msg: '未传入任何参数' });
      if (params.pid !== PID) return sendJson(res, 200, { code: -1, msg: '商户不存在！' });
      if (!sameSignature(sign, epaySign(rest, KEY)))
        return sendJson(res, 200, { code: -1, msg: '签名校验失败，请返回重试！' });
      if (!params.out_trade_no || !params.notify_url || !URL.canParse(params.notify_url))
        return sendJson(res, 200, { code: -1, msg: '创建订单失败，请返回重试！' });
      const origin = originOf(req);
      const scenario = board.of(params.out_trade_no, 'auto');
      if (scenario === 'error') return sendJson(res, 200, { code: -1, msg: '最大支付金额是50元' });
      const trade: Trade = {
        tradeNo: newTradeNo(),
        type: params.type ?? 'alipay',
        notifyUrl: params.notify_url ?? '',
        returnUrl: params.return_url ?? `${origin}/api/return`,
        money: params.money ?? '0.00',
        name: params.name ?? '',
        outTradeNo: params.out_trade_no ?? '',
      };
      trades.set(trade.tradeNo, trade);
      if (scenario === 'plugin-error') {
        return sendJson(res, 200, {
          code: -2,
          msg: '微信支付下单失败！[NOAUTH]商户无此接口权限',
          trade_no: trade.tradeNo,
        });
      }
      const cashierUrl = `${origin}${BASE}/pay/submit/${trade.tradeNo}/`;
      switch (resultType(scenario, params.device ?? 'pc', trade.type)) {
        case 'qrcode':
          return sendJson(res, 200, {
            code: 1,
            trade_no: trade.tradeNo,
            // WeChat Native codes are weixin:// links; other channels' codes are a page to open on a phone.
            qrcode:
              trade.type === 'wxpay'
                ? `weixin://wxpay/bizpayurl?pr=${trade.tradeNo}`
                : `${origin}${BASE}/pay/submitwap/${trade.tradeNo}/`,
          });
        case 'urlscheme':
          return sendJson(res, 200, {
            code: 1,
            trade_no: trade.tradeNo,
            urlscheme: `weixin://dl/business/?t=${trade.tradeNo}`,
          });
        case 'html': {
          const fields: Record<string, string> = { trade_no: trade.tradeNo, money: trade.money, name: trade.name };
          const inputs = Object.entries({ ...fields, sign: epaySign(fields, KEY) })
            .map(([name, value]) => `<input type='hidden' name='${name}' value='${value.replace(/'/g, '&apos;')}'/>`)
            .join('');
          return sendJson(res, 200, {
            code: 1,
            trade_no: trade.tradeNo,
            html: `<form id='alipaysubmit' name='alipaysubmit' action='${origin}${BASE}/submit.php' method='POST'>${inputs}<input type='submit' value='ok' style='display:none;''></form><script>document.forms['alipaysubmit'].submit();</script>`,
          });
        }
        default:
          return sendJson(res, 200, { code: 1, trade_no: trade.tradeNo, payurl: cashierUrl });
      }
    });

    const showCashier = (res: ServerResponse, tradeNo: string) => {
      const trade = trades.get(tradeNo);
      if (!trade) return sendHtml(res, 404, page('epay', '<h1>No such trade</h1>'));
      return sendHtml(res, 200, cashier(trade));
    };
    router.on('GET', `${BASE}/pay/submit/:tradeNo`, (_req, res, params) => showCashier(res, params.tradeNo ?? ''));
    // The page an Alipay-channel QR leads to: opened on a phone, it is the cashier.
    router.on('GET', `${BASE}/pay/submitwap/:tradeNo`, (_req, res, params) => showCashier(res, params.tradeNo ?? ''));

    // The html form's target: checks every field's signature before showing the cashier.
    router.on('POST', `${BASE}/submit.php`, async (req, res) => {
      const { sign, ...fields } = await readForm(req);
      if (!sameSignature(sign, epaySign(fields, KEY))) {
        return sendHtml(res, 400, page('epay', '<h1>签名校验失败</h1><p>The form arrived altered.</p>'));
      }
      return showCashier(res, fields.trade_no ?? '');
    });

    // "Scan": what a phone does with a weixin:// code, for the gallery's simulate-scan button.
    router.on('POST', `${BASE}/scan`, async (req, res) => {
      const { content } = await readForm(req);
      const tradeNo = /[?&](?:pr|t)=(\d+)/.exec(content ?? '')?.[1] ?? /\/(\d+)\/?$/.exec(content ?? '')?.[1] ?? '';
      const trade = trades.get(tradeNo);
      if (!trade) return sendJson(res, 404, { error: 'no trade for that code' });
      await notifyMerchant(trade);
      return sendJson(res, 200, { paid: trade.tradeNo });
    });

    router.on('POST', `${BASE}/decide/:tradeNo`, async (req, res, params) => {
      const trade = trades.get(params.tradeNo ?? '');
      if (!trade) return sendHtml(res, 404, page('epay', '<h1>No such trade</h1>'));
      const { outcome } = await readForm(req);
      // epay only notifies success; a cancelled payment simply never notifies.
      if (outcome === 'pay') await notifyMerchant(trade);
      return redirect(res, trade.returnUrl);
    });
  },
};
