import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv } from '../../test/cli/cliEnv';
import { spawnCli } from '../../test/runCli';

describe('mai serve and instance.json', () => {
  // SIGHUP is what a closed terminal sends: it stops mai serve as surely as Ctrl-C does.
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('removes instance.json when stopped by %s', async (signal) => {
    const env = cliEnv('none');
    const serve = spawnCli(['serve', '--port', '0'], env);
    try {
      await serve.waitForStdout(/Mai is serving its dashboard at http:\/\/127\.0\.0\.1:\d+\/#token=/);
      const file = path.join(env.MAI_HOME, 'instance.json');
      expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ pid: serve.child.pid });
      serve.child.kill(signal);
      expect(await serve.exited).toBe(0);
      expect(existsSync(file)).toBe(false);
    } finally {
      serve.child.kill('SIGKILL');
    }
  });
});
