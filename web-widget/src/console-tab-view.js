// One open conversation in the console: its tab, and a panel with the
// summary, the transcript, the reply box, and the two ways to end it
// (close with next steps, or hand back to the bot).

import { h, clear, setText } from './dom.js';
import { MAX_TEXT } from './messages.js';
import { createTypingAnnouncer } from './typing.js';
import { buildSummary } from './console-summary-view.js';
import { createTranscriptView } from './console-transcript-view.js';

export function tabTitle(t) {
  if (t.summary && t.summary.headline) {
    const hl = t.summary.headline;
    return hl.length > 40 ? `${hl.slice(0, 39)}…` : hl;
  }
  return `Conversation ${t.conversation_id.slice(-6)}`;
}

function endedPrefix(t) {
  if (t.ended === 'handback') return 'Handed back: ';
  return t.closed ? 'Closed: ' : '';
}

export function createTabView({ doc, controller, t, nextId, onKey, onDismissed }) {
  const id = t.conversation_id;
  const tabId = nextId('cc-tab');
  const panelId = nextId('cc-panel');
  const inputId = nextId('cc-input');
  const nextStepsId = nextId('cc-next-steps');
  const noteId = nextId('cc-handback-note');

  const tabLabel = h(doc, 'span', { className: 'cc-tab__label' });
  const tabBadge = h(doc, 'span', { className: 'cc-tab__unread', attrs: { hidden: true } });
  const tab = h(doc, 'button', {
    id: tabId,
    className: 'cc-tab',
    attrs: { type: 'button', role: 'tab', 'aria-controls': panelId, 'aria-selected': 'false', tabindex: '-1' },
  }, [tabLabel, tabBadge]);
  tab.setAttribute('data-conversation-id', id);
  tab.addEventListener('click', () => controller.selectTab(id));
  tab.addEventListener('keydown', onKey);

  const summarySlot = h(doc, 'div', { className: 'cc-summary-slot' });
  const transcript = createTranscriptView({ doc, controller, conversationId: id });
  const typing = h(doc, 'p', { className: 'cc-typing', text: 'Customer is typing…', attrs: { 'aria-hidden': 'true', hidden: true } });
  const typingLive = h(doc, 'p', { className: 'cc-sr-only', attrs: { 'aria-live': 'polite' } });
  const announcer = createTypingAnnouncer();

  const input = h(doc, 'textarea', { id: inputId, className: 'cc-input cc-field', attrs: { rows: '3', maxlength: String(MAX_TEXT) } });
  const sendError = h(doc, 'p', { className: 'cc-send-error cc-error', attrs: { role: 'alert', hidden: true } });
  const sendForm = h(doc, 'form', { className: 'cc-send-form', attrs: { novalidate: true } }, [
    h(doc, 'label', { text: 'Reply to the customer', attrs: { for: inputId } }),
    input,
    h(doc, 'div', { className: 'cc-form-row' }, [
      h(doc, 'span', { className: 'cc-hint', text: 'Enter sends, Shift+Enter adds a line.' }),
      h(doc, 'button', { className: 'cc-send cc-button cc-button--primary', text: 'Send', attrs: { type: 'submit' } }),
    ]),
    sendError,
  ]);

  const nextSteps = h(doc, 'textarea', { id: nextStepsId, className: 'cc-next-steps cc-field', attrs: { rows: '2', maxlength: String(MAX_TEXT) } });
  const closeError = h(doc, 'p', { className: 'cc-close-error cc-error', attrs: { role: 'alert', hidden: true } });
  const closeBtn = h(doc, 'button', { className: 'cc-close cc-button', text: 'Close conversation', attrs: { type: 'submit' } });
  const closeForm = h(doc, 'form', { className: 'cc-close-form', attrs: { novalidate: true } }, [
    h(doc, 'label', { text: 'Next steps for the customer', attrs: { for: nextStepsId } }),
    nextSteps,
    h(doc, 'div', { className: 'cc-form-row' }, [
      h(doc, 'span', { className: 'cc-hint', text: 'They see: “Here\u2019s what happens next: …”' }),
      closeBtn,
    ]),
    closeError,
  ]);

  const note = h(doc, 'textarea', { id: noteId, className: 'cc-handback-note cc-field', attrs: { rows: '2', maxlength: String(MAX_TEXT) } });
  const handbackError = h(doc, 'p', { className: 'cc-handback-error cc-error', attrs: { role: 'alert', hidden: true } });
  const handbackBtn = h(doc, 'button', { className: 'cc-handback cc-button', text: 'Hand back to the bot', attrs: { type: 'submit' } });
  const handbackForm = h(doc, 'form', { className: 'cc-handback-form', attrs: { novalidate: true } }, [
    h(doc, 'label', { text: 'Note for the assistant (optional)', attrs: { for: noteId } }),
    note,
    h(doc, 'div', { className: 'cc-form-row' }, [
      h(doc, 'span', { className: 'cc-hint', text: 'The assistant carries on without greeting again.' }),
      handbackBtn,
    ]),
    handbackError,
  ]);

  const closedText = h(doc, 'p');
  const dismiss = h(doc, 'button', { className: 'cc-dismiss cc-button cc-button--quiet', text: 'Remove this tab', attrs: { type: 'button' } });
  const closedNote = h(doc, 'div', { className: 'cc-closed-note', attrs: { hidden: true } }, [closedText, dismiss]);

  const panel = h(doc, 'section', {
    id: panelId,
    className: 'cc-tabpanel',
    attrs: { role: 'tabpanel', 'aria-labelledby': tabId, tabindex: '-1', hidden: true },
  }, [
    h(doc, 'div', { className: 'cc-side' }, [summarySlot, closeForm, handbackForm]),
    h(doc, 'div', { className: 'cc-chat' }, [transcript.el, typing, typingLive, closedNote, sendForm]),
  ]);
  panel.setAttribute('data-conversation-id', id);

  function submitSend() {
    const res = controller.sendMessage(id, input.value);
    sendError.hidden = res.ok;
    if (!res.ok) {
      setText(sendError, res.detail || 'The message could not be sent.');
      return;
    }
    input.value = '';
  }
  sendForm.addEventListener('submit', (e) => {
    e.preventDefault();
    submitSend();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submitSend();
    }
  });
  input.addEventListener('input', () => controller.noteTyping(id, input.value.trim() !== ''));
  input.addEventListener('blur', () => controller.stopTyping(id));
  closeForm.addEventListener('submit', (e) => {
    e.preventDefault();
    controller.closeConversation(id, nextSteps.value);
  });
  handbackForm.addEventListener('submit', (e) => {
    e.preventDefault();
    controller.handBack(id, note.value);
  });
  dismiss.addEventListener('click', () => {
    controller.dismissTab(id);
    onDismissed();
  });

  let summaryKey = null;
  let wasSelected = false;

  function update(v, selected) {
    tab.setAttribute('aria-selected', selected ? 'true' : 'false');
    tab.setAttribute('tabindex', selected ? '0' : '-1');
    tab.classList.toggle('cc-tab--closed', v.closed);
    tab.classList.toggle('cc-tab--handed-back', v.ended === 'handback');
    setText(tabLabel, `${endedPrefix(v)}${tabTitle(v)}`);
    tabBadge.hidden = !v.unread;
    setText(tabBadge, v.unread ? `${v.unread} new` : '');
    panel.hidden = !selected;

    const key = JSON.stringify(v.summary);
    if (summaryKey !== key) {
      summaryKey = key;
      clear(summarySlot);
      summarySlot.appendChild(
        buildSummary(doc, v.summary, (opening) => {
          input.value = opening;
          input.focus();
        }),
      );
    }

    transcript.render(v.messages, { selected, wasSelected });
    wasSelected = selected;

    const showTyping = v.typing && !v.closed;
    typing.hidden = !showTyping;
    if (showTyping) {
      const said = announcer.announce('Customer is typing…');
      if (said) setText(typingLive, said);
    }

    setText(
      closedText,
      v.ended === 'handback'
        ? 'You handed this conversation back to the assistant.'
        : 'This conversation is closed. The customer was sent your next steps.',
    );
    closedNote.hidden = !v.closed;
    closeForm.hidden = v.closed;
    handbackForm.hidden = v.closed;
    sendForm.hidden = v.closed;
    const busy = v.closeBusy || v.handbackBusy;
    closeBtn.disabled = busy;
    handbackBtn.disabled = busy;
    setText(closeBtn, v.closeBusy ? 'Closing…' : 'Close conversation');
    setText(handbackBtn, v.handbackBusy ? 'Handing back…' : 'Hand back to the bot');
    closeError.hidden = !v.closeError;
    setText(closeError, v.closeError || '');
    handbackError.hidden = !v.handbackError;
    setText(handbackError, v.handbackError || '');
    panel.dataset.state = v.state;
  }

  return { tab, panel, input, update };
}
