import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs before each test file: its own MAI_HOME, so no file sees another's settings, conversations or instance.json
 * (and none touches the person's own ~/.config/Mai). Tests that need a particular home still make their own.
 */
process.env.MAI_HOME = mkdtempSync(path.join(os.tmpdir(), 'mai-vitest-home-'));
