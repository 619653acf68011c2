// Issue 14, findings 3 and 4: the backend's own URLs never come from the request's `Host`, and a
// return URL is passed on only when it is absolute and on the shop's own origin.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type RunningSandbox, startSandbox } from './sandbox.js';

describe('the merchant backend and the Host header', () => {
  let sandbox: RunningSandbox;
  let attacker: Server;
  let attackerHost = '';
  const reached: { url: string; authorization?: string }[] = [];
  before(async () => {
    sandbox = await startSandbox();
    // What would receive the backend's signed requests if it trusted `Host`.
    attacker = createServer((req: IncomingMessage, res) => {
      reached.push({
        url: req.url ?? '',
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"code":1,"trade_no":"1","payurl":"https://evil.example/"}');
    });
    await new Promise<void>((done) => attacker.listen(0, '127.0.0.1', done));
    attackerHost = `127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  });
  after(async () => {
    attacker.closeAllConnections();
    await new Promise((done) => attacker.close(done));
    await sandbox.close();
  });

  for (const [gateway, method] of [
    ['epay', 'alipay'],
    ['pingpp', 'alipay'],
  ] as const) {
    it(`${gateway}: a create with another Host sends nothing there, and answers with the gateway's own answer`, async () => {
      const orderId = await sandbox.order(gateway);
      const created = await sandbox.pay(orderId, method, 'pc', { host: attackerHost });
      assert.deepEqual(reached, [], 'no signed request and no secret key went to the Host given');
      assert.equal(created.gateway, gateway);
      assert.doesNotMatch(JSON.stringify(created), /evil\.example/);
    });
  }
});

describe('return URLs', () => {
  let sandbox: RunningSandbox;
  before(async () => {
    sandbox = await startSandbox();
  });
  after(() => sandbox.close());

  /** Where epay sends the shopper back after a cancel at its cashier, for a create with `returnUrl`. */
  async function backTo(returnUrl: string): Promise<string> {
    const orderId = await sandbox.order('epay', 'payurl');
    const answer = (await sandbox.pay(orderId, 'alipay', 'mobile', { returnUrl })).response as { trade_no: string };
    const decided = await fetch(`${sandbox.origin}/gw/epay/decide/${answer.trade_no}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=cancel',
      redirect: 'manual',
    });
    return decided.headers.get('location') ?? '';
  }

  it('an absolute URL on the shop origin is passed on, parsed', async () => {
    const back = new URL(await backTo(`${sandbox.origin}/return.html?from=test`));
    assert.equal(back.origin, sandbox.origin);
    assert.equal(back.pathname, '/return.html');
    assert.equal(back.searchParams.get('from'), 'test');
  });

  it('a relative URL, or another port on the same host, is replaced by the backend’s own', async () => {
    for (const given of ['return.html?x=1', '/return.html', `http://127.0.0.1:1/return.html`, '//evil.example/x']) {
      const back = new URL(await backTo(given));
      assert.equal(back.origin, sandbox.origin, given);
      assert.equal(back.pathname, '/api/return', given);
    }
  });
});
