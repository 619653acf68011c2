/**
 * CareyShop in the sandbox: being written. Until then the gateway offers no scenario.
 */
import type { GatewayModule } from '../types.js';

export const careyshop: GatewayModule = {
  id: 'careyshop',
  label: 'CareyShop',
  methods: [],
  scenarios: [],
  async create() {
    throw new Error('the CareyShop simulator is not written yet');
  },
  async verifyNotify() {
    return undefined;
  },
  routes() {},
};
