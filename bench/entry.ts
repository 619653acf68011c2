// The benchmark page's code: cashdesk as a merchant page runs it, plus the bodies to classify.
import qrcodeCore from 'qrcode/lib/core/qrcode.js';
import { toAction } from '../src/index.js';
import { alipayplusSeed, careyshopSeed, epaySeed, pingppSeed, useepaySeed } from '../test/fixtures/seeds.js';
import { ALIPAY_PAGE_PAY_FORM, WECHAT_QR_IMG } from '../test/unit/gateways/fixtures/careyshop.js';
import { alipaySdkForm } from '../test/unit/gateways/fixtures/epay.js';
import { ALIPAY_WAP_MAPI, charge, envelope } from '../test/unit/gateways/fixtures/pingpp.js';
import '../src/elements/cashdesk-qr/cashdesk-qr.js';

const bodies: Record<string, [string, unknown]> = {
  'pingpp wx_pub (JSON text)': ['pingpp', JSON.stringify(pingppSeed)],
  'pingpp alipay_wap (object)': ['pingpp', envelope(charge('alipay_wap', ALIPAY_WAP_MAPI))],
  'epay payurl (JSON text)': ['epay', JSON.stringify({ ...epaySeed, payurl: 'https://pay.example/pay/submit/1/' })],
  'epay html form (JSON text)': ['epay', JSON.stringify({ code: 1, trade_no: '1', html: alipaySdkForm() })],
  'careyshop app token (JSON text)': ['careyshop', JSON.stringify(careyshopSeed)],
  'careyshop web Alipay form (HTML)': ['careyshop', ALIPAY_PAGE_PAY_FORM],
  'careyshop web WeChat img (HTML)': ['careyshop', WECHAT_QR_IMG],
  'alipayplus redirection (JSON text)': [
    'alipayplus',
    JSON.stringify({
      ...alipayplusSeed,
      actionForm: { actionFormType: 'REDIRECTION', redirectionUrl: 'https://w.example/c' },
    }),
  ],
  'useepay codeUrl (JSON text)': ['useepay', JSON.stringify(useepaySeed)],
};

Object.assign(window, { bench: { toAction, encodeQr: qrcodeCore.create, bodies } });
