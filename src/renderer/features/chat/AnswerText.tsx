import type { AnswerSegment } from '../../../shared/contract';
import type { StreamingHandoff } from '../../state/chatStore';
import { Markdown } from './markdown/Markdown';

/** A piece of an answer, and the marker before it where another model took over. */
export interface AnswerPart {
  text: string;
  marker?: { label: string; reason: string };
}

/** A stored answer's parts: one per model that wrote it, each after a marker naming who continued. */
export function partsOfSegments(content: string, segments: readonly AnswerSegment[] | undefined): AnswerPart[] {
  if (!segments || segments.length < 2) return [{ text: content }];
  return segments.map((segment, index) => {
    const before = segments[index - 1];
    if (!before) return { text: segment.text };
    const label = `continued by ${segment.model.key}`;
    return { text: segment.text, marker: { label, reason: before.reason ?? `${before.model.key} stopped` } };
  });
}

/** The answer being written, cut where the brain said a model stopped and the next one went on. */
export function partsOfStream(text: string, handoffs: readonly StreamingHandoff[]): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let start = 0;
  let marker: AnswerPart['marker'];
  for (const handoff of handoffs) {
    parts.push({ text: text.slice(start, handoff.atChars), ...(marker ? { marker } : {}) });
    start = handoff.atChars;
    marker = { label: `${handoff.from.key} stopped; the next model continues`, reason: handoff.reason };
  }
  parts.push({ text: text.slice(start), ...(marker ? { marker } : {}) });
  return parts;
}

/**
 * An answer as markdown. Where models changed mid-answer, a quiet marker sits between their parts (the reason on
 * hover); each part is rendered on its own, so a code block the handoff cut in two shows as two.
 */
export function AnswerText({ parts }: { parts: readonly AnswerPart[] }) {
  if (parts.length === 1) return <Markdown text={parts[0]?.text ?? ''} />;
  return (
    <>
      {parts.map((part, index) => (
        <div key={index} className="answer-part">
          {part.marker && (
            <div className="handoff-marker" data-testid="handoff-marker" title={part.marker.reason}>
              {part.marker.label}
            </div>
          )}
          {part.text !== '' && <Markdown text={part.text} />}
        </div>
      ))}
    </>
  );
}
