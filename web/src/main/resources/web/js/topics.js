// Topics (docs/API.md, "Topics"): the personal feed, a topic's page with Follow and Mute, the posts the user
// labelled with a word, and "My topics" (what they follow and mute). Preferences are one set on the server,
// replaced whole on each change: changes go one after another, each from the set the last one answered.
import { PostList, tagChips } from './cards.js';
import { h, replace } from './dom.js';
import { routes } from './routes.js';

const SORTS = [['hot', 'Hot'], ['new', 'New'], ['top', 'Top']];

/** The user's topic preferences {follow, mute}, read once and kept in step with every change made here. */
export class TopicPrefs {
  constructor(api) {
    this.api = api;
    this.value = null;
    this.reading = null;
    this.queue = Promise.resolve();
    this.listeners = new Set();
  }

  load(force = false) {
    if (this.value && !force) return Promise.resolve(this.value);
    if (!this.reading) {
      this.reading = this.api.myTopics().then((prefs) => this.set(prefs)).finally(() => { this.reading = null; });
    }
    return this.reading;
  }

  set(prefs) {
    this.value = { follow: [...(prefs?.follow ?? [])], mute: [...(prefs?.mute ?? [])] };
    for (const listener of this.listeners) listener(this.value);
    return this.value;
  }

  /** Follows or unfollows (`follow`), mutes or unmutes (`mute`) one tag; following a tag unmutes it, and back. */
  change(tag, { follow, mute }) {
    const run = this.queue.then(async () => {
      const now = await this.load();
      const followed = new Set(now.follow);
      const muted = new Set(now.mute);
      if (follow === true) { followed.add(tag); muted.delete(tag); }
      if (follow === false) followed.delete(tag);
      if (mute === true) { muted.add(tag); followed.delete(tag); }
      if (mute === false) muted.delete(tag);
      const next = { follow: [...followed], mute: [...muted] };
      return this.set((await this.api.setMyTopics(next)) ?? next);
    });
    this.queue = run.catch(() => {}); // a failed change does not stop the next one
    return run;
  }

  onChange(listener) {
    this.listeners.add(listener);
  }
}

function hubHead(title, id, ...actions) {
  return h('div', { class: 'hub-head' },
    h('h2', { class: 'hub-title', id, tabindex: '-1', 'data-testid': 'hub-title' }, title),
    h('span', { class: 'spacer' }),
    actions);
}

/** The personal feed: followed topics and people and joined rooms, muted topics left out, hottest first. */
export class FeedView {
  constructor({ api, roomNames }) {
    this.list = new PostList({ load: (cursor) => api.feed({ cursor }), roomNames, label: 'Feed', testid: 'feed-posts',
      emptyText: 'Nothing here yet. Join rooms, follow people, or open a tag on any post and follow its topic.' });
    this.root = h('section', { class: 'hub-view', 'aria-labelledby': 'feed-title', 'data-testid': 'feed-view' },
      hubHead('Your feed', 'feed-title',
        h('button', { type: 'button', class: 'ghost', 'data-testid': 'feed-refresh', onclick: () => this.list.load(true) }, 'Refresh')),
      h('p', { class: 'muted' }, 'Posts from the topics and people you follow and the rooms you are in, hottest first.'),
      this.list.root);
  }

  show() {
    this.list.load(true);
  }
}

