// The public HTTP API (docs/API.md) for the browser.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }

  /** The field a 422 names, if any. */
  get field() {
    return this.problem?.errors?.[0]?.field;
  }
}

export class Api {
  constructor(onUnauthorized) {
    this.token = localStorage.getItem('babble.token');
    this.onUnauthorized = onUnauthorized;
  }

  setToken(token) {
    this.token = token;
    if (token) localStorage.setItem('babble.token', token);
    else localStorage.removeItem('babble.token');
  }

  async request(method, path, body, headers = {}) {
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
          ...headers,
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach Babble. Check your connection.' });
    }
    return this.answer(response, path);
  }

  /** The JSON of an answer, or an ApiError with its problem+json (a proxy's non-JSON error page gives none). */
  async answer(response, path) {
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      if (response.ok) throw e;
    }
    if (!response.ok) {
      if (response.status === 401 && this.token && path !== '/sessions') this.onUnauthorized?.();
      throw new ApiError(response.status, json);
    }
    return json;
  }

  register(username, password, displayName) {
    return this.request('POST', '/users', { username, password, ...(displayName ? { displayName } : {}) });
  }

  login(username, password) {
    return this.request('POST', '/sessions', { username, password });
  }

  logout() {
    return this.request('DELETE', '/sessions/current');
  }

  me() {
    return this.request('GET', '/users/me');
  }

  user(id) {
    return this.request('GET', `/users/${encodeURIComponent(id)}`);
  }

  /** People whose username starts with {@code prefix}: {users, next}. */
  findUsers(prefix, cursor) {
    return this.request('GET', `/users?prefix=${encodeURIComponent(prefix)}&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  myRooms() {
    return this.request('GET', '/users/me/rooms');
  }

  rooms(cursor) {
    return this.request('GET', `/rooms?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  room(roomId) {
    return this.request('GET', `/rooms/${roomId}`);
  }

  createRoom(name, topic, visibility = 'public') {
    return this.request('POST', '/rooms', { name, visibility, ...(topic ? { topic } : {}) });
  }

  invite(roomId, userId) {
    return this.request('POST', `/rooms/${roomId}/invites`, { userId });
  }

  /** The direct room of the caller and a user (made the first time). */
  directRoom(userId) {
    return this.request('POST', '/dms', { userId });
  }

  join(roomId) {
    return this.request('PUT', `/rooms/${roomId}/members/me`);
  }

  leave(roomId) {
    return this.request('DELETE', `/rooms/${roomId}/members/me`);
  }

  members(roomId) {
    return this.request('GET', `/rooms/${roomId}/members`);
  }

  /** Which of these users are online now: asked 100 at a time (the server's limit). */
  async online(userIds) {
    const online = new Set();
    for (let i = 0; i < userIds.length; i += 100) {
      const ids = userIds.slice(i, i + 100).map(encodeURIComponent).join(',');
      (await this.request('GET', `/presence?users=${ids}`)).online.forEach((id) => online.add(id));
    }
    return online;
  }

  messages(roomId, { before, after, limit = 50 } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (before !== undefined) query.set('before', String(before));
    if (after !== undefined) query.set('after', String(after));
    return this.request('GET', `/rooms/${roomId}/messages?${query}`).then((r) => r.messages);
  }

  post(roomId, text, idempotencyKey) {
    return this.request('POST', `/rooms/${roomId}/messages`, { text }, { 'Idempotency-Key': idempotencyKey });
  }

  following(userId, targetId) {
    return this.request('GET', `/users/${userId}/follow/${targetId}`).then((r) => r.following);
  }

  follow(userId, targetId) {
    return this.request('POST', `/users/${userId}/follow/${targetId}`);
  }

  unfollow(userId, targetId) {
    return this.request('DELETE', `/users/${userId}/follow/${targetId}`);
  }

  followers(userId, cursor) {
    return this.request('GET', `/users/${userId}/followers?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  followingList(userId, cursor) {
    return this.request('GET', `/users/${userId}/following?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
  }

  visit() {
    return this.request('GET', '/counter').then((r) => r.visits);
  }

  editMessage(roomId, seq, text) {
    return this.request('PATCH', `/rooms/${roomId}/messages/${seq}`, { text });
  }

  deleteMessage(roomId, seq) {
    return this.request('DELETE', `/rooms/${roomId}/messages/${seq}`);
  }

  react(roomId, seq, emoji) {
    return this.request('PUT', `/rooms/${roomId}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`);
  }

  unreact(roomId, seq, emoji) {
    return this.request('DELETE', `/rooms/${roomId}/messages/${seq}/reactions/${encodeURIComponent(emoji)}`);
  }

  markRead(roomId, seq) {
    return this.request('PUT', `/rooms/${roomId}/read`, { seq });
  }

  // Posts, comments, votes and moderation (docs/API.md, seed 002).

  posts(roomId, { sort = 'hot', cursor, limit = 25 } = {}) {
    const query = new URLSearchParams({ sort, limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/rooms/${enc(roomId)}/posts?${query}`);
  }

  /** fields: {title, body?, url?, tags?}; the same key with the same fields answers the first post. */
  createPost(roomId, fields, idempotencyKey) {
    return this.request('POST', `/rooms/${enc(roomId)}/posts`, fields, { 'Idempotency-Key': idempotencyKey });
  }

  getPost(postId) {
    return this.request('GET', `/posts/${enc(postId)}`);
  }

  deletePost(postId) {
    return this.request('DELETE', `/posts/${enc(postId)}`);
  }

  /** value 1, 0 or -1; answers {score, myVote}. */
  vote(postId, value) {
    return this.request('PUT', `/posts/${enc(postId)}/vote`, { value });
  }

  comments(postId, cursor, limit = 100) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/posts/${enc(postId)}/comments?${query}`);
  }

  createComment(postId, text, parentId, idempotencyKey) {
    return this.request('POST', `/posts/${enc(postId)}/comments`, { text, ...(parentId ? { parentId } : {}) },
      { 'Idempotency-Key': idempotencyKey });
  }

  moderationRules(roomId) {
    return this.request('GET', `/rooms/${enc(roomId)}/moderation/rules`);
  }

  saveModerationRules(roomId, rules) {
    return this.request('PUT', `/rooms/${enc(roomId)}/moderation/rules`, rules);
  }

  moderationQueue(roomId, cursor) {
    const query = new URLSearchParams({ limit: '50' });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/rooms/${enc(roomId)}/moderation/queue?${query}`);
  }

  /** kind 'post' or 'comment'; decision 'approve' or 'reject'. */
  decide(kind, id, decision, reason) {
    return this.request('PUT', `/moderation/${enc(kind)}/${enc(id)}`, { decision, ...(reason ? { reason } : {}) });
  }

  // Jobs (an export of a room runs in the background) and the MQTT bridge of a room.

  /** Newest first: {jobs, next}. */
  jobs(cursor, limit = 20) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/jobs?${query}`);
  }

  job(jobId) {
    return this.request('GET', `/jobs/${enc(jobId)}`);
  }

  /** fields: {kind, roomId, format}; answers 202 with the job (the same job again for the same key). */
  submitJob(fields, idempotencyKey) {
    return this.request('POST', '/jobs', fields, { 'Idempotency-Key': idempotencyKey });
  }

  /** Cancels a queued job, or asks a running one to stop; answers the job. */
  cancelJob(jobId) {
    return this.request('DELETE', `/jobs/${enc(jobId)}`);
  }

  /** A finished job's file as {blob, fileName}: fetched with the token, which a plain link could not send. */
  async jobResult(jobId) {
    return this.download(`/jobs/${enc(jobId)}/result`);
  }

  async download(path) {
    let response;
    try {
      // With the token, so not a plain link: the file comes through fetch and is saved from a Blob.
      response = await fetch(`/api/v1${path}`, {
        headers: this.token ? { Authorization: `Bearer ${this.token}` } : {},
      });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach Babble. Check your connection.' });
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let problem = null;
      try { problem = text ? JSON.parse(text) : null; } catch { /* not problem+json */ }
      if (response.status === 401 && this.token) this.onUnauthorized?.();
      throw new ApiError(response.status, problem);
    }
    const disposition = response.headers.get('Content-Disposition') || '';
    const named = /filename="?([^";]+)"?/i.exec(disposition);
    return { blob: await response.blob(), fileName: named ? named[1] : null };
  }

  /**
   * Uploads a file of posts to import into a room (its owner only): answers 202 with the import job (the same
   * job again for the same key). The File is the body as it is, so the browser streams it from disk instead of
   * reading it into memory.
   */
  async importPosts(roomId, file, idempotencyKey, format = 'reddit') {
    let response;
    try {
      response = await fetch(`/api/v1/rooms/${enc(roomId)}/imports?format=${enc(format)}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-ndjson',
          'Idempotency-Key': idempotencyKey,
          ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}),
        },
        body: file,
      });
    } catch (e) {
      throw new ApiError(0, { title: 'Network error', detail: 'Cannot reach Babble. Check your connection.' });
    }
    return this.answer(response, '/imports');
  }

  /** {enabled, topics: {messages, post}, broker}; 403 unless the caller owns the room. */
  mqttBridge(roomId) {
    return this.request('GET', `/rooms/${enc(roomId)}/mqtt`);
  }

  setMqttBridge(roomId, enabled) {
    return this.request('PUT', `/rooms/${enc(roomId)}/mqtt`, { enabled });
  }

  // Topics: search, topic listings, the feed, topic preferences, private labels, similar posts (seed 004).

  /** {results: [{kind, id, roomId, postId, title, text, highlights, titleHighlights, author, votes, createdAt}], total, next} */
  search({ q, kind, sort = 'relevance', cursor, limit = 20 }) {
    const query = new URLSearchParams({ q, sort, limit: String(limit) });
    if (kind) query.set('kind', kind);
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/search?${query}`);
  }

  topicPosts(tag, { sort = 'hot', cursor, limit = 25 } = {}) {
    const query = new URLSearchParams({ sort, limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/topics/${enc(tag)}/posts?${query}`);
  }

  feed({ cursor, limit = 25 } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/feed?${query}`);
  }

  /** {follow: [tag...], mute: [tag...]} */
  myTopics() {
    return this.request('GET', '/users/me/topics');
  }

  /** Replaces the whole set; answers it as stored. */
  setMyTopics({ follow, mute }) {
    return this.request('PUT', '/users/me/topics', { follow, mute });
  }

  /** The caller's own labels on a post: {postId, labels}. */
  postLabels(postId) {
    return this.request('GET', `/posts/${enc(postId)}/labels`);
  }

  setPostLabels(postId, labels) {
    return this.request('PUT', `/posts/${enc(postId)}/labels`, { labels });
  }

  labelledPosts(tag, { cursor, limit = 25 } = {}) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor) query.set('cursor', cursor);
    return this.request('GET', `/users/me/labels/${enc(tag)}/posts?${query}`);
  }

  similarPosts(postId, limit = 5) {
    return this.request('GET', `/posts/${enc(postId)}/similar?limit=${limit}`);
  }
}

const enc = encodeURIComponent;
