import { describe, expect, it } from 'vitest';
import type { LoadedModel } from '../ModelBackend';
import { chooseLoaded, InstanceBook } from './instanceBook';

const instance = (identifier: string, contextLength: number, key = 'qwen3-4b'): LoadedModel => ({
  identifier,
  key,
  backend: 'lmstudio',
  contextLength,
});

describe('chooseLoaded', () => {
  it('reuses the instance with the least context that is still enough', () => {
    const loaded = [instance('qwen3-4b', 8192), instance('qwen3-4b:2', 4096), instance('other', 32768, 'other')];
    const choice = chooseLoaded(loaded, 'qwen3-4b', 4000);
    expect(choice.reuse?.identifier).toBe('qwen3-4b:2');
    expect(choice.note).toContain('reused, no second copy');
  });

  it('reuses any instance when no context is asked for', () => {
    expect(chooseLoaded([instance('qwen3-4b', 2048)], 'qwen3-4b').reuse?.identifier).toBe('qwen3-4b');
  });

  it('says why another instance is loaded when every one is too small', () => {
    const choice = chooseLoaded([instance('qwen3-4b', 2048)], 'qwen3-4b', 8192);
    expect(choice.reuse).toBeNull();
    expect(choice.note).toBe(
      'qwen3-4b is already loaded in LM Studio (qwen3-4b with 2048 tokens of context), less than the 8192 tokens ' +
        'Mai needs: loaded another instance',
    );
  });

  it('has nothing to say when the model is not loaded at all', () => {
    expect(chooseLoaded([instance('other', 4096, 'other')], 'qwen3-4b', 4096)).toEqual({ reuse: null, note: null });
  });
});

describe('InstanceBook', () => {
  it('unloads on close only what Mai loaded', () => {
    const book = new InstanceBook();
    book.record(instance('mine', 4096), true);
    book.record(instance('theirs', 4096), false);
    expect(book.owned()).toEqual(['mine']);
    expect(book.isOwned('theirs')).toBe(false);
    book.forget('mine');
    expect(book.owned()).toEqual([]);
  });
});
