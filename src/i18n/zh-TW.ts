import type { Messages } from './messages.js';

const pad = (n: number) => String(n).padStart(2, '0');

export const zhTW: Messages = {
  pay: (amount) => `付款 ${amount}`,
  payNoAmount: '付款',
  amountLabel: '應付金額',
  methodLegend: '付款方式',
  methodNames: {
    alipay: '支付寶',
    wxpay: '微信支付',
    qqpay: 'QQ錢包',
    unionpay: '銀聯',
    bank: '銀行卡',
    card: '信用卡',
    jdpay: '京東支付',
  },
  creating: '正在建立付款…',
  scanWith: (method) => `請使用${method}掃碼付款`,
  scanGeneric: '請使用付款應用程式掃碼',
  qrLabel: '付款 QR 碼',
  waiting: '正在等待付款結果…',
  stillChecking: '網路不穩定。您的付款不會遺失，仍在查詢…',
  paid: '付款成功，謝謝！',
  failed: '付款未成功。',
  failedWith: (message) => `付款未成功：${message}`,
  canceled: '付款已取消。',
  expired: '付款 QR 碼已過期。',
  error: '發生錯誤。訂單已保留，您可以重試。',
  retry: '重試',
  tryAgain: '重新付款',
  refresh: '重新產生 QR 碼',
  copy: '複製付款連結',
  copied: '已複製',
  copyFailed: '無法複製',
  openApp: '開啟應用程式',
  expiresIn: (minutes, seconds) => `${minutes}:${pad(seconds)} 後過期`,
  qrExpired: 'QR 碼已過期',
  notSupportedHere: '此付款方式無法在目前頁面完成。',
  testMode: '測試模式',
  orderKept: '訂單已保留。',
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) =>
    `QR 碼將在${minutes > 0 ? ` ${minutes} 分鐘` : ''}${seconds > 0 || minutes === 0 ? ` ${seconds} 秒` : ''}後過期`,
};
