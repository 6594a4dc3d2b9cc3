// The live connection (docs/API.md, Live): authenticates with the first frame, subscribes to the user's rooms
// with the last seq and change seen in each, and after any drop reconnects with backoff and resubscribes from
// where it was, so the server replays exactly what was missed: new messages, and edits and deletions.

const PING_EVERY = 20_000;
const SILENT_TOO_LONG = 45_000;

export class Live {
  /**
   * @param token the session token
   * @param positionOf (roomId) => {seq, change}: the last seq and change number the UI has for a room
   * @param handlers {onMessage, onMessageChanged, onReactions, onTyping, onPresence, onSubscribed, onUnsubscribed, onError, onStatus, onNotification, onPost,
   *     onComment, onModerated, onJob}
   */
  constructor(token, positionOf, handlers) {
    this.token = token;
    this.positionOf = positionOf;
    this.handlers = handlers;
    this.rooms = new Set();
    this.attempt = 0;
    this.closedByUs = false;
    this.status = 'connecting';
  }

  start() {
    this.closedByUs = false;
    this.connect();
    // The browser knows the network is gone before the socket does: drop it now, come back as soon as it returns.
    window.addEventListener('offline', this.onOffline = () => this.goOffline());
    window.addEventListener('online', this.onOnline = () => this.reconnectNow());
  }

  stop() {
    this.closedByUs = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    window.removeEventListener('offline', this.onOffline);
    window.removeEventListener('online', this.onOnline);
    this.socket?.close(1000, 'bye');
  }

  goOffline() {
    if (this.closedByUs) return;
    clearInterval(this.pingTimer);
    const old = this.socket;
    this.socket = null;
    old?.close();
    this.scheduleReconnect();
  }

  /** Adds rooms to follow live; subscribes at once when connected. */
  follow(roomIds) {
    const fresh = roomIds.filter((id) => !this.rooms.has(id));
    fresh.forEach((id) => this.rooms.add(id));
    if (fresh.length && this.status === 'online') this.subscribe(fresh);
  }

  unfollow(roomId) {
    this.rooms.delete(roomId);
    if (this.status === 'online') this.send({ type: 'unsubscribe', rooms: [roomId] });
  }

  connect() {
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/live`);
    this.socket = socket;
    socket.onopen = () => {
      this.lastHeard = Date.now();
      this.send({ type: 'auth', token: this.token });
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      this.onFrame(JSON.parse(event.data));
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      clearInterval(this.pingTimer);
      if (this.closedByUs) return;
      if (event.code === 4401) {
        this.handlers.onUnauthorized?.();
        return;
      }
      this.scheduleReconnect();
    };
  }

  onFrame(frame) {
    switch (frame.type) {
      case 'welcome':
        this.attempt = 0;
        this.setStatus('online');
        this.startHeartbeat();
        if (this.rooms.size) this.subscribe([...this.rooms]);
        break;
      case 'message':
        this.handlers.onMessage?.(frame.message);
        break;
      // An edit or a deletion, numbered per room (frame.change): the message as it is now.
      case 'message-updated':
        this.handlers.onMessageChanged?.(frame.message, frame.change);
        break;
      case 'message-deleted':
        this.handlers.onMessageChanged?.({ roomId: frame.roomId, seq: frame.seq, deleted: true }, frame.change);
        break;
      case 'typing':
        this.handlers.onTyping?.(frame);
        break;
      case 'presence':
        this.handlers.onPresence?.(frame);
        break;
      case 'reactions':
        this.handlers.onReactions?.(frame);
        break;
      case 'subscribed':
        this.handlers.onSubscribed?.(frame);
        break;
      case 'unsubscribed':
        this.rooms.delete(frame.roomId);
        this.handlers.onUnsubscribed?.(frame);
        break;
      case 'error':
        // The gateway could not catch this room up (the messages service is down): ask again a little later.
        if (frame.status === 503 && frame.roomId && this.rooms.has(frame.roomId)) {
          setTimeout(() => {
            if (this.rooms.has(frame.roomId)) this.subscribe([frame.roomId]);
          }, 2_000 + Math.random() * 3_000);
        }
        this.handlers.onError?.(frame);
        break;
      case 'notification':
        this.handlers.onNotification?.(frame);
        break;
      // Posts and comments (seed 002): shown when visible, to their author at once; moderation decisions.
      case 'post':
        if (frame.post) this.handlers.onPost?.(frame.post);
        break;
      case 'comment':
        if (frame.comment) this.handlers.onComment?.(frame.comment);
        break;
      case 'moderated':
        this.handlers.onModerated?.(frame);
        break;
      // One of this user's jobs changed status or made progress (to every socket of its owner).
      case 'job':
        if (frame.job) this.handlers.onJob?.(frame.job);
        break;
      default:
        break; // pong, and frames this version does not know
    }
  }

  subscribe(roomIds) {
    const rooms = {};
    for (const id of roomIds) rooms[id] = this.positionOf(id);
    this.send({ type: 'subscribe', rooms });
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  startHeartbeat() {
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENT_TOO_LONG) {
        this.reconnectNow(); // the connection is dead even if the browser has not noticed
      } else {
        this.send({ type: 'ping' });
      }
    }, PING_EVERY);
  }

  scheduleReconnect() {
    this.setStatus('reconnecting');
    clearTimeout(this.retryTimer);
    const delay = Math.min(10_000, 500 * 2 ** this.attempt) * (0.75 + Math.random() / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    if (this.closedByUs) return;
    clearTimeout(this.retryTimer);
    const old = this.socket;
    this.socket = null;
    old?.close();
    this.attempt = Math.max(this.attempt, 1);
    this.connect();
  }

  setStatus(status) {
    if (this.status === status) return;
    this.status = status;
    this.handlers.onStatus?.(status);
  }
}
