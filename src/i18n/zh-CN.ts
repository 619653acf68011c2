import type { Messages } from './messages.js';

const pad = (n: number) => String(n).padStart(2, '0');

export const zhCN: Messages = {
  pay: (amount) => `支付 ${amount}`,
  payNoAmount: '支付',
  amountLabel: '应付金额',
  methodLegend: '支付方式',
  methodNames: {
    alipay: '支付宝',
    wxpay: '微信支付',
    qqpay: 'QQ钱包',
    unionpay: '银联',
    bank: '银行卡',
    card: '银行卡',
    jdpay: '京东支付',
  },
  creating: '正在创建支付…',
  scanWith: (method) => `请使用${method}扫码支付`,
  scanGeneric: '请使用支付应用扫码',
  qrLabel: '支付二维码',
  waiting: '正在等待支付结果…',
  stillChecking: '网络不稳定。您的支付不会丢失，仍在查询…',
  paid: '支付成功，谢谢！',
  failed: '支付未成功。',
  failedWith: (message) => `支付未成功：${message}`,
  canceled: '支付已取消。',
  expired: '支付二维码已过期。',
  error: '出了点问题。订单已保留，您可以重试。',
  retry: '重试',
  tryAgain: '重新支付',
  refresh: '刷新二维码',
  copy: '复制支付链接',
  copied: '已复制',
  copyFailed: '复制失败',
  openApp: '打开应用',
  expiresIn: (minutes, seconds) => `${minutes}:${pad(seconds)} 后过期`,
  qrExpired: '二维码已过期',
  notSupportedHere: '此支付方式无法在当前页面完成。',
  testMode: '测试模式',
  orderKept: '订单已保留。',
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) =>
    `二维码将在${minutes > 0 ? `${minutes}分钟` : ''}${seconds > 0 || minutes === 0 ? `${seconds}秒` : ''}后过期`,
};
