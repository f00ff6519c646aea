import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createController } from '../src/controller.js';
import { fakeIo, fakeStorage, sequentialIds } from '../test-support/fakes.js';

function setup({ storage = fakeStorage(), ids = sequentialIds(), maxStored } = {}) {
  const io = fakeIo();
  const timers = [];
  const c = createController({
    url: 'http://bridge.test/',
    io,
    storage,
    uuid: ids,
    maxStored,
    now: () => new Date('2026-11-22T10:00:00Z'),
    setTimer: (fn, ms) => timers.push({ fn, ms }),
  });
  return { c, io, storage, timers };
}

function msg(seq, from = 'bot', extra = {}) {
  return { seq, id: `srv-${seq}`, from, text: `m${seq}`, buttons: [], agent_name: null, ts: '2026-11-22T10:00:00+00:00', ...extra };
}

/** Connects and completes the session handshake; returns the auth the client sent. */
function online(socket, session = { conversation_id: 'conv-1', token: 'tok-1', state: 'bot' }) {
  const auth = socket.serverAccept();
  socket.fire('session', session);
  return auth;
}

test('connects to the /customer namespace of the given url', () => {
  const { c, io } = setup();
  c.start();
  assert.equal(io.sockets.length, 1);
  assert.equal(io.last().url, 'http://bridge.test/customer');
  c.start();
  assert.equal(io.sockets.length, 1, 'start() twice must not open a second socket');
});

test('token from session is persisted and sent in auth on reconnect and after reload', () => {
  const storage = fakeStorage();
  const first = setup({ storage });
  first.c.start();
  const s = first.io.last();
  const auth1 = online(s, { conversation_id: 'conv-1', token: 'tok-abc', state: 'bot' });
  assert.deepEqual(auth1, {}, 'a first visit has no token to send');
  assert.equal(storage.json('calor.token'), 'tok-abc');
  assert.equal(storage.json('calor.conversation_id'), 'conv-1');

  s.drop();
  assert.equal(s.serverAccept().token, 'tok-abc', 'same page reconnect sends the new token');

  const second = setup({ storage });
  second.c.start();
  const auth2 = second.io.last().serverAccept();
  assert.equal(auth2.token, 'tok-abc');
});

test('replayed messages with already seen seq are not duplicated', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  s.fire('message', msg(1));
  s.fire('message', msg(2));
  s.drop();
  const auth = s.serverAccept();
  assert.equal(auth.last_seq, 2);
  s.fire('session', { conversation_id: 'conv-1', token: 'tok-1', state: 'bot' });
  // A server may replay more than asked; the widget must still show each once.
  s.fire('message', msg(1));
  s.fire('message', msg(2));
  s.fire('message', msg(3));
  s.fire('status', { state: 'bot', position: null, eta_seconds: null, agent_name: null });
  assert.deepEqual(
    c.getMessages().map((m) => m.seq),
    [1, 2, 3],
  );
});

test('out-of-order seq is shown in order and last_seq only covers what is contiguous', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  s.fire('message', msg(3));
  s.fire('message', msg(1));
  assert.deepEqual(c.getMessages().map((m) => m.seq), [1, 3]);
  assert.equal(c.getLastSeq(), 1, 'seq 2 is missing, so a reconnect must ask from 1');
  s.fire('message', msg(2));
  assert.deepEqual(c.getMessages().map((m) => m.text), ['m1', 'm2', 'm3']);
  assert.equal(c.getLastSeq(), 3);
});

test('conversation history survives a reload, capped, with last_seq', () => {
  const storage = fakeStorage();
  const a = setup({ storage, maxStored: 3 });
  a.c.start();
  const s = a.io.last();
  online(s);
  for (let i = 1; i <= 5; i += 1) s.fire('message', msg(i));
  const b = setup({ storage, maxStored: 3 });
  assert.deepEqual(b.c.getMessages().map((m) => m.seq), [3, 4, 5]);
  assert.equal(b.c.getLastSeq(), 5);
  b.c.start();
  assert.equal(b.io.last().serverAccept().last_seq, 5);
});

test('a different conversation_id clears the stored messages', () => {
  const storage = fakeStorage();
  const a = setup({ storage });
  a.c.start();
  const s = a.io.last();
  online(s, { conversation_id: 'old', token: 't-old', state: 'bot' });
  s.fire('message', msg(1));
  s.fire('message', msg(2));
  s.drop();
  s.serverAccept();
  s.fire('session', { conversation_id: 'new', token: 't-new', state: 'bot' });
  assert.equal(a.c.getMessages().length, 0);
  assert.deepEqual(storage.json('calor.messages'), []);
  assert.equal(storage.json('calor.token'), 't-new');
  s.fire('message', msg(1));
  assert.deepEqual(a.c.getMessages().map((m) => m.text), ['m1']);
});

