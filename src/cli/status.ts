import { parseArgs } from 'node:util';
import type { Status } from '../shared/contract';
import { maiHomeDir } from './appPaths';
import { exitCodes } from './exitCodes';
import { ask, connectMai, type MaiClient } from './maiClient';
import { statusJson, statusTable } from './statusReport';

/**
 * CPU % is a difference between two readings: 260 ms apart, just past the 250 ms the host sampler needs for a CPU
 * figure (hostSampler.ts: 25 jiffies a core), with room for a timer firing a little early.
 */
const cpuWindowMs = 260;

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
  const status = () => ask(mai, { name: 'status.get', payload: {} });
  // A running Mai has sampled all along; a brain of our own needs a second reading for its CPU figure. Meanwhile
  // it asks its engines how they are (the slow part of a status), so the answer after the wait is quick.
  if (mai.attachedPid === null) await Promise.all([secondSample(mai), status()]);
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
