// The agent's open conversations ("tabs"): transcript by seq, the agent's
// own messages not yet confirmed, and how each one ended. Kept in
// sessionStorage so a reload of the console loses nothing.

import { normalizeMessage, RETRYABLE, str } from './messages.js';
import { normalizeSummary } from './console-model.js';

const MAX_STORED = 300;

function newTab(conversationId) {
  return {
    conversation_id: conversationId,
    summary: null,
    messages: new Map(),
    pending: new Map(),
    state: 'agent',
    closed: false,
    ended: null, // 'closed' | 'handback' once it left this agent
    busy: null, // 'close' | 'handback' while waiting for the ack
    closeError: null,
    handbackError: null,
    unread: 0,
  };
}

export function createTabs({ store, agentName }) {
  const tabs = new Map();
  let active = null;

  function persist() {
    store.set(
      'tabs',
      [...tabs.values()].map((t) => ({
        conversation_id: t.conversation_id,
        summary: t.summary,
        messages: [...t.messages.values()].sort((a, b) => a.seq - b.seq).slice(-MAX_STORED),
        state: t.state,
        closed: t.closed,
        ended: t.ended,
      })),
    );
    store.set('active', active);
  }

  function restore() {
    tabs.clear();
    const saved = store.get('tabs');
    for (const raw of Array.isArray(saved) ? saved : []) {
      if (!raw || !str(raw.conversation_id)) continue;
      const tab = newTab(raw.conversation_id);
      tab.summary = raw.summary ? normalizeSummary(raw.summary) : null;
      for (const m of Array.isArray(raw.messages) ? raw.messages : []) {
        const n = normalizeMessage(m);
        if (n) tab.messages.set(n.seq, n);
      }
      tab.state = typeof raw.state === 'string' ? raw.state : 'agent';
      tab.closed = raw.closed === true;
      tab.ended = raw.ended === 'handback' || raw.ended === 'closed' ? raw.ended : tab.closed ? 'closed' : null;
      tabs.set(tab.conversation_id, tab);
    }
    const savedActive = store.get('active');
    active = typeof savedActive === 'string' && tabs.has(savedActive) ? savedActive : tabs.keys().next().value || null;
  }

  function addMessage(tab, m) {
    if (tab.messages.has(m.seq)) return false;
    tab.messages.set(m.seq, m);
    if (m.id && tab.pending.has(m.id)) tab.pending.delete(m.id);
    return true;
  }

  function view(tab, typing) {
    const messages = [...tab.messages.values()]
      .sort((a, b) => a.seq - b.seq)
      .map((m) => ({ ...m, key: m.id ? `id:${m.id}` : `seq:${m.seq}`, state: 'sent', retryable: false }));
    for (const p of tab.pending.values()) {
      messages.push({
        key: `id:${p.id}`,
        seq: null,
        id: p.id,
        from: 'agent',
        text: p.text,
        buttons: [],
        agent_name: agentName(),
        ts: p.ts,
        state: p.state,
        error: p.error,
        detail: p.detail,
        retryable: p.state === 'error' && RETRYABLE.has(p.error),
      });
    }
    return {
      conversation_id: tab.conversation_id,
      summary: tab.summary,
      messages,
      state: tab.state,
      closed: tab.closed,
      ended: tab.ended,
      closeBusy: tab.busy === 'close',
      handbackBusy: tab.busy === 'handback',
      closeError: tab.closeError,
      handbackError: tab.handbackError,
      unread: tab.unread,
      typing: Boolean(typing),
    };
  }

  return {
    map: tabs,
    persist,
    restore,
    addMessage,
    view,
    get: (id) => tabs.get(id) || null,
    /** The tab of a conversation, opened if this console did not have it yet. */
    ensure(id) {
      let tab = tabs.get(id);
      if (!tab) {
        tab = newTab(id);
        tabs.set(id, tab);
        if (!active) active = id;
      }
      return tab;
    },
    /** The conversation left this agent (closed or handed back). */
    end(tab, how) {
      tab.closed = true;
      tab.ended = how;
      tab.state = how === 'handback' ? 'bot' : 'closed';
    },
    getActive: () => active,
    select(id) {
      const tab = tabs.get(id);
      if (!tab) return false;
      active = id;
      tab.unread = 0;
      store.set('active', active);
      return true;
    },
    activate(id) {
      active = id;
    },
    dismiss(id) {
      const tab = tabs.get(id);
      if (!tab || !tab.closed) return false;
      const keys = [...tabs.keys()];
      const idx = keys.indexOf(id);
      tabs.delete(id);
      if (active === id) {
        const rest = [...tabs.keys()];
        active = rest.length ? rest[Math.min(idx, rest.length - 1)] : null;
      }
      persist();
      return true;
    },
    clear() {
      tabs.clear();
      active = null;
      store.remove('tabs');
      store.remove('active');
    },
  };
}
