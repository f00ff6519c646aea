// Entry point of dist/calor-widget.js; esbuild exposes these exports as the
// global `CalorChat`, so a host page needs one script tag and one init call.

import { io as socketIo } from 'socket.io-client';
import { createController } from './controller.js';
import { createWidgetView } from './widget-view.js';
import { defaultStorage } from './storage.js';

let instance = null;

function baseUrl(url) {
  const fallback = typeof location !== 'undefined' ? location.origin : '';
  return String(url || fallback).replace(/\/+$/, '');
}

// CSP allows styles from 'self' only, so the css is a real file next to the
// bundle rather than a <style> built here.
function ensureStylesheet(doc, href) {
  if (!href) return;
  const abs = new URL(href, doc.baseURI).href;
  for (const link of doc.querySelectorAll('link[rel="stylesheet"]')) {
    if (link.href === abs) return;
  }
  const link = doc.createElement('link');
  link.rel = 'stylesheet';
  link.href = abs;
  link.dataset.calor = 'widget';
  doc.head.appendChild(link);
}

function resolveContainer(doc, container) {
  if (!container) return doc.body;
  if (typeof container === 'string') return doc.querySelector(container) || doc.body;
  return container;
}

export function init(options = {}) {
  if (instance) return instance.api;
  const doc = options.document || document;
  const url = baseUrl(options.url);
  const controller = createController({
    url,
    io: options.io || socketIo,
    storage: options.storage || defaultStorage('localStorage'),
  });
  if (options.css !== false) ensureStylesheet(doc, options.css || `${url}/static/calor-widget.css`);

  let view = null;
  const api = {
    open: () => view && view.open(),
    close: () => view && view.close(),
    controller,
  };
  instance = { api };

  const mount = () => {
    view = createWidgetView({
      doc,
      controller,
      container: resolveContainer(doc, options.container),
      title: options.title || 'Chat with us',
      session: options.session || defaultStorage('sessionStorage'),
    });
    // Only an existing conversation connects straight away (to hear agent
    // replies); a first-time visitor gets a session when they open the chat.
    if (controller.hasConversation()) controller.start();
  };
  if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', mount, { once: true });
  else mount();
  return api;
}

export { createController };
