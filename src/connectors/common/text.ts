import { SKIP_REASONS } from './outcome.js';

/** The envelope's limit (FeedbackEventSchema.text); longer texts are dead-lettered, never cut. */
export const MAX_TEXT_CHARS = 20_000;

/** Platform emoji codes as typed in WeChat, Weibo and Douyin: [微笑] [赞] [doge]. */
const EMOJI_CODE = /\[[\p{Script=Han}A-Za-z]{1,8}\]/gu;
/** What carries no words: emoji, symbols, punctuation, marks, joiners, variation selectors, space. */
const NO_WORDS = /[\p{Extended_Pictographic}\p{S}\p{P}\p{M}\p{Z}\p{C}\s\uFE0F\u200D]/gu;

export type TextVerdict = { ok: true; text: string } | { ok: false; skip: typeof SKIP_REASONS.emptyText | typeof SKIP_REASONS.emojiOnly };

/**
 * Decides whether a text is feedback. Empty or white-space only: skipped as `empty_text`. Emoji,
 * emoji codes and punctuation only ("👍👍", "[赞][赞]", "？？？"): skipped as `emoji_only` — nothing
 * in it can be coded or redacted, and a thumbs-up with no words is better counted by the source's
 * own rating. Both are counted in the accounting. Text is trimmed, otherwise kept as received (the
 * NLP stage normalises and redacts it); over-long text is left for the envelope check to refuse.
 */
export function checkText(text: string | null | undefined): TextVerdict {
  const trimmed = (text ?? '').replace(/^[\s\uFEFF]+|[\s\uFEFF]+$/g, '');
  if (trimmed === '') return { ok: false, skip: SKIP_REASONS.emptyText };
  if (trimmed.length <= MAX_TEXT_CHARS * 2) {
    const words = trimmed.replace(EMOJI_CODE, '').replace(NO_WORDS, '');
    if (words === '') return { ok: false, skip: SKIP_REASONS.emojiOnly };
  }
  return { ok: true, text: trimmed };
}

/** Joins non-empty parts with a newline (title + body, several customer turns). */
export function joinText(parts: (string | null | undefined)[]): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .join('\n');
}
