/**
 * Memory estimates against what loading really costs. Each case (model × context) is measured in a fresh child
 * process: RSS after the engine starts, then after load + context + a prompt filling one batch (up to 600 tokens,
 * what a chat turn with history evaluates) + 16 generated tokens. Printed beside Mai's two estimates (through the
 * engine, and from GGUF metadata) and the simple predictor (file size + f16 KV cache).
 *
 * RSS in a Node process moves by several MiB with V8's heap, so each case is measured three times (`--repeat N`)
 * and the median is printed.
 *
 *   node --import tsx bench/estimate.ts [--no-synthetic] [--repeat N]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama } from 'node-llama-cpp';
import { EmbeddedBackend } from '../src/brain/backends/embedded/EmbeddedBackend';
import { estimateFromProfile, estimateWithEngine, simplePredictorBytes } from '../src/brain/backends/estimate';
import { readGgufInsight } from '../src/brain/backends/gguf/readGgufInsight';
import { readLlamaTokenizer, writeSyntheticLlama } from '../test/gguf/syntheticLlama';
import { fixtureModelPath } from '../test/fixtures';

const contexts = [512, 2048, 8192];
const mib = 2 ** 20;

function residentBytes(): number {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kib = /VmRSS:\s+(\d+)/.exec(status)?.[1];
  return kib ? Number(kib) * 1024 : process.memoryUsage().rss;
}

/** Child: one load in a clean process; prints the RSS delta as JSON. */
async function measure(file: string, contextLength: number) {
  const backend = new EmbeddedBackend({ modelsDirs: [path.dirname(file)], gpu: false, threads: 1 });
  await backend.getLlama();
  await backend.listModels();
  const before = residentBytes();
  const loaded = await backend.load(path.basename(file, '.gguf'), { contextLength, gpuOffload: 'off' });
  const text = 'The little cat looked at the big dog and they played in the warm sun all day long. '.repeat(80);
  const prompt = backend.tokenize(loaded.identifier, text).slice(0, Math.min(600, contextLength - 40));
  await backend.complete(loaded.identifier, prompt, { maxTokens: 16, seed: 1 });
  const after = residentBytes();
  process.stdout.write(JSON.stringify({ deltaBytes: after - before, promptTokens: prompt.length }) + '\n');
  await backend.close();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function measureInChild(file: string, contextLength: number): number {
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--measure', file, String(contextLength)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 600_000 },
  );
  const line = output.trim().split('\n').at(-1) ?? '{}';
  return (JSON.parse(line) as { deltaBytes: number }).deltaBytes;
}

/** Random-weight llama GGUFs of realistic proportions (32,000-token vocabulary), written once per machine. */
async function syntheticModels(): Promise<string[]> {
  const dir = path.join(tmpdir(), 'mai-bench-estimate');
  mkdirSync(dir, { recursive: true });
  const shapes = [
    { name: 'synthetic-56M', layers: 8, embedding: 512, feedForward: 1376, heads: 8, kvHeads: 4 },
    { name: 'synthetic-245M', layers: 16, embedding: 1024, feedForward: 2816, heads: 16, kvHeads: 4 },
  ];
  const tokenizer = await readLlamaTokenizer(fixtureModelPath('llamaTinyRandom'));
  return shapes.map(({ name, ...shape }) => {
    const file = path.join(dir, `${name}.gguf`);
    if (!existsSync(file)) writeSyntheticLlama(file, { ...shape, contextLength: 8192, seed: 1234 }, tokenizer);
    return file;
  });
}

const fmt = (bytes: number) => (bytes / mib).toFixed(1).padStart(8);
const pct = (estimate: number, measured: number) =>
  `${(((estimate - measured) / measured) * 100).toFixed(0)}%`.padStart(6);

async function main() {
  const repeatIndex = process.argv.indexOf('--repeat');
  const repeats = repeatIndex > 0 ? Math.max(1, Number(process.argv[repeatIndex + 1])) : 3;
  const files = [fixtureModelPath('stories260K'), fixtureModelPath('llamaTinyRandom')];
  if (!process.argv.includes('--no-synthetic')) files.push(...(await syntheticModels()));
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
  const worst = { engine: 0, formula: 0, simple: 0 };
  const worstMib = { engine: 0, formula: 0, simple: 0 };
  console.log('model                     ctx   measured MiB | engine MiB   err | formula MiB  err | simple MiB   err');
  for (const file of files) {
    const insight = await readGgufInsight(file);
    if (!insight.usable) throw new Error(`${file}: ${insight.reason}`);
    for (const contextLength of contexts) {
      const request = { contextLength, gpuLayers: 0 };
      const measured = median(Array.from({ length: repeats }, () => measureInChild(file, contextLength)));
      const estimates = {
        engine: (await estimateWithEngine(file, request, llama)).ramBytes,
        formula: estimateFromProfile(insight.profile, insight.fileSizeBytes, request, insight.details).ramBytes,
        simple: simplePredictorBytes(insight.fileSizeBytes, insight.profile, contextLength),
      };
      for (const key of ['engine', 'formula', 'simple'] as const) {
        worst[key] = Math.max(worst[key], Math.abs(estimates[key] - measured) / measured);
        worstMib[key] = Math.max(worstMib[key], Math.abs(estimates[key] - measured) / mib);
      }
      console.log(
        `${path.basename(file, '.gguf').padEnd(24)} ${String(contextLength).padStart(5)} ${fmt(measured)}      |` +
          ` ${fmt(estimates.engine)} ${pct(estimates.engine, measured)} | ${fmt(estimates.formula)} ` +
          `${pct(estimates.formula, measured)} | ${fmt(estimates.simple)} ${pct(estimates.simple, measured)}`,
      );
    }
  }
  const summary = (key: keyof typeof worst) =>
    `${key} ${(worst[key] * 100).toFixed(0)}% / ${worstMib[key].toFixed(1)} MiB`;
  console.log(`max |error| (relative / absolute): ${summary('engine')}; ${summary('formula')}; ${summary('simple')}`);
  await llama.dispose();
}

if (process.argv[2] === '--measure') await measure(process.argv[3] ?? '', Number(process.argv[4]));
else await main();
