/**
 * A gateway's `expiresAt` is on its own clock, which the backend shares; this device's clock can
 * be minutes off (a desktop that never synchronises, a phone set by hand). Counting down on a
 * device clock that runs ahead shows a fresh code as expired, and the shopper cannot pay.
 */

/** Skews up to this are the `Date` header's one-second precision and the network's delay, not a wrong clock. */
export const CLOCK_SKEW_TOLERANCE = 5_000;

/** Beyond this, a `Date` header is more likely broken than a clock that far off: it is not used. */
export const CLOCK_SKEW_LIMIT = 12 * 60 * 60_000;

/**
 * `expiresAt` as epoch milliseconds on this device's clock. `clockOffset` is the backend's clock
 * minus the device's; when the device runs ahead (a negative offset beyond the tolerance and
 * within the limit) the deadline moves later by that much.
 *
 * The correction only ever gives a code more time. The other way, it would trust the backend's
 * clock over the device's to cut a code short, and a backend clock that runs ahead (or a stale
 * header) would then show a payable code as expired: a lost payment, where the opposite mistake
 * costs a scan that the wallet refuses, and the backend's status still ends the payment.
 * Undefined without a valid date.
 */
export function localDeadline(expiresAt: string | undefined, clockOffset?: number): number | undefined {
  const at = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
  if (Number.isNaN(at)) return undefined;
  if (clockOffset === undefined || -clockOffset <= CLOCK_SKEW_TOLERANCE || -clockOffset > CLOCK_SKEW_LIMIT) return at;
  return at - clockOffset;
}
