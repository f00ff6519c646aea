// Turns untrusted chat text into text nodes and vetted <a> elements.
// Nothing here ever parses HTML: text only reaches the DOM through
// createTextNode, and an href only after new URL() has confirmed its scheme.

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

// Candidates are only a first cut; safeHref() is the real gate.
const CANDIDATE = /\b(?:https?:\/\/|mailto:)[^\s<>"'`]+/gi;

// Punctuation that usually ends a sentence rather than a URL.
const TRAILING = /[.,;:!?'"»)\]]+$/;

/** Returns a normalised href when the string is an http(s) or mailto URL, else null. */
export function safeHref(candidate) {
  if (typeof candidate !== 'string') return null;
  // URL() strips leading control chars and spaces ("\tjavascript:"), so refuse them up front.
  if (candidate !== candidate.trim() || /[\u0000-\u001f\u007f\s]/.test(candidate)) return null;
  let url;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && !url.hostname) return null;
  if (url.protocol === 'mailto:' && url.pathname.length === 0) return null;
  return url.href;
}

function trimTrailing(raw) {
  let url = raw;
  const m = url.match(TRAILING);
  if (!m) return url;
  url = url.slice(0, url.length - m[0].length);
  // Keep a closing paren that balances one inside the URL (wiki-style links).
  const tail = m[0];
  let opens = (url.match(/\(/g) || []).length - (url.match(/\)/g) || []).length;
  for (const ch of tail) {
    if (ch === ')' && opens > 0) {
      url += ch;
      opens -= 1;
    } else {
      break;
    }
  }
  return url;
}

/**
 * Splits text into segments: {type:'text', text} and {type:'link', text, href}.
 * Adjacent text is merged so the DOM stays small.
 */
export function splitLinks(text) {
  const source = text == null ? '' : String(text);
  const out = [];
  const pushText = (t) => {
    if (!t) return;
    const last = out[out.length - 1];
    if (last && last.type === 'text') last.text += t;
    else out.push({ type: 'text', text: t });
  };
  let pos = 0;
  CANDIDATE.lastIndex = 0;
  let m;
  while ((m = CANDIDATE.exec(source)) !== null) {
    const shown = trimTrailing(m[0]);
    const href = safeHref(shown);
    pushText(source.slice(pos, m.index));
    if (href) {
      out.push({ type: 'link', text: shown, href });
    } else {
      pushText(shown);
    }
    pos = m.index + shown.length;
    CANDIDATE.lastIndex = pos;
  }
  pushText(source.slice(pos));
  return out;
}

/** Appends linkified text to parent using only createTextNode/createElement. */
export function appendLinkified(doc, parent, text) {
  for (const seg of splitLinks(text)) {
    if (seg.type === 'link') {
      const a = doc.createElement('a');
      a.textContent = seg.text;
      // Re-checked at the point of use so no future caller can skip the gate.
      const href = safeHref(seg.href);
      if (href) {
        a.setAttribute('href', href);
        a.setAttribute('rel', 'noopener noreferrer');
        a.setAttribute('target', '_blank');
        parent.appendChild(a);
      } else {
        parent.appendChild(doc.createTextNode(seg.text));
      }
    } else {
      parent.appendChild(doc.createTextNode(seg.text));
    }
  }
  return parent;
}
