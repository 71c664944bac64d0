import path from 'node:path';
import type { BackendStatus } from '../shared/contract';
import { defaultModelsDirs } from './backends/embedded/discovery';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from './backends/lmstudio';
import type { ModelBackend } from './backends/ModelBackend';
import type { Logger } from './logger';

/**
 * Mai's engines in order of preference: LM Studio while it runs (it already serves the person's models), the
 * embedded llama.cpp engine over the same GGUF files otherwise. The embedded engine also reads Mai's own
 * models folder ($MAI_HOME/models), where `mai pull` puts downloads.
 */
export function createDefaultBackends(maiHome: string, logger: Logger): ModelBackend[] {
  const modelsDirs = [
    ...defaultModelsDirs(process.env, process.platform, process.env.HOME ?? process.env.USERPROFILE ?? ''),
    path.join(maiHome, 'models'),
  ];
  return [createLmStudioBackend({ logger }), new EmbeddedBackend({ modelsDirs, logger })];
}

/** Each backend's health; one that fails to answer is reported as an error, never thrown. */
export async function backendStatuses(backends: readonly ModelBackend[]): Promise<BackendStatus[]> {
  return Promise.all(
    backends.map((backend) =>
      backend
        .health()
        .catch((error: unknown): BackendStatus => ({ id: backend.id, status: 'error', detail: String(error) })),
    ),
  );
}
