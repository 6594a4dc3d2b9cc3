// One room's messages on screen: ordered by seq, each shown once (whether it came from history, the live socket
// or the answer to our own post), with our own unsent messages shown at once at the bottom. An edit or deletion
// replaces a message where it stands; a deleted one stays as "message deleted", so seqs on screen stay dense.
// The author edits and deletes from a message's own buttons; the room's owner may delete any message.
import { h, hueOf, initials, timeOf } from './dom.js';
import { EMOJI, mergeReactions } from './reactions.js';
import { renderMarkdown } from './markdown.js';

const PAGE = 50;
const GROUP_WITHIN_MS = 5 * 60 * 1000;

export class Timeline {
  constructor(roomId, api, me, onAuthorClick, isOwner = () => false) {
    this.roomId = roomId;
    this.api = api;
    this.me = me;
    this.onAuthorClick = onAuthorClick;
    this.isOwner = isOwner;
    this.bySeq = new Map();
    this.pending = new Map();
    this.lastSeq = 0;
    this.oldestSeq = null;
    this.hasOlder = true;
    this.loaded = false;
    this.loadingOlder = false;
    // A list (its items are messages); the scroller around it is the live region (role log) that announces new ones.
    this.list = h('ol', { class: 'messages', 'aria-label': 'Messages', 'data-testid': 'messages' });
    this.older = h('li', { class: 'older hidden' }, 'Loading earlier messages…');
    this.list.append(this.older);
  }

  /** The latest page, replacing whatever was shown (also used when live catch-up was incomplete). */
  async loadLatest() {
    const messages = await this.api.messages(this.roomId, { limit: PAGE });
    for (const node of [...this.list.querySelectorAll('li.message:not(.pending)')]) node.remove();
    this.bySeq.clear();
    this.oldestSeq = null;
    this.lastSeq = 0;
    this.hasOlder = messages.length === PAGE && messages[0].seq > 1;
    this.lastSeq = messages.length ? messages[0].seq - 1 : 0;
    this.addAll(messages);
    this.loaded = true;
  }

  /** The page before the oldest shown; keeps the reader's place. */
  async loadOlder(scroller) {
    if (!this.hasOlder || this.loadingOlder || this.oldestSeq === null) return;
    this.loadingOlder = true;
    this.older.classList.remove('hidden');
    try {
      const messages = await this.api.messages(this.roomId, { before: this.oldestSeq, limit: PAGE });
      this.hasOlder = messages.length === PAGE && messages[0].seq > 1;
      const before = scroller.scrollHeight;
      this.addAll(messages);
      scroller.scrollTop += scroller.scrollHeight - before;
    } finally {
      this.loadingOlder = false;
      this.older.classList.add('hidden');
    }
  }

  addAll(messages) {
    for (const message of messages) this.add(message);
  }

  /** Shows a message unless it is already shown; returns whether it was new. */
  add(message) {
    if (this.bySeq.has(message.seq)) return false;
    if (message.userId === this.me.id) this.settlePending(message);
    this.bySeq.set(message.seq, message);
    const node = this.render(message);
    const after = [...this.bySeq.keys()].filter((seq) => seq < message.seq).reduce((a, b) => Math.max(a, b), 0);
    const before = this.list.querySelector(`li.message[data-seq="${this.nextShownAfter(message.seq)}"]`)
      ?? this.list.querySelector('li.pending');
    this.list.insertBefore(node, before);
    this.markContinued(node, this.bySeq.get(after));
    const next = before?.classList.contains('message') && !before.classList.contains('pending') ? before : null;
    if (next) this.markContinued(next, message);
    if (this.oldestSeq === null || message.seq < this.oldestSeq) this.oldestSeq = message.seq;
    if (message.seq === this.lastSeq + 1) {
      while (this.bySeq.has(this.lastSeq + 1)) this.lastSeq += 1;
    } else if (message.seq > this.lastSeq + 1) {
      this.onGap?.(this.lastSeq); // a message is missing in between: fetch it
    }
    return true;
  }

  /** A message changed (edited, or deleted: {seq, deleted}): shown as it is now, where it stands; unknown ones wait. */
  update(message) {
    const shown = this.bySeq.get(message.seq);
    if (!shown) return false;
    const now = message.deleted ? { id: shown.id, roomId: this.roomId, seq: message.seq, createdAt: shown.createdAt, deleted: true }
      : { ...message, reactions: mergeReactions(shown.reactions, message.reactions ?? []) };
    this.bySeq.set(message.seq, now);
    const old = this.list.querySelector(`li.message[data-seq="${message.seq}"]`);
    if (!old) return false;
    const node = this.render(now);
    const hadFocus = old.contains(document.activeElement);
    old.replaceWith(node);
    this.markContinued(node, this.bySeq.get(this.previousShown(message.seq)));
    const next = this.nextShownAfter(message.seq);
    const nextNode = next === null ? null : this.list.querySelector(`li.message[data-seq="${next}"]`);
    if (nextNode) this.markContinued(nextNode, now);
    if (hadFocus) node.focus();
    return true;
  }

