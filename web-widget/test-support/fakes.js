// Fakes standing in for socket.io-client, Storage and the DOM, so the logic
// is tested in plain node.

export class FakeSocket {
  constructor(url, opts) {
    this.url = url;
    this.opts = opts;
    this.handlers = new Map();
    this.connected = false;
    this.active = true;
    this.sent = [];
    this.auths = [];
  }

  on(event, fn) {
    if (!this.handlers.has(event)) this.handlers.set(event, []);
    this.handlers.get(event).push(fn);
    return this;
  }

  // Plain emits are recorded too, so a test notices if code forgets the timeout.
  emit(event, data, ack) {
    this.sent.push({ event, data, ack, timeout: null, done: false });
    return this;
  }

  timeout(ms) {
    return {
      emit: (event, data, ack) => {
        this.sent.push({ event, data, ack, timeout: ms, done: false });
        return this;
      },
    };
  }

  connect() {
    this.active = true;
    this.serverAccept();
    return this;
  }

  disconnect() {
    this.active = false;
    this.drop('io client disconnect');
    return this;
  }

  // ---- test side --------------------------------------------------------
  fire(event, ...args) {
    for (const fn of this.handlers.get(event) || []) fn(...args);
  }

  /** Completes a (re)connection the way the server would, recording the auth sent. */
  serverAccept() {
    let auth;
    const a = this.opts && this.opts.auth;
    if (typeof a === 'function') a((v) => (auth = v));
    else auth = a;
    this.auths.push(auth);
    this.connected = true;
    this.fire('connect');
    return auth;
  }

  /** Like socket.io's _clearAcks: pending timeout acks fail when the link drops. */
  drop(reason = 'transport close') {
    const wasConnected = this.connected;
    this.connected = false;
    for (const s of this.sent) {
      if (!s.done && s.timeout !== null && typeof s.ack === 'function') {
        s.done = true;
        s.ack(new Error('socket has been disconnected'));
      }
    }
    if (wasConnected) this.fire('disconnect', reason);
  }

  sentOf(event) {
    return this.sent.filter((s) => s.event === event);
  }

  answer(entry, res) {
    if (entry.done) throw new Error('already answered');
    entry.done = true;
    entry.ack(null, res);
  }

  timeoutAck(entry) {
    entry.done = true;
    entry.ack(new Error('operation has timed out'));
  }
}

export function fakeIo() {
  const sockets = [];
  const io = (url, opts) => {
    const s = new FakeSocket(url, opts);
    sockets.push(s);
    return s;
  };
  io.sockets = sockets;
  io.last = () => sockets[sockets.length - 1];
  return io;
}

export function fakeStorage(initial = {}) {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
    json: (k) => (map.has(k) ? JSON.parse(map.get(k)) : null),
  };
}

export function sequentialIds(prefix = 'msg') {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

// Just enough of a Document to observe what linkify builds.
class FakeNode {
  constructor(type, props) {
    Object.assign(this, props);
    this.nodeType = type;
    this.childNodes = [];
    this.attributes = {};
  }
  appendChild(c) {
    this.childNodes.push(c);
    return c;
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
  }
  getAttribute(k) {
    return k in this.attributes ? this.attributes[k] : null;
  }
  get textContent() {
    return this.nodeType === 3 ? this.data : this.childNodes.map((c) => c.textContent).join('');
  }
  set textContent(v) {
    if (this.nodeType === 3) this.data = String(v);
    else this.childNodes = [new FakeNode(3, { data: String(v) })];
  }
}

export function fakeDocument() {
  return {
    createElement: (tag) => {
      const el = new FakeNode(1, { tagName: tag.toUpperCase() });
      // Any HTML-parsing path is a failure in these tests.
      for (const p of ['innerHTML', 'outerHTML']) {
        Object.defineProperty(el, p, {
          set() {
            throw new Error(`${p} used`);
          },
          get() {
            throw new Error(`${p} used`);
          },
        });
      }
      el.insertAdjacentHTML = () => {
        throw new Error('insertAdjacentHTML used');
      };
      return el;
    },
    createTextNode: (data) => new FakeNode(3, { data: String(data) }),
  };
}

export function tick() {
  return new Promise((r) => setImmediate(r));
}

/** A clock and timers that only move when the test says so. */
export function fakeTimers(start = 1_000_000) {
  let t = start;
  let nextId = 1;
  const timers = new Map();
  return {
    now: () => t,
    date: () => new Date(t),
    setTimer: (fn, ms) => {
      const id = nextId++;
      timers.set(id, { fn, at: t + ms });
      return id;
    },
    clearTimer: (id) => {
      timers.delete(id);
    },
    pending: () => timers.size,
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        t = due[1].at;
        due[1].fn();
      }
      t = end;
    },
  };
}

/** Enough of WebAudio to count the tones a beep plays. */
export function fakeAudioWindow() {
  const made = { contexts: 0, oscillators: 0 };
  class FakeParam {
    setValueAtTime() {}
    exponentialRampToValueAtTime() {}
  }
  class FakeAudioContext {
    constructor() {
      made.contexts += 1;
      this.currentTime = 0;
      this.state = 'running';
      this.destination = {};
    }
    createGain() {
      return { gain: new FakeParam(), connect() {} };
    }
    createOscillator() {
      made.oscillators += 1;
      return { type: '', frequency: new FakeParam(), connect() {}, start() {}, stop() {} };
    }
  }
  return { win: { AudioContext: FakeAudioContext }, made };
}
