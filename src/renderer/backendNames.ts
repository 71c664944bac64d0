import type { BackendId } from '../shared/contract';

/** Each engine as a person knows it; a Record, so a new backend id fails to compile until it has a name here. */
const engineNames: Record<BackendId, string> = {
  lmstudio: 'LM Studio',
  embedded: 'embedded (llama.cpp)',
  ollama: 'Ollama',
  openai: 'OpenAI-compatible server',
};

export function engineName(id: BackendId): string {
  return engineNames[id];
}
