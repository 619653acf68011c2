import { expect } from '@open-wc/testing';
import { Backend } from '../../../src/core/backend.js';
import { isCheckoutError } from '../../../src/core/errors.js';
import { type FakeBackend, fakeBackend, htmlBody, json, until } from '../helpers/fake-backend.js';

const client = { type: 'pc', os: 'other', inApp: null } as const;
const request = { orderId: 'A-1', method: 'alipay', client, idempotencyKey: 'key-1' };

let fake: FakeBackend | undefined;
afterEach(() => {
  fake?.restore();
  fake = undefined;
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    if (isCheckoutError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('Backend', () => {
  it('create posts JSON with the Idempotency-Key header and extra headers, and reads {gateway, response}', async () => {
    fake = fakeBackend({ create: () => json({ gateway: 'epay', response: { code: 1 } }) });
    const backend = new Backend({ endpoint: '/api/pay', headers: { 'X-CSRF-Token': 't0k' } });
    const answer = await backend.create(request);
    expect(answer).to.deep.equal({ gateway: 'epay', response: { code: 1 } });
    expect(fake.creates[0]?.headers.get('Idempotency-Key')).to.equal('key-1');
    expect(fake.creates[0]?.headers.get('X-CSRF-Token')).to.equal('t0k');
    expect(fake.creates[0]?.body).to.deep.equal(request);
  });

  it("reads how far the device's clock is from the backend's, from the answer's Date header", async () => {
    const tenMinutes = 10 * 60_000;
    fake = fakeBackend({
      create: () =>
        new Response(JSON.stringify({ gateway: 'epay', response: { code: 1 } }), {
          headers: { 'content-type': 'application/json', date: new Date(Date.now() - tenMinutes).toUTCString() },
        }),
    });
    const answer = await new Backend({ endpoint: '/api/pay' }).create(request);
    // The header has one-second precision.
    expect(answer.clockOffset).to.be.within(-tenMinutes - 1500, -tenMinutes + 1500);
    // Without the header (a cross-origin backend that does not expose it), nothing is guessed.
    fake.restore();
    fake = fakeBackend({ create: () => json({ gateway: 'epay', response: { code: 1 } }) });
    expect(await new Backend({ endpoint: '/api/pay' }).create(request)).to.not.have.property('clockOffset');
  });

  it('an HTML body arrives as text when the gateway is known (CareyShop web)', async () => {
    const form =
      "<form id='alipaysubmit' name='alipaysubmit' action='https://openapi.alipay.com/gateway.do' method='POST'></form>";
    fake = fakeBackend({ create: () => htmlBody(form) });
    const answer = await new Backend({ endpoint: '/api/pay', gateway: 'careyshop' }).create(request);
    expect(answer).to.deep.equal({ gateway: 'careyshop', response: form });
  });

  it('a bare gateway body is accepted when the gateway is known, refused otherwise', async () => {
    fake = fakeBackend({ create: () => json({ code: 1, qrcode: 'weixin://x' }) });
    expect(await new Backend({ endpoint: '/api/pay', gateway: 'epay' }).create(request)).to.deep.equal({
      gateway: 'epay',
      response: { code: 1, qrcode: 'weixin://x' },
    });
    expect(await codeOf(new Backend({ endpoint: '/api/pay' }).create(request))).to.equal('invalid_backend_response');
  });

  it('retries a create lost on the network with the same key, then gives up with a typed error', async () => {
    fake = fakeBackend({ create: () => new TypeError('Failed to fetch') });
    const code = await codeOf(new Backend({ endpoint: '/api/pay', createRetries: 1 }).create(request));
    expect(code).to.equal('network');
    expect(fake.creates.map((c) => c.headers.get('Idempotency-Key'))).to.deep.equal(['key-1', 'key-1']);
  });

  it('a 5xx is retried with the same key and the answer that follows is the payment', async () => {
    fake = fakeBackend({
      create: (_c, n) => (n === 1 ? json({ error: 'busy' }, 503) : json({ gateway: 'epay', response: { code: 1 } })),
    });
    const answer = await new Backend({ endpoint: '/api/pay' }).create(request);
    expect(answer).to.deep.equal({ gateway: 'epay', response: { code: 1 } });
    expect(fake.creates.map((c) => c.headers.get('Idempotency-Key'))).to.deep.equal(['key-1', 'key-1']);
  });

  it('an abort while waiting to retry (the element removed) ends the create and leaves nothing on the signal', async () => {
    fake = fakeBackend({ create: () => json({ error: 'busy' }, 503) });
    const controller = new AbortController();
    let listening = 0;
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listening += 1;
      add(...args);
    }) as AbortSignal['addEventListener'];
    controller.signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      listening -= 1;
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    // One retry wait runs out (its listener goes), then the second is aborted.
    const creating = new Backend({ endpoint: '/api/pay' }).create(request, { signal: controller.signal });
    await until(() => fake!.creates.length === 2, 3000, 'the first retry');
    expect(listening).to.be.at.most(1);
    controller.abort();
    expect(await codeOf(creating)).to.equal('aborted');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.creates.length).to.equal(2);
  });

  it('does not retry a 4xx answer', async () => {
    fake = fakeBackend({ create: () => json({ error: 'bad order' }, 422) });
    expect(await codeOf(new Backend({ endpoint: '/api/pay' }).create(request))).to.equal('http_status');
    expect(fake.creates.length).to.equal(1);
  });

  it('times out a slow create', async () => {
    fake = fakeBackend({ create: () => 'hang' });
    const code = await codeOf(
      new Backend({ endpoint: '/api/pay', createTimeout: 30, createRetries: 0 }).create(request),
    );
    expect(code).to.equal('timeout');
    expect(fake.pending()).to.equal(0);
  });

  it('times out a backend that sends its headers and then stalls the body', async () => {
    // A real fetch errors the body stream when its signal aborts; this stream does the same.
    const stalled = (signal: AbortSignal | undefined) =>
      new Response(
        new ReadableStream({
          start(controller) {
            signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
          },
        }),
        { headers: { 'content-type': 'application/json' } },
      );
    fake = fakeBackend({ status: (call) => stalled(call.signal) });
    const backend = new Backend({ endpoint: '/a', statusEndpoint: '/s', statusTimeout: 50 });
    expect(await codeOf(backend.status('A-1'))).to.equal('timeout');
  });

  it('honours an AbortSignal', async () => {
    fake = fakeBackend({ create: () => 'hang' });
    const abort = new AbortController();
    const promise = new Backend({ endpoint: '/api/pay' }).create(request, { signal: abort.signal });
    abort.abort();
    expect(await codeOf(promise)).to.equal('aborted');
  });

  it('status reads the documented answer and asks with the order id', async () => {
    fake = fakeBackend({ status: () => json({ status: 'failed', code: 1001, message: 'invalid parameter' }) });
    const answer = await new Backend({ endpoint: '/api/pay', statusEndpoint: '/api/status?shop=1' }).status('A 1');
    expect(answer).to.deep.equal({ status: 'failed', code: '1001', message: 'invalid parameter' });
    expect(fake.statuses[0]?.url.searchParams.get('orderId')).to.equal('A 1');
    expect(fake.statuses[0]?.url.searchParams.get('shop')).to.equal('1');
  });

  it('a status answer of the wrong shape is a typed backend error', async () => {
    for (const reply of [json({ status: 'PAID' }), json([]), htmlBody('<h1>502</h1>')]) {
      fake = fakeBackend({ status: () => reply });
      const code = await codeOf(new Backend({ endpoint: '/a', statusEndpoint: '/s' }).status('A-1'));
      expect(code).to.equal('invalid_backend_response');
      fake.restore();
    }
  });
});
