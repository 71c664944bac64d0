import { describe, expect, it } from 'vitest';
import { condensationNote } from './condensationNote';

describe('condensationNote', () => {
  it('names the count, the window and the words the person used most', () => {
    const note = condensationNote(
      [
        { role: 'user', content: "My cat's garden: the cat digs in the garden. What about the roses?" },
        { role: 'assistant', content: 'Cats love soft soil; a fence and lavender keep them away from roses.' },
        { role: 'user', content: 'Would roses and lavender work?' },
      ],
      2048,
    );
    expect(note).toBe('[Earlier: 3 messages about garden, roses and digs dropped to fit the 2048-token window]');
  });

  it('is the same for the same messages, and plain when there is no topic to name', () => {
    const messages = [{ role: 'user' as const, content: 'ok hi yes' }];
    expect(condensationNote(messages, 512)).toBe('[Earlier: 1 message dropped to fit the 512-token window]');
    expect(condensationNote(messages, 512)).toBe(condensationNote(messages, 512));
  });

  it('falls back to the answers when no question was dropped, and skips code-like runs', () => {
    const note = condensationNote([{ role: 'assistant', content: `Welcome back! ${'a'.repeat(40)} Welcome.` }], 64);
    expect(note).toBe('[Earlier: 1 message about welcome and back dropped to fit the 64-token window]');
  });
});
