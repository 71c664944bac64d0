import { LMStudioClient } from '@lmstudio/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../fixtures';
import { startLmStudioServer, type RunningServer } from './server';
import { waitUntil } from './testSupport';

const quiet = { info: () => {}, debug: () => {}, warn: () => {}, error: () => {} };
/** Settles with 'pending' when `work` has not settled once `ms` have passed: how a hang is told from a slow reply. */
const stillPendingAfter = (work: Promise<unknown>, ms: number) =>
  Promise.race([
    work.then(
      () => 'settled',
      () => 'settled',
    ),
    new Promise((resolve) => setTimeout(resolve, ms, 'pending')),
  ]);

/** Each LM Studio situation of issue 21 the server can produce, seen through the real SDK 1.5.0. */
describe('LM Studio-compatible server, producing the situations of issue 21', () => {
  let server: RunningServer;
  // Clients are left to the server's close: a frozen prediction would keep the SDK's own dispose waiting.
  const connect = (options: { clientIdentifier?: string; clientPasskey?: string } = {}) =>
    new LMStudioClient({ baseUrl: server.url, logger: quiet, ...options });

  beforeAll(async () => {
    server = await startLmStudioServer({ modelsDir: sharedModelsDir() });
  });
  afterEach(async () => {
    server.setFaults({});
    for (const { identifier } of [...server.instances.all()]) await server.eject(identifier);
  });
  afterAll(() => server.close());

  it('counts every load, records the TTL asked for, and unloads an instance left idle past it', async () => {
    const client = connect();
    const before = server.loads.length;
    await client.llm.load('stories260k', { config: { contextLength: 256 }, ttl: 1, verbose: false });
    expect(server.loads.slice(before)).toEqual([
      { modelKey: 'stories260k', identifier: 'stories260k', ttlMs: 1_000, by: 'client' },
    ]);
    await waitUntil('the idle TTL unloaded it', async () => server.instances.all().length === 0);
  });

  it('has a model the person loaded, and ejects one from under a client', async () => {
    await server.loadAsPerson('stories260k', { contextLength: 512 });
    expect(server.loads.at(-1)).toMatchObject({ identifier: 'stories260k', ttlMs: null, by: 'person' });
    const model = await connect().llm.model('stories260k', { verbose: false });
    expect((await model.getModelInfo()).contextLength).toBe(512);
    await server.eject('stories260k');
    await expect(model.respond('hi')).rejects.toThrow(/already been unloaded/);
  });

  it('streams a thinking model: reasoning apart from the answer, sharing the token limit', async () => {
    const model = await connect().llm.load('stories260k', { config: { contextLength: 512 }, verbose: false });
    server.setFaults({ think: { tokens: 20 } });
    const thought = await model.respond('Once upon a time', { maxTokens: 30 });
    expect(thought.reasoningContent).toBe(`Let me think${' step'.repeat(19)}`);
    expect(thought.nonReasoningContent.length).toBeGreaterThan(0);
    expect(thought.stats.predictedTokensCount).toBe(30);
    // All of the limit spent thinking: no answer at all, as with a real thinking model and a small maxTokens.
    const cut = await model.respond('Once upon a time', { maxTokens: 10 });
    expect(cut).toMatchObject({ nonReasoningContent: '', stats: { stopReason: 'maxPredictedTokensReached' } });
    const budget = { fields: [{ key: 'llm.prediction.reasoning.budgetTokens', value: { checked: true, value: 5 } }] };
    const budgeted = await model.respond('Once upon a time', { maxTokens: 30, raw: budget });
    expect(budgeted.reasoningContent).toBe(`Let me think${' step'.repeat(4)}`);
    server.setFaults({ think: { tokens: 5, thenAnswer: false } });
    expect(await model.respond('hi', { maxTokens: 30 })).toMatchObject({ content: expect.stringContaining('<think>') });
  });

  it('requires an API token when told to, and admits the client whose identity it carries', async () => {
    server.setFaults({ requireApiToken: 'sk-lm-abcd1234:abcdefghij0123456789' });
    await expect(connect().system.getLMStudioVersion()).rejects.toThrow(/requires a valid API token/);
    const holder = connect({ clientIdentifier: 'abcd1234', clientPasskey: 'abcdefghij0123456789' });
    expect((await holder.system.getLMStudioVersion()).version).toBe('0.3.30');
  });

  it('answers the version but never the model list, silently or with a reply the SDK cannot read', async () => {
    const client = connect();
    server.setFaults({ stallModelList: 'silent' });
    expect(await stillPendingAfter(client.system.listDownloadedModels(), 500)).toBe('pending');
    expect((await client.system.getLMStudioVersion()).version).toBe('0.3.30');
    const warningsBefore = server.warnings.length;
    server.setFaults({ stallModelList: 'unreadable' });
    expect(await stillPendingAfter(client.system.listDownloadedModels(), 500)).toBe('pending');
    // The SDK tells the server why it dropped the reply: its schema has no "pte" format.
    expect(server.warnings.slice(warningsBefore).join('\n')).toMatch(/invalid result.*listDownloadedModels/is);
  });

  it('freezes a prediction after some fragments: no more text, no success, no answer to a cancel', async () => {
    const model = await connect().llm.load('stories260k', { config: { contextLength: 256 }, verbose: false });
    server.setFaults({ stallPredictAfterFragments: 3 });
    let fragments = 0;
    const prediction = model.respond('Tell me a story', { maxTokens: 100, onPredictionFragment: () => fragments++ });
    await waitUntil('three fragments arrived', async () => fragments === 3);
    void prediction.cancel();
    expect(await stillPendingAfter(prediction, 500)).toBe('pending');
    expect(fragments).toBe(3);
  });

  it('answers with a scripted text, streamed word by word, instead of the engine’s', async () => {
    const model = await connect().llm.load('stories260k', { config: { contextLength: 256 }, verbose: false });
    const script = '| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```';
    server.setFaults({ scriptAnswer: script });
    const fragments: string[] = [];
    const answer = await model.respond('hi', { onPredictionFragment: ({ content }) => fragments.push(content) });
    expect(answer.content).toBe(script);
    expect(fragments.length).toBeGreaterThan(5);
    expect(answer.stats).toMatchObject({ stopReason: 'eosFound', predictedTokensCount: fragments.length });
    const cut = await model.respond('hi', { maxTokens: 3 });
    expect(cut).toMatchObject({ content: '| a |', stats: { stopReason: 'maxPredictedTokensReached' } });
  });
});
