import { spawn } from 'node:child_process';

export interface Command {
  command: string;
  args: string[];
  /** Extra environment for the child, over the parent's. */
  env?: NodeJS.ProcessEnv;
}

export type CommandOutcome = { ok: true } | { ok: false; reason: string };

/** Enough of a failing command's output to find its error; installers print one stack, builders a few lines. */
const keptOutputChars = 16_000;

function seconds(ms: number): string {
  return (ms / 1000).toFixed(ms < 10_000 ? 1 : 0);
}

/**
 * Lines of a failing command's output that say what went wrong: stack frames and blank lines dropped, and where
 * the tool marks its errors (electron-builder's "⨯"), only those. Joined into one line for a paragraph.
 */
export function failureReason(output: string): string {
  const lines = output
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  // electron-builder appends the stack to its error line as fields; the message before them is the reason.
  const marked = lines
    .filter((line) => line.startsWith('⨯'))
    .map((line) => line.replace(/\s+(failedTask|stackTrace)=.*$/, ''));
  const chosen = [...new Set(marked.length > 0 ? marked : lines)].slice(-4);
  return chosen.join(' ').replace(/\s+/g, ' ');
}

/**
 * Runs a command to its end or until `timeoutMs`, whichever comes first, keeping the tail of its output for the
 * reason of a failure. `echo` forwards the output live as well (a builder's progress is worth seeing; an
 * installer's stack trace is not, it is summarised instead).
 */
export function runBounded(command: Command, options: { timeoutMs: number; echo?: boolean }): Promise<CommandOutcome> {
  return new Promise((resolve) => {
    const child = spawn(command.command, command.args, {
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer, stream: NodeJS.WriteStream) => {
      if (options.echo) stream.write(chunk);
      output = (output + chunk.toString()).slice(-keptOutputChars);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, process.stderr));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: `${command.command} could not be started (${error.message})` });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        resolve({ ok: false, reason: `it did not finish within ${seconds(options.timeoutMs)} s` });
      } else if (code === 0) {
        resolve({ ok: true });
      } else {
        const said = failureReason(output);
        const ended = signal ? `stopped by ${signal}` : `exited with ${code}`;
        resolve({ ok: false, reason: said ? `${said}; ${ended}` : ended });
      }
    });
  });
}
