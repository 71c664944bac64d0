import { z } from 'zod';

/**
 * Zod's error hook for config fields: "is required" when the field is absent, else what it must be.
 * Messages are phrased to follow the field's name: `min_memory_gb must be a number ≥ 0`.
 */
export function expecting(text: string): { error: (issue: { input?: unknown }) => string } {
  return { error: (issue) => (issue.input === undefined ? 'is required' : text) };
}

export function nonEmptyText(what = 'a non-empty text') {
  const message = expecting(`must be ${what}`);
  return z.string(message).min(1, message);
}

/** A size in GiB, as the files write it; converted to bytes after validation. */
export function gib() {
  const message = expecting('must be a number ≥ 0');
  return z.number(message).min(0, message);
}

export function wholeNumber(min: number, what: string) {
  const message = expecting(`must be a whole number of ${what} ≥ ${min}`);
  return z.number(message).int(message).min(min, message);
}

/** A percentage of a resource in use: 0 would trigger always, above 100 never. */
export function percent() {
  const message = expecting('must be a number above 0 and at most 100');
  return z.number(message).gt(0, message).max(100, message);
}

export function listOf<T extends z.ZodType>(item: T, what: string) {
  return z.array(item, expecting(`must be a list of ${what}`));
}
