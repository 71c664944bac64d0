import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../backends/ModelBackend';
import { fitContext, type FitContextInput, type FitMessage } from './fitContext';
import { TokenCountCache } from './tokenCountCache';

/** One token a word: easy sums in the tables. */
const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const overhead = { perMessageTokens: 2, perPromptTokens: 1 };
const system = 'You are Mai.'; // 3 words + 2 = 5 tokens

const say = (id: string, role: FitMessage['role'], length: number): FitMessage => ({
  id,
  role,
  content: Array.from({ length }, (_, index) => `${id}w${index}`).join(' '),
});
// Costs with overhead: u1 7, a1 12, u2 5, a2 7, u3 4.
const chat = [say('u1', 'user', 5), say('a1', 'assistant', 10), say('u2', 'user', 3), say('a2', 'assistant', 5)];
const latest = say('u3', 'user', 2);
const all = [...chat, latest];

const fit = (over: Partial<FitContextInput>) =>
  fitContext({
    systemPrompt: system,
    messages: all,
    windowTokens: 100,
    reserveForAnswerTokens: 10,
    countTokens: words,
    overhead,
    ...over,
  });

/** promptTokens recomputed from what is sent, as the model's prompt would count it. */
const sentTokens = (messages: ChatMessage[]) =>
  messages.reduce((sum, message) => sum + words(message.content) + overhead.perMessageTokens, overhead.perPromptTokens);

