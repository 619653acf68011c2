// The attempt-key store: keys of orders whose ids share a prefix never touch each other.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type KeyStorage, webKeyStore } from '../../src/flow/keys.js';

/** Web Storage's behaviour over a Map (Node has no sessionStorage). */
function memoryStorage(): KeyStorage & { names(): string[] } {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (name) => map.get(name) ?? null,
    setItem: (name, value) => void map.set(name, String(value)),
    removeItem: (name) => void map.delete(name),
    names: () => [...map.keys()],
  };
}

describe('attempt keys', () => {
  it('ending order A leaves the keys of orders A:x and A x', () => {
    const storage = memoryStorage();
    const keys = webKeyStore(() => storage);
    keys.write('A', 'wxpay', 'k-a');
    keys.write('A:x', 'wxpay', 'k-ax');
    keys.write('A', 'x:wxpay', 'k-a-xwxpay');
    keys.write('A x', 'alipay', 'k-a-space');
    keys.clearOrder('A');
    assert.equal(keys.read('A', 'wxpay'), undefined);
    assert.equal(keys.read('A', 'x:wxpay'), undefined);
    assert.equal(keys.read('A:x', 'wxpay'), 'k-ax');
    assert.equal(keys.read('A x', 'alipay'), 'k-a-space');
  });

  it('order "A" method "x:wxpay" and order "A:x" method "wxpay" are two keys', () => {
    const keys = webKeyStore(() => memoryStorage());
    keys.write('A', 'x:wxpay', 'first');
    keys.write('A:x', 'wxpay', 'second');
    assert.equal(keys.read('A', 'x:wxpay'), 'first');
    assert.equal(keys.read('A:x', 'wxpay'), 'second');
  });

  it('kept across stores on the same storage (a reload)', () => {
    const storage = memoryStorage();
    webKeyStore(() => storage).write('A1', 'alipay', 'kept');
    assert.equal(webKeyStore(() => storage).read('A1', 'alipay'), 'kept');
  });

  it('refused storage keeps the keys in memory', () => {
    const keys = webKeyStore(() => {
      throw new Error('SecurityError');
    });
    keys.write('A1', 'alipay', 'in-memory');
    assert.equal(keys.read('A1', 'alipay'), 'in-memory');
    keys.clearOrder('A1');
    assert.equal(keys.read('A1', 'alipay'), undefined);
  });
});
