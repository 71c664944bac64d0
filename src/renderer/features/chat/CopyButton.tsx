import { useEffect, useState } from 'react';

/** How long the button says "Copied" before it reads "Copy" again. */
const copiedForMs = 1500;

/** Copies text to the clipboard and says so; `text` is read at the click (a code block's text as shown). */
export function CopyButton({ text, testId, className }: { text: () => string; testId: string; className?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), copiedForMs);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    // A page without clipboard access (an insecure origin, a denied permission) says so instead of throwing.
    const writing = navigator.clipboard?.writeText(text()) ?? Promise.reject(new Error('no clipboard'));
    writing.then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className={className} data-testid={testId} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
