import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConversationSummaryView } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { connectStores } from '../../connect';
import { useChat } from '../../state/chatStore';
import { fakeApi, okResult, resetStores } from '../../testing/fakeApi';
import { ConversationList } from './ConversationList';

afterEach(() => {
  cleanup();
  resetStores();
});

const summary = (id: string, title: string | null, updatedAtMs: number): ConversationSummaryView => ({
  id,
  title,
  createdAtMs: 1,
  updatedAtMs,
  messageCount: 2,
});

/** A brain with two conversations whose list answers what rename, delete and restore did. */
function setup() {
  let all = [summary('c1', 'Cats', 2), summary('c2', 'Dogs', 3)];
  const deleted = new Set<string>();
  const fake = fakeApi({
    'conversations.list': () => okResult({ conversations: all.filter((c) => !deleted.has(c.id)) }),
    'conversations.rename': ({ id, title }) => {
      all = all.map((c) => (c.id === id ? { ...c, title } : c));
      return okResult(all.find((c) => c.id === id) ?? summary(id, title, 0));
    },
    'conversations.delete': ({ id }) => {
      deleted.add(id);
      return okResult({ deleted: true as const });
    },
    'conversations.restore': ({ id }) => {
      deleted.delete(id);
      return okResult(all.find((c) => c.id === id) ?? summary(id, null, 0));
    },
    'conversations.open': ({ id }) => okResult({ id, messages: [], switches: [] }),
    'conversations.search': ({ query }) =>
      okResult({
        results: query === 'purr' ? [{ ...summary('c1', 'Cats', 2), snippet: 'Cats purr.', messageId: 'm-1' }] : [],
      }),
  });
  connectStores(fake.api);
  render(
    <ApiContext.Provider value={fake.api}>
      <ConversationList />
    </ApiContext.Provider>,
  );
  return fake;
}

const titles = () =>
  screen.queryAllByTestId('conversation').map((row) => row.querySelector('.conversation-title')?.textContent);

describe('ConversationList', () => {
  it('lists conversations newest first by title', async () => {
    setup();
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Cats']));
  });

  it('renames in place: Enter keeps the new title, Esc keeps the old one', async () => {
    const { invoke } = setup();
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Cats']));
    fireEvent.click(screen.getAllByTestId('conversation-rename')[1] as HTMLElement);
    fireEvent.change(screen.getByTestId('rename-input'), { target: { value: 'Kittens' } });
    fireEvent.keyDown(screen.getByTestId('rename-input'), { key: 'Escape' });
    expect(invoke).not.toHaveBeenCalledWith('conversations.rename', expect.anything());
    expect(titles()).toEqual(['Dogs', 'Cats']);

    fireEvent.click(screen.getAllByTestId('conversation-rename')[1] as HTMLElement);
    fireEvent.change(screen.getByTestId('rename-input'), { target: { value: 'Kittens' } });
    fireEvent.keyDown(screen.getByTestId('rename-input'), { key: 'Enter' });
    expect(invoke).toHaveBeenCalledWith('conversations.rename', { id: 'c1', title: 'Kittens' });
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Kittens']));
  });

  it('deletes, closes the open conversation, and undoes', async () => {
    const { invoke } = setup();
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Cats']));
    act(() => useChat.setState({ currentId: 'c2' }));
    await act(async () => fireEvent.click(screen.getAllByTestId('conversation-delete')[0] as HTMLElement));
    expect(invoke).toHaveBeenCalledWith('conversations.delete', { id: 'c2' });
    await waitFor(() => expect(titles()).toEqual(['Cats']));
    expect(useChat.getState().currentId).toBeNull();
    expect(screen.getByTestId('deleted-notice').textContent).toContain('Deleted “Dogs”');

    await act(async () => fireEvent.click(screen.getByTestId('undo-delete')));
    expect(invoke).toHaveBeenCalledWith('conversations.restore', { id: 'c2' });
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Cats']));
    expect(useChat.getState().currentId).toBe('c2');
    expect(screen.queryByTestId('deleted-notice')).toBeNull();
  });

  it('searches by text and shows where it matched; clearing the box shows the list again', async () => {
    const { invoke } = setup();
    await waitFor(() => expect(titles()).toEqual(['Dogs', 'Cats']));
    fireEvent.change(screen.getByTestId('conversation-search'), { target: { value: 'purr' } });
    await waitFor(() => expect(screen.getAllByTestId('search-hit')).toHaveLength(1));
    expect(invoke).toHaveBeenCalledWith('conversations.search', { query: 'purr' });
    expect(screen.getByTestId('search-hit').textContent).toContain('Cats purr.');
    fireEvent.change(screen.getByTestId('conversation-search'), { target: { value: 'zebra' } });
    await waitFor(() => expect(screen.getByText('No conversation has that.')).toBeTruthy());
    fireEvent.change(screen.getByTestId('conversation-search'), { target: { value: '' } });
    expect(titles()).toEqual(['Dogs', 'Cats']);
  });
});
