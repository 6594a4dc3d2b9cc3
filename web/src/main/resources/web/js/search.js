// Search across rooms (docs/API.md, "Topics"): posts, comments and the chat messages of the user's rooms, with
// the matched words marked. The server gives highlights as [start, end) offsets into the text, never markup:
// the text is cut at those offsets into text nodes and <mark> elements, so nothing in it can become HTML.
import { h, replace, timeOf } from './dom.js';
import { routes } from './routes.js';

const PAGE = 20;
const KINDS = [[null, 'All'], ['post', 'Posts'], ['comment', 'Comments'], ['message', 'Messages']];
const SORTS = [['relevance', 'Relevance'], ['new', 'New'], ['top', 'Top']];
const KIND_NAMES = { post: 'Post', comment: 'Comment', message: 'Message' };

/**
 * `text` as nodes with each range of `ranges` ([[start, end], ...], end exclusive, in UTF-16 units as the
 * server counts them) in a <mark>. Ranges out of bounds are clipped, overlapping ones merged, empty ones dropped.
 */
export function highlighted(text, ranges) {
  const value = text ?? '';
  const spans = (ranges ?? [])
    .filter((r) => Array.isArray(r) && Number.isInteger(r[0]) && Number.isInteger(r[1]))
    .map(([start, end]) => [Math.max(0, start), Math.min(value.length, end)])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  const nodes = [];
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    if (from > at) nodes.push(document.createTextNode(value.slice(at, from)));
    nodes.push(h('mark', {}, value.slice(from, end)));
    at = end;
  }
  if (at < value.length) nodes.push(document.createTextNode(value.slice(at)));
  return nodes;
}

/** Where a hit leads: a post or a comment to its post, a message to its room's chat. */
function hrefOf(result) {
  if (result.kind === 'post') return routes.post(result.roomId, result.id);
  if (result.kind === 'comment' && result.postId) return routes.post(result.roomId, result.postId);
  return routes.room(result.roomId);
}

export class SearchView {
  /**
   * @param roomNames RoomNames, to say which room a hit is in
   * @param onQuery (query) => told when a filter changes the query, to keep the address in step
   */
  constructor({ api, roomNames, onQuery }) {
    Object.assign(this, { api, roomNames, onQuery });
    this.query = { q: '', kind: null, sort: 'relevance' };
    this.next = null;
    this.shown = new Set();
    this.token = 0;
    this.build();
  }

  build() {
    this.heading = h('h2', { class: 'hub-title', id: 'search-heading', tabindex: '-1', 'data-testid': 'search-heading' }, 'Search');
    this.kindButtons = KINDS.map(([kind, label]) => h('button', {
      type: 'button', class: 'tab', 'aria-pressed': String(kind === null), 'data-testid': `search-kind-${kind ?? 'all'}`,
      onclick: () => this.change({ kind }),
    }, label));
    this.sortButtons = SORTS.map(([sort, label]) => h('button', {
      type: 'button', class: 'tab', 'aria-pressed': String(sort === 'relevance'), 'data-testid': `search-sort-${sort}`,
      onclick: () => this.change({ sort }),
    }, label));
    this.total = h('p', { class: 'muted', role: 'status', 'data-testid': 'search-total' });
    this.error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'search-error' });
    this.list = h('ol', { class: 'search-results', 'aria-label': 'Results', 'data-testid': 'search-results' });
    this.more = h('button', { type: 'button', class: 'ghost hidden', 'data-testid': 'search-more', onclick: () => this.load(false) }, 'More results');
    this.root = h('section', { class: 'hub-view search', 'aria-labelledby': 'search-heading', 'data-testid': 'search-view' },
      h('div', { class: 'hub-head' }, this.heading),
      h('div', { class: 'posts-toolbar' },
        h('div', { class: 'tabs', role: 'group', 'aria-label': 'Find' }, this.kindButtons),
        h('span', { class: 'spacer' }),
        h('div', { class: 'tabs', role: 'group', 'aria-label': 'Sort results' }, this.sortButtons)),
      this.total, this.error, this.list, h('div', { class: 'row' }, this.more));
  }

  /** Runs `query` ({q, kind, sort}) from the first page. */
  show(query) {
    this.query = { q: query.q ?? '', kind: query.kind ?? null, sort: query.sort ?? 'relevance' };
    for (const button of this.kindButtons) button.setAttribute('aria-pressed', String(button.dataset.testid === `search-kind-${this.query.kind ?? 'all'}`));
    for (const button of this.sortButtons) button.setAttribute('aria-pressed', String(button.dataset.testid === `search-sort-${this.query.sort}`));
    this.heading.textContent = this.query.q ? `Search: ${this.query.q}` : 'Search';
    this.load(true);
  }

  change(part) {
    const query = { ...this.query, ...part };
    this.onQuery?.(query);
    this.show(query);
  }

  async load(reset) {
    const cursor = reset ? null : this.next;
    if (!reset && !cursor) return;
    const token = ++this.token; // a newer search wins
    if (reset) {
      this.shown.clear();
      replace(this.list);
      this.next = null;
      this.more.classList.add('hidden');
      this.error.textContent = '';
      this.total.textContent = this.query.q.trim() ? 'Searching…' : 'Type words to search for in the box above.';
      if (!this.query.q.trim()) return;
    }
    this.more.disabled = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.search({ ...this.query, cursor, limit: PAGE });
      if (token !== this.token) return;
      this.error.textContent = '';
      for (const result of page.results ?? []) {
        const key = `${result.kind}:${result.id}`;
        if (this.shown.has(key)) continue;
        this.shown.add(key);
        this.list.append(this.renderResult(result));
      }
      this.next = page.next ?? null;
      const total = page.total ?? this.shown.size;
      this.total.textContent = total === 0 ? `Nothing found for “${this.query.q}”.`
        : `${total.toLocaleString()} ${total === 1 ? 'result' : 'results'} for “${this.query.q}”`;
    } catch (e) {
      if (token !== this.token) return;
      this.total.textContent = '';
      // A 422 is a query the server could not take: its detail says why (empty, too long, ...).
      this.error.textContent = e.status === 422 ? `This search cannot be run: ${e.message}` : `Search failed: ${e.message}`;
    } finally {
      if (token === this.token) {
        this.more.disabled = false;
        this.more.classList.toggle('hidden', !this.next);
        this.list.removeAttribute('aria-busy');
      }
    }
  }

  renderResult(result) {
    const author = result.author || {};
    return h('li', { class: 'search-result', 'data-testid': 'search-result', dataset: { kind: result.kind, id: result.id } },
      h('a', { class: 'result-link', href: hrefOf(result), 'data-testid': 'result-link' },
        h('span', { class: 'result-meta' },
          h('span', { class: 'result-kind' }, KIND_NAMES[result.kind] ?? result.kind),
          this.roomNames.label(result.roomId),
          author.displayName || author.username ? h('span', {}, `by ${author.displayName || author.username}`) : null,
          result.kind === 'post' ? h('span', {}, `${(result.votes ?? 0).toLocaleString()} points`) : null,
          result.createdAt ? h('time', { datetime: result.createdAt }, timeOf(result.createdAt)) : null),
        result.title ? h('span', { class: 'result-title', 'data-testid': 'result-title' }, highlighted(result.title, result.titleHighlights)) : null,
        h('span', { class: 'result-text', 'data-testid': 'result-text' }, highlighted(result.text, result.highlights))));
  }
}
