import { createInterface } from 'node:readline';
import { answerFooter } from './answerFooter';
import { exitCodes } from './exitCodes';
import type { MaiClient } from './maiClient';
import { runReplCommand, type ReplSession } from './replCommands';
import { onStopSignals } from './stopSignals';

/**
 * `mai chat` without -m: one message per line, answers streamed, each tagged with its model. Works the same with piped
 * stdin (each line a message; end of input leaves). Ctrl-C (SIGINT) cancels the answer being written; a Ctrl-C while
 * none is being written leaves, so two in a row always leave. The caller closes the client.
 */
export async function runRepl(mai: MaiClient): Promise<number> {
  const interactive = process.stdin.isTTY === true;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: interactive });
  const session: ReplSession = { mai, conversationId: null };
  // The first fragment names the conversation, so /history works even after an answer was cancelled.
  const stopFollowing = mai.subscribe('chat.fragment', ({ conversationId }) => {
    session.conversationId = conversationId;
  });
  let answering: AbortController | null = null;
  let leaving = false;

  const leave = () => {
    leaving = true;
    answering?.abort(new Error('leaving'));
    rl.close();
  };
  const onInterrupt = () => {
    if (answering && !answering.signal.aborted) answering.abort(new Error('cancelled with Ctrl-C'));
    else leave();
  };
  // In a terminal readline takes Ctrl-C itself (raw mode); piped, the process gets SIGINT.
  rl.on('SIGINT', onInterrupt);
  process.on('SIGINT', onInterrupt);
  const stopListening = onStopSignals(['SIGTERM'], leave);

  const prompt = () => {
    if (interactive && !leaving) rl.prompt();
  };
  rl.setPrompt('you› ');
  if (interactive) process.stdout.write('Mai is listening. /help lists the commands; /quit or Ctrl-D leaves.\n');
  prompt();

  try {
    for await (const raw of rl) {
      if (leaving) break;
      const line = raw.trim();
      if (line === '') {
        prompt();
        continue;
      }
      if (line.startsWith('/')) {
        const outcome = await runReplCommand(session, line);
        process.stdout.write(outcome.output);
        if (outcome.quit) break;
        prompt();
        continue;
      }
      answering = new AbortController();
      try {
        const result = await mai.chat(line, {
          signal: answering.signal,
          onFragment: (text) => process.stdout.write(text),
          onRestart: (reason) => process.stdout.write(`\n[switching model: ${reason}]\n`),
          // The answer goes on where it stopped: a quiet note in the text, as the chat window shows a marker.
          onHandoff: ({ from, reason }) =>
            process.stdout.write(`\n[${from.key} stopped: ${reason.replace(/\.$/, '')}; the next model continues]\n`),
        });
        session.conversationId = result.conversationId;
        // A cancelled answer ends with the part written so far; say so, and which model wrote that part.
        const cancelled = answering.signal.aborted ? '[cancelled]\n' : '';
        process.stdout.write(`\n${cancelled}${answerFooter(result)}\n`);
      } catch (error) {
        if (answering.signal.aborted) process.stdout.write('\n[cancelled]\n');
        else process.stderr.write(`\nmai: ${error instanceof Error ? error.message : String(error)}\n`);
      } finally {
        answering = null;
      }
      prompt();
    }
  } finally {
    rl.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGINT', onInterrupt);
    stopListening();
    stopFollowing();
    rl.close();
  }
  return exitCodes.ok;
}
