/**
 * The sandbox merchant's orders, in memory. A real backend keeps these in its database; the
 * shape is what matters: an order knows its amount (minor units), its payments per idempotency
 * key, and a status that only a verified notify can turn into "paid".
 */

export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'expired', 'canceled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface Attempt {
  /** What the key was first used for: the same key with another method is refused. */
  method: string;
  answer: { gateway: string; response: unknown };
  /** The gateway's trade number for this attempt. */
  reference: string;
}

export interface Order {
  orderId: string;
  /** Minor units, an integer. */
  amount: number;
  currency: string;
  subject: string;
  gateway: string;
  /** The simulator variant the gallery picked (`qr`, `redirect`, `fail-balance`, …). */
  scenario: string;
  status: OrderStatus;
  code?: string;
  message?: string;
  /** Per idempotency key, the one in use last at the end (a key used again moves there). */
  attempts: Map<string, Attempt>;
  /** Every create call that reached the backend, for the tests' "one payment per attempt". */
  creates: number;
  /** What happened, newest last, for the gallery's log. */
  log: string[];
  /** The gateway reference of the payment that paid the order. */
  paidBy?: string;
  /**
   * Payments made for the order after it was paid (the shopper paid the first QR, then chose
   * another method and paid again): each was acknowledged to its gateway and must be refunded.
   */
  extraPayments: string[];
}

export class Store {
  private readonly orders = new Map<string, Order>();
  private sequence = 0;

  create(input: { amount: number; currency: string; subject: string; gateway: string; scenario: string }): Order {
    this.sequence += 1;
    const orderId = `SBX${Date.now().toString(36).toUpperCase()}${String(this.sequence).padStart(3, '0')}`;
    const order: Order = {
      orderId,
      ...input,
      status: 'pending',
      attempts: new Map(),
      creates: 0,
      log: [],
      extraPayments: [],
    };
    this.orders.set(orderId, order);
    return order;
  }

  get(orderId: string): Order | undefined {
    return this.orders.get(orderId);
  }

  /** The order a gateway reference (trade number) belongs to. */
  byReference(reference: string): Order | undefined {
    for (const order of this.orders.values()) {
      for (const attempt of order.attempts.values()) if (attempt.reference === reference) return order;
    }
    return undefined;
  }

  /**
   * Settles an order from a verified notify. "paid" is final; a late "failed" never undoes it.
   * Any attempt's payment pays the order, but only the latest attempt's failure fails it: a
   * refreshed QR or another method leaves the earlier payment to close on its own, and its
   * "closed" notify must not end the payment the shopper is making now.
   */
  settle(order: Order, status: OrderStatus, code?: string, message?: string, references?: string[]): void {
    if (order.status === 'paid') {
      // A replay of the notify that paid changes nothing; another payment's success is a second
      // charge for one order, kept and shown so the merchant refunds it.
      const other = references?.[0];
      if (status === 'paid' && other && order.paidBy && !references.includes(order.paidBy)) {
        if (!order.extraPayments.includes(other)) {
          order.extraPayments.push(other);
          order.log.push(`second payment ${other} for an order already paid by ${order.paidBy}: refund it`);
        }
      }
      return;
    }
    const latest = [...order.attempts.values()].at(-1)?.reference;
    if (status !== 'paid' && references?.length && latest !== undefined && !references.includes(latest)) {
      order.log.push(`ignored ${status} for the earlier payment ${references[0]}`);
      return;
    }
    order.status = status;
    if (status === 'paid' && references?.[0]) order.paidBy = references[0];
    if (code !== undefined) order.code = code;
    if (message !== undefined) order.message = message;
    order.log.push(`settled ${status}${code ? ` (${code})` : ''}`);
  }
}
