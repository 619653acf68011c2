/**
 * How the gallery's simulated WeChat sheet and app SDK reach each simulator: the WeChat sheet
 * settles the payment its JSAPI parameters belong to; the app SDK pays with its token. Each calls
 * the simulator's own endpoint over HTTP, as the real wallet would talk to its gateway.
 */
import type { SandboxContext } from './types.js';

async function post(ctx: SandboxContext, path: string, body: Record<string, unknown>, form = false): Promise<void> {
  await fetch(`${ctx.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body as Record<string, string>) : JSON.stringify(body),
  });
}

/** The prepay id inside WeChat's `package` (`prepay_id=wx…`). */
function prepayIdOf(params: Record<string, string>): string {
  return /prepay_?id=([^&]+)/.exec(params.package ?? '')?.[1] ?? '';
}

/** An app token as the simulators' scan endpoints take it: the order string, or the prepay id. */
function scanContentOf(token: unknown): string {
  if (typeof token === 'string') return token;
  const fields = (token ?? {}) as Record<string, unknown>;
  return String(fields.prepayid ?? fields.prepayId ?? fields.orderInfo ?? '');
}

export const bridges = {
  async pingppWechat(params: Record<string, string>, outcome: string, ctx: SandboxContext) {
    await post(ctx, '/gw/pingpp/wx_pub/confirm', { params, outcome });
  },
  async careyshopWechat(params: Record<string, string>, outcome: string, ctx: SandboxContext) {
    await post(ctx, '/gw/careyshop/jsapi/confirm', { prepay_id: prepayIdOf(params), outcome });
  },
  async scan(gateway: string, token: unknown, outcome: string, ctx: SandboxContext) {
    if (outcome === 'success') await post(ctx, `/gw/${gateway}/scan`, { content: scanContentOf(token) }, true);
  },
};
