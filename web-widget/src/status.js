// Wording shared by the widget and its tests, so the copy lives in one place.

export function minutesFromSeconds(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return null;
  return Math.max(1, Math.ceil(seconds / 60));
}

export function statusText(status) {
  if (!status || typeof status !== 'object') return '';
  switch (status.state) {
    case 'bot':
      return "You're chatting with our assistant. Ask for a person any time.";
    case 'queued': {
      const pos = Number.isInteger(status.position) && status.position > 0 ? status.position : null;
      const mins = minutesFromSeconds(status.eta_seconds);
      let text = pos === null ? "You're in line for a person" : `You're number ${pos} in line`;
      // Honest about an empty desk rather than promising a wait time.
      if (status.agents_available === false) {
        return `${text}. ${status.opens ? `Our team is back ${status.opens}.` : 'Nobody is available right now.'}`;
      }
      if (pos !== null && mins !== null) text += `, about ${mins} ${mins === 1 ? 'minute' : 'minutes'}`;
      return pos === null ? `${text}.` : text;
    }
    case 'agent':
      return `${status.agent_name ? String(status.agent_name) : 'A person from our team'} is here`;
    case 'closed':
      return 'This chat with our team has ended. Write again any time and we will pick it up.';
    default:
      return '';
  }
}

/** "45 s", "3 min 05 s", "1 h 02 min": short enough for a queue row. */
export function formatWait(totalSeconds) {
  const s = Math.max(0, Math.floor(Number(totalSeconds) || 0));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function initialOf(name) {
  const t = typeof name === 'string' ? name.trim() : '';
  if (!t) return '?';
  return Array.from(t)[0].toUpperCase();
}
