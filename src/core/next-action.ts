/**
 * The one thing every gateway adapter returns: what the browser has to do next.
 * Field names and kinds are a public contract (README, "toAction").
 */

export const ACTION_KINDS = [
  'qr',
  'redirect',
  'form',
  'deeplink',
  'wechat-jsapi',
  'sdk-token',
  'mini-program',
  'success',
  'failed',
  'pending',
] as const;

export type ActionKind = (typeof ACTION_KINDS)[number];

/** Actions that end the payment as far as the gateway's answer goes. */
export const FINAL_KINDS = ['success', 'failed'] as const satisfies readonly ActionKind[];

/** Actions that take the shopper away from the page. */
export const LEAVING_KINDS = ['redirect', 'form', 'deeplink'] as const satisfies readonly ActionKind[];

export const SDK_NAMES = ['alipay', 'wechat'] as const;
export type SdkName = (typeof SDK_NAMES)[number];

export const FORM_METHODS = ['POST', 'GET'] as const;
export type FormMethod = (typeof FORM_METHODS)[number];

/** Carried by any action, for logging and for the merchant's own records. */
export interface ActionMeta {
  /** The adapter id that produced the action. */
  gateway?: string;
  /** The gateway's trade number, when the response carries one. */
  reference?: string;
  /** True when the gateway says this is a test-mode payment (Ping++ `livemode: false`). */
  testMode?: boolean;
}

export interface QrAction extends ActionMeta {
  kind: 'qr';
  /** The exact string to encode. */
  content: string;
  /** ISO 8601; when the code stops being payable. */
  expiresAt?: string;
}

/** What a target that leaves the page may carry besides its URL. */
interface LeavingMeta {
  /**
   * The hosts the gateway's target was checked against (Alipay's, UnionPay's), when its adapter
   * applies an allow-list: the performers apply it again right before the page is left, so an
   * action edited on its way (a copy made in a `cashdesk-action` handler) cannot take the
   * gateway's signed fields to another host.
   */
  hosts?: readonly string[];
}

export interface RedirectAction extends ActionMeta, LeavingMeta {
  kind: 'redirect';
  url: string;
}

export interface FormAction extends ActionMeta, LeavingMeta {
  kind: 'form';
  action: string;
  method: FormMethod;
  /** Flat map of strings, passed on byte for byte (signed values). */
  fields: Record<string, string>;
}

export interface DeeplinkAction extends ActionMeta {
  kind: 'deeplink';
  url: string;
  fallbackUrl?: string;
}

export interface WechatJsapiParams {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
}

export interface WechatJsapiAction extends ActionMeta {
  kind: 'wechat-jsapi';
  params: WechatJsapiParams;
}

export interface SdkTokenAction extends ActionMeta {
  kind: 'sdk-token';
  sdk: SdkName;
  /** Passed on unchanged: never re-serialised, since it is signed. */
  token: string | Record<string, unknown>;
}

export const MINI_PROGRAMS = ['wechat', 'alipay'] as const;
export type MiniProgram = (typeof MINI_PROGRAMS)[number];

/**
 * A payment only the host mini-program can make (Ping++ `wx_lite` through `wx.requestPayment`,
 * `alipay_lite` through `my.tradePay`): inside its web-view it is handed to the merchant's
 * mini-program page (README, "Mini-program web-views"); anywhere else it is refused.
 */
export interface MiniProgramAction extends ActionMeta {
  kind: 'mini-program';
  platform: MiniProgram;
  /**
   * The signed payment parameters, passed on unchanged: WeChat's `appId`, `timeStamp`,
   * `nonceStr`, `package`, `signType`, `paySign`; Alipay's `tradeNO`.
   */
  params: Record<string, string>;
}

export interface SuccessAction extends ActionMeta {
  kind: 'success';
}

export interface FailedAction extends ActionMeta {
  kind: 'failed';
  code: string;
  message?: string;
}

export interface PendingAction extends ActionMeta {
  kind: 'pending';
}

export type NextAction =
  | QrAction
  | RedirectAction
  | FormAction
  | DeeplinkAction
  | WechatJsapiAction
  | SdkTokenAction
  | MiniProgramAction
  | SuccessAction
  | FailedAction
  | PendingAction;

export type ActionOf<K extends ActionKind> = Extract<NextAction, { kind: K }>;

export function isFinalAction(action: NextAction): action is ActionOf<'success' | 'failed'> {
  return (FINAL_KINDS as readonly ActionKind[]).includes(action.kind);
}

export function isLeavingAction(action: NextAction): action is ActionOf<'redirect' | 'form' | 'deeplink'> {
  return (LEAVING_KINDS as readonly ActionKind[]).includes(action.kind);
}

/**
 * Freezes an action and everything in it, so what was checked is what is performed: listeners of
 * `cashdesk-action` and `cashdesk-redirect` receive the very object the checkout goes on to use.
 */
export function freezeAction<T extends NextAction>(action: T): Readonly<T> {
  const freeze = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const inner of Object.values(value)) freeze(inner);
  };
  freeze(action);
  return action;
}
