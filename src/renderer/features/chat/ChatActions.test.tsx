import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessageView, ChatResultView, Result } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { connectStores } from '../../connect';
import { useChat } from '../../state/chatStore';
import { fakeApi, listing, okResult, resetStores } from '../../testing/fakeApi';
import { Chat } from './Chat';

afterEach(() => {
  cleanup();
  resetStores();
  vi.unstubAllGlobals();
});

const stored: ChatMessageView[] = [
  { id: 'm-q1', role: 'user', content: 'Tell me a story', atMs: 1 },
  {
    id: 'm-a1',
    role: 'assistant',
    content: 'Once upon a time.',
    atMs: 2,
    model: { key: 'stories260K', backend: 'embedded' },
  },
];

function result(text: string, key: string, ids: { messageId: string; userMessageId: string }): ChatResultView {
  return {
    conversationId: 'c1',
    text,
    model: { key, backend: 'embedded' },
    stats: { tokensPerSecond: 900, timeToFirstTokenMs: 3, predictedTokens: 5, promptTokens: 10, stopReason: 'eos' },
    switches: [],
    ...ids,
  };
}

type Answer = (value: Result<ChatResultView>) => void;

function setup() {
  const answers: Answer[] = [];
  const pending = () => new Promise<Result<ChatResultView>>((resolve) => answers.push(resolve));
  const fake = fakeApi({
    'chat.send': pending,
    'chat.regenerate': pending,
    'chat.edit': pending,
    'chat.cancel': () => okResult({ cancelled: true }),
    'conversations.list': () => okResult({ conversations: [] }),
    'conversations.new': () => okResult({ id: 'c2' }),
    'conversations.open': () => okResult({ id: 'c1', messages: stored, switches: [] }),
    'models.list': () => okResult({ models: [listing('stories260K'), listing('llama-2-tiny-random')] }),
  });
  connectStores(fake.api);
  useChat.setState({ currentId: 'c1', messages: stored });
  render(
    <ApiContext.Provider value={fake.api}>
      <Chat />
    </ApiContext.Provider>,
  );
  const answer = (value: Result<ChatResultView>) => act(async () => answers.shift()?.(value));
  return { ...fake, answer };
}

const texts = (testId: string) =>
  screen.getAllByTestId(testId).map((row) => row.querySelector('.message-text')?.textContent ?? '');

describe('chat actions', () => {
  it('regenerates the last answer with a model picked for it', async () => {
    const { invoke, emit, answer } = setup();
    await screen.findByTestId('regenerate-model');
    fireEvent.change(screen.getByTestId('regenerate-model'), { target: { value: 'llama-2-tiny-random' } });
    fireEvent.click(screen.getByTestId('regenerate'));
    expect(invoke).toHaveBeenCalledWith('chat.regenerate', { model: 'llama-2-tiny-random' });
    // The old answer goes at once; the new one streams in its place.
    expect(screen.queryAllByTestId('message-assistant')).toHaveLength(0);
    act(() => emit('chat.fragment', { conversationId: 'c1', text: 'A new tale' }));
    expect(screen.getByTestId('streaming-answer').textContent).toContain('A new tale');
    await answer(okResult(result('A new tale.', 'llama-2-tiny-random', { messageId: 'm-a2', userMessageId: 'm-q1' })));
    expect(texts('message-assistant')).toEqual(['A new tale.']);
    expect(screen.getByTestId('model-badge').textContent).toBe('llama-2-tiny-random');
  });

  it('edits a sent message and answers again from there; Esc leaves it as it was', async () => {
    const { invoke, answer } = setup();
    fireEvent.click(screen.getByTestId('message-edit'));
    fireEvent.keyDown(screen.getByTestId('edit-input'), { key: 'Escape' });
    expect(texts('message-user')).toEqual(['Tell me a story']);

    fireEvent.click(screen.getByTestId('message-edit'));
    fireEvent.change(screen.getByTestId('edit-input'), { target: { value: 'Tell me about dragons' } });
    fireEvent.keyDown(screen.getByTestId('edit-input'), { key: 'Enter' });
    expect(invoke).toHaveBeenCalledWith('chat.edit', { messageId: 'm-q1', text: 'Tell me about dragons' });
    expect(texts('message-user')).toEqual(['Tell me about dragons']);
    expect(screen.queryAllByTestId('message-assistant')).toHaveLength(0);
    await answer(okResult(result('Dragons fly.', 'stories260K', { messageId: 'm-a3', userMessageId: 'm-q3' })));
    expect(texts('message-assistant')).toEqual(['Dragons fly.']);
    // The edited question now carries its stored id, so it can be edited again.
    expect(screen.getByTestId('message-user').getAttribute('data-id')).toBe('m-q3');
  });

  it('shows what the brain holds when a regenerate is refused', async () => {
    const { invoke, answer } = setup();
    fireEvent.click(await screen.findByTestId('regenerate'));
    await answer({ ok: false, error: { code: 'bad_request', message: 'no model "x" (run mai models)' } });
    await waitFor(() => expect(texts('message-assistant')).toEqual(['Once upon a time.']));
    expect(invoke).toHaveBeenCalledWith('conversations.open', { id: 'c1' });
    expect(screen.getByTestId('chat-problem').textContent).toContain('no model "x"');
  });

  it('copies a message as written', async () => {
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    setup();
    const answerRow = screen.getByTestId('message-assistant');
    await act(async () => fireEvent.click(within(answerRow).getByTestId('message-copy')));
    expect(writeText).toHaveBeenCalledWith('Once upon a time.');
    expect(within(answerRow).getByTestId('message-copy').textContent).toBe('Copied');
  });

  it('keys: Enter sends, Shift+Enter does not, Esc stops the answer, Ctrl+K starts a new conversation', async () => {
    const { invoke, answer } = setup();
    const input = screen.getByTestId('chat-input');
    fireEvent.change(input, { target: { value: 'First line' } });
    fireEvent.keyDown(input, { key: 'Enter', shiftKey: true });
    expect(invoke).not.toHaveBeenCalledWith('chat.send', expect.anything());
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(invoke).toHaveBeenCalledWith('chat.send', { text: 'First line' });

    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('chat.cancel', {}));
    await answer({
      ok: false,
      error: { code: 'unavailable', message: 'the answer was cancelled', detail: 'cancelled' },
    });

    await act(async () => fireEvent.keyDown(document.body, { key: 'k', ctrlKey: true }));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith('conversations.new', {}));
    expect(screen.queryAllByTestId(/^message-(user|assistant)$/)).toHaveLength(0);
    expect(useChat.getState().currentId).toBe('c2');
    expect(document.activeElement).toBe(screen.getByTestId('chat-input'));
  });
});
