import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatResultView, Decision } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { useChat } from '../../state/chatStore';
import { useModels } from '../../state/modelsStore';
import { connectStores } from '../../connect';
import { fakeApi, listing, okResult, resetStores } from '../../testing/fakeApi';
import { Chat } from './Chat';
import { classifyChatError } from './chatProblem';

afterEach(() => {
  cleanup();
  resetStores();
});

const switchDecision: Decision = {
  id: 'd-switch',
  atMs: 1500,
  kind: 'switch',
  from: 'llama-2-tiny-random',
  to: 'stories260K',
  trigger: 'sustained_memory',
  reason: 'memory above 85% for 30 s',
  figures: {},
};

function result(text: string, switches: Decision[] = []): ChatResultView {
  return {
    conversationId: 'c1',
    text,
    model: { key: 'stories260K', backend: 'embedded' },
    stats: { tokensPerSecond: 900, timeToFirstTokenMs: 3, predictedTokens: 5, promptTokens: 10, stopReason: 'eos' },
    switches,
  };
}

function setup(send: () => Promise<ReturnType<typeof okResult<ChatResultView>>>) {
  const fake = fakeApi({
    'chat.send': send,
    'chat.cancel': () => okResult({ cancelled: true }),
    'conversations.list': () => okResult({ conversations: [] }),
    'models.list': () => okResult({ models: [listing('stories260K')] }),
  });
  const disconnect = connectStores(fake.api);
  render(
    <ApiContext.Provider value={fake.api}>
      <Chat />
    </ApiContext.Provider>,
  );
  return { ...fake, disconnect };
}

function type(text: string) {
  fireEvent.change(screen.getByTestId('chat-input'), { target: { value: text } });
  fireEvent.click(screen.getByTestId('chat-send'));
}

describe('Chat', () => {
  it('streams fragments, then shows the answer with the model that wrote it', async () => {
    let finish: (value: ReturnType<typeof okResult<ChatResultView>>) => void = () => {};
    const { emit } = setup(() => new Promise((resolve) => (finish = resolve)));
    useChat.setState({ currentId: 'c1' });
    type('Tell me a story');
    expect(screen.getByTestId('message-user').querySelector('.message-text')?.textContent).toBe('Tell me a story');
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'Once upon ' }));
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'a time' }));
    expect(screen.getByTestId('streaming-answer').textContent).toContain('Once upon a time');
    expect(screen.getByTestId('chat-cancel')).toBeTruthy();
    await act(async () => finish(okResult(result('Once upon a time.', [switchDecision]))));
    expect(screen.queryByTestId('streaming-answer')).toBeNull();
    expect(screen.getByTestId('message-assistant').textContent).toContain('Once upon a time.');
    expect(screen.getByTestId('model-badge').textContent).toBe('stories260K');
    // The switch shows as a quiet marker, not as a chat message.
    expect(screen.getByTestId('switch-marker').textContent).toContain(
      'Mai switched from llama-2-tiny-random to stories260K · memory above 85% for 30 s',
    );
    expect(screen.getAllByTestId(/^message-(user|assistant)$/)).toHaveLength(2);
  });

  it('cancels the answer in progress and says nothing alarming', async () => {
    let finish: (value: never) => void = () => {};
    const { invoke } = setup(() => new Promise((resolve) => (finish = resolve as never)));
    type('Hello');
    fireEvent.click(screen.getByTestId('chat-cancel'));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('chat.cancel', {}));
    await act(async () =>
      // What the brain's ChatService answers for a cancelled chat.send.
      finish({
        ok: false,
        error: { code: 'unavailable', message: 'the answer was cancelled', detail: 'cancelled' },
      } as never),
    );
    expect(screen.queryByTestId('streaming-answer')).toBeNull();
    expect(screen.queryByTestId('chat-problem')).toBeNull();
    expect(screen.getByTestId('chat-send')).toBeTruthy();
  });

  it('starts over when the brain restarts the answer on a fallback', () => {
    const { emit } = setup(() => new Promise(() => {}));
    type('Hello');
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'garbled' }));
    act(() => emit('chat.restart', { conversationId: 'c1', reason: 'the model failed' }));
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'Hi' }));
    const streaming = screen.getByTestId('streaming-answer').textContent;
    expect(streaming).toContain('the model failed');
    expect(streaming).not.toContain('garbled');
  });

  it('says where Mai looks when there are no models', async () => {
    setup(() => new Promise(() => {}));
    act(() => useModels.getState().setModels([]));
    expect(screen.getByTestId('chat-problem').textContent).toContain('MAI_MODELS_DIR');
  });

  it('shows a failed answer as a clear problem', async () => {
    setup(async () => ({
      ok: false,
      error: {
        code: 'unavailable',
        message: 'LM Studio closed the connection while Mai was using it.',
        detail: 'backend_gone',
      },
    }));
    type('Hello');
    await waitFor(() =>
      expect(screen.getByTestId('chat-problem').textContent).toContain('The engine Mai was using is gone'),
    );
  });
});

