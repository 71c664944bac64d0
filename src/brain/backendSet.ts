import { readFileSync } from 'node:fs';
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

/** Where a person keeps the token of an LM Studio that requires one: a file of its own, like an SSH key. */
export function lmStudioTokenFile(maiHome: string): string {
  return path.join(maiHome, 'config', 'lmstudio-api-token');
}

/**
 * The LM Studio API token from `$MAI_HOME/config/lmstudio-api-token`, else none (LM_API_TOKEN is read by the
 * backend). A file, not a YAML field, so no configuration error or status ever quotes it.
 */
export function readLmStudioToken(maiHome: string): string | undefined {
  try {
    const token = readFileSync(lmStudioTokenFile(maiHome), 'utf8').trim();
    return token === '' ? undefined : token;
  } catch {
    return undefined;
  }
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
  const homeDir = env.HOME ?? env.USERPROFILE;
  const apiToken = readLmStudioToken(options.maiHome);
  const modelsDirs = [...defaultModelsDirs(env, platform, homeDir ?? ''), path.join(options.maiHome, 'models')];
  const discoveryOff = env.MAI_LMSTUDIO_DISCOVERY === 'off';
  return [
    createLmStudioBackend({
      logger,
      env,
      ...(homeDir ? { homeDir } : {}),
      ...(apiToken ? { apiToken } : {}),
      ...(discoveryOff ? { discover: false } : {}),
    }),
    new EmbeddedBackend({ modelsDirs, logger }),
  ];
}
