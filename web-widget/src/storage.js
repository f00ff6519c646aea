// localStorage can throw (blocked cookies, private mode, quota) or hold
// garbage from an older widget; the chat must keep working regardless.

export function memoryStorage() {
  const map = new Map();
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => {
      map.set(k, String(v));
    },
    removeItem: (k) => {
      map.delete(k);
    },
  };
}

export function defaultStorage(name = 'localStorage') {
  try {
    const s = globalThis[name];
    if (!s) return memoryStorage();
    const probe = '__calor_probe__';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch {
    return memoryStorage();
  }
}

export function jsonStore(storage, prefix) {
  const key = (k) => `${prefix}${k}`;
  return {
    get(k, fallback = null) {
      try {
        const raw = storage.getItem(key(k));
        if (raw == null) return fallback;
        return JSON.parse(raw);
      } catch {
        return fallback;
      }
    },
    set(k, value) {
      try {
        if (value === null || value === undefined) storage.removeItem(key(k));
        else storage.setItem(key(k), JSON.stringify(value));
      } catch {
        // Quota or privacy mode: the live conversation still works, only reload-persistence is lost.
      }
    },
    remove(k) {
      try {
        storage.removeItem(key(k));
      } catch {
        // see set()
      }
    },
  };
}
