import { expect } from '@open-wc/testing';
import { CLOCK_SKEW_LIMIT, CLOCK_SKEW_TOLERANCE, localDeadline } from '../../../src/core/clock.js';

describe('localDeadline', () => {
  const expiresAt = '2026-11-22T10:05:00.000Z';
  const at = Date.parse(expiresAt);

  it("moves the gateway's deadline later on a device clock that runs minutes ahead", () => {
    // The device is 10 minutes ahead: the backend's clock minus the device's is -10 minutes.
    expect(localDeadline(expiresAt, -600_000)).to.equal(at + 600_000);
  });

  it('never cuts a code short: a backend clock ahead of the device (or a stale header) changes nothing', () => {
    expect(localDeadline(expiresAt, 120_000)).to.equal(at);
    expect(localDeadline(expiresAt, 600_000)).to.equal(at);
  });

  it('ignores a Date header further off than the limit (a broken header, not a clock)', () => {
    expect(localDeadline(expiresAt, -CLOCK_SKEW_LIMIT - 1)).to.equal(at);
    expect(localDeadline(expiresAt, -Date.parse(expiresAt))).to.equal(at);
    expect(localDeadline(expiresAt, -CLOCK_SKEW_LIMIT)).to.equal(at + CLOCK_SKEW_LIMIT);
  });

  it("leaves it alone within the tolerance (the Date header's precision and the network's delay)", () => {
    expect(localDeadline(expiresAt, -CLOCK_SKEW_TOLERANCE)).to.equal(at);
    expect(localDeadline(expiresAt, -1200)).to.equal(at);
    expect(localDeadline(expiresAt)).to.equal(at);
  });

  it('has no deadline without a valid date', () => {
    expect(localDeadline(undefined, -600_000)).to.equal(undefined);
    expect(localDeadline('soon', -600_000)).to.equal(undefined);
  });
});
