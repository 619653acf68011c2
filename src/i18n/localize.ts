/**
 * Picks the locale for an element: its own `lang`, then the nearest ancestor's (crossing shadow
 * roots), then the document's, then the browser's list; English when nothing matches. And the
 * writing direction that goes with it.
 */
import { loadLocale } from '../lazy/locales.js';
import { en } from './en.js';
import { LOCALES, type Locale, type Messages, RTL_LOCALES } from './messages.js';

/** English is always here; the other languages once fetched (`ensureLocale`). */
const dictionaries: Partial<Record<Locale, Messages>> = { en };
const loading = new Map<Locale, Promise<void>>();

/** Whether a language's words are here (English always is). */
export function isLocaleReady(locale: Locale): boolean {
  return dictionaries[locale] !== undefined;
}

/**
 * Fetches a language's words once (in the ES builds each is a chunk of its own; the script-tag
 * build carries five and fetches the others). Elements then re-render. A failed fetch leaves
 * English (its words, its `lang`, its direction), and is tried again 30 seconds later at the earliest.
 */
export function ensureLocale(locale: Locale): Promise<void> {
  if (locale === 'en' || dictionaries[locale]) return Promise.resolve();
  let load = loading.get(locale);
  if (!load) {
    load = loadLocale(locale).then(
      (messages) => {
        dictionaries[locale] = messages;
        for (const listener of changeListeners) listener();
      },
      (error: unknown) => {
        // English until then: not fetched again on every render, but tried again after a while.
        setTimeout(() => loading.delete(locale), 30_000);
        console.warn(`cashdesk: no ${locale} messages, so English`, error);
      },
    );
    loading.set(locale, load);
  }
  return load;
}

/** Language subtags that name a shipped locale other than by its own tag. */
const ALIASES: Record<string, Locale> = {
  // Portuguese is shipped as Brazil writes it, for Portugal too.
  pt: 'pt-BR',
  // Tagalog is the language Filipino is based on; phones set to it read Filipino.
  tl: 'fil',
  // Indonesian's code before 1989, still reported by some Android systems.
  in: 'id',
};

/**
 * Maps any BCP 47 tag onto a supported locale, or undefined: `pt-PT` → pt-BR, `tl` → fil,
 * `zh-Hant-HK` → zh-HK, `zh-Hans-HK` → zh-CN, `yue` (Cantonese) → zh-HK. Malay and Indonesian stay
 * apart: each is its own language.
 */
export function matchLocale(tag: string | null | undefined): Locale | undefined {
  if (!tag) return undefined;
  const [language = '', ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'zh' || language === 'yue') {
    const has = (subtag: string) => rest.includes(subtag);
    if (has('hans')) return 'zh-CN';
    if (language === 'yue' || has('hk') || has('mo')) return 'zh-HK';
    return has('hant') || has('tw') ? 'zh-TW' : 'zh-CN';
  }
  const alias = ALIASES[language];
  if (alias) return alias;
  return LOCALES.find((l) => l === language);
}

/** The locale for a declared `lang` (if any) and the browser's list, in that order; English last. */
export function chooseLocale(declared: string | null | undefined, languages: readonly string[] = []): Locale {
  const own = matchLocale(declared);
  if (own) return own;
  for (const tag of languages) {
    const match = matchLocale(tag);
    if (match) return match;
  }
  return 'en';
}

/** The element itself, then up through its ancestors, crossing shadow roots to their hosts. */
function* upFrom(element: Element): Generator<Element> {
  let node: Node | null = element;
  while (node) {
    if (node instanceof Element) yield node;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
}

function declaredLang(element: Element): string | undefined {
  for (const node of upFrom(element)) {
    const lang = node.getAttribute('lang');
    if (lang) return lang;
  }
  return undefined;
}

export function resolveLocale(element: Element): Locale {
  return chooseLocale(declaredLang(element), globalThis.navigator?.languages ?? []);
}

/**
 * The writing direction: a `dir` of `ltr` or `rtl` on the element or an ancestor, unless a nearer
 * `lang` declares the language first; else the locale's own (`rtl` for Arabic). So
 * `<cashdesk-checkout lang="ar">` on an English page is right to left, and an English checkout in an
 * Arabic page's `dir="rtl"` follows the page only if it has no `lang` of its own.
 */
export function resolveDirection(element: Element, locale: Locale): 'ltr' | 'rtl' {
  for (const node of upFrom(element)) {
    const dir = node.getAttribute('dir')?.toLowerCase();
    if (dir === 'ltr' || dir === 'rtl') return dir;
    if (node.getAttribute('lang')) break;
  }
  return RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr';
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
  // Not here (`ensureLocale` fetches it): English, with the page's own English words.
  if (shipped === undefined) return messagesFor('en');
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
