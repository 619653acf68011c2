// The shipped languages other than English: in the ES builds each is a chunk of its own, fetched
// for the shopper's language only. The script-tag build takes `locales.static.ts` instead
// (vite.lib.config.ts), which carries them all.
import type { Locale, Messages } from '../i18n/messages.js';

export const loadLocale = (locale: Exclude<Locale, 'en'>): Promise<Messages> => {
  switch (locale) {
    case 'zh-CN':
      return import('../i18n/zh-CN.js').then((module) => module.zhCN);
    case 'zh-TW':
      return import('../i18n/zh-TW.js').then((module) => module.zhTW);
    case 'zh-HK':
      return import('../i18n/zh-HK.js').then((module) => module.zhHK);
    case 'es':
      return import('../i18n/es.js').then((module) => module.es);
  }
};
