// Bundles the `mai` CLI (and through it the brain and the web bridge) into out/cli/index.js.
// Dependencies stay external: node-llama-cpp, koffi and systeminformation carry native parts or dynamic requires.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'out/cli/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
