// Sign in / create account.
import { h } from './dom.js';

export function authView(api, onSignedIn) {
  let mode = 'signin';
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'auth-error' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 32,
    placeholder: 'e.g. ada_l', 'data-testid': 'username', autocapitalize: 'none', spellcheck: false });
  const displayName = h('input', { name: 'displayName', autocomplete: 'name', maxlength: 64, placeholder: 'optional',
    'data-testid': 'display-name' });
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 8,
    autocomplete: 'current-password', 'data-testid': 'password' });
  const nameRow = h('label', { class: 'field hidden' }, 'Display name', displayName);
  const submit = h('button', { type: 'submit', class: 'primary wide', 'data-testid': 'auth-submit' }, 'Sign in');
  const switcher = h('button', { type: 'button', class: 'link', 'data-testid': 'auth-switch' }, 'New here? Create an account');

  const form = h('form', { class: 'auth-card', novalidate: true },
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'b'), h('span', {}, 'Babble')),
    h('h1', {}, 'Chat with your community'),
    h('label', { class: 'field' }, 'Username', username),
    nameRow,
    h('label', { class: 'field' }, 'Password', password),
    error, submit, switcher);

  switcher.addEventListener('click', () => {
    mode = mode === 'signin' ? 'register' : 'signin';
    nameRow.classList.toggle('hidden', mode === 'signin');
    password.autocomplete = mode === 'signin' ? 'current-password' : 'new-password';
    submit.textContent = mode === 'signin' ? 'Sign in' : 'Create account';
    switcher.textContent = mode === 'signin' ? 'New here? Create an account' : 'Have an account? Sign in';
    error.textContent = '';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      if (mode === 'register') {
        await api.register(username.value.trim(), password.value, displayName.value.trim() || undefined);
      }
      const session = await api.login(username.value.trim(), password.value);
      api.setToken(session.token);
      onSignedIn(session.user);
    } catch (e) {
      error.textContent = e.status === 401 ? 'Wrong username or password.' : e.message;
    } finally {
      submit.disabled = false;
    }
  });

  return h('main', { class: 'auth' }, form);
}
