// The 64 emoji a message can be given, by the names the API uses (the messages service's Emoji.NAMES, the same
// order), with the character shown for each.
export const EMOJI = new Map([
  ['thumbsup', '👍'], ['thumbsdown', '👎'], ['heart', '❤️'], ['joy', '😂'], ['smile', '😄'], ['laughing', '😆'],
  ['grin', '😁'], ['wink', '😉'], ['blush', '😊'], ['heart_eyes', '😍'], ['thinking', '🤔'], ['neutral_face', '😐'],
  ['confused', '😕'], ['cry', '😢'], ['sob', '😭'], ['angry', '😠'], ['scream', '😱'], ['open_mouth', '😮'],
  ['sunglasses', '😎'], ['sweat_smile', '😅'], ['upside_down', '🙃'], ['relieved', '😌'], ['sleeping', '😴'],
  ['nerd', '🤓'], ['partying', '🥳'], ['hugging', '🤗'], ['pray', '🙏'], ['clap', '👏'], ['wave', '👋'],
  ['raised_hands', '🙌'], ['ok_hand', '👌'], ['muscle', '💪'], ['point_up', '☝️'], ['v', '✌️'], ['handshake', '🤝'],
  ['eyes', '👀'], ['fire', '🔥'], ['star', '⭐'], ['sparkles', '✨'], ['tada', '🎉'], ['rocket', '🚀'], ['100', '💯'],
  ['check', '✅'], ['x', '❌'], ['warning', '⚠️'], ['question', '❓'], ['exclamation', '❗'], ['bulb', '💡'],
  ['zap', '⚡'], ['boom', '💥'], ['coffee', '☕'], ['beer', '🍺'], ['pizza', '🍕'], ['cake', '🍰'], ['gift', '🎁'],
  ['trophy', '🏆'], ['bug', '🐛'], ['lock', '🔒'], ['memo', '📝'], ['calendar', '📅'], ['skull', '💀'],
  ['rainbow', '🌈'], ['sun', '☀️'], ['moon', '🌙'],
]);

/**
 * The counts a frame or a replay brings ({emoji, count}, no "me"), with "me" kept from what was shown before, or
 * set from the change when it was this user's own (`mine`: {emoji, added}).
 */
export function mergeReactions(shown = [], now = [], mine = null) {
  const before = new Map(shown.map((r) => [r.emoji, Boolean(r.me)]));
  return now.map((r) => ({
    emoji: r.emoji,
    count: r.count,
    me: r.me ?? (mine && mine.emoji === r.emoji ? mine.added : before.get(r.emoji) ?? false),
  }));
}
