// Issue 14, finding 2: an epay notify forged from the `html` answer. That answer carries a form
// signed with the merchant key over `money`, `name` (the order's subject, which whoever creates
// the order chooses) and `trade_no`; a crafted subject made that signature pass as a success
// notify for another order of the same amount, and the notify handler did not check which
// gateway the order belongs to.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningSandbox, startSandbox } from './sandbox.js';

const PID = '1001';

/** The signed hidden fields of the epay `html` answer's form. */
function formFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/name='([^']+)' value='([^']*)'/g)) fields[match[1] ?? ''] = match[2] ?? '';
  return fields;
}

describe('epay notify', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  /** Creates an order whose subject hides the pairs of a success notify for `victimTrade`, and forges that notify. */
  async function forge(victimTrade: string): Promise<number> {
    const subject = `x&out_trade_no=o&pid=${PID}&trade_no=${victimTrade}&trade_status=TRADE_SUCCESS&type=alipay`;
    const { body } = await sandbox.json('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gateway: 'epay', scenario: 'html', amount: 9900, subject }),
    });
    const created = await sandbox.pay(String(body.orderId), 'alipay');
    const form = formFields(String((created.response as { html: string }).html));
    assert.ok(form.sign, 'the html answer carries a signed form');
    const forged = new URLSearchParams({
      money: form.money ?? '',
      name: 'x',
      out_trade_no: 'o',
      pid: PID,
      trade_no: victimTrade,
      trade_status: 'TRADE_SUCCESS',
      type: `alipay&trade_no=${form.trade_no}`,
      sign: form.sign ?? '',
      sign_type: 'MD5',
    });
    return (await fetch(`${sandbox.origin}/api/notify/epay?${forged}`)).status;
  }

  it('a signature made for one form does not pay another epay order', async () => {
    const victim = await sandbox.order('epay', 'qrcode');
    const answer = (await sandbox.pay(victim, 'alipay')).response as { trade_no: string };
    assert.notEqual(await forge(answer.trade_no), 200);
    assert.notEqual((await sandbox.status(victim)).status, 'paid');
  });

  it('an epay notify does not pay an order of another gateway', async () => {
    const victim = await sandbox.order('useepay', 'qr');
    const answer = (await sandbox.pay(victim, 'alipay')).response as { reference: string };
    assert.notEqual(await forge(answer.reference), 200);
    assert.notEqual((await sandbox.status(victim)).status, 'paid');
  });
});
