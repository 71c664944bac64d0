import { Profiler, useEffect, useRef } from 'react';
import { useChat } from '../../state/chatStore';
import { AnswerText, partsOfStream } from './AnswerText';
import { countRender, streamingRowId } from './renderCounts';

/**
 * The answer being written. The only part of the chat that subscribes to the streamed text, so a fragment renders
 * this row alone; it keeps itself in view as it grows.
 */
export function StreamingAnswer() {
  const streaming = useChat((s) => s.streaming);
  const row = useRef<HTMLLIElement>(null);
  useEffect(() => {
    row.current?.scrollIntoView?.({ block: 'end' });
  }, [streaming]);
  if (!streaming) return null;
  return (
    <Profiler id={streamingRowId} onRender={countRender}>
      <li ref={row} className="message message-assistant streaming" data-testid="streaming-answer">
        {streaming.restartReason && (
          <div className="switch-marker-inline muted">Started again: {streaming.restartReason}</div>
        )}
        <div className="message-text">
          {streaming.text ? (
            <AnswerText parts={partsOfStream(streaming.text, streaming.handoffs)} />
          ) : (
            <span className="muted">Thinking…</span>
          )}
        </div>
      </li>
    </Profiler>
  );
}
