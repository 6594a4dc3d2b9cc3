// The views that belong to no one room: the feed (the signed-in home), search, topic pages, label lists and
// "My topics", and a public room's posts read without joining it (where a post found elsewhere leads). Each
// view is made the first time it is shown and kept, so going back to it is instant.
import { RoomNames } from './cards.js';
import { h, replace } from './dom.js';
import { PostsView } from './posts.js';
import { labelsPanel, similarPanel } from './related.js';
import { routes } from './routes.js';
import { SearchView } from './search.js';
import { FeedView, LabelView, MyTopicsView, TopicPrefs, TopicView } from './topics.js';

const VISITS = 10; // rooms whose posts views are kept while visiting

export class Hub {
  /**
   * @param roomOf (roomId) => the user's room, or null when they are not in it
   * @param navigate (hash) => goes to an address (a history entry)
   * @param replaceRoute (hash) => changes the address without a history entry
   * @param onJoined (room, postId) => the user joined the room they were visiting
   */
  constructor({ api, me, modal, toast, onAuthorClick, roomOf, navigate, replaceRoute, onJoined }) {
    Object.assign(this, { api, me, modal, toast, onAuthorClick, roomOf, navigate, replaceRoute, onJoined });
    this.roomNames = new RoomNames(api, (roomId) => roomOf(roomId)?.name ?? null);
    this.prefs = new TopicPrefs(api);
    this.views = new Map(); // name -> view
    this.visits = new Map(); // roomId -> {room, posts}, a few
    this.root = h('div', { class: 'hub', 'data-testid': 'hub' });
  }

  /** What every posts view shows under an open post: the user's labels on it and similar posts. */
  related(postId) {
    return [labelsPanel({ api: this.api, postId }), similarPanel({ api: this.api, postId, roomNames: this.roomNames })];
  }

  /** Shows `route` ({name, ...} as parseRoute gives it); `focus` moves the keyboard to its heading. */
  show(route, { focus = false } = {}) {
    const view = this.view(route.name);
    if (this.root.firstChild !== view.root) replace(this.root, view.root);
    view.show(route);
    if (focus && route.name !== 'search') view.root.querySelector('h2')?.focus({ preventScroll: true });
    this.root.scrollTop = 0;
  }

  view(name) {
    if (!this.views.has(name)) this.views.set(name, this.make(name));
    return this.views.get(name);
  }

  make(name) {
    const { api, roomNames, prefs } = this;
    switch (name) {
      case 'search': return new SearchView({ api, roomNames, onQuery: (query) => this.replaceRoute(routes.search(query)) });
      case 'topic': return new TopicView({ api, prefs, roomNames, onSort: (tag, sort) => this.replaceRoute(routes.topic(tag, sort)) });
      case 'labels': return new LabelView({ api, roomNames });
      case 'my-topics': return new MyTopicsView({ prefs, navigate: this.navigate });
      case 'visit': return new VisitView(this);
      default: return new FeedView({ api, roomNames });
    }
  }

  /** The posts view of a room the user is not in, kept for a few rooms. */
  visitPosts(room) {
    let visit = this.visits.get(room.id);
    if (!visit) {
      if (this.visits.size >= VISITS) this.visits.delete(this.visits.keys().next().value);
      const posts = new PostsView({ api: this.api, me: this.me, room, modal: this.modal, toast: this.toast,
        onAuthorClick: this.onAuthorClick, related: (postId) => this.related(postId) });
      visit = { room, posts };
      this.visits.set(room.id, visit);
    }
    return visit.posts;
  }

  /** The user is in the room now: its own posts view (with live updates) takes over. */
  forgetVisit(roomId) {
    this.visits.delete(roomId);
  }
}

/** A public room's posts, read by someone who is not a member: they may join from here to take part. */
class VisitView {
  constructor(hub) {
    this.hub = hub;
    this.roomId = null;
    this.token = 0;
    this.title = h('h2', { class: 'hub-title', id: 'visit-title', tabindex: '-1', 'data-testid': 'visit-title' });
    this.topic = h('p', { class: 'muted' });
    this.join = h('button', { type: 'button', class: 'primary hidden', 'data-testid': 'visit-join', onclick: () => this.joinRoom() }, 'Join');
    this.note = h('p', { class: 'muted', 'data-testid': 'visit-note' });
    this.error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'visit-error' });
    this.slot = h('div', { class: 'visit-posts' });
    this.root = h('section', { class: 'hub-view visit', 'aria-labelledby': 'visit-title', 'data-testid': 'visit-view' },
      h('div', { class: 'hub-head' }, this.title, h('span', { class: 'spacer' }), this.join),
      this.topic, this.note, this.error, this.slot);
  }

  async show({ roomId, postId }) {
    this.postId = postId;
    const token = ++this.token;
    if (roomId !== this.roomId) {
      this.roomId = roomId;
      this.room = null;
      this.title.textContent = 'Loading…';
      this.topic.textContent = '';
      this.note.textContent = '';
      this.error.textContent = '';
      this.join.classList.add('hidden');
      replace(this.slot);
    }
    try {
      const room = this.room ?? await this.hub.api.room(roomId);
      if (token !== this.token) return;
      this.room = room;
      this.title.textContent = `# ${room.name}`;
      this.topic.textContent = room.topic || '';
      this.note.textContent = 'You are reading this room\'s posts without being a member: join it to post, comment and vote.';
      this.join.classList.remove('hidden');
      const posts = this.hub.visitPosts(room);
      if (this.slot.firstChild !== posts.root) replace(this.slot, posts.root);
      posts.show(postId);
    } catch (e) {
      if (token !== this.token) return;
      this.title.textContent = 'Not here';
      this.error.textContent = e.status === 404 || e.status === 403
        ? 'This room does not exist, or it is private and you are not in it.'
        : `The room could not be loaded: ${e.message}`;
    }
  }

  async joinRoom() {
    const room = this.room;
    if (!room) return;
    this.join.disabled = true;
    this.error.textContent = '';
    try {
      const joined = await this.hub.api.join(room.id);
      this.hub.forgetVisit(room.id);
      this.roomId = null;
      this.hub.onJoined(joined ?? room, this.postId);
    } catch (e) {
      this.error.textContent = `You could not join: ${e.message}`;
    } finally {
      this.join.disabled = false;
    }
  }
}
