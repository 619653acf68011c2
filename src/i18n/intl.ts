/**
 * Numbers inside the shipped sentences, drawn by Intl for the sentence's own language: its digits
 * (Arabic-Indic where the locale writes them), its plural forms (Arabic has six, CLDR's
 * `Intl.PluralRules` categories) and its way of saying "and". A locale's file passes its own tag.
 */

/** The countdown as shown: `4:05`, in the locale's digits. */
export function clock(locale: string, minutes: number, seconds: number): string {
  const digits = (n: number, minimumIntegerDigits: number) =>
    new Intl.NumberFormat(locale, { minimumIntegerDigits, useGrouping: false }).format(n);
  return `${digits(minutes, 1)}:${digits(seconds, 2)}`;
}

/**
 * The countdown as said: "4 minutes and 5 seconds", "دقيقتان وثانية". Each unit is Intl's own long
 * unit name, which takes the plural form `Intl.PluralRules` selects for the number, and the two are
 * joined by `Intl.ListFormat`; `list` picks a conjunction ("and") or a unit list (a space). A browser
 * without Intl's units says the clock instead.
 */
export function spokenDuration(
  locale: string,
  minutes: number,
  seconds: number,
  list: 'conjunction' | 'unit' = 'conjunction',
): string {
  try {
    const parts: string[] = [];
    const unit = (unit: 'minute' | 'second', value: number) =>
      new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
    if (minutes > 0) parts.push(unit('minute', minutes));
    if (seconds > 0 || minutes === 0) parts.push(unit('second', seconds));
    return new Intl.ListFormat(locale, { type: list, style: 'long' }).format(parts);
  } catch {
    return clock(locale, minutes, seconds);
  }
}
