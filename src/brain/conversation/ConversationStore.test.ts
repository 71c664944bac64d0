import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { ConversationError } from './ConversationError';
import { ConversationStore } from './ConversationStore';

let home: string;
let nowMs: number;
const clock: Clock = { nowMs: () => nowMs, monotonicMs: () => nowMs };
const stores: ConversationStore[] = [];

function newStore(options: { syncEachRecord?: boolean; maxOpen?: number } = {}): ConversationStore {
  const store = new ConversationStore({ maiHome: home, clock, ...options });
  stores.push(store);
  return store;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'mai-store-'));
  nowMs = Date.UTC(2026, 10, 22, 4, 20, 0);
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(home, { recursive: true, force: true });
});

const stats = {
  tokensPerSecond: 42,
  timeToFirstTokenMs: 120,
  predictedTokens: 7,
  promptTokens: 30,
  stopReason: 'eos' as const,
};
// What the embedded engine really returns: the interface's figures and a few of its own.
const engineStats = { ...stats, totalTimeMs: 170, stopString: null, gpuLayers: 0 };
const fileOf = (id: string) => path.join(home, 'conversations', `${id}.jsonl`);

describe('ConversationStore', () => {
  it('writes every record as it happens and reads them back in order', async () => {
    const store = newStore();
    const id = store.create('Cats');
    expect(id).toMatch(/^2026-11-22T04-20-00Z-[0-9a-z]{6}$/);
    nowMs += 1_000;
    const question = store.appendMessage(id, { role: 'user', content: 'Tell me about "cats"\nand\u2028dogs 🐈' });
    // On disk before the call returned: one line each, nothing buffered.
    expect(readFileSync(fileOf(id), 'utf8').trimEnd().split('\n')).toHaveLength(2);
    nowMs += 1_000;
    const change = store.appendSwitch(id, {
      from: null,
      to: 'stories260K',
      trigger: 'selection',
      reason: 'the smallest model fits',
      figures: { loadMs: 35 },
    });
    const context = store.appendContext(id, {
      model: { key: 'stories260K', backend: 'embedded' },
      keptMessageIds: [question.id],
      droppedMessageIds: [],
      promptTokens: 40,
      windowTokens: 512,
    });
    nowMs += 1_000;
    const answer = store.appendMessage(id, {
      role: 'assistant',
      content: 'Cats purr.',
      model: { key: 'stories260K', backend: 'embedded' },
      stats: engineStats,
    });
    expect(answer.stats).toEqual(stats); // the backend's extra figures are not part of the record

    const loaded = await newStore().load(id);
    expect(loaded.records).toEqual([
      { type: 'created', id, atMs: Date.UTC(2026, 10, 22, 4, 20, 0), title: 'Cats' },
      question,
      change,
      context,
      answer,
    ]);
    expect(loaded).toMatchObject({ title: 'Cats', messageCount: 2, updatedAtMs: nowMs, issues: [] });
    expect(loaded.messages).toEqual([question, answer]);
    expect(newStore().messages(id)).toEqual([question, answer]);
    expect(question.id < answer.id).toBe(true);
  });

  it('lists conversations newest activity first, with titles and message counts', async () => {
    const store = newStore();
    const first = store.create('First');
    nowMs += 60_000;
    const second = store.create();
    nowMs += 60_000;
    const third = store.create('Third');
    nowMs += 60_000;
    store.appendMessage(first, { role: 'user', content: 'back to the first one' });
    nowMs += 60_000;
    store.appendMessage(second, { role: 'user', content: `  What is   a ${'very '.repeat(20)}long question?` });
    writeFileSync(path.join(store.dir, 'notes.txt'), 'not a conversation');
    writeFileSync(path.join(store.dir, '..evil.jsonl'), '{}\n');

    const list = await newStore().list();
    expect(list.map((entry) => entry.id)).toEqual([second, first, third]);
    expect(list[0]).toMatchObject({ messageCount: 1, createdAtMs: nowMs - 180_000, updatedAtMs: nowMs });
    expect(list[0]?.title).toMatch(/^What is a very very .*…$/);
    expect(list[0]?.title?.length).toBeLessThanOrEqual(60);
    expect(list.map((entry) => entry.title).slice(1)).toEqual(['First', 'Third']);
    expect(await new ConversationStore({ maiHome: path.join(home, 'nothing-yet') }).list()).toEqual([]);
  });

  it('skips and reports a torn last line instead of throwing, and appends after it cleanly', async () => {
    const store = newStore();
    const id = store.create();
    const kept = store.appendMessage(id, { role: 'user', content: 'complete' });
    store.close();
    appendFileSync(fileOf(id), '{"type":"message","id":"m-1","role":"assis');

    const reader = newStore();
    const loaded = await reader.load(id);
    expect(loaded.messages).toEqual([kept]);
    expect(loaded.issues).toEqual([{ line: 3, kind: 'torn', detail: '{"type":"message","id":"m-1","role":"assis' }]);

    const next = reader.appendMessage(id, { role: 'user', content: 'after the crash' });
    const again = await reader.load(id);
    expect(again.messages).toEqual([kept, next]);
    expect(again.issues.map((issue) => [issue.line, issue.kind])).toEqual([[3, 'invalid-json']]);
  });

  it('keeps a complete last record that lost only its newline, and skips records it does not know', async () => {
    const store = newStore();
    const id = store.create();
    store.close();
    appendFileSync(
      fileOf(id),
      '{"type":"bookmark","atMs":1}\n{"type":"message","id":"m-x","role":"user","content":"hi","atMs":2}',
    );
    const loaded = await newStore().load(id);
    expect(loaded.messages.map((message) => message.content)).toEqual(['hi']);
    expect(loaded.issues).toMatchObject([{ line: 2, kind: 'invalid-record' }]);
  });

  it.each([
    '../secrets',
    '..',
    'a/b',
    '2026-11-22T04-20-00Z-ab12cd/../../x',
    '',
    'C:\\x',
    '2026-11-22T04-20-00Z-AB12CD',
  ])('refuses the id %j before touching the disk', async (badId) => {
    const store = newStore();
    await expect(store.load(badId)).rejects.toMatchObject({ code: 'bad_id' });
    expect(() => store.appendMessage(badId, { role: 'user', content: 'x' })).toThrow(ConversationError);
    expect(() => store.messages(badId)).toThrow(/not a conversation id/);
  });

  it('says not_found for a well-formed id with no file, and never creates one by appending', async () => {
    const store = newStore();
    store.create();
    const missing = '2026-01-01T00-00-00Z-zzzzzz';
    await expect(store.load(missing)).rejects.toMatchObject({ name: 'ConversationError', code: 'not_found' });
    expect(() => store.appendMessage(missing, { role: 'user', content: 'x' })).toThrow(/no conversation/);
    expect(await store.list()).toHaveLength(1);
  });

  it('refuses a record it could not read back, and writes after close', () => {
    const store = newStore();
    const id = store.create();
    expect(() => store.appendMessage(id, { role: 'user', content: 'x', id: '../m' })).toThrow(
      /id: must be a message id/,
    );
    expect(() => store.appendMessage(id, { role: 'robot' as 'user', content: 'x' })).toThrow(ConversationError);
    store.close();
    expect(() => store.appendMessage(id, { role: 'user', content: 'x' })).toThrow(/closed/);
    expect(readFileSync(fileOf(id), 'utf8').trimEnd().split('\n')).toHaveLength(1);
  });

  it('keeps lines whole when many appends run concurrently, from one store or two, beyond the open-file limit', async () => {
    const one = newStore({ maxOpen: 2 });
    const two = newStore({ maxOpen: 2, syncEachRecord: true });
    const ids = [one.create(), one.create(), one.create()];
    const content = (writer: number, index: number) => `${writer}:${index}:` + 'ž'.repeat((index * 97) % 5_000);
    await Promise.all(
      Array.from({ length: 300 }, async (_, index) => {
        await Promise.resolve();
        const store = index % 2 === 0 ? one : two;
        store.appendMessage(ids[index % 3] ?? '', { role: 'user', content: content(index % 2, index) });
      }),
    );
    one.flush();
    for (const [position, id] of ids.entries()) {
      const loaded = await newStore().load(id);
      expect(loaded.issues).toEqual([]);
      const expected = Array.from({ length: 300 }, (_, index) => index).filter((index) => index % 3 === position);
      expect(loaded.messages.map((message) => message.content)).toEqual(
        expected.map((index) => content(index % 2, index)),
      );
    }
  });

  it('creates private files in a private folder', () => {
    if (process.platform === 'win32') return;
    const store = newStore();
    const id = store.create();
    expect(statSync(fileOf(id)).mode & 0o777).toBe(0o600);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
  });
});
