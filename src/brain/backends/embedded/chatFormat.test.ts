import { describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../../test/fixtures';
import type { ChatMessage } from '../ModelBackend';
import { toChatHistory } from './chatFormat';
import { EmbeddedBackend } from './EmbeddedBackend';

describe('toChatHistory', () => {
  it('maps roles and ends with an empty model turn to write into', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ]),
    ).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Hi' },
      { type: 'model', response: ['Hello!'] },
      { type: 'user', text: 'How are you?' },
      { type: 'model', response: [] },
    ]);
  });

  it('continues a final assistant message (a prefill)', () => {
    expect(
      toChatHistory([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Well,' },
      ]).at(-1),
    ).toEqual({
      type: 'model',
      response: ['Well,'],
    });
  });
});

describe('continuing an answer on the embedded engine', () => {
  it('renders the answer so far as the open start of the model turn, and the model writes on after it', async () => {
    const backend = new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false });
    try {
      const { identifier } = await backend.load('stories260K', { contextLength: 512 });
      const conversation: ChatMessage[] = [
        { role: 'system', content: 'You tell stories.' },
        { role: 'user', content: 'Tell me one.' },
      ];
      const written = 'Once upon a time, there was a';
      const opened = backend.formatPrompt(identifier, conversation);
      const continuing = backend.formatPrompt(identifier, [...conversation, { role: 'assistant', content: written }]);
      // No end of turn after the answer so far, and no new "### Assistant": the prompt is the fresh one plus it.
      expect(continuing).toBe(opened + written);
      const result = await backend.respond(identifier, [...conversation, { role: 'assistant', content: written }], {
        maxTokens: 16,
        seed: 7,
      });
      expect(result.text.length).toBeGreaterThan(0);
      // The prompt the engine evaluated held the answer so far: more tokens than the fresh one.
      const fresh = await backend.respond(identifier, conversation, { maxTokens: 16, seed: 7 });
      expect(result.stats.promptTokens).toBeGreaterThan(fresh.stats.promptTokens ?? Infinity);
    } finally {
      await backend.close();
    }
  });
});