/** A topic's posts from every room, with Follow and Mute. */
export class TopicView {
  constructor({ api, prefs, roomNames, onSort }) {
    Object.assign(this, { prefs, onSort });
    this.tag = null;
    this.sort = 'hot';
    this.title = h('h2', { class: 'hub-title', id: 'topic-title', tabindex: '-1', 'data-testid': 'topic-title' });
    this.follow = h('button', { type: 'button', class: 'primary', 'aria-pressed': 'false', disabled: true, 'data-testid': 'topic-follow',
      onclick: () => this.toggle('follow') }, 'Follow');
    this.mute = h('button', { type: 'button', class: 'ghost', 'aria-pressed': 'false', disabled: true, 'data-testid': 'topic-mute',
      onclick: () => this.toggle('mute') }, 'Mute');
    this.status = h('p', { class: 'muted', role: 'status', 'data-testid': 'topic-status' });
    this.error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'topic-error' });
    this.sortButtons = SORTS.map(([sort, label]) => h('button', {
      type: 'button', class: 'tab', 'aria-pressed': String(sort === 'hot'), 'data-testid': `topic-sort-${sort}`,
      onclick: () => this.setSort(sort),
    }, label));
    this.list = new PostList({ load: (cursor) => api.topicPosts(this.tag, { sort: this.sort, cursor }), roomNames,
      label: 'Posts', testid: 'topic-posts', emptyText: 'No post carries this tag yet.' });
    this.root = h('section', { class: 'hub-view', 'aria-labelledby': 'topic-title', 'data-testid': 'topic-view' },
      h('div', { class: 'hub-head' }, this.title, h('span', { class: 'spacer' }), this.follow, this.mute),
      this.status, this.error,
      h('div', { class: 'posts-toolbar' }, h('div', { class: 'tabs', role: 'group', 'aria-label': 'Sort posts' }, this.sortButtons)),
      this.list.root);
    prefs.onChange(() => this.renderPrefs());
  }

  show({ tag, sort = 'hot' }) {
    const changed = tag !== this.tag;
    this.tag = tag;
    this.sort = sort;
    this.title.textContent = `#${tag}`;
    for (const button of this.sortButtons) button.setAttribute('aria-pressed', String(button.dataset.testid === `topic-sort-${sort}`));
    if (changed) {
      this.status.textContent = '';
      this.error.textContent = '';
    }
    this.renderPrefs();
    this.prefs.load().then(() => this.renderPrefs()).catch((e) => {
      this.error.textContent = `Your topics could not be read: ${e.message}`;
    });
    this.list.load(true);
  }

  setSort(sort) {
    if (sort === this.sort) return;
    this.onSort?.(this.tag, sort);
    this.show({ tag: this.tag, sort });
  }

  renderPrefs() {
    const prefs = this.prefs.value;
    const following = Boolean(prefs?.follow.includes(this.tag));
    const muted = Boolean(prefs?.mute.includes(this.tag));
    this.follow.disabled = !prefs || this.busy;
    this.mute.disabled = !prefs || this.busy;
    this.follow.setAttribute('aria-pressed', String(following));
    this.follow.textContent = following ? 'Following ✓' : 'Follow';
    this.follow.className = following ? 'ghost' : 'primary';
    this.mute.setAttribute('aria-pressed', String(muted));
    this.mute.textContent = muted ? 'Muted ✓' : 'Mute';
  }

  async toggle(which) {
    const tag = this.tag;
    const on = this[which].getAttribute('aria-pressed') !== 'true';
    this.busy = true;
    this.renderPrefs();
    this.error.textContent = '';
    try {
      await this.prefs.change(tag, { [which]: on });
      if (tag === this.tag) {
        this.status.textContent = which === 'follow'
          ? (on ? `Posts tagged #${tag} now come to your feed.` : `You no longer follow #${tag}.`)
          : (on ? `Posts tagged #${tag} are left out of your feed.` : `#${tag} is no longer muted.`);
      }
    } catch (e) {
      if (tag === this.tag) this.error.textContent = `Not changed: ${e.message}`;
    } finally {
      this.busy = false;
      this.renderPrefs();
      if (tag === this.tag) this[which].focus();
    }
  }
}

/** The posts the user labelled with one word (their own private labels). */
export class LabelView {
  constructor({ api, roomNames }) {
    this.tag = null;
    this.title = h('h2', { class: 'hub-title', id: 'label-title', tabindex: '-1', 'data-testid': 'label-title' });
    this.list = new PostList({ load: (cursor) => api.labelledPosts(this.tag, { cursor }), roomNames, label: 'Labelled posts',
      testid: 'label-posts', emptyText: 'No post has this label. Open a post and use Label to add one.' });
    this.root = h('section', { class: 'hub-view', 'aria-labelledby': 'label-title', 'data-testid': 'label-view' },
      h('div', { class: 'hub-head' }, this.title),
      h('p', { class: 'muted' }, 'Your labels are private: only you see them.'),
      this.list.root);
  }

  show({ tag }) {
    this.tag = tag;
    this.title.textContent = `Labelled “${tag}”`;
    this.list.load(true);
  }
}

