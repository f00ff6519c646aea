// Static guards: the CSP forbids inline script, and customer text must never
// be parsed as HTML. These read the sources so a regression fails here first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (...p) => readFileSync(join(root, ...p), 'utf8');

test('no source uses an HTML-parsing DOM API', () => {
  const files = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.js'));
  assert.ok(files.length >= 5);
  for (const f of files) {
    const src = read('src', f);
    for (const api of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'DOMParser', 'createContextualFragment', 'eval(', 'new Function']) {
      assert.ok(!src.includes(api), `${f} uses ${api}`);
    }
  }
});

for (const page of ['index.html', 'agent.html']) {
  test(`pages/${page} has no inline script, inline handler or remote resource`, () => {
    const html = read('pages', page);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc="\/static\/[\w.-]+\.js"/, 'scripts come from /static/');
      assert.equal(body.trim(), '', 'no inline script code');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handlers');
    assert.doesNotMatch(html, /\sstyle\s*=/i, 'no inline styles (CSP style-src)');
    assert.doesNotMatch(html, /<style\b/i);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//i, 'nothing loaded from another host');
  });
}

test('the demo page embeds the widget with one script tag and a static init file', () => {
  const html = read('pages', 'index.html');
  assert.ok(html.includes('<script src="/static/calor-widget.js"></script>'));
  assert.ok(html.includes('<script src="/static/demo-init.js"></script>'));
  assert.match(read('static', 'demo-init.js'), /CalorChat\.init\(\{\s*url:\s*location\.origin\s*\}\)/);
  const agent = read('pages', 'agent.html');
  assert.ok(agent.includes('/static/calor-console.js'));
  assert.ok(agent.includes('/static/calor-console.css'));
});
