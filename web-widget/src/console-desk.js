// The agent's desk beyond single conversations: the follow-up list
// (messages and callbacks left while nobody could answer) and Online/Away.

import { normalizeFollowups } from './console-model.js';
import { str } from './messages.js';

export function createDesk({ emitAck, connected, changed, handleUnauthorized }) {
  let followups = [];
  let presence = null; // 'online' | 'away', as the server last said
  let presenceBusy = false;
  let presenceError = null;
  const doneState = new Map(); // followup_id -> {busy, error}

  function failText(err, res, fallback) {
    if (err) return 'No answer from the server. Please try again.';
    return (res && str(res.detail)) || fallback;
  }

  return {
    onFollowups(data) {
      const before = new Set(followups.map((f) => f.followup_id));
      followups = normalizeFollowups(data);
      const ids = new Set(followups.map((f) => f.followup_id));
      for (const id of [...doneState.keys()]) if (!ids.has(id)) doneState.delete(id);
      const added = followups.filter((f) => !before.has(f.followup_id));
      changed(added.length ? { type: 'followups-added', items: added } : null);
    },
    onPresence(data) {
      if (data && (data.status === 'online' || data.status === 'away')) {
        presence = data.status;
        changed();
      }
    },
    reset() {
      followups = [];
      presence = null;
      presenceBusy = false;
      presenceError = null;
      doneState.clear();
    },
    api: {
      getFollowups: () =>
        followups.map((f) => ({ ...f, done: doneState.get(f.followup_id) || { busy: false, error: null } })),
      followupDone(followupId) {
        const st = doneState.get(followupId);
        if ((st && st.busy) || !followups.some((f) => f.followup_id === followupId)) return false;
        if (!connected()) {
          doneState.set(followupId, { busy: false, error: 'Not connected. Please wait a moment.' });
          changed();
          return false;
        }
        doneState.set(followupId, { busy: true, error: null });
        changed();
        emitAck('followup_done', { followup_id: followupId }, (err, res) => {
          if (!err && res && (res.ok === true || res.error === 'unknown_followup')) {
            // Done (here or by someone else): off the list without waiting for the server's update.
            followups = followups.filter((f) => f.followup_id !== followupId);
            doneState.delete(followupId);
            changed({ type: 'followup-done', followup_id: followupId });
            return;
          }
          if (!err && handleUnauthorized(res)) return;
          doneState.set(followupId, { busy: false, error: failText(err, res, "Couldn't mark this done.") });
          changed();
        });
        return true;
      },
      getPresence: () => ({ status: presence, busy: presenceBusy, error: presenceError }),
      setPresence(status) {
        if ((status !== 'online' && status !== 'away') || presenceBusy) return false;
        if (!connected()) {
          presenceError = 'Not connected. Please wait a moment.';
          changed();
          return false;
        }
        presenceBusy = true;
        presenceError = null;
        changed();
        emitAck('presence', { status }, (err, res) => {
          presenceBusy = false;
          if (!err && res && res.ok === true) {
            presence = res.status === 'away' || res.status === 'online' ? res.status : status;
          } else if (!err && handleUnauthorized(res)) {
            return;
          } else {
            presenceError = failText(err, res, "Couldn't change your status.");
          }
          changed();
        });
        return true;
      },
    },
  };
}
