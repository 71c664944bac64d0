import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

function newStore(): ConversationStore {
  const store = new ConversationStore({ maiHome: home, clock });
  stores.push(store);
  return store;
}

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'mai-store-manage-'));
  nowMs = Date.UTC(2026, 10, 22, 4, 20, 0);
});
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  rmSync(home, { recursive: true, force: true });
});

const fileOf = (id: string) => path.join(home, 'conversations', `${id}.jsonl`);
const lines = (id: string) =>
  readFileSync(fileOf(id), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });

/** A conversation with two questions and their answers, one second apart. */
function chatted(store: ConversationStore) {
  const id = store.create();
  const say = (role: 'user' | 'assistant', content: string) => {
    nowMs += 1000;
    return store.appendMessage(id, { role, content });
  };
  return {
    id,
    q1: say('user', 'Tell me about cats'),
    a1: say('assistant', 'Cats purr.'),
    q2: say('user', 'And dogs?'),
    a2: say('assistant', 'Dogs bark.'),
  };
}

describe('ConversationStore: rename, delete, restore', () => {
  it('titles a conversation from its first message, then by the latest rename, read back after a restart', async () => {
    const store = newStore();
    const { id } = chatted(store);
    expect((await store.list())[0]?.title).toBe('Tell me about cats');
    const activeAtMs = nowMs;
    nowMs += 60_000;
    // A rename is no chat activity: the list's order (by updatedAtMs) stays.
    expect(store.rename(id, 'Pets')).toMatchObject({ title: 'Pets', updatedAtMs: activeAtMs });
    store.rename(id, 'Pets, again');
    const linesBefore = lines(id).length;
    store.close();
    expect((await newStore().list()).map((c) => c.title)).toEqual(['Pets, again']);
    // Each rename was one appended line; nothing before it was rewritten.
    expect(lines(id).slice(-2)).toMatchObject([
      { type: 'title', title: 'Pets' },
      { type: 'title', title: 'Pets, again' },
    ]);
    expect(lines(id)).toHaveLength(linesBefore);
  });

  it('deletes by an appended tombstone and restores by another; the messages are untouched', async () => {
    const store = newStore();
    const kept = chatted(store);
    const gone = chatted(store);
    const before = readFileSync(fileOf(gone.id), 'utf8');
    store.delete(gone.id);
    expect((await store.list()).map((c) => c.id)).toEqual([kept.id]);
    expect(() => store.open(gone.id)).toThrow(ConversationError);
    // Append-only: the file is what it was plus one line.
    expect(readFileSync(fileOf(gone.id), 'utf8').startsWith(before)).toBe(true);
    expect(lines(gone.id).at(-1)).toMatchObject({ type: 'deleted' });
    // Still deleted after a restart.
    expect((await newStore().list()).map((c) => c.id)).toEqual([kept.id]);

    const restored = newStore().restore(gone.id);
    expect(restored).toMatchObject({ id: gone.id, messageCount: 4 });
    expect((await newStore().list()).map((c) => c.id).sort()).toEqual([kept.id, gone.id].sort());
    expect(
      newStore()
        .open(gone.id)
        .messages.map((m) => m.content),
    ).toEqual(['Tell me about cats', 'Cats purr.', 'And dogs?', 'Dogs bark.']);
  });
});

describe('ConversationStore: branches', () => {
  it('supersedes a message and all after it; later messages continue the branch, the old ones stay on disk', async () => {
    const store = newStore();
    const { id, q1, a1, q2 } = chatted(store);
    store.supersede(id, q2.id, 'edit');
    const edited = store.appendMessage(id, { role: 'user', content: 'And birds?' });
    expect(store.messages(id).map((m) => m.id)).toEqual([q1.id, a1.id, edited.id]);
    expect(store.open(id).messageCount).toBe(3);

    const reread = await newStore().load(id);
    expect(reread.messages.map((m) => m.content)).toEqual(['Tell me about cats', 'Cats purr.', 'And birds?']);
    expect(reread.records.filter((r) => r.type === 'message')).toHaveLength(5);
    expect(reread.issues).toEqual([]);
  });

  it('refuses to supersede a message that is not in the current branch', () => {
    const store = newStore();
    const { id, q2 } = chatted(store);
    store.supersede(id, q2.id, 'edit');
    expect(() => store.supersede(id, q2.id, 'edit')).toThrow(/no message/);
  });

  it('reads a file written before branches, titles and tombstones existed', async () => {
    const id = '2026-01-02T03-04-05Z-abc123';
    mkdirSync(path.dirname(fileOf(id)), { recursive: true });
    writeFileSync(
      fileOf(id),
      [
        { type: 'created', id, atMs: 1000 },
        { type: 'message', id: 'm-1', role: 'user', content: 'Old hello', atMs: 2000 },
        { type: 'message', id: 'm-2', role: 'assistant', content: 'Old answer', atMs: 3000 },
      ]
        .map((record) => JSON.stringify(record))
        .join('\n') + '\n',
    );
    const store = newStore();
    expect(await store.list()).toEqual([
      { id, title: 'Old hello', createdAtMs: 1000, updatedAtMs: 3000, messageCount: 2 },
    ]);
    expect(store.open(id).messages.map((m) => m.id)).toEqual(['m-1', 'm-2']);
  });
});

describe('ConversationStore: search', () => {
  it('finds text in current messages and titles, any case, with a snippet; not in replaced or deleted ones', async () => {
    const store = newStore();
    const pets = chatted(store);
    const other = store.create();
    store.appendMessage(other, { role: 'user', content: 'The weather in Lisbon' });
    store.rename(other, 'Travel plans');

    expect(await store.search('PURR')).toEqual([
      expect.objectContaining({ id: pets.id, snippet: 'Cats purr.', messageId: pets.a1.id }),
    ]);
    expect(await store.search('travel')).toEqual([
      expect.objectContaining({ id: other, snippet: 'Travel plans', messageId: null }),
    ]);
    store.supersede(pets.id, pets.q2.id, 'edit');
    expect(await store.search('dogs')).toEqual([]);
    store.delete(other);
    expect(await store.search('lisbon')).toEqual([]);
    expect(await store.search('   ')).toEqual([]);
  });

  it('cuts a long message to the text around the match', async () => {
    const store = newStore();
    const id = store.create();
    store.appendMessage(id, { role: 'user', content: `${'a '.repeat(100)}needle${' b'.repeat(100)}` });
    const [hit] = await store.search('needle');
    expect(hit?.snippet).toMatch(/^….{30,45}needle.{30,45}…$/);
  });
});
