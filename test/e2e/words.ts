/** A message with a value, as a pattern: the browser's own Intl writes the amount (its digits, its sign). */
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `pay` from a locale's messages, matching its text around any amount (`^Pay .+$`). */
export function withAnyAmount(message: (amount: string) => string): RegExp {
  return new RegExp(`^\\s*${message('\u0000').split('\u0000').map(literal).join('.+')}\\s*$`);
}
