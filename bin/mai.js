#!/usr/bin/env node
// The `mai` command: runs the bundled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cli = fileURLToPath(new URL('../out/cli/index.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(`mai: the CLI is not built yet (${cli} is missing). Run: npm run build\n`);
  process.exit(1);
}
await import(pathToFileURL(cli).href);
