// The customer widget's state machine, free of DOM so node tests can drive it
// with a fake socket and a fake storage. The view only reads getters and
// calls actions; every change is announced through subscribe().

import { newId } from './ids.js';
import { jsonStore } from './storage.js';
import { STATES, normalizeStatus, normalizeResources } from './messages.js';
import { createTranscript } from './transcript.js';
import { createOutbox } from './outbox.js';
import { createFeedback } from './feedback.js';
import { createLeaveMessage } from './leave-message.js';
import { createTypingSender, createTypingWatch } from './typing.js';

export { MAX_TEXT, normalizeMessage, normalizeStatus } from './messages.js';

const MAX_STORED = 200;
const ACK_TIMEOUT_MS = 10000;

export function createController({
  url,
  io,
  storage,
  uuid = newId,
  now = () => new Date(),
  maxStored = MAX_STORED,
  ackTimeoutMs = ACK_TIMEOUT_MS,
  prefix = 'calor.',
  setTimer = (fn, ms) => setTimeout(fn, ms),
  clearTimer = (t) => clearTimeout(t),
} = {}) {
  if (typeof io !== 'function') throw new TypeError('createController needs an io factory');
  const store = jsonStore(storage, prefix);
  const base = String(url || '').replace(/\/+$/, '');
  const nowMs = () => now().getTime();

  let token = typeof store.get('token') === 'string' ? store.get('token') : null;
  let conversationId = typeof store.get('conversation_id') === 'string' ? store.get('conversation_id') : null;
  let status = normalizeStatus(store.get('status'));
  let crisis = normalizeResources(store.get('crisis'));
  const log = createTranscript({ store, maxStored });

  let socket = null;
  let connection = 'idle';
  let sessionReady = false;
  let humanWanted = false;
  let notice = null;
  let kickedRetries = 0;
  let everConnected = false;
  let stopped = false;
  // The newest seq the server had when this connection's session began: the
  // replay has caught up once we hold it (statuses may come mid-replay).
  let replayTarget = null;
  const listeners = new Set();

  function changed() {
    for (const fn of [...listeners]) {
      try {
        fn();
      } catch (e) {
        // A broken listener must not stop the others, nor the socket handlers.
        if (typeof console !== 'undefined') console.error(e);
      }
    }
  }

  function canEmit() {
    return Boolean(socket && socket.connected && sessionReady);
  }

  function emitAck(event, data, cb) {
    socket.timeout(ackTimeoutMs).emit(event, data, cb);
  }

  const feedback = createFeedback({ store, emitAck, canEmit, changed });
  const leave = createLeaveMessage({ emitAck, canEmit, changed, uuid });
  const typingIn = createTypingWatch({ changed, setTimer, clearTimer });
  const typingOut = createTypingSender({
    now: nowMs,
    setTimer,
    clearTimer,
    // Fire and forget: a lost indicator is not worth a retry or an error.
    emit: (typing) => canEmit() && emitAck('typing', { typing }, () => {}),
  });

  const outbox = createOutbox({
    log,
    emitAck,
    canEmit,
    isConnected: () => Boolean(socket && socket.connected),
    changed,
    uuid,
    now,
    beforeSend: () => typingOut.stop(),
  });

  function setStatus(next) {
    const prev = status ? status.state : null;
    status = next;
    store.set('status', status);
    feedback.onState(prev, next.state, `${conversationId || ''}:${log.maxSeq()}`);
    if (next.state !== 'agent') typingOut.stop();
  }

  function emitRequestHuman() {
    humanWanted = false;
    emitAck('request_human', {}, (err, res) => {
      if (!err && res && res.ok === true) {
        if (STATES.has(res.state) && (!status || status.state !== res.state)) {
          setStatus(normalizeStatus({ state: res.state }));
        }
        notice = null;
      } else if (err && (!socket || !socket.connected)) {
        humanWanted = true;
        notice = "We'll ask for a person as soon as we're reconnected.";
      } else {
        notice =
          res && typeof res.detail === 'string' && res.detail.trim()
            ? res.detail
            : "We couldn't reach a person just now. Please try again.";
      }
      changed();
    });
  }

  function onSession(data) {
    if (!data || typeof data !== 'object') return;
    if (typeof data.token === 'string' && data.token) {
      token = data.token;
      store.set('token', token);
    }
    if (typeof data.conversation_id === 'string' && data.conversation_id) {
      if (conversationId !== null && conversationId !== data.conversation_id) {
        // A different conversation: the old transcript belongs to someone/something else now.
        log.clear();
        status = null;
        crisis = [];
        store.remove('crisis');
        feedback.reset();
      }
      conversationId = data.conversation_id;
      store.set('conversation_id', conversationId);
    }
    if (STATES.has(data.state) && (!status || status.state !== data.state)) {
      setStatus(normalizeStatus({ state: data.state }));
    }
    replayTarget = Number.isInteger(data.last_seq) ? data.last_seq : null;
    caughtUp();
    sessionReady = true;
    kickedRetries = 0;
    outbox.flush();
    if (humanWanted) emitRequestHuman();
    changed();
  }

  // Below the newest seq, any hole left once the replay has caught up is not
  // coming on this connection; stop asking for it on every reconnect.
  function caughtUp() {
    if (replayTarget !== null && log.maxSeq() >= replayTarget) {
      log.settle();
      replayTarget = null;
    }
  }

  function onMessage(raw) {
    const m = log.receive(raw);
    if (!m) return;
    caughtUp();
    if (m.from === 'agent' || m.from === 'bot') typingIn.clear(m.from);
    changed();
  }

  function onStatus(raw) {
    const s = normalizeStatus(raw);
    if (!s) return;
    // An older bridge without `last_seq` in `session` sends status after the replay.
    if (replayTarget === null) log.settle();
    setStatus(s);
    if (s.state === 'queued' || s.state === 'agent') notice = null;
    if (s.state !== 'agent') typingIn.clear('agent');
    changed();
  }

  function onCrisis(raw) {
    const list = normalizeResources(raw);
    if (!list.length) return;
    crisis = list;
    store.set('crisis', crisis);
    changed();
  }

  function onTyping(raw) {
    if (!raw || typeof raw !== 'object' || (raw.from !== 'agent' && raw.from !== 'bot')) return;
    const name = typeof raw.agent_name === 'string' && raw.agent_name.trim() ? raw.agent_name : null;
    typingIn.set(raw.from, raw.typing === true, name);
  }

  function onDisconnected(reason) {
    sessionReady = false;
    connection = everConnected ? 'reconnecting' : 'connecting';
    typingOut.reset();
    typingIn.clearAll();
    outbox.requeue();
    // socket.io gives up by itself when the server closed the socket or
    // refused the namespace; the customer should not be stranded by that.
    if (socket && !socket.active && !stopped && reason !== 'io client disconnect') {
      kickedRetries += 1;
      const delay = Math.min(30000, 1000 * 2 ** Math.min(kickedRetries, 5));
      const s = socket;
      setTimer(() => {
        if (socket === s && !s.connected && !stopped) s.connect();
      }, delay);
    }
    changed();
  }

  function start() {
    if (socket) return;
    stopped = false;
    connection = 'connecting';
    socket = io(`${base}/customer`, {
      // A function, so every reconnect sends the newest token and watermark.
      auth: (cb) => {
        const auth = {};
        if (token) auth.token = token;
        if (Number.isInteger(log.lastSeq())) auth.last_seq = log.lastSeq();
        cb(auth);
      },
      // WebSocket only: behind a load balancer every packet of a session then
      // reaches the same bridge without sticky sessions (docs/nginx.conf).
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 15000,
      randomizationFactor: 0.5,
      timeout: 20000,
    });
    socket.on('connect', () => {
      connection = 'connected';
      everConnected = true;
      changed();
    });
    socket.on('session', onSession);
    socket.on('message', onMessage);
    socket.on('status', onStatus);
    socket.on('crisis', onCrisis);
    socket.on('typing', onTyping);
    socket.on('disconnect', (reason) => onDisconnected(reason));
    socket.on('connect_error', () => {
      if (connection === 'connected') return;
      onDisconnected('connect_error');
    });
    changed();
  }

  function requestHuman() {
    if (!socket) start();
    if (canEmit()) {
      emitRequestHuman();
    } else {
      humanWanted = true;
      notice = "We'll ask for a person as soon as we're connected.";
    }
    changed();
  }

  return {
    start,
    stop() {
      stopped = true;
      if (socket) socket.disconnect();
    },
    send: outbox.send,
    sendQuickReply: outbox.sendQuickReply,
    retry: outbox.retry,
    discard: outbox.discard,
    requestHuman,
    leaveMessage: (text, callback) => leave.send(text, callback),
    leaveAnother: () => leave.again(),
    getLeaveMessage: () => leave.view(),
    answerFeedback: (feltHeard) => feedback.answer(feltHeard),
    getFeedback: () => feedback.view(status ? status.state : null),
    /** The customer typed (hasText: anything left in the box) or left the box. */
    noteTyping(hasText) {
      if (status && status.state === 'agent' && canEmit()) typingOut.input(Boolean(hasText));
      else typingOut.stop();
    },
    stopTyping: () => typingOut.stop(),
    /** Who is typing to the customer: {from, name} or null. */
    getTyping() {
      const agent = typingIn.get('agent');
      if (agent) return { from: 'agent', name: agent.name || (status && status.agent_name) || null };
      const bot = typingIn.get('bot');
      return bot ? { from: 'bot', name: null } : null;
    },
    getCrisis: () => (crisis.length ? crisis.map((r) => ({ ...r })) : null),
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    getMessages: () => log.list(),
    getStatus: () => (status ? { ...status } : null),
    getConnection: () => connection,
    getNotice: () => notice,
    clearNotice() {
      notice = null;
      changed();
    },
    getLastSeq: () => log.lastSeq(),
    getToken: () => token,
    getConversationId: () => conversationId,
    hasConversation: () => Boolean(token) || log.size() > 0,
    isStarted: () => Boolean(socket),
  };
}
