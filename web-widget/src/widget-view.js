// DOM for the customer widget. Kept thin: it reads the controller's view
// model and forwards clicks and keys; decisions live in controller.js.

import { h, setText, focusables } from './dom.js';
import { statusText } from './status.js';
import { MAX_TEXT } from './messages.js';
import { createMessageList } from './widget-messages.js';
import { createCrisisPanel, createFeedbackPrompt, createTypingIndicator } from './widget-care.js';
import { createLeaveMessagePanel } from './widget-leave.js';

const OPEN_KEY = 'calor.open';

export function createWidgetView({ doc, controller, container, title = 'Chat with us', win = doc.defaultView, session = null }) {
  const srOnly = 'calor-sr-only';

  const badge = h(doc, 'span', { className: 'calor-launcher__badge', attrs: { 'aria-hidden': 'true', hidden: true } });
  const badgeSr = h(doc, 'span', { className: srOnly });
  const launcherLabel = h(doc, 'span', { className: 'calor-launcher__label', text: 'Chat with us' });
  const launcher = h(
    doc,
    'button',
    {
      id: 'calor-launcher',
      className: 'calor-launcher',
      attrs: { type: 'button', 'aria-controls': 'calor-panel', 'aria-expanded': 'false', 'aria-haspopup': 'dialog' },
    },
    [
      h(doc, 'span', { className: 'calor-launcher__icon', attrs: { 'aria-hidden': 'true' } }),
      launcherLabel,
      badgeSr,
      badge,
    ],
  );

  const titleEl = h(doc, 'h2', { id: 'calor-title', className: 'calor-title', text: title });
  const statusEl = h(doc, 'p', { id: 'calor-status', className: 'calor-status', attrs: { role: 'status' } });
  const closeBtn = h(doc, 'button', {
    id: 'calor-close',
    className: 'calor-close',
    attrs: { type: 'button', 'aria-label': 'Close chat', title: 'Close chat' },
  });
  closeBtn.appendChild(h(doc, 'span', { attrs: { 'aria-hidden': 'true' }, text: '×' }));

  const humanBtn = h(doc, 'button', {
    id: 'calor-human',
    className: 'calor-human',
    text: 'Talk to a person',
    attrs: { type: 'button' },
  });

  const banner = h(doc, 'div', {
    id: 'calor-connection',
    className: 'calor-connection',
    attrs: { role: 'status', hidden: true },
  });

  const notice = h(doc, 'p', { id: 'calor-notice', className: 'calor-notice', attrs: { role: 'status', hidden: true } });

  const input = h(doc, 'textarea', {
    id: 'calor-input',
    className: 'calor-input',
    attrs: {
      rows: '1',
      maxlength: String(MAX_TEXT),
      placeholder: 'Type your message…',
      autocomplete: 'off',
      'aria-describedby': 'calor-input-hint calor-input-error',
    },
  });
  const inputError = h(doc, 'p', {
    id: 'calor-input-error',
    className: 'calor-input-error',
    attrs: { role: 'alert', hidden: true },
  });
  const sendBtn = h(doc, 'button', { id: 'calor-send', className: 'calor-send', text: 'Send', attrs: { type: 'submit' } });
  const form = h(doc, 'form', { id: 'calor-form', className: 'calor-composer', attrs: { novalidate: true } }, [
    h(doc, 'label', { className: srOnly, text: 'Your message', attrs: { for: 'calor-input' } }),
    h(doc, 'div', { className: 'calor-input-row' }, [input, sendBtn]),
    inputError,
    h(doc, 'p', {
      id: 'calor-input-hint',
      className: srOnly,
      text: 'Press Enter to send, Shift and Enter for a new line.',
    }),
  ]);

  const messages = createMessageList({ doc, controller, focusInput: () => input.focus() });
  const crisis = createCrisisPanel({ doc, controller });
  const feedback = createFeedbackPrompt({ doc, controller });
  const typing = createTypingIndicator({ doc, controller });
  const away = createLeaveMessagePanel({ doc, controller });
  const parts = [crisis, typing, feedback, away];

  const panel = h(
    doc,
    'section',
    {
      id: 'calor-panel',
      className: 'calor-panel',
      attrs: { role: 'dialog', 'aria-labelledby': 'calor-title', 'aria-describedby': 'calor-status', hidden: true },
    },
    [
      h(doc, 'header', { className: 'calor-header' }, [
        h(doc, 'div', { className: 'calor-header__text' }, [titleEl, statusEl]),
        closeBtn,
      ]),
      h(doc, 'div', { className: 'calor-toolbar' }, [humanBtn]),
      crisis.el,
      banner,
      messages.el,
      typing.el,
      typing.live,
      feedback.el,
      away.el,
      notice,
      form,
    ],
  );

  const root = h(doc, 'div', { id: 'calor-widget', className: 'calor-root' }, [panel, launcher]);
  container.appendChild(root);

  let unread = 0;
  const narrow = win && typeof win.matchMedia === 'function' ? win.matchMedia('(max-width: 480px)') : null;

  function isOpen() {
    return !panel.hidden;
  }

  function remember(isOpenNow) {
    try {
      if (session) session.setItem(OPEN_KEY, isOpenNow ? 'true' : 'false');
    } catch {
      // Not remembered across pages; nothing else changes.
    }
  }

  function wasOpen() {
    try {
      return Boolean(session) && session.getItem(OPEN_KEY) === 'true';
    } catch {
      return false;
    }
  }

  /** Opens the chat; `restore` (after a reload) leaves the focus where the page put it. */
  function open({ restore = false } = {}) {
    if (isOpen()) return;
    panel.hidden = false;
    root.classList.add('calor-root--open');
    launcher.setAttribute('aria-expanded', 'true');
    // Full screen on a phone: behave as a modal so focus can't wander behind it.
    panel.setAttribute('aria-modal', narrow && narrow.matches ? 'true' : 'false');
    unread = 0;
    controller.start();
    render();
    messages.toBottom();
    remember(true);
    if (!restore) input.focus();
  }

  function close() {
    if (!isOpen()) return;
    panel.hidden = true;
    root.classList.remove('calor-root--open');
    launcher.setAttribute('aria-expanded', 'false');
    remember(false);
    render();
    launcher.focus();
  }

  function showInputError(text) {
    setText(inputError, text || '');
    inputError.hidden = !text;
  }

  function submit() {
    const res = controller.send(input.value);
    if (!res.ok) {
      showInputError(res.detail);
      return;
    }
    showInputError('');
    input.value = '';
    autosize();
    controller.stopTyping();
    input.focus();
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 140)}px`;
  }

  launcher.addEventListener('click', () => (isOpen() ? close() : open()));
  closeBtn.addEventListener('click', close);
  humanBtn.addEventListener('click', () => controller.requestHuman());
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  input.addEventListener('input', () => {
    if (!inputError.hidden) showInputError('');
    autosize();
    controller.noteTyping(input.value.trim() !== '');
  });
  input.addEventListener('blur', () => controller.stopTyping());
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
      return;
    }
    if (e.key === 'Tab' && narrow && narrow.matches) {
      const items = focusables(panel);
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (e.shiftKey && doc.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && doc.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  function render() {
    const added = messages.render(isOpen());
    if (!isOpen() && added) unread += added;
    for (const part of parts) part.render();
    const status = controller.getStatus();
    setText(statusEl, statusText(status) || 'We usually answer within seconds.');
    panel.dataset.state = status ? status.state : 'bot';

    const conn = controller.getConnection();
    const showBanner = controller.isStarted() && conn !== 'connected';
    banner.hidden = !showBanner;
    setText(banner, conn === 'reconnecting' ? 'Reconnecting…' : conn === 'connecting' ? 'Connecting…' : '');
    panel.dataset.connection = conn;

    const n = controller.getNotice();
    notice.hidden = !n;
    setText(notice, n || '');

    setText(launcherLabel, isOpen() ? 'Close chat' : 'Chat with us');
    badge.hidden = unread === 0;
    setText(badge, unread > 9 ? '9+' : String(unread || ''));
    setText(badgeSr, unread ? `, ${unread} new ${unread === 1 ? 'message' : 'messages'}` : '');
    messages.follow(isOpen());
  }

  controller.subscribe(render);
  render();
  if (wasOpen()) open({ restore: true });

  return { open, close, isOpen, root, render };
}
