import { parseParamsString } from '../backends/gguf/parameterCount';
import type { ModelInfo } from '../backends/ModelBackend';
import { modelCapabilities, type ModelCapability, type ModelCategory, type ModelEntry } from '../config';

const billion = 1e9;

/**
 * A model's category: the configured one where the person named the model, else from its size in parameters.
 * Below 4B runs on any machine Mai targets; up to 10B wants a mid-range machine; above that wants a GPU.
 */
export function categoryFor(model: ModelInfo, configured: ModelEntry | undefined): ModelCategory {
  if (configured) return configured.category;
  const parameters = model.gguf?.parameterCount ?? parseParamsString(model.paramsString);
  // Unknown size: judge by the file, whose bytes are about parameters × bits / 8 (~0.6 bytes each at Q4).
  const approxParameters = parameters ?? model.sizeBytes / 0.6;
  if (approxParameters < 4 * billion) return 'small';
  if (approxParameters <= 10 * billion) return 'medium';
  return 'large';
}

/** Configured capabilities where given; otherwise chat, plus what the backend knows (vision, tool use). */
export function capabilitiesFor(model: ModelInfo, configured: ModelEntry | undefined): ModelCapability[] {
  if (configured) return [...configured.capabilities];
  const capabilities: ModelCapability[] = ['chat'];
  if (model.vision) capabilities.push('vision');
  if (model.trainedForToolUse) capabilities.push('tools');
  return capabilities.filter((c) => modelCapabilities.includes(c));
}
