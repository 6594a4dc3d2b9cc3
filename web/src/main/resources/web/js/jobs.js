// Jobs beside a room's chat and posts: export the room (JSON Lines or Markdown) as a background job, follow the
// user's jobs live (status, progress, attempts, errors), cancel one, download a finished export; and, for the
// room's owner, the room's settings with its MQTT bridge and the import of posts (imports.js).
//
// A job changes on the server while it runs: the live socket sends a {"type":"job"} frame at each change of
// status and about every second of progress. Reads (the list, a submit's answer) and frames are merged by id:
// a read never overwrites a frame that arrived after the read was sent, and a finished job never goes back.
import { h, replace, timeOf } from './dom.js';
import { importSection } from './imports.js';

const PAGE = 20;
const FORMATS = [['jsonl', 'JSON Lines'], ['markdown', 'Markdown']];
const FORMAT_NAMES = { ...Object.fromEntries(FORMATS), reddit: 'Reddit' };
const KINDS = { 'export-room': 'Room export', 'import-posts': 'Post import', probe: 'Diagnostic probe' };
const UNITS = { 'export-room': 'messages', 'import-posts': 'lines' };
const WATCH_POLL_MS = 5_000; // a watched job is read again when no frame came for this long (the socket down)
const ACTIVE = new Set(['queued', 'running']);
const SAME_SUBMIT_MS = 3_000; // a second click this soon after the answer is the same request again
const REMEMBERED = 100; // how many jobs' parameters are kept in localStorage

function isFinished(job) {
  return !ACTIVE.has(job.status);
}

function formatLabel(format) {
  return FORMAT_NAMES[format] ?? format;
}

function plural(n, word) {
  return `${n.toLocaleString()} ${n === 1 ? word.replace(/s$/, '') : word}`;
}

