// The script-tag build's `open-in-browser.ts`: the guide inside the one file, registered at load.
import '../elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js';

export const loadOpenInBrowser = (): Promise<unknown> => Promise.resolve();
