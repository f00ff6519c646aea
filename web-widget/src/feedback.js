// "Did you feel heard?" after a person closed the conversation: asked once
// per close (a reload or a second tab does not ask again), answered with one tap.

export function createFeedback({ store, emitAck, canEmit, changed }) {
  // Which close we are in, and which close was answered, survive a reload.
  let closeKey = typeof store.get('close_key') === 'string' ? store.get('close_key') : null;
  let answeredFor = typeof store.get('feedback_for') === 'string' ? store.get('feedback_for') : null;
  let busy = false;
  let error = null;
  let thanked = false; // shown on this page only, right after answering

  function settle(key) {
    answeredFor = key;
    store.set('feedback_for', key);
  }

  return {
    /** Called on every status change with the state before and after. */
    onState(prev, next, key) {
      if (next === 'closed') {
        if (prev !== 'closed' || !closeKey) {
          closeKey = key;
          store.set('close_key', closeKey);
        }
      } else {
        busy = false;
        error = null;
        thanked = false;
      }
    },
    reset() {
      closeKey = null;
      answeredFor = null;
      thanked = false;
      store.remove('close_key');
      store.remove('feedback_for');
    },
    /** What to show while the state is `closed`. */
    view(state) {
      if (state !== 'closed' || !closeKey) return { ask: false, thanked: false, busy: false, error: null };
      const done = answeredFor === closeKey;
      return { ask: !done, thanked: done && thanked, busy, error };
    },
    answer(feltHeard) {
      if (busy || !closeKey || answeredFor === closeKey || typeof feltHeard !== 'boolean') return false;
      if (!canEmit()) {
        error = "We can't reach our server right now. Please try again in a moment.";
        changed();
        return false;
      }
      const key = closeKey;
      busy = true;
      error = null;
      changed();
      emitAck('feedback', { felt_heard: feltHeard }, (err, res) => {
        busy = false;
        if (!err && res && res.ok === true) {
          settle(key);
          thanked = true;
        } else if (!err && res && res.error === 'not_closed') {
          // Nothing to rate after all; don't keep asking.
          settle(key);
        } else {
          error = "We couldn't send that just now. Please try again.";
        }
        changed();
      });
      return true;
    },
  };
}
