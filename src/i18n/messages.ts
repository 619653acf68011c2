import type { FailureReason } from '../flow/failure.js';

/**
 * Every string a shopper sees or hears. One interface, one file per locale typed against it;
 * functions where a value is interpolated, so word order stays the translator's.
 */

export const LOCALES = [
  'en',
  'zh-CN',
  'zh-TW',
  'zh-HK',
  'es',
  'ja',
  'ko',
  'th',
  'vi',
  'id',
  'ms',
  'fil',
  'pt-BR',
  'fr',
  'de',
  'ar',
] as const;
export type Locale = (typeof LOCALES)[number];

/** The languages the one-file script-tag build carries inside; it fetches the others (`locales/*.js`). */
export const BUILT_IN_LOCALES = ['en', 'zh-CN', 'zh-TW', 'zh-HK', 'es'] as const satisfies readonly Locale[];

/** The languages written right to left. */
export const RTL_LOCALES: readonly Locale[] = ['ar'];

/** Method ids with a translated name; any other id is shown as given. */
export const KNOWN_METHODS = [
  'alipay',
  'wxpay',
  'qqpay',
  'unionpay',
  'bank',
  'card',
  'jdpay',
  'cod',
  'balance',
] as const;
export type KnownMethod = (typeof KNOWN_METHODS)[number];

export interface Messages {
  /** The pay button, with the formatted amount. */
  pay: (amount: string) => string;
  payNoAmount: string;
  amountLabel: string;
  methodLegend: string;
  methodNames: Record<KnownMethod, string>;
  creating: string;
  /** Above the QR: which app to scan it with. */
  scanWith: (method: string) => string;
  scanGeneric: string;
  /** Above the QR where the shopper reads it by long-pressing it on this screen (inside WeChat and Alipay). */
  longPressGeneric: string;
  qrLabel: string;
  waiting: string;
  /** Shown while status calls fail: the payment is not lost, we keep asking. */
  stillChecking: string;
  paid: string;
  failed: string;
  /**
   * One calm sentence per kind of failure; the gateway's own words are only a detail under it. A
   * failure in the merchant's setup reads as `method_unavailable`.
   */
  failureReasons: Record<Exclude<FailureReason, 'merchant_config'>, string>;
  /** The gateway's or backend's own words, shown small under the sentence. */
  failureDetail: (message: string) => string;
  /** A deep link on a computer: its code, to scan with the phone's app. */
  scanOnPhone: (app: string) => string;
  scanOnPhoneGeneric: string;
  /** A wait that has gone on for a while: not an endless spinner. */
  slowWaiting: string;
  canceled: string;
  expired: string;
  error: string;
  retry: string;
  tryAgain: string;
  refresh: string;
  copy: string;
  copied: string;
  copyFailed: string;
  openApp: string;
  /** Countdown, read aloud at a sensible cadence. */
  expiresIn: (minutes: number, seconds: number) => string;
  qrExpired: string;
  notSupportedHere: string;
  testMode: string;
  // <cashdesk-qr>
  /** The countdown as said by the live region: words, where the visible text shows m:ss. */
  expiresInSpoken: (minutes: number, seconds: number) => string;
  // Leaving the page and paying in-app
  redirecting: string;
  openingApp: string;
  appNotOpened: string;
  openInWechat: string;
  wechatPaying: string;
  /** Alipay's cashier is up, inside the Alipay app. */
  alipayPaying: string;
  /** Inside WeChat, a mini-program link (which WeChat opens only from outside it), shown as its code. */
  miniProgramLinkInWechat: string;
  canceledKept: string;
  handedToApp: string;
  /** The payment was handed to the mini-program's own payment page. */
  miniProgramPaying: string;
  /** The page in a mini-program's web-view did not load the platform's web-view script. */
  miniProgramSdkMissing: string;
  backToMethods: string;
  checkAgain: string;
  // <cashdesk-open-in-browser>
  openInBrowserTitle: string;
  openInBrowserWhy: string;
  openInBrowserIos: string;
  openInBrowserAndroid: string;
  openInBrowserOther: string;
  copyPageLink: string;
  close: string;
}
