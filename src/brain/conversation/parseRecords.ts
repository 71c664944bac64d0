import { ConversationRecordSchema, type ConversationRecord } from './records';

/** A line that was skipped while reading, with its 1-based line number, for the log and the caller. */
export interface ReadIssue {
  line: number;
  /**
   * torn: the last line, cut off by a crash mid-write (no newline, not JSON);
   * invalid-json: a cut-off line that a later append closed, or a hand edit;
   * invalid-record: JSON, but not a record this version knows (e.g. written by a newer Mai).
   */
  kind: 'torn' | 'invalid-json' | 'invalid-record';
  detail: string;
}

export interface ParsedRecords {
  records: ConversationRecord[];
  issues: ReadIssue[];
}

// Enough of a bad line to recognise it in a log without copying a whole message there.
const excerptChars = 80;

/**
 * Reads a conversation file's text. Pure and total: it never throws, whatever the bytes; lines it cannot use are
 * skipped and listed in `issues`. A last line without its newline is kept when it is a complete record (the crash
 * came between the record and its newline) and reported as torn otherwise.
 */
export function parseRecords(text: string): ParsedRecords {
  const records: ConversationRecord[] = [];
  const issues: ReadIssue[] = [];
  const lines = text.split('\n');
  const lastIndex = lines.length - 1;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const unterminated = index === lastIndex;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      issues.push({ line: index + 1, kind: unterminated ? 'torn' : 'invalid-json', detail: excerpt(line) });
      return;
    }
    const parsed = ConversationRecordSchema.safeParse(value);
    if (parsed.success) {
      records.push(parsed.data);
    } else {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`);
      issues.push({ line: index + 1, kind: 'invalid-record', detail: detail.join('; ') });
    }
  });
  return { records, issues };
}

function excerpt(line: string): string {
  return line.length <= excerptChars ? line : `${line.slice(0, excerptChars)}… (${line.length} characters)`;
}
