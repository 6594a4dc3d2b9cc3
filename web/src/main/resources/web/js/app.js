// Babble in the browser: sign in, the feed as the home, search, topics, rooms with unread counts, live chat,
// each room's posts, and the user's jobs (room exports, post imports). Plain ES modules, no build step. The
// address says what is shown (routes.js): #<room> its chat, #<room>/posts/<post> one post, #feed, #search?q=...
import { Api } from './api.js';
import { authView } from './auth.js';
import { h, hueOf, initials, replace } from './dom.js';
import { Hub } from './hub.js';
import { JobsView, openRoomSettings } from './jobs.js';
import { Live } from './live.js';
import { personCard } from './people.js';
import { PostsView } from './posts.js';
import { hubHash, parseRoute, routes } from './routes.js';
import { Timeline } from './timeline.js';
import { attachMentionAutocomplete } from './mentions.js';

const TYPING_SHOWN_MS = 5_000; // how long "X is typing…" stays after X's last typing frame

const root = document.getElementById('app');
const api = new Api(() => signOut(false));
let session = null; // everything that exists while signed in

start();

async function start() {
  if (!api.token) {
    showAuth();
    return;
  }
  try {
    enter(await api.me());
  } catch (e) {
    if (e.status === 401) showAuth();
    else replace(root, h('main', { class: 'auth' }, h('p', { class: 'form-error' }, `Babble is unreachable: ${e.message}`)));
  }
}

function showAuth() {
  session?.live.stop();
  session?.unlisten?.();
  session = null;
  replace(root, authView(api, enter));
}

async function signOut(tellServer = true) {
  if (tellServer) {
    try { await api.logout(); } catch { /* the token is forgotten either way */ }
  }
  api.setToken(null);
  showAuth();
}

/**
 * The signed-in app: a sidebar of rooms, a bar with the feed, My topics and search, and below it either an
 * app-wide view (the hub: the feed first) or the current room's chat, posts or jobs. The current room's header
 * stays above the hub, so its views are one click away.
 */
