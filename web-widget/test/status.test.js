import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statusText, formatWait, initialOf } from '../src/status.js';

test('queued status tells position and minutes', () => {
  assert.equal(statusText({ state: 'queued', position: 2, eta_seconds: 240 }), "You're number 2 in line, about 4 minutes");
  assert.equal(statusText({ state: 'queued', position: 1, eta_seconds: 30 }), "You're number 1 in line, about 1 minute");
  assert.equal(statusText({ state: 'queued', position: 3, eta_seconds: null }), "You're number 3 in line");
  assert.equal(statusText({ state: 'queued', position: null, eta_seconds: null }), "You're in line for a person.");
});

test('agent, closed and bot states', () => {
  assert.equal(statusText({ state: 'agent', agent_name: 'Dana' }), 'Dana is here');
  assert.equal(statusText({ state: 'agent', agent_name: null }), 'A person from our team is here');
  assert.match(statusText({ state: 'closed' }), /ended/);
  assert.match(statusText({ state: 'bot' }), /assistant/);
  assert.equal(statusText(null), '');
});

test('wait times and initials', () => {
  assert.equal(formatWait(42), '42 s');
  assert.equal(formatWait(185), '3 min 05 s');
  assert.equal(formatWait(3720), '1 h 02 min');
  assert.equal(initialOf(' dana '), 'D');
  assert.equal(initialOf(''), '?');
});
