// The sixteen languages: each has every message of English, none left in English, numbers drawn by
// Intl; and the language a shopper gets for what their browser lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { en } from '../../src/i18n/en.js';
import { clock } from '../../src/i18n/intl.js';
import { chooseLocale, matchLocale } from '../../src/i18n/localize.js';
import { LOCALES, type Locale, type Messages } from '../../src/i18n/messages.js';
import { loadLocale } from '../../src/lazy/locales.js';

const load = (locale: Locale): Promise<Messages> => (locale === 'en' ? Promise.resolve(en) : loadLocale(locale));

/** Every path in `value` down to a string or a function: `pay`, `methodNames.alipay`, … */
function leaves(value: object, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && typeof item === 'object')
      for (const [path, leaf] of leaves(item, `${prefix}${key}.`)) found.set(path, leaf);
    else found.set(`${prefix}${key}`, item);
  }
  return found;
}

/** What each message with a value is called with, and what its text must then contain. */
const calls: Record<string, [unknown[], string]> = {
  pay: [['¥12.34'], '¥12.34'],
  scanWith: [['Zeta Pay'], 'Zeta Pay'],
  failureDetail: [['E-4711'], 'E-4711'],
  scanOnPhone: [['Zeta Pay'], 'Zeta Pay'],
  expiresIn: [[4, 5], ''],
  expiresInSpoken: [[4, 5], ''],
};

/** Bidirectional controls, which a message must not carry: the layout's `dir` does their job. */
const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

describe('every locale', () => {
  const english = leaves(en);

  it('a locale missing a message does not compile (`npm run typecheck` checks this file)', () => {
    const { pay: _left, ...withoutPay } = en;
    // @ts-expect-error: `pay` is missing, so this is not `Messages`.
    const incomplete: Messages = withoutPay;
    assert.equal('pay' in incomplete, false);
  });

  for (const locale of LOCALES) {
    it(`${locale} has every message English has, and no other`, async () => {
      const messages = leaves(await load(locale));
      assert.deepEqual([...messages.keys()].sort(), [...english.keys()].sort());
      for (const [path, value] of messages) {
        assert.equal(typeof value, typeof english.get(path), `${locale} ${path}`);
        if (typeof value === 'string') {
          assert.ok(value.trim().length > 0 && value === value.trim(), `${locale} ${path} is empty or padded`);
          assert.doesNotMatch(value, BIDI_CONTROLS, `${locale} ${path}`);
        }
      }
    });

    it(`${locale}'s messages with a value say it, and draw the countdown with Intl`, async () => {
      const messages = (await load(locale)) as unknown as Record<string, (...args: unknown[]) => string>;
      for (const [name, [args, said]] of Object.entries(calls)) {
        const text = messages[name]?.(...args) ?? '';
        assert.ok(text.trim().length > 0, `${locale} ${name}`);
        assert.ok(text.includes(said), `${locale} ${name} leaves out ${said}: ${text}`);
      }
      assert.ok(messages.expiresIn?.(4, 5).includes(clock(locale, 4, 5)), `${locale} expiresIn`);
    });

    if (locale === 'en') continue;
    it(`${locale} leaves nothing in English but the wallets' names`, async () => {
      const messages = leaves(await load(locale));
      const same = [...messages]
        .filter(
          ([path, value]) =>
            !path.startsWith('methodNames.') && typeof value === 'string' && value === english.get(path),
        )
        .map(([path]) => path);
      assert.deepEqual(same, []);
      const pay = (messages.get('pay') as Messages['pay'])('¥1');
      assert.notEqual(pay, en.pay('¥1'));
    });
  }

  it('the spoken countdown takes the plural form the number asks for, six of them in Arabic', async () => {
    assert.equal(en.expiresInSpoken(1, 0), 'The code expires in 1 minute');
    assert.equal(en.expiresInSpoken(2, 1), 'The code expires in 2 minutes and 1 second');
    const ar = await load('ar');
    // One, two, a few, many: Arabic says each differently (CLDR's plural rules for ar).
    const said = [1, 2, 3, 11].map((minutes) =>
      ar.expiresInSpoken(minutes, 0).replace('يتبقى على انتهاء صلاحية الرمز ', ''),
    );
    assert.deepEqual(said, ['دقيقة', 'دقيقتان', '3 دقائق', '11 دقيقة']);
  });
});

describe('the language chosen', () => {
  // What `navigator.languages` lists, and the locale the shopper reads.
  const table: [string[], Locale][] = [
    [['ja-JP', 'en-US'], 'ja'],
    [['ko-KR'], 'ko'],
    [['th-TH'], 'th'],
    [['vi-VN'], 'vi'],
    [['fr-CA', 'en'], 'fr'],
    [['de-AT'], 'de'],
    [['ar-EG'], 'ar'],
    [['ar'], 'ar'],
    [['es-419'], 'es'],
    [['en-GB', 'ja'], 'en'],
    [['EN-us'], 'en'],
    // Portuguese from anywhere reads Brazil's.
    [['pt'], 'pt-BR'],
    [['pt-PT'], 'pt-BR'],
    [['pt_BR'], 'pt-BR'],
    // Chinese by script first, then by region.
    [['zh-Hant-HK'], 'zh-HK'],
    [['zh-HK'], 'zh-HK'],
    [['zh-MO'], 'zh-HK'],
    [['yue-Hant-HK'], 'zh-HK'],
    [['zh-Hant-TW'], 'zh-TW'],
    [['zh-Hant'], 'zh-TW'],
    [['zh-TW'], 'zh-TW'],
    [['zh-Hans-HK'], 'zh-CN'],
    [['zh-SG'], 'zh-CN'],
    [['zh'], 'zh-CN'],
    // Filipino, and Tagalog, which phones in the Philippines may report.
    [['fil-PH'], 'fil'],
    [['tl'], 'fil'],
    [['tl-PH', 'en'], 'fil'],
    // Malay and Indonesian are two languages: each keeps its own.
    [['ms-MY'], 'ms'],
    [['ms', 'id'], 'ms'],
    [['id-ID'], 'id'],
    [['id', 'ms'], 'id'],
    [['in-ID'], 'id'],
    // The first supported entry wins; none supported is English.
    [['he-IL', 'ar-SA'], 'ar'],
    [['nl-NL', 'x-klingon', 'de-DE', 'fr'], 'de'],
    [['sw-KE'], 'en'],
    [[], 'en'],
  ];
  for (const [languages, expected] of table) {
    it(`[${languages.join(', ')}] → ${expected}`, () => {
      assert.equal(chooseLocale(undefined, languages), expected);
    });
  }

  it('a supported lang on the page wins over the browser; an unsupported one does not', () => {
    assert.equal(chooseLocale('ar', ['ja-JP']), 'ar');
    assert.equal(chooseLocale('ms', ['id-ID']), 'ms');
    assert.equal(chooseLocale('he', ['ja-JP']), 'ja');
    assert.equal(chooseLocale('', ['ko']), 'ko');
    assert.equal(matchLocale('fil'), 'fil');
  });
});
