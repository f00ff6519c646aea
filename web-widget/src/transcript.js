// The customer's copy of the conversation: confirmed messages by seq (the
// single source of truth), the outbox of messages not yet confirmed, and the
// last_seq watermark a reconnect asks to be replayed from. No socket, no DOM.

import { normalizeMessage, RETRYABLE } from './messages.js';

export function createTranscript({ store, maxStored }) {
  let lastSeq = Number.isInteger(store.get('last_seq')) ? store.get('last_seq') : null;

  /** seq -> message */
  const confirmed = new Map();
  for (const raw of Array.isArray(store.get('messages')) ? store.get('messages') : []) {
    const m = normalizeMessage(raw);
    if (m) confirmed.set(m.seq, m);
  }

  /** id -> customer message not yet confirmed by an ack or echo (the outbox). */
  const pending = new Map();
  for (const raw of Array.isArray(store.get('outbox')) ? store.get('outbox') : []) {
    if (!raw || typeof raw.id !== 'string' || typeof raw.text !== 'string') continue;
    pending.set(raw.id, {
      id: raw.id,
      text: raw.text,
      payload: typeof raw.payload === 'string' ? raw.payload : null,
      createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : null,
      // Whatever was in flight when the page went away gets sent again (same id, so no duplicate).
      state: raw.state === 'error' ? 'error' : 'queued',
      error: raw.state === 'error' ? raw.error || null : null,
      detail: raw.state === 'error' ? raw.detail || null : null,
      attempt: 0,
    });
  }

  function persistMessages() {
    const list = [...confirmed.values()].sort((a, b) => a.seq - b.seq).slice(-maxStored);
    store.set('messages', list);
    store.set('last_seq', lastSeq);
  }

  function persistOutbox() {
    store.set(
      'outbox',
      [...pending.values()].map((p) => ({
        id: p.id,
        text: p.text,
        payload: p.payload,
        createdAt: p.createdAt,
        state: p.state,
        error: p.error,
        detail: p.detail,
      })),
    );
  }

  // last_seq is a watermark below which nothing is missing, so a reconnect
  // never skips a message that arrived out of order after a later one.
  function advanceWatermark() {
    if (lastSeq === null) {
      if (confirmed.size === 0) return;
      lastSeq = Math.min(0, Math.min(...confirmed.keys()) - 1);
    }
    while (confirmed.has(lastSeq + 1)) lastSeq += 1;
  }

  function add(m) {
    if (confirmed.has(m.seq)) {
      const existing = confirmed.get(m.seq);
      // Replays and echoes repeat what we have; only fill gaps in what we knew.
      if (existing.ts || !m.ts) return false;
      confirmed.set(m.seq, { ...existing, ts: m.ts, agent_name: existing.agent_name || m.agent_name });
      return true;
    }
    confirmed.set(m.seq, m);
    if (m.id && pending.has(m.id)) {
      pending.delete(m.id);
      persistOutbox();
    }
    advanceWatermark();
    return true;
  }

  return {
    pending,
    persistMessages,
    persistOutbox,
    add,
    /** Adds a server message; true when it changed what is shown. */
    receive(raw) {
      const m = normalizeMessage(raw);
      if (!m || !add(m)) return null;
      persistMessages();
      return m;
    },
    /** The ack of our own message: confirmed even if the echo never comes. */
    confirm(id, seq) {
      const item = pending.get(id);
      if (!item) return false;
      pending.delete(id);
      add({ seq, id, from: 'customer', text: item.text, buttons: [], agent_name: null, ts: null });
      persistOutbox();
      persistMessages();
      return true;
    },
    /** The replay has caught up: raise the watermark to the newest seq held. */
    settle() {
      if (confirmed.size === 0) return;
      const max = Math.max(...confirmed.keys());
      if (lastSeq === null || lastSeq < max) lastSeq = max;
      store.set('last_seq', lastSeq);
    },
    clear() {
      confirmed.clear();
      lastSeq = null;
      persistMessages();
    },
    maxSeq: () => (confirmed.size ? Math.max(...confirmed.keys()) : 0),
    lastSeq: () => lastSeq,
    size: () => confirmed.size + pending.size,
    /** Ordered view model: confirmed by seq, then the outbox in the order typed. */
    list() {
      const out = [...confirmed.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((m) => ({ ...m, key: m.id ? `id:${m.id}` : `seq:${m.seq}`, state: 'sent', retryable: false }));
      for (const p of pending.values()) {
        out.push({
          key: `id:${p.id}`,
          seq: null,
          id: p.id,
          from: 'customer',
          text: p.text,
          buttons: [],
          agent_name: null,
          ts: p.createdAt,
          state: p.state,
          error: p.error,
          detail: p.detail,
          retryable: p.state === 'error' && RETRYABLE.has(p.error),
        });
      }
      return out;
    },
  };
}
