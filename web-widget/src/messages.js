// The shapes the server sends (docs/protocol.md), checked and normalised so
// the views never meet an unexpected type. Shared by the widget and the console.

export const MAX_TEXT = 4000;
// Errors where sending the same id again can succeed (protocol: "retry with the same id").
export const RETRYABLE = new Set(['unavailable', 'timeout', 'internal', 'rate_limited']);
export const STATES = new Set(['bot', 'queued', 'agent', 'closed']);
const SENDERS = new Set(['customer', 'bot', 'agent', 'system']);

export function str(v) {
  return typeof v === 'string' && v.trim() ? v : null;
}

function cleanButtons(buttons) {
  if (!Array.isArray(buttons)) return [];
  return buttons
    .filter((b) => b && typeof b.title === 'string' && typeof b.payload === 'string' && b.title.trim())
    .map((b) => ({ title: b.title, payload: b.payload }));
}

export function normalizeMessage(raw) {
  if (!raw || typeof raw !== 'object' || !Number.isInteger(raw.seq)) return null;
  return {
    seq: raw.seq,
    id: typeof raw.id === 'string' ? raw.id : null,
    from: SENDERS.has(raw.from) ? raw.from : 'system',
    text: typeof raw.text === 'string' ? raw.text : '',
    buttons: cleanButtons(raw.buttons),
    agent_name: str(raw.agent_name),
    ts: typeof raw.ts === 'string' ? raw.ts : null,
  };
}

export function normalizeStatus(raw) {
  if (!raw || typeof raw !== 'object' || !STATES.has(raw.state)) return null;
  return {
    state: raw.state,
    position: Number.isInteger(raw.position) ? raw.position : null,
    eta_seconds: typeof raw.eta_seconds === 'number' ? raw.eta_seconds : null,
    agent_name: str(raw.agent_name),
    // Only meaningful while queued; null means "not said", which is not "nobody".
    agents_available: typeof raw.agents_available === 'boolean' ? raw.agents_available : null,
    opens: str(raw.opens),
  };
}

/** `crisis` resources: a label and a way to reach them, both plain text. */
export function normalizeResources(raw) {
  const list = raw && Array.isArray(raw.resources) ? raw.resources : Array.isArray(raw) ? raw : [];
  return list
    .filter((r) => r && typeof r === 'object' && str(r.label))
    .slice(0, 10)
    .map((r) => ({ label: r.label, contact: typeof r.contact === 'string' ? r.contact : '' }));
}

export function defaultDetail(code) {
  switch (code) {
    case 'timeout':
      return "We couldn't reach our server in time. Check your connection and try again.";
    case 'offline':
      return "We can't reach our server right now. Please try again in a moment.";
    case 'unavailable':
      return "We couldn't save your message just now. Please try again in a moment.";
    case 'rate_limited':
      return "That's a lot of messages at once. Please wait a few seconds and try again.";
    case 'too_long':
      return `That message is too long. Please keep it under ${MAX_TEXT.toLocaleString('en-US')} characters.`;
    case 'empty':
      return 'Please type a message first.';
    default:
      return "Your message wasn't sent.";
  }
}

/** The detail of a failed ack: the server's sentence when it gave one, else ours. */
export function ackFailure(err, res) {
  const code = err ? 'timeout' : res && typeof res.error === 'string' ? res.error : 'invalid';
  const detail = !err && res && str(res.detail) ? res.detail : defaultDetail(code);
  return { code, detail };
}
