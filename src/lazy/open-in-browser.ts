// The open-in-browser guide, needed only inside WeChat for Alipay's pages: in the ES builds a chunk
// of its own. The script-tag build takes `open-in-browser.static.ts` instead (vite.lib.config.ts).
export const loadOpenInBrowser = (): Promise<unknown> =>
  import('../elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js');
