import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../backends/ModelBackend';
import { measureTemplateOverhead } from './templateOverhead';

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

describe('measureTemplateOverhead', () => {
  it('finds what a template adds per message and per prompt, plus a token for word boundaries', async () => {
    // A made-up template: BOS + 3 tokens around each message + a 2-token answer header.
    const render = (messages: readonly ChatMessage[]) =>
      1 + messages.reduce((sum, message) => sum + words(message.content) + 3, 0) + 2;
    expect(await measureTemplateOverhead({ renderPromptTokens: render, countTokens: words })).toEqual({
      perMessageTokens: 4,
      perPromptTokens: 2,
    });
  });
});
