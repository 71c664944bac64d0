import { parseArgs } from 'node:util';
import { answerFooter } from './answerFooter';
import { maiHomeDir } from './appPaths';
import { checkReadyToChat } from './chatPreflight';
import { CliError, exitCodes } from './exitCodes';
import { showLoadProgress } from './loadProgress';
import { ask, connectMai, type MaiClient } from './maiClient';
import { runRepl } from './repl';
import { replHelp } from './replCommands';
import { readSettings } from '../brain/settings';
import { onStopSignals } from './stopSignals';

const usage = `Usage: mai chat [-m "text"] [--json] [--model <key>]

Without -m: talk with Mai in the terminal, one message per line (piped input works too: each line a message).
With -m: answer one message with the best model for this machine and exit.
  -m, --message   the message
  --json          with -m: print { text, model, stats, segments, switches } instead of streaming the answer
                  (segments: each model's part when one took over mid-answer; text is their concatenation)
  --model         answer with this model (pinned) instead of choosing automatically; a running Mai stays
                  pinned to it afterwards (mai switch auto undoes that)

With a Mai running (the tray app or mai serve), the chat goes through it: the same conversation, models and
decisions the app shows. Otherwise this command starts a Mai of its own.

In the interactive chat:
${replHelp.replace(/^/gm, '  ')}
Examples:
  mai chat                                   talk with Mai
  mai chat -m "Once upon a time"             one answer, streamed, tagged with its model
  mai chat -m "hello" --json --model stories260K
  printf '/switch stories260K\\nOnce upon a time\\n' | mai chat
`;

export async function runChat(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      message: { type: 'string', short: 'm' },
      json: { type: 'boolean' },
      model: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(usage);
    return exitCodes.ok;
  }
  if (values.message !== undefined && values.message.trim() === '') {
    throw new CliError('the message is empty (-m "text")', exitCodes.usage);
  }
  if (values.json && values.message === undefined) {
    throw new CliError('--json needs -m "text"; the interactive chat prints text', exitCodes.usage);
  }

  const maiHome = maiHomeDir();
  let stopProgress = () => {};
  const mai = await connectMai({
    maiHome,
    beforeStart: (brain) => {
      stopProgress = showLoadProgress(brain);
    },
  });
  try {
    if (mai.attachedPid !== null) stopProgress = showLoadProgress(mai);
    const pinnedKey = values.model ?? (mai.attachedPid === null ? readSettings(maiHome).settings.pinnedModel : null);
    const notify = (text: string) => process.stderr.write(`mai: ${text}\n`);
    await checkReadyToChat(mai, pinnedKey, notify, process.env.MAI_LMSTUDIO_URL);
    if (values.model) await ask(mai, { name: 'models.switch', payload: { key: values.model } });
    if (values.message === undefined) return await runRepl(mai);
    return await answerOnce(mai, values.message, values.json === true);
  } finally {
    stopProgress();
    await mai.close();
  }
}

async function answerOnce(mai: MaiClient, message: string, json: boolean): Promise<number> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  const stopListening = onStopSignals(['SIGINT'], onSigint);
  try {
    const result = await mai.chat(message, {
      signal: abort.signal,
      ...(json ? {} : { onFragment: (text: string) => process.stdout.write(text) }),
      ...(json ? {} : { onRestart: (reason: string) => process.stdout.write(`\n[switching model: ${reason}]\n`) }),
      // The answer goes on where it stopped; the note goes to stderr, so stdout stays the answer alone.
      onHandoff: ({ from, reason }) =>
        process.stderr.write(
          `\nmai: ${from.key} stopped mid-answer: ${reason.replace(/\.$/, '')}; the next model continues it\n`,
        ),
    });
    process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `\n${answerFooter(result)}\n`);
    // The brain ends a cancelled answer with the part written so far: print it, but tell scripts it is not whole.
    if (abort.signal.aborted) {
      process.stderr.write('mai: cancelled\n');
      return exitCodes.failure;
    }
    return exitCodes.ok;
  } catch (error) {
    if (abort.signal.aborted) {
      process.stderr.write('\nmai: cancelled\n');
      return exitCodes.failure;
    }
    throw error instanceof CliError ? error : new CliError(error instanceof Error ? error.message : String(error));
  } finally {
    stopListening();
  }
}
