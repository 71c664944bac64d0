/**
 * Run as its own process by the adapter tests: Mai's LM Studio backend with nothing listening. The SDK's discovery
 * would end this process with an unhandled rejection (exit 1); the adapter must report "not running", print one JSON
 * line and let the process end by itself (nothing left holding the event loop).
 */
import { rmSync } from 'node:fs';
import { createLmStudioBackend } from '../../src/brain/backends/lmstudio';
import { homeWithoutLmStudio } from './testSupport';

const port = Number(process.argv[2]);
const unhandled: string[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(String(reason)));

const homeDir = homeWithoutLmStudio();
const backend = createLmStudioBackend({ env: {}, homeDir, ports: [port], reconnectInitialDelayMs: 20 });
const health = await backend.health();
const code = await backend.listModels().then(
  () => 'listed',
  (error: unknown) => (error as { code?: string }).code,
);
// Let the reconnect loop run a few rounds before closing: it must not crash anything either.
await new Promise((resolve) => setTimeout(resolve, 200));
await backend.close();
rmSync(homeDir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ status: health.status, code, unhandled }) + '\n');
