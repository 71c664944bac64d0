import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../../test/fixtures';
import type {
  ChatMessageView,
  ChatResultView,
  RequestName,
  RequestPayload,
  ResponseValue,
} from '../../shared/contract';
import { createBrain, type Brain } from '../Brain';
import { EmbeddedBackend } from '../backends/embedded/EmbeddedBackend';

let brain: Brain | undefined;
let maiHome = '';
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

async function started(): Promise<Brain> {
  maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-regenerate-'));
  brain = createBrain({
    maiHome,
    backends: [new EmbeddedBackend({ modelsDirs: [sharedModelsDir()], threads: 1, gpu: false })],
  });
  await brain.start();
  return brain;
}

async function value<N extends RequestName>(
  mai: Brain,
  name: N,
  payload: RequestPayload<N>,
): Promise<ResponseValue<N>> {
  const result = await mai.invoke({ name, payload });
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value;
}

const records = (conversationId: string) =>
  readFileSync(path.join(maiHome, 'conversations', `${conversationId}.jsonl`), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; role?: string; content?: string; messageId?: string });

const shape = (messages: ChatMessageView[]) =>
  messages.map((m) => [m.role, m.role === 'user' ? m.content : m.model?.key]);

describe('regenerate and edit through the contract', () => {
  it('regenerates the last answer with another model, then edits the question; the file keeps every version', async () => {
    const mai = await started();
    await value(mai, 'models.switch', { key: 'stories260K' });
    const first: ChatResultView = await value(mai, 'chat.send', { text: 'Once upon a time' });
    expect(first.messageId).toMatch(/^m-/);
    expect(first.userMessageId).toMatch(/^m-/);

    const again = await value(mai, 'chat.regenerate', { model: 'llama-2-tiny-random' });
    expect(again.model.key).toBe('llama-2-tiny-random');
    expect(again.userMessageId).toBe(first.userMessageId);
    const opened = await value(mai, 'conversations.open', { id: first.conversationId });
    expect(shape(opened.messages)).toEqual([
      ['user', 'Once upon a time'],
      ['assistant', 'llama-2-tiny-random'],
    ]);
    // The pin was not changed by a model asked for one answer.
    expect((await value(mai, 'status.get', {})).model.pinnedKey).toBe('stories260K');

    const edited = await value(mai, 'chat.edit', { messageId: first.userMessageId ?? '', text: 'A dragon' });
    expect(edited.model.key).toBe('stories260K');
    const reopened = await value(mai, 'conversations.open', { id: first.conversationId });
    expect(shape(reopened.messages)).toEqual([
      ['user', 'A dragon'],
      ['assistant', 'stories260K'],
    ]);
    expect(reopened.messages[0]?.id).toBe(edited.userMessageId);

    const onDisk = records(first.conversationId);
    expect(onDisk.filter((r) => r.type === 'message').map((r) => r.content ?? '')).toHaveLength(5);
    expect(onDisk.filter((r) => r.type === 'supersede')).toEqual([
      expect.objectContaining({ messageId: first.messageId, reason: 'regenerate' }),
      expect.objectContaining({ messageId: first.userMessageId, reason: 'edit' }),
    ]);
  });

  it('refuses what it cannot do and keeps the answer a bad request would have replaced', async () => {
    const mai = await started();
    await value(mai, 'conversations.new', {});
    const empty = await mai.invoke({ name: 'chat.regenerate', payload: {} });
    expect(empty).toMatchObject({ ok: false, error: { code: 'bad_request', message: /nothing to answer again/ } });

    await value(mai, 'models.switch', { key: 'stories260K' });
    const first = await value(mai, 'chat.send', { text: 'Hello' });
    const unknownModel = await mai.invoke({ name: 'chat.regenerate', payload: { model: 'no-such-model' } });
    expect(unknownModel).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: /no model "no-such-model"/ },
    });
    const notMine = await mai.invoke({ name: 'chat.edit', payload: { messageId: first.messageId ?? '', text: 'x' } });
    expect(notMine).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(records(first.conversationId).some((r) => r.type === 'supersede')).toBe(false);
    const opened = await value(mai, 'conversations.open', { id: first.conversationId });
    expect(opened.messages.map((m) => m.id)).toEqual([first.userMessageId, first.messageId]);
  });

  it('renames, deletes, restores and searches through the contract', async () => {
    const mai = await started();
    await value(mai, 'models.switch', { key: 'stories260K' });
    const { conversationId } = await value(mai, 'chat.send', { text: 'Once upon a time' });
    expect(await value(mai, 'conversations.rename', { id: conversationId, title: '  Stories  ' })).toMatchObject({
      id: conversationId,
      title: 'Stories',
    });
    expect((await value(mai, 'conversations.search', { query: 'upon a' })).results).toEqual([
      expect.objectContaining({ id: conversationId, snippet: 'Once upon a time' }),
    ]);
    expect(await value(mai, 'conversations.delete', { id: conversationId })).toEqual({ deleted: true });
    expect((await value(mai, 'conversations.list', {})).conversations).toEqual([]);
    // The deleted conversation is no longer current: the next message starts another.
    const next = await value(mai, 'chat.send', { text: 'Hello' });
    expect(next.conversationId).not.toBe(conversationId);
    expect((await value(mai, 'conversations.restore', { id: conversationId })).title).toBe('Stories');
    expect((await value(mai, 'conversations.list', {})).conversations.map((c) => c.id).sort()).toEqual(
      [conversationId, next.conversationId].sort(),
    );
  });
});
