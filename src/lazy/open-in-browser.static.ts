// The script-tag build's `open-in-browser.ts`: the guide inside the one file.
import * as guide from '../elements/cashdesk-open-in-browser/cashdesk-open-in-browser.js';

export const loadOpenInBrowser = () => Promise.resolve(guide);
