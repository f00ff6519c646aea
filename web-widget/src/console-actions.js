// What an agent does inside an open conversation: write, retry, close with
// next steps, hand back to the bot, and say they are typing.

import { MAX_TEXT, str } from './messages.js';
import { createTypingSender } from './typing.js';

const TIMEOUT_TEXT = 'No answer from the server. Please try again.';

export function createConversationActions({ tabs, emitAck, connected, changed, handleUnauthorized, uuid, now, agentName, setTimer, clearTimer }) {
  const senders = new Map(); // conversation_id -> typing sender

  function typingSender(conversationId) {
    let s = senders.get(conversationId);
    if (!s) {
      s = createTypingSender({
        now,
        setTimer,
        clearTimer,
        emit: (typing) => connected() && emitAck('typing', { conversation_id: conversationId, typing }, () => {}),
      });
      senders.set(conversationId, s);
    }
    return s;
  }

  function emitPending(tab, p) {
    p.state = 'sending';
    p.error = null;
    p.detail = null;
    const attempt = (p.attempt || 0) + 1;
    p.attempt = attempt;
    emitAck('message', { conversation_id: tab.conversation_id, id: p.id, text: p.text }, (err, res) => {
      if (!tab.pending.has(p.id)) return;
      if (!err && res && res.ok === true && Number.isInteger(res.seq)) {
        tab.pending.delete(p.id);
        tabs.addMessage(tab, {
          seq: res.seq,
          id: p.id,
          from: 'agent',
          text: p.text,
          buttons: [],
          agent_name: agentName(),
          ts: new Date(now()).toISOString(),
        });
        tabs.persist();
        changed();
        return;
      }
      if (p.attempt !== attempt) return;
      if (!err && handleUnauthorized(res)) return;
      if (err && !connected()) {
        p.state = 'queued';
      } else {
        p.state = 'error';
        p.error = err ? 'timeout' : (res && res.error) || 'invalid';
        p.detail = (!err && res && str(res.detail)) || (err ? TIMEOUT_TEXT : "The message wasn't sent.");
      }
      changed();
    });
  }

  function validText(text, what) {
    const t = typeof text === 'string' ? text.trim() : '';
    if (!t) return { ok: false, error: 'empty', detail: `Please type ${what} first.` };
    if (t.length > MAX_TEXT) return { ok: false, error: 'too_long', detail: `Please keep it under ${MAX_TEXT} characters.` };
    return { ok: true, text: t };
  }

  /** close / handback: one request at a time per tab, the tab ends on success. */
  function endConversation(conversationId, kind, event, body) {
    const tab = tabs.get(conversationId);
    const errorKey = kind === 'close' ? 'closeError' : 'handbackError';
    if (!connected()) {
      tab[errorKey] = 'Not connected. Please wait a moment and try again.';
      changed();
      return { ok: false, error: 'offline' };
    }
    tab.busy = kind;
    tab.closeError = null;
    tab.handbackError = null;
    typingSender(conversationId).stop();
    changed();
    emitAck(event, body, (err, res) => {
      tab.busy = null;
      if (!err && res && res.ok === true) {
        tabs.end(tab, kind === 'close' ? 'closed' : 'handback');
        tabs.persist();
        changed({ type: kind === 'close' ? 'closed' : 'handed-back', conversation_id: conversationId });
        return;
      }
      if (!err && handleUnauthorized(res)) return;
      tab[errorKey] = err ? TIMEOUT_TEXT : (res && str(res.detail)) || `That didn't work (${(res && res.error) || 'error'}).`;
      changed();
    });
    return { ok: true };
  }

  const api = {
    sendMessage(conversationId, text) {
      const tab = tabs.get(conversationId);
      if (!tab) return { ok: false, error: 'unknown_conversation' };
      const v = validText(text, 'a message');
      if (!v.ok) return v;
      const p = { id: uuid(), text: v.text, state: 'queued', error: null, detail: null, attempt: 0, ts: new Date(now()).toISOString() };
      tab.pending.set(p.id, p);
      typingSender(conversationId).stop();
      if (connected()) emitPending(tab, p);
      changed();
      return { ok: true, id: p.id };
    },
    retry(conversationId, id) {
      const tab = tabs.get(conversationId);
      const p = tab && tab.pending.get(id);
      if (!p || p.state !== 'error') return false;
      p.state = 'queued';
      if (connected()) emitPending(tab, p);
      changed();
      return true;
    },
    discard(conversationId, id) {
      const tab = tabs.get(conversationId);
      if (!tab || !tab.pending.has(id)) return false;
      tab.pending.delete(id);
      changed();
      return true;
    },
    closeConversation(conversationId, nextSteps) {
      const tab = tabs.get(conversationId);
      if (!tab) return { ok: false, error: 'unknown_conversation' };
      const v = validText(nextSteps, 'the next steps');
      if (!v.ok) {
        tab.closeError = v.error === 'empty' ? 'Write the next steps for the customer before closing.' : v.detail;
        changed();
        return v;
      }
      return endConversation(conversationId, 'close', 'close', { conversation_id: conversationId, next_steps: v.text });
    },
    /** Give the conversation back to the bot, with an optional note for it. */
    handBack(conversationId, note) {
      const tab = tabs.get(conversationId);
      if (!tab) return { ok: false, error: 'unknown_conversation' };
      const n = typeof note === 'string' ? note.trim() : '';
      if (n.length > MAX_TEXT) {
        tab.handbackError = `Please keep the note under ${MAX_TEXT} characters.`;
        changed();
        return { ok: false, error: 'too_long' };
      }
      const body = { conversation_id: conversationId };
      if (n) body.note = n;
      return endConversation(conversationId, 'handback', 'handback', body);
    },
    selectTab(conversationId) {
      if (tabs.select(conversationId)) changed();
    },
    dismissTab(conversationId) {
      const ok = tabs.dismiss(conversationId);
      if (ok) {
        senders.delete(conversationId);
        changed();
      }
      return ok;
    },
    noteTyping(conversationId, hasText) {
      const tab = tabs.get(conversationId);
      if (!tab || tab.closed || !connected()) return;
      typingSender(conversationId).input(Boolean(hasText));
    },
    stopTyping(conversationId) {
      const s = senders.get(conversationId);
      if (s) s.stop();
    },
  };

  return {
    api,
    /** After a (re)connect: what was typed offline goes out now, same ids. */
    flush() {
      for (const tab of tabs.map.values()) {
        for (const p of tab.pending.values()) if (p.state === 'queued') emitPending(tab, p);
      }
    },
    requeue() {
      for (const tab of tabs.map.values()) {
        for (const p of tab.pending.values()) if (p.state === 'sending') p.state = 'queued';
      }
      for (const s of senders.values()) s.reset();
    },
    reset() {
      for (const s of senders.values()) s.reset();
      senders.clear();
    },
  };
}
