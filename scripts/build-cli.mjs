// Bundles the `mai` CLI (and through it the brain and the web bridge) into out/cli/index.js and its chunks.
// Dependencies stay external: node-llama-cpp, koffi and systeminformation carry native parts or dynamic requires.
// Splitting keeps each command's code (and the packages it imports) in chunks loaded only when the command runs,
// so `mai --help` or an attached `mai status` never loads the engine or the LM Studio SDK. Chunk names carry a
// content hash, so a rebuild never changes a chunk a running `mai` still loads.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/index.ts'],
  outdir: 'out/cli',
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
