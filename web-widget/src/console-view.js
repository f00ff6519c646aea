// DOM for the agent console: the frame around the login, queue, follow-ups
// and conversation views. Everything a customer wrote (and every summary
// field, which is derived from it) reaches the page as text nodes only.

import { h, setText } from './dom.js';
import { createLoginView } from './console-login-view.js';
import { createQueueView } from './console-queue-view.js';
import { createFollowupsView } from './console-followups-view.js';
import { createTabView, tabTitle } from './console-tab-view.js';
import { createAlerts } from './console-alerts.js';

const BASE_TITLE = 'Calor agent console';
const SR = 'cc-sr-only';

export function createConsoleView({ doc, controller, container, win = doc.defaultView, prefs = null }) {
  let uid = 0;
  const nextId = (p) => `${p}-${++uid}`;
  const alerts = createAlerts({ win, prefs });

  // ---- top bar: who, Online/Away, sound, sign out -------------------------
  const agentName = h(doc, 'span', { id: 'cc-agent-name', className: 'cc-agent-name' });
  const presenceText = h(doc, 'span', { className: 'cc-switch__text', text: 'Online' });
  const presence = h(doc, 'button', {
    id: 'cc-presence',
    className: 'cc-switch',
    attrs: { type: 'button', role: 'switch', 'aria-checked': 'true', title: 'Away: no new conversations are offered to you' },
  }, [h(doc, 'span', { className: 'cc-switch__track', attrs: { 'aria-hidden': 'true' } }), presenceText]);
  const presenceError = h(doc, 'span', { id: 'cc-presence-error', className: 'cc-topbar__error', attrs: { role: 'alert', hidden: true } });
  const mute = h(doc, 'button', {
    id: 'cc-mute',
    className: 'cc-button cc-button--quiet cc-mute',
    text: 'Mute alerts',
    attrs: { type: 'button', 'aria-pressed': 'false', title: 'No sound when a new conversation arrives' },
  });
  const logoutBtn = h(doc, 'button', { id: 'cc-logout', className: 'cc-button cc-button--quiet', text: 'Sign out', attrs: { type: 'button' } });
  const controls = h(doc, 'div', { className: 'cc-topbar__controls' }, [presence, presenceError, mute]);
  const topbar = h(doc, 'header', { className: 'cc-topbar' }, [
    h(doc, 'h1', { className: 'cc-brand', text: BASE_TITLE }),
    h(doc, 'div', { className: 'cc-topbar__right' }, [agentName, controls, logoutBtn]),
  ]);
  const banner = h(doc, 'div', { id: 'cc-connection', className: 'cc-connection', attrs: { role: 'status', hidden: true } });
  const noticeText = h(doc, 'span');
  const noticeClose = h(doc, 'button', { className: 'cc-notice__close', text: 'Dismiss', attrs: { type: 'button' } });
  const notice = h(doc, 'div', { id: 'cc-notice', className: 'cc-notice', attrs: { role: 'status', hidden: true } }, [noticeText, noticeClose]);
  // Announces events outside the visible transcript (new queue entries, other tabs).
  const announcer = h(doc, 'div', { id: 'cc-announcer', className: SR, attrs: { 'aria-live': 'polite', 'aria-atomic': 'true' } });

  // ---- the parts ------------------------------------------------------------
  const login = createLoginView({ doc, controller });
  const queue = createQueueView({ doc, controller });
  const followups = createFollowupsView({ doc, controller });
  const tablist = h(doc, 'div', { id: 'cc-tablist', className: 'cc-tablist', attrs: { role: 'tablist', 'aria-label': 'Your conversations' } });
  const panels = h(doc, 'div', { id: 'cc-panels', className: 'cc-panels' });
  const noTabs = h(doc, 'p', { id: 'cc-no-tabs', className: 'cc-empty', text: 'Accept a conversation from the queue to start helping.' });
  const convArea = h(doc, 'main', { id: 'cc-conversations', className: 'cc-conversations', attrs: { 'aria-label': 'Conversations' } }, [
    tablist,
    noTabs,
    panels,
  ]);
  const sidebar = h(doc, 'aside', { className: 'cc-sidebar', attrs: { 'aria-label': 'Queue and follow-ups' } }, [queue.el, followups.el]);
  const workspace = h(doc, 'div', { id: 'cc-workspace', className: 'cc-workspace', attrs: { hidden: true } }, [sidebar, convArea]);
  const root = h(doc, 'div', { id: 'calor-console', className: 'cc-root' }, [topbar, banner, notice, announcer, login.el, workspace]);
  root.dataset.beeps = '0';
  container.appendChild(root);

  logoutBtn.addEventListener('click', async () => {
    await controller.logout();
    login.focus();
  });
  noticeClose.addEventListener('click', () => controller.clearNotice());
  presence.addEventListener('click', () => {
    const p = controller.getPresence();
    controller.setPresence(p.status === 'away' ? 'online' : 'away');
  });
  mute.addEventListener('click', () => {
    alerts.setMuted(!alerts.isMuted());
    render();
  });
  // Sound is only allowed after a gesture; any click in the console will do.
  root.addEventListener('pointerdown', () => alerts.prime());
  root.addEventListener('keydown', () => alerts.prime());

  // ---- conversations ----------------------------------------------------------
  const tabNodes = new Map();

  function onTabKey(e) {
    const tabs = [...tablist.querySelectorAll('[role="tab"]')];
    const i = tabs.indexOf(e.currentTarget);
    let j = null;
    if (e.key === 'ArrowRight') j = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') j = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = tabs.length - 1;
    if (j === null) return;
    e.preventDefault();
    controller.selectTab(tabs[j].getAttribute('data-conversation-id'));
    tabs[j].focus();
  }

  function onDismissed() {
    const first = tablist.querySelector('[aria-selected="true"]');
    (first || queue.el).focus();
  }

  function renderTabs() {
    const tabs = controller.getTabs();
    const active = controller.getActiveTab();
    const keep = new Set();
    let ref = tablist.firstChild;
    for (const t of tabs) {
      keep.add(t.conversation_id);
      let n = tabNodes.get(t.conversation_id);
      if (!n) {
        n = createTabView({ doc, controller, t, nextId, onKey: onTabKey, onDismissed });
        tabNodes.set(t.conversation_id, n);
        panels.appendChild(n.panel);
      }
      if (n.tab === ref) ref = ref.nextSibling;
      else tablist.insertBefore(n.tab, ref);
      n.update(t, t.conversation_id === active);
    }
    for (const [id, n] of tabNodes) {
      if (!keep.has(id)) {
        n.tab.remove();
        n.panel.remove();
        tabNodes.delete(id);
      }
    }
    noTabs.hidden = tabs.length > 0;
    tablist.hidden = tabs.length === 0;
  }

  function renderTopbar(loggedIn) {
    const agent = controller.getAgent();
    setText(agentName, agent ? `Signed in as ${agent.display_name}` : '');
    logoutBtn.hidden = !loggedIn;
    controls.hidden = !loggedIn;
    const p = controller.getPresence();
    const away = p.status === 'away';
    presence.setAttribute('aria-checked', away ? 'false' : 'true');
    presence.disabled = p.busy || p.status === null;
    presence.classList.toggle('cc-switch--away', away);
    agentName.classList.toggle('cc-agent-name--away', away);
    if (agent && away) setText(agentName, `Signed in as ${agent.display_name} · away`);
    presenceError.hidden = !p.error;
    setText(presenceError, p.error || '');
    const muted = alerts.isMuted();
    mute.setAttribute('aria-pressed', muted ? 'true' : 'false');
  }

  function render() {
    const loggedIn = controller.isLoggedIn();
    login.render();
    workspace.hidden = !loggedIn;
    renderTopbar(loggedIn);

    const conn = controller.getConnection();
    banner.hidden = !loggedIn || conn === 'connected' || conn === 'idle';
    setText(banner, conn === 'reconnecting' ? 'Reconnecting…' : 'Connecting…');
    const n = controller.getNotice();
    notice.hidden = !n;
    setText(noticeText, n || '');

    if (loggedIn) {
      const waiting = queue.render();
      followups.render();
      renderTabs();
      doc.title = waiting ? `(${waiting}) ${BASE_TITLE}` : BASE_TITLE;
    } else {
      doc.title = BASE_TITLE;
    }
  }

  function announce(event) {
    if (event.type === 'queue-added') {
      setText(announcer, `${event.items.length} new ${event.items.length === 1 ? 'conversation' : 'conversations'} waiting.`);
      if (alerts.beep()) root.dataset.beeps = String(alerts.count());
    } else if (event.type === 'followups-added' && event.items.some((f) => f.urgent)) {
      setText(announcer, 'New urgent follow-up.');
    } else if (event.type === 'message' && event.message.from === 'customer' && controller.getActiveTab() !== event.conversation_id) {
      const t = controller.getTab(event.conversation_id);
      setText(announcer, `New message from the customer in ${t ? tabTitle(t) : 'another conversation'}.`);
    } else if (event.type === 'accepted') {
      const tn = tabNodes.get(event.conversation_id);
      if (tn) tn.input.focus();
    } else if (event.type === 'accept-failed') {
      setText(announcer, controller.getNotice() || '');
    } else if (event.type === 'closed') {
      setText(announcer, 'Conversation closed.');
    } else if (event.type === 'handed-back') {
      setText(announcer, 'Conversation handed back to the assistant.');
    }
  }

  let wasLoggedIn = controller.isLoggedIn();
  controller.subscribe((event) => {
    render();
    const loggedIn = controller.isLoggedIn();
    if (wasLoggedIn && !loggedIn) login.focus();
    if (!wasLoggedIn && loggedIn) queue.focusFirst();
    wasLoggedIn = loggedIn;
    if (event) announce(event);
  });
  if (win && typeof win.setInterval === 'function') win.setInterval(queue.tick, 1000);
  render();
  if (!controller.isLoggedIn()) login.focus();
  return { root, render, alerts };
}
