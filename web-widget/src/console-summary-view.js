// The summary card an agent reads before saying hello: why they are here,
// in the customer's own words, what the bot already knows, and the story so far.

import { h } from './dom.js';
import { reasonLabel, categoryLabel, badgeClass } from './console-queue-view.js';

function section(doc, className, title, children) {
  return h(doc, 'div', { className }, [h(doc, 'h4', { text: title }), ...children]);
}

export function buildSummary(doc, summary, onUseOpening) {
  const card = h(doc, 'article', { className: 'cc-summary', attrs: { 'aria-label': 'Summary' } });
  card.appendChild(h(doc, 'h3', { className: 'cc-summary__title', text: 'Summary' }));
  if (!summary) {
    card.appendChild(h(doc, 'p', { className: 'cc-muted', text: 'No summary for this conversation.' }));
    return card;
  }
  const cat = categoryLabel(summary.category);
  const top = h(doc, 'div', { className: 'cc-summary__top' });
  if (cat) top.appendChild(h(doc, 'span', { className: `${badgeClass(summary.category)} cc-summary__category`, text: cat }));
  top.appendChild(h(doc, 'span', { className: 'cc-summary__reason', text: reasonLabel(summary.reason) }));
  card.appendChild(top);
  if (summary.headline) card.appendChild(h(doc, 'p', { className: 'cc-summary__headline', text: summary.headline }));
  if (summary.cue) {
    card.appendChild(
      h(doc, 'figure', { className: 'cc-summary__cue' }, [
        h(doc, 'blockquote', { className: 'cc-cue', text: `“${summary.cue}”` }),
        h(doc, 'figcaption', { text: "the customer's own words" }),
      ]),
    );
  }
  if (summary.task) {
    const dl = h(doc, 'dl', { className: 'cc-summary__slots' });
    for (const [k, v] of Object.entries(summary.task.slots)) dl.append(h(doc, 'dt', { text: k }), h(doc, 'dd', { text: v }));
    card.appendChild(
      section(doc, 'cc-summary__task', 'Task', [h(doc, 'p', { className: 'cc-summary__intent', text: summary.task.intent }), dl]),
    );
  }
  if (summary.suggested_opening) {
    const use = h(doc, 'button', {
      className: 'cc-use-opening cc-button cc-button--quiet',
      text: 'Use this opening',
      attrs: { type: 'button' },
    });
    use.addEventListener('click', () => onUseOpening(summary.suggested_opening));
    card.appendChild(
      section(doc, 'cc-summary__opening', 'Suggested opening', [h(doc, 'p', { className: 'cc-opening', text: summary.suggested_opening }), use]),
    );
  }
  if (summary.unstated_needs.length) {
    card.appendChild(
      section(doc, 'cc-summary__needs', 'They may also need', [
        h(doc, 'ul', {}, summary.unstated_needs.map((n) => h(doc, 'li', { text: n }))),
      ]),
    );
  }
  if (summary.history.length) {
    card.appendChild(
      section(doc, 'cc-summary__history', 'Earlier conversations', [
        h(doc, 'ol', { className: 'cc-history' }, summary.history.map((line) => h(doc, 'li', { text: line }))),
      ]),
    );
  }
  return card;
}
