import react from '@vitejs/plugin-react';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    // Loading a real model or spawning the CLI can take a few seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests never read or write the person's own Mai folder (~/.config/Mai).
    env: { MAI_HOME: path.join(os.tmpdir(), 'mai-vitest-home') },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/{brain,shared,main,preload,server,cli}/**/*.test.ts', 'test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'happy-dom',
          include: ['src/renderer/**/*.test.{ts,tsx}'],
        },
      },
    ],
  },
});
