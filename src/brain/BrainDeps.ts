/**
 * What `createBrain` takes and what it hands hosts. Every part of the brain can be injected (tests script the
 * machine, the engines and the clock); each left out gets the real machine's default.
 */
import type { EventName, Invoke } from '../shared/contract';
import type { ChatOptions } from './answer/AnswerPipeline';
import type { ChatAnswer } from './answer/ChatService';
import type { ModelBackend } from './backends/ModelBackend';
import type { EventListener } from './brainEvents';
import type { Clock } from './clock';
import type { LoadedConfig } from './config';
import type { PullDeps } from './downloads/pullModel';
import type { Logger } from './logger';
import type { CpuBaseline } from './resources/cpuBaseline';
import type { ProcessTable } from './resources/processTable';
import type { GpuSampler, HostSampler, PowerSampler } from './resources/sampler';
import type { HardwareInventory } from './tiers';

/** The environment variables the brain reads (MAI_HOME, MAI_MODELS_DIR, MAI_LMSTUDIO_URL, MAI_HF_ENDPOINT, …). */
export type BrainEnv = Readonly<Record<string, string | undefined>>;

export interface BrainDeps {
  /** Where settings come from; the process's environment by default. Tests pass their own. */
  env?: BrainEnv;
  clock?: Clock;
  logger?: Logger;
  /** Live CPU/RAM source; /proc on Linux, os.* elsewhere by default. */
  hostSampler?: HostSampler;
  /** Where the default host sampler's first CPU window starts (a command's own start); when it is made otherwise. */
  cpuBaseline?: CpuBaseline;
  /** Where pressure is traced to programs (/proc); with a scripted hostSampler only when given (no real causes). */
  processTable?: ProcessTable;
  /** Live GPU source; NVML, nvidia-smi or AMD sysfs by default, whichever this machine has (none: `gpus: []`). */
  gpuSampler?: GpuSampler;
  /** Battery or mains: sysfs, pmset or systeminformation by default (resources/power/). */
  powerSampler?: PowerSampler;
  sampleIntervalMs?: number;
  version?: string;
  /** Mai's data folder; `$MAI_HOME`, else the platform's per-user config folder for "Mai". */
  maiHome?: string;
  /** The shipped defaults (`config/`); found beside the code by default. */
  configDefaultsDir?: string;
  /** Already-loaded configuration (tests); replaces reading the YAML files. */
  config?: LoadedConfig;
  /** The static hardware inventory (tests); read once through systeminformation by default. */
  hardware?: () => Promise<HardwareInventory>;
  /** The engines; LM Studio and the embedded llama.cpp engine by default. */
  backends?: ModelBackend[];
  /** Downloads: the Hugging Face endpoint (`MAI_HF_ENDPOINT`/`HF_ENDPOINT`), disk and transfer settings (tests). */
  pulls?: Partial<Omit<PullDeps, 'modelsDir'>>;
}

export interface Brain {
  /** Starts sampling; resolves once the first sample exists, so status.get always has figures. */
  start(): Promise<void>;
  /** Answers one request, typed by the contract; errors come back as values. */
  invoke: Invoke;
  /** Answers one message in the current conversation (hosts stream it; the CLI prints it). */
  chat(text: string, options?: ChatOptions): Promise<ChatAnswer>;
  /** Calls the listener with the latest payload at once (the snapshot), then with every update. */
  subscribe<E extends EventName>(name: E, listener: EventListener<E>): () => void;
  shutdown(): Promise<void>;
}
