// Message text as a safe Markdown subset (docs/API.md): **strong**, *em* and _em_, `code`, fenced code blocks,
// > quotes, - and 1. lists, [links](https://...) and bare http(s) links; everything else stays literal text.
// A strict hand parser: it builds DOM nodes itself (fixed tag names, text only ever as text nodes, the only
// attribute from the text an href that is a well-formed http(s) URL), so what users type can never become markup
// or script. BrowserIT runs an XSS corpus through it.
import { h } from './dom.js';
import { withMentions } from './mentions.js';

const FENCE = /^\s*```/;
const QUOTE = /^>\s?/;
const BULLET = /^\s*[-*+]\s+/;
const NUMBERED = /^\s*(\d{1,9})[.)]\s+/;
const MAX_DEPTH = 3; // quotes in quotes: deeper is literal

/** The nodes for a message's text. */
export function renderMarkdown(text, depth = 0) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (FENCE.test(line)) {
      const end = lines.findIndex((l, j) => j > i && FENCE.test(l));
      if (end > i) {
        blocks.push(h('pre', {}, h('code', {}, lines.slice(i + 1, end).join('\n'))));
        i = end + 1;
        continue;
      }
    }
    if (QUOTE.test(line) && depth < MAX_DEPTH) {
      const quoted = [];
      while (i < lines.length && QUOTE.test(lines[i])) quoted.push(lines[i++].replace(QUOTE, ''));
      blocks.push(h('blockquote', {}, renderMarkdown(quoted.join('\n'), depth + 1)));
      continue;
    }
    if (BULLET.test(line) || NUMBERED.test(line)) {
      const numbered = NUMBERED.test(line);
      const marker = numbered ? NUMBERED : BULLET;
      const items = [];
      while (i < lines.length && marker.test(lines[i])) items.push(lines[i++].replace(marker, ''));
      const start = numbered ? Number(NUMBERED.exec(line)[1]) : null;
      blocks.push(h(numbered ? 'ol' : 'ul', numbered && start !== 1 ? { start: String(start) } : {},
        items.map((item) => h('li', {}, inline(item)))));
      continue;
    }
    const paragraph = [];
    while (i < lines.length && !startsBlock(lines[i], depth)) paragraph.push(lines[i++]);
    if (paragraph.length === 0) paragraph.push(lines[i++]); // an unclosed fence: literal text
    blocks.push(h('p', {}, inline(paragraph.join('\n'))));
  }
  return blocks;
}

function startsBlock(line, depth) {
  return FENCE.test(line) || (QUOTE.test(line) && depth < MAX_DEPTH) || BULLET.test(line) || NUMBERED.test(line);
}

// Inline spans, tried where their first character is, in this order: code, link, autolink, strong, em. Each is
// looked for within the next 1,000 characters, so no input makes the parser slow.
const WINDOW = 1000;
const CODE = /^(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/;
const LINK = /^\[([^\]\n]{1,500})\]\((https?:\/\/[^\s()<>]{1,900})\)/i;
const ANGLE_LINK = /^<(https?:\/\/[^\s<>"]{1,900})>/i;
const BARE_LINK = /^https?:\/\/[^\s<>"]{1,900}/i;
const STRONG = /^(\*\*|__)(?=\S)([\s\S]*?\S)\1(?![*_])/;
const EM = /^(\*|_)(?=[^\s*_])([\s\S]*?[^\s*_])\1(?![*_\p{L}\p{N}])/u;
const WORD = /[\p{L}\p{N}]/u;

/** Inline Markdown in a run of text: nodes for the spans, text nodes (with @mentions) for the rest. */
export function inline(text, links = true) {
  const out = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(...withMentions(plain));
    plain = '';
  };
  const span = (node, length) => {
    flush();
    out.push(node);
    return length;
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    const afterWord = i > 0 && WORD.test(text[i - 1]);
    let taken = 0;
    if ('`[<hH*_'.includes(ch)) {
      const rest = text.slice(i, i + WINDOW);
      let m;
      if (ch === '`' && (m = CODE.exec(rest))) {
        taken = span(h('code', {}, m[2]), m[0].length);
      } else if (links && ch === '[' && (m = LINK.exec(rest)) && safeUrl(m[2])) {
        taken = span(link(m[2], inline(m[1], false)), m[0].length);
      } else if (links && ch === '<' && (m = ANGLE_LINK.exec(rest)) && safeUrl(m[1])) {
        taken = span(link(m[1], [m[1]]), m[0].length);
      } else if (links && !afterWord && (ch === 'h' || ch === 'H') && (m = BARE_LINK.exec(rest)) && safeUrl(trimUrl(m[0]))) {
        const url = trimUrl(m[0]);
        taken = span(link(url, [url]), url.length);
      } else if ((ch === '*' || ch === '_') && !(ch === '_' && afterWord) && (m = STRONG.exec(rest))) {
        taken = span(h('strong', {}, inline(m[2], links)), m[0].length);
      } else if ((ch === '*' || ch === '_') && !(ch === '_' && afterWord) && (m = EM.exec(rest))) {
        taken = span(h('em', {}, inline(m[2], links)), m[0].length);
      }
    }
    if (taken > 0) {
      i += taken;
    } else {
      plain += ch;
      i += 1;
    }
  }
  flush();
  return out;
}

/** Sentence punctuation after a bare link is not part of it ("see https://x.org." links https://x.org). */
function trimUrl(url) {
  let end = url.length;
  while (end > 0 && '.,:;!?\'"'.includes(url[end - 1])) end -= 1;
  if (url.endsWith(')') && !url.slice(0, end).includes('(')) end = Math.min(end, url.length - 1);
  return url.slice(0, end);
}

/** Only absolute http(s) URLs that the URL parser reads back as such. */
export function safeUrl(raw) {
  if (!/^https?:\/\/[^\s/?#]+/i.test(raw)) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

function link(url, children) {
  return h('a', { href: new URL(url).href, rel: 'noopener noreferrer nofollow ugc', target: '_blank' }, children);
}
