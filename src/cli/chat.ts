import { parseArgs } from 'node:util';
import { createBrain } from '../brain';
import { CliError, exitCodes } from './exitCodes';

const usage = `Usage: mai chat -m "text" [--json] [--model <key>]

Answers one message with the best model for this machine and exits.
  -m, --message   the message
  --json          print { text, model, stats, switches } instead of streaming the answer
  --model         answer with this model (pinned) instead of choosing automatically
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
  if (values.message === undefined) {
    throw new CliError(
      'the interactive chat is not available yet; answer one message with: mai chat -m "text"',
      exitCodes.notYetAvailable,
    );
  }
  if (values.message.trim() === '') throw new CliError('the message is empty (-m "text")', exitCodes.usage);

  const brain = createBrain();
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    await brain.start();
    if (values.model) {
      const pinned = await brain.invoke({ name: 'models.switch', payload: { key: values.model } });
      if (!pinned.ok) throw new CliError(pinned.error.message);
    }
    const streaming = !values.json;
    const result = await brain.chat(values.message, {
      signal: abort.signal,
      ...(streaming ? { onFragment: (text: string) => process.stdout.write(text) } : {}),
      ...(streaming ? { onRestart: (reason: string) => process.stdout.write(`\n[switching model: ${reason}]\n`) } : {}),
    });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    } else {
      const speed =
        result.stats.tokensPerSecond === null ? '' : `, ${result.stats.tokensPerSecond.toFixed(0)} tokens/s`;
      process.stdout.write(`\n— ${result.model.key} (${result.model.backend}${speed})\n`);
    }
    return exitCodes.ok;
  } catch (error) {
    if (abort.signal.aborted) {
      process.stderr.write('\nmai: cancelled\n');
      return exitCodes.failure;
    }
    throw error instanceof CliError ? error : new CliError(error instanceof Error ? error.message : String(error));
  } finally {
    process.removeListener('SIGINT', onSigint);
    await brain.shutdown();
  }
}
