/**
 * An OpenAI-compatible server for tests (not shipped), as llama.cpp's llama-server, vLLM or LocalAI serve one:
 * `GET /v1/models` and `POST /v1/chat/completions` (whole, or streamed as server-sent events), OpenAI's error objects,
 * an optional API key, backed by Mai's embedded engine on the GGUF files in ../shared/models.
 *
 *   const server = await startOpenAiServer({ modelsDir: sharedModelsDir(), apiKey: 'sk-test' });
 *   createOpenAiBackend({ url: server.url, token: 'sk-test' });   // or MAI_OPENAI_URL=server.url
 */
export { startOpenAiServer, type RunningOpenAiServer, type StartOpenAiOptions } from './server';
export type { OpenAiFaults } from './faults';
