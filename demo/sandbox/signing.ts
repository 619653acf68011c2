/**
 * Signing that only the simulated gateways and wallets need; the merchant's algorithms are in
 * `cashdesk/server` (`src/server/signing.ts`).
 *
 * - RSA key pairs: the real ones are issued in the gateway's console; the sandbox makes its own
 *   at start-up, a documented stand-in.
 * - WeChat Pay's MD5 signature, for the JSAPI parameters a simulated WeChat sheet checks.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalQuery, md5 } from '../../src/server/signing.js';

export interface KeyPair {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

export function newKeyPair(): KeyPair {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** WeChat Pay's MD5 signature: sorted non-empty `k=v` pairs, `&key=` the API key, upper-case hex. */
export function wechatSign(params: Record<string, string | number>, apiKey: string): string {
  return md5(`${canonicalQuery(params, ['sign', 'paySign'])}&key=${apiKey}`).toUpperCase();
}