test('a message typed offline is queued, persisted, and sent exactly once on reconnect with the same id', () => {
  const storage = fakeStorage();
  const { c, io } = setup({ storage });
  c.start();
  const s = io.last();
  online(s);
  s.drop();

  const res = c.send('  where is my order?  ');
  assert.equal(res.ok, true);
  assert.equal(s.sentOf('message').length, 0, 'nothing may be emitted while disconnected');
  const shown = c.getMessages().at(-1);
  assert.equal(shown.text, 'where is my order?');
  assert.equal(shown.state, 'queued');
  assert.equal(storage.json('calor.outbox')[0].id, res.id);

  online(s);
  const sends = s.sentOf('message');
  assert.equal(sends.length, 1);
  assert.deepEqual(sends[0].data, { id: res.id, text: 'where is my order?' });
  assert.equal(sends[0].timeout, 10000);
  assert.equal(c.getMessages().at(-1).state, 'sending');

  s.answer(sends[0], { ok: true, seq: 4 });
  // The server's echo of the same message must not add a second copy.
  s.fire('message', { seq: 4, id: res.id, from: 'customer', text: 'where is my order?', buttons: [], agent_name: null, ts: 'x' });
  s.drop();
  online(s);
  assert.equal(s.sentOf('message').length, 1, 'an acknowledged message is never sent again');
  assert.deepEqual(storage.json('calor.outbox'), []);
  assert.equal(c.getMessages().filter((m) => m.id === res.id).length, 1);
});

test('a message in flight when the connection drops is resent once with the same id', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  const { id } = c.send('hello');
  assert.equal(s.sentOf('message').length, 1);
  s.drop();
  assert.equal(c.getMessages().at(-1).state, 'queued');
  online(s);
  const sends = s.sentOf('message');
  assert.equal(sends.length, 2);
  assert.equal(sends[1].data.id, id);
  s.answer(sends[1], { ok: true, seq: 1 });
  assert.deepEqual(
    c.getMessages().map((m) => [m.seq, m.state]),
    [[1, 'sent']],
  );
});

test('the outbox survives a reload and goes out after the next session', () => {
  const storage = fakeStorage();
  const a = setup({ storage });
  a.c.start();
  online(a.io.last());
  a.io.last().drop();
  const { id } = a.c.send('still there?');

  const b = setup({ storage, ids: sequentialIds('other') });
  assert.equal(b.c.getMessages().at(-1).text, 'still there?');
  b.c.start();
  online(b.io.last());
  const sends = b.io.last().sentOf('message');
  assert.equal(sends.length, 1);
  assert.equal(sends[0].data.id, id);
});

test('an error ack shows its detail and can be retried with the same id', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  const { id } = c.send('hi');
  s.answer(s.sentOf('message')[0], { ok: false, error: 'unavailable', detail: 'Our system is busy, please retry.' });
  let m = c.getMessages().at(-1);
  assert.equal(m.state, 'error');
  assert.equal(m.detail, 'Our system is busy, please retry.');
  assert.equal(m.retryable, true);

  // Reconnecting does not silently resend an error the customer is looking at.
  s.drop();
  online(s);
  assert.equal(s.sentOf('message').length, 1);

  assert.equal(c.retry(id), true);
  const again = s.sentOf('message');
  assert.equal(again.length, 2);
  assert.equal(again[1].data.id, id);
  s.answer(again[1], { ok: true, seq: 9 });
  m = c.getMessages().at(-1);
  assert.equal(m.state, 'sent');
  assert.equal(m.seq, 9);
});

test('a non-retryable error is not offered a retry; an ack timeout while connected is', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  c.send('x');
  s.answer(s.sentOf('message')[0], { ok: false, error: 'too_long', detail: 'Too long.' });
  assert.equal(c.getMessages().at(-1).retryable, false);
  assert.equal(c.getMessages().at(-1).detail, 'Too long.');

  c.send('y');
  s.timeoutAck(s.sentOf('message')[1]);
  const m = c.getMessages().at(-1);
  assert.equal(m.state, 'error');
  assert.equal(m.error, 'timeout');
  assert.equal(m.retryable, true);
  assert.match(m.detail, /couldn't reach/i);
});

test('client-side validation rejects empty and over-long text without emitting', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  assert.equal(c.send('   ').error, 'empty');
  assert.equal(c.send('a'.repeat(4001)).error, 'too_long');
  assert.equal(c.send('a'.repeat(4000)).ok, true);
  assert.equal(s.sentOf('message').length, 1);
});

