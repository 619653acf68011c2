import { expect } from '@open-wc/testing';
import type { StatusAnswer } from '../../../src/core/backend.js';
import { CheckoutError } from '../../../src/core/errors.js';
import { DEFAULT_SCHEDULE, type PollerOptions, StatusPoller } from '../../../src/core/poller.js';

const fast = { first: 5, interval: 10, factor: 1, cap: 10, errorCap: 40, jitter: 0 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A page whose visibility the test controls, with real event dispatch, like the browser's. */
function fakePage() {
  const doc = new EventTarget() as EventTarget & { visibilityState: DocumentVisibilityState };
  doc.visibilityState = 'visible';
  const win = new EventTarget();
  return {
    target: { document: doc as unknown as Document, window: win as unknown as Window },
    setVisibility(state: DocumentVisibilityState) {
      doc.visibilityState = state;
      doc.dispatchEvent(new Event('visibilitychange'));
    },
    fire(type: 'pageshow' | 'online') {
      win.dispatchEvent(new Event(type));
    },
  };
}

/** A status endpoint that answers from a script, counting calls and concurrency. */
function backend(answers: (call: number) => StatusAnswer | Error, latency = 0) {
  const state = { calls: 0, inFlight: 0, maxInFlight: 0, aborted: 0 };
  const check = async (signal: AbortSignal): Promise<StatusAnswer> => {
    state.calls += 1;
    state.inFlight += 1;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const call = state.calls;
    try {
      if (latency > 0) await sleep(latency);
      if (signal.aborted) state.aborted += 1;
      const answer = answers(call);
      if (answer instanceof Error) throw answer;
      return answer;
    } finally {
      state.inFlight -= 1;
    }
  };
  return { state, check };
}

function poller(options: Partial<PollerOptions> & Pick<PollerOptions, 'check'>) {
  const page = fakePage();
  const p = new StatusPoller({ schedule: fast, target: page.target, ...options });
  return { p, page };
}

describe('StatusPoller', () => {
  it('checks until a final status, then stops', async () => {
    const seen: string[] = [];
    const { state, check } = backend((call) => ({ status: call < 3 ? 'pending' : 'paid' }));
    const { p } = poller({ check, onStatus: (a) => seen.push(a.status) });
    p.start();
    await sleep(150);
    expect(seen).to.deep.equal(['pending', 'pending', 'paid']);
    expect(state.calls).to.equal(3);
    expect(p.active).to.equal(false);
  });

  it('never has two requests in flight, however often it is asked to check', async () => {
    const { state, check } = backend(() => ({ status: 'pending' }), 30);
    const { p } = poller({ check });
    p.start();
    for (let i = 0; i < 20; i += 1) {
      p.checkNow();
      await sleep(2);
    }
    await sleep(60);
    p.stop();
    expect(state.maxInFlight).to.equal(1);
  });

  it('sends nothing while the tab is hidden, and checks at once when it is visible again', async () => {
    const { state, check } = backend(() => ({ status: 'pending' }));
    const { p, page } = poller({ check, schedule: { ...fast, first: 1000, interval: 1000, cap: 1000 } });
    page.setVisibility('hidden');
    p.start();
    await sleep(100);
    expect(state.calls).to.equal(0);
    page.setVisibility('visible');
    await sleep(20);
    expect(state.calls).to.equal(1);
    p.stop();
  });

  it('pauses when the tab becomes hidden mid-payment', async () => {
    const { state, check } = backend(() => ({ status: 'pending' }));
    const { p, page } = poller({ check });
    p.start();
    await sleep(60);
    page.setVisibility('hidden');
    const before = state.calls;
    await sleep(100);
    expect(state.calls).to.be.at.most(before + 1);
    expect(before).to.be.greaterThan(0);
    p.stop();
  });

  for (const type of ['pageshow', 'online'] as const) {
    it(`checks at once on ${type} (the shopper back from the wallet app)`, async () => {
      const { state, check } = backend(() => ({ status: 'pending' }));
      const { p, page } = poller({ check, schedule: { ...fast, first: 5000, interval: 5000, cap: 5000 } });
      p.start();
      await sleep(30);
      expect(state.calls).to.equal(0);
      page.fire(type);
      await sleep(20);
      expect(state.calls).to.equal(1);
      p.stop();
    });
  }

  it('keeps going when status calls fail, and backs off instead of hammering', async () => {
    const errors: number[] = [];
    const seen: string[] = [];
    const { state, check } = backend((call) =>
      call <= 3 ? new CheckoutError('http_status', 'the backend answered 502', { status: 502 }) : { status: 'paid' },
    );
    const { p } = poller({
      check,
      onError: (_e, failures) => errors.push(failures),
      onStatus: (a) => {
        seen.push(a.status);
        answeredAt = performance.now();
      },
      schedule: { ...fast, interval: 5, errorCap: 40 },
    });
    let answeredAt = 0;
    const started = performance.now();
    p.start();
    // However slow the machine, the fourth call comes after the three backed-off failures.
    for (let waited = 0; seen.length === 0 && waited < 5000; waited += 20) await sleep(20);
    await sleep(50);
    expect(errors).to.deep.equal([1, 2, 3]);
    expect(seen).to.deep.equal(['paid']);
    expect(state.calls).to.equal(4);
    // Three failures back off 10 + 20 + 40 ms before the fourth call.
    expect(answeredAt - started).to.be.greaterThan(60);
  });

  it('makes one last check at the deadline and reports expiry when still pending', async () => {
    let expired = 0;
    const { state, check } = backend(() => ({ status: 'pending' }));
    const { p } = poller({
      check,
      deadline: Date.now() + 40,
      onExpired: () => {
        expired += 1;
      },
      schedule: { ...fast, first: 1000, interval: 1000, cap: 1000 },
    });
    p.start();
    await sleep(120);
    expect(state.calls).to.equal(1);
    expect(expired).to.equal(1);
    expect(p.active).to.equal(false);
  });

  it('reports paid, not expired, when the last check at the deadline finds the payment', async () => {
    let expired = 0;
    const seen: string[] = [];
    const { check } = backend(() => ({ status: 'paid' }));
    const { p } = poller({
      check,
      deadline: Date.now() + 20,
      onExpired: () => {
        expired += 1;
      },
      onStatus: (a) => seen.push(a.status),
      schedule: { ...fast, first: 1000 },
    });
    p.start();
    await sleep(100);
    expect(seen).to.deep.equal(['paid']);
    expect(expired).to.equal(0);
  });

  it('a pending answer to a check sent before the deadline does not expire it: the last check decides', async () => {
    let expired = 0;
    const seen: string[] = [];
    // The first check leaves at 5 ms, before the deadline at 30 ms, and is answered at about 65 ms.
    const { state, check } = backend((call) => ({ status: call === 1 ? 'pending' : 'paid' }), 60);
    const { p } = poller({
      check,
      deadline: Date.now() + 30,
      onExpired: () => {
        expired += 1;
      },
      onStatus: (a) => seen.push(a.status),
      schedule: { ...fast, first: 5, interval: 1000, cap: 1000 },
    });
    p.start();
    await sleep(250);
    expect(seen).to.deep.equal(['pending', 'paid']);
    expect(expired).to.equal(0);
    expect(state.calls).to.equal(2);
  });

  it('stop() aborts the request in flight and removes its listeners', async () => {
    const signals: AbortSignal[] = [];
    const { p, page } = poller({
      check: (signal) => {
        signals.push(signal);
        return new Promise<StatusAnswer>(() => {});
      },
    });
    p.start();
    await sleep(30);
    expect(signals.length).to.equal(1);
    p.stop();
    expect(signals[0]?.aborted).to.equal(true);
    page.fire('pageshow');
    page.fire('online');
    page.setVisibility('visible');
    await sleep(30);
    expect(signals.length).to.equal(1);
  });

  it('the default schedule sends well under the ~54 requests of Adyen in five minutes', () => {
    // The schedule itself, without waiting five minutes: sum the delays as the poller draws them.
    const { first, interval, factor, cap } = DEFAULT_SCHEDULE;
    let t = first;
    let delay = interval;
    let count = 0;
    while (t <= 300_000) {
      count += 1;
      t += delay;
      delay = Math.min(delay * factor, cap);
    }
    expect(count).to.be.within(30, 40);
  });
});
