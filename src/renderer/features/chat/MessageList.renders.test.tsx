import { act, cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessageView } from '../../../shared/contract';
import { ApiContext } from '../../apiContext';
import { useChat } from '../../state/chatStore';
import { fakeApi, resetStores } from '../../testing/fakeApi';
import { MessageList } from './MessageList';
import { renderCounts, streamingRowId } from './renderCounts';

afterEach(() => {
  cleanup();
  resetStores();
  renderCounts.clear();
});

/** A history of `turns` questions and markdown answers (a table and a code block each), as a long chat has. */
function history(turns: number): ChatMessageView[] {
  return Array.from({ length: turns }, (_, turn) => [
    { id: `m-q${turn}`, role: 'user' as const, content: `Question ${turn}`, atMs: turn * 10 },
    {
      id: `m-a${turn}`,
      role: 'assistant' as const,
      content: `Answer ${turn}:\n\n| a | b |\n|---|---|\n| ${turn} | x |\n\n\`\`\`ts\nconst n = ${turn};\n\`\`\``,
      atMs: turn * 10 + 5,
      model: { key: 'stories260K', backend: 'embedded' as const },
    },
  ]).flat();
}

const historyIdsOf = (messages: ChatMessageView[]) => messages.map((m) => m.id);

const fragments = [
  'Once ',
  'upon ',
  'a ',
  'time',
  ',\n\n',
  '| k | v |\n',
  '|---|---|\n',
  '| 1 | 2 |\n\n',
  '```js\n',
  'x = 1\n',
  '```',
];

describe('streaming renders the answer being written, not the history', () => {
  it('counts React Profiler renders per fragment, with 40 earlier messages', () => {
    const messages = history(20);
    useChat.setState({ currentId: 'c1', messages, switches: [], streaming: null });
    render(
      <ApiContext.Provider value={fakeApi().api}>
        <MessageList />
      </ApiContext.Provider>,
    );
    // The probe counts: every history row rendered once, when mounted.
    expect(historyIdsOf(messages).map((id) => renderCounts.get(id))).toEqual(messages.map(() => 1));
    act(() => useChat.getState().startAnswer('Tell me a story', 1000));
    renderCounts.clear();

    const rows: { fragment: number; historyRenders: number; streamingRenders: number; ms: number }[] = [];
    const historyIds = historyIdsOf(messages);
    fragments.forEach((text, index) => {
      const before = new Map(renderCounts);
      const startedMs = performance.now();
      act(() => useChat.getState().addFragment('c1', text));
      const ms = performance.now() - startedMs;
      const delta = (id: string) => (renderCounts.get(id) ?? 0) - (before.get(id) ?? 0);
      rows.push({
        fragment: index + 1,
        historyRenders: historyIds.reduce((sum, id) => sum + delta(id), 0),
        streamingRenders: delta(streamingRowId),
        ms: Math.round(ms * 10) / 10,
      });
    });
    // The figures, for the record (issue 16 asks for them printed).
    console.log(
      `render counts per fragment (${historyIds.length} history rows):\n` +
        rows
          .map(
            (r) =>
              `  fragment ${r.fragment}: history rows rendered ${r.historyRenders}, streaming answer rendered ${r.streamingRenders}, ${r.ms} ms`,
          )
          .join('\n'),
    );
    expect(rows.map((r) => r.historyRenders)).toEqual(fragments.map(() => 0));
    expect(rows.map((r) => r.streamingRenders)).toEqual(fragments.map(() => 1));
  });
});
