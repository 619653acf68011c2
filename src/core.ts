/**
 * The pure core without the elements: `toAction`, the registry and each adapter, to register only
 * the gateways a page uses. `import { toAction, registerGateway, epay } from 'cashdesk/core'`
 * tree-shakes to the registry, that adapter and the core it uses. Nothing is registered on import.
 */
export type { CheckoutErrorCode } from './core/errors.js';
export { CheckoutError, isCheckoutError } from './core/errors.js';
export type { NextAction } from './core/next-action.js';
export { checkDeeplink, checkWebUrl } from './core/safe-url.js';
export { alipayplus } from './gateways/alipayplus.js';
export { careyshop } from './gateways/careyshop.js';
export { epay } from './gateways/epay.js';
export { pingpp } from './gateways/pingpp.js';
export type { AdapterContext, GatewayAdapter, ToActionOptions } from './gateways/registry.js';
export { registeredGateways, registerGateway, toAction } from './gateways/registry.js';
export { useepay } from './gateways/useepay.js';
