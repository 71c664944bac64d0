/**
 * What Mai costs on top of the engine while answering: tokens/s and time to first token through the brain
 * (brain.chat, pinned to stories260K on the embedded engine) against bare node-llama-cpp (LlamaChatSession) on the
 * same file, same engine instance, same context size, threads, answer limit and temperature, in the same run.
 *
 *   node --import tsx bench/overhead.ts [--runs N]      (default 20, after one warm-up round)
 *
 * Rounds alternate which side goes first, so both see the same machine. What is measured on both sides is the first
 * message of a new conversation on a freshly loaded model (empty KV cache), so both evaluate the same prompt and
 * write at the same context positions:
 * - a later turn is no good: neither side keeps the KV cache of its previous answer whole (the answer's text
 *   re-tokenizes differently from the sampled tokens at a random point), so a second turn re-evaluates anywhere from
 *   ~40 to ~440 tokens at random (measured with the sequence's token meter), 80 to 600 ms of TTFT on either side;
 * - decode speed depends on the position too (stories260K writes ~530 tokens/s after a 66-token prompt, ~270 after
 *   a 600-token one), so one long conversation would compare different positions.
 * Mai's first message loads the model, so its backend loads it just before the timer starts (`load` then hands over
 * that instance: see PreloadedEmbeddedBackend); everything else in brain.chat is Mai's real path, including the
 * catalog listing, selection, ModelManager.ensure, fitContext and the conversation store. A first message also does
 * what only first messages do (create the conversation file, record the model choice), and each round's brain is new
 * to V8, so Mai's part (brain.chat until it calls the backend's respond) is also timed on the next message of the same
 * conversation, cut short at its first fragment: Mai's steady state.
 *
 * Both sides are timed by the same code: TTFT from the call to the first text chunk, decode rate as
 * (tokens − 1) / (last chunk − first chunk), end to end from the call until the promise resolves.
 * No seed: brain.chat takes none (ChatOptions has no seed or temperature), so the text differs run to run;
 * stories260K does not stop on its own within the answer limit, so both sides write the same number of tokens
 * (printed per round).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GeneralChatWrapper, getLlama, LlamaChatSession, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import { createBrain } from '../src/brain/Brain';
import { EmbeddedBackend } from '../src/brain/backends/embedded/EmbeddedBackend';
import type {
  EmbeddedGenerateOptions,
  EmbeddedLoadOptions,
  EmbeddedResult,
} from '../src/brain/backends/embedded/types';
import type { ChatMessage, LoadedModel } from '../src/brain/backends/ModelBackend';
import { answerReserveTokens, defaultSystemPrompt } from '../src/brain/conversation/ConversationFitter';
import { fixtureModelPath } from '../test/fixtures';

const modelKey = 'stories260K';
/**
 * Mai loads stories260K with its trained window (2,048 tokens, below Mai's 4k working default); checked each round:
 * the preloaded backend refuses a load with another context.
 */
const contextSize = 2048;
/** What Mai.ts asks for: the answer reserve, at most a quarter of the window. */
const maxTokens = Math.min(answerReserveTokens, Math.floor(contextSize / 4));
/** The embedded engine's default when Mai names none (generate.ts `defaultTemperature`). */
const temperature = 0.8;
const message = 'Tell me a story about a cat.';
const laterMessage = 'What did the cat do next?';

interface Turn {
  ttftMs: number;
  tokensPerSecond: number;
  totalMs: number;
  tokens: number;
}

interface MaiTurn extends Turn {
  /** From brain.chat to Mai calling the backend's respond: the catalog, selection, ensure, fitContext, the store. */
  beforeEngineMs: number;
  /** From the backend's answer to brain.chat resolving: storing the answer. */
  afterEngineMs: number;
  /** beforeEngineMs on the next message of the same conversation: Mai's steady state (no switch, warm caches). */
  laterBeforeEngineMs: number;
  /** Mai's own figure: from the engine call inside the backend's queue to the first token (generate.ts). */
  engineTtftMs: number;
  promptTokens: number;
}

