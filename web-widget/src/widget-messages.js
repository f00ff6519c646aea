// The widget's message list: one node per message key, updated in place so
// a re-render never duplicates, re-orders or re-announces what is shown.

import { appendLinkified } from './linkify.js';
import { h, clear, setText, formatTime } from './dom.js';
import { initialOf } from './status.js';

const SR = 'calor-sr-only';
const AUTHOR = { customer: 'You', bot: 'Assistant', system: 'Notice' };
const STATE_TEXT = { queued: 'Waiting for connection…', sending: 'Sending…' };

export function createMessageList({ doc, controller, focusInput }) {
  const list = h(doc, 'div', {
    id: 'calor-messages',
    className: 'calor-messages',
    attrs: {
      role: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': 'Conversation',
      tabindex: '0',
    },
  });
  const nodes = new Map();
  let seenKeys = null;
  // Follow new messages unless the reader scrolled up to look at history.
  let stickToBottom = true;
  list.addEventListener('scroll', () => {
    stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  });

  function build(m) {
    const el = h(doc, 'div', { className: `calor-msg calor-msg--${m.from}` });
    el.dataset.key = m.key;
    const meta = h(doc, 'div', { className: 'calor-msg__meta' });
    if (m.from === 'agent') {
      const st = controller.getStatus();
      const name = m.agent_name || (st && st.agent_name) || 'Our team';
      meta.appendChild(h(doc, 'span', { className: 'calor-avatar', text: initialOf(name), attrs: { 'aria-hidden': 'true' } }));
      meta.appendChild(h(doc, 'span', { className: 'calor-msg__author', text: name }));
    } else if (m.from === 'bot') {
      meta.appendChild(h(doc, 'span', { className: 'calor-msg__author', text: AUTHOR.bot }));
    } else {
      meta.appendChild(h(doc, 'span', { className: SR, text: AUTHOR[m.from] || AUTHOR.system }));
    }
    const time = h(doc, 'time', { className: 'calor-msg__time' });
    meta.appendChild(time);
    const text = h(doc, 'p', { className: 'calor-msg__text' });
    const bubble = h(doc, 'div', { className: 'calor-msg__bubble' }, [text]);
    const state = h(doc, 'div', { className: 'calor-msg__state' });
    const replies = h(doc, 'div', {
      className: 'calor-quick-replies',
      attrs: { role: 'group', 'aria-label': 'Suggested replies', hidden: true },
    });
    el.append(meta, bubble, state, replies);
    el._calor = { text, time, state, replies, sig: {} };
    return el;
  }

  function renderState(parts, m) {
    clear(parts.state);
    if (m.state === 'error') {
      parts.state.appendChild(h(doc, 'span', { className: 'calor-msg__error', text: `Not sent. ${m.detail || ''}`.trim() }));
      if (m.retryable) {
        const retry = h(doc, 'button', { className: 'calor-retry', text: 'Retry', attrs: { type: 'button' } });
        retry.addEventListener('click', () => controller.retry(m.id));
        parts.state.appendChild(retry);
      }
      const remove = h(doc, 'button', {
        className: 'calor-discard',
        text: m.retryable ? 'Remove' : 'Remove message',
        attrs: { type: 'button' },
      });
      remove.addEventListener('click', () => {
        controller.discard(m.id);
        focusInput();
      });
      parts.state.appendChild(remove);
    } else if (STATE_TEXT[m.state]) {
      parts.state.appendChild(h(doc, 'span', { text: STATE_TEXT[m.state] }));
    }
  }

  function renderButtons(parts, m, show) {
    clear(parts.replies);
    parts.replies.hidden = !show;
    if (!show) return;
    for (const b of m.buttons) {
      const btn = h(doc, 'button', { className: 'calor-quick-reply', text: b.title, attrs: { type: 'button' } });
      btn.addEventListener('click', () => {
        controller.sendQuickReply(b);
        focusInput();
      });
      parts.replies.appendChild(btn);
    }
  }

  function update(el, m, showButtons) {
    const parts = el._calor;
    const sig = parts.sig;
    if (m.seq !== null && el.dataset.seq !== String(m.seq)) el.dataset.seq = String(m.seq);
    if (sig.text !== m.text) {
      clear(parts.text);
      appendLinkified(doc, parts.text, m.text);
      sig.text = m.text;
    }
    if (sig.ts !== m.ts) {
      setText(parts.time, formatTime(m.ts));
      if (m.ts) parts.time.setAttribute('datetime', m.ts);
      sig.ts = m.ts;
    }
    const stateKey = `${m.state}|${m.detail || ''}|${m.retryable}`;
    if (sig.state !== stateKey) {
      sig.state = stateKey;
      el.classList.toggle('calor-msg--pending', m.state === 'queued' || m.state === 'sending');
      el.classList.toggle('calor-msg--error', m.state === 'error');
      renderState(parts, m);
    }
    const buttonsKey = showButtons ? JSON.stringify(m.buttons) : '';
    if (sig.buttons !== buttonsKey) {
      sig.buttons = buttonsKey;
      renderButtons(parts, m, showButtons);
    }
  }

  /** Renders; returns how many messages from others arrived since the last render. */
  function render(isOpen) {
    const msgs = controller.getMessages();
    const last = msgs[msgs.length - 1];
    const keep = new Set();
    let ref = list.firstChild;
    let added = 0;
    for (const m of msgs) {
      keep.add(m.key);
      let el = nodes.get(m.key);
      if (!el) {
        el = build(m);
        nodes.set(m.key, el);
        if (seenKeys && !seenKeys.has(m.key) && m.from !== 'customer') added += 1;
      }
      // Quick replies only make sense as an answer to the latest bot turn.
      update(el, m, m === last && m.from === 'bot' && m.buttons.length > 0);
      if (el === ref) ref = ref.nextSibling;
      else list.insertBefore(el, ref);
    }
    for (const [key, el] of nodes) {
      if (!keep.has(key)) {
        el.remove();
        nodes.delete(key);
      }
    }
    seenKeys = keep;
    // Your own message just sent: show it even if you had scrolled up.
    if (isOpen && last && last.from === 'customer' && last.state !== 'sent') stickToBottom = true;
    return added;
  }

  /** After everything around the list has rendered (it may have shrunk): follow the newest. */
  function follow(isOpen) {
    if (isOpen && stickToBottom) list.scrollTop = list.scrollHeight;
  }

  return {
    el: list,
    render,
    follow,
    toBottom() {
      list.scrollTop = list.scrollHeight;
    },
  };
}
