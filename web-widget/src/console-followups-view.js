// Follow-ups: messages, callback requests and crisis flags left while nobody
// could answer. Urgent ones first and marked so; each has a Done button.

import { h, setText, formatTime } from './dom.js';
import { KIND_LABELS } from './console-model.js';

export function createFollowupsView({ doc, controller }) {
  const count = h(doc, 'span', { id: 'cc-followups-count', className: 'cc-count cc-count--quiet', text: '0' });
  const list = h(doc, 'ul', { id: 'cc-followups-list', className: 'cc-followups-list', attrs: { 'aria-labelledby': 'cc-followups-title' } });
  const empty = h(doc, 'p', { className: 'cc-empty', text: 'Nothing to follow up.' });
  const el = h(doc, 'section', { id: 'cc-followups', className: 'cc-followups', attrs: { 'aria-labelledby': 'cc-followups-title', tabindex: '-1' } }, [
    h(doc, 'h2', { id: 'cc-followups-title', className: 'cc-section-title' }, ['Follow-ups ', count]),
    list,
    empty,
  ]);
  const nodes = new Map();

  function build(f) {
    const li = h(doc, 'li', { className: 'cc-followup' });
    li.setAttribute('data-followup-id', String(f.followup_id));
    const urgent = h(doc, 'span', { className: 'cc-badge cc-badge--crisis cc-followup__urgent', text: 'Urgent', attrs: { hidden: true } });
    const kind = h(doc, 'span', { className: 'cc-badge cc-followup__kind' });
    const when = h(doc, 'time', { className: 'cc-followup__when' });
    const text = h(doc, 'p', { className: 'cc-followup__text' });
    const callback = h(doc, 'p', { className: 'cc-followup__callback', attrs: { hidden: true } });
    const convo = h(doc, 'a', { className: 'cc-followup__conversation' });
    const done = h(doc, 'button', { className: 'cc-followup-done cc-button', text: 'Done', attrs: { type: 'button' } });
    const error = h(doc, 'p', { className: 'cc-error cc-followup__error', attrs: { role: 'alert', hidden: true } });
    done.addEventListener('click', () => controller.followupDone(f.followup_id));
    convo.addEventListener('click', (e) => {
      // Open here when this console has that conversation; otherwise the id is what they need.
      if (f.conversation_id && controller.getTab(f.conversation_id)) {
        e.preventDefault();
        controller.selectTab(f.conversation_id);
      }
    });
    li.append(
      h(doc, 'div', { className: 'cc-followup__top' }, [h(doc, 'div', { className: 'cc-badges' }, [urgent, kind]), when]),
      text,
      callback,
      h(doc, 'div', { className: 'cc-followup__actions' }, [convo, done]),
      error,
    );
    li._cc = { urgent, kind, when, text, callback, convo, done, error };
    return li;
  }

  function update(li, f) {
    const p = li._cc;
    li.classList.toggle('cc-followup--urgent', f.urgent);
    p.urgent.hidden = !f.urgent;
    setText(p.kind, KIND_LABELS[f.kind]);
    p.kind.className = `cc-badge cc-followup__kind cc-followup__kind--${f.kind}`;
    setText(p.when, formatTime(f.created_at));
    if (f.created_at) p.when.setAttribute('datetime', f.created_at);
    setText(p.text, f.text || '(no message)');
    p.callback.hidden = !f.callback;
    setText(p.callback, f.callback ? `Call back on ${f.callback}` : '');
    const id = f.conversation_id || '';
    setText(p.convo, id ? `Conversation ${id.slice(-8)}` : 'No conversation');
    if (id) p.convo.setAttribute('href', `#conversation-${encodeURIComponent(id)}`);
    p.convo.setAttribute('title', id);
    p.convo.setAttribute('data-conversation-id', id);
    p.done.disabled = f.done.busy;
    setText(p.done, f.done.busy ? 'Saving…' : 'Done');
    p.done.setAttribute('aria-label', `Done: ${KIND_LABELS[f.kind]}${f.urgent ? ' (urgent)' : ''}, ${(f.text || '').slice(0, 60)}`);
    p.error.hidden = !f.done.error;
    setText(p.error, f.done.error || '');
  }

  function render() {
    const items = controller.getFollowups();
    const keep = new Set();
    let ref = list.firstChild;
    for (const f of items) {
      const key = String(f.followup_id);
      keep.add(key);
      let li = nodes.get(key);
      if (!li) {
        li = build(f);
        nodes.set(key, li);
      }
      update(li, f);
      if (li === ref) ref = ref.nextSibling;
      else list.insertBefore(li, ref);
    }
    for (const [key, li] of nodes) {
      if (keep.has(key)) continue;
      const hadFocus = li.contains(doc.activeElement);
      li.remove();
      nodes.delete(key);
      if (hadFocus) (list.querySelector('.cc-followup-done') || el).focus();
    }
    setText(count, String(items.length));
    count.classList.toggle('cc-count--urgent', items.some((f) => f.urgent));
    empty.hidden = items.length > 0;
  }

  return { el, render };
}