  /** A `reactions` frame: the counts now; "me" kept, or taken from the change when it was this user's. */
  setReactions(frame) {
    const shown = this.bySeq.get(frame.seq);
    if (!shown || shown.deleted) return;
    const mine = frame.by === this.me.id ? { emoji: frame.emoji, added: frame.added } : null;
    this.update({ ...shown, reactions: mergeReactions(shown.reactions, frame.reactions, mine) });
  }

  /** Gives or takes back an emoji; the answer has the counts with "me". */
  async toggleReaction(message, emoji, add) {
    const { reactions } = add ? await this.api.react(this.roomId, message.seq, emoji) : await this.api.unreact(this.roomId, message.seq, emoji);
    const shown = this.bySeq.get(message.seq);
    if (shown && !shown.deleted) this.update({ ...shown, reactions });
  }

  previousShown(seq) {
    let previous = null;
    for (const s of this.bySeq.keys()) if (s < seq && (previous === null || s > previous)) previous = s;
    return previous;
  }

  nextShownAfter(seq) {
    let next = null;
    for (const s of this.bySeq.keys()) if (s > seq && (next === null || s < next)) next = s;
    return next;
  }

  markContinued(node, previous) {
    const message = this.bySeq.get(Number(node.dataset.seq));
    const continued = previous && message && !previous.deleted && !message.deleted && previous.userId === message.userId
      && new Date(message.createdAt) - new Date(previous.createdAt) < GROUP_WITHIN_MS;
    node.classList.toggle('continued', Boolean(continued));
  }

  /** Shows our own message at once, before the server has it. */
  addPending(text, key) {
    const node = this.render({ username: this.me.username, userId: this.me.id, text, createdAt: new Date().toISOString() }, true);
    this.pending.set(key, { text, node });
    this.list.append(node);
    return node;
  }

  /**
   * Our own message came back (live, or in a page) before the answer to our post: the oldest pending message
   * with the same text is that one, so it goes, and the message is never on screen twice.
   */
  settlePending(message) {
    for (const [key, entry] of this.pending) {
      if (entry.text === message.text) {
        entry.node.remove();
        this.pending.delete(key);
        return;
      }
    }
  }

  /** The server stored our message: the pending one becomes the real one (shown once). */
  confirm(key, message) {
    this.pending.get(key)?.node.remove();
    this.pending.delete(key);
    this.add(message);
  }

  fail(key, error, retry) {
    const entry = this.pending.get(key);
    if (!entry) return;
    entry.node.classList.add('failed');
    const status = entry.node.querySelector('.status');
    status.replaceChildren(`Not sent: ${error.message} `,
      h('button', { class: 'link', type: 'button', onclick: () => { entry.node.classList.remove('failed'); status.textContent = 'sending…'; retry(); } }, 'Retry'));
  }

  render(message, pending = false) {
    if (message.deleted) {
      return h('li', { class: 'message deleted', dataset: { seq: message.seq, id: message.id }, 'data-testid': 'message', tabindex: '-1' },
        h('span', { class: 'avatar', 'aria-hidden': 'true' }),
        h('div', { class: 'body' }, h('p', { class: 'text', 'data-testid': 'message-text' }, 'This message was deleted.')));
    }
    const mine = message.userId === this.me.id;
    const bot = message.username === 'babblebot';
    const mentionsMe = !pending && (message.mentions ?? []).includes(this.me.id);
    const author = h('button', { class: 'author', type: 'button', 'data-testid': 'author',
      onclick: () => this.onAuthorClick?.(message.userId, message.username) }, message.username);
    return h('li', {
      class: `message${mine ? ' mine' : ''}${bot ? ' bot' : ''}${pending ? ' pending' : ''}${mentionsMe ? ' mentions-me' : ''}`,
      dataset: pending ? {} : { seq: message.seq, id: message.id },
      'data-testid': pending ? 'pending-message' : 'message',
    },
    h('span', { class: 'avatar', style: { '--hue': hueOf(message.username) }, 'aria-hidden': 'true' }, bot ? 'BOT' : initials(message.username)),
    h('div', { class: 'body' },
      h('div', { class: 'meta' }, author, h('time', { datetime: message.createdAt }, timeOf(message.createdAt)),
        message.editedAt ? h('span', { class: 'edited', title: `Edited ${new Date(message.editedAt).toLocaleString()}`, 'data-testid': 'edited' }, '(edited)') : null,
        pending ? h('span', { class: 'status' }, 'sending…') : null),
      h('div', { class: 'text', 'data-testid': 'message-text' }, renderMarkdown(message.text)),
      pending ? null : this.chips(message),
      pending ? null : this.actions(message, mine)));
  }