/** "My topics": the followed and the muted topics, each removable, one to add, and a way to a label's posts. */
export class MyTopicsView {
  constructor({ prefs, navigate }) {
    Object.assign(this, { prefs, navigate });
    this.error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'my-topics-error' });
    this.followed = h('ul', { class: 'topic-list', 'aria-labelledby': 'followed-title', 'data-testid': 'followed-topics' });
    this.muted = h('ul', { class: 'topic-list', 'aria-labelledby': 'muted-title', 'data-testid': 'muted-topics' });
    this.input = h('input', { maxlength: 32, placeholder: 'e.g. python', autocapitalize: 'none', spellcheck: false,
      'aria-describedby': 'topic-input-hint', 'data-testid': 'my-topics-input' });
    const add = h('form', { class: 'inline-form', onsubmit: (event) => { event.preventDefault(); this.add('follow'); } },
      h('label', { class: 'field' }, 'Topic', this.input),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'my-topics-follow' }, 'Follow'),
      h('button', { type: 'button', class: 'ghost', 'data-testid': 'my-topics-mute', onclick: () => this.add('mute') }, 'Mute'));
    this.labelInput = h('input', { maxlength: 32, placeholder: 'e.g. read-later', autocapitalize: 'none', spellcheck: false,
      'data-testid': 'label-find-input' });
    const labels = h('form', { class: 'inline-form', onsubmit: (event) => {
      event.preventDefault();
      const tag = this.labelInput.value.trim().toLowerCase();
      if (tag) navigate(routes.label(tag));
    } },
    h('label', { class: 'field' }, 'Label', this.labelInput),
    h('button', { type: 'submit', class: 'ghost', 'data-testid': 'label-find' }, 'Show posts'));
    this.root = h('section', { class: 'hub-view my-topics', 'aria-labelledby': 'my-topics-title', 'data-testid': 'my-topics-view' },
      hubHead('My topics', 'my-topics-title'),
      h('p', { class: 'muted', id: 'topic-input-hint' }, 'Followed topics bring their posts to your feed; muted topics keep theirs out of it. A topic is a tag: lower-case letters, digits and dashes.'),
      add, this.error,
      h('h3', { id: 'followed-title' }, 'Following'), this.followed,
      h('h3', { id: 'muted-title' }, 'Muted'), this.muted,
      h('h3', {}, 'Your labels'),
      h('p', { class: 'muted' }, 'The posts you labelled with a word (only you see your labels).'),
      labels);
    prefs.onChange(() => this.render());
  }

  show() {
    this.render();
    this.prefs.load(true).catch((e) => { this.error.textContent = `Your topics could not be read: ${e.message}`; });
  }

  render() {
    const prefs = this.prefs.value;
    this.renderList(this.followed, prefs?.follow, 'Unfollow', { follow: false }, 'unfollow-topic', 'You follow no topic yet.');
    this.renderList(this.muted, prefs?.mute, 'Unmute', { mute: false }, 'unmute-topic', 'You mute no topic.');
  }

  renderList(list, tags, verb, change, testid, emptyText) {
    if (!tags) return;
    replace(list, tags.length ? [...tags].sort().map((tag) => h('li', { dataset: { tag } },
      tagChips([tag]),
      h('button', { type: 'button', class: 'ghost', 'aria-label': `${verb} ${tag}`, 'data-testid': testid, dataset: { tag },
        onclick: (event) => this.remove(tag, change, event.currentTarget) }, verb)))
      : h('li', { class: 'note' }, emptyText));
  }

  async remove(tag, change, button) {
    const list = button.closest('ul.topic-list');
    const index = [...list.querySelectorAll(':scope > li > button')].indexOf(button);
    button.disabled = true;
    this.error.textContent = '';
    try {
      await this.prefs.change(tag, change);
      // The list was drawn again: focus goes to the button now in that place, else to the input.
      const buttons = list.querySelectorAll(':scope > li > button');
      (buttons[Math.min(index, buttons.length - 1)] ?? this.input).focus();
    } catch (e) {
      button.disabled = false;
      this.error.textContent = `Not changed: ${e.message}`;
    }
  }

  async add(which) {
    const tag = this.input.value.trim().toLowerCase().replace(/^#/, '');
    if (!tag) {
      this.error.textContent = 'Type a topic first.';
      this.input.focus();
      return;
    }
    this.error.textContent = '';
    try {
      await this.prefs.change(tag, { [which]: true });
      this.input.value = '';
    } catch (e) {
      this.error.textContent = `Not changed: ${e.message}`;
    }
    this.input.focus();
  }
}
