import type { Messages } from './messages.js';

const pad = (n: number) => String(n).padStart(2, '0');

export const en: Messages = {
  pay: (amount) => `Pay ${amount}`,
  payNoAmount: 'Pay',
  amountLabel: 'Amount due',
  methodLegend: 'Payment method',
  methodNames: {
    alipay: 'Alipay',
    wxpay: 'WeChat Pay',
    qqpay: 'QQ Wallet',
    unionpay: 'UnionPay',
    bank: 'Bank card',
    card: 'Card',
    jdpay: 'JD Pay',
  },
  creating: 'Preparing your payment…',
  scanWith: (method) => `Scan with ${method} to pay`,
  scanGeneric: 'Scan the code with your payment app',
  qrLabel: 'Payment QR code',
  waiting: 'Waiting for your payment…',
  stillChecking: 'The connection is unstable. Your payment is safe; still checking…',
  paid: 'Payment received. Thank you!',
  failed: 'The payment did not go through.',
  failedWith: (message) => `The payment did not go through: ${message}`,
  canceled: 'The payment was canceled.',
  expired: 'This payment code has expired.',
  error: 'Something went wrong. Your order is kept; you can try again.',
  retry: 'Retry',
  tryAgain: 'Try again',
  refresh: 'Get a new code',
  copy: 'Copy payment link',
  copied: 'Copied',
  copyFailed: 'Could not copy',
  openApp: 'Open the app',
  expiresIn: (minutes, seconds) => `Expires in ${minutes}:${pad(seconds)}`,
  qrExpired: 'The code has expired',
  notSupportedHere: 'This payment method cannot be completed on this page.',
  testMode: 'Test mode',
  orderKept: 'Your order is kept.',
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) => {
    const parts: string[] = [];
    if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`);
    if (seconds > 0 || minutes === 0) parts.push(`${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
    return `The code expires in ${parts.join(' and ')}`;
  },
};
