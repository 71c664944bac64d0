import path from 'node:path';
import { defaultModelsDirs } from './backends/embedded/discovery';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { createLmStudioBackend } from './backends/lmstudio';
import type { ModelBackend } from './backends/ModelBackend';
import type { Logger } from './logger';

export interface DefaultBackendsOptions {
  maiHome: string;
  logger: Logger;
  /** MAI_LMSTUDIO_URL, MAI_LMSTUDIO_DISCOVERY, MAI_MODELS_DIR, HOME are read from here. */
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
}

/**
 * Mai's engines in order of preference: LM Studio while it runs (it already serves the person's models), the
 * embedded llama.cpp engine over the same GGUF files otherwise. The embedded engine also reads Mai's own
 * models folder ($MAI_HOME/models), where `mai pull` puts downloads.
 * `MAI_LMSTUDIO_DISCOVERY=off` stops Mai looking for LM Studio on the local ports (only MAI_LMSTUDIO_URL is
 * used): the test suite sets it, so an LM Studio running on a developer's machine cannot change its results.
 */
export function createDefaultBackends(options: DefaultBackendsOptions): ModelBackend[] {
  const { env, logger } = options;
  const platform = options.platform ?? process.platform;
  const modelsDirs = [
    ...defaultModelsDirs(env, platform, env.HOME ?? env.USERPROFILE ?? ''),
    path.join(options.maiHome, 'models'),
  ];
  const discoveryOff = env.MAI_LMSTUDIO_DISCOVERY === 'off';
  return [
    createLmStudioBackend({ logger, env, ...(discoveryOff ? { ports: [] } : {}) }),
    new EmbeddedBackend({ modelsDirs, logger }),
  ];
}
