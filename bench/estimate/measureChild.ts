/**
 * One measured load, run as its own process by bench/estimate.ts so one case's memory never pollutes the next:
 * the engine starts, then the model loads and its context is created exactly as Mai's embedded engine does it
 * (CPU, one sequence, explicit threads), then a prompt of one full batch is evaluated and one token generated, so
 * the compute buffers and every weight the model reads in use are touched. Prints one JSON line.
 *
 *   node --import tsx bench/estimate/measureChild.ts <file> <contextTokens> <mmap on|off> <promptTokens> <threads>
 */
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import {
  clearReferencedPages,
  readMappedFile,
  readMemAvailableBytes,
  readProcessMemory,
  type ProcessMemory,
} from '../../src/brain/models/processMemory';

export interface Snapshot {
  process: ProcessMemory;
  memAvailableBytes: number;
}

export interface ChildResult {
  engine: Snapshot;
  model: Snapshot;
  context: Snapshot;
  prompt: Snapshot;
  /** Pages of the model file mapped (mmap on) and those read while the prompt ran. */
  mappedFile: { residentBytes: number; referencedBytes: number };
  referencedTracked: boolean;
  promptTokens: number;
  promptMs: number;
}

function snapshot(): Snapshot {
  const process = readProcessMemory();
  const memAvailableBytes = readMemAvailableBytes();
  if (!process || memAvailableBytes === null) throw new Error('bench/estimate measures through /proc (Linux only)');
  return { process, memAvailableBytes };
}

async function main() {
  const [file = '', contextArg = '', mmapArg = '', promptArg = '', threadsArg = ''] = process.argv.slice(2);
  const contextTokens = Number(contextArg);
  const threads = Number(threadsArg);
  const llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads, logLevel: LlamaLogLevel.error });
  const engine = snapshot();
  const model = await llama.loadModel({ modelPath: file, gpuLayers: 0, useMmap: mmapArg === 'on' });
  const afterModel = snapshot();
  const context = await model.createContext({ contextSize: contextTokens, sequences: 1, threads });
  const afterContext = snapshot();
  const referencedTracked = clearReferencedPages();

  // Token ids spread over the vocabulary (not text: the synthetic models' tokenizers are made up).
  let vocabulary = 0;
  for (const token of model.iterateAllTokens()) vocabulary = Math.max(vocabulary, token + 1);
  const count = Math.max(1, Math.min(Number(promptArg), contextTokens - 8));
  const tokens = Array.from({ length: count }, (_, index) => ((index * 7919 + 13) % (vocabulary - 1)) as Token);
  const started = Date.now();
  const sequence = context.getSequence();
  // One generated token makes the engine compute logits, so the output matrix is read too.
  for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
    void token;
    break;
  }
  const promptMs = Date.now() - started;
  const afterPrompt = snapshot();
  const mapped = readMappedFile(file) ?? { residentBytes: 0, referencedBytes: 0 };
  const result: ChildResult = {
    engine,
    model: afterModel,
    context: afterContext,
    prompt: afterPrompt,
    mappedFile: mapped,
    referencedTracked,
    promptTokens: count,
    promptMs,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await context.dispose();
  await model.dispose();
  await llama.dispose();
}

if (process.argv[1] === import.meta.filename) await main();
