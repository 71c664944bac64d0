import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedModelsDir } from '../../test/fixtures';
import type { EventPayload } from '../shared/contract';
import { createBrain, type Brain } from './Brain';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';

let brain: Brain | undefined;
afterEach(async () => {
  await brain?.shutdown();
  brain = undefined;
});

async function started(
  modelsDirs = [sharedModelsDir()],
  maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-chat-')),
): Promise<Brain> {
  brain = createBrain({
    maiHome,
    backends: [new EmbeddedBackend({ modelsDirs, threads: 1, gpu: false })],
  });
  await brain.start();
  return brain;
}

describe('chat through the contract', () => {
  it('streams fragments as events, answers with the result, and keeps the conversation', async () => {
    const mai = await started();
    const fragments: EventPayload<'chat.fragment'>[] = [];
    mai.subscribe('chat.fragment', (fragment) => fragments.push(fragment));
    await mai.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    const result = await mai.invoke({ name: 'chat.send', payload: { text: 'Once upon a time' } });
    if (!result.ok) throw new Error(result.error.message);
    const answer = result.value;
    expect(answer.model).toEqual({ key: 'stories260K', backend: 'embedded' });
    expect(fragments.map((f) => f.text).join('')).toBe(answer.text);
    expect(new Set(fragments.map((f) => f.conversationId))).toEqual(new Set([answer.conversationId]));

    const listed = await mai.invoke({ name: 'conversations.list', payload: {} });
    expect(listed).toMatchObject({
      ok: true,
      value: { conversations: [{ id: answer.conversationId, messageCount: 2 }] },
    });
    const opened = await mai.invoke({ name: 'conversations.open', payload: { id: answer.conversationId } });
    expect(opened).toMatchObject({
      ok: true,
      value: {
        messages: [
          { role: 'user', content: 'Once upon a time' },
          { role: 'assistant', content: answer.text, model: { key: 'stories260K' } },
        ],
        switches: [{ to: 'stories260K', trigger: 'selection' }],
      },
    });
  });

  it('refuses a second message while one is answered, and cancels on request', async () => {
    const mai = await started();
    await mai.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    let firstFragment: () => void = () => {};
    const streaming = new Promise<void>((resolve) => (firstFragment = resolve));
    const off = mai.subscribe('chat.fragment', () => firstFragment());
    const first = mai.invoke({ name: 'chat.send', payload: { text: 'Once upon a time' } });
    await streaming;
    off();
    expect(await mai.invoke({ name: 'chat.send', payload: { text: 'And then?' } })).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('already being written') },
    });
    expect(await mai.invoke({ name: 'chat.cancel', payload: {} })).toEqual({ ok: true, value: { cancelled: true } });
    const settled = await first;
    // The answer stops where it was; what was written so far is kept and marked as cancelled.
    if (settled.ok) expect(settled.value.stats.stopReason).toBe('cancelled');
    else expect(settled.error.code).toBe('unavailable');
  });

  it('names a bad conversation id and an unknown model', async () => {
    const mai = await started();
    expect(await mai.invoke({ name: 'conversations.open', payload: { id: '../../etc/passwd' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    expect(await mai.invoke({ name: 'models.switch', payload: { key: 'gpt-9' } })).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringContaining('no model "gpt-9"') },
    });
  });
});

describe('what an answer or a choice means, as UIs read it', () => {
  it('no model at all is the no_model detail, whatever the message says about fitting', async () => {
    const mai = await started([mkdtempSync(path.join(os.tmpdir(), 'mai-no-models-'))]);
    const result = await mai.invoke({ name: 'chat.send', payload: { text: 'Once upon a time' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'unavailable', detail: 'no_model' } });
  });

  it('pinning the model already loaded is a pin, not a return to automatic choice', async () => {
    const mai = await started();
    await mai.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    await mai.invoke({ name: 'chat.send', payload: { text: 'Once upon a time' } });
    await mai.invoke({ name: 'models.switch', payload: { key: 'auto' } });
    const pinned = await mai.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    expect(pinned).toMatchObject({ ok: true, value: { mode: 'pinned', pinnedKey: 'stories260K' } });
    const status = await mai.invoke({ name: 'status.get', payload: {} });
    if (!status.ok) throw new Error(status.error.message);
    expect(status.value.decisions.at(-1)).toMatchObject({ kind: 'pin', from: 'stories260K', to: 'stories260K' });
    expect(status.value.decisions.at(-2)).toMatchObject({ kind: 'automatic' });
  });

  it('writes a person’s switches into the conversation they happen in, as every decision is', async () => {
    const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-chat-'));
    const mai = await started([sharedModelsDir()], maiHome);
    await mai.invoke({ name: 'models.switch', payload: { key: 'stories260K' } });
    const answer = await mai.invoke({ name: 'chat.send', payload: { text: 'Once upon a time' } });
    if (!answer.ok) throw new Error(answer.error.message);
    await mai.invoke({ name: 'models.switch', payload: { key: 'auto' } });
    await mai.invoke({ name: 'models.switch', payload: { key: 'llama-2-tiny-random' } });
    await mai.shutdown();
    // Read back from the conversation's file by the next Mai, not from the live decision log.
    const next = await started([sharedModelsDir()], maiHome);
    const opened = await next.invoke({ name: 'conversations.open', payload: { id: answer.value.conversationId } });
    if (!opened.ok) throw new Error(opened.error.message);
    // The first pin came before the conversation began: it is in the log, not in the conversation.
    expect(opened.value.switches.map((d) => [d.kind, d.trigger, d.to])).toEqual([
      ['selection', 'selection', 'stories260K'],
      ['automatic', 'manual', 'stories260K'],
      ['pin', 'manual', 'llama-2-tiny-random'],
    ]);
  });
});
