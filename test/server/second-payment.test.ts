// Issue 14, finding 5: a second real payment for one order (the first QR paid, then another method
// chosen and paid too) is recorded and shown for a refund, not acknowledged and dropped; a replay of
// the notify that paid changes nothing.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, type RunningSandbox, startSandbox } from './sandbox.js';

describe('a second payment for one order', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('is kept in the order and its status answer, once, and the order stays paid', async () => {
    const orderId = await sandbox.order('epay', 'qrcode');
    const first = (await sandbox.pay(orderId, 'wxpay')).response as { trade_no: string; qrcode: string };
    const second = (await sandbox.pay(orderId, 'alipay')).response as { trade_no: string; qrcode: string };
    assert.notEqual(first.trade_no, second.trade_no);
    // The shopper scans and pays both codes; each gateway payment notifies the backend.
    for (const code of [first.qrcode, second.qrcode, second.qrcode]) {
      assert.equal((await postForm(`${sandbox.origin}/gw/epay/scan`, { content: code })).status, 200);
    }
    const status = await sandbox.status(orderId);
    assert.equal(status.status, 'paid');
    assert.deepEqual(status.extraPayments, [second.trade_no]);
    const order = (await sandbox.json(`/api/orders/${orderId}`)).body as { log: string[] };
    assert.equal(order.log.filter((line) => line.includes('refund')).length, 1);
  });

  it('a replay of the notify that paid adds nothing', async () => {
    const orderId = await sandbox.order('epay', 'qrcode');
    const paid = (await sandbox.pay(orderId, 'wxpay')).response as { qrcode: string };
    for (let i = 0; i < 3; i += 1) await postForm(`${sandbox.origin}/gw/epay/scan`, { content: paid.qrcode });
    const status = await sandbox.status(orderId);
    assert.equal(status.status, 'paid');
    assert.equal(status.extraPayments, undefined);
  });
});
