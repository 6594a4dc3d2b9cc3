// The addresses of what the app shows (the part after #), so links, reloads and back/forward work:
//   #<room> its chat, #<room>/posts its posts, #<room>/posts/<post> one post, #<room>/jobs the jobs;
//   #feed the feed, #search?q=&kind=&sort= a search, #topics/<tag> a topic, #labels/<tag> the posts the user
//   labelled so, #my-topics the followed and muted topics. Room ids are UUIDs, so these words never clash.

const enc = encodeURIComponent;
const KINDS = new Set(['post', 'comment', 'message']);
const SEARCH_SORTS = new Set(['relevance', 'new', 'top']);
const TOPIC_SORTS = new Set(['hot', 'new', 'top']);

export const routes = {
  room: (roomId) => `#${enc(roomId)}`,
  posts: (roomId) => `#${enc(roomId)}/posts`,
  post: (roomId, postId) => `#${enc(roomId)}/posts/${enc(postId)}`,
  feed: () => '#feed',
  myTopics: () => '#my-topics',
  topic: (tag, sort = 'hot') => `#topics/${enc(tag)}${sort !== 'hot' ? `?sort=${enc(sort)}` : ''}`,
  label: (tag) => `#labels/${enc(tag)}`,
  search: ({ q, kind = null, sort = 'relevance' }) => {
    const query = new URLSearchParams({ q });
    if (kind) query.set('kind', kind);
    if (sort !== 'relevance') query.set('sort', sort);
    return `#search?${query}`;
  },
};

/** The address of an app-wide view (`hub` as parseRoute gives it). */
export function hubHash(hub) {
  switch (hub.name) {
    case 'search': return routes.search(hub);
    case 'topic': return routes.topic(hub.tag, hub.sort);
    case 'labels': return routes.label(hub.tag);
    case 'my-topics': return routes.myTopics();
    case 'visit': return hub.postId ? routes.post(hub.roomId, hub.postId) : routes.posts(hub.roomId);
    default: return routes.feed();
  }
}

function decode(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return '';
  }
}

/**
 * What an address names: {hub: {name, ...}} for an app-wide view, else {roomId, view, postId} (roomId '' when
 * it names nothing).
 */
export function parseRoute(hash) {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = raw.indexOf('?');
  const path = queryAt < 0 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : raw.slice(queryAt + 1));
  const [first = '', second, third] = path.split('/').map(decode);
  switch (first) {
    case 'feed':
      return { hub: { name: 'feed' } };
    case 'my-topics':
      return { hub: { name: 'my-topics' } };
    case 'search': {
      const kind = query.get('kind');
      const sort = query.get('sort');
      return { hub: { name: 'search', q: query.get('q') ?? '', kind: KINDS.has(kind) ? kind : null,
        sort: SEARCH_SORTS.has(sort) ? sort : 'relevance' } };
    }
    case 'topics': {
      const sort = query.get('sort');
      if (second) return { hub: { name: 'topic', tag: second, sort: TOPIC_SORTS.has(sort) ? sort : 'hot' } };
      return { hub: { name: 'my-topics' } };
    }
    case 'labels':
      if (second) return { hub: { name: 'labels', tag: second } };
      return { hub: { name: 'my-topics' } };
    default:
      break;
  }
  if (second === 'posts') return { roomId: first, view: 'posts', postId: third || null };
  return { roomId: first, view: second === 'jobs' ? 'jobs' : 'chat', postId: null };
}