describe('fitContext with a one-token-a-word counter', () => {
  it.each([
    // window, reserve, kept, dropped, promptTokens. Always sent: system 5 + latest 4 + prompt 1 = 10 tokens;
    // the turns u2+a2 cost 12 and u1+a1 19, so all of it is 41.
    [100, 10, ['u1', 'a1', 'u2', 'a2', 'u3'], [], 41],
    [41, 0, ['u1', 'a1', 'u2', 'a2', 'u3'], [], 41],
    [40, 0, ['u2', 'a2', 'u3'], ['u1', 'a1'], 22],
    // Room for a1 (12) but not for u1 with it: the pair goes together.
    [34, 0, ['u2', 'a2', 'u3'], ['u1', 'a1'], 22],
    [22, 0, ['u2', 'a2', 'u3'], ['u1', 'a1'], 22],
    // Room for a2 (7) but not for u2 with it.
    [17, 0, ['u3'], ['u1', 'a1', 'u2', 'a2'], 10],
    [60, 50, ['u3'], ['u1', 'a1', 'u2', 'a2'], 10],
  ])('window %i, reserve %i: keeps %j', async (windowTokens, reserveForAnswerTokens, kept, dropped, promptTokens) => {
    const result = await fit({ windowTokens, reserveForAnswerTokens });
    expect(result).toMatchObject({ keptIds: kept, droppedIds: dropped, promptTokens, fits: true });
    expect(result.messages[0]).toEqual({ role: 'system', content: system });
    expect(result.messages.slice(1).map((message) => message.content)).toEqual(
      all.filter((message) => kept.includes(message.id)).map((message) => message.content),
    );
    expect(sentTokens(result.messages)).toBe(promptTokens);
    expect(result.reason).toContain(
      dropped.length === 0 ? 'all 5 messages fit' : `dropped the ${dropped.length} oldest`,
    );
  });

  it('puts one counted note in the system message for what it dropped, dropping one turn more to make room', async () => {
    const topical = [
      { id: 'u1', role: 'user' as const, content: 'My garden has tomatoes and the garden needs rain' },
      { id: 'a1', role: 'assistant' as const, content: 'Water the tomatoes in the morning' },
      ...chat.slice(2),
      latest,
    ];
    const note = '[Earlier: 2 messages about garden, tomatoes and needs dropped to fit the 40-token window]';
    const withRoom = await fit({ messages: topical, windowTokens: 40, reserveForAnswerTokens: 0, condense: true });
    expect(withRoom).toMatchObject({ keptIds: ['u2', 'a2', 'u3'], droppedIds: ['u1', 'a1'], condensedNote: note });
    expect(withRoom.messages[0]).toEqual({ role: 'system', content: `${system}\n\n${note}` });
    expect(withRoom.promptTokens).toBe(22 + words(note));
    expect(sentTokens(withRoom.messages)).toBe(withRoom.promptTokens);
    expect(withRoom.reason).toContain('a note stands in for them');

    // 30 tokens hold u2+a2 without a note, but not with one: u2+a2 go too, and the note now counts 4 messages.
    const tight = await fit({ messages: topical, windowTokens: 30, reserveForAnswerTokens: 0, condense: true });
    expect(tight).toMatchObject({ keptIds: ['u3'], droppedIds: ['u1', 'a1', 'u2', 'a2'], fits: true });
    expect(tight.condensedNote).toMatch(/^\[Earlier: 4 messages about garden, tomatoes and .* 30-token window\]$/);
    expect(tight.promptTokens).toBeLessThanOrEqual(30);

    // No room for a note at all: go without it.
    const none = await fit({ messages: topical, windowTokens: 14, reserveForAnswerTokens: 0, condense: true });
    expect(none).toMatchObject({ keptIds: ['u3'], promptTokens: 10, fits: true });
    expect(none.condensedNote).toBeUndefined();
    expect(none.reason).toContain('no room for a note');
  });

  it('cuts the start of a latest message too long to fit, keeping its end, and says so', async () => {
    const long = { id: 'u9', role: 'user' as const, content: `${'filler '.repeat(200)}so what is the question?` };
    const result = await fit({ messages: [...chat, long], windowTokens: 40, reserveForAnswerTokens: 10 });
    expect(result).toMatchObject({ keptIds: ['u9'], droppedIds: ['u1', 'a1', 'u2', 'a2'], fits: true });
    const sent = result.messages.at(-1)?.content ?? '';
    expect(sent.startsWith('[…] filler')).toBe(true);
    expect(sent.endsWith('so what is the question?')).toBe(true);
    expect(result.truncated).toEqual({ messageId: 'u9', removedChars: long.content.length - sent.length + 4 });
    // Every token the window allows is used, none more: 40 - 10 reserved.
    expect(result.promptTokens).toBe(30);
    expect(sentTokens(result.messages)).toBe(30);
    expect(result.reason).toMatch(/latest message alone does not fit .* characters were cut and all 4 earlier/);
  });

  it('reports no fit when the system prompt and reserve leave no room for the latest message', async () => {
    const result = await fit({ systemPrompt: 'word '.repeat(50), windowTokens: 60, reserveForAnswerTokens: 20 });
    expect(result).toMatchObject({ fits: false, keptIds: ['u3'], droppedIds: ['u1', 'a1', 'u2', 'a2'] });
    expect(result.promptTokens + 20).toBeGreaterThan(60);
    expect(result.reason).toContain('cutting the message cannot help');
  });

  it('keeps an answer being continued with its question, and a greeting before any question as a turn of its own', async () => {
    const messages: FitMessage[] = [say('g', 'assistant', 4), ...chat, latest, say('p', 'assistant', 3)];
    const result = await fit({ messages, windowTokens: 200 });
    expect(result.keptIds).toEqual(['g', 'u1', 'a1', 'u2', 'a2', 'u3', 'p']);
    const tight = await fit({ messages, windowTokens: 15 + 5, reserveForAnswerTokens: 0 });
    expect(tight).toMatchObject({ keptIds: ['u3', 'p'], droppedIds: ['g', 'u1', 'a1', 'u2', 'a2'] });
  });

  it('sends no system message for an empty system prompt, and copes with no messages', async () => {
    expect((await fit({ systemPrompt: '' })).messages[0]).toEqual({ role: 'user', content: chat[0]?.content });
    const empty = await fit({ messages: [] });
    expect(empty).toMatchObject({ messages: [{ role: 'system', content: system }], keptIds: [], promptTokens: 6 });
  });

  it('counts each stored message once per model, and afresh for another model', async () => {
    const counted: string[] = [];
    const counter = async (text: string) => {
      counted.push(text);
      return words(text);
    };
    const cache = new TokenCountCache();
    await fit({ countTokens: counter, cache: cache.forModel('a'), messages: chat });
    expect(counted).toHaveLength(chat.length + 1);
    counted.length = 0;
    await fit({ countTokens: counter, cache: cache.forModel('a'), messages: all });
    expect(counted).toEqual([system, latest.content]); // the system prompt is cheap and may change; messages never
    counted.length = 0;
    await fit({ countTokens: counter, cache: cache.forModel('b'), messages: all });
    expect(counted).toHaveLength(all.length + 1);
    expect(cache.size).toBe(2 * all.length);
  });

  it('holds its promises on any conversation: a kept suffix of whole turns, within the window', async () => {
    let seed = 7;
    const random = (below: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % below;
    };
    for (let round = 0; round < 200; round += 1) {
      const messages = Array.from({ length: 1 + random(30) }, (_, index) =>
        say(`m${index}`, random(3) === 0 ? 'assistant' : 'user', random(40)),
      );
      const windowTokens = 20 + random(400);
      const reserveForAnswerTokens = random(20);
      const result = await fit({ messages, windowTokens, reserveForAnswerTokens, condense: random(2) === 0 });
      const ids = messages.map((message) => message.id);
      expect([...result.droppedIds, ...result.keptIds]).toEqual(ids);
      expect(result.promptTokens + reserveForAnswerTokens <= windowTokens).toBe(result.fits);
      expect(sentTokens(result.messages)).toBe(result.promptTokens);
      // Dropping stops at a turn's start: a question, or a greeting before the first question.
      const dropped = messages.slice(0, result.droppedIds.length);
      const firstKept = messages[result.droppedIds.length];
      if (firstKept && dropped.some((message) => message.role === 'user')) expect(firstKept.role).toBe('user');
    }
  });
});
