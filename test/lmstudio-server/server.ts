import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Namespace } from './endpoints';
import { defaultEngine } from './defaultEngine';
import type { Engine } from './engine';
import type { ServerFaults } from './faults';
import { FcfsAuthenticator } from './fcfsAuthenticator';
import { findModel, loadInstance } from './instanceLoader';
import { InstanceRegistry, type LoadRecord } from './instances';
import { llmNamespace } from './llmNamespace';
import { scanModels } from './modelRegistry';
import { serveSession } from './session';
import { systemNamespace } from './systemNamespace';

export interface StartOptions {
  /** 0 picks a free port; a previous server's port restarts "LM Studio" where the client expects it. */
  port?: number;
  modelsDir: string;
  faults?: ServerFaults;
  /** The llama.cpp engine behind the llm endpoints; the embedded engine over node-llama-cpp by default. */
  engine?: Engine;
  version?: { version: string; build: number };
}

export interface RunningServer {
  /** `ws://127.0.0.1:PORT`: pass it as the SDK's baseUrl. */
  url: string;
  port: number;
  setFaults(faults: ServerFaults): void;
  /** Every communicationWarning seen: from the SDK (its zod errors) or sent by the server. Empty means faithful. */
  readonly warnings: readonly string[];
  /** Loaded instances, for assertions. */
  readonly instances: InstanceRegistry;
  /** WebSocket connections opened so far: shows a client connecting on its own, with nobody calling it. */
  readonly connectionsOpened: number;
  /** Every load so far (Mai's and the person's), in order: "no second instance" is counted here. */
  readonly loads: readonly LoadRecord[];
  /** A person loading a model in LM Studio's own window (no TTL): what Mai may find already loaded. */
  loadAsPerson(modelKey: string, options?: { contextLength?: number; identifier?: string }): Promise<void>;
  /** A person ejecting an instance in LM Studio's window: gone at once, whoever loaded it. */
  eject(identifier: string): Promise<void>;
  /** Drops every socket at once (LM Studio quitting), unloads the models, frees the port. */
  close(): Promise<void>;
}

/** The seven namespaces the SDK opens sockets for; only system and llm are served, the rest answer "unknown". */
const namespaceNames = ['llm', 'embedding', 'system', 'diagnostics', 'files', 'repository', 'plugins'] as const;

function greet(request: IncomingMessage, response: ServerResponse): void {
  if (request.method === 'GET' && request.url === '/lmstudio-greeting') {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lmstudio: true }));
    return;
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
}

/** An LM Studio-compatible server on 127.0.0.1, built from lmstudio-protocol.md, for the real SDK to talk to. */
export async function startLmStudioServer(options: StartOptions): Promise<RunningServer> {
  let faults: ServerFaults = options.faults ?? {};
  const warnings: string[] = [];
  const models = await scanModels(options.modelsDir);
  // An instance whose idle TTL ran out is unloaded, as LM Studio does.
  const instances = new InstanceRegistry((expired) => void expired.engineModel.unload());
  const engine = options.engine ?? defaultEngine(options.modelsDir);
  const authenticator = new FcfsAuthenticator();
  const namespaces = new Map<string, Namespace>([
    ['system', systemNamespace({ version: options.version ?? { version: '0.3.30', build: 1 }, models: () => models })],
    ['llm', llmNamespace({ models, instances, engine, faults: () => faults })],
  ]);

  const http = createServer(greet);
  const sockets = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();
  let connectionsOpened = 0;
  http.on('upgrade', (request, socket, head) => {
    // LM Studio routes by the exact pathname "/<namespace>".
    const name = new URL(request.url ?? '/', 'http://localhost').pathname.slice(1);
    if (!(namespaceNames as readonly string[]).includes(name)) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      connectionsOpened += 1;
      open.add(ws);
      ws.on('close', () => open.delete(ws));
      serveSession(ws, {
        namespaceName: name,
        namespace: namespaces.get(name) ?? new Map(),
        authenticator,
        faults: () => faults,
        onWarning: (warning) => warnings.push(warning),
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    warnings,
    instances,
    get connectionsOpened() {
      return connectionsOpened;
    },
    loads: instances.loads,
    setFaults: (next) => {
      faults = next;
    },
    loadAsPerson: async (modelKey, { contextLength, identifier } = {}) => {
      const state = { models, instances, engine };
      const model = findModel(state, modelKey);
      const loadConfig = new Map<string, unknown>(
        contextLength === undefined ? [] : [['llm.load.contextLength', contextLength]],
      );
      const name = identifier ?? instances.freeIdentifier(model.info.modelKey);
      const request = { model, identifier: name, loadConfig, ttlMs: null, by: 'person' as const };
      await loadInstance(state, request, () => {}, new AbortController().signal);
    },
    eject: async (identifier) => {
      const instance = instances.byIdentifier(identifier);
      if (!instance) throw new Error(`nothing loaded as ${identifier}`);
      instances.remove(instance);
      await instance.engineModel.unload();
    },
    close: async () => {
      for (const ws of open) ws.terminate();
      sockets.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.allSettled(instances.all().map((instance) => instance.engineModel.unload()));
      // An engine the test passed in belongs to the test.
      if (!options.engine) await engine.close();
    },
  };
}
