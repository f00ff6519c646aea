import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createConsoleController } from '../src/console-controller.js';
import { normalizeSummary, normalizeFollowups, normalizeQueueItem } from '../src/console-model.js';
import { isExpired } from '../src/console-session.js';
import { createAlerts } from '../src/console-alerts.js';
import { fakeIo, fakeStorage, sequentialIds, fakeTimers, fakeAudioWindow } from '../test-support/fakes.js';

const LOGIN = {
  token: 'agent-tok',
  expires_at: 4102444800, // seconds, as the bridge sends it
  agent: { username: 'maria', display_name: 'Maria' },
};

async function loggedIn() {
  const io = fakeIo();
  const clock = fakeTimers();
  const fetch = async () => ({ status: 200, ok: true, json: async () => LOGIN });
  const c = createConsoleController({
    origin: 'http://bridge.test',
    io,
    fetch,
    storage: fakeStorage(),
    uuid: sequentialIds('a'),
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  assert.equal(await c.login('maria', 'pw'), true);
  const s = io.last();
  s.serverAccept();
  return { c, s, clock };
}

function openTab(c, s, id = 'c1', summary = {}) {
  c.accept(id);
  s.answer(s.sentOf('accept').at(-1), { ok: true, summary, transcript: [] });
}

const F = (id, extra = {}) => ({
  followup_id: id,
  conversation_id: `conv-${id}`,
  kind: 'message',
  text: `note ${id}`,
  callback: null,
  urgent: false,
  created_at: '2026-11-22T10:00:00+00:00',
  ...extra,
});

test('follow-ups: urgent first, kinds and callback numbers kept', async () => {
  const { c, s } = await loggedIn();
  s.fire('followups', {
    followups: [F(1), F(2, { kind: 'callback', callback: '+44 20 7946 0000' }), F(3, { kind: 'crisis', urgent: true }), { junk: true }],
  });
  const list = c.getFollowups();
  assert.deepEqual(list.map((f) => f.followup_id), [3, 1, 2]);
  assert.equal(list[0].urgent, true);
  assert.equal(list[0].kind, 'crisis');
  assert.equal(list[2].callback, '+44 20 7946 0000');
  assert.equal(normalizeFollowups({ followups: [F(9, { kind: '<script>' })] })[0].kind, 'message', 'unknown kinds never reach a class name');
});

test('"Done" emits followup_done and takes the follow-up off the list', async () => {
  const { c, s } = await loggedIn();
  s.fire('followups', { followups: [F(1), F(2)] });
  assert.equal(c.followupDone(1), true);
  const [done] = s.sentOf('followup_done');
  assert.deepEqual(done.data, { followup_id: 1 });
  assert.equal(c.getFollowups()[0].done.busy, true);
  assert.equal(c.followupDone(1), false, 'not twice while waiting');
  s.answer(done, { ok: true });
  assert.deepEqual(c.getFollowups().map((f) => f.followup_id), [2]);
  c.followupDone(2);
  s.answer(s.sentOf('followup_done')[1], { ok: false, error: 'internal', detail: 'Something went wrong on our side.' });
  assert.equal(c.getFollowups()[0].done.error, 'Something went wrong on our side.');
  c.followupDone(2);
  s.answer(s.sentOf('followup_done')[2], { ok: false, error: 'unknown_followup' });
  assert.deepEqual(c.getFollowups(), [], 'done by someone else is done');
});

test('presence: shown as the server says, switched with an ack', async () => {
  const { c, s } = await loggedIn();
  assert.equal(c.getPresence().status, null);
  s.fire('presence', { status: 'online' });
  assert.equal(c.getPresence().status, 'online');
  c.setPresence('away');
  const [p] = s.sentOf('presence');
  assert.deepEqual(p.data, { status: 'away' });
  assert.equal(c.getPresence().busy, true);
  s.answer(p, { ok: true, status: 'away' });
  assert.deepEqual(c.getPresence(), { status: 'away', busy: false, error: null });
  c.setPresence('online');
  s.timeoutAck(s.sentOf('presence')[1]);
  assert.equal(c.getPresence().status, 'away');
  assert.match(c.getPresence().error, /No answer/);
  assert.equal(c.setPresence('elsewhere'), false);
});

test('queue entries keep helped_before and priority', async () => {
  const { c, s } = await loggedIn();
  s.fire('queue', {
    conversations: [
      { conversation_id: 'c1', priority: 0, reason: 'distress', category: 'crisis', headline: 'h', waiting_seconds: 3, helped_before: true },
      { conversation_id: 'c2', priority: 2, reason: 'customer_request', category: null, headline: 'h2', waiting_seconds: 1 },
    ],
  });
  const q = c.getQueue();
  assert.deepEqual(q.map((x) => [x.priority, x.helped_before]), [[0, true], [2, false]]);
  assert.equal(normalizeQueueItem({ conversation_id: 'x', helped_before: 'yes' }, 0).helped_before, false);
});

test('a new conversation in the queue is an event the view beeps for; the first snapshot is not', async () => {
  const { c, s } = await loggedIn();
  const events = [];
  c.subscribe((e) => e && events.push(e.type));
  const q = (...ids) => ({ conversations: ids.map((id) => ({ conversation_id: id, priority: 2, headline: 'h', waiting_seconds: 0 })) });
  s.fire('queue', q('c0'));
  assert.deepEqual(events, [], 'people already waiting at sign-in are not news');
  s.fire('queue', q('c0', 'c1'));
  s.fire('queue', q('c0', 'c1'));
  assert.deepEqual(events, ['queue-added']);
});

test('hand back emits the note, and the tab shows it was handed back', async () => {
  const { c, s } = await loggedIn();
  openTab(c, s, 'c1');
  openTab(c, s, 'c2');
  c.handBack('c1', '  Order A1001 found; customer may ask about refunds ');
  const [hb] = s.sentOf('handback');
  assert.deepEqual(hb.data, { conversation_id: 'c1', note: 'Order A1001 found; customer may ask about refunds' });
  assert.equal(c.getTab('c1').handbackBusy, true);
  s.answer(hb, { ok: true });
  const tab = c.getTab('c1');
  assert.equal(tab.ended, 'handback');
  assert.equal(tab.closed, true);
  assert.equal(tab.state, 'bot');

  c.handBack('c2', '   ');
  assert.deepEqual(s.sentOf('handback')[1].data, { conversation_id: 'c2' }, 'no note, no field');
  s.answer(s.sentOf('handback')[1], { ok: false, error: 'forbidden', detail: 'This conversation is not assigned to you.' });
  assert.equal(c.getTab('c2').handbackError, 'This conversation is not assigned to you.');
  assert.equal(c.getTab('c2').closed, false);
});

test('a bot status for an open tab (handed back elsewhere) ends the tab as handed back', async () => {
  const { c, s } = await loggedIn();
  openTab(c, s, 'c1');
  s.fire('status', { conversation_id: 'c1', state: 'bot', position: null, eta_seconds: null, agent_name: null });
  assert.equal(c.getTab('c1').ended, 'handback');
  assert.equal(c.dismissTab('c1'), true);
});

test('summary history and unstated needs are kept as plain lines', () => {
  const s = normalizeSummary({
    reason: 'customer_request',
    unstated_needs: ['a checklist', '', 7],
    history: ['20 Nov 2026 · Maria · Order A1001 is late → Courier calls tomorrow.', null],
  });
  assert.deepEqual(s.history, ['20 Nov 2026 · Maria · Order A1001 is late → Courier calls tomorrow.']);
  assert.deepEqual(s.unstated_needs, ['a checklist']);
  assert.deepEqual(normalizeSummary(null).history, []);
});

test('the customer typing shows on the tab until their message arrives', async () => {
  const { c, s, clock } = await loggedIn();
  openTab(c, s, 'c1');
  s.fire('typing', { conversation_id: 'c1', typing: true });
  s.fire('typing', { conversation_id: 'unknown', typing: true });
  assert.equal(c.getTab('c1').typing, true);
  s.fire('message', { conversation_id: 'c1', seq: 4, id: 'm4', from: 'customer', text: 'hi', buttons: [], agent_name: null, ts: 't' });
  assert.equal(c.getTab('c1').typing, false);
  s.fire('typing', { conversation_id: 'c1', typing: true });
  clock.advance(6000);
  assert.equal(c.getTab('c1').typing, false, 'expires without a refresh');
});

test('the agent typing goes out per conversation, throttled, false on send', async () => {
  const { c, s, clock } = await loggedIn();
  openTab(c, s, 'c1');
  c.noteTyping('c1', true);
  clock.advance(1000);
  c.noteTyping('c1', true);
  clock.advance(1000);
  c.noteTyping('c1', true);
  assert.deepEqual(s.sentOf('typing').map((x) => x.data), [
    { conversation_id: 'c1', typing: true },
    { conversation_id: 'c1', typing: true },
  ]);
  c.sendMessage('c1', 'Hello');
  assert.deepEqual(s.sentOf('typing').at(-1).data, { conversation_id: 'c1', typing: false });
  c.noteTyping('c1', true);
  c.stopTyping('c1');
  assert.deepEqual(s.sentOf('typing').at(-1).data, { conversation_id: 'c1', typing: false });
  c.noteTyping('nope', true);
  assert.equal(s.sentOf('typing').length, 5, 'true, true, false (send), true, false (blur)');
});

test('saved sign-ins expire by the seconds the bridge sends, or an ISO date', () => {
  assert.equal(isExpired(100, 200 * 1000), true);
  assert.equal(isExpired(4102444800, Date.now()), false);
  assert.equal(isExpired('2000-01-01T00:00:00Z', Date.now()), true);
  assert.equal(isExpired(null, Date.now()), false);
});

test('beep: two WebAudio tones, none when muted; mute is remembered', () => {
  const prefs = fakeStorage();
  const { win, made } = fakeAudioWindow();
  const a = createAlerts({ win, prefs });
  assert.equal(a.isMuted(), false);
  assert.equal(a.beep(), true);
  assert.equal(made.oscillators, 2);
  a.setMuted(true);
  assert.equal(a.beep(), false);
  assert.equal(made.oscillators, 2);
  assert.equal(prefs.getItem('calor.console.muted'), 'true');
  const again = createAlerts({ win, prefs });
  assert.equal(again.isMuted(), true, 'still muted after a reload');
  assert.equal(createAlerts({ win: {}, prefs: fakeStorage() }).beep(), false, 'no WebAudio, no crash');
});
