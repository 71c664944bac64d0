/**
 * How long Mai's pure decisions take: selectModel over generated 200-model catalogs (target p99 ≤ 1 ms, so choosing
 * never shows in a reply's latency), and beside it the scaler over a 5-minute window and complexity scoring, which
 * run on every sample and every message.
 *
 *   node --import tsx bench/decide.ts [--runs N]
 */
import os from 'node:os';
import type { ModelListing, ResourceSample } from '../src/shared/contract';
import { scoreComplexity } from '../src/brain/conversation/complexity';
import type { ModelCapability, ModelCategory } from '../src/brain/config';
import { evaluateScaling } from '../src/brain/models/scaler';
import { selectModel, type SelectionInputs } from '../src/brain/models/selectModel';
import { gpuWith, sampleWith } from '../src/brain/resources/testSamples';
import { trend } from '../src/brain/resources/trends';

const gib = 1024 ** 3;
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20_000;
const catalogSize = 200;

/** Deterministic numbers in [0, 1) (a fixed LCG), so every run of the bench measures the same work. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const categories: ModelCategory[] = ['small', 'medium', 'large'];
const extras: ModelCapability[] = ['reasoning', 'analysis', 'code', 'vision', 'tools'];

/** A catalog like a well-stocked models folder: sizes 0.3-40 GiB, a few unusable, one loaded. */
function catalog(next: () => number): ModelListing[] {
  return Array.from({ length: catalogSize }, (_, i): ModelListing => {
    const category = categories[Math.floor(next() * 3)] ?? 'small';
    const ramBytes = (0.3 + next() * (category === 'large' ? 40 : category === 'medium' ? 8 : 3)) * gib;
    const usable = next() > 0.05;
    return {
      key: `model-${i}`,
      displayName: `Model ${i}`,
      backend: next() > 0.5 ? 'lmstudio' : 'embedded',
      category,
      sizeBytes: ramBytes,
      contextWindow: next() > 0.1 ? 2 ** (11 + Math.floor(next() * 6)) : null,
      capabilities: ['chat', ...extras.filter(() => next() > 0.7)],
      estimate: usable
        ? { ramBytes, vramBytes: next() > 0.5 ? ramBytes * 0.8 : 0, contextLength: 4096, method: 'formula' }
        : null,
      fits: true,
      reason: usable ? '' : 'truncated file',
      loaded: i === 0,
      usable,
    };
  });
}

function inputsFor(next: () => number, models: ModelListing[]): SelectionInputs {
  const complexity = (['simple', 'moderate', 'complex'] as const)[Math.floor(next() * 3)] ?? 'simple';
  return {
    catalog: models,
    sample: sampleWith({
      memoryUsedPercent: 20 + next() * 70,
      totalBytes: 32 * gib,
      gpus: [gpuWith(0, next() * 8 * gib, 12 * gib)],
    }),
    tier: { name: 'high_end', preferredCategories: ['large', 'medium', 'small'] },
    request: {
      capabilities: extras.filter(() => next() > 0.85),
      tokensNeeded: Math.floor(next() * 16_000),
      complexity,
    },
    currentKey: 'model-0',
    avoid: new Map([[`model-${Math.floor(next() * catalogSize)}`, 'failed to load 10 s ago']]),
    freedByCurrent: { ramBytes: 2 * gib, vramBytes: 1 * gib },
  };
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? NaN;
}

/**
 * Rounds per figure. This bench shares small machines with other work (a test run, a build); a burst of theirs
 * lands in one round's tail. The line prints the median round's percentiles and the spread of p99 across rounds, so
 * a disturbed round shows as spread instead of moving the figure.
 */
const rounds = 5;

/** Times `work` once per prepared input after a warm-up, in rounds; prints median-round p50 / p90 / p99 in ms. */
function measure<T>(name: string, inputs: T[], work: (input: T) => unknown): void {
  for (let i = 0; i < Math.min(2000, inputs.length); i += 1) work(inputs[i] as T);
  const perRound = Math.ceil(inputs.length / rounds);
  const figures = Array.from({ length: rounds }, (_, round) => {
    const ms: number[] = [];
    for (const input of inputs.slice(round * perRound, (round + 1) * perRound)) {
      const start = process.hrtime.bigint();
      work(input);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    ms.sort((a, b) => a - b);
    return { p50: percentile(ms, 50), p90: percentile(ms, 90), p99: percentile(ms, 99), max: ms.at(-1) ?? NaN };
  });
  const median = (key: keyof (typeof figures)[number]) =>
    [...figures].sort((a, b) => a[key] - b[key])[Math.floor(rounds / 2)]?.[key] ?? NaN;
  const p99s = figures.map((f) => f.p99);
  const fmt = (value: number) => value.toFixed(3).padStart(6);
  console.log(
    `${name.padEnd(40)} ${rounds}×${String(perRound).padStart(5)} runs  p50 ${fmt(median('p50'))}  ` +
      `p90 ${fmt(median('p90'))}  p99 ${fmt(median('p99'))} (rounds ${fmt(Math.min(...p99s))}-${fmt(Math.max(...p99s)).trim()})  ` +
      `max ${fmt(Math.max(...figures.map((f) => f.max)))}  ms`,
  );
}

console.log(
  `node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), load ${os.loadavg()[0]?.toFixed(2)}`,
);

const next = random(1234);
const catalogs = Array.from({ length: 50 }, () => catalog(next));
const selections = Array.from({ length: runs }, (_, i) => inputsFor(next, catalogs[i % catalogs.length] ?? []));
let degraded = 0;
measure(`selectModel, ${catalogSize}-model catalogs`, selections, (input) => {
  if (selectModel(input).degraded) degraded += 1;
});
console.log(`  (${((degraded / selections.length) * 100).toFixed(1)} % of the measured selections degraded)`);

// The worst case for wording: a machine at 97 % with no GPU, where every model is rejected with a memory reason
// and the choice falls back to the smallest.
const starved = sampleWith({ memoryUsedPercent: 97, totalBytes: 32 * gib });
const starvedSelections = selections.slice(0, Math.min(runs, 5000)).map((input) => ({ ...input, sample: starved }));
measure(`selectModel, nothing fits (degrade path)`, starvedSelections, (input) => selectModel(input));

// The scaler as the manager runs it: a 5-minute window of 1 Hz samples (300), memory drifting, every second.
const windows = Array.from({ length: 50 }, (_, w): ResourceSample[] =>
  Array.from({ length: 300 }, (_, t) =>
    sampleWith({ atMs: t * 1000, memoryUsedPercent: 50 + 0.05 * w * t * next(), cpuPercent: 30 + 40 * next() }),
  ),
);
const scalings = Array.from({ length: Math.min(runs, 5000) }, (_, i) => windows[i % windows.length] ?? []);
measure('evaluateScaling, 300-sample window', scalings, (samples) =>
  evaluateScaling({
    nowMs: 299_000,
    samples,
    thresholds: { memoryPercent: 85, cpuPercent: 80 },
    generating: false,
    current: { key: 'model-0', category: 'medium' },
    lastSwitchAtMs: null,
  }),
);
measure('trend() alone, same windows', scalings, (samples) =>
  trend(samples, 'memory.usedPercent', 60_000, 299_000, { threshold: 85 }),
);

const message = `Why is this slow? Compare it with a plain loop, step by step.\n\`\`\`ts\n${'const x = f(y);\n'.repeat(100)}\`\`\``;
const messages = Array.from({ length: Math.min(runs, 5000) }, (_, i) => `${message} ${i}`);
measure(`scoreComplexity, ${message.length}-char message`, messages, (text) => scoreComplexity({ text, turns: 12 }));
