// Posts shown outside their room's board (the feed, topic pages, label lists, similar posts): a compact card
// that links to the post, tag chips that open topic pages, and a paged list that never shows a post twice.
import { h, replace, timeOf } from './dom.js';
import { routes } from './routes.js';

const MAX_NAMES = 500; // room names remembered; beyond that the cache starts again

function plural(n, word) {
  return `${n.toLocaleString()} ${n === 1 ? word : `${word}s`}`;
}

/** A post's tags as links to their topic pages ({@code hrefOf} for another kind of chip, e.g. labels). */
export function tagChips(tags, { label = 'Tags', hrefOf = (tag) => routes.topic(tag), testid = 'tag' } = {}) {
  if (!tags?.length) return null;
  return h('ul', { class: 'tags', 'aria-label': label },
    tags.map((tag) => h('li', {}, h('a', { class: 'tag', href: hrefOf(tag), 'data-testid': testid }, tag))));
}

/**
 * The names of rooms by id: the user's own rooms are known; others (posts of public rooms they are not in) are
 * read once each and remembered.
 */
export class RoomNames {
  constructor(api, known) {
    this.api = api;
    this.known = known; // (roomId) => name or null
    this.fetched = new Map(); // roomId -> Promise of a name or null
  }

  name(roomId) {
    const mine = this.known(roomId);
    if (mine) return Promise.resolve(mine);
    if (!this.fetched.has(roomId)) {
      if (this.fetched.size >= MAX_NAMES) this.fetched.clear();
      this.fetched.set(roomId, this.api.room(roomId).then((room) => room.name).catch(() => null));
    }
    return this.fetched.get(roomId);
  }

  /** "in #name", filled in as soon as the name is known (nothing when it cannot be). */
  label(roomId) {
    const node = h('span', { class: 'card-room', 'data-testid': 'card-room' });
    const mine = this.known(roomId);
    if (mine) node.textContent = `in #${mine}`;
    else if (roomId) this.name(roomId).then((name) => { if (name) node.textContent = `in #${name}`; });
    return node;
  }
}

/** One post as a card: its score, its title linking to it, where, who, when, comments and tags. */
export function postCard(post, roomNames) {
  const author = post.author || {};
  return h('li', { class: 'post-card', 'data-testid': 'post-card', dataset: { id: post.id } },
    h('span', { class: 'score', title: 'Score', 'aria-label': `Score ${post.score ?? 0}`, 'data-testid': 'card-score' }, String(post.score ?? 0)),
    h('div', { class: 'post-main' },
      h('a', { class: 'post-title', href: routes.post(post.roomId, post.id), 'data-testid': 'card-title' }, post.title),
      h('div', { class: 'post-meta' },
        roomNames.label(post.roomId),
        h('span', { 'data-testid': 'card-author' }, `by ${author.displayName || author.username || 'someone'}`),
        post.createdAt ? h('time', { datetime: post.createdAt }, timeOf(post.createdAt)) : null,
        h('span', {}, plural(post.commentCount ?? 0, 'comment')),
        tagChips(post.tags))));
}

/**
 * A list of post cards read page by page: {@code load(cursor)} answers {posts, next}. A reload replaces the
 * list; a page adds the posts not shown yet (a ranking that moved between pages never shows one twice).
 */
export class PostList {
  constructor({ load, roomNames, label, testid, emptyText }) {
    Object.assign(this, { loadPage: load, roomNames });
    this.shown = new Set();
    this.next = null;
    this.token = 0;
    this.error = h('p', { class: 'form-error', role: 'alert', 'data-testid': `${testid}-error` });
    this.list = h('ol', { class: 'post-cards', 'aria-label': label, 'data-testid': testid });
    this.emptyNote = h('p', { class: 'note hidden', 'data-testid': `${testid}-empty` }, emptyText);
    this.more = h('button', { type: 'button', class: 'ghost hidden', 'data-testid': `${testid}-more`, onclick: () => this.load(false) }, 'Load more');
    this.root = h('div', { class: 'post-list-block' }, this.error, this.list, this.emptyNote, h('div', { class: 'row' }, this.more));
  }

  async load(reset = true) {
    const cursor = reset ? null : this.next;
    if (!reset && !cursor) return;
    const token = ++this.token; // a newer load wins
    this.more.disabled = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await this.loadPage(cursor);
      if (token !== this.token) return;
      this.error.textContent = '';
      if (reset) {
        this.shown.clear();
        replace(this.list);
      }
      for (const post of page.posts ?? []) {
        if (this.shown.has(post.id)) continue;
        this.shown.add(post.id);
        this.list.append(postCard(post, this.roomNames));
      }
      this.next = page.next ?? null;
    } catch (e) {
      if (token !== this.token) return;
      if (reset) {
        this.shown.clear();
        replace(this.list);
        this.next = null;
      }
      this.error.textContent = `${e.status === 503 ? 'This is unavailable right now' : 'Posts could not be loaded'}: ${e.message}`;
    } finally {
      if (token === this.token) {
        this.more.disabled = false;
        this.more.classList.toggle('hidden', !this.next);
        this.list.removeAttribute('aria-busy');
        this.emptyNote.classList.toggle('hidden', this.shown.size > 0 || Boolean(this.error.textContent));
      }
    }
  }
}
