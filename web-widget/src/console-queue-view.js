// The queue: who is waiting, most urgent first, with what the agent needs
// to pick well (category, priority, "helped before", how long).

import { h, setText } from './dom.js';
import { formatWait } from './status.js';
import { REASON_LABELS, CATEGORY_LABELS, PRIORITY_LABELS } from './console-model.js';

export function reasonLabel(reason) {
  return REASON_LABELS[reason] || (reason ? String(reason) : 'Reason not given');
}

export function categoryLabel(category) {
  return CATEGORY_LABELS[category] || (category ? String(category) : null);
}

// Category names go into a class name, so only known ones are used there.
export function badgeClass(category) {
  return CATEGORY_LABELS[category] ? `cc-badge cc-badge--${category}` : 'cc-badge';
}

export function createQueueView({ doc, controller }) {
  const count = h(doc, 'span', { id: 'cc-queue-count', className: 'cc-count', text: '0' });
  const list = h(doc, 'ul', { id: 'cc-queue-list', className: 'cc-queue-list', attrs: { 'aria-labelledby': 'cc-queue-title' } });
  const empty = h(doc, 'p', { id: 'cc-queue-empty', className: 'cc-empty', text: 'No one is waiting right now.' });
  const more = h(doc, 'p', { id: 'cc-queue-more', className: 'cc-empty', attrs: { hidden: true } });
  const el = h(doc, 'section', { id: 'cc-queue', className: 'cc-queue', attrs: { 'aria-labelledby': 'cc-queue-title', tabindex: '-1' } }, [
    h(doc, 'h2', { id: 'cc-queue-title', className: 'cc-section-title' }, ['Waiting ', count]),
    list,
    more,
    empty,
  ]);
  const nodes = new Map();

  function build(q) {
    const li = h(doc, 'li', { className: 'cc-queue-item' });
    li.setAttribute('data-conversation-id', q.conversation_id);
    const badge = h(doc, 'span', { className: 'cc-badge' });
    const priority = h(doc, 'span', { className: 'cc-priority' });
    const helped = h(doc, 'span', { className: 'cc-badge cc-helped-before', text: 'Helped before', attrs: { hidden: true } });
    const headline = h(doc, 'p', { className: 'cc-queue-headline' });
    const reason = h(doc, 'p', { className: 'cc-queue-reason' });
    const wait = h(doc, 'p', { className: 'cc-queue-wait' });
    const accept = h(doc, 'button', { className: 'cc-accept cc-button cc-button--primary', text: 'Accept', attrs: { type: 'button' } });
    const error = h(doc, 'p', { className: 'cc-accept-error cc-error', attrs: { hidden: true } });
    accept.addEventListener('click', () => controller.accept(q.conversation_id));
    li.append(
      h(doc, 'div', { className: 'cc-queue-item__top' }, [h(doc, 'div', { className: 'cc-badges' }, [priority, badge, helped]), wait]),
      headline,
      reason,
      accept,
      error,
    );
    li._cc = { badge, priority, helped, headline, reason, wait, accept, error };
    return li;
  }

  function update(li, q) {
    const p = li._cc;
    const cat = categoryLabel(q.category);
    p.badge.className = badgeClass(q.category);
    setText(p.badge, cat || 'General');
    const prio = Number.isInteger(q.priority) ? PRIORITY_LABELS[Math.min(Math.max(q.priority, 0), 3)] : null;
    p.priority.hidden = !prio;
    p.priority.className = `cc-badge cc-priority cc-priority--${Number.isInteger(q.priority) ? Math.min(Math.max(q.priority, 0), 3) : 'x'}`;
    setText(p.priority, prio || '');
    p.priority.setAttribute('title', prio ? `Priority ${q.priority} (0 is the most urgent)` : '');
    p.helped.hidden = !q.helped_before;
    p.helped.setAttribute('title', 'You helped this customer before');
    li.classList.toggle('cc-queue-item--urgent', q.priority === 0);
    setText(p.headline, q.headline || 'A customer is waiting');
    setText(p.reason, reasonLabel(q.reason));
    setText(p.wait, `Waiting ${formatWait(q.waiting_now)}`);
    p.accept.disabled = q.accept.busy;
    setText(p.accept, q.accept.busy ? 'Accepting…' : 'Accept');
    p.accept.setAttribute('aria-label', `Accept: ${q.headline || 'a customer is waiting'}`);
    p.error.hidden = !q.accept.error;
    setText(p.error, q.accept.error || '');
  }

  function render() {
    const items = controller.getQueue();
    const keep = new Set();
    let ref = list.firstChild;
    for (const q of items) {
      keep.add(q.conversation_id);
      let li = nodes.get(q.conversation_id);
      if (!li) {
        li = build(q);
        nodes.set(q.conversation_id, li);
      }
      update(li, q);
      if (li === ref) ref = ref.nextSibling;
      else list.insertBefore(li, ref);
    }
    for (const [id, li] of nodes) {
      if (!keep.has(id)) {
        // Removing the focused Accept button would drop focus to <body>.
        const hadFocus = li.contains(doc.activeElement);
        li.remove();
        nodes.delete(id);
        if (hadFocus) (list.querySelector('.cc-accept') || el).focus();
      }
    }
    const total = controller.getQueueTotal();
    setText(count, String(total));
    more.hidden = total <= items.length;
    setText(more, more.hidden ? '' : `and ${total - items.length} more waiting`);
    empty.hidden = total > 0;
    return total;
  }

  function tick() {
    for (const q of controller.getQueue()) {
      const li = nodes.get(q.conversation_id);
      if (li) setText(li._cc.wait, `Waiting ${formatWait(q.waiting_now)}`);
    }
  }

  return { el, render, tick, focusFirst: () => (list.querySelector('.cc-accept') || el).focus() };
}
