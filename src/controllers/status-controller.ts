/**
 * Ties a StatusPoller to an element's life: it runs only while the element is in the document,
 * and picks up again if the element is moved (disconnected, then connected) mid-payment.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type PollerOptions, StatusPoller } from '../core/poller.js';

export class StatusController implements ReactiveController {
  private poller: StatusPoller | undefined;
  private connected = false;

  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Follows a payment, replacing whatever was followed before. */
  follow(options: PollerOptions): void {
    this.poller?.stop();
    this.poller = new StatusPoller(options);
    if (this.connected) this.poller.start();
  }

  stop(): void {
    this.poller?.stop();
    this.poller = undefined;
  }

  checkNow(): void {
    this.poller?.checkNow();
  }

  get active(): boolean {
    return this.poller?.active ?? false;
  }

  /** Status requests sent for the payment followed now. */
  get requests(): number {
    return this.poller?.requests ?? 0;
  }

  hostConnected(): void {
    this.connected = true;
    // A poller that was stopped by a final answer is dropped; one paused by removal resumes.
    this.poller?.start();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.poller?.stop();
  }
}
