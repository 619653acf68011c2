/**
 * Alipay+ in the sandbox: being written. Until then the gateway offers no scenario.
 */
import type { GatewayModule } from '../types.js';

export const alipayplus: GatewayModule = {
  id: 'alipayplus',
  label: 'Alipay+',
  methods: [],
  scenarios: [],
  async create() {
    throw new Error('the Alipay+ simulator is not written yet');
  },
  async verifyNotify() {
    return undefined;
  },
  routes() {},
};
