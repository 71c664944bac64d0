/**
 * A model caught in a loop: the end of its answer is one span said again and again. Pure, and cheap enough to run
 * on every fragment: most span lengths are ruled out by their last character.
 */

export interface RepetitionOptions {
  /** How many times the span must stand at the end in a row: 3 (issue 15). Twice is a refrain; three times a loop. */
  repeats: number;
  /**
   * The longest span looked for: 400 characters, a long sentence or two. A model that loops on whole paragraphs
   * is rare, and each extra length costs a comparison on every fragment.
   */
  maxSpanChars: number;
  /**
   * Distinct words the span must hold: 3. A loop worth stopping repeats a phrase; a row of dashes, a table of zeros
   * ("0, 0, 0") or laughter repeat a character pattern that a correct answer can hold.
   */
  minDistinctWords: number;
}

export const defaultRepetitionOptions: RepetitionOptions = { repeats: 3, maxSpanChars: 400, minDistinctWords: 3 };

export interface RepeatedTail {
  /** The repeated span (its shortest form). */
  span: string;
  /** How much of the text to keep: everything before the loop and the span once. */
  keepChars: number;
}

/** The span the text ends with `repeats` times in a row, or null; the shortest such span is the one named. */
export function repeatedTail(text: string, options: RepetitionOptions = defaultRepetitionOptions): RepeatedTail | null {
  const { repeats, maxSpanChars } = options;
  const end = text.length;
  for (let span = 1; span <= maxSpanChars && span * repeats <= end; span += 1) {
    if (!endsWithRepeats(text, span, repeats)) continue;
    // Shortest first, so a phrase is named once rather than as itself several times over. A span too poor in words
    // ("aaa") may end a longer loop of a phrase, so the search goes on.
    const unit = text.slice(end - span);
    if (distinctWords(unit) < options.minDistinctWords) continue;
    let start = end - span * repeats;
    // The loop may have begun earlier: walk back over every whole copy before the three seen.
    while (start >= span && text.slice(start - span, start) === unit) start -= span;
    return { span: unit, keepChars: start + span };
  }
  return null;
}

/** Whether the last `span * repeats` characters are one span repeated: each character equals the one a span later. */
function endsWithRepeats(text: string, span: number, repeats: number): boolean {
  const end = text.length;
  for (let offset = 1; offset <= span * (repeats - 1); offset += 1) {
    if (text.charCodeAt(end - offset) !== text.charCodeAt(end - offset - span)) return false;
  }
  return true;
}

function distinctWords(text: string): number {
  return new Set(text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []).size;
}
