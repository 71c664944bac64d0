/**
 * A separate Node process that writes a conversation the way Mai does, for tests that kill it (SIGKILL) or run
 * several at once. Every line it prints on stdout is JSON; `{"appended": id}` is printed only after the append
 * returned, so anything the parent saw acknowledged must be in the file.
 *
 *   storeWriter.ts stream <dir> <completedMessages>   create, append messages, then stream an answer forever
 *   storeWriter.ts hammer <dir> <conversationId> <tag> <count|forever> [pauseMs]   append many messages of varied
 *     size, back to back or with a pause between them (so several writers overlap in time)
 */
import { ConversationStore } from '../../src/brain/conversation/ConversationStore';
import { writerContent } from './writerContent';

const [mode, dir, ...rest] = process.argv.slice(2);
const say = (value: unknown) => process.stdout.write(JSON.stringify(value) + '\n');

if (dir === undefined) throw new Error('usage: storeWriter.ts stream|hammer <dir> …');
const store = new ConversationStore({ dir });

if (mode === 'stream') {
  const completed = Number(rest[0] ?? 4);
  const conversationId = store.create('crash test');
  say({ created: conversationId });
  for (let index = 0; index < completed; index += 1) {
    const role = index % 2 === 0 ? 'user' : 'assistant';
    const record = store.appendMessage(conversationId, { role, content: writerContent('stream', index) });
    say({ appended: record.id });
  }
  // The answer in flight lives only in memory until it is complete; the store holds completed messages only.
  let answer = '';
  let fragments = 0;
  setInterval(() => {
    answer += `fragment ${fragments} `;
    fragments += 1;
    say({ fragment: fragments, answerChars: answer.length });
  }, 2);
} else if (mode === 'hammer') {
  const [conversationId = '', tag = 'w', countText = 'forever', pauseText = '0'] = rest;
  const count = countText === 'forever' ? Infinity : Number(countText);
  const pauseMs = Number(pauseText);
  for (let index = 0; index < count; index += 1) {
    const record = store.appendMessage(conversationId, { role: 'user', content: writerContent(tag, index) });
    say({ appended: record.id });
    if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  store.close();
  say({ done: true });
} else {
  throw new Error(`unknown mode ${String(mode)}`);
}
