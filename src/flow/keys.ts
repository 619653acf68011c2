/**
 * The idempotency key of the attempt in progress, per order and method, kept for the tab's life:
 * a reload after a lost create answer sends the same key, so the backend answers with the same
 * payment instead of creating a second one.
 */

/** What the flow needs of a key store; a merchant's native app can give its own. */
export interface AttemptKeyStore {
  read(orderId: string, method: string): string | undefined;
  write(orderId: string, method: string, key: string | undefined): void;
  /** Forgets every key kept for the order (a return page ends it without knowing the method). */
  clearOrder(orderId: string): void;
}

/** The part of the Web Storage API the store uses. */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'key' | 'length'>;

const PREFIX = 'cashdesk:attempt:';

/**
 * The name of an order's keys: the order id as a JSON string, so one order's prefix never
 * starts another's (`"A",` is not a prefix of `"A:x",`, where `A:` was of `A:x:`).
 */
const orderPrefix = (orderId: string) => `${PREFIX}[${JSON.stringify(orderId)},`;
const keyName = (orderId: string, method: string) => `${orderPrefix(orderId)}${JSON.stringify(method)}]`;

/**
 * A key store over Web Storage (`sessionStorage` by default). Storage can be refused (sandboxed
 * frames, some private modes): the keys then live in memory, as long as the page.
 */
export function webKeyStore(storage?: () => KeyStorage | undefined): AttemptKeyStore {
  const memory = new Map<string, string>();
  const open = (): KeyStorage | undefined => {
    try {
      return storage ? storage() : globalThis.sessionStorage;
    } catch {
      return undefined;
    }
  };
  const attempt = <T>(use: (store: KeyStorage) => T): T | undefined => {
    const store = open();
    if (store === undefined) return undefined;
    try {
      return use(store);
    } catch {
      return undefined;
    }
  };
  return {
    read(orderId, method) {
      const name = keyName(orderId, method);
      return attempt((store) => store.getItem(name)) ?? memory.get(name);
    },
    write(orderId, method, key) {
      const name = keyName(orderId, method);
      if (key === undefined) memory.delete(name);
      else memory.set(name, key);
      attempt((store) => (key === undefined ? store.removeItem(name) : store.setItem(name, key)));
    },
    clearOrder(orderId) {
      const prefix = orderPrefix(orderId);
      for (const name of [...memory.keys()]) if (name.startsWith(prefix)) memory.delete(name);
      attempt((store) => {
        const names: string[] = [];
        for (let i = 0; i < store.length; i += 1) {
          const name = store.key(i);
          if (name?.startsWith(prefix)) names.push(name);
        }
        for (const name of names) store.removeItem(name);
      });
    },
  };
}