test('quick reply sends the payload and shows the button title', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  s.fire('message', msg(1, 'bot', { buttons: [{ title: 'Track my order', payload: '/order_status' }] }));
  assert.deepEqual(c.getMessages()[0].buttons, [{ title: 'Track my order', payload: '/order_status' }]);
  const { id } = c.sendQuickReply({ title: 'Track my order', payload: '/order_status' });
  const sent = s.sentOf('message')[0];
  assert.deepEqual(sent.data, { id, payload: '/order_status' });
  assert.equal(c.getMessages().at(-1).text, 'Track my order');
  assert.equal(c.getMessages().at(-1).from, 'customer');
});

test('request_human emits {} with an ack, and waits for the connection when offline', () => {
  const { c, io } = setup();
  c.requestHuman(); // also opens the connection
  const s = io.last();
  assert.equal(s.sentOf('request_human').length, 0);
  assert.match(c.getNotice(), /as soon as/);
  online(s);
  const req = s.sentOf('request_human');
  assert.equal(req.length, 1);
  assert.deepEqual(req[0].data, {});
  assert.equal(typeof req[0].ack, 'function');
  s.answer(req[0], { ok: true, state: 'queued' });
  assert.equal(c.getStatus().state, 'queued');
  assert.equal(c.getNotice(), null);
});

test('status events update state and agent messages keep the agent name', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  online(s);
  s.fire('status', { state: 'queued', position: 2, eta_seconds: 240, agent_name: null });
  assert.deepEqual(c.getStatus(), {
    state: 'queued',
    position: 2,
    eta_seconds: 240,
    agent_name: null,
    agents_available: null,
    opens: null,
  });
  s.fire('status', { state: 'agent', position: null, eta_seconds: null, agent_name: 'Dana' });
  s.fire('message', msg(1, 'agent', { agent_name: 'Dana', text: 'Hi, I am Dana' }));
  assert.equal(c.getStatus().agent_name, 'Dana');
  assert.equal(c.getMessages()[0].agent_name, 'Dana');
  s.fire('status', { state: 'nonsense' });
  assert.equal(c.getStatus().state, 'agent', 'unknown states are ignored');
});

test('connection state goes reconnecting on drop and connected again', () => {
  const { c, io } = setup();
  assert.equal(c.getConnection(), 'idle');
  c.start();
  assert.equal(c.getConnection(), 'connecting');
  const s = io.last();
  online(s);
  assert.equal(c.getConnection(), 'connected');
  s.drop();
  assert.equal(c.getConnection(), 'reconnecting');
  online(s);
  assert.equal(c.getConnection(), 'connected');
});

test('socket.io reconnection is configured with a bounded backoff', () => {
  const { c, io } = setup();
  c.start();
  const { opts } = io.last();
  assert.equal(opts.reconnection, true);
  assert.ok(opts.reconnectionDelay >= 500 && opts.reconnectionDelay <= 2000);
  assert.ok(opts.reconnectionDelayMax >= 5000 && opts.reconnectionDelayMax <= 30000);
  assert.equal(typeof opts.auth, 'function', 'auth must be re-read on every reconnect');
});

test('a server-side disconnect is retried by the widget itself', () => {
  const { c, io, timers } = setup();
  c.start();
  const s = io.last();
  online(s);
  s.active = false; // what socket.io does after "io server disconnect"
  s.drop('io server disconnect');
  assert.equal(timers.length, 1);
  timers[0].fn();
  assert.equal(s.connected, true);
});

test('garbage in storage does not break the widget', () => {
  const storage = fakeStorage({
    'calor.messages': '{not json',
    'calor.outbox': '[{"id": 5}]',
    'calor.last_seq': '"seven"',
    'calor.token': '42',
  });
  const { c, io } = setup({ storage });
  assert.deepEqual(c.getMessages(), []);
  c.start();
  assert.deepEqual(io.last().serverAccept(), {});
});

test('with last_seq in session, a status mid-replay does not skip a hole still on its way', () => {
  const { c, io } = setup();
  c.start();
  const s = io.last();
  s.serverAccept();
  s.fire('session', { conversation_id: 'conv-1', token: 'tok-1', state: 'bot', last_seq: 4 });
  s.fire('message', msg(1));
  s.fire('message', msg(3)); // live, ahead of the replay
  s.fire('status', { state: 'bot', position: null, eta_seconds: null, agent_name: null });
  assert.equal(c.getLastSeq(), 1, 'seq 2 is still coming in the replay');
  s.drop();
  assert.equal(s.serverAccept().last_seq, 1, 'a reconnect now asks from 1 again');
  s.fire('session', { conversation_id: 'conv-1', token: 'tok-1', state: 'bot', last_seq: 5 });
  for (const seq of [2, 3, 5]) s.fire('message', msg(seq));
  assert.equal(c.getLastSeq(), 5, 'caught up with the session last_seq: settled even with 4 missing');
  assert.deepEqual(c.getMessages().map((m) => m.seq), [1, 2, 3, 5]);
});
