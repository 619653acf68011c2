// Alipay's cashier inside the Alipay app, needed only there: in the ES builds a chunk of its own.
// The script-tag build takes `alipay-bridge.static.ts` instead (vite.lib.config.ts).
export const loadAlipayBridge = () => import('../perform/alipay-bridge.js');
