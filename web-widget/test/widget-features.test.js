import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createController } from '../src/controller.js';
import { statusText } from '../src/status.js';
import { awayText } from '../src/widget-leave.js';
import { fakeIo, fakeStorage, sequentialIds, fakeTimers } from '../test-support/fakes.js';

function setup({ storage = fakeStorage(), clock = fakeTimers() } = {}) {
  const io = fakeIo();
  const c = createController({
    url: 'http://bridge.test',
    io,
    storage,
    uuid: sequentialIds('w'),
    now: clock.date,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  c.start();
  const s = io.last();
  s.serverAccept();
  s.fire('session', { conversation_id: 'conv-1', token: 'tok-1', state: 'bot' });
  return { c, s, io, storage, clock };
}

const status = (state, extra = {}) => ({ state, position: null, eta_seconds: null, agent_name: null, ...extra });
const RESOURCES = { resources: [{ label: '988 Suicide & Crisis Lifeline', contact: 'Call or text 988' }] };

test('nobody available: honest status line, with when they are back', () => {
  const { c, s } = setup();
  s.fire('status', status('queued', { position: 2, eta_seconds: 600, agents_available: false, opens: 'tomorrow at 08:00' }));
  const st = c.getStatus();
  assert.equal(st.agents_available, false);
  assert.equal(st.opens, 'tomorrow at 08:00');
  assert.equal(statusText(st), "You're number 2 in line. Our team is back tomorrow at 08:00.");
  assert.match(awayText(st), /back tomorrow at 08:00/);
  const noHours = { ...st, opens: null };
  assert.equal(statusText(noHours), "You're number 2 in line. Nobody is available right now.");
  assert.match(awayText(noHours), /Nobody from our team is available/);
  assert.equal(awayText({ ...st, agents_available: true }), null);
  assert.equal(awayText({ ...st, agents_available: null }), null, 'not said is not "nobody"');
  assert.equal(awayText({ ...st, state: 'bot' }), null);
});

test('leave_message emits id, text and callback with an ack and reports success', () => {
  const { c, s } = setup();
  assert.equal(c.leaveMessage('  Please call me about my bill ', ' +44 20 7946 0000 ').ok, true);
  const [sent] = s.sentOf('leave_message');
  assert.deepEqual(sent.data, { id: 'w-1', text: 'Please call me about my bill', callback: '+44 20 7946 0000' });
  assert.equal(sent.timeout, 10000);
  assert.equal(c.getLeaveMessage().busy, true);
  s.answer(sent, { ok: true });
  assert.deepEqual(c.getLeaveMessage(), { busy: false, error: null, sent: { callback: '+44 20 7946 0000' } });
});

test('leave_message without a number sends no callback field', () => {
  const { c, s } = setup();
  c.leaveMessage('Just a note', '   ');
  assert.deepEqual(s.sentOf('leave_message')[0].data, { id: 'w-1', text: 'Just a note' });
});

test('a failed leave_message shows the server detail and retries with the same id', () => {
  const { c, s } = setup();
  c.leaveMessage('hi', 'call me maybe');
  s.answer(s.sentOf('leave_message')[0], { ok: false, error: 'invalid', detail: "That doesn't look like a phone number." });
  assert.equal(c.getLeaveMessage().error, "That doesn't look like a phone number.");
  c.leaveMessage('hi', '+1 555 0100');
  const again = s.sentOf('leave_message')[1];
  assert.equal(again.data.id, 'w-1', 'same id until the server has it');
  s.timeoutAck(again);
  assert.match(c.getLeaveMessage().error, /couldn't reach/i);
  c.leaveMessage('hi', '+1 555 0100');
  s.answer(s.sentOf('leave_message')[2], { ok: true });
  c.leaveAnother();
  c.leaveMessage('second one', '');
  assert.equal(s.sentOf('leave_message')[3].data.id, 'w-2', 'a new message gets a new id');
});

test('leave_message checks empty text and the connection before emitting', () => {
  const { c, s } = setup();
  assert.equal(c.leaveMessage('   ', '').error, 'empty');
  assert.match(c.getLeaveMessage().error, /write a short message/);
  s.drop();
  assert.equal(c.leaveMessage('hello', '').error, 'offline');
  assert.equal(s.sentOf('leave_message').length, 0);
});

test('crisis resources are kept, survive a reload, and go with a new conversation', () => {
  const storage = fakeStorage();
  const a = setup({ storage });
  assert.equal(a.c.getCrisis(), null);
  a.s.fire('crisis', { resources: [...RESOURCES.resources, { label: '', contact: 'x' }, 'junk'] });
  assert.deepEqual(a.c.getCrisis(), RESOURCES.resources);
  a.s.fire('crisis', { resources: [] });
  assert.deepEqual(a.c.getCrisis(), RESOURCES.resources, 'an empty list never hides help');

  const b = setup({ storage });
  assert.deepEqual(b.c.getCrisis(), RESOURCES.resources, 'shown again after a reload, before the server re-sends it');
  b.s.drop();
  b.s.serverAccept();
  b.s.fire('session', { conversation_id: 'conv-2', token: 'tok-2', state: 'bot' });
  assert.equal(b.c.getCrisis(), null);
});

function closeWithAgent(s, seq = 5) {
  s.fire('status', status('agent', { agent_name: 'Maria' }));
  s.fire('message', { seq, id: `r${seq}`, from: 'system', text: "Here's what happens next: we call you", buttons: [], agent_name: 'Maria', ts: 't' });
  s.fire('status', status('closed'));
}

test('after a close the widget asks "Did you feel heard?" once and sends the answer', () => {
  const storage = fakeStorage();
  const { c, s } = setup({ storage });
  assert.equal(c.getFeedback().ask, false);
  closeWithAgent(s);
  assert.equal(c.getFeedback().ask, true);
  assert.equal(c.answerFeedback(true), true);
  const [fb] = s.sentOf('feedback');
  assert.deepEqual(fb.data, { felt_heard: true });
  assert.equal(fb.timeout, 10000);
  assert.equal(c.answerFeedback(false), false, 'one tap only');
  s.answer(fb, { ok: true });
  assert.deepEqual(c.getFeedback(), { ask: false, thanked: true, busy: false, error: null });

  // A reload, with the server replaying the same close: not asked again.
  const again = setup({ storage });
  again.s.fire('message', { seq: 5, id: 'r5', from: 'system', text: 'x', buttons: [], agent_name: null, ts: 't' });
  again.s.fire('status', status('closed'));
  assert.equal(again.c.getFeedback().ask, false);
  assert.equal(again.c.getFeedback().thanked, false);
});

test('a second close (after writing again) is a new question; errors can be retried', () => {
  const { c, s } = setup();
  closeWithAgent(s, 5);
  c.answerFeedback(false);
  s.answer(s.sentOf('feedback')[0], { ok: true });
  s.fire('status', status('bot'));
  assert.equal(c.getFeedback().ask, false);
  closeWithAgent(s, 9);
  assert.equal(c.getFeedback().ask, true);
  c.answerFeedback(true);
  s.answer(s.sentOf('feedback')[1], { ok: false, error: 'unavailable' });
  assert.match(c.getFeedback().error, /try again/);
  assert.equal(c.getFeedback().ask, true);
  c.answerFeedback(true);
  s.answer(s.sentOf('feedback')[2], { ok: false, error: 'not_closed' });
  assert.equal(c.getFeedback().ask, false, 'nothing to rate: stop asking');
});

test('the customer typing is sent only to a person, throttled, and stopped by send', () => {
  const { c, s, clock } = setup();
  c.noteTyping(true);
  assert.equal(s.sentOf('typing').length, 0, 'the bot does not need to know');
  s.fire('status', status('agent', { agent_name: 'Maria' }));
  c.noteTyping(true);
  clock.advance(500);
  c.noteTyping(true);
  const sent = s.sentOf('typing');
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].data, { typing: true });
  assert.equal(typeof sent[0].ack, 'function', 'every event takes an ack');
  c.send('hello');
  assert.deepEqual(s.sentOf('typing').map((x) => x.data.typing), [true, false]);
  c.noteTyping(true);
  c.stopTyping(); // blur
  assert.deepEqual(s.sentOf('typing').map((x) => x.data.typing), [true, false, true, false]);
  s.drop();
  c.noteTyping(true);
  assert.equal(s.sentOf('typing').length, 4, 'nothing while offline');
});

test('"Maria is typing…" from the server, until her message arrives', () => {
  const { c, s, clock } = setup();
  s.fire('status', status('agent', { agent_name: 'Maria' }));
  s.fire('typing', { from: 'agent', typing: true, agent_name: 'Maria' });
  assert.deepEqual(c.getTyping(), { from: 'agent', name: 'Maria' });
  s.fire('message', { seq: 1, id: 'a1', from: 'agent', text: 'Hi', buttons: [], agent_name: 'Maria', ts: 't' });
  assert.equal(c.getTyping(), null);
  s.fire('typing', { from: 'bot', typing: true });
  assert.deepEqual(c.getTyping(), { from: 'bot', name: null });
  clock.advance(6000);
  assert.equal(c.getTyping(), null, 'a lost "false" does not leave it on');
  s.fire('typing', { from: 'customer', typing: true });
  s.fire('typing', 'nonsense');
  assert.equal(c.getTyping(), null);
});
