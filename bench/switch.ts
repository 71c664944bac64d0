/**
 * What a model switch costs Mai beyond the engine's own load and unload: ModelManager.ensure() switching between the
 * two fixture models (stories260K ⇄ llama-2-tiny-random) against the embedded backend's bare unload + load of the
 * same models with the same options, and against node-llama-cpp itself (dispose, loadModel + createContext), all in
 * the same run, interleaved (the side going first rotates each round) so all three see the same machine.
 *
 *   node --import tsx bench/switch.ts [--switches N]      (default 10, after 2 warm-up switches)
 *
 * ModelManager is built as Mai builds it (Mai.ts): the catalog entries (with their memory estimates) come from a
 * brain's models.list, and available memory is read through a running ResourceMonitor's sampleNow. Inside each
 * Mai switch the backend's unload and load are timed where they happen, which splits it into:
 *   backend: the unload and the load themselves;
 *   wait:    after the unload, until the load starts: ModelManager waits for the freed memory to show up in the
 *            machine's figures (memoryRecovery.ts: polls every 250 ms until 75 % of the estimate is back, at most
 *            5 s). Deliberate, so reported on its own;
 *   Mai:     the rest (the baseline memory reading before the unload, queueing, bookkeeping).
 * Mai's overhead is printed excluding and including the wait, from that split and from the medians of the sides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type Llama, type LlamaContext, type LlamaModel } from 'node-llama-cpp';
import type { ModelListing } from '../src/shared/contract';
import { createBrain } from '../src/brain/Brain';
import { EmbeddedBackend } from '../src/brain/backends/embedded/EmbeddedBackend';
import type { EmbeddedLoadOptions } from '../src/brain/backends/embedded/types';
import type { LoadedModel } from '../src/brain/backends/ModelBackend';
import { systemClock } from '../src/brain/clock';
import type { Logger } from '../src/brain/logger';
import { defaultWorkingContextTokens } from '../src/brain/models/catalog';
import { ModelManager } from '../src/brain/models/ModelManager';
import { createGpuSampler } from '../src/brain/resources/gpu/createGpuSampler';
import { createHostSampler } from '../src/brain/resources/hostSampler';
import { ResourceMonitor } from '../src/brain/resources/ResourceMonitor';
import { fixtureModelPath, sharedModelsDir } from '../test/fixtures';

const modelKeys = ['stories260K', 'llama-2-tiny-random'] as const;
const mib = 2 ** 20;

interface Span {
  startMs: number;
  endMs: number;
}

/** The real embedded backend, recording when each load and unload starts and ends. */
class TimedEmbeddedBackend extends EmbeddedBackend {
  lastLoad: Span | null = null;
  lastUnload: Span | null = null;

  override async load(key: string, options: EmbeddedLoadOptions = {}): Promise<LoadedModel> {
    const startMs = performance.now();
    try {
      return await super.load(key, options);
    } finally {
      this.lastLoad = { startMs, endMs: performance.now() };
    }
  }

  override async unload(identifier: string): Promise<void> {
    const startMs = performance.now();
    try {
      await super.unload(identifier);
    } finally {
      this.lastUnload = { startMs, endMs: performance.now() };
    }
  }
}

interface MaiSwitch {
  totalMs: number;
  unloadMs: number;
  loadMs: number;
  /** From the end of the unload to the start of the load: the memory-recovery wait. */
  waitMs: number;
  /** Available-memory readings during the switch (the baseline and each poll). */
  readings: number[];
  recovered: boolean;
}

interface Round {
  from: string;
  to: string;
  mai: MaiSwitch;
  /** EmbeddedBackend.unload + load, called directly. */
  backendMs: number;
  /** node-llama-cpp: context and model dispose, loadModel + createContext. */
  engineMs: number;
}

/** Catalog entries as Mai passes them to ensure(): from a brain's own listing, estimates included. */
async function catalogEntries(llama: Llama, modelsDir: string): Promise<ModelListing[]> {
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-bench-switch-'));
  const brain = createBrain({
    maiHome,
    backends: [new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false, llama })],
    hardware: async () => ({ totalMemoryBytes: os.totalmem(), cpuCores: os.cpus().length, gpus: [] }),
  });
  try {
    await brain.start();
    const listed = await brain.invoke({ name: 'models.list', payload: {} });
    if (!listed.ok) throw new Error(listed.error.message);
    const { models } = listed.value as { models: ModelListing[] };
    return modelKeys.map((key) => {
      const entry = models.find((m) => m.key === key);
      if (!entry?.usable) throw new Error(`${key} is not in Mai's catalog as a usable model`);
      return entry;
    });
  } finally {
    await brain.shutdown();
    rmSync(maiHome, { recursive: true, force: true });
  }
}

/** The context Mai loads an entry with (Mai.ts activate). */
const contextOf = (entry: ModelListing) => entry.estimate?.contextLength ?? defaultWorkingContextTokens;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

