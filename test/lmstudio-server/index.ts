/**
 * An LM Studio-compatible server for tests (not shipped): the wire protocol of lmstudio-protocol.md, served to the real
 * @lmstudio/sdk 1.5.0, backed by Mai's embedded engine on the GGUF files in ../shared/models.
 *
 *   const server = await startLmStudioServer({ port: 0, modelsDir: sharedModelsDir(), faults: {} });
 *   new LMStudioClient({ baseUrl: server.url });  // or createLmStudioBackend({ url: server.url })
 *   server.setFaults({ neverAnswer: ['predict'] }); await server.close(); // restart: start({ port: server.port })
 */
export { startLmStudioServer, type RunningServer, type StartOptions } from './server';
export type { ServerFaults } from './faults';
export type { Engine, EngineModel } from './engine';
export { defaultEngine } from './defaultEngine';
