import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnWriter, type WriterProcess } from '../../../test/conversation/spawnWriter';
import { writerContent } from '../../../test/conversation/writerContent';
import { ConversationStore } from './ConversationStore';

let dir: string;
const writers: WriterProcess[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'mai-crash-'));
});
afterEach(async () => {
  for (const writer of writers.splice(0)) {
    if (writer.child.exitCode === null && writer.child.signalCode === null) writer.child.kill('SIGKILL');
    await writer.exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): WriterProcess {
  const writer = spawnWriter(args);
  writers.push(writer);
  return writer;
}

async function killNow(writer: WriterProcess): Promise<void> {
  writer.child.kill('SIGKILL');
  expect((await writer.exited).signal).toBe('SIGKILL');
}

describe('a writer killed with SIGKILL', () => {
  it('mid-answer: every completed message is on disk, the file parses, the answer in flight is simply absent', async () => {
    const writer = start(['stream', dir, '7']);
    await writer.waitFor((said) => said.filter((line) => 'fragment' in line).length >= 30);
    await killNow(writer);

    const store = new ConversationStore({ dir });
    const [summary, ...others] = await store.list();
    expect(others).toEqual([]);
    const conversation = await store.load(summary?.id ?? '');
    expect(conversation.issues).toEqual([]);
    expect(conversation.messages.map((message) => message.id)).toEqual(writer.acknowledged());
    expect(conversation.messages.map((message) => message.content)).toEqual(
      Array.from({ length: 7 }, (_, index) => writerContent('stream', index)),
    );
    // It reopens ending with the person's question, ready to be answered again.
    expect(conversation.messages.at(-1)?.role).toBe('user');
    expect(conversation.records.some((record) => JSON.stringify(record).includes('fragment'))).toBe(false);

    const answer = store.appendMessage(conversation.id, { role: 'assistant', content: 'Answered after the crash.' });
    expect(store.messages(conversation.id).at(-1)).toEqual(answer);
    store.close();
  });

  it('in the middle of writing big records: all acknowledged records survive, at most the last line is torn', async () => {
    const creator = new ConversationStore({ dir });
    const id = creator.create();
    creator.close();
    const writer = start(['hammer', dir, id, 'k', 'forever']);
    await writer.waitFor((said) => said.length >= 150);
    await killNow(writer);
    const acknowledged = writer.acknowledged();

    const store = new ConversationStore({ dir });
    const before = await store.load(id);
    // A kill can cut only the one write in progress: the last line, if any.
    expect(before.issues.length).toBeLessThanOrEqual(1);
    for (const issue of before.issues) expect(issue).toMatchObject({ kind: 'torn', line: before.records.length + 1 });
    const byId = new Map(before.messages.map((message) => [message.id, message.content]));
    acknowledged.forEach((messageId, index) => expect(byId.get(messageId)).toBe(writerContent('k', index)));

    // Appending after the crash ends any torn line first, so the new record reads back whole.
    const after = store.appendMessage(id, { role: 'user', content: 'after the crash' });
    const reread = await store.load(id);
    expect(reread.messages.at(-1)).toEqual(after);
    expect(reread.issues.map((issue) => issue.kind)).toEqual(before.issues.length === 0 ? [] : ['invalid-json']);
    store.close();
  });
});

describe('several processes appending to one conversation at once', () => {
  it('keeps every line whole and each writer in its own order', async () => {
    const store = new ConversationStore({ dir });
    const id = store.create('shared');
    const perWriter = 100;
    // A 1 ms pause between records keeps all three writers busy over the same stretch of time.
    const children = ['a', 'bb'].map((tag) => start(['hammer', dir, id, tag, String(perWriter), '1']));
    for (const child of children) await child.waitFor((said) => said.length >= 1);
    for (let index = 0; index < perWriter; index += 1) {
      store.appendMessage(id, { role: 'assistant', content: writerContent('ccc', index) });
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    for (const child of children) {
      await child.waitFor((said) => said.some((line) => line.done === true));
      expect((await child.exited).code).toBe(0);
    }

    const conversation = await store.load(id);
    expect(conversation.issues).toEqual([]);
    expect(conversation.messageCount).toBe(3 * perWriter);
    for (const tag of ['a', 'bb', 'ccc']) {
      const mine = conversation.messages.filter((message) => message.content.startsWith(`${tag}#`));
      expect(mine.map((message) => message.content)).toEqual(
        Array.from({ length: perWriter }, (_, index) => writerContent(tag, index)),
      );
    }
    // The writers really did overlap: the file switches between them, not three blocks one after another.
    const writersInFileOrder = conversation.messages.map((message) => message.content.split('#')[0]);
    const changes = writersInFileOrder.filter((tag, index) => index > 0 && tag !== writersInFileOrder[index - 1]);
    expect(changes.length).toBeGreaterThan(2);
    store.close();
  });
});
