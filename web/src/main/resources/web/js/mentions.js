// Mentions in the UI: @names shown as such (as text nodes, never HTML), and the composer's @ autocomplete of the
// room's members (a listbox the keyboard drives: arrows move, Enter or Tab picks, Escape closes).
import { h } from './dom.js';

const MENTION = /(^|[^\p{L}\p{N}_.@-])@([A-Za-z0-9_.-]{3,32})/gu;

/** A message's text as nodes: plain text, and each @name in a span. */
export function withMentions(text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(MENTION)) {
    const start = match.index + match[1].length;
    if (start > last) nodes.push(text.slice(last, start));
    nodes.push(h('span', { class: 'mention' }, `@${match[2]}`));
    last = start + match[2].length + 1;
  }
  if (last < text.length) nodes.push(text.slice(last));
  return nodes;
}

/** The @ autocomplete on a textarea; `membersOf()` answers the current room's members (a promise, cached by the caller). */
export function attachMentionAutocomplete(input, membersOf) {
  const listbox = h('ul', { class: 'mention-list hidden', role: 'listbox', id: 'mention-list', 'aria-label': 'Members', 'data-testid': 'mention-list' });
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-controls', listbox.id);
  let matches = [];
  let active = 0;
  let query = null;

  const close = () => {
    listbox.classList.add('hidden');
    listbox.replaceChildren();
    input.removeAttribute('aria-activedescendant');
    matches = [];
    query = null;
  };
  const pick = (user) => {
    const caret = input.selectionStart;
    const before = input.value.slice(0, query.start);
    const after = input.value.slice(caret);
    input.value = `${before}@${user.username} ${after}`;
    const at = before.length + user.username.length + 2;
    input.setSelectionRange(at, at);
    close();
    input.focus();
  };
  const show = () => {
    listbox.replaceChildren(...matches.map((user, i) => h('li', {
      id: `mention-${i}`, role: 'option', 'aria-selected': String(i === active), 'data-testid': 'mention-option',
      class: i === active ? 'active' : '', onmousedown: (event) => { event.preventDefault(); pick(user); },
    }, `@${user.username}`, user.displayName && user.displayName !== user.username ? h('span', { class: 'muted' }, ` ${user.displayName}`) : null)));
    listbox.classList.toggle('hidden', matches.length === 0);
    if (matches.length) input.setAttribute('aria-activedescendant', `mention-${active}`);
  };

  input.addEventListener('input', async () => {
    const upToCaret = input.value.slice(0, input.selectionStart);
    const typed = /(^|[\s(])@([A-Za-z0-9_.-]{0,32})$/.exec(upToCaret);
    if (!typed) { close(); return; }
    const prefix = typed[2].toLowerCase();
    query = { start: upToCaret.length - prefix.length - 1, prefix };
    const members = await membersOf();
    if (!query || query.prefix !== prefix) return; // typed on meanwhile
    matches = members.filter((u) => u.username.startsWith(prefix)
      || (u.displayName ?? '').toLowerCase().startsWith(prefix)).slice(0, 8);
    active = 0;
    show();
  });
  input.addEventListener('keydown', (event) => {
    if (!matches.length) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      active = (active + (event.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length;
      show();
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      event.stopImmediatePropagation(); // Enter picks the name; it does not send
      pick(matches[active]);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  return listbox;
}
