/** The five simulated gateways, in the gallery's order. */
import { alipayplusSimulator } from './alipayplus.js';
import { careyshopSimulator } from './careyshop.js';
import { epaySimulator } from './epay.js';
import { pingppSimulator } from './pingpp.js';
import type { Simulator } from './types.js';
import { useepaySimulator } from './useepay.js';

export const SIMULATORS: readonly Simulator[] = [
  pingppSimulator,
  epaySimulator,
  careyshopSimulator,
  alipayplusSimulator,
  useepaySimulator,
];
