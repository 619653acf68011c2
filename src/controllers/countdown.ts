/**
 * Counts down to an absolute expiry time for its host. The time left is always measured against
 * `expiresAt` and the wall clock, never from when a code was drawn, so a late render, a sleeping
 * laptop or a throttled background tab cannot make a code look valid for longer than it is.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** An ISO 8601 date-time, or epoch milliseconds (as a number or a string of digits). */
export type ExpiresAtInput = string | number | null | undefined;

/** Epoch milliseconds for `value`, or undefined when there is no usable expiry. */
export function toEpochMs(value: ExpiresAtInput): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  // An attribute always arrives as a string, so epoch milliseconds may come as digits.
  if (/^\d+$/.test(text)) return Number(text);
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether a countdown going from `before` to `now` whole seconds left has passed a moment worth
 * saying aloud: every whole minute, then 30 and 10 seconds. Ticks can skip seconds (a throttled
 * tab), so a range is checked rather than one value.
 */
export function passedMilestone(before: number | undefined, now: number): boolean {
  if (before === undefined || now >= before || now <= 0) return false;
  const nextMinute = Math.max(60, Math.ceil(now / 60) * 60);
  if (nextMinute < before) return true;
  return [30, 10].some((mark) => now <= mark && mark < before);
}

export class CountdownController implements ReactiveController {
  /** Whole seconds left, rounded up so `0` means expired; undefined when there is no expiry. */
  remaining: number | undefined = undefined;
  expired = false;

  private readonly host: ReactiveControllerHost;
  private deadline: number | undefined = undefined;
  private timer: ReturnType<typeof setTimeout> | undefined = undefined;
  private connected = false;

  constructor(host: ReactiveControllerHost, expiresAt?: ExpiresAtInput) {
    this.host = host;
    this.deadline = toEpochMs(expiresAt);
    this.measure();
    host.addController(this);
  }

  /** Epoch milliseconds of the expiry, or undefined. */
  get expiresAt(): number | undefined {
    return this.deadline;
  }

  /**
   * Setting it measures at once, so a host that sets it in `willUpdate` renders the new time in
   * the same update.
   */
  set expiresAt(value: ExpiresAtInput) {
    const deadline = toEpochMs(value);
    if (deadline === this.deadline) return;
    this.deadline = deadline;
    this.restart();
  }

  hostConnected(): void {
    this.connected = true;
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    if (this.restart()) this.host.requestUpdate();
  }

  hostDisconnected(): void {
    this.connected = false;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.stop();
  }

  /** Measures again and schedules the next tick; true when what the host shows has changed. */
  private restart(): boolean {
    this.stop();
    const changed = this.measure();
    this.schedule();
    return changed;
  }

  private stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private measure(): boolean {
    const { remaining, expired } = this;
    if (this.deadline === undefined) {
      this.remaining = undefined;
      this.expired = false;
    } else {
      const left = this.deadline - Date.now();
      this.remaining = Math.max(0, Math.ceil(left / 1000));
      this.expired = left <= 0;
    }
    return remaining !== this.remaining || expired !== this.expired;
  }

  private schedule(): void {
    if (!this.connected || this.deadline === undefined || this.expired) return;
    // Wake when the whole-second count changes, measured again each time from the clock: a
    // setInterval would drift, and would show the same second twice or skip one.
    const left = this.deadline - Date.now();
    const delay = left % 1000 || 1000;
    this.timer = setTimeout(this.tick, delay);
  }

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.measure()) this.host.requestUpdate();
    this.schedule();
  };

  // Background tabs may run timers once a minute: catch up as soon as the shopper looks again.
  private readonly onVisibilityChange = (): void => {
    if (document.visibilityState === 'visible' && this.restart()) this.host.requestUpdate();
  };
}
