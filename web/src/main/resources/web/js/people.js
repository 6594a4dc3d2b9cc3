// A person's card: follow / unfollow, and who follows them and whom they follow. Following lives in its own
// service; when it is down the card still opens, with the button disabled and a short note.
import { h, hueOf, initials, replace } from './dom.js';

/**
 * A person's card: their name, follow, their followers and whom they follow; {@code extras(user, close)} adds what
 * the page offers for someone else (message them, invite them).
 */
export async function personCard(api, me, userId, fallbackName, openModal, extras = () => []) {
  const user = await api.user(userId).catch(() => ({ id: userId, username: fallbackName, displayName: fallbackName }));
  const note = h('p', { class: 'note', 'data-testid': 'follow-note' });
  const button = h('button', { class: 'primary', type: 'button', 'data-testid': 'follow-button', disabled: true }, 'Follow');
  const lists = h('div', { class: 'lists' });
  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': 'Show' },
    h('button', { type: 'button', class: 'tab', 'data-testid': 'followers-tab', onclick: () => show('followers') }, 'Followers'),
    h('button', { type: 'button', class: 'tab', 'data-testid': 'following-tab', onclick: () => show('following') }, 'Following'));
  const isMe = user.id === me.id;

  const profile = h('div', { class: 'profile' },
    h('span', { class: 'avatar big', style: { '--hue': hueOf(user.username) } }, initials(user.displayName || user.username)),
    h('p', {}, `@${user.username}`),
    isMe ? null : button);
  const dialog = openModal(user.displayName || user.username, profile);
  if (!isMe) profile.append(...extras(user, () => dialog.close()));
  profile.append(note, tabs, lists);

  let following = false;
  const unavailable = () => {
    button.disabled = true;
    note.textContent = 'Following is unavailable right now. Chat works as usual; try again in a moment.';
  };
  const render = () => {
    button.textContent = following ? 'Following ✓' : 'Follow';
    button.classList.toggle('primary', !following);
    button.classList.toggle('ghost', following);
  };
  if (!isMe) {
    try {
      following = await api.following(me.id, user.id);
      button.disabled = false;
      render();
    } catch (e) {
      unavailable();
    }
    button.addEventListener('click', async () => {
      button.disabled = true;
      try {
        if (following) await api.unfollow(me.id, user.id);
        else await api.follow(me.id, user.id);
        following = !following;
        note.textContent = '';
        render();
        button.disabled = false;
        show(current);
      } catch (e) {
        if (e.status === 503 || e.status === 0) unavailable();
        else { note.textContent = e.message; button.disabled = false; }
      }
    });
  }

  let current = 'followers';
  async function show(which) {
    current = which;
    for (const tab of tabs.children) {
      tab.classList.toggle('active', tab.textContent.toLowerCase() === which);
      tab.setAttribute('aria-pressed', String(tab.textContent.toLowerCase() === which));
    }
    try {
      const page = which === 'followers' ? await api.followers(user.id) : await api.followingList(user.id);
      replace(lists, page.users.length
        ? h('ul', { class: 'members', 'data-testid': `${which}-list` }, page.users.map((u) => h('li', {},
          h('span', { class: 'avatar', style: { '--hue': hueOf(u.username) } }, initials(u.displayName || u.username)),
          h('span', {}, u.displayName || u.username), h('small', {}, `@${u.username}`))))
        : h('p', { class: 'note', 'data-testid': `${which}-list` }, which === 'followers' ? 'No followers yet.' : 'Not following anyone yet.'));
    } catch (e) {
      replace(lists, h('p', { class: 'note' }, 'Lists are unavailable right now.'));
      if (e.status === 503 || e.status === 0) unavailable();
    }
  }
  show('followers');
}
