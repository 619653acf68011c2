/**
 * The gallery's choice of what each simulated gateway does with an order (`qr`, `fail-balance`,
 * `bad-key`, …). It is the simulators' control, set by the gallery when it makes the order; the
 * merchant backend never sees it. A simulator finds the scenario from the merchant's own number for
 * the payment, which starts with the shop's order id (`SBX…-1`, `SBX…01`).
 */
export class ScenarioBoard {
  private readonly scenarios = new Map<string, string>();
  private readonly webhooks = new Map<string, string>();

  /**
   * A gateway's dashboard setting: where it sends notifies that no request names (Ping++ takes its
   * webhook URL from the app's dashboard, not from the charge).
   */
  setWebhook(gateway: string, url: string): void {
    this.webhooks.set(gateway, url);
  }

  webhook(gateway: string): string | undefined {
    return this.webhooks.get(gateway);
  }

  set(orderId: string, scenario: string): void {
    this.scenarios.set(orderId, scenario);
  }

  /** The scenario of the order whose id starts `merchantReference` (the longest such id), else `fallback`. */
  of(merchantReference: string | undefined, fallback: string): string {
    let best: string | undefined;
    for (const orderId of this.scenarios.keys()) {
      if (merchantReference?.startsWith(orderId) && orderId.length > (best?.length ?? 0)) best = orderId;
    }
    return best === undefined ? fallback : (this.scenarios.get(best) ?? fallback);
  }
}
