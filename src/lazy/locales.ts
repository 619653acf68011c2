// The shipped languages other than English: in the ES builds each is a chunk of its own, fetched
// for the shopper's language only. The script-tag build takes `locales.static.ts` instead
// (vite.lib.config.ts), which carries five and fetches the others as files of their own.
import type { Locale, Messages } from '../i18n/messages.js';

const chunks: Record<Exclude<Locale, 'en'>, () => Promise<Messages>> = {
  'zh-CN': () => import('../i18n/zh-CN.js').then((module) => module.zhCN),
  'zh-TW': () => import('../i18n/zh-TW.js').then((module) => module.zhTW),
  'zh-HK': () => import('../i18n/zh-HK.js').then((module) => module.zhHK),
  es: () => import('../i18n/es.js').then((module) => module.es),
  ja: () => import('../i18n/ja.js').then((module) => module.ja),
  ko: () => import('../i18n/ko.js').then((module) => module.ko),
  th: () => import('../i18n/th.js').then((module) => module.th),
  vi: () => import('../i18n/vi.js').then((module) => module.vi),
  id: () => import('../i18n/id.js').then((module) => module.id),
  ms: () => import('../i18n/ms.js').then((module) => module.ms),
  fil: () => import('../i18n/fil.js').then((module) => module.fil),
  'pt-BR': () => import('../i18n/pt-BR.js').then((module) => module.ptBR),
  fr: () => import('../i18n/fr.js').then((module) => module.fr),
  de: () => import('../i18n/de.js').then((module) => module.de),
  ar: () => import('../i18n/ar.js').then((module) => module.ar),
};

export const loadLocale = (locale: Exclude<Locale, 'en'>): Promise<Messages> => chunks[locale]();
