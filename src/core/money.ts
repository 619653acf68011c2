/**
 * Amounts are integers in minor units, end to end. Formatting turns them into a decimal string by
 * moving the point, never by dividing a float, and lets Intl draw it for the locale.
 */
import { isDigitString, isIntegerAmount } from './validate.js';

const CURRENCY = /^[A-Z]{3}$/;

/** ISO 4217 minor-unit digits, as Intl knows them (CNY 2, JPY 0, KWD 3). */
export function currencyDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export function isMinorUnits(value: unknown): value is string | number {
  return isIntegerAmount(value) || isDigitString(value);
}

export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY.test(value.toUpperCase());
}

/** `9900`, `CNY` → `"99.00"`; `5`, `KWD` → `"0.005"`. Exact for any integer string. */
export function toDecimalString(amount: string | number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = String(amount).replace(/^0+(?=\d)/, '');
  if (digits === 0) return text;
  const padded = text.padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
}

/**
 * Formats minor units for display; undefined when the amount or currency is not usable. `rtl`
 * isolates the currency sign (U+2068 … U+2069, Unicode's bidi algorithm, UAX #9): in a right-to-left
 * line a sign of Latin letters and a symbol (`CN¥`, `US$`) is otherwise torn apart (`¥CN`).
 */
export function formatMinor(amount: unknown, currency: unknown, locale?: string, rtl = false): string | undefined {
  if (!isMinorUnits(amount) || !isCurrencyCode(currency)) return undefined;
  const code = currency.toUpperCase();
  // Intl accepts a decimal string and keeps it exact (Intl.NumberFormat v3).
  const decimal = toDecimalString(amount, code) as Intl.StringNumericLiteral;
  return new Intl.NumberFormat(locale, { style: 'currency', currency: code })
    .formatToParts(decimal)
    .map(({ type, value }) => (rtl && type === 'currency' ? `\u2068${value}\u2069` : value))
    .join('');
}
