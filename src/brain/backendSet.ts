import { readFileSync } from 'node:fs';
import path from 'node:path';
import { defaultModelsDirs } from './backends/embedded/discovery';
import { EmbeddedBackend } from './backends/embedded/EmbeddedBackend';
import { engineOfKind, hostMembers, readTokenFile } from './backends/hosts/hostBackends';
import { createLmStudioBackend } from './backends/lmstudio';
import type { ModelBackend } from './backends/ModelBackend';
import { createOllamaBackend } from './backends/ollama/OllamaBackend';
import { createOpenAiBackend } from './backends/openai/OpenAiBackend';
import type { HostEntry } from './config';
import type { Logger } from './logger';

export interface DefaultBackendsOptions {
  maiHome: string;
  logger: Logger;
  /** MAI_LMSTUDIO_URL, MAI_LMSTUDIO_DISCOVERY, MAI_OLLAMA_URL, MAI_OPENAI_URL, MAI_MODELS_DIR, HOME are read here. */
  env: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  /** Other machines whose engines Mai uses (`$MAI_HOME/config/hosts.yaml`). */
  hosts?: readonly HostEntry[];
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

/** Where a person keeps the token of an OpenAI-compatible server set by MAI_OPENAI_URL (as LM Studio's). */
export function openAiTokenFile(maiHome: string): string {
  return path.join(maiHome, 'config', 'openai-api-token');
}

const off = (value: string | undefined) => value === 'off';
const nonEmpty = (value: string | undefined) => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * Mai's engines in order of preference: LM Studio while it runs (it already serves the person's models), the
 * embedded llama.cpp engine over the same GGUF files otherwise, then Ollama (MAI_OLLAMA_URL, else its own
 * 127.0.0.1:11434; `off` looks for none) and an OpenAI-compatible server when MAI_OPENAI_URL names one. A kind
 * that also runs on hosts of hosts.yaml becomes one group of this machine's engine and the hosts'. The embedded
 * engine also reads Mai's own models folder ($MAI_HOME/models), where `mai pull` puts downloads.
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
  const lmStudio = createLmStudioBackend({
    logger,
    env,
    ...(homeDir ? { homeDir } : {}),
    ...(apiToken ? { apiToken } : {}),
    ...(discoveryOff ? { discover: false } : {}),
  });
  const ollamaUrl = nonEmpty(env.MAI_OLLAMA_URL);
  const ollama = off(ollamaUrl) ? null : createOllamaBackend({ logger, ...(ollamaUrl ? { url: ollamaUrl } : {}) });
  const openAiUrl = nonEmpty(env.MAI_OPENAI_URL);
  const openAiToken = readTokenFile(openAiTokenFile(options.maiHome));
  const openAi =
    openAiUrl && !off(openAiUrl) ? createOpenAiBackend({ url: openAiUrl, token: openAiToken, logger }) : null;
  const hosted = hostMembers(options.hosts ?? [], logger);
  return [
    engineOfKind('lmstudio', lmStudio, hosted),
    new EmbeddedBackend({
      modelsDirs,
      logger,
      headerCacheFile: path.join(options.maiHome, 'cache', 'gguf-headers.json'),
    }),
    engineOfKind('ollama', ollama, hosted),
    engineOfKind('openai', openAi, hosted),
  ].filter((backend): backend is ModelBackend => backend !== null);
}
