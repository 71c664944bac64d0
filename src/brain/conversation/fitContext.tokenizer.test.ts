import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureModelPath, sharedModelsDir } from '../../../test/fixtures';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';
import type { ChatMessage } from '../backends/ModelBackend';
import { contextRecordOf } from './contextRecord';
import { ConversationStore } from './ConversationStore';
import { fitContext, type FitMessage } from './fitContext';
import { defaultTemplateOverhead, measureTemplateOverhead, type TemplateOverhead } from './templateOverhead';
import { TokenCountCache } from './tokenCountCache';

// Real tokenizers: stories260K (512-token vocabulary) and llama-2-tiny-random (the 32k LLaMA-2 vocabulary).
const models = ['stories260K', 'llama-2-tiny-random'] as const;
const windowTokens = 512;
const reserveForAnswerTokens = 128;
const systemPrompt = 'You tell stories.';

const subjects = ['cat', 'dog', 'bird', 'fish', 'tree', 'ball', 'cake', 'boat', 'moon', 'frog'];
/** 40 exchanges of story talk (far more than 512 tokens), then the question being answered. */
const conversation: FitMessage[] = [
  ...Array.from({ length: 40 }, (_, index): FitMessage[] => {
    const subject = subjects[index % subjects.length] ?? 'cat';
    return [
      { id: `u${index}`, role: 'user', content: `Tell me a story about a ${subject} number ${index}.` },
      {
        id: `a${index}`,
        role: 'assistant',
        content: `Once upon a time, there was a little ${subject}. It liked to play in the park with its friend Lily.`,
      },
    ];
  }).flat(),
  { id: 'u40', role: 'user', content: 'Tell me one more story about the moon.' },
];

let backend: EmbeddedBackend;
let home: string;
const overheads = new Map<string, TemplateOverhead>();

const countWith = (key: string) => (text: string) => backend.countTokens(key, text);
/** Tokens of the prompt the engine really feeds the model for these messages, template and BOS included. */
const realPromptTokens = (key: string, messages: readonly ChatMessage[]) =>
  backend.tokenize(key, backend.formatPrompt(key, messages), { specialTokens: true }).length;

