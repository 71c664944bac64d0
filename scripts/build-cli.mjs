// Bundles the `mai` CLI (and through it the brain and the web bridge) into out/cli/index.js and its chunks.
// node-llama-cpp, koffi and systeminformation stay external (native parts, dynamic requires), and so does the LM
// Studio SDK (a large bundle of its own, loaded only with the engine). zod, ws and yaml are bundled in: as packages
// they cost a command ~60 ms of module resolution and CommonJS lexing before it does anything (node --cpu-prof).
// Splitting keeps each command's code (and the packages it imports) in chunks loaded only when the command runs,
// so `mai --help` or an attached `mai status` never loads the engine or the LM Studio SDK. Chunk names carry a
// content hash, so a rebuild never changes a chunk a running `mai` still loads.
import { renameSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('out/cli.next', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli/index.ts'],
  // Built beside, then swapped in whole: stale chunks never pile up, and a rebuild (each test run makes one) never
  // leaves a half-written bundle for a `mai` starting at that moment.
  outdir: 'out/cli.next',
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

rmSync('out/cli.old', { recursive: true, force: true });
try {
  renameSync('out/cli', 'out/cli.old');
} catch {
  // no earlier build
}
renameSync('out/cli.next', 'out/cli');
rmSync('out/cli.old', { recursive: true, force: true });

// Which chunks each entry loads at once: `node scripts/build-cli.mjs --analyze`.
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  process.stdout.write(await analyzeMetafile(result.metafile));
}
