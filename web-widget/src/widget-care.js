// The parts of the widget that look after the person rather than the task:
// crisis resources that stay on screen, "Did you feel heard?" after a close,
// and who is typing.

import { appendLinkified } from './linkify.js';
import { h, clear, setText } from './dom.js';
import { createTypingAnnouncer } from './typing.js';

const SR = 'calor-sr-only';

/** Outside the scrolling log, so it can be neither closed nor scrolled away. */
export function createCrisisPanel({ doc, controller }) {
  const list = h(doc, 'ul', { className: 'calor-crisis__list' });
  const el = h(
    doc,
    'section',
    { id: 'calor-crisis', className: 'calor-crisis', attrs: { role: 'region', 'aria-label': 'Help right now', hidden: true } },
    [h(doc, 'p', { className: 'calor-crisis__title', text: 'If you need help right now' }), list],
  );
  let sig = null;

  function render() {
    const resources = controller.getCrisis();
    el.hidden = !resources;
    const key = JSON.stringify(resources);
    if (key === sig) return;
    sig = key;
    clear(list);
    for (const r of resources || []) {
      const contact = h(doc, 'span', { className: 'calor-crisis__contact' });
      appendLinkified(doc, contact, r.contact);
      list.appendChild(
        h(doc, 'li', { className: 'calor-crisis__item' }, [
          h(doc, 'span', { className: 'calor-crisis__label', text: r.label }),
          contact,
        ]),
      );
    }
  }

  return { el, render };
}

export function createFeedbackPrompt({ doc, controller }) {
  const question = h(doc, 'p', { id: 'calor-feedback-question', className: 'calor-feedback__question', text: 'Did you feel heard?' });
  const yes = h(doc, 'button', { id: 'calor-feedback-yes', className: 'calor-feedback__answer', text: 'Yes', attrs: { type: 'button' } });
  const no = h(doc, 'button', { id: 'calor-feedback-no', className: 'calor-feedback__answer', text: 'No', attrs: { type: 'button' } });
  const error = h(doc, 'p', { className: 'calor-feedback__error', attrs: { role: 'alert', hidden: true } });
  const ask = h(doc, 'div', { className: 'calor-feedback__ask', attrs: { role: 'group', 'aria-labelledby': 'calor-feedback-question' } }, [
    question,
    h(doc, 'div', { className: 'calor-feedback__answers' }, [yes, no]),
  ]);
  const thanks = h(doc, 'p', {
    id: 'calor-feedback-thanks',
    className: 'calor-feedback__thanks',
    text: 'Thank you for telling us.',
    attrs: { role: 'status', hidden: true },
  });
  const el = h(doc, 'div', { id: 'calor-feedback', className: 'calor-feedback', attrs: { hidden: true } }, [ask, error, thanks]);
  yes.addEventListener('click', () => controller.answerFeedback(true));
  no.addEventListener('click', () => controller.answerFeedback(false));

  function render() {
    const f = controller.getFeedback();
    const hadFocus = el.contains(doc.activeElement);
    el.hidden = !f.ask && !f.thanked;
    ask.hidden = !f.ask;
    yes.disabled = f.busy;
    no.disabled = f.busy;
    error.hidden = !f.error;
    setText(error, f.error || '');
    thanks.hidden = !f.thanked;
    // The answer buttons just disappeared: keep the keyboard user somewhere sensible.
    if (hadFocus && f.thanked) {
      thanks.setAttribute('tabindex', '-1');
      thanks.focus();
    }
  }

  return { el, render };
}

/** "Maria is typing…": shown while it lasts, announced once, not on every flicker. */
export function createTypingIndicator({ doc, controller }) {
  const text = h(doc, 'span', { className: 'calor-typing__text' });
  const el = h(doc, 'p', { id: 'calor-typing', className: 'calor-typing', attrs: { 'aria-hidden': 'true', hidden: true } }, [
    h(doc, 'span', { className: 'calor-typing__dots' }, [h(doc, 'span'), h(doc, 'span'), h(doc, 'span')]),
    text,
  ]);
  const live = h(doc, 'p', { id: 'calor-typing-live', className: SR, attrs: { 'aria-live': 'polite' } });
  const announcer = createTypingAnnouncer();

  function render() {
    const t = controller.getTyping();
    const words = !t ? '' : t.from === 'bot' ? 'Our assistant is typing…' : `${t.name || 'Our team'} is typing…`;
    el.hidden = !words;
    setText(text, words);
    if (!words) return;
    const said = announcer.announce(words);
    if (said) setText(live, said);
  }

  return { el, live, render };
}
