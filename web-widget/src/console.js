// Entry point of dist/calor-console.js, loaded by pages/agent.html. The token
// lives in sessionStorage so it ends with the browser tab, not on disk.

import { io as socketIo } from 'socket.io-client';
import { createConsoleController } from './console-controller.js';
import { createConsoleView } from './console-view.js';
import { defaultStorage } from './storage.js';

export function init(options = {}) {
  const doc = options.document || document;
  const controller = createConsoleController({
    origin: options.url || location.origin,
    io: options.io || socketIo,
    fetch: options.fetch || ((...args) => fetch(...args)),
    storage: options.storage || defaultStorage('sessionStorage'),
  });
  const container = doc.getElementById('calor-console-root') || doc.body;
  // Tokens stay in sessionStorage; a preference like "mute" may outlive the tab.
  const view = createConsoleView({ doc, controller, container, prefs: options.prefs || defaultStorage('localStorage') });
  controller.start();
  return { controller, view };
}

// The page carries no inline script (CSP), so the bundle starts itself.
if (typeof document !== 'undefined' && document.getElementById('calor-console-root')) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => init(), { once: true });
  else init();
}

export { createConsoleController };
