// Bundles the `mai` CLI (and through it the brain and the web bridge) into out/cli/index.js and its chunks.
// node-llama-cpp, koffi and systeminformation stay external (native parts, dynamic requires), and so does the LM
// Studio SDK (a large bundle of its own, loaded only with the engine). zod, ws and yaml are bundled in: as packages
// they cost a command ~60 ms of module resolution and CommonJS lexing before it does anything (node --cpu-prof).
// Splitting keeps each command's code (and the packages it imports) in chunks loaded only when the command runs,
// so `mai --help` or an attached `mai status` never loads the engine or the LM Studio SDK.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const outDir = 'out/cli';
const result = await build({
  entryPoints: ['src/cli/index.ts'],
  // Written in place: chunk names carry a content hash, so a rebuild (each test run makes one) never changes a chunk
  // a `mai` started a moment ago is still loading; only index.js is rewritten, with the same content unless the
  // sources changed.
  outdir: outDir,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: [
    'node-llama-cpp',
    '@lmstudio/sdk',
    'systeminformation',
    'koffi',
    // ws's optional native speed-ups: required in a try/catch, absent here.
    'bufferutil',
    'utf-8-validate',
  ],
  sourcemap: true,
  // Bundled CommonJS (ws, yaml) calls require() for Node's modules; an ES module has no require of its own.
  banner: {
    js: "import { createRequire as __maiCreateRequire } from 'node:module'; const require = __maiCreateRequire(import.meta.url);",
  },
  metafile: true,
  logLevel: 'warning',
});

// Chunks of earlier builds that this one does not use go once they are ten minutes old: no command still loading
// them lives that long after its start, and they would pile up with every build.
const current = new Set(Object.keys(result.metafile.outputs).map((file) => path.resolve(file)));
const staleAfterMs = 10 * 60_000;
const chunksDir = path.join(outDir, 'chunks');
for (const name of readdirSync(chunksDir)) {
  const file = path.resolve(chunksDir, name);
  if (!current.has(file) && Date.now() - statSync(file).mtimeMs > staleAfterMs) rmSync(file, { force: true });
}

// Which chunks each entry loads at once: `node scripts/build-cli.mjs --analyze`.
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  process.stdout.write(await analyzeMetafile(result.metafile));
}