/** The brain's own no-model message (AnswerPipeline's noModelError): it speaks of fitting, but is no fit problem. */
const noModelMessage =
  'No model could answer: none is usable, or every one that fits failed. Run "mai models" to see what Mai found and why each does or does not fit.';

describe('classifyChatError', () => {
  it.each([
    [{ message: noModelMessage, detail: 'no_model' as const }, 'no-models'],
    [{ message: 'stories260K needs 2 GiB, 1 GiB free', detail: 'does_not_fit' as const }, 'does-not-fit'],
    [
      { message: 'an answer is already being written; cancel it (chat.cancel) or wait', detail: 'busy' as const },
      'busy',
    ],
    [{ message: 'LM Studio is not running', detail: 'backend_gone' as const }, 'engine-gone'],
    [{ message: 'connection to Mai lost', detail: 'disconnected' as const }, 'disconnected'],
    // Without a detail the text is only read, never classified: no regex guesses a kind from it.
    [{ message: 'LM Studio does not fit, is busy and has no model' }, 'other'],
  ])('%j → %s', (error, kind) => {
    expect(classifyChatError({ code: 'unavailable', ...error }).kind).toBe(kind);
  });
});

describe('an answer handed from model to model', () => {
  it('keeps the text so far at a handoff, marks where, and shows the stored parts with the model that continued', async () => {
    let finish: (value: ReturnType<typeof okResult<ChatResultView>>) => void = () => {};
    const { emit } = setup(() => new Promise((resolve) => (finish = resolve)));
    useChat.setState({ currentId: 'c1' });
    type('Tell me a story');
    const lmStudio = { key: 'stories260k', backend: 'lmstudio' as const };
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'Once upon ' }));
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'a time' }));
    act(() =>
      emit('chat.handoff', {
        conversationId: 'c1',
        text: 'Once upon a time',
        from: lmStudio,
        reason: 'LM Studio went away',
      }),
    );
    act(() => emit('chat.fragment', { conversationId: 'c1', text: ' there was a fox.' }));
    const streaming = screen.getByTestId('streaming-answer');
    expect(streaming.textContent).toContain('Once upon a time');
    expect(streaming.textContent).toContain('there was a fox.');
    expect(screen.getByTestId('handoff-marker').textContent).toBe('stories260k stopped; the next model continues');
    expect(screen.getByTestId('handoff-marker').getAttribute('title')).toBe('LM Studio went away');

    const segments = [
      { model: lmStudio, text: 'Once upon a time', endReason: 'failed' as const, reason: 'LM Studio went away' },
      {
        model: { key: 'stories260K', backend: 'embedded' as const },
        text: ' there was a fox.',
        endReason: 'eos' as const,
      },
    ];
    await act(async () => finish(okResult({ ...result('Once upon a time there was a fox.'), segments })));
    const answer = screen.getByTestId('message-assistant');
    expect(answer.querySelectorAll('.answer-part')).toHaveLength(2);
    expect(answer.querySelector('.answer-part')?.textContent).toBe('Once upon a time');
    expect(screen.getByTestId('handoff-marker').textContent).toBe('continued by stories260K');
    expect(screen.getByTestId('handoff-marker').getAttribute('title')).toBe('LM Studio went away');
    expect(screen.getByTestId('model-badge').textContent).toBe('stories260K');
  });

  it('shows an answer one model wrote without any marker', async () => {
    const { emit } = setup(async () => okResult(result('Hello.')));
    type('Hi');
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'Hello.' }));
    await waitFor(() => expect(screen.getByTestId('message-assistant').textContent).toContain('Hello.'));
    expect(screen.queryByTestId('handoff-marker')).toBeNull();
  });
});
