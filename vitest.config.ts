import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    // Loading a real model or spawning the CLI can take a few seconds on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each test file gets its own MAI_HOME (test/vitestSetup.ts); none reads the person's own ~/.config/Mai.
    setupFiles: ['test/vitestSetup.ts'],
    globalSetup: ['test/vitestGlobalSetup.ts'],
    // An LM Studio or Ollama running on the developer's machine must not change results: only tests that start a
    // compatible server (and pass its URL) reach one.
    // Likewise the power source: a laptop on battery would bend every tier toward smaller models.
    env: { MAI_LMSTUDIO_DISCOVERY: 'off', MAI_OLLAMA_URL: 'off', MAI_POWER_SOURCE: 'ac' },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'src/{brain,shared,main,preload,server,cli}/**/*.test.ts',
            'test/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
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
