// A room's posts beside its chat (docs/API.md, seed 002): a list sorted hot / new / top with votes, a post with
// its comment thread, and for the room's owner the moderation rules and review queue.
//
// Reads come from a read model that follows the writes a moment later, so what this user just wrote (a post,
// a comment, a vote) is shown from the answer to the write and kept on screen until a read has caught up; a
// reload, a page and a live frame are all merged into what is shown by id, so nothing shows twice, and a
// decision moderation already announced is never undone by a read that has not seen it yet.
import { tagChips } from './cards.js';
import { h, hueOf, initials, replace, timeOf } from './dom.js';

const PAGE = 25;
const KEEP_LOCAL_MS = 60_000; // our own new items stay pinned over a read model that has not caught up
const TRUST_VOTE_MS = 10_000; // our vote's answer wins over reads for this long
const SORTS = [['hot', 'Hot'], ['new', 'New'], ['top', 'Top']];

/** What a status badge says; nothing for approved items. */
export function statusText(item) {
  switch (item.status) {
    case 'pending': return 'awaiting moderation';
    case 'held': return 'held for review';
    case 'rejected': return item.reason ? `rejected: ${item.reason}` : 'rejected';
    default: return '';
  }
}

function badge(item) {
  const text = statusText(item);
  return text ? h('span', { class: `status-badge ${item.status}`, 'data-testid': 'status' }, text) : null;
}

/** The URL as a URL object when it is http(s), else null: never a javascript: or data: link. */
function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function plural(n, word) {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function words(text) {
  return text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);
}

