import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sharedModelsDir } from '../fixtures';

/** A fresh MAI_HOME and HOME, so a test never sees the person's own Mai, LM Studio folders or settings. */
export function cliEnv(models: 'fixtures' | 'none' = 'fixtures'): Record<string, string> & { MAI_HOME: string } {
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-home-'));
  return { HOME: home, MAI_HOME: home, MAI_MODELS_DIR: models === 'fixtures' ? sharedModelsDir() : '' };
}
