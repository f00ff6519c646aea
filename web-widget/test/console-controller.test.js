import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsoleController } from '../src/console-controller.js';
import { fakeIo, fakeStorage, sequentialIds } from '../test-support/fakes.js';

function fakeFetch(routes) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init });
    const r = routes[new URL(url).pathname];
    if (!r) throw new Error(`unexpected fetch ${url}`);
    const { status, body } = typeof r === 'function' ? r(init) : r;
    return { status, ok: status >= 200 && status < 300, json: async () => body };
  };
  fn.calls = calls;
  return fn;
}

const LOGIN_OK = {
  status: 200,
  body: { token: 'agent-tok', expires_at: '2099-01-01T00:00:00+00:00', agent: { username: 'dana', display_name: 'Dana' } },
};

const SUMMARY = {
  reason: 'distress',
  category: 'grief',
  cue: 'my dad passed away and I need to close his account',
  headline: 'Customer wants to close a late parent’s account',
  task: { intent: 'close_account', slots: { account_holder: 'father' } },
  suggested_opening: 'I’m so sorry for your loss. I can help with the account.',
  unstated_needs: ['a simple checklist'],
};

let clock = 1_000_000;
async function loggedIn({ storage = fakeStorage(), routes = {} } = {}) {
  const io = fakeIo();
  const fetch = fakeFetch({ '/api/login': LOGIN_OK, '/api/logout': { status: 204, body: null }, ...routes });
  const c = createConsoleController({
    origin: 'http://bridge.test',
    io,
    fetch,
    storage,
    uuid: sequentialIds('a'),
    now: () => clock,
  });
  assert.equal(await c.login('dana', 'pw'), true);
  const s = io.last();
  s.serverAccept();
  return { c, io, s, fetch, storage };
}

test('login posts JSON, keeps the token in storage and connects /agent with it', async () => {
  const { c, s, fetch, storage } = await loggedIn();
  assert.equal(fetch.calls[0].url, 'http://bridge.test/api/login');
  assert.equal(fetch.calls[0].init.method, 'POST');
  assert.deepEqual(JSON.parse(fetch.calls[0].init.body), { username: 'dana', password: 'pw' });
  assert.equal(s.url, 'http://bridge.test/agent');
  assert.deepEqual(s.auths[0], { token: 'agent-tok' });
  assert.equal(storage.json('calor.console.auth').token, 'agent-tok');
  assert.equal(c.getAgent().display_name, 'Dana');
  assert.equal(c.getConnection(), 'connected');
});

