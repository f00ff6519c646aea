// Typing indicators, both directions, for the widget and the console.
//
// Outgoing: `typing: true` at most once per REFRESH_MS while keys are being
// pressed (so the other side knows it is still going on), `typing: false`
// once on send, blur, an emptied box, or IDLE_MS without a key.
// Incoming: shown until `typing: false`, a message from that side, or
// SHOW_MS without a refresh (a lost `false` must not leave it on for ever).

export const REFRESH_MS = 2000;
export const IDLE_MS = 5000;
export const SHOW_MS = 6000;

const defaultSetTimer = (fn, ms) => setTimeout(fn, ms);
const defaultClearTimer = (t) => clearTimeout(t);

export function createTypingSender({
  emit,
  now = () => Date.now(),
  setTimer = defaultSetTimer,
  clearTimer = defaultClearTimer,
  refreshMs = REFRESH_MS,
  idleMs = IDLE_MS,
}) {
  let active = false;
  let lastTrue = -Infinity;
  let idle = null;

  function cancelIdle() {
    if (idle !== null) clearTimer(idle);
    idle = null;
  }

  function stop() {
    cancelIdle();
    if (!active) return;
    active = false;
    emit(false);
  }

  return {
    /** A key went into the box; `hasText` says whether anything is left in it. */
    input(hasText) {
      if (!hasText) {
        stop();
        return;
      }
      const t = now();
      if (!active || t - lastTrue >= refreshMs) {
        active = true;
        lastTrue = t;
        emit(true);
      }
      cancelIdle();
      idle = setTimer(stop, idleMs);
    },
    stop,
    /** The connection went away: the server forgets us, so do we (no emit). */
    reset() {
      cancelIdle();
      active = false;
      lastTrue = -Infinity;
    },
    isActive: () => active,
  };
}

export function createTypingWatch({
  changed,
  setTimer = defaultSetTimer,
  clearTimer = defaultClearTimer,
  showMs = SHOW_MS,
}) {
  const entries = new Map(); // key -> {name, timer}

  function drop(key, notify) {
    const e = entries.get(key);
    if (!e) return false;
    clearTimer(e.timer);
    entries.delete(key);
    if (notify) changed();
    return true;
  }

  return {
    set(key, typing, name = null) {
      if (!typing) {
        drop(key, true);
        return;
      }
      const was = entries.get(key);
      if (was) clearTimer(was.timer);
      const timer = setTimer(() => drop(key, true), showMs);
      entries.set(key, { name, timer });
      if (!was || was.name !== name) changed();
    },
    /** A message from that side arrived: whatever they were typing is here now. */
    clear(key) {
      return drop(key, false);
    },
    clearAll() {
      for (const key of [...entries.keys()]) drop(key, false);
    },
    get(key) {
      const e = entries.get(key);
      return e ? { name: e.name } : null;
    },
  };
}

/**
 * What a screen reader hears: "Maria is typing…" once, not again for the
 * same person within quietMs, however often the indicator comes and goes.
 */
export function createTypingAnnouncer({ now = () => Date.now(), quietMs = 30000 } = {}) {
  const last = new Map();
  return {
    announce(text) {
      if (!text) return null;
      const t = now();
      if (last.has(text) && t - last.get(text) < quietMs) return null;
      last.set(text, t);
      return text;
    },
  };
}
