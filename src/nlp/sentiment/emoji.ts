/**
 * Emoji that carry an unambiguous opinion in Chinese social and private-domain feedback (WeChat,
 * Weibo, Douyin comments). Read as opinion words of weight 1 when the lexicon does not list them.
 * Ambiguous ones (😂 is mockery as often as joy, 🙏, 😅) are left out on purpose.
 */
export const EMOJI_POSITIVE: readonly string[] = ['😀', '😃', '😄', '😁', '😊', '😍', '🥰', '😘', '🤩', '😎', '👍', '👏', '💯', '❤️', '❤', '💪', '🎉', '🌹'];
export const EMOJI_NEGATIVE: readonly string[] = ['😞', '😟', '😠', '😡', '🤬', '😤', '😢', '😭', '😩', '😫', '🤮', '🤢', '💩', '👎', '😒', '🙄', '💔', '😓'];
