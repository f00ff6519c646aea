import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeHref, splitLinks, appendLinkified } from '../src/linkify.js';
import { fakeDocument } from '../test-support/fakes.js';

test('safeHref accepts http, https and mailto only', () => {
  assert.equal(safeHref('https://northwind.example/help'), 'https://northwind.example/help');
  assert.equal(safeHref('http://northwind.example'), 'http://northwind.example/');
  assert.equal(safeHref('mailto:help@northwind.example'), 'mailto:help@northwind.example');
  for (const bad of [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    '\tjavascript:alert(1)',
    'java\nscript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://northwind.example/',
    'blob:https://northwind.example/x',
    '//northwind.example/x',
    '/relative',
    'https://',
    'mailto:',
    '',
    null,
    42,
  ]) {
    assert.equal(safeHref(bad), null, `should reject ${JSON.stringify(bad)}`);
  }
});

test('splitLinks finds URLs in text and leaves other schemes as plain text', () => {
  const segs = splitLinks('See https://northwind.example/plans. Or javascript:alert(1) and data:text/html,x');
  assert.deepEqual(
    segs.filter((s) => s.type === 'link').map((s) => s.href),
    ['https://northwind.example/plans'],
  );
  assert.equal(segs.map((s) => s.text).join(''), 'See https://northwind.example/plans. Or javascript:alert(1) and data:text/html,x');
});

test('trailing punctuation stays outside the link, balanced parens stay inside', () => {
  const [, link, rest] = splitLinks('(see https://en.wikipedia.org/wiki/Foo_(bar)).');
  assert.equal(link.href, 'https://en.wikipedia.org/wiki/Foo_(bar)');
  assert.equal(rest.text, ').');
  const mail = splitLinks('write to mailto:help@northwind.example, thanks');
  assert.equal(mail[1].href, 'mailto:help@northwind.example');
});

test('appendLinkified builds text nodes and vetted anchors, never HTML', () => {
  const doc = fakeDocument();
  const p = doc.createElement('p');
  appendLinkified(doc, p, '<img src=x onerror=alert(1)> go to https://northwind.example/x?a=1&b=2 now');
  const links = p.childNodes.filter((n) => n.tagName === 'A');
  assert.equal(links.length, 1);
  assert.equal(links[0].getAttribute('href'), 'https://northwind.example/x?a=1&b=2');
  assert.equal(links[0].getAttribute('rel'), 'noopener noreferrer');
  assert.equal(links[0].getAttribute('target'), '_blank');
  assert.equal(p.childNodes[0].nodeType, 3, 'markup-looking text stays a text node');
  assert.equal(p.childNodes[0].data, '<img src=x onerror=alert(1)> go to ');
  assert.equal(p.textContent, '<img src=x onerror=alert(1)> go to https://northwind.example/x?a=1&b=2 now');
});

test('appendLinkified makes no anchor for a javascript: URL', () => {
  const doc = fakeDocument();
  const p = doc.createElement('p');
  appendLinkified(doc, p, 'click javascript:alert(document.cookie)');
  assert.equal(p.childNodes.filter((n) => n.tagName === 'A').length, 0);
  assert.equal(p.textContent, 'click javascript:alert(document.cookie)');
});
