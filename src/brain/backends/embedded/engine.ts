import type { Llama } from 'node-llama-cpp';
import { loadNodeLlamaCpp } from '../lazyModules';
import type { Logger } from '../../logger';

/**
 * llama.cpp's worker threads spin while they wait, so they must leave a core to the JavaScript thread that drives
 * generation: on a 2-core machine 2 threads wrote ~80 tokens/s where 1 thread wrote ~1,100 (stories260K). Two is the
 * ceiling the embedded engine was measured with; hosts with many cores may pass more.
 */
export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(2, cores - 1));
}

/** Starts node-llama-cpp with an explicit thread count; llama.cpp's warnings and errors go to Mai's log. */
export async function startLlama(settings: { gpu: 'auto' | false; threads: number; logger: Logger }): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await loadNodeLlamaCpp();
  return getLlama({
    gpu: settings.gpu,
    // Never compile or download llama.cpp at run time: use the prebuilt binaries that came with the package.
    build: 'never',
    maxThreads: settings.threads,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      const log = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal ? 'error' : 'warn';
      settings.logger[log]('llama.cpp', { message: message.trim() });
    },
  });
}

/** For a person: "node-llama-cpp 3.22.1, llama.cpp b1234 (prebuilt), CPU, 1 threads". */
export async function describeEngine(llama: Llama, threads: number): Promise<string> {
  const { getModuleVersion } = await loadNodeLlamaCpp();
  const device = llama.gpu === false ? 'CPU' : `GPU (${llama.gpu})`;
  return (
    `node-llama-cpp ${await getModuleVersion()}, llama.cpp ${llama.llamaCppRelease.release} ` +
    `(${llama.buildType}), ${device}, ${threads} threads`
  );
}