interface Round {
  maiFirst: boolean;
  mai: MaiTurn;
  bare: Turn;
}

/**
 * The real embedded backend, except that a model loaded with `preload` is handed over by the next `load` of the same
 * key and context instead of being loaded again: the load happens before the timer, the rest of the path is Mai's.
 */
class PreloadedEmbeddedBackend extends EmbeddedBackend {
  private preloaded: { model: LoadedModel; contextLength: number | undefined } | null = null;
  /** When Mai last called respond and when that answer came back (performance.now()): Mai's part vs the engine's. */
  respondCalledMs = NaN;
  respondEndedMs = NaN;

  async preload(key: string, options: EmbeddedLoadOptions): Promise<void> {
    this.preloaded = { model: await super.load(key, options), contextLength: options.contextLength };
  }

  override async load(key: string, options: EmbeddedLoadOptions = {}): Promise<LoadedModel> {
    const preloaded = this.preloaded;
    this.preloaded = null;
    if (preloaded?.model.key !== key || preloaded.contextLength !== options.contextLength) {
      throw new Error(`Mai asked for ${key} with ${options.contextLength} tokens, not the preloaded model`);
    }
    return preloaded.model;
  }

  override respond(
    identifier: string,
    messages: ChatMessage[],
    options?: EmbeddedGenerateOptions,
  ): Promise<EmbeddedResult> {
    this.respondCalledMs = performance.now();
    return super.respond(identifier, messages, options).then((result) => {
      this.respondEndedMs = performance.now();
      return result;
    });
  }
}

/** The one timer both sides use: the call, the first and last text chunk, the end. */
async function timeTurn(run: (onChunk: () => void) => Promise<number>): Promise<Turn> {
  let firstChunkMs: number | null = null;
  let lastChunkMs = 0;
  const onChunk = () => {
    const now = performance.now();
    firstChunkMs ??= now;
    lastChunkMs = now;
  };
  const startMs = performance.now();
  const tokens = await run(onChunk);
  const endMs = performance.now();
  if (firstChunkMs === null) throw new Error('no text came back');
  return {
    ttftMs: firstChunkMs - startMs,
    tokensPerSecond: (tokens - 1) / ((lastChunkMs - firstChunkMs) / 1000),
    totalMs: endMs - startMs,
    tokens,
  };
}

/** One round through Mai: a fresh brain pinned to the model, the model loaded, then the measured message. */
async function maiRound(llama: Llama, modelsDir: string): Promise<MaiTurn> {
  const maiHome = mkdtempSync(path.join(os.tmpdir(), 'mai-bench-overhead-'));
  // The engine instance is shared with the bare side (same binary, same threads); the backend is Mai's own.
  const backend = new PreloadedEmbeddedBackend({ modelsDirs: [modelsDir], threads: 1, gpu: false, llama });
  const brain = createBrain({
    maiHome,
    backends: [backend],
    // The tier only needs these; reading the real inventory spawns processes that would disturb the other side.
    hardware: async () => ({ totalMemoryBytes: os.totalmem(), cpuCores: os.cpus().length, gpus: [] }),
  });
  try {
    await brain.start();
    // Pinning lists the catalog once, which also computes (and caches) the memory estimates as any running Mai has.
    const pinned = await brain.invoke({ name: 'models.switch', payload: { key: modelKey } });
    if (!pinned.ok) throw new Error(pinned.error.message);
    // What ModelManager.ensure asks for (ModelManager.ts load): the catalog's working context, 'auto' offload.
    await backend.preload(modelKey, { contextLength: contextSize, gpuOffload: 'auto' });
    let engineTtftMs = 0;
    let promptTokens = 0;
    let chatCalledMs = NaN;
    let chatEndedMs = NaN;
    const turn = await timeTurn(async (onChunk) => {
      chatCalledMs = performance.now();
      const result = await brain.chat(message, { onFragment: onChunk });
      chatEndedMs = performance.now();
      if (result.model.key !== modelKey) throw new Error(`answered by ${result.model.key}`);
      engineTtftMs = result.stats.timeToFirstTokenMs ?? NaN;
      promptTokens = result.stats.promptTokens ?? NaN;
      return result.stats.predictedTokens;
    });
    const beforeEngineMs = backend.respondCalledMs - chatCalledMs;
    const afterEngineMs = chatEndedMs - backend.respondEndedMs;
    // A later message: only Mai's part is timed (its prompt reuses a random share of the cache), so it is cut short.
    const stop = new AbortController();
    const laterCalledMs = performance.now();
    await brain.chat(laterMessage, { signal: stop.signal, onFragment: () => stop.abort() });
    const laterBeforeEngineMs = backend.respondCalledMs - laterCalledMs;
    return { ...turn, beforeEngineMs, afterEngineMs, laterBeforeEngineMs, engineTtftMs, promptTokens };
  } finally {
    await brain.shutdown();
    rmSync(maiHome, { recursive: true, force: true });
  }
}

