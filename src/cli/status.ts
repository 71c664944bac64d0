import { parseArgs } from 'node:util';
import type { Status } from '../shared/contract';
import { maiHomeDir } from './appPaths';
import { exitCodes } from './exitCodes';
import { ask, connectMai, type MaiClient } from './maiClient';
import { statusJson, statusTable } from './statusReport';

/** CPU % is a difference between two readings; half a second apart is long enough to mean something. */
const cpuWindowMs = 500;

/** Resolves once the local brain has a second sample, so the CPU figure covers a real interval. */
function secondSample(mai: MaiClient): Promise<void> {
  return new Promise((resolve) => {
    let count = 0;
    const unsubscribe = mai.subscribe('resources.sample', () => {
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
    process.stdout.write(
      'Usage: mai status [--json] [--watch]\n\nThe machine, its tier and Mai’s state (of the running Mai, when one runs).\n',
    );
    return exitCodes.ok;
  }
  const mai = await connectMai({
    maiHome: maiHomeDir(),
    brainDeps: { sampleIntervalMs: values.watch ? 1000 : cpuWindowMs },
  });
  // A running Mai has sampled all along; a brain of our own needs a second reading for its CPU figure.
  if (mai.attachedPid === null) await secondSample(mai);
  const status = () => ask(mai, { name: 'status.get', payload: {} });
  const print = (value: Status) =>
    values.json ? `${JSON.stringify(statusJson(value), null, values.watch ? 0 : 2)}\n` : statusTable(value);
  try {
    if (!values.watch) {
      process.stdout.write(print(await status()));
      return exitCodes.ok;
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      mai.subscribe('resources.sample', () => {
        void status().then((value) => {
          // In a terminal, redraw in place; piped, print one line (JSON) or block per sample.
          if (process.stdout.isTTY && !values.json) process.stdout.write('\x1b[H\x1b[2J');
          process.stdout.write(print(value));
        });
      });
    });
    return exitCodes.ok;
  } finally {
    await mai.close();
  }
}
