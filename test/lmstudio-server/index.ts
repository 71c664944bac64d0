/**
 * An LM Studio-compatible server for tests (not shipped): the wire protocol of lmstudio-protocol.md, served to the real
 * @lmstudio/sdk 1.5.0, backed by Mai's embedded engine on the GGUF files in ../shared/models.
 *
 *   const server = await startLmStudioServer({ port: 0, modelsDir: sharedModelsDir(), faults: {} });
 *   new LMStudioClient({ baseUrl: server.url });  // or createLmStudioBackend({ url: server.url })
 *   server.setFaults({ neverAnswer: ['predict'] }); await server.close(); // restart: start({ port: server.port })
 *
 * What it can produce (faults.ts has each knob): a model already loaded by the person (`loadAsPerson`), an eject
 * from LM Studio's window (`eject`), idle TTLs that run out (`ttlMs` on load), a model list that never arrives
 * (`stallModelList`), a prediction that freezes (`stallPredictAfterFragments`), a thinking model's reasoning
 * fragments (`think`), a scripted answer text (`scriptAnswer`), an API token requirement (`requireApiToken`), refused
 * loads and clients, dropped sockets, malformed fragments, slow or missing replies. `loads` counts every load.
 */
export { startLmStudioServer, type RunningServer, type StartOptions } from './server';
export type { ServerFaults } from './faults';
export type { LoadRecord } from './instances';
export type { Engine, EngineModel } from './engine';
export { defaultEngine } from './defaultEngine';
