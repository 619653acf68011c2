/**
 * The merchant side of a payment, as `cashdesk/server` keeps it: orders, what a gateway module
 * must provide, and the configuration. Everything here is plain data a database can hold.
 */

export const CLIENT_TYPES = ['pc', 'mobile', 'wechat', 'alipay', 'qq'] as const;

/** The `client` object of the widget's create request. */
export interface Client {
  type: (typeof CLIENT_TYPES)[number];
  /** `ios`, `android` or `other`. */
  os: string;
  /** The app the page runs in (`wechat`, `alipay`, …), or null. */
  inApp: string | null;
}

export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'expired', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** One create call's payment at the gateway, under one idempotency key. */
export interface Attempt {
  idempotencyKey: string;
  /** What the key was first used for: the same key with another method is refused. */
  method: string;
  /** What the widget was answered, given again to a retry with the same key. */
  answer: { gateway: string; response: unknown };
  /** The gateway's trade number, or the merchant's own number where the gateway gives none. */
  reference: string;
  /** The merchant's own number for this payment at the gateway (`out_trade_no`, `order_no`, …). */
  merchantReference: string;
}

export interface Order {
  orderId: string;
  /** Minor units, an integer. */
  amount: number;
  /** ISO 4217, upper case. */
  currency: string;
  subject: string;
  /** The id of the gateway module that pays it. */
  gateway: string;
  status: OrderStatus;
  code?: string;
  message?: string;
  /** Oldest first; the last is the attempt the shopper is on (a key used again moves there). */
  attempts: Attempt[];
  /** Create calls that reached the backend. */
  creates: number;
  /** What happened, newest last. Never holds a secret. */
  log: string[];
  /** The reference of the payment that paid the order. */
  paidBy?: string;
  /**
   * Payments made after the order was paid (the shopper paid a QR, then chose another method and
   * paid again): each was acknowledged to its gateway and must be refunded.
   */
  extraPayments: string[];
}

/**
 * Where orders live. The in-memory store is the default; a merchant's database implements these
 * two calls. Every change goes through `update`, which must be atomic for one order: read it, let
 * `change` edit it, save it, with no other update of that order in between (a transaction with
 * `SELECT … FOR UPDATE`, or a version column checked on save and the whole update retried).
 * `change` is synchronous and may run more than once, so a retrying store is safe.
 */
export interface OrderStore {
  get(orderId: string): Promise<Order | undefined> | Order | undefined;
  update<T>(orderId: string, change: (order: Order) => T): Promise<{ order: Order; value: T } | undefined>;
}

/** A verified notify's meaning, for the order it names. */
export type NotifyResult =
  | {
      orderId: string;
      status: 'paid';
      /** What was paid, in minor units, and its currency when the gateway says: both must be the order's. */
      amount: number;
      currency?: string;
      /** The payment's references (trade number, merchant number): which attempt it was. */
      references: string[];
    }
  | {
      orderId: string;
      status: 'failed' | 'canceled' | 'expired';
      code?: string;
      message?: string;
      references: string[];
    };

export interface CreateInput {
  order: Readonly<Order>;
  /** 1 for the order's first create call, then 2, … : for merchant numbers that must be new each time. */
  sequence: number;
  method: string;
  client: Client;
  /** Absolute, on the configured origin, with `orderId` in its query. */
  returnUrl: string;
  /** This backend's notify URL for the gateway, from the configured origin. */
  notifyUrl: string;
  /** The shopper's User-Agent, for gateways that switch on it. */
  userAgent: string;
  /** The shopper's address as the server saw it, for gateways that ask (`clientip`). */
  clientIp: string;
  idempotencyKey: string;
}

export interface CreateResult {
  /** The gateway's body, passed to the browser as it came: a JSON value or HTML text. */
  response: unknown;
  reference: string;
  merchantReference: string;
  /**
   * Said when the gateway settled the payment within the create call itself and no notify follows
   * (CareyShop's cash on delivery and account funds): the answer to the backend's own signed call.
   */
  settled?: { status: 'paid' | 'failed'; code?: string; message?: string };
}

/**
 * What a gateway module made of a notify. Verified means its signature and documented keys checked
 * out; the server then checks it against the order (gateway, attempt, amount, currency) and answers
 * the gateway `accept` or `reject` (a refusal in the gateway's terms, which makes it send again).
 */
export type NotifyOutcome =
  | { verified: false; reply: Response; why: string }
  | { verified: true; result?: NotifyResult; accept: Response; reject: Response };

/** One gateway's merchant side: build and sign the create, verify the notify. */
export interface MerchantGateway {
  readonly id: string;
  create(input: CreateInput): Promise<CreateResult>;
  notify(request: Request): Promise<NotifyOutcome>;
}

/** A configuration mistake, said the moment the server is made (or the first call that meets it). */
export class ServerConfigError extends Error {
  override name = 'ServerConfigError';
}
