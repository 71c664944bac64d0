/**
 * An Ollama-compatible server for tests (not shipped): the HTTP API of Ollama's docs/api.md (/api/tags, /api/show,
 * /api/ps, /api/chat with NDJSON streaming, load and unload through keep_alive, /api/version), backed by Mai's
 * embedded engine on the GGUF files in ../shared/models. Two of them on two ports stand in for two hosts.
 *
 *   const server = await startOllamaServer({ modelsDir: sharedModelsDir() });
 *   createOllamaBackend({ url: server.url });   // or MAI_OLLAMA_URL=server.url
 *   server.setFaults({ dropChatAfterChunks: 2 }); await server.close(); // restart: start({ port: server.port })
 */
export { startOllamaServer, type RunningOllamaServer, type StartOllamaOptions } from './server';
export type { OllamaFaults } from './faults';
export { defaultNumCtx } from './chat';
export { defaultKeepAliveMs, keepAliveMs } from './runners';