/** Oldest first: by creation time, then by id (UUIDv7 ids sort by creation time too). */
function byAge(a, b) {
  const t = Date.parse(a.createdAt) - Date.parse(b.createdAt);
  return t || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A newly decided status is never taken back by a read that still says pending. */
function mergeStatus(old, incoming) {
  const item = { ...(old || {}), ...incoming };
  if (old && incoming.status === 'pending' && old.status && old.status !== 'pending') {
    item.status = old.status;
    item.reason = old.reason;
  }
  return item;
}

/**
 * One Idempotency-Key per content: sending the same content again (a double click, a retry) reuses the key, so
 * the server answers the first item instead of storing a second; edited content gets a fresh key.
 */
function idempotencyKeys() {
  let key = null;
  let sent = null;
  return {
    for(content) {
      const json = JSON.stringify(content);
      if (json !== sent) {
        key = crypto.randomUUID();
        sent = json;
      }
      return key;
    },
    reset() { key = null; sent = null; },
  };
}

/** Replaces a node, keeping keyboard focus on the same control (by data-testid) in the new one. */
function swap(old, fresh) {
  const active = document.activeElement;
  const focused = active && old.contains(active) ? active.dataset.testid : null;
  old.replaceWith(fresh);
  if (focused) fresh.querySelector(`[data-testid="${focused}"]`)?.focus();
  return fresh;
}

/** A problem+json answer on a form: field errors next to their fields, the detail above the buttons. */
function showProblem(error, general, fields) {
  for (const [input, hint] of Object.values(fields)) {
    input.removeAttribute('aria-invalid');
    hint.textContent = '';
  }
  if (!error) {
    general.textContent = '';
    return;
  }
  const loose = [];
  for (const { field, message } of error.problem?.errors ?? []) {
    const entry = fields[String(field ?? '').split(/[.[]/)[0]];
    if (entry) {
      entry[0].setAttribute('aria-invalid', 'true');
      entry[1].textContent = message;
    } else if (message) {
      loose.push(field ? `${field}: ${message}` : message);
    }
  }
  const retry = error.status === 429 ? ' Try again in a moment.' : '';
  general.textContent = [error.message + retry, ...loose].join(' ');
}

function fieldHint(id) {
  return h('small', { class: 'field-error', id, 'aria-live': 'polite' });
}

export class PostsView {
  /**
   * @param room the room as the app keeps it (its createdBy says who moderates)
   * @param modal (title, content) => an open dialog
   * @param toast (text) => a short note
   * @param onAuthorClick (userId, username) => shows a person
   * @param related (postId) => what to show under an open post (the user's labels, similar posts), or nothing
   */
  constructor({ api, me, room, modal, toast, onAuthorClick, related }) {
    Object.assign(this, { api, me, room, modal, toast, onAuthorClick, related });
    this.roomId = room.id;
    this.posts = new Map(); // id -> post as last known
    this.nodes = new Map(); // id -> its list item
    this.local = new Map(); // id -> when we created it, until a list read shows it
    this.gone = new Map(); // id -> when it was deleted or rejected, so a read that lags cannot bring it back
    this.votes = new Map(); // id -> {score, myVote, at}: our vote's answer
    this.voting = new Set();
    this.seenComments = new Map(); // comment id -> status, to keep comment counts right from live frames
    this.localComments = new Map(); // comment id -> {comment, at}
    this.sort = 'hot';
    this.next = null;
    this.listLoaded = false;
    this.loadToken = 0;
    this.lastLoad = 0;
    this.postId = null;
    this.detailToken = 0;
    this.comments = new Map(); // id -> comment of the open post
    this.commentNodes = new Map();
    this.thread = null;
    this.build();
  }

  href(postId) {
    return `#${encodeURIComponent(this.roomId)}/posts${postId ? `/${encodeURIComponent(postId)}` : ''}`;
  }

  isOwner() {
    return Boolean(this.room.createdBy) && this.room.createdBy === this.me.id;
  }

  // ---- layout ----

  build() {
    this.sortButtons = SORTS.map(([sort, label]) => h('button', {
      type: 'button', class: 'tab', 'aria-pressed': String(sort === this.sort), 'data-testid': `sort-${sort}`,
      onclick: () => this.setSort(sort),
    }, label));
    this.moderationToggle = h('button', {
      type: 'button', class: 'ghost hidden', 'aria-expanded': 'false', 'aria-controls': `moderation-${this.roomId}`,
      'data-testid': 'moderation-toggle', onclick: () => this.toggleModeration(),
    }, 'Moderation');
    const toolbar = h('div', { class: 'posts-toolbar' },
      h('div', { class: 'tabs', role: 'group', 'aria-label': 'Sort posts' }, this.sortButtons),
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'ghost', 'data-testid': 'posts-refresh', onclick: () => this.load(true) }, 'Refresh'),
      this.moderationToggle,
      h('button', { type: 'button', class: 'primary', 'data-testid': 'new-post', onclick: () => this.composePost() }, 'New post'));
    this.moderation = this.buildModeration();
    this.listError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'posts-error' });
    this.list = h('ol', { class: 'post-list', 'aria-label': 'Posts', 'data-testid': 'post-list' });
    this.emptyNote = h('p', { class: 'note hidden', 'data-testid': 'posts-empty' }, 'No posts yet. Start the conversation!');
    this.more = h('button', { type: 'button', class: 'ghost hidden', 'data-testid': 'posts-more', onclick: () => this.load(false) }, 'Load more');
    this.listPane = h('div', { class: 'posts-list-pane' }, toolbar, this.moderation, this.listError, this.list, this.emptyNote,
      h('div', { class: 'row' }, this.more));
    this.detailPane = h('div', { class: 'post-detail hidden', 'data-testid': 'post-detail-pane' });
    this.root = h('div', { class: 'posts', 'data-testid': 'posts-view' }, this.listPane, this.detailPane);
  }

  /** Shows the list (postId null) or one post. */
  show(postId) {
    this.refreshOwner();
    if (postId) {
      if (postId !== this.postId) this.openPost(postId);
      return;
    }
    const wasOpen = this.postId;
    this.postId = null;
    this.detailPane.classList.add('hidden');
    replace(this.detailPane);
    this.listPane.classList.remove('hidden');
    if (!this.listLoaded) this.load(true);
    else if (wasOpen) this.nodes.get(wasOpen)?.querySelector('[data-testid=post-title]')?.focus();
  }

  refreshOwner() {
    const owner = this.isOwner();
    this.moderationToggle.classList.toggle('hidden', !owner);
    if (!owner) this.moderation.classList.add('hidden');
  }

  /** After the live connection was down (frames may be lost): read again what is on screen. */
  resync() {
    if (Date.now() - this.lastLoad < 2_000) return;
    if (this.postId) this.openPost(this.postId, { keep: true });
    else if (this.listLoaded) this.load(true);
  }

  // ---- the list ----

  setSort(sort) {
    if (sort === this.sort && this.listLoaded) return;
    this.sort = sort;
    for (const button of this.sortButtons) button.setAttribute('aria-pressed', String(button.dataset.testid === `sort-${sort}`));
    this.load(true);
  }

  async load(reset) {
    const cursor = reset ? null : this.next;
    if (!reset && !cursor) return;
    const token = ++this.loadToken; // a newer load (another sort, a refresh) wins
    this.lastLoad = Date.now();
    this.more.disabled = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.posts(this.roomId, { sort: this.sort, cursor, limit: PAGE });
      if (token !== this.loadToken) return;
      this.listError.textContent = '';
      const shown = new Set(page.posts.map((p) => p.id));
      for (const id of shown) this.local.delete(id);
      if (reset) {
        this.nodes.clear();
        this.list.replaceChildren();
        // Our own posts the read model does not list yet stay on top (newest first).
        const now = Date.now();
        const pinned = [...this.local].filter(([id, at]) => {
          if (now - at > KEEP_LOCAL_MS || !this.posts.has(id)) this.local.delete(id);
          return this.local.has(id);
        }).map(([id]) => this.posts.get(id)).sort((a, b) => byAge(b, a));
        for (const post of pinned) this.appendPost(post);
      }
      for (const incoming of page.posts) {
        if (this.isGone(incoming.id)) continue;
        const post = this.mergePost(this.posts.get(incoming.id), incoming, false);
        this.posts.set(post.id, post);
        if (!this.nodes.has(post.id)) this.appendPost(post);
      }
      this.next = page.next ?? null;
      this.listLoaded = true;
    } catch (e) {
      if (token === this.loadToken) this.listError.textContent = `Posts could not be loaded: ${e.message}`;
    } finally {
      if (token === this.loadToken) {
        this.more.disabled = false;
        this.more.classList.toggle('hidden', !this.next);
        this.list.removeAttribute('aria-busy');
        this.updateEmpty();
      }
    }
  }

  isGone(id) {
    const at = this.gone.get(id);
    if (at && Date.now() - at > KEEP_LOCAL_MS) this.gone.delete(id);
    return this.gone.has(id);
  }

  updateEmpty() {
    this.emptyNote.classList.toggle('hidden', !this.listLoaded || this.nodes.size > 0);
  }

  appendPost(post) {
    const node = this.renderItem(post);
    this.nodes.set(post.id, node);
    this.list.append(node);
  }

  mergePost(old, incoming, fromFrame) {
    const post = mergeStatus(old, incoming);
    if (old && (fromFrame || incoming.myVote === undefined)) post.myVote = old.myVote; // frames know nobody's vote
    const vote = this.votes.get(post.id);
    if (vote) {
      if (!fromFrame && (incoming.myVote ?? 0) === vote.myVote) {
        this.votes.delete(post.id); // the read model has our vote now
      } else if (Date.now() - vote.at < TRUST_VOTE_MS) {
        post.score = vote.score;
        post.myVote = vote.myVote;
      } else {
        this.votes.delete(post.id);
      }
    }
    return post;
  }

  /** Merges a post from a read, a write or a frame; `insert` puts one not shown yet on top of the list. */
  upsertPost(incoming, { fromFrame = false, insert = false } = {}) {
    if (incoming.roomId && incoming.roomId !== this.roomId) return null;
    const post = this.mergePost(this.posts.get(incoming.id), incoming, fromFrame);
    this.setPost(post);
    if (!this.nodes.has(post.id) && insert && this.listLoaded) {
      const node = this.renderItem(post);
      this.nodes.set(post.id, node);
      this.list.prepend(node);
      this.updateEmpty();
    }
    return post;
  }

  /** Stores a post and redraws it wherever it is shown. */
  setPost(post) {
    this.posts.set(post.id, post);
    const node = this.nodes.get(post.id);
    if (node) this.nodes.set(post.id, swap(node, this.renderItem(post)));
    if (this.postId === post.id) this.renderDetailPost();
  }

  removePost(id) {
    this.gone.set(id, Date.now());
    this.posts.delete(id);
    this.local.delete(id);
    this.nodes.get(id)?.remove();
    this.nodes.delete(id);
    this.updateEmpty();
    if (this.postId === id && this.detailPost) {
      replace(this.detailPost, h('p', { class: 'note', role: 'status', 'data-testid': 'post-removed' }, 'This post was removed.'));
      this.commentsSection?.classList.add('hidden');
      this.relatedSlot?.classList.add('hidden');
    }
  }

  renderItem(post) {
    const url = safeUrl(post.url);
    const count = post.commentCount ?? 0;
    return h('li', { class: `post ${post.status || ''}`, 'data-testid': 'post', dataset: { id: post.id, status: post.status || '' } },
      this.voteBox(post),
      h('div', { class: 'post-main' },
        h('div', { class: 'post-head' },
          h('a', { class: 'post-title', href: this.href(post.id), 'data-testid': 'post-title' }, post.title),
          url ? h('a', { class: 'post-url', href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow', 'data-testid': 'post-url' }, url.hostname) : null),
        h('div', { class: 'post-meta' },
          this.byline(post),
          this.tags(post),
          h('a', { class: 'comments-link', href: this.href(post.id), 'data-testid': 'comment-count' }, plural(count, 'comment')),
          badge(post))));
  }

  byline(item) {
    const author = item.author || {};
    const name = author.displayName || author.username || 'someone';
    return h('span', { class: 'byline' },
      'by ',
      author.id // without an id there is nobody to show: plain text
        ? h('button', { class: 'author', type: 'button', 'data-testid': 'author', onclick: () => this.onAuthorClick?.(author.id, author.username) }, name)
        : h('span', { class: 'author', 'data-testid': 'author' }, name),
      ' ',
      item.createdAt ? h('time', { datetime: item.createdAt }, timeOf(item.createdAt)) : null);
  }

  /** The post's tags, each a link to its topic's page. */
  tags(post) {
    return tagChips(post.tags);
  }

  voteBox(post) {
    const mine = post.myVote ?? 0;
    return h('div', { class: 'vote-box', role: 'group', 'aria-label': 'Votes' },
      h('button', { type: 'button', class: `vote up${mine === 1 ? ' active' : ''}`, 'aria-pressed': String(mine === 1),
        'aria-label': 'Upvote', title: 'Upvote', 'data-testid': 'upvote', onclick: () => this.vote(post.id, 1) }, '▲'),
      h('span', { class: 'score', 'data-testid': 'score', title: 'Score' }, String(post.score ?? 0)),
      h('button', { type: 'button', class: `vote down${mine === -1 ? ' active' : ''}`, 'aria-pressed': String(mine === -1),
        'aria-label': 'Downvote', title: 'Downvote', 'data-testid': 'downvote', onclick: () => this.vote(post.id, -1) }, '▼'));
  }

  /** Clicking the arrow that is already on withdraws the vote (0). */
  async vote(postId, direction) {
    const post = this.posts.get(postId);
    if (!post || this.voting.has(postId)) return;
    const value = (post.myVote ?? 0) === direction ? 0 : direction;
    this.voting.add(postId);
    try {
      const answer = await this.api.vote(postId, value);
      const myVote = answer?.myVote ?? value;
      this.votes.set(postId, { score: answer?.score ?? post.score, myVote, at: Date.now() });
      const now = this.posts.get(postId);
      if (now) this.setPost({ ...now, score: answer?.score ?? now.score, myVote });
    } catch (e) {
      this.toast(`Vote not counted: ${e.message}`);
    } finally {
      this.voting.delete(postId);
    }
  }

  composePost() {
    const title = h('input', { required: true, maxlength: 300, placeholder: 'What is it about?', 'data-testid': 'post-title-input', 'aria-describedby': `pt-${this.roomId}` });
    const url = h('input', { type: 'url', maxlength: 2000, placeholder: 'https://… (optional)', 'data-testid': 'post-url-input', 'aria-describedby': `pu-${this.roomId}` });
    const body = h('textarea', { rows: 6, maxlength: 40000, placeholder: 'optional', 'data-testid': 'post-body-input', 'aria-describedby': `pb-${this.roomId}` });
    const tags = h('input', { placeholder: 'e.g. news, help (optional, up to 5)', 'data-testid': 'post-tags-input', 'aria-describedby': `pg-${this.roomId}` });
    const fields = {
      title: [title, fieldHint(`pt-${this.roomId}`)],
      url: [url, fieldHint(`pu-${this.roomId}`)],
      body: [body, fieldHint(`pb-${this.roomId}`)],
      tags: [tags, fieldHint(`pg-${this.roomId}`)],
    };
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'post-error' });
    const submit = h('button', { class: 'primary', type: 'submit', 'data-testid': 'post-submit' }, 'Post');
    const keys = idempotencyKeys();
    let busy = false;
    const form = h('form', { class: 'stack', novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      if (busy) return; // a double submit while the first is on its way
      const content = {
        title: title.value.trim(),
        ...(body.value.trim() ? { body: body.value } : {}),
        ...(url.value.trim() ? { url: url.value.trim() } : {}),
      };
      const tagList = tags.value.split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
      if (tagList.length) content.tags = tagList;
      if (!content.title) {
        showProblem({ message: 'A post needs a title.', problem: { errors: [{ field: 'title', message: 'Required.' }] } }, error, fields);
        title.focus();
        return;
      }
      busy = true;
      submit.disabled = true;
      try {
        const post = await this.api.createPost(this.roomId, content, keys.for(content));
        dialog.close();
        this.created(post);
      } catch (e) {
        showProblem(e, error, fields);
      } finally {
        busy = false;
        submit.disabled = false;
      }
    } },
    h('label', { class: 'field' }, 'Title', title, fields.title[1]),
    h('label', { class: 'field' }, 'Link', url, fields.url[1]),
    h('label', { class: 'field' }, 'Text', body, fields.body[1]),
    h('label', { class: 'field' }, 'Tags (comma-separated)', tags, fields.tags[1]),
    error,
    h('div', { class: 'row end' },
      h('button', { class: 'ghost', type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      submit));
    const dialog = this.modal('New post', form);
    dialog.classList.add('wide-modal');
    dialog.dataset.testid = 'post-dialog';
    title.focus();
  }

  /** Our new post, from the answer: on screen at once, whatever the read model says yet. */
  created(post) {
    this.local.set(post.id, Date.now());
    if (!this.listLoaded) {
      this.listLoaded = true; // an empty list that now has our post; a later load merges by id
      this.updateEmpty();
    }
    this.upsertPost(post, { insert: true });
    this.nodes.get(post.id)?.querySelector('[data-testid=post-title]')?.focus();
  }

  // ---- one post and its comments ----

  async openPost(postId, { keep = false } = {}) {
    this.postId = postId;
    this.listPane.classList.add('hidden');
    this.detailPane.classList.remove('hidden');
    const token = ++this.detailToken;
    this.lastLoad = Date.now();
    if (!keep || !this.detailPost) {
      this.comments = new Map();
      this.commentNodes = new Map();
      this.commentsNext = null;
      this.replyTo = null;
      this.detailPost = h('div', { class: 'post-full-slot' }, h('p', { class: 'note' }, 'Loading…'));
      this.commentCountLabel = h('span', { 'data-testid': 'detail-comment-count' });
      this.thread = h('ul', { class: 'comments', 'data-testid': 'comments', 'aria-label': 'Comments' });
      this.commentsMore = h('button', { type: 'button', class: 'ghost hidden', 'data-testid': 'comments-more', onclick: () => this.loadComments(false) }, 'More comments');
      this.commentsError = h('p', { class: 'form-error', role: 'alert' });
      this.commentsSection = h('section', { class: 'comments-section', 'aria-label': 'Comments' },
        h('h4', {}, this.commentCountLabel),
        this.commentForm(null),
        this.commentsError, this.thread, h('div', { class: 'row' }, this.commentsMore));
      this.relatedSlot = h('div', { class: 'post-related' }, this.related?.(postId));
      replace(this.detailPane,
        h('a', { class: 'link back', href: this.href(null), 'data-testid': 'back-to-posts' }, '← All posts'),
        this.detailPost, this.relatedSlot, this.commentsSection);
    }
    if (this.posts.has(postId)) this.renderDetailPost();
    try {
      const post = await this.api.getPost(postId);
      if (token !== this.detailToken) return;
      if (this.isGone(postId)) throw Object.assign(new Error('gone'), { status: 404 });
      this.upsertPost(post);
      this.renderDetailPost();
    } catch (e) {
      if (token !== this.detailToken) return;
      if (!this.posts.has(postId) || (e.status === 404 && !this.local.has(postId))) {
        if (e.status === 404) this.posts.delete(postId);
        replace(this.detailPost, h('p', { class: 'form-error', role: 'alert', 'data-testid': 'post-missing' },
          e.status === 404 ? 'This post is not here: it was deleted, or it is not visible to you.' : `The post could not be loaded: ${e.message}`));
        this.commentsSection.classList.add('hidden');
        this.relatedSlot.classList.add('hidden');
        return;
      }
    }
    if (!keep) this.detailPost.querySelector('h3')?.focus();
    await this.loadComments(true, token);
  }

  renderDetailPost() {
    const post = this.posts.get(this.postId);
    if (!post || !this.detailPost) return;
    const url = safeUrl(post.url);
    const canDelete = post.author?.id === this.me.id || this.isOwner();
    const article = h('article', { class: `post-full ${post.status || ''}`, 'data-testid': 'post-detail', dataset: { id: post.id, status: post.status || '' } },
      this.voteBox(post),
      h('div', { class: 'post-main' },
        h('h3', { class: 'post-full-title', tabindex: '-1', 'data-testid': 'post-detail-title' }, post.title),
        url ? h('a', { class: 'post-url', href: url.href, target: '_blank', rel: 'noopener noreferrer nofollow', 'data-testid': 'post-url' }, url.href) : null,
        h('div', { class: 'post-meta' }, this.byline(post), this.tags(post), badge(post)),
        post.body ? h('p', { class: 'post-body', 'data-testid': 'post-body' }, post.body) : null,
        canDelete ? h('div', { class: 'row end' },
          h('button', { type: 'button', class: 'ghost danger', 'data-testid': 'delete-post', onclick: () => this.deletePost(post.id) }, 'Delete post')) : null));
    const old = this.detailPost.firstElementChild;
    if (old) swap(old, article);
    else this.detailPost.append(article);
    this.commentCountLabel.textContent = plural(post.commentCount ?? 0, 'comment');
    this.commentsSection.classList.remove('hidden');
    this.relatedSlot?.classList.remove('hidden');
  }

  async deletePost(postId) {
    const post = this.posts.get(postId);
    if (!post || !confirm(`Delete the post "${post.title}"? Its comments go with it.`)) return;
    try {
      await this.api.deletePost(postId);
    } catch (e) {
      if (e.status !== 404) { // already gone is gone
        this.toast(`Not deleted: ${e.message}`);
        return;
      }
    }
    this.removePost(postId);
    location.hash = this.href(null);
  }

  async loadComments(reset, token = this.detailToken) {
    const postId = this.postId;
    const cursor = reset ? null : this.commentsNext;
    if (!postId || (!reset && !cursor)) return;
    this.commentsMore.disabled = true;
    try {
      const page = await this.api.comments(postId, cursor);
      if (token !== this.detailToken || postId !== this.postId) return;
      this.commentsError.textContent = '';
      for (const comment of page.comments) {
        this.localComments.delete(comment.id);
        this.upsertComment(comment);
      }
      if (reset) {
        const now = Date.now();
        for (const [id, { comment, at }] of this.localComments) {
          if (now - at > KEEP_LOCAL_MS) this.localComments.delete(id);
          else if (comment.postId === postId) this.upsertComment(comment);
        }
      }
      this.commentsNext = page.next ?? null;
    } catch (e) {
      const lagging = e.status === 404 && this.local.has(postId); // our new post: the read model has not seen it yet
      if (token === this.detailToken && !lagging) this.commentsError.textContent = `Comments could not be loaded: ${e.message}`;
    } finally {
      if (token === this.detailToken) {
        this.commentsMore.disabled = false;
        this.commentsMore.classList.toggle('hidden', !this.commentsNext);
      }
    }
  }

  /** Merges a comment into the open post's thread, under its parent, oldest first. */
  upsertComment(incoming) {
    const seen = this.seenComments.get(incoming.id);
    const old = this.comments.get(incoming.id) ?? this.localComments.get(incoming.id)?.comment ?? (seen ? { status: seen } : undefined);
    const comment = mergeStatus(old, incoming);
    this.seenComments.set(comment.id, comment.status);
    if (comment.postId !== this.postId || !this.thread) return;
    this.comments.set(comment.id, comment);
    const node = this.commentNodes.get(comment.id);
    if (node) {
      node.dataset.status = comment.status || '';
      node.className = `comment ${comment.status || ''}`;
      swap(node.querySelector(':scope > .comment-card'), this.renderCommentCard(comment));
      return;
    }
    const fresh = this.renderComment(comment);
    this.commentNodes.set(comment.id, fresh);
    const parent = comment.parentId ? this.commentNodes.get(comment.parentId) : null;
    this.insertOrdered(parent ? parent.querySelector(':scope > .replies') : this.thread, fresh, comment);
    // Replies that arrived before this comment wait at the top level: now they go under it.
    for (const orphan of [...this.thread.querySelectorAll(':scope > li.comment')]) {
      if (orphan.dataset.parent === comment.id) {
        this.insertOrdered(fresh.querySelector(':scope > .replies'), orphan, this.comments.get(orphan.dataset.id));
      }
    }
  }

  insertOrdered(container, node, comment) {
    const after = [...container.children].find((li) => {
      const other = this.comments.get(li.dataset.id);
      return other && other.id !== comment.id && byAge(comment, other) < 0;
    });
    container.insertBefore(node, after ?? null);
  }

  removeComment(id) {
    const node = this.commentNodes.get(id);
    this.comments.delete(id);
    this.localComments.delete(id);
    if (!node) return;
    this.commentNodes.delete(id);
    if (node.querySelector(':scope > .replies').children.length) {
      // Its replies stay, under a placeholder.
      swap(node.querySelector(':scope > .comment-card'), h('div', { class: 'comment-card removed' }, h('p', { class: 'note' }, 'Comment removed.')));
      node.dataset.status = 'removed';
    } else {
      node.remove();
    }
  }

  renderComment(comment) {
    return h('li', { class: `comment ${comment.status || ''}`, 'data-testid': 'comment',
      dataset: { id: comment.id, status: comment.status || '', parent: comment.parentId || '' } },
    this.renderCommentCard(comment),
    h('div', { class: 'reply-slot' }),
    h('ul', { class: 'replies' }));
  }

  renderCommentCard(comment) {
    const author = comment.author || {};
    return h('article', { class: 'comment-card' },
      h('div', { class: 'meta' },
        h('span', { class: 'avatar small', style: { '--hue': hueOf(author.username) }, 'aria-hidden': 'true' }, initials(author.displayName || author.username)),
        h('button', { class: 'author', type: 'button', 'data-testid': 'author', onclick: () => this.onAuthorClick?.(author.id, author.username) },
          author.displayName || author.username || 'someone'),
        comment.createdAt ? h('time', { datetime: comment.createdAt }, timeOf(comment.createdAt)) : null,
        badge(comment)),
      h('p', { class: 'text', 'data-testid': 'comment-text' }, comment.text),
      h('div', { class: 'comment-actions' },
        h('button', { type: 'button', class: 'link', 'data-testid': 'reply', 'aria-expanded': String(this.replyTo === comment.id),
          onclick: () => this.openReply(comment.id) }, 'Reply')));
  }

  openReply(commentId) {
    const node = this.commentNodes.get(commentId);
    if (!node) return;
    this.closeReply();
    this.replyTo = commentId;
    node.querySelector(':scope > .comment-card [data-testid=reply]')?.setAttribute('aria-expanded', 'true');
    const form = this.commentForm(commentId);
    node.querySelector(':scope > .reply-slot').append(form);
    form.querySelector('textarea').focus();
  }

  closeReply({ focus = false } = {}) {
    const id = this.replyTo;
    if (!id) return;
    this.replyTo = null;
    const node = this.commentNodes.get(id);
    node?.querySelector(':scope > .reply-slot')?.replaceChildren();
    const button = node?.querySelector(':scope > .comment-card [data-testid=reply]');
    button?.setAttribute('aria-expanded', 'false');
    if (focus) button?.focus();
  }

  /** The box to write a comment (parentId null) or a reply; Ctrl+Enter sends, Escape closes a reply. */
  commentForm(parentId) {
    const postId = this.postId;
    const reply = Boolean(parentId);
    const text = h('textarea', { rows: reply ? 2 : 3, maxlength: 10000, required: true,
      placeholder: reply ? 'Write a reply' : 'Add a comment', 'aria-label': reply ? 'Reply' : 'Comment',
      'data-testid': reply ? 'reply-input' : 'comment-input' });
    const hint = fieldHint(undefined);
    const fields = { text: [text, hint] };
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'comment-error' });
    const submit = h('button', { class: 'primary', type: 'submit', 'data-testid': reply ? 'reply-submit' : 'comment-submit' }, reply ? 'Reply' : 'Comment');
    const keys = idempotencyKeys();
    let busy = false;
    const form = h('form', { class: `comment-form${reply ? ' reply' : ''}`, novalidate: true, onsubmit: async (event) => {
      event.preventDefault();
      if (busy) return;
      const value = text.value;
      if (!value.trim()) {
        showProblem({ message: 'Write something first.' }, error, fields);
        text.focus();
        return;
      }
      busy = true;
      submit.disabled = true;
      try {
        const comment = await this.api.createComment(postId, value, parentId, keys.for({ value, parentId }));
        keys.reset(); // the same words again later are a new comment
        text.value = '';
        showProblem(null, error, fields);
        this.createdComment(comment);
        if (reply) this.closeReply();
      } catch (e) {
        showProblem(e, error, fields);
      } finally {
        busy = false;
        submit.disabled = false;
      }
    } },
    text, hint, error,
    h('div', { class: 'row end' },
      reply ? h('button', { class: 'ghost', type: 'button', onclick: () => this.closeReply({ focus: true }) }, 'Cancel') : null,
      submit));
    text.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === 'Escape' && reply) {
        event.preventDefault();
        this.closeReply({ focus: true });
      }
    });
    return form;
  }

  createdComment(comment) {
    this.localComments.set(comment.id, { comment, at: Date.now() });
    this.upsertComment(comment);
  }

  /** The post's comment count follows comments becoming (or ceasing to be) approved. */
  countComment(postId, before, after) {
    const delta = (after === 'approved' ? 1 : 0) - (before === 'approved' ? 1 : 0);
    const post = this.posts.get(postId);
    if (!delta || !post) return;
    this.setPost({ ...post, commentCount: Math.max(0, (post.commentCount ?? 0) + delta) });
  }

  // ---- live frames ----

  onPost(post) {
    this.gone.delete(post.id); // visible again (an owner overturned a decision)
    this.upsertPost(post, { fromFrame: true, insert: true });
  }

  onComment(comment) {
    const before = this.seenComments.get(comment.id);
    this.upsertComment(comment);
    this.countComment(comment.postId, before, this.seenComments.get(comment.id));
  }

  /** {kind, id, postId, roomId, status, reason}: an author learns the decision; everyone, that an item went. */
  onModerated({ kind, id, postId, status, reason }) {
    this.dropFromQueue(kind, id, status);
    if (kind === 'post') {
      const post = this.posts.get(id);
      if (!post) return;
      if (status === 'rejected' && post.author?.id !== this.me.id) this.removePost(id);
      else this.setPost({ ...post, status, reason: reason ?? null });
    } else if (kind === 'comment') {
      const known = this.comments?.get(id) ?? this.localComments.get(id)?.comment;
      const before = this.seenComments.get(id) ?? (status === 'approved' ? 'pending' : 'approved');
      this.seenComments.set(id, status);
      this.countComment(postId, before, status);
      const local = this.localComments.get(id);
      if (local) local.comment = { ...local.comment, status, reason: reason ?? null };
      if (!known) return;
      if (status === 'rejected' && known.author?.id !== this.me.id) this.removeComment(id);
      else if (this.comments?.has(id)) this.upsertComment({ ...known, status, reason: reason ?? null });
    }
  }

  // ---- moderation (the room's owner) ----

  buildModeration() {
    const id = `moderation-${this.roomId}`;
    this.blockedInput = h('input', { 'data-testid': 'rules-blocked', placeholder: 'words, separated by commas or spaces', 'aria-describedby': `${id}-b` });
    this.holdInput = h('input', { 'data-testid': 'rules-hold', placeholder: 'words, separated by commas or spaces', 'aria-describedby': `${id}-h` });
    this.holdAllInput = h('input', { type: 'checkbox', 'data-testid': 'rules-hold-all' });
    this.ruleFields = {
      blockedWords: [this.blockedInput, fieldHint(`${id}-b`)],
      holdWords: [this.holdInput, fieldHint(`${id}-h`)],
    };
    this.rulesError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'rules-error' });
    this.rulesStatus = h('span', { class: 'note', role: 'status', 'data-testid': 'rules-status' });
    this.rulesSave = h('button', { class: 'primary', type: 'submit', 'data-testid': 'rules-save' }, 'Save rules');
    // Disabled until the current rules are in, so nothing typed before is overwritten by them.
    this.rulesFieldset = h('fieldset', { disabled: true },
      h('legend', { class: 'hidden' }, 'Rules'),
      h('label', { class: 'field' }, 'Blocked words (items with them are rejected)', this.blockedInput, this.ruleFields.blockedWords[1]),
      h('label', { class: 'field' }, 'Words to hold for your review', this.holdInput, this.ruleFields.holdWords[1]),
      h('label', { class: 'check' }, this.holdAllInput, 'Hold every new post and comment for review'),
      this.rulesError,
      h('div', { class: 'row end' }, this.rulesStatus, this.rulesSave));
    const rules = h('form', { class: 'rules', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.saveRules(); } },
      this.rulesFieldset);
    this.queue = h('ul', { class: 'queue', 'data-testid': 'moderation-queue', 'aria-label': 'Review queue' });
    this.queueMore = h('button', { type: 'button', class: 'ghost hidden', onclick: () => this.loadQueue(false) }, 'More');
    this.queueError = h('p', { class: 'form-error', role: 'alert' });
    return h('section', { class: 'moderation hidden', id, 'data-testid': 'moderation', 'aria-label': 'Moderation' },
      h('h3', {}, 'Moderation'),
      rules,
      h('div', { class: 'queue-head' }, h('h4', {}, 'Review queue'),
        h('button', { type: 'button', class: 'ghost', 'data-testid': 'queue-refresh', onclick: () => this.loadQueue(true) }, 'Refresh')),
      this.queueError, this.queue, h('div', { class: 'row' }, this.queueMore));
  }

  toggleModeration() {
    const open = this.moderation.classList.toggle('hidden') === false;
    this.moderationToggle.setAttribute('aria-expanded', String(open));
    if (open) {
      this.loadRules().then(() => { if (!this.moderation.classList.contains('hidden')) this.blockedInput.focus(); });
      this.loadQueue(true);
    }
  }

  async loadRules() {
    this.rulesFieldset.disabled = true;
    this.rulesStatus.textContent = '';
    try {
      this.fillRules(await this.api.moderationRules(this.roomId));
      this.rulesError.textContent = '';
      this.rulesFieldset.disabled = false;
    } catch (e) {
      this.rulesError.textContent = `Rules could not be loaded: ${e.message}. Close and open Moderation to try again.`;
    }
  }

  fillRules(rules) {
    this.blockedInput.value = (rules?.blockedWords ?? []).join(', ');
    this.holdInput.value = (rules?.holdWords ?? []).join(', ');
    this.holdAllInput.checked = Boolean(rules?.holdAll);
  }

  async saveRules() {
    const rules = { blockedWords: words(this.blockedInput.value), holdWords: words(this.holdInput.value), holdAll: this.holdAllInput.checked };
    this.rulesFieldset.disabled = true;
    this.rulesStatus.textContent = '';
    try {
      this.fillRules((await this.api.saveModerationRules(this.roomId, rules)) ?? rules);
      showProblem(null, this.rulesError, this.ruleFields);
      this.rulesStatus.textContent = 'Saved.';
    } catch (e) {
      showProblem(e, this.rulesError, this.ruleFields);
    } finally {
      this.rulesFieldset.disabled = false;
    }
  }

  async loadQueue(reset) {
    const cursor = reset ? null : this.queueNext;
    if (!reset && !cursor) return;
    const token = this.queueToken = (this.queueToken ?? 0) + 1;
    try {
      const page = await this.api.moderationQueue(this.roomId, cursor);
      if (token !== this.queueToken) return;
      this.queueError.textContent = '';
      if (reset) this.queue.replaceChildren();
      this.queue.querySelector('[data-testid=queue-empty]')?.remove();
      for (const item of page.items) {
        if (!this.queue.querySelector(`li[data-id="${CSS.escape(item.id)}"]`)) this.queue.append(this.renderQueueItem(item));
      }
      this.queueNext = page.next ?? null;
      this.queueMore.classList.toggle('hidden', !this.queueNext);
      this.queueEmptyNote();
    } catch (e) {
      if (token === this.queueToken) this.queueError.textContent = `The queue could not be loaded: ${e.message}`;
    }
  }

  queueEmptyNote() {
    if (!this.queue.querySelector('li.queue-item')) {
      replace(this.queue, h('li', { class: 'note', 'data-testid': 'queue-empty' }, 'Nothing is waiting for review.'));
    }
  }

  renderQueueItem(item) {
    const reason = h('input', { maxlength: 500, placeholder: 'Reason (optional)', 'aria-label': 'Reason for rejecting', 'data-testid': 'reject-reason' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const approve = h('button', { type: 'button', class: 'primary', 'data-testid': 'approve' }, 'Approve');
    const reject = h('button', { type: 'button', class: 'ghost danger', 'data-testid': 'reject' }, 'Reject');
    const author = item.author || {};
    const postLink = item.kind === 'comment' && item.postId
      ? h('a', { class: 'link', href: this.href(item.postId) }, 'Open the post') : null;
    const node = h('li', { class: 'queue-item', 'data-testid': 'queue-item', dataset: { id: item.id, kind: item.kind } },
      h('div', { class: 'meta' },
        h('span', { class: 'kind' }, item.kind === 'post' ? 'Post' : 'Comment'),
        h('span', {}, `by ${author.displayName || author.username || 'someone'}`),
        item.createdAt ? h('time', { datetime: item.createdAt }, timeOf(item.createdAt)) : null,
        postLink),
      h('p', { class: 'text', 'data-testid': 'queue-text' }, item.text ?? ''),
      item.reason ? h('small', { class: 'reason' }, item.reason) : null,
      h('div', { class: 'queue-actions' }, reason, approve, reject),
      error);
    const decide = async (decision) => {
      approve.disabled = true;
      reject.disabled = true;
      try {
        const answer = await this.api.decide(item.kind, item.id, decision, decision === 'reject' ? reason.value.trim() || undefined : undefined);
        const next = node.nextElementSibling ?? node.previousElementSibling;
        node.remove();
        next?.querySelector('[data-testid=approve]')?.focus();
        this.queueEmptyNote();
        this.onModerated({ kind: item.kind, id: item.id, postId: item.postId, status: decision === 'approve' ? 'approved' : 'rejected',
          reason: null, ...(answer ?? {}) });
      } catch (e) {
        error.textContent = e.message;
        approve.disabled = false;
        reject.disabled = false;
      }
    };
    approve.addEventListener('click', () => decide('approve'));
    reject.addEventListener('click', () => decide('reject'));
    return node;
  }

  /** An item decided elsewhere (another device, a frame) leaves the queue. */
  dropFromQueue(kind, id, status) {
    if (status === 'held' || !this.queue) return;
    const node = this.queue.querySelector(`li.queue-item[data-id="${CSS.escape(id)}"][data-kind="${CSS.escape(kind)}"]`);
    if (node) {
      node.remove();
      this.queueEmptyNote();
    }
  }
}
