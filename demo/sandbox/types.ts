/**
 * What each gateway module of the sandbox provides. Every module has two halves, kept apart as
 * they would be in real life: the merchant backend's side (sign the request, call the gateway over
 * HTTP, verify its notify) and the simulated gateway (check the signature, answer as documented,
 * host the pages the shopper is sent to, send the signed notify).
 */
import type { ServerResponse } from 'node:http';
import type { Request, Router } from './http.js';
import type { Order, Store } from './store.js';

/** The `client` object of the create request (DESIGN.md). */
export interface Client {
  type: 'pc' | 'mobile' | 'wechat' | 'alipay' | 'qq';
  os: string;
  inApp: string | null;
}

export interface SandboxContext {
  store: Store;
  /** The sandbox's origin as the browser reaches it, e.g. `http://127.0.0.1:5173`. */
  origin: string;
}

export interface MerchantCreateInput {
  order: Order;
  method: string;
  client: Client;
  returnUrl: string;
  /** The shopper's User-Agent, forwarded where the gateway switches on it (CareyShop). */
  userAgent: string;
  idempotencyKey: string;
}

export interface MerchantCreateResult {
  /** The gateway's body, passed to the browser as it came: a JSON value or HTML text. */
  response: unknown;
  /** The gateway's trade number (or the merchant's own, where the gateway has none). */
  reference: string;
}

/**
 * A verified notify's verdict. A failure names its payment (trade numbers, request ids): only the
 * latest attempt's failure is the order's, so the type makes every gateway say which one it is.
 */
export type NotifyResult =
  | { orderId: string; status: 'paid'; references?: string[] }
  | {
      orderId: string;
      status: 'failed' | 'canceled' | 'expired';
      code?: string;
      message?: string;
      references: string[];
    };

export interface Scenario {
  id: string;
  label: string;
  /** What the browser gets: the NextAction kind the gallery expects. */
  expect: string;
}

export interface GatewayModule {
  id: string;
  label: string;
  /** Method ids the gallery offers for this gateway. */
  methods: readonly string[];
  scenarios: readonly Scenario[];
  /** The simulated gateway's routes, all under `/gw/<id>/`; handlers take the origin from the request (`originOf`). */
  routes(router: Router, store: Store): void;
  /** The merchant backend's create: sign, call the simulator over HTTP, return its body. */
  create(input: MerchantCreateInput, ctx: SandboxContext): Promise<MerchantCreateResult>;
  /**
   * The merchant backend's notify endpoint: verify the gateway's signature and say what it means.
   * Undefined (and nothing changes) when the signature or the body is wrong. It answers the
   * gateway itself on `res` in the gateway's documented way ("success", "OK", …).
   */
  verifyNotify(req: Request, res: ServerResponse, ctx: SandboxContext): Promise<NotifyResult | undefined>;
  /**
   * The shopper answered WeChat's payment sheet (the gallery's simulated WeixinJSBridge): settle the
   * payment those JSAPI parameters belong to, as WeChat would, by sending the notify.
   */
  confirmWechat?(params: Record<string, string>, outcome: 'ok' | 'cancel' | 'fail', ctx: SandboxContext): Promise<void>;
  /** The app's SDK finished with this token (the gallery's simulated native bridge). */
  confirmApp?(token: unknown, outcome: string, ctx: SandboxContext): Promise<void>;
}
