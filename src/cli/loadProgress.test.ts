import { describe, expect, it } from 'vitest';
import type { Brain } from '../brain';
import { showLoadProgress } from './loadProgress';

type Listener = (payload: { key: string; fraction: number }) => void;

/** Just the event source showLoadProgress reads; the rest of the brain is not needed to draw a bar. */
function fakeBrain(): { brain: Brain; emit: Listener } {
  let listener: Listener = () => {};
  const brain = {
    subscribe: (_name: string, l: Listener) => {
      listener = l;
      return () => {};
    },
  } as unknown as Brain;
  return { brain, emit: (payload) => listener(payload) };
}

function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const fake = { isTTY, text: '', write: (chunk: string) => ((fake.text += chunk), true) };
  return fake as unknown as NodeJS.WriteStream & { text: string };
}

describe('load progress', () => {
  it('redraws one bar in place with \\r in a terminal, ending the line at 100%', () => {
    const { brain, emit } = fakeBrain();
    const out = stream(true);
    showLoadProgress(brain, out);
    for (const fraction of [0, 0.5, 0.5, 1]) emit({ key: 'm', fraction });
    expect(out.text.split('\r').filter(Boolean)).toEqual([
      `loading m ${'░'.repeat(24)}   0%`,
      `loading m ${'█'.repeat(12)}${'░'.repeat(12)}  50%`,
      `loading m ${'█'.repeat(24)} 100%\n`,
    ]);
  });

  it('prints a plain line per quarter when not a terminal', () => {
    const { brain, emit } = fakeBrain();
    const out = stream(false);
    showLoadProgress(brain, out);
    for (const fraction of [0, 0.1, 0.3, 0.6, 0.99, 1]) emit({ key: 'm', fraction });
    expect(out.text).toBe('loading m: 0%\nloading m: 25%\nloading m: 50%\nloading m: 75%\nloading m: 100%\n');
  });
});
