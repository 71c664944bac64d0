import type { ChatMessage } from '../backends/ModelBackend';

/** A message of the conversation with its stored id (the id keys token counts and the context record). */
export interface FitMessage extends ChatMessage {
  id: string;
}

/**
 * The conversation cut into turns: each turn starts at a user message and holds the answers after it, so dropping
 * a turn never leaves a question without its answer or an answer without its question. `latest` is the last user
 * message and everything after it (the turn being answered); messages before the first user message (a greeting)
 * are turns of their own. Pure.
 */
export function splitTurns(messages: readonly FitMessage[]): { earlier: FitMessage[][]; latest: FitMessage[] } {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const latestStart = lastUser >= 0 ? lastUser : Math.max(0, messages.length - 1);
  const earlier: FitMessage[][] = [];
  for (const message of messages.slice(0, latestStart)) {
    const current = earlier.at(-1);
    if (message.role === 'user' || current === undefined || current[0]?.role !== 'user') earlier.push([message]);
    else current.push(message);
  }
  return { earlier, latest: messages.slice(latestStart) };
}
