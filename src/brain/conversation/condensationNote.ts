import type { ChatMessage } from '../backends/ModelBackend';

/**
 * The one short line that stands in for dropped messages, so the model knows the conversation began earlier and
 * roughly what about: "[Earlier: 6 messages about cats, garden and rain dropped to fit the 2048-token window]".
 * Rule-based and deterministic (the same messages give the same note, so its token count is cacheable and tests are
 * exact); no model is asked to summarise, because the model at hand is the one that has no room.
 */
export function condensationNote(dropped: readonly ChatMessage[], windowTokens: number): string {
  const topics = topicWords(dropped);
  const about = topics.length > 0 ? ` about ${listed(topics)}` : '';
  const count = dropped.length === 1 ? '1 message' : `${dropped.length} messages`;
  return `[Earlier: ${count}${about} dropped to fit the ${windowTokens}-token window]`;
}

// Three topics name a chat's thread without making the note a second conversation.
const maxTopics = 3;
// Shorter words are mostly function words; longer "words" are mostly pasted code, hashes or URLs.
const minWordChars = 4;
const maxWordChars = 20;

const stopWords = new Set(
  (
    'about above after again also been before being between both could does doing down during each from further ' +
    'have having here into just like make many more most much must only other over same should some such than ' +
    'that their them then there these they this those through under until very want what when where which while ' +
    'will with would your yours yourself please thanks thank tell know think really maybe something anything okay'
  ).split(' '),
);

/**
 * The words the person used most in the dropped turns (their own messages say what they were about; answers
 * repeat and pad), most frequent first, ties in order of first use. Falls back to all dropped messages.
 */
function topicWords(dropped: readonly ChatMessage[]): string[] {
  const fromUser = dropped.filter((message) => message.role === 'user');
  const counts = new Map<string, number>();
  for (const message of fromUser.length > 0 ? fromUser : dropped) {
    for (const match of message.content.toLowerCase().matchAll(/\p{L}[\p{L}\p{N}'-]*/gu)) {
      const word = match[0].replace(/['-]+$/, '').replace(/'s$/, '');
      if (word.length < minWordChars || word.length > maxWordChars || stopWords.has(word)) continue;
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  // Map order is first use, and sort is stable, so ties keep it.
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, maxTopics)
    .map(([word]) => word);
}

function listed(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
