import { parseArgs } from 'node:util';
import { createBrain, type Brain } from '../brain';
import type { Status } from '../shared/contract';
import { CliError, exitCodes } from './exitCodes';
import { statusJson, statusTable } from './statusReport';

/** CPU % is a difference between two readings; half a second apart is long enough to mean something. */
const cpuWindowMs = 500;

async function currentStatus(brain: Brain): Promise<Status> {
  const result = await brain.invoke({ name: 'status.get', payload: {} });
  if (!result.ok) throw new CliError(result.error.message);
  return result.value as Status;
}

/** Resolves once the monitor has a second sample, so the CPU figure covers a real interval. */
function secondSample(brain: Brain): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const unsubscribe = brain.subscribe('resources.sample', () => {
      if (++count === 2) {
        queueMicrotask(() => unsubscribe());
        resolve();
      }
    });
  });
}

export async function runStatus(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      watch: { type: 'boolean', short: 'w' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: mai status [--json] [--watch]\n\nThe machine, its tier and Mai’s state.\n');
    return exitCodes.ok;
  }
  const brain = createBrain({ sampleIntervalMs: values.watch ? 1000 : cpuWindowMs });
  await brain.start();
  await secondSample(brain);
  const print = (status: Status) =>
    values.json ? `${JSON.stringify(statusJson(status), null, values.watch ? 0 : 2)}\n` : statusTable(status);
  try {
    if (!values.watch) {
      process.stdout.write(print(await currentStatus(brain)));
      return exitCodes.ok;
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      brain.subscribe('resources.sample', () => {
        void currentStatus(brain).then((status) => {
          // In a terminal, redraw in place; piped, print one line (JSON) or block per sample.
          if (process.stdout.isTTY && !values.json) process.stdout.write('\x1b[H\x1b[2J');
          process.stdout.write(print(status));
        });
      });
    });
    return exitCodes.ok;
  } finally {
    await brain.shutdown();
  }
}
