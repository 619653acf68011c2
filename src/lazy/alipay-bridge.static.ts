// The script-tag build's `alipay-bridge.ts`: the Alipay app's cashier inside the one file.
import * as alipayBridge from '../perform/alipay-bridge.js';

export const loadAlipayBridge = (): Promise<typeof alipayBridge> => Promise.resolve(alipayBridge);
