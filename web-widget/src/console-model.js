// What the console shows, normalised from the server's events
// (docs/protocol.md, agent namespace), plus the words for each code.

import { str } from './messages.js';

export const REASON_LABELS = {
  distress: 'The customer seems to be struggling',
  customer_request: 'The customer asked for a person',
  bot_stuck: 'The assistant got stuck',
  bot_unavailable: 'The assistant was unavailable',
};

export const CATEGORY_LABELS = {
  grief: 'Grief',
  overwhelm: 'Overwhelm',
  loneliness: 'Loneliness',
  crisis: 'Crisis',
};

export const PRIORITY_LABELS = ['Urgent', 'High', 'Normal', 'Normal'];

export const KIND_LABELS = {
  message: 'Message',
  callback: 'Call back',
  crisis: 'Crisis',
};

function strings(list) {
  return Array.isArray(list) ? list.filter((n) => str(n)).map(String) : [];
}

export function normalizeSummary(raw) {
  const s = raw && typeof raw === 'object' ? raw : {};
  let task = null;
  if (s.task && typeof s.task === 'object' && str(s.task.intent)) {
    const slots = {};
    if (s.task.slots && typeof s.task.slots === 'object') {
      for (const [k, v] of Object.entries(s.task.slots)) {
        if (v === null || v === undefined) continue;
        slots[String(k)] = typeof v === 'object' ? JSON.stringify(v) : String(v);
      }
    }
    task = { intent: s.task.intent, slots };
  }
  return {
    reason: str(s.reason),
    category: str(s.category),
    cue: str(s.cue),
    headline: str(s.headline),
    task,
    suggested_opening: str(s.suggested_opening),
    unstated_needs: strings(s.unstated_needs),
    history: strings(s.history),
  };
}

export function normalizeQueueItem(raw, receivedAt) {
  if (!raw || typeof raw !== 'object' || !str(raw.conversation_id)) return null;
  return {
    conversation_id: raw.conversation_id,
    priority: Number.isInteger(raw.priority) ? raw.priority : null,
    reason: str(raw.reason),
    category: str(raw.category),
    headline: str(raw.headline),
    helped_before: raw.helped_before === true,
    waiting_seconds: Number.isFinite(raw.waiting_seconds) ? Math.max(0, raw.waiting_seconds) : 0,
    receivedAt,
  };
}

export function normalizeFollowup(raw) {
  if (!raw || typeof raw !== 'object') return null;
  const id = raw.followup_id;
  if (!(Number.isInteger(id) || str(id))) return null;
  return {
    followup_id: id,
    conversation_id: str(raw.conversation_id),
    kind: KIND_LABELS[raw.kind] ? raw.kind : 'message',
    text: typeof raw.text === 'string' ? raw.text : '',
    callback: str(raw.callback),
    urgent: raw.urgent === true,
    created_at: str(raw.created_at),
  };
}

/** Urgent first, otherwise in the server's order (oldest first). */
export function normalizeFollowups(data) {
  const list = data && Array.isArray(data.followups) ? data.followups : [];
  const items = list.map(normalizeFollowup).filter(Boolean);
  return [...items.filter((f) => f.urgent), ...items.filter((f) => !f.urgent)];
}
