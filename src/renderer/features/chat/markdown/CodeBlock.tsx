import { isValidElement, useRef, type ReactNode } from 'react';
import { CopyButton } from '../CopyButton';

/** The language a fenced block named (` ```ts `), from the class react-markdown gives its <code>. */
function languageOf(children: ReactNode): string | null {
  const code = Array.isArray(children) ? children[0] : children;
  if (!isValidElement<{ className?: string }>(code)) return null;
  return /(?:^|\s)language-([\w+#-]+)/.exec(code.props.className ?? '')?.[1] ?? null;
}

/** A fenced code block: highlighted by the markdown pipeline, with its language and a button that copies it. */
export function CodeBlock({ children }: { children: ReactNode }) {
  const pre = useRef<HTMLPreElement>(null);
  return (
    <div className="code-block" data-testid="code-block">
      <div className="code-block-head">
        <span className="code-language">{languageOf(children) ?? 'text'}</span>
        {/* The text as shown: highlighting only wraps it in spans. */}
        <CopyButton className="code-copy" testId="code-copy" text={() => pre.current?.textContent ?? ''} />
      </div>
      <pre ref={pre}>{children}</pre>
    </div>
  );
}
