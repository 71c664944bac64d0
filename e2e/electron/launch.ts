import { _electron as electron, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/electronBinary';
import type { MaiTestHooks } from '../../src/main/testHooks';
import type { TrayAction, TrayMenuItem } from '../../src/main/trayMenu';

export const binary = findElectronBinary();
export const repoRoot = path.resolve(import.meta.dirname, '../..');
export const modelsDir = path.resolve(repoRoot, '../shared/models');

/** Why the Electron specs cannot run here, or null when they can. */
export const skipReason = binary.found ? null : `Electron E2E skipped: ${binary.reason}`;
/** Why the specs that answer with a model cannot run here, or null when they can. */
export const modelsSkipReason = existsSync(path.join(modelsDir, 'stories260K.gguf'))
  ? null
  : `needs the test models in ${modelsDir} (CI fetches them: node --import tsx scripts/fetch-test-models.ts)`;

export interface LaunchedMai {
  app: ElectronApplication;
  home: string;
  /** The environment the app was started with, for a second launch of the same Mai. */
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Starts the built tray app with its own MAI_HOME (and so its own userData and single-instance lock). */
export async function launchMai(): Promise<LaunchedMai> {
  if (!binary.found) throw new Error(binary.reason);
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-electron-e2e-'));
  const env = {
    ...process.env,
    MAI_HOME: home,
    MAI_MODELS_DIR: modelsDir,
    MAI_LMSTUDIO_DISCOVERY: 'off',
    MAI_E2E: '1',
  };
  const app = await electron.launch({ executablePath: binary.path, args: [repoRoot], cwd: repoRoot, env });
  return {
    app,
    home,
    env,
    async close() {
      // A spec that quit the app itself has nothing left to close.
      if (app.process().exitCode === null) await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

type Hooks = { maiTestHooks: MaiTestHooks };

/** The tray's items as main built them (see src/main/testHooks.ts). */
export function trayMenu(app: ElectronApplication): Promise<TrayMenuItem[]> {
  return app.evaluate(() => (globalThis as unknown as Hooks).maiTestHooks.trayMenu());
}

export function clickTray(app: ElectronApplication, action: TrayAction): Promise<void> {
  return app.evaluate((_, a) => (globalThis as unknown as Hooks).maiTestHooks.clickTray(a), action);
}

export function trayPressure(app: ElectronApplication): Promise<string> {
  return app.evaluate(() => (globalThis as unknown as Hooks).maiTestHooks.trayPressure());
}

export function modelsRadios(menu: TrayMenuItem[]): { label: string; checked: boolean }[] {
  const models = menu.find((item) => item.type === 'submenu' && item.label === 'Models');
  if (models?.type !== 'submenu') return [];
  return models.submenu.flatMap((i) => (i.type === 'radio' ? [{ label: i.label, checked: i.checked }] : []));
}

export type Invoke = { mai: { invoke(n: string, p: unknown): Promise<unknown> } };
