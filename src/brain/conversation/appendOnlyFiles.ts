import { closeSync, constants, fdatasyncSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Kept-open, append-only file handles: each line goes to the file in ONE write() on a descriptor opened with
 * O_APPEND, synchronously, before the call returns.
 *
 * Why this survives a crash: once write() returns, the bytes are in the kernel's page cache, which a dying
 * process (SIGKILL, an Electron crash, an uncaught exception) cannot take back; nothing sits in a JS buffer. O_APPEND
 * makes the kernel place every write at the current end of the file, so two writers (two store instances, or the
 * tray app and `mai serve`) never overwrite each other, and one write() of a line is not interleaved with another
 * on local file systems. A crash can at worst cut the one write in progress short: that torn line is the reader's
 * to skip, and the next open of the file ends it with a newline first, so it can never swallow a later record.
 *
 * fsync: off by default, because a process crash — the failure the design names — does not need it, and on a laptop
 * disk each fsync can stall the app's main thread for milliseconds to tens of milliseconds. Surviving power loss or
 * an OS crash needs it: `syncEachRecord` fsyncs (fdatasync) after every line; flush() and close() always do.
 */
export interface AppendOnlyFilesOptions {
  syncEachRecord: boolean;
  /** Handles kept open at once; the least recently written is closed beyond it (a person has few chats open). */
  maxOpenFiles: number;
  /** Told when a file's torn last line was ended with a newline before appending. */
  onTornTailClosed?: (filePath: string) => void;
}

const appendFlags = constants.O_WRONLY | constants.O_APPEND;
// Conversations are private: only the user may read them.
const privateFileMode = 0o600;
const newline = 0x0a;

export class AppendOnlyFiles {
  private readonly handles = new Map<string, number>();

  constructor(private readonly options: AppendOnlyFilesOptions) {}

  /** Creates the file with its first line; fails with EEXIST when it is already there (an id clash). */
  create(filePath: string, line: string): void {
    const fd = openSync(filePath, appendFlags | constants.O_CREAT | constants.O_EXCL, privateFileMode);
    this.keep(filePath, fd);
    this.writeLine(fd, line);
  }

  /** Appends one line to an existing file; fails with ENOENT when there is none (append never creates). */
  append(filePath: string, line: string): void {
    let fd = this.handles.get(filePath);
    if (fd === undefined) {
      fd = openSync(filePath, appendFlags);
      this.keep(filePath, fd);
      this.closeTornTail(filePath, fd);
    } else {
      // Most recently written last, so the first entry is the one to close when too many are open.
      this.handles.delete(filePath);
      this.handles.set(filePath, fd);
    }
    this.writeLine(fd, line);
  }

  /** Asks the disk to keep everything written so far (power-loss durability). */
  flush(): void {
    for (const fd of this.handles.values()) fdatasyncSync(fd);
  }

  close(): void {
    const fds = [...this.handles.values()];
    this.handles.clear();
    for (const fd of fds) {
      try {
        fdatasyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  }

  private keep(filePath: string, fd: number): void {
    this.handles.set(filePath, fd);
    while (this.handles.size > this.options.maxOpenFiles) {
      const [oldestPath, oldestFd] = this.handles.entries().next().value as [string, number];
      this.handles.delete(oldestPath);
      closeSync(oldestFd);
    }
  }

  private writeLine(fd: number, line: string): void {
    if (line.includes('\n') || !line.endsWith('}')) throw new Error('a record must be one line of JSON');
    writeWhole(fd, Buffer.from(line + '\n', 'utf8'));
    if (this.options.syncEachRecord) fdatasyncSync(fd);
  }

  /** A crash mid-write leaves a last line without its newline; end it so the next record starts on a line of its own. */
  private closeTornTail(filePath: string, fd: number): void {
    const sizeBytes = fstatSync(fd).size;
    if (sizeBytes === 0) return;
    const last = Buffer.alloc(1);
    const reader = openSync(filePath, 'r');
    try {
      readSync(reader, last, 0, 1, sizeBytes - 1);
    } finally {
      closeSync(reader);
    }
    if (last[0] === newline) return;
    writeWhole(fd, Buffer.from('\n'));
    this.options.onTornTailClosed?.(filePath);
  }
}

/** write() to a regular file writes everything except on a full disk or a fatal signal; loop for those cases. */
function writeWhole(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}
