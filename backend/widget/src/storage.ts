// Key-value storage that never throws: localStorage when the browser allows
// it (it may not, in private modes or sandboxed frames), memory otherwise.

/** KeyValueStore is the little the widget needs of localStorage. */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** memoryStore keeps values for the page's lifetime only. */
export function memoryStore(): KeyValueStore {
  const m = new Map<string, string>();
  return {
    get: (k) => (m.has(k) ? (m.get(k) as string) : null),
    set: (k, v) => void m.set(k, v),
    remove: (k) => void m.delete(k),
  };
}

/** safeStore wraps a Web Storage, falling back to memory when it fails. */
export function safeStore(getStorage: () => Storage | null | undefined): KeyValueStore {
  const mem = memoryStore();
  let s: Storage | null = null;
  try {
    s = getStorage() ?? null;
    if (s) {
      const probe = '__switchboard_probe__';
      s.setItem(probe, '1');
      s.removeItem(probe);
    }
  } catch {
    s = null;
  }
  if (!s) return mem;
  const web = s;
  return {
    get(k) {
      try {
        return web.getItem(k);
      } catch {
        return mem.get(k);
      }
    },
    set(k, v) {
      try {
        web.setItem(k, v);
      } catch {
        mem.set(k, v);
      }
    },
    remove(k) {
      try {
        web.removeItem(k);
      } catch {
        mem.remove(k);
      }
    },
  };
}

/** readJSON parses a stored JSON value, or returns null if absent or corrupt. */
export function readJSON<T>(store: KeyValueStore, key: string): T | null {
  const raw = store.get(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
