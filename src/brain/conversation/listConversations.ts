import { readdir } from 'node:fs/promises';
import type { Logger } from '../logger';
import { isConversationId } from './ids';
import { errorCode } from './readConversation';
import { newestFirst, type ConversationSummary } from './summarize';

const extension = '.jsonl';

/**
 * Every conversation in `dir`, newest activity first. Files that are not conversations (other names, a stray
 * "../x.jsonl" could never be one) are ignored; one that cannot be read is left out and logged, not fatal.
 */
export async function listConversations<T extends ConversationSummary>(
  dir: string,
  summaryOf: (id: string) => Promise<T>,
  logger: Logger,
): Promise<T[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw error;
  }
  const ids = names.filter((name) => name.endsWith(extension)).map((name) => name.slice(0, -extension.length));
  const summaries = await Promise.all(
    ids.filter(isConversationId).map(async (id) => {
      try {
        return await summaryOf(id);
      } catch (error) {
        // Deleted between readdir and read, or unreadable: the list shows the others rather than failing.
        logger.warn('conversation left out of the list', { id, error: String(error) });
        return null;
      }
    }),
  );
  return summaries.filter((summary) => summary !== null).sort(newestFirst);
}
