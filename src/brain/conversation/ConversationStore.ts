import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { systemClock, type Clock } from '../clock';
import { silentLogger, type Logger } from '../logger';
import { AppendOnlyFiles } from './appendOnlyFiles';
import { ConversationError } from './ConversationError';
import { isConversationId, newConversationId, newMessageId } from './ids';
import { KeptConversations } from './keptConversations';
import { listConversations } from './listConversations';
import {
  errorCode,
  fromRecords,
  readConversation,
  readConversationSync,
  type LoadedConversation,
} from './readConversation';
import {
  storedRecord,
  type ContextRecord,
  type ConversationRecord,
  type MessageRecord,
  type NewContext,
  type NewMessage,
  type NewSwitch,
  type SupersedeRecord,
  type SwitchRecord,
} from './records';
import { searchConversations, type ConversationHit } from './searchConversations';
import type { ConversationSummary } from './summarize';

export type { NewContext, NewMessage, NewSwitch } from './records';

export type ConversationStoreOptions = ({ maiHome: string } | { dir: string }) & {
  clock?: Clock;
  logger?: Logger;
  /** fsync after every record, for power-loss durability (see appendOnlyFiles.ts); default false. */
  syncEachRecord?: boolean;
  /** Conversations kept open (file handle and messages in memory) at once; default 8. */
  maxOpen?: number;
};

// Eight conversations written to in one session is already a lot for a person; beyond it reopening is cheap.
const defaultMaxOpen = 8;
// A clash needs two creations in one second drawing the same 6 random characters; retrying a few times is plenty.
const createAttempts = 5;

/**
 * Mai's conversations on disk, one append-only JSONL file each (`<maiHome>/conversations/<id>.jsonl`). Writes are
 * synchronous: when an append returns, its line is in the file (appendOnlyFiles.ts says why that survives a crash).
 * The brain appends the user's message when it arrives and the answer once it is complete, so a crash mid-answer
 * loses only that answer and the conversation reopens ending with the user's message, ready to answer again.
 * Reading never throws on content: unreadable lines are skipped and reported. One Mai process writes a conversation
 * at a time (the CLI attaches to a running instance), so the messages kept in memory stay what the file holds.
 */
export class ConversationStore {
  /** The conversations folder. */
  readonly dir: string;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly files: AppendOnlyFiles;
  private readonly opened: KeptConversations;
  private closed = false;

  constructor(options: ConversationStoreOptions) {
    this.dir = 'dir' in options ? options.dir : path.join(options.maiHome, 'conversations');
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    const maxOpen = options.maxOpen ?? defaultMaxOpen;
    this.opened = new KeptConversations(maxOpen);
    this.files = new AppendOnlyFiles({
      syncEachRecord: options.syncEachRecord ?? false,
      maxOpenFiles: maxOpen,
      onTornTailClosed: (filePath) => this.logger.warn('conversation file ended mid-line; closed it', { filePath }),
    });
  }

  /** Starts a conversation on disk; returns its id. */
  create(title?: string): string {
    this.assertOpen();
    // Only the user may list the folder: the names carry the times of their chats.
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const atMs = this.clock.nowMs();
    for (let attempt = 1; ; attempt += 1) {
      const id = newConversationId(atMs);
      const created = storedRecord({ type: 'created', id, atMs, ...(title === undefined ? {} : { title }) });
      try {
        this.files.create(this.fileOf(id), JSON.stringify(created));
      } catch (error) {
        if (errorCode(error) === 'EEXIST' && attempt < createAttempts) continue;
        throw error;
      }
      const summary = { id, title: title ?? null, createdAtMs: atMs, updatedAtMs: atMs, messageCount: 0 };
      this.opened.keep({ ...summary, records: [created], messages: [], deleted: false, issues: [] });
      return id;
    }
  }

  /**
   * Every conversation not deleted, newest activity first; files in the folder that are not conversations are
   * ignored.
   */
  async list(): Promise<ConversationSummary[]> {
    return (await this.listLoaded()).map(summaryOf);
  }

  /** Conversations whose title or current messages contain `query` (any case), newest activity first. */
  async search(query: string): Promise<ConversationHit[]> {
    return searchConversations(await this.listLoaded(), query);
  }

  /** A conversation as the file holds it now, read afresh (for a UI showing history). */
  async load(id: string): Promise<LoadedConversation> {
    const loaded = await readConversation(this.checkedId(id), this.fileOf(id));
    this.reportIssues(loaded);
    return loaded;
  }

  /**
   * A conversation to work in: read once, then kept in memory and updated by this store's appends. A snapshot.
   * A deleted one is not found until it is restored.
   */
  open(id: string): LoadedConversation {
    const kept = this.working(id);
    if (kept.deleted) throw new ConversationError('not_found', `conversation "${id}" was deleted`);
    return { ...kept, records: [...kept.records], messages: [...kept.messages], issues: [...kept.issues] };
  }

