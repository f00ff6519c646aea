// A short beep for a new conversation in the queue, made with WebAudio (no
// audio file), and a mute switch remembered in localStorage.

const MUTE_KEY = 'calor.console.muted';

export function createAlerts({ win, prefs }) {
  let muted = false;
  try {
    muted = prefs && prefs.getItem(MUTE_KEY) === 'true';
  } catch {
    muted = false;
  }
  let ctx = null;
  let beeps = 0;

  function audio() {
    if (ctx) return ctx;
    const Ctor = win && (win.AudioContext || win.webkitAudioContext);
    if (!Ctor) return null;
    try {
      ctx = new Ctor();
    } catch {
      ctx = null;
    }
    return ctx;
  }

  return {
    isMuted: () => muted,
    setMuted(value) {
      muted = Boolean(value);
      try {
        prefs.setItem(MUTE_KEY, muted ? 'true' : 'false');
      } catch {
        // Not remembered, but still muted for now.
      }
    },
    /** Browsers only allow sound after a user gesture; call this from one. */
    prime() {
      const c = audio();
      if (c && c.state === 'suspended' && typeof c.resume === 'function') c.resume().catch(() => {});
    },
    /** Two soft tones, a quarter of a second; returns whether it sounded. */
    beep() {
      if (muted) return false;
      const c = audio();
      if (!c) return false;
      try {
        const t = c.currentTime;
        const gain = c.createGain();
        gain.connect(c.destination);
        gain.gain.setValueAtTime(0.0001, t);
        gain.gain.exponentialRampToValueAtTime(0.2, t + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.26);
        for (const [freq, at] of [[660, 0], [880, 0.1]]) {
          const osc = c.createOscillator();
          osc.type = 'sine';
          osc.frequency.setValueAtTime(freq, t + at);
          osc.connect(gain);
          osc.start(t + at);
          osc.stop(t + at + 0.16);
        }
        beeps += 1;
        return true;
      } catch {
        return false;
      }
    },
    count: () => beeps,
  };
}
