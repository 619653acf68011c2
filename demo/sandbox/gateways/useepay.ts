/**
 * UseePay in the sandbox: being written. Until then the gateway offers no scenario.
 */
import type { GatewayModule } from '../types.js';

export const useepay: GatewayModule = {
  id: 'useepay',
  label: 'UseePay',
  methods: [],
  scenarios: [],
  async create() {
    throw new Error('the UseePay simulator is not written yet');
  },
  async verifyNotify() {
    return undefined;
  },
  routes() {},
};
