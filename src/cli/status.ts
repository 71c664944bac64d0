import { parseArgs } from 'node:util';
import type { CpuBaseline } from '../brain/resources/cpuBaseline';
import type { Status } from '../shared/contract';
import { maiHomeDir } from './appPaths';
import { exitCodes } from './exitCodes';
import { ask, connectMai, type MaiClient } from './maiClient';
import { statusJson, statusTable } from './statusReport';
import { onStopSignals } from './stopSignals';

/**
 * CPU % is a difference between two readings: 260 ms apart, just past the 250 ms the host sampler needs for a CPU
 * figure (hostSampler.ts: 25 jiffies a core), with room for a timer firing a little early.
 */
const cpuWindowMs = 260;

/**
 * Resolves with the first sample taken at or after `atMs` (performance.now()): the one whose CPU window is long
 * enough. Listeners hear each sample as it is taken, so the time it arrives is the time it was taken.
 */
function sampleAfter(mai: MaiClient, atMs: number): Promise<void> {
  return new Promise((resolve) => {
    const unsubscribe = mai.subscribe('resources.sample', () => {
      if (performance.now() < atMs) return;
      queueMicrotask(() => unsubscribe());
      resolve();
    });
  });
}

/**
 * How often a status's own brain samples. With a baseline from the command's start, 25 ms: the first sample after
 * the window has passed then comes within 25 ms of it (a sample costs ~1 ms, and a status takes a handful). Without
 * one, the window itself.
 */
const baselineSampleIntervalMs = 25;

export async function runStatus(args: string[], cpuBaseline: CpuBaseline | null = null): Promise<number> {
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
  let brainStartMs = Number.POSITIVE_INFINITY;
  const mai = await connectMai({
    maiHome: maiHomeDir(),
    brainDeps: {
      sampleIntervalMs: values.watch ? 1000 : cpuBaseline ? baselineSampleIntervalMs : cpuWindowMs,
      ...(cpuBaseline && !values.watch ? { cpuBaseline } : {}),
    },
    beforeStart: () => (brainStartMs = performance.now()),
  });
  const status = () => ask(mai, { name: 'status.get', payload: {} });
  // A running Mai has sampled all along. A brain of our own measures CPU from the command's own start (or, without
  // a baseline, from its first sample): the first sample a window after that has the figure. Meanwhile it asks its
  // engines how they are (the slow part of a status), so the answer after the wait is quick.
  if (mai.attachedPid === null) {
    const windowFrom = cpuBaseline && !values.watch ? cpuBaseline.atMs : brainStartMs;
    const firstHasCpu = brainStartMs - windowFrom >= cpuWindowMs;
    await Promise.all([firstHasCpu ? undefined : sampleAfter(mai, windowFrom + cpuWindowMs), status()]);
  }
  const print = (value: Status) =>
    values.json ? `${JSON.stringify(statusJson(value), null, values.watch ? 0 : 2)}\n` : statusTable(value);
  let stopListening = () => {};
  try {
    if (!values.watch) {
      process.stdout.write(print(await status()));
      return exitCodes.ok;
    }
    await new Promise<void>((resolve) => {
      stopListening = onStopSignals(['SIGINT', 'SIGTERM'], () => resolve());
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
    stopListening();
  }
}
