// Under an open post: the user's own labels on it (private words they file it under, set with "Label"; each
// leads to the list of posts labelled so) and the posts most like it.
import { PostList, tagChips } from './cards.js';
import { h, replace } from './dom.js';
import { routes } from './routes.js';

const SIMILAR = 5;

function words(text) {
  return [...new Set(text.split(/[\s,]+/).map((w) => w.trim().toLowerCase().replace(/^#/, '')).filter(Boolean))];
}

/** The caller's labels on `postId`, with a form to change them (the whole set, as the API takes it). */
export function labelsPanel({ api, postId }) {
  const id = `labels-${postId}`;
  let labels = null; // unknown until read: never saved over labels not seen
  const chips = h('div', { class: 'label-chips', 'data-testid': 'post-labels' }, h('span', { class: 'muted' }, 'Loading…'));
  const button = h('button', { type: 'button', class: 'ghost', disabled: true, 'aria-expanded': 'false', 'aria-controls': `${id}-form`,
    'data-testid': 'label-button' }, 'Label');
  const input = h('input', { autocapitalize: 'none', spellcheck: false, placeholder: 'e.g. read-later, recipes',
    'aria-describedby': `${id}-hint ${id}-error`, 'data-testid': 'label-input' });
  const error = h('p', { class: 'form-error', role: 'alert', id: `${id}-error`, 'data-testid': 'label-error' });
  const status = h('span', { class: 'muted', role: 'status', 'data-testid': 'label-status' });
  const save = h('button', { type: 'submit', class: 'primary', 'data-testid': 'label-save' }, 'Save labels');
  const form = h('form', { class: 'label-form hidden', id: `${id}-form`, novalidate: true, onsubmit: (event) => { event.preventDefault(); submit(); } },
    h('label', { class: 'field' }, 'Labels', input),
    h('small', { class: 'muted', id: `${id}-hint` }, 'Words separated by commas or spaces (lower-case letters, digits, dashes). Empty removes them all.'),
    error,
    h('div', { class: 'row end' },
      h('button', { type: 'button', class: 'ghost', onclick: () => close(true) }, 'Cancel'),
      save));
  const panel = h('section', { class: 'post-labels', 'aria-labelledby': `${id}-title`, 'data-testid': 'labels-panel' },
    h('div', { class: 'labels-head' }, h('h4', { id: `${id}-title` }, 'Your labels'), chips, h('span', { class: 'spacer' }), status, button),
    form);

  const render = () => {
    replace(chips, labels.length
      ? tagChips(labels, { label: 'Your labels', hrefOf: (tag) => routes.label(tag), testid: 'post-label' })
      : h('span', { class: 'muted', 'data-testid': 'no-labels' }, 'None yet. Only you see them.'));
  };
  const open = () => {
    input.value = labels.join(', ');
    error.textContent = '';
    status.textContent = '';
    form.classList.remove('hidden');
    button.setAttribute('aria-expanded', 'true');
    input.focus();
  };
  const close = (focus) => {
    form.classList.add('hidden');
    button.setAttribute('aria-expanded', 'false');
    if (focus) button.focus();
  };
  const submit = async () => {
    const wanted = words(input.value);
    save.disabled = true;
    error.textContent = '';
    try {
      const answer = await api.setPostLabels(postId, wanted);
      labels = answer?.labels ?? wanted;
      render();
      close(true);
      status.textContent = 'Saved.';
    } catch (e) {
      const field = e.problem?.errors?.map((err) => err.message).filter(Boolean).join(' ');
      error.textContent = `Not saved: ${e.message}${field && field !== e.message ? ` ${field}` : ''}`;
      input.setAttribute('aria-invalid', String(e.status === 422));
    } finally {
      save.disabled = false;
    }
  };
  button.addEventListener('click', () => (form.classList.contains('hidden') ? open() : close(true)));
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      close(true);
    }
  });

  api.postLabels(postId).then((answer) => {
    labels = answer?.labels ?? [];
    render();
    button.disabled = false;
  }).catch((e) => {
    replace(chips, h('span', { class: 'muted', 'data-testid': 'labels-unavailable' },
      e.status === 404 ? 'This post cannot be labelled.' : `Labels are unavailable right now (${e.message}).`));
  });
  return panel;
}

/** The approved posts most like `postId` (never itself). */
export function similarPanel({ api, postId, roomNames }) {
  const id = `similar-${postId}`;
  const list = new PostList({
    load: async () => {
      const answer = await api.similarPosts(postId, SIMILAR);
      return { posts: (answer?.posts ?? []).filter((post) => post.id !== postId), next: null };
    },
    roomNames, label: 'Similar posts', testid: 'similar-posts', emptyText: 'No similar posts yet.',
  });
  list.load(true);
  return h('section', { class: 'similar', 'aria-labelledby': `${id}-title`, 'data-testid': 'similar' },
    h('h4', { id: `${id}-title` }, 'Similar posts'),
    list.root);
}
