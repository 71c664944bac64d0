/**
 * Memory estimates against what loading really costs, from tiny fixtures to Llama 3.1 8B-shaped files, at 2048,
 * 8192 and 32768 tokens, with mmap on and off. Each case is measured in a child process of its own
 * (bench/estimate/measureChild.ts): load + context + a one-batch prompt + one generated token. The figures and
 * what mmap does to each are explained in bench/estimate/figures.ts; estimates are held to the working set.
 *
 *   node --import tsx bench/estimate.ts [--json] [--models a,b] [--contexts 2048,8192] [--mmap on|off]
 *                                        [--prompt-tokens 512] [--threads 2] [--measured-from run.jsonl]
 *
 * `--measured-from` takes the measured figures of an earlier `--json` run instead of loading again (the files are
 * still written, for the estimates): for working on the estimator without an hour of loads.
 *
 * Random-weight GGUFs of published shapes are written into a temp folder one at a time and removed after their
 * cases (a size the disk cannot hold is skipped, and said so). A case whose estimate would not leave 2 GiB of
 * MemAvailable, or that exceeds --max-ram-gib (11), is skipped too.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { modelInfoFromInsight } from '../src/brain/backends/embedded/discovery';
import { estimateFromProfile, estimateMemory, type EstimateRequest } from '../src/brain/backends/estimate';
import { readGgufInsight } from '../src/brain/backends/gguf/readGgufInsight';
import { readMemAvailableBytes } from '../src/brain/models/processMemory';
import { engineOwnEstimateBytes } from './estimate/engineOwnEstimate';
import { figuresExplained, loadFigures, type LoadFigures } from './estimate/figures';
import type { ChildResult } from './estimate/measureChild';
import { benchModels, benchModelsDir, diskProblem } from './estimate/modelFiles';
import { printCaseLine, printHeader, printSummary, withinTarget, type BenchCase } from './estimate/report';

const gib = 2 ** 30;

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

const json = process.argv.includes('--json');
const contexts = option('contexts', '2048,8192,32768').split(',').map(Number);
const mmapModes = option('mmap', 'on,off')
  .split(',')
  .map((mode) => mode === 'on');
const promptTokens = Number(option('prompt-tokens', '512'));
const threads = Number(option('threads', '2'));
const maxRamBytes = Number(option('max-ram-gib', '11')) * gib;
const only = option('models', '');
const measuredFrom = option('measured-from', '');

/** Figures of an earlier run by model, context and mmap, when --measured-from names one. */
function earlierFigures(): Map<string, LoadFigures> {
  const figures = new Map<string, LoadFigures>();
  if (measuredFrom === '') return figures;
  for (const line of readFileSync(measuredFrom, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const earlier = JSON.parse(line) as BenchCase;
    figures.set(caseKey(earlier.model, earlier.contextTokens, earlier.mmap), earlier.figures);
  }
  return figures;
}
const caseKey = (model: string, contextTokens: number, mmap: boolean) => `${model}|${contextTokens}|${mmap}`;

function measureInChild(file: string, contextTokens: number, mmap: boolean): ChildResult {
  const child = path.join(import.meta.dirname, 'estimate', 'measureChild.ts');
  const args = [file, String(contextTokens), mmap ? 'on' : 'off', String(promptTokens), String(threads)];
  const output = execFileSync(process.execPath, ['--import', 'tsx', child, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 30 * 60_000,
  });
  return JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as ChildResult;
}

function say(line: string) {
  (json ? process.stderr : process.stdout).write(`${line}\n`);
}

async function main() {
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
  const { dir, cleanup } = benchModelsDir();
  const cases: BenchCase[] = [];
  const earlier = earlierFigures();
  if (!json) printHeader();
  const models = benchModels().filter((m) => only === '' || only.split(',').some((name) => m.name.includes(name)));
  for (const model of models) {
    const problem = diskProblem(model, dir);
    if (problem) {
      say(`${model.name}: ${problem}`);
      continue;
    }
    const file = await model.open(dir);
    try {
      const insight = await readGgufInsight(file);
      if (!insight.usable) throw new Error(`${file}: ${insight.reason}`);
      const info = modelInfoFromInsight(model.name, insight, false);
      for (const contextTokens of contexts) {
        for (const mmap of mmapModes) {
          const request: EstimateRequest = { contextLength: contextTokens, gpuLayers: 0 };
          const estimate = await estimateMemory(info, request, { llama });
          const formula = estimateFromProfile(insight.profile, insight.fileSizeBytes, request, insight.details);
          const available = readMemAvailableBytes() ?? 0;
          const known = earlier.get(caseKey(model.name, contextTokens, mmap));
          if (measuredFrom !== '' && !known) continue;
          if (!known && (estimate.ramBytes > maxRamBytes || estimate.ramBytes + 2 * gib > available)) {
            say(
              `${model.name} at ${contextTokens} tokens, mmap ${mmap ? 'on' : 'off'}: skipped, it needs about ` +
                `${(estimate.ramBytes / gib).toFixed(1)} GiB and ${(available / gib).toFixed(1)} GiB is available ` +
                `(the bench keeps 2 GiB free and stays under ${maxRamBytes / gib} GiB)`,
            );
            continue;
          }
          const figures: LoadFigures = known ?? loadFigures(measureInChild(file, contextTokens, mmap));
          const measured = figures.workingSetBytes;
          const benchCase: BenchCase = {
            model: model.name,
            paramsCount: insight.profile.parameterCount ?? 0,
            fileBytes: insight.fileSizeBytes,
            contextTokens,
            mmap,
            estimateRamBytes: estimate.ramBytes,
            estimateMethod: estimate.method,
            formulaEstimateRamBytes: formula.ramBytes,
            measuredRamBytes: measured,
            engineEstimateRamBytes: await engineOwnEstimateBytes(file, request, mmap, llama),
            errorPercent: Number((((estimate.ramBytes - measured) / measured) * 100).toFixed(2)),
            figures,
          };
          cases.push(benchCase);
          if (json) process.stdout.write(`${JSON.stringify(benchCase)}\n`);
          else printCaseLine(benchCase);
        }
      }
    } finally {
      model.release(file);
    }
  }
  cleanup();
  await llama.dispose();
  if (json) {
    const large = cases.filter((c) => c.paramsCount >= 1e9);
    process.stderr.write(
      `${large.filter(withinTarget).length} of ${large.length} cases of ≥ 1B parameters within max(5 %, 128 MiB)\n` +
        `${figuresExplained.join('\n')}\n`,
    );
  } else printSummary(cases);
}

await main();
