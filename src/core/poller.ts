/**
 * Follows a payment with the merchant backend until it ends. One request at a time; a first
 * check soon after the action, then a slowly growing interval; paused while the tab is hidden,
 * with an immediate check when the shopper comes back (tab visible again, a page restored from
 * the back-forward cache, the network back online). A failed check never ends the payment: it
 * only slows the next one down.
 */
import type { PaymentStatus, StatusAnswer } from './backend.js';

export const FINAL_STATUSES = ['paid', 'failed', 'expired', 'canceled'] as const satisfies readonly PaymentStatus[];

export interface PollSchedule {
  /** Delay of the first check after start, ms. */
  first: number;
  /** Interval after the first check, ms; multiplied by `factor` each time up to `cap`. */
  interval: number;
  factor: number;
  cap: number;
  /** Ceiling of the interval while checks keep failing, ms. */
  errorCap: number;
  /** ± share of each delay drawn at random, so a crowd of tabs does not poll in step. */
  jitter: number;
}

/**
 * About 35 requests in the first five minutes (Adyen's schedule sends about 54): quick while the
 * shopper is most likely paying, then every 10 s.
 */
export const DEFAULT_SCHEDULE: PollSchedule = {
  first: 1500,
  interval: 2000,
  factor: 1.25,
  cap: 10_000,
  errorCap: 30_000,
  jitter: 0.1,
};

export interface PollerOptions {
  check: (signal: AbortSignal) => Promise<StatusAnswer>;
  /** Every answer, final or not. */
  onStatus?: (answer: StatusAnswer) => void;
  /** A check failed; `failures` counts the failures in a row. Polling goes on. */
  onError?: (error: unknown, failures: number) => void;
  /** The deadline passed with the last check still pending. */
  onExpired?: () => void;
  /** When the payment stops being payable (the QR's `expiresAt`), as epoch ms. */
  deadline?: number;
  schedule?: Partial<PollSchedule>;
  /** Where visibility, pageshow and online are listened for; defaults to the global ones. */
  target?: { document: Document; window: Window };
}

export class StatusPoller {
  private readonly options: PollerOptions;
  private readonly schedule: PollSchedule;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private nextDelay = 0;
  private failures = 0;
  private running = false;
  private inFlight = false;
  private again = false;
  /** Set by a final answer or the deadline: a finished poller never starts again. */
  private finished = false;
  /** Requests sent since start; read by the benchmark and tests. */
  requests = 0;

  constructor(options: PollerOptions) {
    this.options = options;
    this.schedule = { ...DEFAULT_SCHEDULE, ...options.schedule };
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running || this.finished) return;
    this.running = true;
    this.failures = 0;
    this.nextDelay = this.schedule.interval;
    const { document: doc, window: win } = this.target();
    doc.addEventListener('visibilitychange', this.onVisibility);
    win.addEventListener('pageshow', this.onReturn);
    win.addEventListener('online', this.onReturn);
    const { deadline } = this.options;
    if (deadline !== undefined) {
      this.deadlineTimer = setTimeout(this.onDeadline, Math.max(0, deadline - Date.now()));
    }
    this.wait(this.schedule.first);
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.timer);
    clearTimeout(this.deadlineTimer);
    this.timer = undefined;
    this.deadlineTimer = undefined;
    this.controller?.abort();
    this.controller = undefined;
    const { document: doc, window: win } = this.target();
    doc.removeEventListener('visibilitychange', this.onVisibility);
    win.removeEventListener('pageshow', this.onReturn);
    win.removeEventListener('online', this.onReturn);
  }

  /** Checks now (a shopper's "I have paid", a return from the wallet), without a second request in flight. */
  checkNow(): void {
    if (!this.running) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    void this.run();
  }

  private target(): { document: Document; window: Window } {
    return this.options.target ?? { document, window };
  }

  private hidden(): boolean {
    return this.target().document.visibilityState === 'hidden';
  }

  private wait(delay: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Hidden: nothing is scheduled; becoming visible checks at once.
    if (!this.running || this.hidden()) return;
    const spread = delay * this.schedule.jitter;
    this.timer = setTimeout(() => void this.run(), delay - spread + Math.random() * 2 * spread);
  }

  private async run(): Promise<void> {
    if (!this.running || this.inFlight) return;
    this.inFlight = true;
    this.timer = undefined;
    const controller = new AbortController();
    this.controller = controller;
    this.requests += 1;
    let delay = this.nextDelay;
    const sentAt = Date.now();
    try {
      const answer = await this.options.check(controller.signal);
      if (controller.signal.aborted) return;
      this.failures = 0;
      this.options.onStatus?.(answer);
      if ((FINAL_STATUSES as readonly string[]).includes(answer.status)) {
        this.finished = true;
        this.stop();
        return;
      }
      if (this.pastDeadline()) {
        // Only a check sent after the deadline can say the code expired unpaid; an answer to one
        // sent before it (the shopper paid meanwhile) is followed by that last check.
        if (sentAt >= (this.options.deadline ?? 0)) {
          this.finished = true;
          this.stop();
          this.options.onExpired?.();
          return;
        }
        this.again = true;
      }
      // This wait uses the current interval; the one after grows from it.
      delay = this.nextDelay;
      this.nextDelay = Math.min(this.nextDelay * this.schedule.factor, this.schedule.cap);
    } catch (error) {
      if (controller.signal.aborted) return;
      this.failures += 1;
      this.options.onError?.(error, this.failures);
      // Back off on errors so a struggling backend is not hammered, but keep going.
      this.nextDelay = Math.min(
        Math.max(this.nextDelay, this.schedule.interval * 2 ** this.failures),
        this.schedule.errorCap,
      );
      delay = this.nextDelay;
    } finally {
      if (this.controller === controller) this.controller = undefined;
      this.inFlight = false;
    }
    if (!this.running) return;
    if (this.again) {
      this.again = false;
      void this.run();
      return;
    }
    this.wait(delay);
  }

  private pastDeadline(): boolean {
    const { deadline } = this.options;
    return deadline !== undefined && Date.now() >= deadline;
  }

  private readonly onDeadline = (): void => {
    // One last check at the deadline: a payment made in the last second must not show "expired".
    this.checkNow();
  };

  private readonly onVisibility = (): void => {
    if (this.hidden()) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else {
      this.checkNow();
    }
  };

  private readonly onReturn = (): void => {
    if (!this.hidden()) this.checkNow();
  };
}
