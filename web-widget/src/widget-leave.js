// When nobody can answer: say so plainly (and when they are back), and
// offer to leave a message or a number to call back. The customer can keep
// chatting with the assistant meanwhile; this never takes the composer away.

import { h, setText } from './dom.js';
import { MAX_TEXT } from './messages.js';

export function awayText(status) {
  if (!status || status.state !== 'queued' || status.agents_available !== false) return null;
  return status.opens
    ? `Our team is away right now and back ${status.opens}. You'll keep your place in line.`
    : "Nobody from our team is available right now. You'll keep your place in line.";
}

export function createLeaveMessagePanel({ doc, controller }) {
  const text = h(doc, 'p', { id: 'calor-away-text', className: 'calor-away__text' });
  const toggle = h(doc, 'button', {
    id: 'calor-leave-toggle',
    className: 'calor-leave-toggle',
    text: 'Leave a message',
    attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'calor-leave-form' },
  });
  const message = h(doc, 'textarea', {
    id: 'calor-leave-text',
    className: 'calor-field',
    attrs: { rows: '2', maxlength: String(MAX_TEXT), 'aria-describedby': 'calor-leave-error' },
  });
  const phone = h(doc, 'input', {
    id: 'calor-leave-phone',
    className: 'calor-field',
    attrs: { type: 'tel', autocomplete: 'tel', inputmode: 'tel', maxlength: '32', 'aria-describedby': 'calor-leave-error' },
  });
  const error = h(doc, 'p', { id: 'calor-leave-error', className: 'calor-leave__error', attrs: { role: 'alert', hidden: true } });
  const submit = h(doc, 'button', { id: 'calor-leave-send', className: 'calor-leave__send', text: 'Send message', attrs: { type: 'submit' } });
  const cancel = h(doc, 'button', { id: 'calor-leave-cancel', className: 'calor-leave__cancel', text: 'Cancel', attrs: { type: 'button' } });
  const form = h(doc, 'form', { id: 'calor-leave-form', className: 'calor-leave', attrs: { novalidate: true, hidden: true } }, [
    h(doc, 'label', { text: 'Your message for our team', attrs: { for: 'calor-leave-text' } }),
    message,
    h(doc, 'label', { text: 'Phone number to call you back (optional)', attrs: { for: 'calor-leave-phone' } }),
    phone,
    error,
    h(doc, 'div', { className: 'calor-leave__actions' }, [cancel, submit]),
  ]);
  const done = h(doc, 'p', { id: 'calor-leave-done', className: 'calor-leave__done', attrs: { role: 'status', hidden: true } });
  const row = h(doc, 'div', { className: 'calor-away__row' }, [text, toggle]);
  const el = h(doc, 'div', { id: 'calor-away', className: 'calor-away', attrs: { hidden: true } }, [
    row,
    form,
    done,
  ]);
  let expanded = false;

  toggle.addEventListener('click', () => {
    expanded = !expanded;
    render();
    if (expanded) message.focus();
  });
  cancel.addEventListener('click', () => {
    expanded = false;
    render();
    toggle.focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    controller.leaveMessage(message.value, phone.value);
  });

  let wasSent = null;
  function render() {
    const words = awayText(controller.getStatus());
    const lm = controller.getLeaveMessage();
    const formHadFocus = form.contains(doc.activeElement);
    el.hidden = !words;
    setText(text, words || '');
    if (lm.sent && lm.sent !== wasSent) {
      // Sent: clear the form and say what happens now.
      message.value = '';
      phone.value = '';
      expanded = false;
      setText(done, lm.sent.callback ? `Sent. We'll call you back on ${lm.sent.callback}.` : "Sent. We'll answer you here.");
    }
    wasSent = lm.sent;
    done.hidden = !lm.sent;
    toggle.hidden = !words;
    setText(toggle, lm.sent ? 'Leave another message' : 'Leave a message');
    form.hidden = !expanded || !words;
    // The header already says nobody is free; the open form gets the room.
    row.hidden = expanded && Boolean(words);
    toggle.setAttribute('aria-expanded', expanded && words ? 'true' : 'false');
    submit.disabled = lm.busy;
    setText(submit, lm.busy ? 'Sending…' : 'Send message');
    error.hidden = !lm.error;
    setText(error, lm.error || '');
    // The form just closed under the keyboard: land on the button that opens it again.
    if (formHadFocus && form.hidden && !toggle.hidden) toggle.focus();
    if (lm.sent && expanded) controller.leaveAnother();
  }

  return { el, render };
}