test('a 401 from login shows a clear error and does not connect', async () => {
  const io = fakeIo();
  const c = createConsoleController({
    origin: 'http://bridge.test',
    io,
    fetch: fakeFetch({ '/api/login': { status: 401, body: { error: 'unauthorized' } } }),
    storage: fakeStorage(),
  });
  assert.equal(await c.login('dana', 'wrong'), false);
  assert.match(c.getLoginError(), /username and password don't match/);
  assert.equal(c.isLoggedIn(), false);
  assert.equal(io.sockets.length, 0);
});

test('a refused connection goes back to the login form with a message', async () => {
  const { c, s, storage } = await loggedIn();
  s.connected = false;
  s.active = false;
  s.fire('connect_error', new Error('unauthorized'));
  assert.equal(c.isLoggedIn(), false);
  assert.match(c.getLoginError(), /refused/);
  assert.equal(storage.json('calor.console.auth'), null);
});

test('a network hiccup only shows reconnecting', async () => {
  const { c, s } = await loggedIn();
  s.drop('transport close');
  assert.equal(c.getConnection(), 'reconnecting');
  s.fire('connect_error', new Error('xhr poll error'));
  assert.equal(c.isLoggedIn(), true);
});

test('queue is kept in server order with a locally ticking wait time', async () => {
  const { c, s } = await loggedIn();
  s.fire('queue', {
    conversations: [
      { conversation_id: 'c2', priority: 0, reason: 'distress', category: 'crisis', headline: 'Urgent', waiting_seconds: 10 },
      { conversation_id: 'c1', priority: 2, reason: 'customer_request', category: null, headline: 'Billing', waiting_seconds: 100 },
    ],
  });
  clock += 5000;
  const q = c.getQueue();
  assert.deepEqual(q.map((x) => x.conversation_id), ['c2', 'c1']);
  assert.deepEqual(q.map((x) => x.waiting_now), [15, 105]);
});

test('a long queue lists its first entries and counts all who wait', async () => {
  const { c, s } = await loggedIn();
  const row = { conversation_id: 'c1', priority: 2, reason: 'customer_request', category: null, headline: 'h', waiting_seconds: 1 };
  s.fire('queue', { conversations: [row], total: 2000 });
  assert.equal(c.getQueue().length, 1);
  assert.equal(c.getQueueTotal(), 2000);
  s.fire('queue', { conversations: [row] }); // a server that sends no total
  assert.equal(c.getQueueTotal(), 1);
});

test('accept opens a tab with summary and transcript', async () => {
  const { c, s } = await loggedIn();
  s.fire('queue', { conversations: [{ conversation_id: 'c1', priority: 0, reason: 'distress', category: 'grief', headline: 'h', waiting_seconds: 1 }] });
  c.accept('c1');
  const acc = s.sentOf('accept');
  assert.equal(acc.length, 1);
  assert.deepEqual(acc[0].data, { conversation_id: 'c1' });
  s.answer(acc[0], {
    ok: true,
    summary: SUMMARY,
    transcript: [
      { seq: 1, id: 'm1', from: 'customer', text: 'hello', buttons: [], agent_name: null, ts: 't' },
      { seq: 2, id: 'm2', from: 'bot', text: 'hi', buttons: [], agent_name: null, ts: 't' },
    ],
  });
  const tab = c.getTab('c1');
  assert.equal(c.getActiveTab(), 'c1');
  assert.equal(tab.summary.cue, SUMMARY.cue);
  assert.deepEqual(tab.summary.task, { intent: 'close_account', slots: { account_holder: 'father' } });
  assert.deepEqual(tab.messages.map((m) => m.seq), [1, 2]);
  assert.equal(c.getQueue().length, 0);
});

test('losing the race shows "Another agent took this one"', async () => {
  const { c, s } = await loggedIn();
  s.fire('queue', { conversations: [{ conversation_id: 'c1', priority: 0, reason: 'bot_stuck', category: null, headline: 'h', waiting_seconds: 1 }] });
  c.accept('c1');
  s.answer(s.sentOf('accept')[0], { ok: false, error: 'taken', detail: 'x' });
  assert.equal(c.getQueue()[0].accept.error, 'Another agent took this one');
  assert.equal(c.getNotice(), 'Another agent took this one');
  assert.equal(c.getTab('c1'), null);
});

test('messages go to the right tab, de-duplicated and ordered by seq', async () => {
  const { c, s } = await loggedIn();
  for (const id of ['c1', 'c2']) {
    c.accept(id);
    s.answer(s.sentOf('accept').at(-1), { ok: true, summary: SUMMARY, transcript: [] });
  }
  const m = (cid, seq, text) => ({ conversation_id: cid, seq, id: `${cid}-${seq}`, from: 'customer', text, buttons: [], agent_name: null, ts: 't' });
  s.fire('message', m('c1', 2, 'b'));
  s.fire('message', m('c1', 1, 'a'));
  s.fire('message', m('c1', 2, 'b'));
  s.fire('message', m('c2', 1, 'other'));
  assert.deepEqual(c.getTab('c1').messages.map((x) => x.text), ['a', 'b']);
  assert.deepEqual(c.getTab('c2').messages.map((x) => x.text), ['other']);
  assert.equal(c.getTab('c1').unread, 2, 'c2 was accepted last, so c1 counts unread');
});

test('agent send uses the conversation id and a client id, confirmed by the ack', async () => {
  const { c, s } = await loggedIn();
  c.accept('c1');
  s.answer(s.sentOf('accept')[0], { ok: true, summary: SUMMARY, transcript: [] });
  const res = c.sendMessage('c1', ' Hello, I am Dana ');
  const sent = s.sentOf('message')[0];
  assert.deepEqual(sent.data, { conversation_id: 'c1', id: res.id, text: 'Hello, I am Dana' });
  assert.equal(c.getTab('c1').messages.at(-1).state, 'sending');
  s.answer(sent, { ok: true, seq: 3 });
  s.fire('message', { conversation_id: 'c1', seq: 3, id: res.id, from: 'agent', text: 'Hello, I am Dana', buttons: [], agent_name: 'Dana', ts: 't' });
  const msgs = c.getTab('c1').messages;
  assert.equal(msgs.length, 1);
  assert.equal(msgs[0].state, 'sent');
});

test('close sends next steps and marks the tab closed', async () => {
  const { c, s } = await loggedIn();
  c.accept('c1');
  s.answer(s.sentOf('accept')[0], { ok: true, summary: SUMMARY, transcript: [] });
  assert.equal(c.closeConversation('c1', '   ').ok, false);
  assert.match(c.getTab('c1').closeError, /next steps/);
  assert.equal(s.sentOf('close').length, 0);
  c.closeConversation('c1', 'We will email you the form today.');
  const close = s.sentOf('close')[0];
  assert.deepEqual(close.data, { conversation_id: 'c1', next_steps: 'We will email you the form today.' });
  assert.equal(c.getTab('c1').closed, false);
  s.answer(close, { ok: true });
  assert.equal(c.getTab('c1').closed, true);
  assert.equal(c.dismissTab('c1'), true);
  assert.equal(c.getTabs().length, 0);
});

test('an unauthorized ack signs the agent out', async () => {
  const { c, s } = await loggedIn();
  s.fire('queue', { conversations: [{ conversation_id: 'c1', priority: 0, reason: 'bot_stuck', category: null, headline: 'h', waiting_seconds: 1 }] });
  c.accept('c1');
  s.answer(s.sentOf('accept')[0], { ok: false, error: 'unauthorized' });
  assert.equal(c.isLoggedIn(), false);
  assert.match(c.getLoginError(), /expired/);
});

test('logout posts the bearer token and returns to the login form', async () => {
  const { c, s, fetch, storage } = await loggedIn();
  await c.logout();
  const call = fetch.calls.at(-1);
  assert.equal(call.url, 'http://bridge.test/api/logout');
  assert.equal(call.init.method, 'POST');
  assert.equal(call.init.headers.Authorization, 'Bearer agent-tok');
  assert.equal(c.isLoggedIn(), false);
  assert.equal(s.connected, false);
  assert.equal(storage.json('calor.console.auth'), null);
});

test('a reload with a stored token reconnects and restores open tabs', async () => {
  const storage = fakeStorage();
  const first = await loggedIn({ storage });
  first.c.accept('c1');
  first.s.answer(first.s.sentOf('accept')[0], { ok: true, summary: SUMMARY, transcript: [] });
  const io = fakeIo();
  const c = createConsoleController({ origin: 'http://bridge.test', io, fetch: fakeFetch({}), storage, now: () => clock });
  assert.equal(c.isLoggedIn(), true);
  c.start();
  assert.deepEqual(io.last().serverAccept(), { token: 'agent-tok' });
  assert.equal(c.getTab('c1').summary.headline, SUMMARY.headline);
});

test('tabs kept through an expired session are not shown to a different agent', async () => {
  const storage = fakeStorage();
  const first = await loggedIn({ storage });
  first.c.accept('c1');
  first.s.answer(first.s.sentOf('accept')[0], { ok: true, summary: SUMMARY, transcript: [] });
  storage.removeItem('calor.console.auth');
  const io = fakeIo();
  const other = createConsoleController({
    origin: 'http://bridge.test',
    io,
    fetch: fakeFetch({
      '/api/login': { status: 200, body: { token: 't2', expires_at: null, agent: { username: 'sam', display_name: 'Sam' } } },
    }),
    storage,
  });
  await other.login('sam', 'pw');
  assert.deepEqual(other.getTabs(), []);
  const again = createConsoleController({ origin: 'http://bridge.test', io: fakeIo(), fetch: fakeFetch({ '/api/login': LOGIN_OK }), storage });
  await again.login('dana', 'pw');
  assert.deepEqual(again.getTabs(), [], 'sam owned the tab store last');
});