const cell = (value: number, digits = 2, width = 10) => value.toFixed(digits).padStart(width);
const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(2)}`;

async function main(): Promise<void> {
  const switchesIndex = process.argv.indexOf('--switches');
  const switches = switchesIndex > 0 ? Number(process.argv[switchesIndex + 1]) : 10;
  if (!Number.isInteger(switches) || switches < 1) throw new Error('--switches must be a positive integer');
  const warmUps = 2;
  const modelsDir = sharedModelsDir();
  const paths = modelKeys.map((key) => fixtureModelPath(key === 'stories260K' ? 'stories260K' : 'llamaTinyRandom'));
  // The models README's rule for this 2-core machine: one llama.cpp thread.
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
  const entries = await catalogEntries(llama, modelsDir);

  // Mai's side, wired as Mai.ts wires its ModelManager: a running monitor's fresh sample for available memory.
  const monitor = new ResourceMonitor({ host: createHostSampler(), gpu: createGpuSampler(), clock: systemClock });
  await monitor.start();
  const readings: number[] = [];
  let notRecovered = false;
  const logger: Logger = {
    info: () => {},
    warn: (message) => {
      if (message.startsWith('memory did not come back')) notRecovered = true;
    },
    error: () => {},
  };
  const maiBackend = new TimedEmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false, llama });
  const manager = new ModelManager({
    backends: [maiBackend],
    clock: systemClock,
    logger,
    readAvailableBytes: async () => {
      const bytes = (await monitor.sampleNow()).memory.availableBytes;
      readings.push(bytes);
      return bytes;
    },
  });
  // The bare backend gets the options ModelManager passes (ModelManager.ts load), progress callback included.
  const bareBackend = new EmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false, llama });
  const loadOptions = (entry: ModelListing): EmbeddedLoadOptions => ({
    contextLength: contextOf(entry),
    gpuOffload: 'auto',
    timeoutMs: 10 * 60_000,
    onProgress: () => {},
  });
  let bareLoaded: LoadedModel | null = null;
  let engineLoaded: { model: LlamaModel; context: LlamaContext } | null = null;

  const sides = {
    mai: async (entry: ModelListing): Promise<MaiSwitch> => {
      readings.length = 0;
      notRecovered = false;
      const startMs = performance.now();
      await manager.ensure(entry, contextOf(entry));
      const totalMs = performance.now() - startMs;
      const { lastLoad, lastUnload } = maiBackend;
      if (!lastLoad || lastLoad.startMs < startMs) throw new Error(`ensure(${entry.key}) did not load`);
      const unload = lastUnload && lastUnload.startMs >= startMs ? lastUnload : null;
      return {
        totalMs,
        loadMs: lastLoad.endMs - lastLoad.startMs,
        unloadMs: unload ? unload.endMs - unload.startMs : 0,
        waitMs: unload ? lastLoad.startMs - unload.endMs : 0,
        readings: [...readings],
        recovered: !notRecovered,
      };
    },
    backend: async (entry: ModelListing): Promise<number> => {
      const startMs = performance.now();
      if (bareLoaded) await bareBackend.unload(bareLoaded.identifier);
      bareLoaded = await bareBackend.load(entry.key, loadOptions(entry));
      return performance.now() - startMs;
    },
    engine: async (entry: ModelListing, modelPath: string): Promise<number> => {
      const startMs = performance.now();
      if (engineLoaded) {
        await engineLoaded.context.dispose();
        await engineLoaded.model.dispose();
      }
      const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
      const context = await model.createContext({ contextSize: contextOf(entry), sequences: 1, threads: 1 });
      engineLoaded = { model, context };
      return performance.now() - startMs;
    },
  };

  console.log(
    `Model switches ${modelKeys.join(' ⇄ ')}: Mai (ModelManager.ensure) vs EmbeddedBackend unload + load vs ` +
      'node-llama-cpp dispose + load, 1 thread, CPU',
  );
  const load = () =>
    os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  const cpu = os.cpus()[0]?.model ?? '?';
  console.log(`machine: ${os.cpus().length} cores, ${cpu}, Node ${process.version}, load average ${load()}`);
  for (const entry of entries) {
    const estimateMib = (entry.estimate?.ramBytes ?? 0) / mib;
    console.log(
      `  ${entry.key}: context ${contextOf(entry)}, Mai's RAM estimate ${estimateMib.toFixed(1)} MiB ` +
        `(${entry.estimate?.method ?? '?'}), recovery target after its unload ${(0.75 * estimateMib).toFixed(1)} MiB`,
    );
  }
  console.log(`${switches} switches after ${warmUps} warm-up ones (the first load of each side included); times in ms`);
  console.log('');

  const rounds: Round[] = [];
  for (let index = 0; index < switches + warmUps; index += 1) {
    const target = index % 2;
    const entry = entries[target];
    const modelPath = paths[target];
    if (!entry || !modelPath) throw new Error('fixture missing');
    const order = (['mai', 'backend', 'engine'] as const).map((_, i, all) => all[(i + index) % all.length]);
    let mai: MaiSwitch | undefined;
    let backendMs = NaN;
    let engineMs = NaN;
    for (const side of order) {
      if (side === 'mai') mai = await sides.mai(entry);
      else if (side === 'backend') backendMs = await sides.backend(entry);
      else engineMs = await sides.engine(entry, modelPath);
    }
    if (index < warmUps || !mai) continue;
    rounds.push({ from: entries[1 - target]?.key ?? '?', to: entry.key, mai, backendMs, engineMs });
  }

  const header = ['Mai total', 'unload', 'wait', 'load', 'Mai rest', 'reads', 'backend', 'engine'];
  console.log('switch to'.padEnd(22) + header.map((h) => h.padStart(10)).join('') + '   freed MiB seen / target');
  for (const { to, mai, backendMs, engineMs } of rounds) {
    const restMs = mai.totalMs - mai.unloadMs - mai.loadMs - mai.waitMs;
    const cells = [mai.totalMs, mai.unloadMs, mai.waitMs, mai.loadMs, restMs].map((v) => cell(v));
    const freedMib = ((mai.readings.at(-1) ?? NaN) - (mai.readings[0] ?? NaN)) / mib;
    const targetMib = (0.75 * (entries.find((e) => e.key !== to)?.estimate?.ramBytes ?? 0)) / mib;
    // The embedded engine frees in process, so ModelManager does not poll for it (memoryRecovery.ts): no readings.
    const recovery =
      mai.readings.length === 0
        ? 'not awaited (in-process unload)'
        : `${freedMib.toFixed(1)} / ${targetMib.toFixed(1)}${mai.recovered ? '' : ' (gave up)'}`;
    console.log(
      to.padEnd(22) +
        cells.join('') +
        String(mai.readings.length).padStart(10) +
        cell(backendMs) +
        cell(engineMs) +
        `   ${recovery}`,
    );
  }
  console.log(
    '(Mai rest: Mai total − unload − wait − load; reads: available-memory readings, the baseline included; ' +
      'backend: EmbeddedBackend unload + load; engine: node-llama-cpp)',
  );

  const of = (f: (r: Round) => number) => median(rounds.map(f));
  const maiTotal = of((r) => r.mai.totalMs);
  const maiWithoutWait = of((r) => r.mai.totalMs - r.mai.waitMs);
  const backend = of((r) => r.backendMs);
  const engine = of((r) => r.engineMs);
  const wait = of((r) => r.mai.waitMs);
  const inSwitchRest = of((r) => r.mai.totalMs - r.mai.unloadMs - r.mai.loadMs - r.mai.waitMs);
  const inSwitchWithWait = of((r) => r.mai.totalMs - r.mai.unloadMs - r.mai.loadMs);
  console.log('');
  console.log(`medians of ${rounds.length} switches, ms`);
  console.log(`  Mai switch (ensure)                          ${cell(maiTotal)}`);
  console.log(`    of which the memory-recovery wait          ${cell(wait)}`);
  console.log(`    of which Mai's own unload + load calls     ${cell(of((r) => r.mai.unloadMs + r.mai.loadMs))}`);
  console.log(`  Mai switch without the wait                  ${cell(maiWithoutWait)}`);
  console.log(`  EmbeddedBackend unload + load (bare)         ${cell(backend)}`);
  console.log(`  node-llama-cpp dispose + load                ${cell(engine)}`);
  console.log('');
  console.log("Mai's overhead beyond the backend, ms          excluding the wait   including the wait");
  console.log(
    `  within each switch (median of the splits)    ${cell(inSwitchRest, 2, 18)}${cell(inSwitchWithWait, 2, 21)}`,
  );
  console.log(
    `  Mai median − bare backend median             ${cell(maiWithoutWait - backend, 2, 18)}` +
      `${cell(maiTotal - backend, 2, 21)}`,
  );
  console.log(`  (EmbeddedBackend over node-llama-cpp itself: ${signed(backend - engine)} ms)`);
  const awaited = rounds.filter((r) => r.mai.readings.length > 0);
  const recoveredCount = awaited.filter((r) => r.mai.recovered).length;
  console.log(
    awaited.length === 0
      ? 'no switch waited for memory: the embedded engine frees in process (the wait is for LM Studio, another process)'
      : `memory came back within the wait in ${recoveredCount} of ${awaited.length} awaited switches`,
  );
  console.log('');
  const verdict = (ms: number) => `${ms <= 50 ? 'met' : 'NOT met'} (${signed(ms)} ms)`;
  console.log(`target Mai overhead ≤ 50 ms, excluding the wait: ${verdict(maiWithoutWait - backend)}`);
  console.log(`target Mai overhead ≤ 50 ms, including the wait: ${verdict(maiTotal - backend)}`);
  console.log(`load average at the end: ${load()}`);

  await manager.close();
  if (bareLoaded) await bareBackend.unload((bareLoaded as LoadedModel).identifier);
  if (engineLoaded) {
    const { model, context } = engineLoaded as { model: LlamaModel; context: LlamaContext };
    await context.dispose();
    await model.dispose();
  }
  monitor.stop();
  await llama.dispose();
}

await main();