beforeAll(async () => {
  for (const name of ['stories260K', 'llamaTinyRandom'] as const) fixtureModelPath(name); // checksums first
  home = mkdtempSync(path.join(os.tmpdir(), 'mai-fit-'));
  backend = new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false });
  for (const key of models) {
    await backend.load(key, { contextLength: windowTokens });
    const renderPromptTokens = (messages: readonly ChatMessage[]) => realPromptTokens(key, messages);
    overheads.set(key, await measureTemplateOverhead({ renderPromptTokens, countTokens: countWith(key) }));
  }
});
afterAll(async () => {
  await backend?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe.each(models)('fitContext with the real tokenizer of %s', (key) => {
  it.each([false, true])('fits a long conversation into a 512-token window (condense: %s)', async (condense) => {
    const overhead = overheads.get(key);
    const result = await fitContext({
      systemPrompt,
      messages: conversation,
      windowTokens,
      reserveForAnswerTokens,
      countTokens: countWith(key),
      condense,
      ...(overhead ? { overhead } : {}),
    });
    expect(result.fits).toBe(true);
    expect(result.promptTokens + reserveForAnswerTokens).toBeLessThanOrEqual(windowTokens);
    // The estimate is an upper bound of what the engine really feeds the model, and a close one.
    const real = realPromptTokens(key, result.messages);
    expect(real).toBeLessThanOrEqual(result.promptTokens);
    expect(real).toBeGreaterThan(result.promptTokens * 0.9);

    expect(result.messages[0]?.role).toBe('system');
    expect(result.messages[0]?.content.startsWith(systemPrompt)).toBe(true);
    expect(result.keptIds.at(-1)).toBe('u40');
    expect(result.messages.at(-1)).toEqual({ role: 'user', content: 'Tell me one more story about the moon.' });
    // Oldest dropped first, whole exchanges at a time.
    expect(result.droppedIds.length).toBeGreaterThan(40);
    expect(result.droppedIds.length % 2).toBe(0);
    expect([...result.droppedIds, ...result.keptIds]).toEqual(conversation.map((message) => message.id));
    expect(result.keptIds[0]).toMatch(/^u/);
    if (condense) expect(result.condensedNote).toMatch(/^\[Earlier: \d+ messages about .* 512-token window\]$/);

    // What it chose is recorded beside the conversation.
    const store = new ConversationStore({ maiHome: home });
    const id = store.create();
    const recorded = store.appendContext(
      id,
      contextRecordOf(result, { model: { key, backend: 'embedded' }, windowTokens, reserveForAnswerTokens }),
    );
    store.close();
    expect((await new ConversationStore({ maiHome: home }).load(id)).records.at(-1)).toEqual(recorded);
    expect(recorded).toMatchObject({ droppedMessageIds: result.droppedIds, keptMessageIds: result.keptIds });
  });

  it('cuts the start of one message too long for the window and keeps the question at its end', async () => {
    const question = 'What happened to the moon?';
    const long: FitMessage = { id: 'big', role: 'user', content: `${conversation[1]?.content} `.repeat(60) + question };
    const overhead = overheads.get(key);
    const result = await fitContext({
      systemPrompt,
      messages: [...conversation.slice(0, 6), long],
      windowTokens,
      reserveForAnswerTokens,
      countTokens: countWith(key),
      ...(overhead ? { overhead } : {}),
    });
    expect(result).toMatchObject({ fits: true, keptIds: ['big'], truncated: { messageId: 'big' } });
    expect(result.messages.at(-1)?.content.endsWith(question)).toBe(true);
    expect(realPromptTokens(key, result.messages) + reserveForAnswerTokens).toBeLessThanOrEqual(windowTokens);
  });

  it('counts only the new messages on the next turn', async () => {
    const counted: string[] = [];
    const countTokens = async (text: string) => {
      counted.push(text);
      return backend.countTokens(key, text);
    };
    const cache = new TokenCountCache().forModel(key);
    const common = { systemPrompt, windowTokens, reserveForAnswerTokens, countTokens, cache };
    await fitContext({ ...common, messages: conversation.slice(0, -2) });
    counted.length = 0;
    await fitContext({ ...common, messages: conversation });
    const fresh = [systemPrompt, conversation.at(-2)?.content, conversation.at(-1)?.content];
    expect([...counted].sort()).toEqual(fresh.sort());
  });
});

describe('the template overhead', () => {
  it('is measured above the default for a tiny vocabulary, and the default covers a 32k one', async () => {
    // "### Human" costs stories260K's 512-token vocabulary far more tokens than a real model's.
    expect(overheads.get('stories260K')?.perMessageTokens).toBeGreaterThan(defaultTemplateOverhead.perMessageTokens);
    const result = await fitContext({
      systemPrompt,
      messages: conversation,
      windowTokens,
      reserveForAnswerTokens,
      countTokens: countWith('llama-2-tiny-random'),
    });
    expect(realPromptTokens('llama-2-tiny-random', result.messages)).toBeLessThanOrEqual(result.promptTokens);
  });

  it('leaves room for a real answer: the engine generates into the fitted prompt without running out', async () => {
    const overhead = overheads.get('stories260K');
    const result = await fitContext({
      systemPrompt,
      messages: conversation,
      windowTokens,
      reserveForAnswerTokens,
      countTokens: countWith('stories260K'),
      ...(overhead ? { overhead } : {}),
    });
    const answer = await backend.respond('stories260K', result.messages, {
      maxTokens: reserveForAnswerTokens,
      seed: 1234,
      temperature: 0.8,
    });
    expect(answer.stats.stopReason).not.toBe('contextFull');
    expect(answer.stats.promptTokens).toBeLessThanOrEqual(result.promptTokens);
  });
});
