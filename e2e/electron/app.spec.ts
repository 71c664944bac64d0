import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/electronBinary';
import type { MaiTestHooks } from '../../src/main/testHooks';
import type { TrayMenuItem } from '../../src/main/trayMenu';

const binary = findElectronBinary();
const repoRoot = path.resolve(import.meta.dirname, '../..');
const modelsDir = path.resolve(repoRoot, '../shared/models');

type Invoke = { mai: { invoke(n: string, p: unknown): Promise<unknown> } };

async function launch(): Promise<{ app: ElectronApplication; cleanup(): Promise<void> }> {
  if (!binary.found) throw new Error(binary.reason);
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-electron-e2e-'));
  const app = await electron.launch({
    executablePath: binary.path,
    args: [repoRoot],
    cwd: repoRoot,
    env: { ...process.env, MAI_HOME: home, MAI_MODELS_DIR: modelsDir, MAI_E2E: '1' },
  });
  return {
    app,
    async cleanup() {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The tray's items as main built them (see src/main/testHooks.ts). */
function trayMenu(app: ElectronApplication): Promise<TrayMenuItem[]> {
  return app.evaluate(() => (globalThis as unknown as { maiTestHooks: MaiTestHooks }).maiTestHooks.trayMenu());
}

function modelsRadios(menu: TrayMenuItem[]): { label: string; checked: boolean }[] {
  const models = menu.find((item) => item.type === 'submenu' && item.label === 'Models');
  if (models?.type !== 'submenu') return [];
  return models.submenu.flatMap((i) => (i.type === 'radio' ? [{ label: i.label, checked: i.checked }] : []));
}

test.describe('Electron app', () => {
  test.skip(!binary.found, binary.found ? '' : `Electron E2E skipped: ${binary.reason}`);

  test('opens its window with live figures over IPC, locked down', async () => {
    const { app, cleanup } = await launch();
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await window.getByTestId('tab-dashboard').click();
      await expect(window.getByTestId('memory-total')).toHaveAttribute('data-bytes', /^\d+$/);
      // The page must not see Node or Electron: only window.mai with invoke and on.
      const exposed = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        mai: Object.keys((window as unknown as { mai: object }).mai).sort(),
      }));
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', mai: ['invoke', 'on'] });
      const status = await window.evaluate(() => (window as unknown as Invoke).mai.invoke('status.get', {}));
      expect(status).toMatchObject({ ok: true, value: { app: { name: 'Mai' } } });
      const rejected = await window.evaluate(() =>
        (window as unknown as Invoke).mai.invoke('status.get', { unexpected: 1 }),
      );
      expect(rejected).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      await cleanup();
    }
  });

  test('builds the tray menu, and a switch through IPC shows in it and in the window', async () => {
    const { app, cleanup } = await launch();
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await expect.poll(async () => modelsRadios(await trayMenu(app)).length).toBeGreaterThan(2);
      const menu = await trayMenu(app);
      const labels = menu.flatMap((item) => (item.type === 'separator' ? [] : [item.label]));
      expect(labels[0]).toMatch(/^Mai — .+ \(auto\)$|^Mai — no model \(auto\)$/);
      expect(labels[1]).toMatch(/^CPU \d+% · RAM [\d.]+\/[\d.]+ GB/);
      expect(labels.slice(2)).toEqual(['Models', 'Pause automatic switching', 'Open chat', 'Dashboard', 'Quit Mai']);
      expect(modelsRadios(menu)[0]).toEqual({ label: 'Automatic', checked: true });

      const switched = await window.evaluate(() =>
        (window as unknown as Invoke).mai.invoke('models.switch', { key: 'stories260K' }),
      );
      expect(switched).toMatchObject({ ok: true, value: { mode: 'pinned' } });
      await expect
        .poll(async () => modelsRadios(await trayMenu(app)).find((r) => r.checked)?.label)
        .toBe('✓ stories260K');
      await window.getByTestId('tab-dashboard').click();
      await expect(window.getByTestId('model-mode')).toHaveText('pinned');

      // The tray's own item goes back to automatic choice.
      await app.evaluate(() =>
        (globalThis as unknown as { maiTestHooks: MaiTestHooks }).maiTestHooks.clickTray({
          kind: 'switch',
          key: 'auto',
        }),
      );
      await expect(window.getByTestId('model-mode')).toHaveText('automatic');
    } finally {
      await cleanup();
    }
  });
});
