/**
 * The machine's figures as pressure on Mai: what other programs put on it. Mai's own CPU (its process, the embedded
 * engine's threads, a local LM Studio answering for it) is the work it was asked for; switching models because of
 * it would make Mai slower at the very thing it is doing. Memory stays the machine's: it is one pool, a full one
 * swaps for everyone, and a smaller model is what gives it back, whoever filled it (the selection already keeps a
 * model's own memory under the margins).
 */
import type { ResourceSample } from '../../shared/contract';

/** Other programs' share of the CPU: the machine's figure less Mai's own (all of it where Mai's is not known). */
export function othersCpuPercent(sample: ResourceSample): number {
  return Math.max(0, sample.cpu.percent - (sample.cpu.maiPercent ?? 0));
}

/** The memory the scaler and the status line read: the machine's used percent. */
export function memoryPressurePercent(sample: ResourceSample): number {
  return sample.memory.usedPercent;
}
