import { randomInt } from 'node:crypto';

/**
 * Conversation and message ids: time first so a plain sort is chronological, then random so two made in the same
 * instant (two windows, two processes) still differ. Ids from outside (UI, CLI, file names) are checked against the
 * exact shapes below before they touch a path, so "../x" or "a/b" can never name a file.
 */

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
// Six base-36 characters: 2.2 billion values per second of creation; a clash is also caught by the exclusive create.
const randomLength = 6;

/** e.g. "2026-11-22T04-20-00Z-ab12cd": the UTC second it was made (":" is not allowed in Windows file names). */
const conversationIdPattern = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z-[0-9a-z]{6}$/;

/** Store-made ("m-" + 9 base-36 chars of ms + "-" + 6 random) or a caller's own: short, plain characters only. */
const messageIdPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function randomSuffix(length = randomLength): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += alphabet[randomInt(alphabet.length)];
  return text;
}

export function newConversationId(nowMs: number, suffix: string = randomSuffix()): string {
  const stamp = new Date(nowMs).toISOString().slice(0, 19).replaceAll(':', '-');
  const id = `${stamp}Z-${suffix}`;
  if (!isConversationId(id)) throw new Error(`cannot make a conversation id from ${nowMs} and "${suffix}"`);
  return id;
}

export function isConversationId(value: unknown): value is string {
  return typeof value === 'string' && conversationIdPattern.test(value);
}

export function newMessageId(nowMs: number, suffix: string = randomSuffix()): string {
  // 9 base-36 digits hold every ms until the year 5188, so ids of one conversation sort as text.
  return `m-${Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0')}-${suffix}`;
}

export function isMessageId(value: unknown): value is string {
  return typeof value === 'string' && messageIdPattern.test(value);
}
