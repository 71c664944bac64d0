import type { LLMDynamicHandle, LLMLoadModelConfig } from '@lmstudio/sdk';
import type { Logger } from '../../logger';
import { BackendError, type LoadedModel, type LoadOptions } from '../ModelBackend';
import { withDeadline } from './deadline';

/**
 * A loaded instance in Mai's terms. The context length is read twice on purpose: `getContextLength()` silently reports
 * the schema default 2048 when LM Studio's load config lacks `llm.load.contextLength`, while the instance info always
 * carries its own `contextLength`; when they disagree the instance info wins and the mismatch is logged.
 */
export async function describeLoaded(
  handle: LLMDynamicHandle,
  identifier: string,
  timeoutMs: number,
  logger: Logger,
): Promise<LoadedModel> {
  const info = await withDeadline(handle.getModelInfo(), timeoutMs, `read the details of ${identifier}`);
  if (info === undefined) {
    throw new BackendError('not_found', `LM Studio has no model loaded as "${identifier}".`, 'lmstudio');
  }
  const configured = await withDeadline(
    handle.getContextLength(),
    timeoutMs,
    `read the context length of ${identifier}`,
  );
  if (configured !== info.contextLength) {
    logger.warn('LM Studio reports two context lengths; using the instance info', {
      identifier,
      loadConfigContextLength: configured,
      instanceContextLength: info.contextLength,
    });
  }
  return { identifier: info.identifier, key: info.modelKey, backend: 'lmstudio', contextLength: info.contextLength };
}

/**
 * Mai's load options as the SDK's load config. 'auto' leaves GPU placement to LM Studio's own defaults. A layer count
 * has no SDK 1.5.0 equivalent (it takes a ratio of the layers, which only LM Studio knows), so 0 layers means 'off'
 * and any other count lets LM Studio offload as much as it can.
 */
export function toLoadConfig(options: LoadOptions): LLMLoadModelConfig {
  const config: LLMLoadModelConfig = {};
  if (options.contextLength !== undefined) config.contextLength = options.contextLength;
  const offload = options.gpuOffload;
  if (offload === 'off' || (typeof offload === 'object' && offload.layers <= 0)) config.gpu = { ratio: 'off' };
  else if (typeof offload === 'object') config.gpu = { ratio: 'max' };
  return config;
}