/** One round on bare node-llama-cpp: load, one context, a chat session, the same message. */
async function bareRound(llama: Llama, modelPath: string): Promise<Turn> {
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize, sequences: 1, threads: 1 });
  const session = new LlamaChatSession({
    contextSequence: context.getSequence(),
    systemPrompt: defaultSystemPrompt,
    // stories260K has no chat template; Mai falls back to the same wrapper (chatFormat.ts).
    chatWrapper: new GeneralChatWrapper(),
  });
  try {
    return await timeTurn(async (onChunk) => {
      let tokens = 0;
      await session.prompt(message, {
        maxTokens,
        temperature,
        onToken: (chunk) => (tokens += chunk.length),
        onTextChunk: onChunk,
      });
      return tokens;
    });
  } finally {
    session.dispose();
    await context.dispose();
    await model.dispose();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] ?? NaN;
  return ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

const cell = (value: number, digits: number, width = 12) => value.toFixed(digits).padStart(width);
const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`;

function printRounds(rounds: readonly Round[]): void {
  const header = [
    'Mai TTFT',
    'bare TTFT',
    'Mai tok/s',
    'bare tok/s',
    'Mai total',
    'bare total',
    'Mai pre',
    'later pre',
  ];
  console.log('round  first' + header.map((h) => h.padStart(11)).join('') + '   tokens Mai/bare');
  rounds.forEach(({ maiFirst, mai, bare }, index) => {
    const cells = [mai.ttftMs, bare.ttftMs, mai.tokensPerSecond, bare.tokensPerSecond, mai.totalMs, bare.totalMs];
    cells.push(mai.beforeEngineMs, mai.laterBeforeEngineMs);
    const row = String(index + 1).padEnd(7) + (maiFirst ? 'Mai' : 'bare').padEnd(5);
    console.log(row + cells.map((v) => cell(v, 2, 11)).join('') + `   ${mai.tokens}/${bare.tokens}`);
  });
  console.log(
    '(Mai pre: brain.chat → backend.respond on the measured message; later pre: the same on the next message)',
  );
}

function printSummary(rounds: readonly Round[]): void {
  const of = (side: 'mai' | 'bare', key: keyof Turn) => median(rounds.map((r) => r[side][key]));
  const maiMedian = (key: keyof MaiTurn) => median(rounds.map((r) => r.mai[key]));
  const paired = (f: (r: Round) => number) => median(rounds.map(f));
  console.log('');
  const columns = ['Mai', 'bare', 'Mai/bare', 'Mai−bare'].map((h) => h.padStart(12)).join('');
  console.log(`medians of ${rounds.length} rounds`.padEnd(28) + columns + '   paired (median over rounds)');
  const rows: [string, keyof Turn, number][] = [
    ['time to first token, ms', 'ttftMs', 2],
    ['decode, tokens/s', 'tokensPerSecond', 1],
    ['end to end, ms', 'totalMs', 1],
    ['tokens written', 'tokens', 0],
  ];
  for (const [label, key, digits] of rows) {
    const [mai, bare] = [of('mai', key), of('bare', key)];
    const pairedText =
      key === 'tokensPerSecond'
        ? `Mai/bare ${paired((r) => r.mai[key] / r.bare[key]).toFixed(3)}`
        : `Mai−bare ${signed(
            paired((r) => r.mai[key] - r.bare[key]),
            digits,
          )}`;
    const cells = cell(mai, digits) + cell(bare, digits) + cell(mai / bare, 3);
    console.log(label.padEnd(28) + cells + cell(mai - bare, digits) + `   ${pairedText}`);
  }
  console.log('');
  console.log(`prompt tokens (Mai's stats): ${maiMedian('promptTokens')}`);
  console.log("Mai's time outside the engine (medians, ms):");
  console.log(
    `  brain.chat → backend.respond, measured message (first of the conversation): ${maiMedian('beforeEngineMs').toFixed(2)}`,
  );
  console.log(
    `  brain.chat → backend.respond, the next message (steady state):             ${maiMedian('laterBeforeEngineMs').toFixed(2)}`,
  );
  console.log(
    `  backend's answer → brain.chat resolves (storing the answer):               ${maiMedian('afterEngineMs').toFixed(2)}`,
  );
  const sinceRespondMs = paired((r) => r.mai.ttftMs - r.mai.beforeEngineMs);
  console.log(
    `  engine side: respond → first fragment ${sinceRespondMs.toFixed(2)} (bare call → first chunk ` +
      `${of('bare', 'ttftMs').toFixed(2)}), of which generate()'s own TTFT stat ${maiMedian('engineTtftMs').toFixed(2)}`,
  );
  const ratio = of('mai', 'tokensPerSecond') / of('bare', 'tokensPerSecond');
  const ttftExtraMs = of('mai', 'ttftMs') - of('bare', 'ttftMs');
  console.log('');
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  console.log(`target Mai ≥ 97 % of bare tokens/s: ${verdict(ratio >= 0.97)} (${(ratio * 100).toFixed(1)} %)`);
  console.log(`target Mai TTFT ≤ bare + 5 ms: ${verdict(ttftExtraMs <= 5)} (${signed(ttftExtraMs, 2)} ms)`);
}