function enter(me) {
  const s = {
    me,
    rooms: new Map(), // id -> my room (with lastSeq, lastReadSeq, unread)
    timelines: new Map(), // id -> Timeline
    typing: new Map(), // room id -> Map(user id -> {name, until}): who is typing there, as the typing frames say
    presence: new Map(), // user id -> online (true/false), as GET /presence answered and presence frames keep it
    members: new Map(), // id -> {at, list: a promise of the room's members}, for the @ autocomplete
    postViews: new Map(), // id -> PostsView
    current: null,
    view: 'chat', // or 'posts' or 'jobs', or 'hub' (an app-wide view: s.hubRoute)
    hubRoute: null,
    lastView: new Map(), // id -> the view last shown in that room
  };
  session = s;

  const roomList = h('ul', { class: 'room-list', 'data-testid': 'room-list' });
  const dmList = h('ul', { class: 'room-list', 'data-testid': 'dm-list' });
  const sidebar = h('aside', { class: 'sidebar' },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'b'), h('span', {}, 'Babble')),
    h('div', { class: 'section-title' }, h('span', {}, 'Rooms'),
      h('span', { class: 'actions' },
        h('button', { class: 'icon', type: 'button', title: 'Browse rooms', 'aria-label': 'Browse rooms', 'data-testid': 'browse-rooms', onclick: () => browseRooms() }, '⌕'),
        h('button', { class: 'icon', type: 'button', title: 'Create a room', 'aria-label': 'Create a room', 'data-testid': 'create-room', onclick: () => createRoom() }, '+'))),
    roomList,
    h('div', { class: 'section-title' }, h('span', {}, 'Direct messages'),
      h('span', { class: 'actions' },
        h('button', { class: 'icon', type: 'button', title: 'Find people', 'aria-label': 'Find people', 'data-testid': 'find-people', onclick: () => findPeople() }, '⌕'))),
    dmList,
    h('div', { class: 'me' },
      h('span', { class: 'avatar', style: { '--hue': hueOf(me.username) } }, initials(me.displayName || me.username)),
      h('button', { class: 'who', type: 'button', title: 'Your followers', onclick: () => showUser(me.id, me.username) },
        h('strong', { 'data-testid': 'me' }, me.displayName || me.username), h('small', {}, `@${me.username}`)),
      h('button', { class: 'link', type: 'button', 'data-testid': 'sign-out', onclick: () => signOut() }, 'Sign out')));

  const title = h('h2', { 'data-testid': 'room-title' }, '');
  const topic = h('p', { class: 'topic' }, '');
  const memberCount = h('button', { class: 'link', type: 'button', 'data-testid': 'member-count', onclick: () => showMembers() }, '');
  const leaveButton = h('button', { class: 'ghost', type: 'button', 'data-testid': 'leave-room', onclick: () => leaveRoom() }, 'Leave');
  const settingsButton = h('button', { class: 'ghost room-settings hidden', type: 'button', 'aria-haspopup': 'dialog', 'aria-label': 'Room settings',
    title: 'Room settings', 'data-testid': 'room-settings', onclick: () => showSettings() },
  h('span', { class: 'gear', 'aria-hidden': 'true' }, '⚙'), h('span', { class: 'label' }, 'Settings')); // the room's owner only
  const menu = h('button', { class: 'icon menu', type: 'button', 'aria-label': 'Rooms', onclick: () => document.body.classList.toggle('drawer-open') }, '☰');
  const banner = h('div', { class: 'banner hidden', role: 'status', 'data-testid': 'connection' }, '');
  const feedNav = h('button', { class: 'tab', type: 'button', 'aria-pressed': 'false', 'data-testid': 'nav-feed', onclick: () => navigate(routes.feed()) }, 'Feed');
  const topicsNav = h('button', { class: 'tab', type: 'button', 'aria-pressed': 'false', 'data-testid': 'nav-topics', onclick: () => navigate(routes.myTopics()) }, 'My topics');
  const searchInput = h('input', { type: 'search', name: 'q', autocomplete: 'off', enterkeyhint: 'search', placeholder: 'Search posts, comments and messages',
    'aria-label': 'Search posts, comments and messages', 'data-testid': 'search-input' });
  const searchForm = h('form', { class: 'search-box', role: 'search', onsubmit: (event) => { event.preventDefault(); search(); } },
    searchInput, h('button', { class: 'ghost', type: 'submit', 'data-testid': 'search-submit' }, 'Search'));
  const appBar = h('header', { class: 'app-bar' }, menu, h('nav', { class: 'tabs app-nav', 'aria-label': 'Home' }, feedNav, topicsNav), searchForm);
  const scroller = h('div', { class: 'scroller', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages' });
  const composerInput = h('textarea', { rows: 1, maxlength: 4000, placeholder: 'Message', 'data-testid': 'composer', 'aria-label': 'Message' });
  const sendButton = h('button', { class: 'primary', type: 'submit', 'data-testid': 'send' }, 'Send');
  // The @ autocomplete first: its Enter (picking a name) must come before the composer's (sending).
  const mentionList = attachMentionAutocomplete(composerInput, () => membersOf(s.current));
  const composer = h('form', { class: 'composer' }, mentionList, composerInput, sendButton);
  const chatTab = h('button', { class: 'tab', type: 'button', 'aria-pressed': 'true', 'data-testid': 'view-chat', disabled: true, onclick: () => showView('chat') }, 'Chat');
  const postsTab = h('button', { class: 'tab', type: 'button', 'aria-pressed': 'false', 'data-testid': 'view-posts', disabled: true, onclick: () => showView('posts') }, 'Posts');
  const jobsTab = h('button', { class: 'tab', type: 'button', 'aria-pressed': 'false', 'data-testid': 'view-jobs', disabled: true, onclick: () => showView('jobs') }, 'Jobs');
  const viewSwitch = h('div', { class: 'tabs view-switch', role: 'group', 'aria-label': 'Show' }, chatTab, postsTab, jobsTab);
  const postsPane = h('div', { class: 'posts-pane', 'data-testid': 'posts-pane' });
  const jobsPane = h('div', { class: 'jobs-pane', 'data-testid': 'jobs-pane' });
  const header = h('header', { class: 'chat-header' }, h('div', { class: 'titles' }, title, topic), viewSwitch, memberCount,
    settingsButton, leaveButton);
  const empty = h('div', { class: 'empty' },
    h('h2', {}, `Welcome, ${me.displayName || me.username}`),
    h('p', {}, 'Join a room to start talking, or make your own.'),
    h('div', { class: 'row' },
      h('button', { class: 'primary', type: 'button', 'data-testid': 'create-room-empty', onclick: () => createRoom() }, 'Create a room'),
      h('button', { class: 'ghost', type: 'button', 'data-testid': 'browse-rooms-empty', onclick: () => browseRooms() }, 'Browse rooms')));
  const typingLine = h('div', { class: 'typing', 'aria-live': 'polite', 'data-testid': 'typing' });
  const chat = h('section', { class: 'chat' }, header, scroller, typingLine, composer, postsPane, jobsPane);
  const visits = h('span', { 'data-testid': 'visits' }, '');
  const footer = h('footer', { class: 'footer' }, visits);
  const hub = new Hub({
    api, me, modal, toast,
    onAuthorClick: (userId, username) => showUser(userId, username),
    roomOf: (roomId) => s.rooms.get(roomId) ?? null,
    navigate: (hash) => navigate(hash),
    replaceRoute: (hash) => { // a view changed what it shows (a filter, a sort): the address follows
      s.hubRoute = parseRoute(hash).hub ?? s.hubRoute;
      if (location.hash !== hash) history.replaceState(null, '', hash);
    },
    onJoined: (room, postId) => joinedRoom(room, { view: 'posts', postId: postId ?? null }), // where they were reading
  });
  s.hub = hub;
  const main = h('main', { class: 'main' }, appBar, banner, empty, chat, hub.root, footer);
  api.visit()
    .then((n) => { visits.textContent = `${n.toLocaleString()} visits`; })
    .catch(() => { visits.textContent = ''; footer.classList.add('hidden'); }); // the counter is optional
  replace(root, h('div', { class: 'shell' }, sidebar, h('div', { class: 'scrim', onclick: () => document.body.classList.remove('drawer-open') }), main));

  // The user's jobs: one view for every room (a job frame may come at any time, whatever is shown).
  s.jobs = new JobsView({
    api, me,
    roomName: (roomId) => s.rooms.get(roomId)?.name ?? null,
    onFinished(job, text) {
      if (s.view !== 'jobs' || document.hidden) toast(job.status === 'succeeded' && job.kind === 'export-room' ? `${text} Download it from Jobs.` : text);
    },
  });

  const live = new Live(api.token, (roomId) => ({ seq: lastSeqOf(roomId), change: s.rooms.get(roomId)?.lastChange ?? 0 }), {
    onMessage,
    onMessageChanged(message, change) {
      const room = s.rooms.get(message.roomId);
      if (!room) return;
      room.lastChange = Math.max(room.lastChange ?? 0, change);
      s.timelines.get(message.roomId)?.update(message); // a room not on screen yet reads it as it is when opened
    },
    onTyping(frame) {
      if (!s.rooms.has(frame.roomId) || frame.user.id === me.id) return;
      const typing = s.typing.get(frame.roomId) ?? new Map();
      typing.set(frame.user.id, { name: frame.user.displayName || frame.user.username, until: Date.now() + TYPING_SHOWN_MS });
      s.typing.set(frame.roomId, typing);
      renderTyping();
      setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
    },
    onPresence(frame) {
      s.presence.set(frame.userId, frame.online);
      renderPresence(frame.userId);
    },
    onReactions(frame) {
      const room = s.rooms.get(frame.roomId);
      if (!room) return;
      room.lastChange = Math.max(room.lastChange ?? 0, frame.change);
      s.timelines.get(frame.roomId)?.setReactions(frame);
    },
    onSubscribed(frame) {
      s.postViews.get(frame.roomId)?.resync(); // posts have no replay: what was missed while away is read again
      const room = s.rooms.get(frame.roomId);
      if (room) {
        room.lastSeq = Math.max(room.lastSeq, frame.lastSeq);
        room.lastChange = Math.max(room.lastChange ?? 0, frame.change ?? 0);
      }
      const timeline = s.timelines.get(frame.roomId);
      if (!frame.recovered && timeline?.loaded) timeline.loadLatest().then(() => frame.roomId === s.current && stickToBottom());
      renderRooms();
    },
    onUnsubscribed(frame) {
      if (frame.reason === 'left') forgetRoom(frame.roomId);
    },
    onStatus(status) {
      banner.textContent = status === 'online' ? '' : status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
      banner.classList.toggle('hidden', status === 'online');
      banner.dataset.status = status;
      if (status === 'online') s.jobs.resync(); // job frames missed while away
    },
    onUnauthorized: () => signOut(false),
    onNotification(frame) {
      if (frame.kind === 'followed') toast(`${frame.by.displayName || frame.by.username} followed you`);
      if (frame.kind === 'direct' && !s.rooms.has(frame.room.id)) {
        addRoom(frame.room); // in the list of direct messages from now on, without leaving the room open now
        toast(`${frame.by.displayName || frame.by.username} started a conversation with you`);
      }
      if (frame.kind === 'invite' && !s.rooms.has(frame.roomId)) {
        toast(`${frame.by.displayName || frame.by.username} invited you to ${frame.roomName}`, {
          label: 'Join', testid: 'join-invite',
          run: async () => joinedRoom(await api.join(frame.roomId)),
        });
      }
      if (frame.kind === 'mention') {
        const room = s.rooms.get(frame.roomId);
        if (!room) return;
        const seen = frame.roomId === s.current && s.view === 'chat' && !document.hidden && atBottom();
        if (!seen) {
          room.mentions = (room.mentions ?? 0) + 1;
          toast(`${frame.by.displayName || frame.by.username} mentioned you in #${room.name}`);
          renderRooms();
        }
      }
    },
    onPost(post) {
      s.postViews.get(post.roomId)?.onPost(post);
    },
    onComment(comment) {
      for (const view of postViewsFor(comment.roomId)) view.onComment(comment);
    },
    onModerated(frame) {
      for (const view of postViewsFor(frame.roomId)) view.onModerated(frame);
    },
    onJob(job) {
      s.jobs.onJob(job);
    },
  });
  s.live = live;

  composer.addEventListener('submit', (event) => { event.preventDefault(); send(); });
  composerInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) { event.preventDefault(); send(); }
  });
  let typingSentAt = 0;
  composerInput.addEventListener('input', () => {
    // Others see "X is typing…": say so at most every 3 s (the server forwards no more often).
    if (composerInput.value.trim() && s.current && Date.now() - typingSentAt > 3_000) {
      typingSentAt = Date.now();
      live.send({ type: 'typing', roomId: s.current });
    }
    composerInput.style.height = 'auto';
    composerInput.style.height = `${Math.min(composerInput.scrollHeight, 160)}px`;
  });
  scroller.addEventListener('scroll', () => {
    const timeline = s.timelines.get(s.current);
    if (timeline && scroller.scrollTop < 120) timeline.loadOlder(scroller);
    if (atBottom()) scheduleMarkRead();
  });
  document.addEventListener('visibilitychange', () => { if (!document.hidden) scheduleMarkRead(); });
  // Links (and the browser's back and forward) change the address: show what it names. A room the user is not
  // in is visited: its posts, read-only until they join.
  const onHashChange = () => {
    if (session !== s || !main.dataset.loaded) return;
    const route = parseRoute(location.hash);
    if (route.hub) showHub(route.hub, { focus: true });
    else if (!route.roomId) showHub({ name: 'feed' }, { focus: true });
    else if (!s.rooms.has(route.roomId)) showHub({ name: 'visit', roomId: route.roomId, postId: route.postId }, { focus: true });
    else if (route.roomId !== s.current) openRoom(route.roomId, route);
    else showView(route.view, route.postId);
  };
  window.addEventListener('hashchange', onHashChange);
  s.unlisten = () => window.removeEventListener('hashchange', onHashChange);

  loadRooms().then(() => live.start());

  /** A room's members for the @ autocomplete: read once a minute at most. */
  function membersOf(roomId) {
    if (!roomId) return Promise.resolve([]);
    const cached = s.members.get(roomId);
    if (cached && Date.now() - cached.at < 60_000) return cached.list;
    const list = api.members(roomId).then((r) => r.members).catch(() => []);
    s.members.set(roomId, { at: Date.now(), list });
    return list;
  }

  function lastSeqOf(roomId) {
    const timeline = s.timelines.get(roomId);
    return timeline?.loaded ? timeline.lastSeq : s.rooms.get(roomId)?.lastSeq ?? 0;
  }

  async function loadRooms() {
    const { rooms } = await api.myRooms();
    for (const room of rooms) s.rooms.set(room.id, room);
    renderRooms();
    live.follow([...s.rooms.keys()]);
    // What the address names; else the feed, with the first room's header above it (its chat one click away).
    const wanted = parseRoute(location.hash);
    const hubRoute = wanted.hub ?? (wanted.roomId && !s.rooms.has(wanted.roomId)
      ? { name: 'visit', roomId: wanted.roomId, postId: wanted.postId } : { name: 'feed' });
    if (s.rooms.has(wanted.roomId)) openRoom(wanted.roomId, wanted);
    else if (rooms[0]) openRoom(rooms[0].id, { hub: hubRoute });
    else showEmpty(hubRoute);
    main.dataset.loaded = 'true';
  }

  /** Goes to an address; the one already shown is shown again (a search run twice, the feed read again). */
  function navigate(hash) {
    document.body.classList.remove('drawer-open');
    if (location.hash === hash) onHashChange();
    else location.hash = hash;
  }

  /** A search from the box: keeps the kind and sort of the search shown, if one is. */
  function search() {
    const q = searchInput.value.trim();
    const current = s.hubRoute?.name === 'search' ? s.hubRoute : {};
    navigate(routes.search({ q, kind: current.kind ?? null, sort: current.sort ?? 'relevance' }));
  }

  /** Shows an app-wide view (route as parseRoute gives it) in place of the room's chat, posts or jobs. */
  function showHub(route, { focus = false } = {}) {
    s.view = 'hub';
    s.hubRoute = route;
    main.classList.add('showing-hub');
    main.dataset.hub = route.name;
    for (const tab of [chatTab, postsTab, jobsTab]) tab.setAttribute('aria-pressed', 'false');
    feedNav.setAttribute('aria-pressed', String(route.name === 'feed'));
    topicsNav.setAttribute('aria-pressed', String(route.name === 'my-topics'));
    if (route.name === 'search' && document.activeElement !== searchInput) searchInput.value = route.q;
    const hash = hubHash(route);
    if (location.hash !== hash) history.replaceState(null, '', hash);
    hub.show(route, { focus });
  }

  function renderRooms() {
    const all = [...s.rooms.values()].map((room) => ({ room, label: roomLabel(room) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const rooms = all.filter((r) => !r.room.direct);
    const dms = all.filter((r) => r.room.direct);
    replace(roomList, rooms.length ? rooms.map(roomItem) : h('li', { class: 'hint' }, 'No rooms yet.'));
    replace(dmList, dms.length ? dms.map(roomItem)
      : h('li', { class: 'hint' }, 'Find people (⌕), or open someone\'s card (their name), to message them.'));
    const unread = all.reduce((n, r) => n + (r.room.unread || 0), 0);
    document.title = unread ? `(${unread}) Babble` : 'Babble';
  }

  /** A room's name as shown: a direct room by the other user's name (its name is both usernames). */
  function roomLabel(room) {
    if (!room.direct) return room.name;
    return room.name.split(', ').find((name) => name !== me.username) ?? room.name;
  }

  /** '#' for a public room, a lock for a private one, '@' for a direct room. */
  function roomMark(room) {
    return room.direct ? '@' : room.visibility === 'private' ? '🔒' : '#';
  }

  function roomItem({ room, label }) {
    return h('li', {},
      h('button', {
        type: 'button', class: `room${room.id === s.current ? ' active' : ''}${room.unread ? ' has-unread' : ''}`,
        'data-testid': room.direct ? 'dm' : 'room', dataset: { id: room.id }, onclick: () => openRoom(room.id),
      },
      h('span', { class: 'hash', 'aria-hidden': 'true' }, roomMark(room)),
      room.direct || room.visibility === 'private'
        ? h('span', { class: 'visually-hidden' }, room.direct ? 'direct message: ' : 'private room: ') : null,
      h('span', { class: 'name' }, label),
      room.mentions ? h('span', { class: 'badge mention-badge', 'data-testid': 'mentions',
        title: `${room.mentions} unread ${room.mentions === 1 ? 'mention' : 'mentions'}` }, `@${room.mentions > 99 ? '99+' : room.mentions}`) : null,
      room.unread ? h('span', { class: 'badge', 'data-testid': 'unread' }, room.unread > 99 ? '99+' : String(room.unread)) : null));
  }

  /** A room's tabs work only once a room is open (until then a click would have nothing to show). */
  function setRoomTabsEnabled(enabled) {
    for (const tab of [chatTab, postsTab, jobsTab]) tab.disabled = !enabled;
  }

  /** No room: the welcome, with the hub under it (the view shown, else `hubRoute`). */
  function showEmpty(hubRoute = { name: 'feed' }) {
    s.current = null;
    setRoomTabsEnabled(false);
    replace(postsPane);
    main.classList.add('is-empty');
    if (s.view !== 'hub') showHub(hubRoute);
  }

  /** The posts views a frame concerns: its room's, or (a frame without roomId) every one. */
  function postViewsFor(roomId) {
    if (roomId) return s.postViews.has(roomId) ? [s.postViews.get(roomId)] : [];
    return [...s.postViews.values()];
  }

  /** Shows the current room's chat or its posts (a post, when postId is given). */
  function showView(view, postId = null) {
    const roomId = s.current;
    const room = s.rooms.get(roomId);
    if (!room) return;
    s.view = view;
    s.hubRoute = null;
    s.lastView.set(roomId, view);
    main.classList.remove('showing-hub');
    feedNav.setAttribute('aria-pressed', 'false');
    topicsNav.setAttribute('aria-pressed', 'false');
    chatTab.setAttribute('aria-pressed', String(view === 'chat'));
    postsTab.setAttribute('aria-pressed', String(view === 'posts'));
    jobsTab.setAttribute('aria-pressed', String(view === 'jobs'));
    chat.classList.toggle('showing-posts', view === 'posts');
    chat.classList.toggle('showing-jobs', view === 'jobs');
    const hash = view === 'posts' ? `#${roomId}/posts${postId ? `/${postId}` : ''}` : view === 'jobs' ? `#${roomId}/jobs` : `#${roomId}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
    if (view === 'jobs') {
      if (jobsPane.firstChild !== s.jobs.root) replace(jobsPane, s.jobs.root);
      s.jobs.show(room);
    } else if (view === 'posts') {
      let posts = s.postViews.get(roomId);
      if (!posts) {
        posts = new PostsView({ api, me, room, modal, toast, onAuthorClick: (userId, username) => showUser(userId, username),
          related: (postId) => hub.related(postId) });
        s.postViews.set(roomId, posts);
      }
      if (postsPane.firstChild !== posts.root) replace(postsPane, posts.root);
      posts.show(postId);
    } else {
      stickToBottom();
      scheduleMarkRead();
    }
  }

  /** Opens a room: the view `route` names ({view, postId}), or with `route.hub` that app-wide view below its header. */
  async function openRoom(roomId, route = { view: s.lastView.get(roomId) ?? 'chat', postId: null }) {
    const room = s.rooms.get(roomId);
    if (!room) return;
    s.current = roomId;
    renderTyping();
    setRoomTabsEnabled(true);
    document.body.classList.remove('drawer-open');
    main.classList.remove('is-empty');
    title.textContent = `${roomMark(room)} ${roomLabel(room)}`;
    composerInput.placeholder = `Message ${roomMark(room)}${roomLabel(room)}${room.visibility === 'private' ? '' : '  (try !quote)'}`;
    topic.textContent = room.topic || '';
    memberCount.textContent = `${room.memberCount} ${room.memberCount === 1 ? 'member' : 'members'}`;
    // A private room is chat only (no posts, no MQTT bridge: anyone could read those).
    const isPrivate = room.visibility === 'private';
    settingsButton.classList.toggle('hidden', room.createdBy !== me.id || isPrivate);
    postsTab.classList.toggle('hidden', isPrivate);
    leaveButton.classList.toggle('hidden', !!room.direct); // a direct room is always its two users
    if (isPrivate && route.view === 'posts') route = { view: 'chat', postId: null };
    let timeline = s.timelines.get(roomId);
    if (!timeline) {
      timeline = new Timeline(roomId, api, me, (userId, username) => showUser(userId, username),
        () => s.rooms.get(roomId)?.createdBy === me.id);
      timeline.onGap = (afterSeq) => api.messages(roomId, { after: afterSeq, limit: 200 }).then((missed) => timeline.addAll(missed));
      s.timelines.set(roomId, timeline);
    }
    replace(scroller, timeline.list);
    renderRooms();
    if (route.hub) showHub(route.hub);
    else showView(route.view, route.postId);
    api.room(roomId).then((fresh) => {
      Object.assign(room, { name: fresh.name, topic: fresh.topic, memberCount: fresh.memberCount, createdBy: fresh.createdBy ?? room.createdBy,
        visibility: fresh.visibility ?? room.visibility, direct: fresh.direct ?? room.direct });
      if (s.current === roomId) memberCount.textContent = `${fresh.memberCount} ${fresh.memberCount === 1 ? 'member' : 'members'}`;
      s.postViews.get(roomId)?.refreshOwner();
      if (s.current === roomId) settingsButton.classList.toggle('hidden', room.createdBy !== me.id || room.visibility === 'private');
    }).catch(() => {});
    if (!timeline.loaded) {
      await timeline.loadLatest();
    }
    if (s.current === roomId && s.view === 'chat') {
      stickToBottom();
      scheduleMarkRead();
      composerInput.focus();
    }
  }

  /** "X is typing…" under the current room's messages; entries go 5 s after their last frame, or with a message. */
  function renderTyping() {
    const typing = s.typing.get(s.current);
    const now = Date.now();
    const names = typing ? [...typing.entries()].filter(([, t]) => t.until > now).map(([, t]) => t.name) : [];
    if (typing) for (const [id, t] of typing) if (t.until <= now) typing.delete(id);
    typingLine.textContent = names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…`
      : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…';
  }

  function onMessage(message) {
    const room = s.rooms.get(message.roomId);
    if (!room) return;
    if (s.typing.get(message.roomId)?.delete(message.userId)) renderTyping();
    const timeline = s.timelines.get(message.roomId);
    const wasAtBottom = atBottom();
    const isNew = timeline?.loaded ? timeline.add(message) : message.seq > room.lastSeq;
    if (!isNew) return;
    room.lastSeq = Math.max(room.lastSeq, message.seq);
    if (message.userId === me.id) {
      room.lastReadSeq = Math.max(room.lastReadSeq, message.seq);
    } else if (message.roomId === s.current && s.view === 'chat' && !document.hidden && wasAtBottom) {
      scheduleMarkRead();
    } else {
      room.unread = Math.max(0, room.lastSeq - room.lastReadSeq);
    }
    if (message.roomId === s.current && s.view === 'chat' && (wasAtBottom || message.userId === me.id)) stickToBottom();
    renderRooms();
  }

  function send() {
    const text = composerInput.value;
    const roomId = s.current;
    if (!roomId || !text.trim()) return;
    composerInput.value = '';
    composerInput.style.height = 'auto';
    const timeline = s.timelines.get(roomId);
    const key = crypto.randomUUID();
    timeline.addPending(text, key);
    stickToBottom();
    const attempt = () => api.post(roomId, text, key)
      .then((message) => { timeline.confirm(key, message); onMessage(message); })
      .catch((error) => timeline.fail(key, error, attempt)); // a retry reuses the key: never stored twice
    attempt();
  }

  let markTimer = null;
  function scheduleMarkRead() {
    clearTimeout(markTimer);
    markTimer = setTimeout(() => {
      const room = s.rooms.get(s.current);
      const timeline = s.timelines.get(s.current);
      if (!room || !timeline?.loaded || s.view !== 'chat' || document.hidden || !atBottom()) return;
      const seq = timeline.lastSeq;
      if (seq > room.lastReadSeq || room.unread || room.mentions) {
        room.lastReadSeq = Math.max(room.lastReadSeq, seq);
        room.unread = Math.max(0, room.lastSeq - room.lastReadSeq);
        if (room.lastReadSeq >= room.lastSeq) room.mentions = 0;
        renderRooms();
        if (seq > 0) api.markRead(room.id, seq).catch(() => {});
      }
    }, 300);
  }

  function atBottom() {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 60;
  }

  function stickToBottom() {
    requestAnimationFrame(() => { scroller.scrollTop = scroller.scrollHeight; });
  }

  function joinedRoom(room, route) {
    addRoom(room);
    openRoom(room.id, route);
  }

  /** A room the user is now in: listed, followed live. */
  function addRoom(room) {
    s.rooms.set(room.id, { ...room, lastSeq: room.lastSeq ?? 0, lastReadSeq: room.lastReadSeq ?? 0, unread: room.unread ?? 0,
      lastChange: room.lastChange ?? 0 });
    hub.forgetVisit(room.id);
    live.follow([room.id]);
    renderRooms();
  }

  function forgetRoom(roomId) {
    s.rooms.delete(roomId);
    s.timelines.delete(roomId);
    s.postViews.delete(roomId);
    s.lastView.delete(roomId);
    live.unfollow(roomId);
    renderRooms();
    if (s.current === roomId) {
      const next = [...s.rooms.keys()][0];
      if (next) openRoom(next, s.view === 'hub' ? { hub: s.hubRoute } : undefined);
      else showEmpty();
    }
  }

  async function leaveRoom() {
    const room = s.rooms.get(s.current);
    if (!room || !confirm(`Leave #${room.name}?`)) return;
    await api.leave(room.id);
    forgetRoom(room.id);
  }

  function createRoom() {
    const name = h('input', { required: true, maxlength: 64, placeholder: 'e.g. general', 'data-testid': 'room-name' });
    const roomTopic = h('input', { maxlength: 256, placeholder: 'optional', 'data-testid': 'room-topic' });
    const isPrivate = h('input', { type: 'checkbox', 'data-testid': 'room-private' });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const dialog = modal('Create a room', h('form', { class: 'stack', onsubmit: async (event) => {
      event.preventDefault();
      try {
        const room = await api.createRoom(name.value.trim(), roomTopic.value.trim() || undefined,
          isPrivate.checked ? 'private' : 'public');
        dialog.close();
        joinedRoom(room);
      } catch (e) {
        error.textContent = e.message;
      }
    } },
    h('label', { class: 'field' }, 'Name', name),
    h('label', { class: 'field' }, 'Topic', roomTopic),
    h('label', { class: 'check' }, isPrivate, ' Private: only people invited see it (chat only, no posts)'),
    error,
    h('div', { class: 'row end' },
      h('button', { class: 'ghost', type: 'button', onclick: () => dialog.close() }, 'Cancel'),
      h('button', { class: 'primary', type: 'submit', 'data-testid': 'create-room-submit' }, 'Create'))));
    name.focus();
  }

  async function browseRooms() {
    const list = h('ul', { class: 'browse', 'data-testid': 'browse-list' });
    const more = h('button', { class: 'ghost hidden', type: 'button', 'data-testid': 'browse-more' }, 'More rooms');
    const dialog = modal('Rooms', h('div', { class: 'stack' }, list, more));
    let cursor = null;
    const load = async () => {
      const page = await api.rooms(cursor);
      cursor = page.next;
      more.classList.toggle('hidden', !cursor);
      list.append(...page.rooms.map((room) => h('li', {},
        h('div', {}, h('strong', {}, `# ${room.name}`), room.topic ? h('small', {}, room.topic) : null,
          h('small', {}, `${room.memberCount} ${room.memberCount === 1 ? 'member' : 'members'}`)),
        s.rooms.has(room.id)
          ? h('button', { class: 'ghost', type: 'button', onclick: () => { dialog.close(); openRoom(room.id); } }, 'Open')
          : h('button', { class: 'primary', type: 'button', 'data-testid': 'join', dataset: { room: room.name }, onclick: async () => {
            const joined = await api.join(room.id);
            dialog.close();
            joinedRoom(joined);
          } }, 'Join'))));
      if (!list.children.length) list.append(h('li', { class: 'hint' }, 'No rooms yet. Create the first one!'));
    };
    more.addEventListener('click', load);
    await load();
  }

  /** People by the start of their username, as one types; a name opens their card (Message, Invite, Follow). */
  function findPeople() {
    // type text, not search: Escape in a search field clears it, and here Escape closes the dialog at once
    const input = h('input', { type: 'text', name: 'prefix', autocomplete: 'off', spellcheck: 'false', maxlength: 32,
      placeholder: 'ann', 'data-testid': 'find-people-input' });
    const list = h('ul', { class: 'members', 'aria-live': 'polite', 'data-testid': 'find-people-list' });
    const dialog = modal('Find people', h('div', { class: 'stack' }, h('label', { class: 'field' }, 'Username starts with', input), list));
    let asked = 0;
    let pending = null;
    const search = async () => {
      const prefix = input.value.trim();
      const mine = ++asked;
      if (!prefix) { replace(list); return; }
      if (!/^[A-Za-z0-9_.-]{1,32}$/.test(prefix)) {
        replace(list, h('li', { class: 'hint' }, 'Usernames have only letters, digits, _ . and -'));
        return;
      }
      const page = await api.findUsers(prefix).catch(() => null);
      if (mine !== asked) return; // the text changed while this was asked: a newer answer is coming
      if (!page) { replace(list, h('li', { class: 'hint' }, 'People cannot be found right now. Try again in a moment.')); return; }
      replace(list, page.users.length ? page.users.map((u) => h('li', {},
        h('span', { class: 'avatar', style: { '--hue': hueOf(u.username) } }, initials(u.displayName || u.username)),
        h('button', { class: 'link', type: 'button', 'data-testid': 'found-person', dataset: { username: u.username },
          onclick: () => { dialog.close(); showUser(u.id, u.username); } }, u.displayName || u.username),
        h('small', {}, `@${u.username}`)))
        : h('li', { class: 'hint' }, `No username starts with "${prefix}".`));
    };
    input.addEventListener('input', () => { clearTimeout(pending); pending = setTimeout(search, 150); }); // one call a pause
    input.focus();
  }

  async function showMembers() {
    const room = s.rooms.get(s.current);
    if (!room) return;
    const { members } = await api.members(room.id);
    modal(`Members of #${room.name}`, h('ul', { class: 'members' }, members.map((m) => h('li', {},
      h('span', { class: 'avatar-with-presence' },
        h('span', { class: 'avatar', style: { '--hue': hueOf(m.username) } }, initials(m.displayName || m.username)),
        presenceDot(m.id)),
      h('button', { class: 'link', type: 'button', onclick: () => showUser(m.id, m.username) }, m.displayName || m.username),
      h('small', {}, `@${m.username}`)))));
    // The state now; presence frames keep it current while the dialog is open.
    const online = await api.online(members.map((m) => m.id)).catch(() => null);
    if (!online) return;
    for (const m of members) {
      s.presence.set(m.id, online.has(m.id));
      renderPresence(m.id);
    }
  }

  /** A dot that says whether a user is online (unknown until asked: no dot drawn). */
  function presenceDot(userId) {
    const dot = h('span', { class: 'presence-dot', role: 'img', 'data-presence-of': userId });
    paintPresence(dot, s.presence.get(userId));
    return dot;
  }

  function paintPresence(dot, online) {
    dot.dataset.online = online === undefined ? 'unknown' : String(online);
    dot.setAttribute('aria-label', online === undefined ? 'presence unknown' : online ? 'online' : 'offline');
    dot.title = online ? 'online' : online === false ? 'offline' : '';
  }

  function renderPresence(userId) {
    for (const dot of document.querySelectorAll(`[data-presence-of="${CSS.escape(userId)}"]`)) {
      paintPresence(dot, s.presence.get(userId));
    }
  }

  /** The current room's settings (its MQTT bridge), for its owner; the server has the last word on who that is. */
  function showSettings() {
    const room = s.rooms.get(s.current);
    if (!room) return;
    openRoomSettings({ api, room, modal, jobs: s.jobs, onForbidden: () => { if (s.current === room.id) settingsButton.classList.add('hidden'); } });
  }

  /** A person's card, with "Message" (their direct room) and an invitation into one of the caller's rooms. */
  function showUser(userId, username) {
    personCard(api, me, userId, username, modal, personActions);
  }

  function personActions(user, close) {
    const note = h('p', { class: 'note', role: 'status', 'data-testid': 'invite-note' });
    const message = h('button', { class: 'ghost', type: 'button', 'data-testid': 'message-person', onclick: async () => {
      try {
        const direct = await api.directRoom(user.id);
        close();
        if (s.rooms.has(direct.id)) openRoom(direct.id);
        else joinedRoom(direct);
      } catch (e) {
        note.textContent = e.message;
      }
    } }, 'Message');
    const rooms = [...s.rooms.values()].filter((room) => !room.direct).sort((a, b) => a.name.localeCompare(b.name));
    if (!rooms.length) return [h('div', { class: 'row' }, message), note];
    const choice = h('select', { 'data-testid': 'invite-room', 'aria-label': 'Room to invite them into' },
      rooms.map((room) => h('option', { value: room.id, selected: room.id === s.current }, `${roomMark(room)} ${room.name}`)));
    const invite = h('button', { class: 'ghost', type: 'button', 'data-testid': 'invite-person', onclick: async () => {
      const room = s.rooms.get(choice.value);
      try {
        await api.invite(room.id, user.id);
        note.textContent = `Invited to ${roomMark(room)} ${room.name}.`;
      } catch (e) {
        note.textContent = e.message;
      }
    } }, 'Invite');
    return [h('div', { class: 'row' }, message), h('div', { class: 'row' }, choice, invite), note];
  }
}

/** A short message in the corner that goes away by itself. */
function toast(text, action) {
  const node = h('div', { class: 'toast', role: 'status', 'data-testid': 'toast' }, text,
    action ? h('button', { class: 'link', type: 'button', 'data-testid': action.testid, onclick: async () => {
      node.remove();
      try {
        await action.run();
      } catch (e) {
        toast(e.message);
      }
    } }, action.label) : null);
  document.body.append(node);
  setTimeout(() => node.remove(), action ? 15000 : 6000);
}

/** A dialog with a title and content; closes on Escape, backdrop click or close(). */
function modal(titleText, content) {
  const dialog = h('dialog', { class: 'modal' },
    h('header', {}, h('h3', {}, titleText), h('button', { class: 'icon', type: 'button', 'aria-label': 'Close', onclick: () => dialog.close() }, '×')),
    content);
  dialog.addEventListener('close', () => dialog.remove());
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
