/**
 * The signing algorithms the gateways document, with node:crypto.
 *
 * - epay and UseePay: MD5 over the sorted, non-empty parameters (`k=v&k=v`) with the merchant key
 *   appended; epay leaves out `sign` and `sign_type`, UseePay only `sign`.
 * - Ping++ and Alipay+: RSA-SHA256 with a key pair exchanged in the gateway's console.
 */
import { createHash, createSign, createVerify, type KeyObject, timingSafeEqual } from 'node:crypto';

export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** `a=1&b=2` of the non-empty parameters in ASCII key order, without the signature fields. */
export function canonicalQuery(
  params: Record<string, unknown>,
  skip: readonly string[] = ['sign', 'sign_type'],
): string {
  return Object.keys(params)
    .filter((key) => !skip.includes(key))
    .filter((key) => params[key] !== undefined && params[key] !== null && params[key] !== '')
    .sort()
    .map((key) => `${key}=${String(params[key])}`)
    .join('&');
}

/**
 * Whether parameters could be read as other parameters once joined: a key outside `documented`, a
 * key holding `&` or `=`, or a value holding `&`, which the unescaped `k=v&k=v` string cannot tell
 * from its own separators (an `=` in a value cannot start a pair: keys hold none). A notify is
 * checked with this before its signature, so one signed string (a gateway's answer that echoes
 * what a request sent) cannot be split into a notify of other parameters.
 */
export function splitsCanonical(params: Record<string, unknown>, documented: readonly string[]): boolean {
  return Object.entries(params).some(
    ([key, value]) => !documented.includes(key) || /[&=]/.test(key) || String(value ?? '').includes('&'),
  );
}

/** epay: `md5(canonical + key)`, lower-case hex. */
export function epaySign(params: Record<string, unknown>, key: string): string {
  return md5(canonicalQuery(params, ['sign', 'sign_type']) + key);
}

/**
 * UseePay MD5: `md5(canonical + "&pkey=" + key)`, lower-case hex, where only `sign` is left out:
 * `signType` is signed too (nswbmw/useepay-node `_genMD5Sign`, useepay-java `SecurityUtils.buildParam`).
 */
export function useepaySign(params: Record<string, unknown>, key: string): string {
  return md5(`${canonicalQuery(params, ['sign'])}&pkey=${key}`);
}

/** CareyShop's API signature (`checkSign()`): md5(secret + k1v1k2v2… + secret), keys in ASCII order. */
export function careyshopSign(params: Record<string, string>, secret: string): string {
  const text = Object.keys(params)
    .filter((key) => key !== 'sign' && key !== '')
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  return md5(`${secret}${text}${secret}`);
}

/** Compares two signatures in constant time. */
export function sameSignature(a: string | undefined, b: string): boolean {
  if (typeof a !== 'string' || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** `RSA-SHA256` (Alipay RSA2, Alipay+, Ping++), or `RSA-SHA1` (Alipay mapi "RSA", WAP `sec_id=0001`). */
export type RsaAlgorithm = 'RSA-SHA256' | 'RSA-SHA1';

export function rsaSign(text: string, privateKey: KeyObject | string, algorithm: RsaAlgorithm = 'RSA-SHA256'): string {
  return createSign(algorithm).update(text, 'utf8').sign(privateKey, 'base64');
}

export function rsaVerify(
  text: string,
  signature: string | null | undefined,
  publicKey: KeyObject | string,
  algorithm: RsaAlgorithm = 'RSA-SHA256',
): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return createVerify(algorithm).update(text, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** Minor units as a decimal string, by moving the point (never a float division). */
export function decimal(amount: number, digits = 2): string {
  const text = String(Math.trunc(amount)).padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A decimal string (`"99.00"`) as minor units, or undefined when it is not exactly one. */
export function minorUnits(text: unknown, digits = 2): number | undefined {
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  const [whole = '', fraction = ''] = text.split('.');
  if (fraction.length > digits) return undefined;
  const value = Number(whole + fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(value) ? value : undefined;
}
