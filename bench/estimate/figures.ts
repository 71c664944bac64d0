/**
 * What one measured load cost, by each way of looking at it, and the one selection is held to. Pure.
 *
 * - `memAvailableFall`: how far MemAvailable fell. With mmap the model's file pages sit in the page cache, which
 *   MemAvailable counts as available even while the model reads them, so it sees only the anonymous part; it
 *   also moves with every other program on the machine.
 * - `rss`: the process's resident pages. With mmap llama.cpp maps the whole file (MAP_POPULATE) and also copies
 *   the weights it repacks for the CPU (Q4_K as Q4_K_8x8 on AVX2) into anonymous memory, so those are counted
 *   twice; without mmap each weight is resident once.
 * - `pss`: RSS with shared pages divided among the processes that map them; the same double count here, since
 *   no other process maps the model.
 * - `workingSet`: anonymous growth + the model file's pages read while a prompt ran (kernel "referenced" bits,
 *   cleared after the load). This is what the machine must keep in RAM for the model to run without thrashing:
 *   a mapped page that is never read again (the original of a repacked weight) can be dropped for free, one that
 *   is read cannot. It is the same with mmap on and off but for what mmap never reads (most rows of an untied
 *   token embedding), and it is what an estimate is compared with; selection holds it against MemAvailable.
 */
import type { ChildResult } from './measureChild';

export interface LoadFigures {
  memAvailableFallBytes: number;
  rssBytes: number;
  pssBytes: number | null;
  anonBytes: number;
  mappedFileBytes: number;
  referencedFileBytes: number;
  workingSetBytes: number;
  /** Anonymous growth after each step: the load (weights read or repacked, vocabulary), the context (KV cache). */
  anonAfterModelBytes: number;
  anonAfterContextBytes: number;
  promptMs: number;
}

export function loadFigures(result: ChildResult): LoadFigures {
  const { engine, prompt, mappedFile } = result;
  const anonBytes = prompt.process.anonBytes - engine.process.anonBytes;
  // Without referenced bits (not Linux, or clear_refs refused) every mapped page counts: an upper bound.
  const referencedFileBytes = result.referencedTracked ? mappedFile.referencedBytes : mappedFile.residentBytes;
  const pss =
    prompt.process.pssBytes === null || engine.process.pssBytes === null
      ? null
      : prompt.process.pssBytes - engine.process.pssBytes;
  return {
    memAvailableFallBytes: engine.memAvailableBytes - prompt.memAvailableBytes,
    rssBytes: prompt.process.rssBytes - engine.process.rssBytes,
    pssBytes: pss,
    anonBytes,
    mappedFileBytes: mappedFile.residentBytes,
    referencedFileBytes,
    workingSetBytes: anonBytes + referencedFileBytes,
    anonAfterModelBytes: result.model.process.anonBytes - engine.process.anonBytes,
    anonAfterContextBytes: result.context.process.anonBytes - engine.process.anonBytes,
    promptMs: result.promptMs,
  };
}

export const figuresExplained = [
  'memAvailableFall: with mmap on it misses the mapped weights (page cache counts as available) and moves with other programs; with mmap off it is close to the working set.',
  'rss and pss: with mmap on they count the mapped file once and the weights llama.cpp repacked into anonymous memory again (double); with mmap off each weight once.',
  'workingSet = anonymous growth + mapped model pages read during a prompt: what must stay in RAM for the model to run. Selection uses it: it compares estimates with MemAvailable, and this is what a load takes out of it for good (mapped pages the model keeps reading cannot be dropped without thrashing).',
];