  /** The messages of a conversation, oldest first (a copy: the caller may keep or change it). */
  messages(id: string): MessageRecord[] {
    return [...this.working(id).messages];
  }

  appendMessage(conversationId: string, message: NewMessage): MessageRecord {
    const atMs = this.clock.nowMs();
    const { id = newMessageId(atMs), ...rest } = message;
    return this.append(conversationId, { type: 'message', id, atMs, ...rest }) as MessageRecord;
  }

  appendContext(conversationId: string, context: NewContext): ContextRecord {
    return this.append(conversationId, { type: 'context', atMs: this.clock.nowMs(), ...context }) as ContextRecord;
  }

  appendSwitch(conversationId: string, change: NewSwitch): SwitchRecord {
    return this.append(conversationId, {
      type: 'switch',
      ...change,
      atMs: change.atMs ?? this.clock.nowMs(),
    }) as SwitchRecord;
  }

  /** Names the conversation (a title record: the latest one wins); returns its summary. */
  rename(conversationId: string, title: string): ConversationSummary {
    this.append(conversationId, { type: 'title', atMs: this.clock.nowMs(), title });
    return summaryOf(this.working(conversationId));
  }

  /** Deletes by tombstone (records.ts says why): left out of lists from now on, until `restore`. */
  delete(conversationId: string): void {
    this.append(conversationId, { type: 'deleted', atMs: this.clock.nowMs() });
  }

  /** Undoes a deletion; returns the conversation's summary, listed again. */
  restore(conversationId: string): ConversationSummary {
    this.append(conversationId, { type: 'restored', atMs: this.clock.nowMs() });
    return summaryOf(this.working(conversationId));
  }

  /** Cuts the current branch before `messageId` (records.ts, SupersedeRecordSchema); it must be in the branch. */
  supersede(conversationId: string, messageId: string, reason: SupersedeRecord['reason']): SupersedeRecord {
    if (!this.working(conversationId).messages.some((message) => message.id === messageId)) {
      throw new ConversationError('not_found', `no message "${messageId}" in conversation "${conversationId}"`);
    }
    return this.append(conversationId, {
      type: 'supersede',
      atMs: this.clock.nowMs(),
      messageId,
      reason,
    }) as SupersedeRecord;
  }

  /** Asks the disk to keep what was written (power-loss durability); a process crash needs no flush. */
  flush(): void {
    this.files.flush();
  }

  /** Flushes and closes every file; later writes are refused. Safe to call twice. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.opened.clear();
    this.files.close();
  }

  private append(conversationId: string, record: ConversationRecord): ConversationRecord {
    this.assertOpen();
    const id = this.checkedId(conversationId);
    const written = storedRecord(record);
    try {
      this.files.append(this.fileOf(id), JSON.stringify(written));
    } catch (error) {
      throw errorCode(error) === 'ENOENT' ? new ConversationError('not_found', `no conversation "${id}"`) : error;
    }
    const kept = this.opened.get(id);
    if (kept) {
      kept.records.push(written);
      Object.assign(kept, fromRecords(id, kept.records, kept.issues, kept.createdAtMs));
    }
    return written;
  }

  private async listLoaded(): Promise<LoadedConversation[]> {
    const loaded = await listConversations(this.dir, (id) => this.load(id), this.logger);
    return loaded.filter((conversation) => !conversation.deleted);
  }

  private working(id: string): LoadedConversation {
    const kept = this.opened.get(this.checkedId(id));
    if (kept) return this.opened.keep(kept);
    const loaded = readConversationSync(id, this.fileOf(id));
    this.reportIssues(loaded);
    return this.opened.keep(loaded);
  }

  private reportIssues(conversation: LoadedConversation): void {
    if (conversation.issues.length === 0) return;
    this.logger.warn('conversation file has unreadable lines; skipped them', {
      id: conversation.id,
      issues: conversation.issues,
    });
  }

  private checkedId(id: string): string {
    if (!isConversationId(id)) throw new ConversationError('bad_id', `"${String(id)}" is not a conversation id`);
    return id;
  }

  private fileOf(id: string): string {
    return path.join(this.dir, `${id}.jsonl`);
  }

  private assertOpen(): void {
    if (this.closed) throw new ConversationError('closed', 'the conversation store is closed');
  }
}

function summaryOf(conversation: LoadedConversation): ConversationSummary {
  const { id, title, createdAtMs, updatedAtMs, messageCount } = conversation;
  return { id, title, createdAtMs, updatedAtMs, messageCount };
}
