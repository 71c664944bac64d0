import { describe, expect, it } from 'vitest';
import { toChatHistory } from './chatFormat';

describe('toChatHistory', () => {
  it('maps roles and ends with an empty model turn to write into', () => {
    expect(
      toChatHistory([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        { role: 'user', content: 'How are you?' },
      ]),
    ).toEqual([
      { type: 'system', text: 'Be brief.' },
      { type: 'user', text: 'Hi' },
      { type: 'model', response: ['Hello!'] },
      { type: 'user', text: 'How are you?' },
      { type: 'model', response: [] },
    ]);
  });

  it('continues a final assistant message (a prefill)', () => {
    expect(
      toChatHistory([
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Well,' },
      ]).at(-1),
    ).toEqual({
      type: 'model',
      response: ['Well,'],
    });
  });
});
