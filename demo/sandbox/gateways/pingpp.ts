/**
 * Ping++ in the sandbox: being written. Until then the gateway offers no scenario.
 */
import type { GatewayModule } from '../types.js';

export const pingpp: GatewayModule = {
  id: 'pingpp',
  label: 'Ping++',
  methods: [],
  scenarios: [],
  async create() {
    throw new Error('the Ping++ simulator is not written yet');
  },
  async verifyNotify() {
    return undefined;
  },
  routes() {},
};
