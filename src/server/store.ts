/**
 * Orders in memory (the default store), and the rules every store shares: how a verified notify
 * settles an order. A merchant's database implements `OrderStore`; the rules stay here.
 */
import { randomBytes } from 'node:crypto';
import type { Order, OrderStatus, OrderStore } from './types.js';

export class MemoryOrderStore implements OrderStore {
  private readonly orders = new Map<string, Order>();

  /**
   * A new pending order. The id is the store's own unless one is given: random, since anyone who
   * knows an order id can ask for its status and start a payment of it.
   */
  create(input: { amount: number; currency: string; subject: string; gateway: string; orderId?: string }): Order {
    if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
      throw new RangeError('amount must be a positive integer of minor units');
    const orderId = input.orderId ?? `O${randomBytes(12).toString('hex').toUpperCase()}`;
    if (this.orders.has(orderId)) throw new RangeError(`the order ${orderId} exists`);
    const order: Order = {
      orderId,
      amount: input.amount,
      currency: input.currency.toUpperCase(),
      subject: input.subject,
      gateway: input.gateway,
      status: 'pending',
      attempts: [],
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

  /** Atomic by construction: `change` is synchronous and Node runs one at a time. */
  async update<T>(orderId: string, change: (order: Order) => T): Promise<{ order: Order; value: T } | undefined> {
    const order = this.orders.get(orderId);
    if (!order) return undefined;
    const value = change(order);
    return { order, value };
  }
}

/** Whether any of `references` names one of the order's payments. */
export function attemptOf(order: Order, references: readonly string[]) {
  return order.attempts.find(
    (attempt) => references.includes(attempt.reference) || references.includes(attempt.merchantReference),
  );
}

/**
 * Settles an order from a verified notify. "paid" is final; a late "failed" never undoes it. Any
 * attempt's payment pays the order, but only the latest attempt's failure fails it: a refreshed QR
 * or another method leaves the earlier payment to close on its own, and its "closed" notify must
 * not end the payment the shopper is making now. A second payment's success after the order is
 * paid is kept in `extraPayments` for a refund.
 */
export function settle(
  order: Order,
  status: OrderStatus,
  references: readonly string[],
  code?: string,
  message?: string,
): void {
  const attempt = attemptOf(order, references);
  const reference = attempt?.reference ?? references[0] ?? '';
  if (order.status === 'paid') {
    // A replay of the notify that paid changes nothing.
    if (status === 'paid' && reference !== order.paidBy && !order.extraPayments.includes(reference)) {
      order.extraPayments.push(reference);
      order.log.push(`second payment ${reference} for an order already paid by ${order.paidBy}: refund it`);
    }
    return;
  }
  const latest = order.attempts.at(-1);
  if (status !== 'paid' && latest && attempt !== latest) {
    order.log.push(`ignored ${status} for the earlier payment ${reference}`);
    return;
  }
  order.status = status;
  if (status === 'paid') order.paidBy = reference;
  if (code !== undefined) order.code = code;
  if (message !== undefined) order.message = message;
  order.log.push(`settled ${status}${code ? ` (${code})` : ''}`);
}
