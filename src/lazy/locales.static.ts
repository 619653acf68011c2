// The script-tag build's `locales.ts`. Five languages are inside the one file; the others are files
// of their own (`dist/locales/<tag>.js`, ES modules), fetched for the shopper's language only from
// the folder beside the script, or from the one its `data-cashdesk-locales` attribute names.
import { es } from '../i18n/es.js';
import type { Locale, Messages } from '../i18n/messages.js';
import { zhCN } from '../i18n/zh-CN.js';
import { zhHK } from '../i18n/zh-HK.js';
import { zhTW } from '../i18n/zh-TW.js';

const builtIn: Partial<Record<Locale, Messages>> = { 'zh-CN': zhCN, 'zh-TW': zhTW, 'zh-HK': zhHK, es };

// Read while the script runs: `document.currentScript` is this `<script>` only then. A named
// `<img>` or `<form>` in the page can stand in its place (DOM clobbering), so only a real script
// element counts, and only an http(s) folder.
const script = globalThis.document?.currentScript;
const named = script instanceof HTMLScriptElement ? script.dataset.cashdeskLocales : undefined;
const base =
  script instanceof HTMLScriptElement
    ? named
      ? new URL(named.replace(/\/?$/, '/'), document.baseURI)
      : script.src && new URL('locales/', script.src)
    : undefined;
const folder = base && /^https?:$/.test(base.protocol) ? base.href : undefined;

export const loadLocale = (locale: Exclude<Locale, 'en'>): Promise<Messages> => {
  const messages = builtIn[locale];
  if (messages) return Promise.resolve(messages);
  if (!folder) return Promise.reject(new Error('no locales folder'));
  // Each file exports its messages under the tag without the hyphen (`pt-BR.js` exports `ptBR`).
  return import(/* @vite-ignore */ `${folder}${locale}.js`).then((module: Record<string, Messages | undefined>) => {
    const fetched = module[locale.replace('-', '')];
    if (!fetched) throw new Error('no messages');
    return fetched;
  });
};
