// Sending the customer's own messages: each gets a client id, goes out with
// an ack, and stays in the transcript's outbox until the server confirms it.
// A message in flight when the link drops goes out again with the same id,
// so the server stores it once.

import { MAX_TEXT, defaultDetail, ackFailure } from './messages.js';

export function createOutbox({ log, emitAck, canEmit, isConnected, changed, uuid, now, beforeSend = () => {} }) {
  let attempts = 0;

  function emitPending(item) {
    item.state = 'sending';
    item.error = null;
    item.detail = null;
    attempts += 1;
    item.attempt = attempts;
    const attempt = attempts;
    const body = item.payload !== null ? { id: item.id, payload: item.payload } : { id: item.id, text: item.text };
    emitAck('message', body, (err, res) => onAck(item.id, attempt, err, res));
  }

  function onAck(id, attempt, err, res) {
    const item = log.pending.get(id);
    if (!item) return; // the echo already confirmed it
    if (!err && res && res.ok === true && Number.isInteger(res.seq)) {
      // The echo may be skipped for the sending tab, so the ack alone confirms.
      log.confirm(id, res.seq);
      changed();
      return;
    }
    if (item.attempt !== attempt) return; // a newer attempt owns this item now
    if (err && !isConnected()) {
      item.state = 'queued'; // goes out again, same id, after reconnecting
    } else {
      const f = ackFailure(err, res);
      item.state = 'error';
      item.error = f.code;
      item.detail = f.detail;
    }
    log.persistOutbox();
    changed();
  }

  function queue(text, payload) {
    const item = {
      id: uuid(),
      text,
      payload,
      createdAt: now().toISOString(),
      state: 'queued',
      error: null,
      detail: null,
      attempt: 0,
    };
    log.pending.set(item.id, item);
    beforeSend();
    if (canEmit()) emitPending(item);
    log.persistOutbox();
    changed();
    return item.id;
  }

  return {
    /** After a (re)connect: everything waiting goes out, oldest first. */
    flush() {
      for (const item of log.pending.values()) {
        if (item.state === 'queued') emitPending(item);
      }
      log.persistOutbox();
    },
    /** The link dropped: whatever was in flight waits for the next connection. */
    requeue() {
      for (const item of log.pending.values()) {
        if (item.state === 'sending') item.state = 'queued';
      }
      log.persistOutbox();
    },
    send(text) {
      const t = typeof text === 'string' ? text.trim() : '';
      if (!t) return { ok: false, error: 'empty', detail: defaultDetail('empty') };
      if (t.length > MAX_TEXT) return { ok: false, error: 'too_long', detail: defaultDetail('too_long') };
      return { ok: true, id: queue(t, null) };
    },
    sendQuickReply(button) {
      if (!button || typeof button.title !== 'string' || typeof button.payload !== 'string') {
        return { ok: false, error: 'invalid' };
      }
      return { ok: true, id: queue(button.title, button.payload) };
    },
    retry(id) {
      const item = log.pending.get(id);
      if (!item || item.state !== 'error') return false;
      item.state = 'queued';
      item.error = null;
      item.detail = null;
      if (canEmit()) emitPending(item);
      log.persistOutbox();
      changed();
      return true;
    },
    discard(id) {
      const item = log.pending.get(id);
      if (!item || item.state !== 'error') return false;
      log.pending.delete(id);
      log.persistOutbox();
      changed();
      return true;
    },
  };
}
