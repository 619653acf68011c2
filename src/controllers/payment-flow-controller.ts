/**
 * Adapts a `PaymentFlow` to a Lit element: the flow runs while the element is in the document and
 * pauses when it leaves (nothing lost), a page shown again is passed on, every change of state asks
 * for an update, and the flow's events are the element's own. The element draws `state`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CreateAnswer } from '../core/backend.js';
import { PaymentFlow, type PaymentFlowOptions } from '../flow/payment-flow.js';
import type { PaymentState } from '../flow/state.js';

/** What the host's properties say the flow should start with. */
export interface FlowInputs {
  orderId: string;
  method: string;
  /** A return page: follow `orderId` at once. */
  resume: boolean;
  /** A server-rendered answer: shown without a create call. */
  payload: CreateAnswer | undefined;
}

export class PaymentFlowController implements ReactiveController {
  readonly flow: PaymentFlow;
  private readonly host: ReactiveControllerHost & EventTarget;
  private readonly inputs: () => FlowInputs;
  private started = false;
  /** The payload already shown, so a re-render does not show it twice. */
  private shown: CreateAnswer | undefined;

  constructor(
    host: ReactiveControllerHost & EventTarget,
    options: Omit<PaymentFlowOptions, 'target'> & { inputs: () => FlowInputs },
  ) {
    this.host = host;
    this.inputs = options.inputs;
    this.flow = new PaymentFlow({ ...options, target: host });
    this.flow.subscribe(() => host.requestUpdate());
    host.addController(this);
  }

  /**
   * Before each render: a return page starts following before its first render (the picker never
   * flashes), and a server-rendered payload is shown once, when the flow is idle.
   */
  hostUpdate(): void {
    const { orderId, method, resume, payload } = this.inputs();
    const first = !this.started;
    this.started = true;
    if (first && resume && orderId && payload === undefined) this.flow.resume(orderId);
    if (payload !== undefined && payload !== this.shown && this.flow.state.view === 'idle') {
      this.shown = payload;
      void this.flow.show(orderId, method, payload);
    }
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
