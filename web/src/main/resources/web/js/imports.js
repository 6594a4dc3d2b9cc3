// Importing posts into a room, for its owner (in the room's settings): a Reddit dump, one JSON object per line,
// sent as it is (the File is the request body, so the browser streams it from disk) and imported by a job. The
// job shows as a job row kept up to date by the live job frames, like the Jobs view's; when it is done, how
// many posts were imported, found already there, and skipped, with why for the first skipped lines.
import { h, replace } from './dom.js';

const MAX_BYTES = 200 * 1024 * 1024; // the API's limit
const ERRORS_SHOWN = 10;

function sizeOf(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function count(value) {
  return Number.isFinite(value) ? value.toLocaleString() : '—';
}

/**
 * The import form of `room` and what its last import did; `jobs` is the JobsView that follows jobs live.
 * Answers {node, stop}: stop() when the dialog closes.
 */
export function importSection({ api, room, jobs }) {
  const id = `import-${room.id}`;
  const file = h('input', { type: 'file', accept: '.json,.jsonl,.ndjson,.txt,application/json,application/x-ndjson',
    'aria-describedby': `${id}-about`, 'data-testid': 'import-file' });
  const submit = h('button', { type: 'submit', class: 'primary', disabled: true, 'data-testid': 'import-submit' }, 'Import');
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'import-status' });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'import-error' });
  const jobSlot = h('div', { class: 'import-job' });
  const counts = h('dl', { class: 'import-counts hidden', 'data-testid': 'import-counts' });
  const errors = h('ol', { class: 'import-errors hidden', 'aria-label': 'Lines not imported', 'data-testid': 'import-errors' });
  let watching = null;
  let busy = false;
  // One Idempotency-Key per file until the server answers: a retry after a lost answer never imports twice,
  // while importing the same file again on purpose (to see that it adds nothing) is a new request.
  let key = null;
  let keyFor = null;

  const ready = () => {
    submit.disabled = busy || !file.files?.length;
  };
  const start = async () => {
    const chosen = file.files?.[0];
    if (!chosen || busy) return;
    error.textContent = '';
    if (chosen.size > MAX_BYTES) {
      error.textContent = `${chosen.name} is ${sizeOf(chosen.size)}: a file may be 200 MB at most.`;
      return;
    }
    busy = true;
    ready();
    counts.classList.add('hidden');
    errors.classList.add('hidden');
    status.textContent = `Sending ${chosen.name} (${sizeOf(chosen.size)})…`;
    const sentAt = performance.now();
    const which = `${chosen.name}:${chosen.size}:${chosen.lastModified}`;
    if (keyFor !== which) {
      key = crypto.randomUUID();
      keyFor = which;
    }
    try {
      const job = await api.importPosts(room.id, chosen, key);
      keyFor = null;
      status.textContent = `Importing ${chosen.name}…`;
      watching?.stop();
      watching = jobs.watch(job, { sentAt, params: { roomId: room.id, format: 'reddit' }, onChange: (now) => changed(now, chosen.name) });
      replace(jobSlot, watching.node);
    } catch (e) {
      if (e.status >= 400 && e.status < 500) keyFor = null; // refused: nothing was made
      status.textContent = '';
      error.textContent = e.status === 403 ? 'Only the room\'s owner can import posts into it.'
        : e.status === 413 ? 'This file is too large: 200 MB at most.'
          : `The import could not start: ${e.message}${e.status === 429 ? ' Try again in a moment.' : ''}`;
      busy = false;
      ready();
    }
  };
  const changed = (job, name) => {
    if (job.status === 'queued' || job.status === 'running') return;
    busy = false;
    ready();
    if (job.status === 'succeeded') {
      showResult(job.result ?? {});
      status.textContent = `${name} is imported.`;
    } else if (job.status === 'failed') {
      status.textContent = '';
      error.textContent = `The import failed: ${job.error || 'no reason given'}`;
    } else {
      status.textContent = 'The import was cancelled: the posts imported before it stopped stay.';
    }
  };
  const showResult = (result) => {
    replace(counts,
      h('div', {}, h('dt', {}, 'Imported'), h('dd', { 'data-testid': 'import-imported' }, count(result.imported))),
      h('div', {}, h('dt', {}, 'Already there'), h('dd', { 'data-testid': 'import-existing' }, count(result.existing))),
      h('div', {}, h('dt', {}, 'Skipped'), h('dd', { 'data-testid': 'import-skipped' }, count(result.skipped))));
    counts.classList.remove('hidden');
    const lines = result.errors ?? [];
    const more = Math.max(lines.length, result.skipped ?? 0) - Math.min(lines.length, ERRORS_SHOWN);
    replace(errors,
      lines.slice(0, ERRORS_SHOWN).map((line) => h('li', { 'data-testid': 'import-error-line', dataset: { line: line.line } },
        h('strong', {}, `Line ${line.line}: `), line.reason ?? 'not imported')),
      more > 0 ? h('li', { class: 'note' }, `and ${more.toLocaleString()} more`) : null);
    errors.classList.toggle('hidden', lines.length === 0);
  };

  file.addEventListener('change', () => {
    error.textContent = '';
    ready();
  });
  const node = h('section', { class: 'import', 'aria-labelledby': `${id}-title`, 'data-testid': 'import-section' },
    h('h4', { id: `${id}-title` }, 'Import posts'),
    h('p', { class: 'muted', id: `${id}-about` }, 'A Reddit dump, one JSON object per line (as mongoexport writes it): each line '
      + 'becomes an approved post of this room, with its title, text, link, time, score, and its flair as a tag. Importing '
      + 'the same file again adds nothing.'),
    h('form', { class: 'import-form', onsubmit: (event) => { event.preventDefault(); start(); } },
      h('label', { class: 'field' }, 'File', file), submit),
    status, error, jobSlot, counts, errors);
  return { node, stop: () => watching?.stop() };
}
