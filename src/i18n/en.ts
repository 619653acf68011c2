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
    cod: 'Cash on delivery',
    balance: 'Account balance',
  },
  creating: 'Preparing your payment…',
  scanWith: (method) => `Scan with ${method} to pay`,
  scanGeneric: 'Scan the code with your payment app',
  longPressGeneric: 'Press and hold the code to pay',
  qrLabel: 'Payment QR code',
  waiting: 'Waiting for your payment…',
  stillChecking: 'The connection is unstable. Your payment is safe; still checking…',
  paid: 'Payment received. Thank you!',
  failed: 'The payment did not go through.',
  failureReasons: {
    declined: 'The payment was declined. You can try again or choose another method.',
    insufficient_funds: 'The balance is not enough for this payment. Choose another method, or top up and try again.',
    limit_exceeded: 'This amount is over the limit of this payment method. Choose another method.',
    expired: 'The payment timed out. You can try again.',
    method_unavailable: 'This payment method is unavailable right now. Choose another.',
    canceled: 'The payment was canceled.',
    unknown: 'The payment did not go through.',
  },
  failureDetail: (message) => `Details: ${message}`,
  scanOnPhone: (app) => `Scan this code with ${app} on your phone to pay`,
  scanOnPhoneGeneric: 'Scan this code with the payment app on your phone',
  slowWaiting: 'We have not received your payment yet. If you have paid, it can take a moment: check again.',
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
  // <cashdesk-qr>
  expiresInSpoken: (minutes, seconds) => {
    const parts: string[] = [];
    if (minutes > 0) parts.push(`${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`);
    if (seconds > 0 || minutes === 0) parts.push(`${seconds} ${seconds === 1 ? 'second' : 'seconds'}`);
    return `The code expires in ${parts.join(' and ')}`;
  },
  // Leaving the page and paying in-app
  redirecting: 'Taking you to the payment page…',
  openingApp: 'Opening the app to pay…',
  appNotOpened: 'The app did not open. Scan this code with the phone that has the app, or install it and try again.',
  openInWechat: 'This payment works inside WeChat. Scan this code with WeChat to open this page there.',
  wechatPaying: 'Complete the payment in WeChat…',
  alipayPaying: 'Complete the payment in Alipay…',
  miniProgramLinkInWechat:
    'WeChat does not open mini-program links from inside a page. Press and hold the code to recognise it, or scan it with WeChat on another phone.',
  canceledKept: 'The payment was canceled. Your order is kept; choose a method to try again.',
  handedToApp: 'Complete the payment in the app…',
  miniProgramPaying: 'Complete the payment in the mini-program…',
  miniProgramSdkMissing:
    'This page has not loaded the mini-program’s web-view script, so it cannot pay here. Your order is kept.',
  backToMethods: 'Choose another method',
  checkAgain: 'I have paid',
  // <cashdesk-open-in-browser>
  openInBrowserTitle: 'Open this page in your browser to pay',
  openInBrowserWhy: 'This payment page cannot open inside WeChat.',
  openInBrowserIos: 'Tap ⋯ at the top right, then choose “Open in Safari”.',
  openInBrowserAndroid: 'Tap ⋯ at the top right, then choose “Open in Browser”.',
  openInBrowserOther: 'Open the menu of this app and choose to open the page in your browser.',
  copyPageLink: 'Copy the page link',
  close: 'Close',
};
