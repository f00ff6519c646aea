import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTypingSender, createTypingWatch, createTypingAnnouncer, REFRESH_MS, IDLE_MS, SHOW_MS } from '../src/typing.js';
import { fakeTimers } from '../test-support/fakes.js';

function sender() {
  const clock = fakeTimers();
  const sent = [];
  const s = createTypingSender({ emit: (v) => sent.push(v), now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  return { s, sent, clock };
}

test('typing true goes out at most once per 2 s while keys keep coming', () => {
  const { s, sent, clock } = sender();
  assert.equal(REFRESH_MS, 2000);
  for (let i = 0; i <= 20; i += 1) {
    s.input(true);
    clock.advance(100); // 21 keys from 0 to 2 s
  }
  assert.deepEqual(sent, [true, true], 'one at the start, one refresh after 2 s');
  s.input(true);
  assert.deepEqual(sent, [true, true], 'still within the second window');
});

test('typing false goes out once on stop, and not at all if nothing was said', () => {
  const { s, sent } = sender();
  s.stop();
  assert.deepEqual(sent, []);
  s.input(true);
  s.stop();
  s.stop();
  assert.deepEqual(sent, [true, false]);
});

test('emptying the box or going idle stops typing', () => {
  const { s, sent, clock } = sender();
  s.input(true);
  s.input(false);
  assert.deepEqual(sent, [true, false]);
  s.input(true);
  clock.advance(IDLE_MS - 1);
  assert.equal(sent.length, 3);
  clock.advance(1);
  assert.deepEqual(sent, [true, false, true, false]);
  assert.equal(clock.pending(), 0, 'no timer left behind');
});

test('reset forgets without emitting (the server already forgot us)', () => {
  const { s, sent } = sender();
  s.input(true);
  s.reset();
  s.stop();
  assert.deepEqual(sent, [true]);
  s.input(true);
  assert.deepEqual(sent, [true, true]);
});

test('an incoming indicator shows until false, and expires if the false is lost', () => {
  const clock = fakeTimers();
  let changes = 0;
  const w = createTypingWatch({ changed: () => (changes += 1), setTimer: clock.setTimer, clearTimer: clock.clearTimer });
  w.set('agent', true, 'Maria');
  assert.deepEqual(w.get('agent'), { name: 'Maria' });
  assert.equal(changes, 1);
  w.set('agent', true, 'Maria');
  assert.equal(changes, 1, 'a refresh of the same state re-renders nothing');
  w.set('agent', false);
  assert.equal(w.get('agent'), null);
  w.set('agent', true, 'Maria');
  clock.advance(SHOW_MS - 1);
  assert.ok(w.get('agent'));
  clock.advance(1);
  assert.equal(w.get('agent'), null);
  assert.equal(changes, 4);
});

test('the screen reader hears "is typing" once, not on every flicker', () => {
  const clock = fakeTimers();
  const a = createTypingAnnouncer({ now: clock.now, quietMs: 30000 });
  assert.equal(a.announce('Maria is typing…'), 'Maria is typing…');
  clock.advance(5000);
  assert.equal(a.announce('Maria is typing…'), null);
  assert.equal(a.announce('Our assistant is typing…'), 'Our assistant is typing…');
  clock.advance(30000);
  assert.equal(a.announce('Maria is typing…'), 'Maria is typing…');
});
