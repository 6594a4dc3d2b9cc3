// Building DOM nodes. Text is only ever set as text (textContent), never parsed as HTML: what users type can
// never become markup or script.

/** h('div', {class: 'x', onclick: fn, dataset: {id: 1}}, 'text', child, ...) */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      node.addEventListener(key.slice(2), value);
    } else if (key === 'style' && typeof value === 'object') {
      // Through the CSSOM: allowed by the page's Content-Security-Policy, unlike style attributes.
      for (const [property, v] of Object.entries(value)) node.style.setProperty(property, String(v));
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key === 'class') {
      node.className = value;
    } else if (key in node && typeof value !== 'string') {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of `node`. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

export function timeOf(iso) {
  const date = new Date(iso);
  const today = new Date();
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === today.toDateString()
    ? time
    : `${date.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time}`;
}

/** The initials shown in an avatar circle. */
export function initials(name) {
  const words = (name || '?').trim().split(/[\s._-]+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[1][0] : (words[0] || '?').slice(0, 2)).toUpperCase();
}

/** A stable hue per name, so a person keeps their colour. */
export function hueOf(name) {
  let hash = 0;
  for (const ch of name || '') hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}
