import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { consoleLogger, createBrain, maiVersion } from '../brain';
import { removeInstanceFile, writeInstanceFile } from '../server/instanceFile';
import { startWebBridge } from '../server/webBridge';
import { createHostSampler } from '../brain/resources/hostSampler';
import { OverlayHostSampler } from '../brain/resources/OverlayHostSampler';
import { ProcessTable } from '../brain/resources/processTable';
import { maiHomeDir, rendererDir } from './appPaths';
import { lmStudioNotice } from './chatPreflight';
import { CliError, exitCodes } from './exitCodes';
import { onStopSignals } from './stopSignals';

const serveUsage = `Usage: mai serve [--host 127.0.0.1] [--port 0]

Runs Mai headless and serves its dashboard; open the printed URL (it carries the access token).
While it runs, $MAI_HOME/instance.json (readable by you only) tells "mai switch" how to reach it.
  --host   the address to listen on; loopback by default (anything else is reachable from the network)
  --port   the port; 0 picks a free one

Examples:
  mai serve                 serve on 127.0.0.1 on a free port
  mai serve --port 8600     serve on a fixed port
`;

const loopbackHosts = new Set(['127.0.0.1', '::1', 'localhost']);

export async function runServe(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(serveUsage);
    return exitCodes.ok;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be an integer from 0 to 65535, got "${values.port}"`, exitCodes.usage);
  }
  const host = values.host === 'localhost' ? '127.0.0.1' : values.host;
  if (!loopbackHosts.has(host)) {
    process.stderr.write(
      `mai: warning: serving on ${host}, beyond this machine. Anyone who can reach it and holds the token can see this machine's state and drive Mai.\n`,
    );
  }
  const dir = rendererDir();
  if (!existsSync(path.join(dir, 'index.html'))) {
    process.stderr.write(
      `mai: warning: the UI is not built (${dir} is missing); run "npm run build". The API still works.\n`,
    );
  }

  // Listening for the stop before anything starts: a signal that came before its handler would end the process at
  // once (the default action), skipping the shutdown and leaving instance.json behind. One that comes while Mai
  // starts stops it as soon as it has started. A closed terminal sends SIGHUP, which ends a process the same way.
  let stopListening = () => {};
  const stopRequested = new Promise<void>((resolve) => {
    stopListening = onStopSignals(['SIGINT', 'SIGTERM', 'SIGHUP'], () => resolve());
  });

  // MAI_PRESSURE_FILE: memory pressure read from a JSON file ({"memoryUsedPercent": 90}) at every sample, so the
  // scaler can be watched (and tested end to end) without filling this machine's RAM.
  const pressureFile = process.env.MAI_PRESSURE_FILE;
  const brain = createBrain({
    logger: consoleLogger(),
    // With scripted pressure the real process table still names the programs that hold the machine's memory.
    ...(pressureFile
      ? { hostSampler: new OverlayHostSampler(createHostSampler(), pressureFile), processTable: new ProcessTable() }
      : {}),
  });
  await brain.start();
  const bridge = await startWebBridge({ brain, rendererDir: dir, host, port }).catch((error: unknown) => {
    void brain.shutdown();
    throw new CliError(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
  });
  const maiHome = maiHomeDir();
  writeInstanceFile(maiHome, {
    pid: process.pid,
    port: bridge.port,
    host,
    token: bridge.token,
    startedAtMs: Date.now(),
    version: maiVersion,
  });
  // A crash that skips the signal path still removes the file; a kill -9 leaves it, and readers detect it as stale.
  const removeFile = () => removeInstanceFile(maiHome);
  process.once('exit', removeFile);
  process.stdout.write(`Mai is serving its dashboard at ${bridge.url}\n`);
  // After the URL, not before: asking the engines can take an engine's whole deadline, and the page works meanwhile.
  void brain.invoke({ name: 'status.get', payload: {} }).then((status) => {
    const notice = status.ok ? lmStudioNotice(status.value, process.env.MAI_LMSTUDIO_URL) : null;
    if (notice) process.stderr.write(`mai: ${notice}\n`);
  });

  await stopRequested;
  removeFile();
  await bridge.close();
  await brain.shutdown();
  stopListening();
  return exitCodes.ok;
}
