export type TokenCounter = (text: string) => Promise<number> | number;

export interface TruncatedText {
  text: string;
  tokens: number;
  /** Characters cut from the start (0 when the text fit as it was). */
  removedChars: number;
}

/** Shown where the start was cut, so the model (and a person reading the prompt) sees the text is partial. */
export const truncationMarker = '[…] ';
// A cut moves forward to the next space when one is this close, so the kept text starts on a whole word.
const wordSnapChars = 32;

/**
 * The longest end of `text` (marker included) that fits in `maxTokens`, found by binary search over where to cut:
 * log2(length) counts with the model's own tokenizer, since the caller holds a counter, not token ids. The end is
 * kept because a person's question usually comes last, after the material it is about. Empty when even the marker
 * does not fit.
 */
export async function truncateStart(text: string, maxTokens: number, count: TokenCounter): Promise<TruncatedText> {
  const whole = await count(text);
  if (whole <= maxTokens) return { text, tokens: whole, removedChars: 0 };
  const cutAt = (start: number) => truncationMarker + text.slice(start);
  // Invariant: cutting at `high` fits (or high is the end), cutting at `low` does not.
  let low = 0;
  let high = text.length;
  let highTokens = await count(cutAt(high));
  if (highTokens > maxTokens) return { text: '', tokens: 0, removedChars: text.length };
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    const tokens = await count(cutAt(middle));
    if (tokens <= maxTokens) [high, highTokens] = [middle, tokens];
    else low = middle;
  }
  let start = high;
  const space = text.slice(start, start + wordSnapChars).search(/\s/);
  if (start > 0 && !/\s/.test(text[start - 1] ?? '') && space >= 0) {
    const snapped = start + space + 1;
    const snappedTokens = await count(cutAt(snapped));
    // Tokenizers are not strictly monotonic in the text's length; keep the snap only when it is known to fit.
    if (snappedTokens <= maxTokens) [start, highTokens] = [snapped, snappedTokens];
  }
  // Never start in the middle of a surrogate pair (an emoji cut in half is not text).
  if (isLowSurrogate(text.charCodeAt(start))) {
    const shifted = await count(cutAt(start + 1));
    [start, highTokens] = [start + 1, shifted];
  }
  return { text: cutAt(start), tokens: highTokens, removedChars: start };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
