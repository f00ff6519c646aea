// Agent console state, free of DOM so it can be tested in node with a fake
// socket and a fake fetch. console-view.js renders whatever this holds.

import { newId } from './ids.js';
import { jsonStore } from './storage.js';
import { normalizeMessage, normalizeStatus } from './messages.js';
import { normalizeSummary, normalizeQueueItem } from './console-model.js';
import { createTabs } from './console-tabs.js';
import { requestLogin, requestLogout, isExpired } from './console-session.js';
import { createConversationActions } from './console-actions.js';
import { createDesk } from './console-desk.js';
import { createTypingWatch } from './typing.js';

export { REASON_LABELS, CATEGORY_LABELS } from './console-model.js';

const ACK_TIMEOUT_MS = 10000;

const ACCEPT_ERRORS = {
  taken: 'Another agent took this one',
  not_queued: 'This conversation is no longer waiting',
  unknown_conversation: 'This conversation no longer exists',
  at_capacity: 'You already have as many conversations open as allowed. Close one first.',
  timeout: 'No answer from the server. Please try again.',
};

export function createConsoleController({
  origin,
  io,
  fetch: fetchImpl = globalThis.fetch,
  storage,
  uuid = newId,
  now = () => Date.now(),
  ackTimeoutMs = ACK_TIMEOUT_MS,
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (t) => clearTimeout(t),
} = {}) {
  if (typeof io !== 'function') throw new TypeError('createConsoleController needs an io factory');
  const base = String(origin || '').replace(/\/+$/, '');
  const store = jsonStore(storage, 'calor.console.');

  let auth = null;
  {
    const saved = store.get('auth');
    if (saved && typeof saved.token === 'string' && saved.token && !isExpired(saved.expires_at, now())) auth = saved;
  }
  let loginError = null;
  let loginBusy = false;
  let socket = null;
  let connection = 'idle';
  let queue = [];
  let queueTotal = 0; // how many wait in all; the server lists only the first ones
  let queueSeen = false; // the first queue after signing in is not "new arrivals"
  let notice = null;
  const acceptState = new Map(); // conversation_id -> {busy, error}
  const listeners = new Set();

  function changed(event) {
    for (const fn of [...listeners]) {
      try {
        fn(event || null);
      } catch (e) {
        if (typeof console !== 'undefined') console.error(e);
      }
    }
  }

  const agentName = () => (auth && auth.agent ? auth.agent.display_name || null : null);
  const tabs = createTabs({ store, agentName });
  const typing = createTypingWatch({ changed: () => changed(), setTimer, clearTimer });
  const connected = () => Boolean(socket && socket.connected);
  const emitAck = (event, data, cb) => socket.timeout(ackTimeoutMs).emit(event, data, cb);

  function handleUnauthorized(res) {
    if (res && res.error === 'unauthorized') {
      backToLogin('Your session has expired. Please sign in again.');
      return true;
    }
    return false;
  }

  const ctx = { tabs, emitAck, connected, changed, handleUnauthorized, uuid, now, agentName, setTimer, clearTimer };
  const actions = createConversationActions(ctx);
  const desk = createDesk(ctx);

  function backToLogin(message) {
    if (socket) {
      const s = socket;
      socket = null;
      s.disconnect();
    }
    auth = null;
    store.remove('auth');
    connection = 'idle';
    queue = [];
    queueTotal = 0;
    queueSeen = false;
    acceptState.clear();
    desk.reset();
    actions.reset();
    typing.clearAll();
    loginError = message || null;
    notice = null;
    changed();
  }

  function connect() {
    if (!auth || socket) return;
    connection = 'connecting';
    const s = io(`${base}/agent`, {
      auth: (cb) => cb({ token: auth ? auth.token : null }),
      // WebSocket only: behind a load balancer every packet of a session then
      // reaches the same bridge without sticky sessions (docs/nginx.conf).
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 10000,
    });
    socket = s;
    s.on('connect', () => {
      if (socket !== s) return;
      connection = 'connected';
      loginError = null;
      // Messages typed while the connection was down go out now, same ids.
      actions.flush();
      changed();
    });
    s.on('connect_error', (err) => {
      if (socket !== s) return;
      // socket.io keeps retrying network failures by itself (active stays true);
      // an inactive socket means the server refused the token.
      if (!s.active) {
        const why = err && err.message && !/^(xhr|websocket|timeout)/i.test(err.message) ? ` (${err.message})` : '';
        backToLogin(`The server refused the connection${why}. Please sign in again.`);
      } else {
        connection = 'reconnecting';
        changed();
      }
    });
    s.on('disconnect', (reason) => {
      if (socket !== s) return;
      actions.requeue();
      typing.clearAll();
      if (reason === 'io server disconnect') {
        backToLogin('You were signed out. Please sign in again.');
        return;
      }
      connection = 'reconnecting';
      changed();
    });
    s.on('queue', onQueue);
    s.on('message', onMessage);
    s.on('status', onStatus);
    s.on('typing', onTyping);
    s.on('followups', (data) => desk.onFollowups(data));
    s.on('presence', (data) => desk.onPresence(data));
    changed();
  }

  function onQueue(data) {
    const t = now();
    const list = data && Array.isArray(data.conversations) ? data.conversations : [];
    const before = new Set(queue.map((q) => q.conversation_id));
    queue = list.map((raw) => normalizeQueueItem(raw, t)).filter(Boolean);
    queueTotal = data && Number.isInteger(data.total) ? Math.max(data.total, queue.length) : queue.length;
    const ids = new Set(queue.map((q) => q.conversation_id));
    for (const id of [...acceptState.keys()]) {
      // "taken" stays visible until the row is gone, so the agent sees why.
      if (!ids.has(id)) acceptState.delete(id);
    }
    const added = queueSeen ? queue.filter((q) => !before.has(q.conversation_id)) : [];
    queueSeen = true;
    changed(added.length ? { type: 'queue-added', items: added } : null);
  }

  function onMessage(raw) {
    if (!raw || typeof raw.conversation_id !== 'string' || !raw.conversation_id) return;
    const m = normalizeMessage(raw);
    if (!m) return;
    // Assigned to us but opened elsewhere (e.g. before a reload that lost the tab).
    const tab = tabs.ensure(raw.conversation_id);
    if (!tabs.addMessage(tab, m)) return;
    if (m.from === 'customer') {
      typing.clear(tab.conversation_id);
      if (tabs.getActive() !== tab.conversation_id) tab.unread += 1;
      // The customer wrote again after close; the conversation is live once more.
      if (tab.closed && tab.ended !== 'handback') tab.closed = false;
    }
    tabs.persist();
    changed({ type: 'message', conversation_id: tab.conversation_id, message: m });
  }

  function onStatus(raw) {
    if (!raw || typeof raw.conversation_id !== 'string') return;
    const s = normalizeStatus(raw);
    const tab = tabs.get(raw.conversation_id);
    if (!s || !tab) return;
    tab.state = s.state;
    if (s.state === 'closed') tabs.end(tab, 'closed');
    // Back with the bot while open here: it was handed back (maybe from another window).
    if (s.state === 'bot' && !tab.closed) tabs.end(tab, 'handback');
    if (tab.closed) typing.clear(tab.conversation_id);
    tabs.persist();
    changed({ type: 'status', conversation_id: tab.conversation_id, status: s });
  }

  function onTyping(raw) {
    if (!raw || typeof raw.conversation_id !== 'string' || !tabs.get(raw.conversation_id)) return;
    typing.set(raw.conversation_id, raw.typing === true);
  }

  async function login(username, password) {
    loginBusy = true;
    loginError = null;
    changed();
    const res = await requestLogin(fetchImpl, base, username, password);
    loginBusy = false;
    if (!res.ok) {
      loginError = res.error;
      changed();
      return false;
    }
    auth = res.auth;
    store.set('auth', auth);
    // Tabs kept through an expired session belong to whoever had it; never show them to someone else.
    if (store.get('tabs_owner') !== auth.agent.username) {
      tabs.clear();
      store.set('tabs_owner', auth.agent.username);
    }
    tabs.restore();
    connect();
    changed();
    return true;
  }

  async function logout() {
    await requestLogout(fetchImpl, base, auth ? auth.token : null);
    tabs.clear();
    backToLogin(null);
  }

  function accept(conversationId) {
    if (!connected()) {
      acceptState.set(conversationId, { busy: false, error: 'Not connected. Please wait a moment.' });
      changed();
      return;
    }
    const st = acceptState.get(conversationId);
    if (st && st.busy) return;
    acceptState.set(conversationId, { busy: true, error: null });
    notice = null;
    changed();
    emitAck('accept', { conversation_id: conversationId }, (err, res) => {
      if (!err && res && res.ok === true) {
        acceptState.delete(conversationId);
        const tab = tabs.ensure(conversationId);
        tab.summary = normalizeSummary(res.summary);
        tab.state = 'agent';
        tab.closed = false;
        tab.ended = null;
        for (const raw of Array.isArray(res.transcript) ? res.transcript : []) {
          const m = normalizeMessage(raw);
          if (m) tabs.addMessage(tab, m);
        }
        tabs.activate(conversationId);
        queue = queue.filter((q) => q.conversation_id !== conversationId);
        tabs.persist();
        changed({ type: 'accepted', conversation_id: conversationId });
        return;
      }
      if (!err && handleUnauthorized(res)) return;
      const code = err ? 'timeout' : (res && res.error) || 'invalid';
      const text = ACCEPT_ERRORS[code] || (res && res.detail) || "Couldn't accept this conversation.";
      acceptState.set(conversationId, { busy: false, error: text, code });
      // The queue update that removes the row may land first; keep the reason visible anyway.
      notice = text;
      changed({ type: 'accept-failed', conversation_id: conversationId, code });
    });
  }

  if (auth) tabs.restore();

  return {
    start() {
      if (auth) connect();
      changed();
    },
    login,
    logout,
    accept,
    ...actions.api,
    ...desk.api,
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    isLoggedIn: () => Boolean(auth),
    getAgent: () => (auth ? { ...auth.agent } : null),
    getToken: () => (auth ? auth.token : null),
    getLoginError: () => loginError,
    isLoginBusy: () => loginBusy,
    getConnection: () => connection,
    getNotice: () => notice,
    clearNotice() {
      notice = null;
      changed();
    },
    getQueueTotal: () => queueTotal,
    getQueue: () => {
      const t = now();
      return queue.map((q) => ({
        ...q,
        waiting_now: q.waiting_seconds + Math.max(0, Math.floor((t - q.receivedAt) / 1000)),
        accept: acceptState.get(q.conversation_id) || { busy: false, error: null },
      }));
    },
    getTabs: () => [...tabs.map.values()].map((t) => tabs.view(t, typing.get(t.conversation_id))),
    getTab: (id) => (tabs.get(id) ? tabs.view(tabs.get(id), typing.get(id)) : null),
    getActiveTab: () => tabs.getActive(),
  };
}
