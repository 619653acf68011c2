/**
 * Picks the locale for an element: its own `lang`, then the nearest ancestor's (crossing shadow
 * roots), then the document's, then the browser's; English when nothing matches.
 */
import { loadLocale } from '../lazy/locales.js';
import { en } from './en.js';
import { LOCALES, type Locale, type Messages } from './messages.js';

/** English is always here; the other languages once fetched (`ensureLocale`). */
const dictionaries: Partial<Record<Locale, Messages>> = { en };
const loading = new Map<Locale, Promise<void>>();

/** Whether a language's words are here (English always is). */
export function isLocaleReady(locale: Locale): boolean {
  return dictionaries[locale] !== undefined;
}

/**
 * Fetches a language's words once (in the ES builds each is a chunk of its own; the script-tag
 * build has them all). Elements then re-render. A failed fetch leaves English, and is tried again
 * on the next call.
 */
export function ensureLocale(locale: Locale): Promise<void> {
  if (locale === 'en' || dictionaries[locale]) return Promise.resolve();
  let load = loading.get(locale);
  if (!load) {
    load = loadLocale(locale).then(
      (messages) => {
        dictionaries[locale] = messages;
        merged.delete(locale);
        for (const listener of changeListeners) listener();
      },
      () => {
        loading.delete(locale);
      },
    );
    loading.set(locale, load);
  }
  return load;
}

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

/** The page's own words, per locale, laid over the shipped ones. */
const overrides = new Map<Locale, Partial<Messages>>();
const merged = new Map<Locale, Messages>();
const changeListeners = new Set<() => void>();

/**
 * Changes some of cashdesk's words for a locale (the merchant's tone, a method's name): the other
 * messages stay. `methodNames` and `failureReasons` are merged name by name. Elements on the page
 * re-render. A second call for the same locale adds to the first.
 */
export function registerMessages(locale: Locale, messages: Partial<Messages>): void {
  if (!(LOCALES as readonly string[]).includes(locale)) {
    throw new TypeError(`registerMessages: ${JSON.stringify(locale)} is not one of ${LOCALES.join(', ')}`);
  }
  const before = overrides.get(locale) ?? {};
  overrides.set(locale, {
    ...before,
    ...messages,
    methodNames: { ...before.methodNames, ...messages.methodNames } as Messages['methodNames'],
    failureReasons: { ...before.failureReasons, ...messages.failureReasons } as Messages['failureReasons'],
  });
  merged.delete(locale);
  for (const listener of changeListeners) listener();
}

/** Called after every `registerMessages`. */
export function onMessagesChange(listener: () => void): () => void {
  changeListeners.add(listener);
  return () => changeListeners.delete(listener);
}

export function messagesFor(locale: Locale): Messages {
  const own = overrides.get(locale);
  const shipped = dictionaries[locale];
  // Not fetched yet (or the fetch failed): English until it arrives.
  if (shipped === undefined) {
    void ensureLocale(locale);
    return en;
  }
  if (own === undefined) return shipped;
  let messages = merged.get(locale);
  if (messages === undefined) {
    const base = shipped;
    messages = {
      ...base,
      ...own,
      methodNames: { ...base.methodNames, ...own.methodNames },
      failureReasons: { ...base.failureReasons, ...own.failureReasons },
    };
    merged.set(locale, messages);
  }
  return messages;
}

/** The method's name in the shopper's language, or the id itself for methods we do not know. */
export function methodName(messages: Messages, method: string): string {
  return (messages.methodNames as Record<string, string>)[method] ?? method;
}
