// The script-tag build's `gateways.ts`: the five adapters inside the one file, registered at load,
// so `Cashdesk.toAction` works at once.
import { registerBuiltinGateways } from '../gateways/builtin.js';

export const registerBuiltinGatewaysLazily = registerBuiltinGateways;
