// Issue 14, finding 1: a UseePay notify forged from a signed refusal. The simulator answers a
// refused request with a body signed by the merchant key that echoes the request's values; the
// merchant's notify check joined `key=value` pairs with `&` without escaping and took unknown keys,
// so one signed string could be split into other parameters.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, type RunningSandbox, startSandbox } from './sandbox.js';

const MERCHANT_NO = '500000000007264';

describe('UseePay notify', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('two unauthenticated requests cannot mark an order paid', async () => {
    const orderId = await sandbox.order('useepay', 'qr');
    const created = await sandbox.pay(orderId, 'alipay');
    const answer = created.response as Record<string, string>;
    const reference = answer.reference;
    assert.ok(reference, 'the create answer carries the UseePay reference');
    const transactionId = `${orderId}-1`;

    // 1. A request UseePay refuses (wrong merchantNo), whose echoed values hide the pairs of a
    //    success notify; the refusal comes back signed with the merchant's key.
    const refused = await postForm(`${sandbox.origin}/gw/useepay/api`, {
      merchantNo: `${MERCHANT_NO}&reference=${reference}`,
      amount: '9900',
      currency: 'CNY',
      echoParam: orderId,
      transactionId: 'attacker-1',
      transactionType: 'pay',
      reserved: `r&resultCode=succeed&transactionId=${transactionId}&transactionType=pay`,
      signType: 'MD5',
      sign: 'whatever',
    });
    const signedRefusal = JSON.parse(refused.text) as Record<string, string>;
    assert.equal(signedRefusal.resultCode, 'failed');

    // 2. The same signed string, split differently, posted as a notify.
    const forged = await postForm(`${sandbox.origin}/api/notify/useepay`, {
      amount: '9900',
      currency: 'CNY',
      echoParam: orderId,
      errorCode: String(signedRefusal.errorCode),
      errorMsg: String(signedRefusal.errorMsg),
      merchantNo: MERCHANT_NO,
      reference,
      reserved: 'r',
      resultCode: 'succeed',
      transactionId,
      transactionType: `pay&resultCode=failed&signType=MD5&transactionId=attacker-1&transactionType=pay`,
      sign: String(signedRefusal.sign),
    });
    assert.notEqual(forged.status, 200, 'the forged notify is refused');
    assert.notEqual((await sandbox.status(orderId)).status, 'paid');
  });
});

describe('UseePay notify, a refusal replayed whole', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  it('one unauthenticated request cannot fail an order: a signed refusal is not a notify', async () => {
    const orderId = await sandbox.order('useepay', 'qr');
    await sandbox.pay(orderId, 'alipay');
    // UseePay refuses a request with a bad signature, and signs its refusal with the merchant key,
    // echoing the shop's guessable transactionId: every key of it is a notify key.
    const refused = await postForm(`${sandbox.origin}/gw/useepay/api`, {
      merchantNo: MERCHANT_NO,
      transactionId: `${orderId}-1`,
      transactionType: 'pay',
      amount: '9900',
      currency: 'CNY',
      signType: 'MD5',
      sign: 'x',
    });
    const signedRefusal = JSON.parse(refused.text) as Record<string, string>;
    assert.equal(signedRefusal.resultCode, 'failed');
    const forged = await postForm(
      `${sandbox.origin}/api/notify/useepay`,
      Object.fromEntries(Object.entries(signedRefusal).map(([key, value]) => [key, String(value)])),
    );
    assert.notEqual(forged.status, 200, 'the replayed refusal is refused');
    assert.equal((await sandbox.status(orderId)).status, 'pending');
  });
});