function sizeOf(bytes) {
  if (!Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = -1;
  do {
    value /= 1024;
    unit += 1;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Newest first: by creation time, then by id (UUIDv7 ids sort by creation time too). */
function newer(a, b) {
  const t = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return t < 0 || (t === 0 && a.id > b.id);
}

/**
 * The Idempotency-Key of a submit: a fresh random UUID for each new request, reused while that request is
 * unanswered or failed without an answer (a retry), and for a click that repeats the same request within a few
 * seconds of its answer (a double click): the server then answers the job it already made, never a second one.
 */
function submitKeys() {
  let key = null;
  let sent = null;
  let answeredAt = 0;
  return {
    for(content) {
      const json = JSON.stringify(content);
      if (json !== sent || (answeredAt && Date.now() - answeredAt > SAME_SUBMIT_MS)) {
        key = crypto.randomUUID();
        sent = json;
        answeredAt = 0;
      }
      return key;
    },
    answered() { answeredAt = Date.now(); },
    reset() { key = null; sent = null; answeredAt = 0; },
  };
}

export class JobsView {
  /**
   * @param roomName (roomId) => the name of one of the user's rooms, or null
   * @param onFinished (job, text) => told when a job this page saw running has finished
   */
  constructor({ api, me, roomName, onFinished }) {
    Object.assign(this, { api, me, roomName, onFinished });
    this.room = null;
    this.jobs = new Map(); // id -> job as last known
    this.rows = new Map(); // id -> {node, and its parts}
    this.watchers = new Map(); // id -> Set of {row, onChange}: the same job shown elsewhere (an import dialog)
    this.frameAt = new Map(); // id -> when its last frame came (performance.now())
    this.cancelling = new Set();
    this.keys = submitKeys();
    this.storageKey = `babble.jobs.${me.id}`;
    this.params = this.readParams(); // id -> {roomId, format}, from our own submits
    this.next = null;
    this.loaded = false;
    this.loadToken = 0;
    this.lastLoad = 0;
    this.build();
  }

  // ---- layout ----

  build() {
    this.exportTitle = h('h3', { id: 'export-title' }, 'Export this room');
    this.formatInputs = FORMATS.map(([value], i) => h('input', {
      type: 'radio', name: 'export-format', value, checked: i === 0, 'data-testid': `export-format-${value}`,
    }));
    this.exportButton = h('button', { class: 'primary', type: 'submit', 'data-testid': 'export-room' }, 'Export this room');
    this.exportError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'export-error' });
    const exportForm = h('form', { class: 'export-form', onsubmit: (event) => { event.preventDefault(); this.exportRoom(); } },
      h('fieldset', { class: 'formats' },
        h('legend', {}, 'Format'),
        FORMATS.map(([, label], i) => h('label', { class: 'check' }, this.formatInputs[i], label))),
      this.exportButton);
    const exportSection = h('section', { class: 'jobs-card', 'aria-labelledby': 'export-title', 'data-testid': 'export-section' },
      this.exportTitle,
      h('p', { class: 'muted' }, 'Every message of the room, in one file. The export runs in the background: follow it below and download the file when it is done.'),
      exportForm,
      this.exportError);

    this.list = h('ol', { class: 'job-list', 'aria-labelledby': 'jobs-title', 'data-testid': 'job-list' });
    this.listError = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'jobs-error' });
    this.emptyNote = h('p', { class: 'note hidden', 'data-testid': 'jobs-empty' }, 'No jobs yet. Export a room to start one.');
    this.more = h('button', { type: 'button', class: 'ghost hidden', 'data-testid': 'jobs-more', onclick: () => this.load(false) }, 'Load more');
    const listSection = h('section', { class: 'jobs-list-pane' },
      h('div', { class: 'jobs-head' },
        h('h3', { id: 'jobs-title' }, 'Your jobs'),
        h('button', { type: 'button', class: 'ghost', 'data-testid': 'jobs-refresh', onclick: () => this.load(true) }, 'Refresh')),
      this.listError, this.list, this.emptyNote, h('div', { class: 'row' }, this.more));
    // Status changes are announced once here; progress is not (it would talk every second).
    this.announcer = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
    this.root = h('div', { class: 'jobs', 'data-testid': 'jobs-view' }, exportSection, listSection, this.announcer);
  }

  /** Shows the view with `room` as the one to export; reads the list the first time. */
  show(room) {
    this.room = room;
    this.exportTitle.textContent = `Export #${room.name}`;
    this.exportButton.setAttribute('aria-describedby', 'export-title'); // "Export this room": which one
    if (!this.loaded) this.load(true);
    else for (const [id, row] of this.rows) this.update(row, this.jobs.get(id)); // room names may have changed
  }

  /** After the live connection was down (frames may be lost): read the list again. */
  resync() {
    if (this.loaded && Date.now() - this.lastLoad > 2_000) this.load(true);
  }

  // ---- exporting ----

  async exportRoom() {
    const room = this.room;
    if (!room || this.exporting) return;
    const format = this.formatInputs.find((input) => input.checked)?.value ?? 'jsonl';
    const request = { kind: 'export-room', roomId: room.id, format };
    const key = this.keys.for(request);
    this.exporting = true;
    this.exportButton.disabled = true;
    this.exportError.textContent = '';
    const sentAt = performance.now();
    try {
      const job = await this.api.submitJob(request, key);
      this.keys.answered();
      this.remember(job.id, { roomId: room.id, format });
      const fresh = !this.jobs.has(job.id);
      this.upsert(job, { readAt: sentAt, insert: true });
      if (fresh) this.announce(`Export of #${room.name} ${job.status}.`);
    } catch (e) {
      // Without an answer the job may exist: trying again keeps the key, so it is never made twice.
      if (e.status >= 400 && e.status < 500) this.keys.reset();
      const retry = e.status === 429 ? ' Try again in a moment.' : '';
      this.exportError.textContent = `The export could not start: ${e.message}${retry}`;
    } finally {
      this.exporting = false;
      this.exportButton.disabled = false;
    }
  }

  readParams() {
    try {
      return new Map(JSON.parse(localStorage.getItem(this.storageKey) || '[]'));
    } catch {
      return new Map();
    }
  }

  remember(jobId, params) {
    this.params.delete(jobId);
    this.params.set(jobId, params);
    while (this.params.size > REMEMBERED) this.params.delete(this.params.keys().next().value);
    try {
      localStorage.setItem(this.storageKey, JSON.stringify([...this.params]));
    } catch { /* storage full or off: only the room and format of unfinished jobs go unshown */ }
  }

  // ---- the list ----

  async load(reset) {
    const cursor = reset ? null : this.next;
    if (!reset && !cursor) return;
    const token = ++this.loadToken; // a newer load wins
    const sentAt = performance.now();
    this.lastLoad = Date.now();
    this.more.disabled = true;
    this.list.setAttribute('aria-busy', 'true');
    try {
      const page = await this.api.jobs(cursor, PAGE);
      if (token !== this.loadToken) return;
      this.listError.textContent = '';
      const jobs = page.jobs ?? [];
      if (reset) {
        // What frames and submits brought since stays if it is newer than this page's end.
        const oldest = page.next && jobs.length ? jobs[jobs.length - 1] : null;
        const listed = new Set(jobs.map((job) => job.id));
        for (const [id, row] of this.rows) {
          if (!listed.has(id) && oldest && !newer(this.jobs.get(id), oldest)) {
            row.node.remove();
            this.rows.delete(id);
          }
        }
      }
      for (const job of jobs) this.upsert(job, { readAt: sentAt, insert: true });
      this.next = page.next ?? null;
      this.loaded = true;
    } catch (e) {
      if (token === this.loadToken) this.listError.textContent = `Jobs could not be loaded: ${e.message}`;
    } finally {
      if (token === this.loadToken) {
        this.more.disabled = false;
        this.more.classList.toggle('hidden', !this.next);
        this.list.removeAttribute('aria-busy');
        this.updateEmpty();
      }
    }
  }

  updateEmpty() {
    this.emptyNote.classList.toggle('hidden', !this.loaded || this.rows.size > 0);
  }

  /** A job frame from the live socket: updates its row, or inserts it (a job started elsewhere). */
  onJob(job) {
    if (!job?.id) return;
    this.frameAt.set(job.id, performance.now());
    this.upsert(job, { fromFrame: true, insert: true });
  }

  /**
   * Merges a job from a read (sent at `readAt`) or a frame. A read sent before the job's last frame is older
   * than it and is dropped; nothing makes a finished job active again.
   */
  upsert(incoming, { fromFrame = false, readAt = 0, insert = false } = {}) {
    const old = this.jobs.get(incoming.id);
    let job = incoming;
    if (old) {
      if (!fromFrame && (this.frameAt.get(incoming.id) ?? -1) > readAt) job = old;
      else if (isFinished(old) && !isFinished(incoming)) job = old;
    }
    this.jobs.set(job.id, job);
    if (isFinished(job)) this.cancelling.delete(job.id);
    let row = this.rows.get(job.id);
    if (!row && insert) {
      row = this.renderRow(job);
      this.rows.set(job.id, row);
      this.place(row.node, job);
      this.updateEmpty();
    }
    if (row) this.update(row, job);
    for (const watcher of this.watchers.get(job.id) ?? []) {
      this.update(watcher.row, job);
      watcher.onChange?.(job);
    }
    if (old && job === incoming && !isFinished(old) && isFinished(job)) this.finished(job);
    return job;
  }

  /**
   * One more row for `job` (answered to a request sent at `sentAt`), kept up to date like its row in the list,
   * for a dialog that follows that job; `onChange(job)` hears each change, `params` ({roomId, format}) say what
   * it is about. While it runs without a frame for a while, the job is read again. stop() when done with it.
   */
  watch(job, { sentAt = 0, params, onChange } = {}) {
    if (params) this.remember(job.id, params);
    const watcher = { row: this.renderRow(job, 'watched-job'), onChange };
    if (!this.watchers.has(job.id)) this.watchers.set(job.id, new Set());
    this.watchers.get(job.id).add(watcher);
    this.upsert(job, { readAt: sentAt, insert: true }); // draws the new row too, and tells onChange
    let readAt = performance.now();
    const timer = setInterval(async () => {
      const now = this.jobs.get(job.id);
      if (!now || isFinished(now)) return;
      if (performance.now() - Math.max(readAt, this.frameAt.get(job.id) ?? 0) < WATCH_POLL_MS) return;
      readAt = performance.now();
      const sent = readAt;
      try {
        this.upsert(await this.api.job(job.id), { readAt: sent });
      } catch { /* the next tick tries again */ }
    }, WATCH_POLL_MS);
    return {
      node: watcher.row.node,
      stop: () => {
        clearInterval(timer);
        this.watchers.get(job.id)?.delete(watcher);
        if (!this.watchers.get(job.id)?.size) this.watchers.delete(job.id);
      },
    };
  }

  /** Draws a job again in every row that shows it. */
  redraw(jobId) {
    const job = this.jobs.get(jobId);
    if (!job) return;
    const row = this.rows.get(jobId);
    if (row) this.update(row, job);
    for (const watcher of this.watchers.get(jobId) ?? []) this.update(watcher.row, job);
  }

  /** Puts a new row where its creation time says (the list is newest first). */
  place(node, job) {
    for (const other of this.list.children) {
      const known = this.jobs.get(other.dataset.id);
      if (known && newer(job, known)) {
        other.before(node);
        return;
      }
    }
    this.list.append(node);
  }

  finished(job) {
    const text = `${this.describe(job)} ${job.status}.`;
    this.announce(text);
    this.onFinished?.(job, text);
  }

  announce(text) {
    this.announcer.textContent = text;
  }

  /** "Export of #general", "Import into #general", as far as it is known. */
  describe(job) {
    if (job.kind !== 'export-room' && job.kind !== 'import-posts') return KINDS[job.kind] ?? `Job ${job.kind}`;
    const { roomId } = this.where(job);
    const name = roomId ? this.roomName(roomId) : null;
    if (!name) return KINDS[job.kind];
    return job.kind === 'export-room' ? `Export of #${name}` : `Import into #${name}`;
  }

  /** The room and format of an export: from its result once it has one, else from our own submit. */
  where(job) {
    const known = this.params.get(job.id) ?? {};
    return { roomId: job.result?.roomId ?? known.roomId ?? null, format: job.result?.format ?? known.format ?? null };
  }

  renderRow(job, prefix = 'job') {
    const id = `${prefix}-${job.id}`;
    const row = {
      title: h('strong', { class: 'job-title', id: `${id}-title`, 'data-testid': 'job-kind' }),
      where: h('span', { class: 'job-where', 'data-testid': 'job-where' }),
      status: h('span', { class: 'job-status', 'data-testid': 'job-status' }),
      progress: h('progress', { 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-count`, 'data-testid': 'job-progress' }),
      count: h('span', { class: 'job-count', id: `${id}-count`, 'data-testid': 'job-count' }),
      attempts: h('span', { class: 'job-attempts', 'data-testid': 'job-attempts' }),
      time: h('time', {}),
      error: h('p', { class: 'job-error', 'data-testid': 'job-error' }),
      summary: h('span', { class: 'job-summary', 'data-testid': 'job-summary' }),
      cancel: h('button', { type: 'button', class: 'ghost danger', 'data-testid': 'job-cancel', onclick: () => this.cancel(job.id) }, 'Cancel'),
      download: h('a', { class: 'ghost button-link', href: `/api/v1/jobs/${encodeURIComponent(job.id)}/result`, 'data-testid': 'job-download' }, 'Download'),
      downloadError: h('p', { class: 'form-error', role: 'alert', 'data-testid': 'job-download-error' }),
    };
    row.download.addEventListener('click', (event) => {
      event.preventDefault();
      this.download(job.id, row);
    });
    row.node = h('li', { class: 'job', 'data-testid': 'job', 'aria-labelledby': `${id}-title`, dataset: { id: job.id } },
      h('div', { class: 'job-head' }, row.title, row.where, h('span', { class: 'spacer' }), row.status),
      h('div', { class: 'job-bar' }, row.progress, row.count),
      h('div', { class: 'job-meta' }, row.time, row.attempts, row.summary),
      row.error,
      h('div', { class: 'job-actions' }, row.cancel, row.download),
      row.downloadError);
    return row;
  }

  /** Shows `job` in its row, changing only what changed (a frame comes every second: focus and clicks stay). */
  update(row, job) {
    const { done = 0, total = null } = job.progress ?? {};
    const { roomId, format } = this.where(job);
    const finished = isFinished(job);
    row.node.dataset.status = job.status;
    row.node.className = `job ${job.status}`;
    setText(row.title, this.describe(job));
    setText(row.where, [
      job.kind === 'export-room' && roomId && !this.roomName(roomId) ? 'a room you are not in' : null,
      format ? formatLabel(format) : null,
    ].filter(Boolean).join(' · '));
    const cancelling = this.cancelling.has(job.id);
    setText(row.status, cancelling && !finished ? 'cancelling' : job.status);
    row.status.className = `job-status status-${job.status}`;

    // <progress value=done max=total>; without a total, indeterminate while active, empty or full once finished.
    if (total !== null && total !== undefined && total > 0) {
      row.progress.max = total;
      row.progress.value = Math.min(done, total);
    } else if (!finished) {
      row.progress.removeAttribute('value');
      row.progress.removeAttribute('max');
    } else {
      row.progress.max = 1;
      row.progress.value = job.status === 'succeeded' ? 1 : 0;
    }
    const unit = UNITS[job.kind] ?? 'steps';
    setText(row.count, total !== null && total !== undefined
      ? `${done.toLocaleString()} of ${plural(total, unit)}`
      : done > 0 ? plural(done, unit) : job.status === 'queued' ? 'waiting to start' : '');

    const at = job.finishedAt ?? job.startedAt ?? job.createdAt;
    if (at && row.time.dateTime !== at) {
      row.time.dateTime = at;
      row.time.textContent = `${job.finishedAt ? 'finished' : job.startedAt ? 'started' : 'submitted'} ${timeOf(at)}`;
    }
    setText(row.attempts, job.attempts > 1 ? `attempt ${job.attempts}` : '');
    row.attempts.classList.toggle('hidden', !(job.attempts > 1));

    // The error of a failed job; while a retry waits, the failure it retries after.
    const errorText = job.error ? (job.status === 'failed' ? job.error : finished ? '' : `Last attempt failed: ${job.error}`) : '';
    setText(row.error, errorText);
    row.error.classList.toggle('hidden', !errorText);
    row.error.classList.toggle('form-error', job.status === 'failed');

    const result = job.status === 'succeeded' ? job.result : null;
    setText(row.summary, result ? [
      Number.isFinite(result.messages) ? plural(result.messages, unit) : null,
      Number.isFinite(result.bytes) ? sizeOf(result.bytes) : null,
      Number.isFinite(result.imported) ? `${result.imported.toLocaleString()} imported` : null, // an import
      result.existing > 0 ? `${result.existing.toLocaleString()} already there` : null,
      result.skipped > 0 ? `${result.skipped.toLocaleString()} skipped` : null,
    ].filter(Boolean).join(' · ') : '');

    row.cancel.classList.toggle('hidden', finished);
    row.cancel.disabled = cancelling;
    setText(row.cancel, cancelling ? 'Cancelling…' : 'Cancel');
    row.cancel.setAttribute('aria-label', `Cancel ${this.describe(job)}`);
    const downloadable = job.status === 'succeeded' && Boolean(result?.fileName);
    row.download.classList.toggle('hidden', !downloadable);
    if (downloadable) {
      row.download.setAttribute('download', result.fileName);
      row.download.setAttribute('aria-label', `Download ${result.fileName}`);
    }
  }

  async cancel(jobId) {
    const job = this.jobs.get(jobId);
    if (!job || isFinished(job) || this.cancelling.has(jobId)) return;
    this.cancelling.add(jobId);
    const row = this.rows.get(jobId);
    this.redraw(jobId);
    const sentAt = performance.now();
    try {
      // Queued: cancelled at once. Running: it stops at its next checkpoint, and a frame says so.
      this.upsert(await this.api.cancelJob(jobId), { readAt: sentAt });
    } catch (e) {
      this.cancelling.delete(jobId);
      if (e.status === 409) {
        this.api.job(jobId).then((fresh) => this.upsert(fresh, { readAt: sentAt })).catch(() => {}); // it finished first
      } else if (row) {
        setText(row.downloadError, `Could not cancel: ${e.message}`);
      }
      this.redraw(jobId);
    }
  }

  /** Fetches the file with the token (a plain link could not send it), then saves it under its own name. */
  async download(jobId, row) {
    const job = this.jobs.get(jobId);
    if (!job || row.download.getAttribute('aria-busy') === 'true') return;
    row.download.setAttribute('aria-busy', 'true');
    row.download.textContent = 'Downloading…';
    setText(row.downloadError, '');
    try {
      const { blob, fileName } = await this.api.jobResult(jobId);
      const url = URL.createObjectURL(blob);
      const save = h('a', { href: url, download: job.result?.fileName || fileName || 'export', class: 'hidden' });
      document.body.append(save);
      save.click();
      save.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setText(row.downloadError, e.status === 410 ? 'This file has expired. Export the room again.' : `The download failed: ${e.message}`);
    } finally {
      row.download.removeAttribute('aria-busy');
      row.download.textContent = 'Download';
    }
  }
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The room's settings, for its owner: the MQTT bridge, which publishes the room's messages to a broker and
 * posts what devices publish, and the import of posts (followed by `jobs`, the JobsView). `onForbidden` is
 * called when the server says the user does not own the room.
 */
export function openRoomSettings({ api, room, modal, jobs, onForbidden }) {
  const id = `mqtt-${room.id}`;
  const toggle = h('input', { type: 'checkbox', role: 'switch', disabled: true, 'aria-describedby': `${id}-about`,
    'data-testid': 'mqtt-toggle' });
  const state = h('span', { class: 'note', role: 'status', 'data-testid': 'mqtt-status' }, 'Loading…');
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'mqtt-error' });
  const broker = h('code', { 'data-testid': 'mqtt-broker' });
  const messagesTopic = h('code', { 'data-testid': 'mqtt-topic-messages' });
  const postTopic = h('code', { 'data-testid': 'mqtt-topic-post' });
  const details = h('dl', { class: 'mqtt-details hidden', 'data-testid': 'mqtt-details' },
    h('dt', {}, 'Broker'), h('dd', {}, broker),
    h('dt', {}, 'Messages topic'), h('dd', {}, messagesTopic,
      h('small', {}, 'Subscribe here: each new message of the room is published as JSON.')),
    h('dt', {}, 'Post topic'), h('dd', {}, postTopic,
      h('small', {}, 'Publish {"token": "…", "text": "…", "id": "…"} here to post as the token\'s user; the same id posts once.')));
  const body = h('section', { class: 'mqtt', 'aria-labelledby': `${id}-title`, 'data-testid': 'mqtt-bridge' },
    h('h4', { id: `${id}-title` }, 'MQTT bridge'),
    h('p', { class: 'muted', id: `${id}-about` }, 'Connects this room to an MQTT broker, so devices can read its messages and post to it.'),
    h('div', { class: 'mqtt-switch' }, h('label', { class: 'check' }, toggle, `Bridge #${room.name} to MQTT`), state),
    error,
    details);
  const imports = jobs ? importSection({ api, room, jobs }) : null;
  const dialog = modal(`Settings of #${room.name}`, h('div', { class: 'stack' }, body, imports?.node));
  dialog.classList.add('wide-modal');
  dialog.addEventListener('close', () => imports?.stop());

  const show = (bridge) => {
    toggle.checked = Boolean(bridge.enabled);
    setText(state, bridge.enabled ? 'On' : 'Off');
    broker.textContent = bridge.broker ?? '';
    messagesTopic.textContent = bridge.topics?.messages ?? '';
    postTopic.textContent = bridge.topics?.post ?? '';
    details.classList.toggle('hidden', !bridge.enabled);
  };
  const forbidden = () => {
    onForbidden?.();
    imports?.node.remove(); // the owner's too
    replace(body, h('h4', {}, 'MQTT bridge'),
      h('p', { class: 'muted', 'data-testid': 'mqtt-forbidden' }, 'Only the room\'s owner can bridge it to MQTT.'));
  };

  api.mqttBridge(room.id).then((bridge) => {
    show(bridge);
    toggle.disabled = false;
    toggle.focus();
  }).catch((e) => {
    if (e.status === 403) forbidden();
    else {
      setText(state, '');
      error.textContent = `The bridge could not be read: ${e.message}. Close and open the settings to try again.`;
    }
  });

  toggle.addEventListener('change', async () => {
    const enabled = toggle.checked;
    toggle.disabled = true;
    error.textContent = '';
    setText(state, enabled ? 'Turning on…' : 'Turning off…');
    try {
      show(await api.setMqttBridge(room.id, enabled));
    } catch (e) {
      toggle.checked = !enabled;
      setText(state, !enabled ? 'On' : 'Off');
      if (e.status === 403) forbidden();
      else error.textContent = `The bridge could not be turned ${enabled ? 'on' : 'off'}: ${e.message}`;
    } finally {
      toggle.disabled = false;
      if (dialog.open && body.contains(toggle)) toggle.focus();
    }
  });
  return dialog;
}
