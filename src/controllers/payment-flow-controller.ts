/**
 * Adapts a `PaymentFlow` to a Lit element: the flow runs while the element is in the document and
 * pauses when it leaves (nothing lost), a page shown again is passed on, every change of state asks
 * for an update, and the flow's events are the element's own. The element draws `state`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { PaymentFlow, type PaymentFlowOptions } from '../flow/payment-flow.js';
import type { PaymentState } from '../flow/state.js';

export class PaymentFlowController implements ReactiveController {
  readonly flow: PaymentFlow;
  private readonly host: ReactiveControllerHost & EventTarget;

  constructor(host: ReactiveControllerHost & EventTarget, options: Omit<PaymentFlowOptions, 'target'>) {
    this.host = host;
    this.flow = new PaymentFlow({ ...options, target: host });
    this.flow.subscribe(() => host.requestUpdate());
    host.addController(this);
  }

  get state(): PaymentState {
    return this.flow.state;
  }

  hostConnected(): void {
    window.addEventListener('pageshow', this.handlePageShow);
    this.flow.connect();
  }

  hostDisconnected(): void {
    window.removeEventListener('pageshow', this.handlePageShow);
    this.flow.disconnect();
  }

  /**
   * Back from the gateway's page, the wallet app, or the back-forward cache: never a stuck spinner
   * or a disabled button.
   */
  private readonly handlePageShow = (event: PageTransitionEvent): void => {
    this.flow.pageShown(event.persisted);
    this.host.requestUpdate();
  };
}
