/**
 * A gateway's `expiresAt` is on its own clock, which the backend shares; this device's clock can
 * be minutes off (a desktop that never synchronises, a phone set by hand). Counting down on the
 * device's clock would show a fresh code as expired, or keep an expired one on screen.
 */

/** Skews up to this are the `Date` header's one-second precision and the network's delay, not a wrong clock. */
export const CLOCK_SKEW_TOLERANCE = 5_000;

/**
 * `expiresAt` as epoch milliseconds on this device's clock: moved by `clockOffset` (the backend's
 * clock minus the device's) when that is beyond the tolerance. Undefined without a valid date.
 */
export function localDeadline(expiresAt: string | undefined, clockOffset?: number): number | undefined {
  const at = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
  if (Number.isNaN(at)) return undefined;
  return clockOffset !== undefined && Math.abs(clockOffset) > CLOCK_SKEW_TOLERANCE ? at - clockOffset : at;
}