  /** Each emoji given, with its count: a toggle (pressed when this user gave it). */
  chips(message) {
    if (!message.reactions?.length) return null;
    return h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions', 'data-testid': 'reactions' },
      message.reactions.map((r) => h('button', {
        type: 'button', class: 'chip', 'aria-pressed': String(Boolean(r.me)), 'data-testid': 'reaction', dataset: { emoji: r.emoji },
        'aria-label': `${r.emoji.replaceAll('_', ' ')}: ${r.count} ${r.count === 1 ? 'reaction' : 'reactions'}${r.me ? ', including yours' : ''}`,
        onclick: () => this.toggleReaction(message, r.emoji, !r.me).catch(() => {}),
      }, h('span', { 'aria-hidden': 'true' }, EMOJI.get(r.emoji) ?? r.emoji), ` ${r.count}`)));
  }

  /** The 64 emoji as buttons; Escape closes and gives focus back to the button that opened it. */
  openPicker(message, opener) {
    const node = opener.closest('li.message');
    node.querySelector('.picker')?.remove();
    const close = () => { picker.remove(); opener.focus(); };
    const picker = h('div', { class: 'picker', role: 'group', 'aria-label': 'Pick a reaction', 'data-testid': 'reaction-picker' },
      [...EMOJI].map(([name, char]) => h('button', { type: 'button', title: name.replaceAll('_', ' '), 'aria-label': name.replaceAll('_', ' '),
        dataset: { emoji: name }, onclick: () => { close(); this.toggleReaction(message, name, true).catch(() => {}); } }, char)));
    picker.addEventListener('keydown', (event) => { if (event.key === 'Escape') { event.stopPropagation(); close(); } });
    opener.closest('.message-actions').after(picker);
    picker.querySelector('button').focus();
  }

  /** The author's Edit and Delete, and the owner's Delete: real buttons, so the keyboard reaches them. */
  actions(message, mine) {
    const canDelete = mine || this.isOwner();
    const bar = h('div', { class: 'message-actions', role: 'group', 'aria-label': `Actions for message ${message.seq}` },
      h('button', { type: 'button', class: 'link', 'data-testid': 'add-reaction', 'aria-label': 'React to this message',
        onclick: (event) => this.openPicker(message, event.currentTarget) }, 'React'),
      mine ? h('button', { type: 'button', class: 'link', 'data-testid': 'edit-message', onclick: () => this.startEdit(message) }, 'Edit') : null,
      canDelete ? h('button', { type: 'button', class: 'link danger', 'data-testid': 'delete-message', onclick: () => this.confirmDelete(message, bar) }, 'Delete') : null);
    return bar;
  }

  /** Edits in place: Enter saves, Shift+Enter breaks the line, Escape gives up; the message's text comes back. */
  startEdit(message) {
    const node = this.list.querySelector(`li.message[data-seq="${message.seq}"]`);
    const text = node?.querySelector('.text');
    if (!text || node.querySelector('form.edit')) return;
    const input = h('textarea', { name: 'text', rows: 2, maxlength: 8000, 'aria-label': 'Edit message', 'data-testid': 'edit-input' });
    input.value = message.text;
    const error = h('small', { class: 'field-error', role: 'alert' });
    const cancel = () => { form.replaceWith(text); node.querySelector('[data-testid="edit-message"]')?.focus(); };
    const save = async () => {
      const value = input.value;
      if (!value.trim()) { error.textContent = 'A message needs some text.'; return; }
      if (value === message.text) { cancel(); return; }
      try {
        this.update(await this.api.editMessage(this.roomId, message.seq, value));
      } catch (e) {
        error.textContent = e.message;
      }
    };
    const form = h('form', { class: 'edit', 'data-testid': 'edit-form', onsubmit: (event) => { event.preventDefault(); save(); } },
      input, error,
      h('div', { class: 'edit-buttons' },
        h('button', { type: 'submit', 'data-testid': 'save-edit' }, 'Save'),
        h('button', { type: 'button', class: 'ghost', onclick: cancel }, 'Cancel')));
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); save(); }
      if (event.key === 'Escape') { event.preventDefault(); event.stopPropagation(); cancel(); }
    });
    text.replaceWith(form);
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  /** Deleting asks once, in place; Escape or Cancel keeps the message. */
  confirmDelete(message, bar) {
    const buttons = [...bar.children];
    const keep = () => { bar.replaceChildren(...buttons); bar.querySelector('[data-testid="delete-message"]')?.focus(); };
    const yes = h('button', { type: 'button', class: 'danger', 'data-testid': 'confirm-delete', onclick: async () => {
      try {
        await this.api.deleteMessage(this.roomId, message.seq);
        this.update({ roomId: this.roomId, seq: message.seq, deleted: true });
      } catch (e) {
        bar.replaceChildren(...buttons, h('small', { class: 'field-error', role: 'alert' }, e.message));
      }
    } }, 'Delete');
    bar.replaceChildren(h('span', { id: `delete-${this.roomId}-${message.seq}` }, 'Delete this message?'), yes,
      h('button', { type: 'button', class: 'ghost', onclick: keep }, 'Cancel'));
    bar.addEventListener('keydown', (event) => { if (event.key === 'Escape') { event.stopPropagation(); keep(); } }, { once: true });
    yes.focus();
  }
}
