/**
 * Picks the locale for an element: its own `lang`, then the nearest ancestor's (crossing shadow
 * roots), then the document's, then the browser's; English when nothing matches.
 */
import { en } from './en.js';
import { es } from './es.js';
import { LOCALES, type Locale, type Messages } from './messages.js';
import { zhCN } from './zh-CN.js';
import { zhHK } from './zh-HK.js';
import { zhTW } from './zh-TW.js';

const dictionaries: Record<Locale, Messages> = { en, 'zh-CN': zhCN, 'zh-TW': zhTW, 'zh-HK': zhHK, es };

/** Maps any BCP 47 tag onto a supported locale, or undefined. */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const lower = tag.toLowerCase();
  const exact = LOCALES.find((l) => l.toLowerCase() === lower);
  if (exact) return exact;
  const [language, ...rest] = lower.split(/[-_]/);
  if (language === 'zh') {
    if (rest.includes('hk') || rest.includes('mo')) return 'zh-HK';
    if (rest.includes('hant') || rest.includes('tw')) return 'zh-TW';
    return 'zh-CN';
  }
  if (language === 'es') return 'es';
  if (language === 'en') return 'en';
  return undefined;
}

function declaredLang(element: Element): string | undefined {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element && node.getAttribute('lang')) return node.getAttribute('lang') ?? undefined;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return undefined;
}

export function resolveLocale(element: Element): Locale {
  const declared = matchLocale(declaredLang(element));
  if (declared) return declared;
  for (const tag of globalThis.navigator?.languages ?? []) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

export function messagesFor(locale: Locale): Messages {
  return dictionaries[locale];
}

/** The method's name in the shopper's language, or the id itself for methods we do not know. */
export function methodName(messages: Messages, method: string): string {
  return (messages.methodNames as Record<string, string>)[method] ?? method;
}