async function main(): Promise<void> {
  const runsIndex = process.argv.indexOf('--runs');
  const runs = runsIndex > 0 ? Number(process.argv[runsIndex + 1]) : 20;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a positive integer`);
  const modelPath = fixtureModelPath(modelKey);
  // The models README's rule for this 2-core machine: one llama.cpp thread, or generation is ~500x slower.
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1, logLevel: LlamaLogLevel.error });
  const load = () =>
    os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
  console.log(
    `Mai (brain.chat, pinned) vs bare node-llama-cpp (LlamaChatSession) on ${modelKey}: context ${contextSize}, ` +
      `${maxTokens} tokens max, temperature ${temperature}, 1 thread, CPU`,
  );
  const cpu = os.cpus()[0]?.model ?? '?';
  console.log(`machine: ${os.cpus().length} cores, ${cpu}, Node ${process.version}, load average ${load()}`);
  console.log(
    `${runs} rounds after 1 warm-up round, the side going first alternating; measured: the first message of a new ` +
      'conversation on a freshly loaded model; times in ms',
  );
  console.log('');
  const rounds: Round[] = [];
  for (let round = 0; round <= runs; round += 1) {
    const maiFirst = round % 2 === 0;
    const maiBefore = maiFirst ? await maiRound(llama, path.dirname(modelPath)) : null;
    const bare = await bareRound(llama, modelPath);
    const mai = maiBefore ?? (await maiRound(llama, path.dirname(modelPath)));
    if (round > 0) rounds.push({ maiFirst, mai, bare });
  }
  printRounds(rounds);
  printSummary(rounds);
  console.log(`load average at the end: ${load()}`);
  await llama.dispose();
}

await main();
