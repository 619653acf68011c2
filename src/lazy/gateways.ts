// The built-in adapters, each a chunk of its own in the ES builds, fetched by `loadGateways` (the
// element asks for them as a create starts). The script-tag build takes `gateways.static.ts`.
import { registerGatewayLoader } from '../gateways/registry.js';

export function registerBuiltinGatewaysLazily(): void {
  registerGatewayLoader('pingpp', () => import('../gateways/pingpp.js').then((m) => m.pingpp));
  registerGatewayLoader('epay', () => import('../gateways/epay.js').then((m) => m.epay));
  registerGatewayLoader('careyshop', () => import('../gateways/careyshop.js').then((m) => m.careyshop));
  registerGatewayLoader('alipayplus', () => import('../gateways/alipayplus.js').then((m) => m.alipayplus));
  registerGatewayLoader('useepay', () => import('../gateways/useepay.js').then((m) => m.useepay));
}
