// "Leave a message" for when nobody can answer: a message and an optional
// number to call back, onto the agents' follow-up list. The same id is
// reused until the server has it, so a retry never leaves it twice.

import { MAX_TEXT, ackFailure, defaultDetail } from './messages.js';

const INVALID = 'Please check the phone number: digits, spaces and an optional leading +.';

export function createLeaveMessage({ emitAck, canEmit, changed, uuid }) {
  let id = null;
  let busy = false;
  let error = null;
  let sent = null; // {callback} once the server has it

  function fail(code, detail) {
    error = { code, detail };
    changed();
    return { ok: false, error: code, detail };
  }

  return {
    view: () => ({ busy, error: error ? error.detail : null, sent }),
    send(text, callback) {
      if (busy) return { ok: false, error: 'busy' };
      const t = typeof text === 'string' ? text.trim() : '';
      const cb = typeof callback === 'string' ? callback.trim() : '';
      if (!t) return fail('empty', 'Please write a short message for our team.');
      if (t.length > MAX_TEXT) return fail('too_long', defaultDetail('too_long'));
      if (!canEmit()) return fail('offline', defaultDetail('offline'));
      if (!id) id = uuid();
      const body = { id, text: t };
      if (cb) body.callback = cb;
      busy = true;
      error = null;
      changed();
      emitAck('leave_message', body, (err, res) => {
        busy = false;
        if (!err && res && res.ok === true) {
          id = null;
          sent = { callback: cb || null };
        } else {
          const f = ackFailure(err, res);
          error = { code: f.code, detail: f.code === 'invalid' && !(res && res.detail) ? INVALID : f.detail };
        }
        changed();
      });
      return { ok: true };
    },
    /** Write another one. */
    again() {
      sent = null;
      error = null;
      changed();
    },
  };
}
