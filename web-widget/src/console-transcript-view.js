// One conversation's transcript in the console, updated in place by key.

import { appendLinkified } from './linkify.js';
import { h, clear, setText, formatTime } from './dom.js';
import { initialOf } from './status.js';

export function createTranscriptView({ doc, controller, conversationId }) {
  const el = h(doc, 'div', {
    className: 'cc-transcript',
    attrs: { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Transcript', tabindex: '0' },
  });
  const nodes = new Map();

  function build(m) {
    const msg = h(doc, 'div', { className: `cc-msg cc-msg--${m.from}` });
    const author =
      m.from === 'agent' ? m.agent_name || 'Agent' : m.from === 'customer' ? 'Customer' : m.from === 'bot' ? 'Assistant' : 'System';
    const time = h(doc, 'time', { className: 'cc-msg__time' });
    const meta = h(doc, 'div', { className: 'cc-msg__meta' }, [
      h(doc, 'span', { className: 'cc-avatar', text: initialOf(author), attrs: { 'aria-hidden': 'true' } }),
      h(doc, 'span', { className: 'cc-msg__author', text: author }),
      time,
    ]);
    const text = h(doc, 'p', { className: 'cc-msg__text' });
    appendLinkified(doc, text, m.text);
    if (m.buttons && m.buttons.length) {
      // Agents should see which choices the bot offered, but not as live controls.
      text.appendChild(h(doc, 'span', { className: 'cc-msg__buttons', text: ` [${m.buttons.map((b) => b.title).join(' | ')}]` }));
    }
    const state = h(doc, 'div', { className: 'cc-msg__state' });
    msg.append(meta, text, state);
    msg._cc = { time, state, sig: null, tsSig: undefined };
    return msg;
  }

  function update(msg, m) {
    const p = msg._cc;
    if (m.seq !== null && msg.dataset.seq !== String(m.seq)) msg.dataset.seq = String(m.seq);
    if (p.tsSig !== m.ts) {
      p.tsSig = m.ts;
      setText(p.time, formatTime(m.ts));
      if (m.ts) p.time.setAttribute('datetime', m.ts);
    }
    const sig = `${m.state}|${m.detail || ''}|${m.retryable}`;
    if (p.sig === sig) return;
    p.sig = sig;
    clear(p.state);
    msg.classList.toggle('cc-msg--pending', m.state === 'queued' || m.state === 'sending');
    if (m.state === 'sending') p.state.appendChild(h(doc, 'span', { text: 'Sending…' }));
    if (m.state === 'queued') p.state.appendChild(h(doc, 'span', { text: 'Waiting for connection…' }));
    if (m.state === 'error') {
      p.state.appendChild(h(doc, 'span', { className: 'cc-error', text: `Not sent. ${m.detail || ''}`.trim() }));
      if (m.retryable) {
        const retry = h(doc, 'button', { className: 'cc-retry cc-button cc-button--quiet', text: 'Retry', attrs: { type: 'button' } });
        retry.addEventListener('click', () => controller.retry(conversationId, m.id));
        p.state.appendChild(retry);
      }
      const rm = h(doc, 'button', { className: 'cc-discard cc-button cc-button--quiet', text: 'Remove', attrs: { type: 'button' } });
      rm.addEventListener('click', () => controller.discard(conversationId, m.id));
      p.state.appendChild(rm);
    }
  }

  /** Returns whether anything new was added. */
  function render(messages, { selected, wasSelected }) {
    const keep = new Set();
    let ref = el.firstChild;
    const nearBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    let grew = false;
    for (const m of messages) {
      keep.add(m.key);
      let msg = nodes.get(m.key);
      if (!msg) {
        msg = build(m);
        nodes.set(m.key, msg);
        grew = true;
      }
      update(msg, m);
      if (msg === ref) ref = ref.nextSibling;
      else el.insertBefore(msg, ref);
    }
    for (const [k, msg] of nodes) {
      if (!keep.has(k)) {
        msg.remove();
        nodes.delete(k);
      }
    }
    // A panel that was display:none has lost its scroll position; show the newest lines.
    if ((grew && nearBottom) || (selected && !wasSelected)) el.scrollTop = el.scrollHeight;
    return grew;
  }

  return { el, render };
}
