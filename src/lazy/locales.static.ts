// The script-tag build's `locales.ts`: every shipped language inside the one file.
import { es } from '../i18n/es.js';
import type { Locale, Messages } from '../i18n/messages.js';
import { zhCN } from '../i18n/zh-CN.js';
import { zhHK } from '../i18n/zh-HK.js';
import { zhTW } from '../i18n/zh-TW.js';

const shipped = { 'zh-CN': zhCN, 'zh-TW': zhTW, 'zh-HK': zhHK, es };

export const loadLocale = (locale: Exclude<Locale, 'en'>): Promise<Messages> => Promise.resolve(shipped[locale]);
