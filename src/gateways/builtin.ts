/**
 * Registers the five built-in adapters. Imported by the package entry; a page that wants one
 * adapter only imports `registry.ts` and that adapter, and registers it itself.
 */
import { alipayplus } from './alipayplus.js';
import { careyshop } from './careyshop.js';
import { epay } from './epay.js';
import { pingpp } from './pingpp.js';
import { registerGateway } from './registry.js';
import { useepay } from './useepay.js';

export function registerBuiltinGateways(): void {
  registerGateway('pingpp', pingpp);
  registerGateway('epay', epay);
  registerGateway('careyshop', careyshop);
  registerGateway('alipayplus', alipayplus);
  registerGateway('useepay', useepay);
}
