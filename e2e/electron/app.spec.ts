import { _electron as electron, expect, test } from '@playwright/test';
import path from 'node:path';
import { findElectronBinary } from '../../scripts/electronBinary';

const binary = findElectronBinary();
const repoRoot = path.resolve(import.meta.dirname, '../..');

test.describe('Electron app', () => {
  test.skip(!binary.found, binary.found ? '' : `Electron E2E skipped: ${binary.reason}`);

  test('opens its window with live figures over IPC, locked down', async () => {
    if (!binary.found) return;
    const app = await electron.launch({ executablePath: binary.path, args: [repoRoot], cwd: repoRoot });
    try {
      const window = await app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await expect(window.getByTestId('memory-total')).toHaveAttribute('data-bytes', /^\d+$/);
      // The page must not see Node or Electron: only window.mai with invoke and on.
      const exposed = await window.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        mai: Object.keys((window as unknown as { mai: object }).mai).sort(),
      }));
      expect(exposed).toEqual({ require: 'undefined', process: 'undefined', mai: ['invoke', 'on'] });
      const status = await window.evaluate(() =>
        (window as unknown as { mai: { invoke(n: string, p: unknown): Promise<unknown> } }).mai.invoke(
          'status.get',
          {},
        ),
      );
      expect(status).toMatchObject({ ok: true, value: { app: { name: 'Mai' } } });
      const rejected = await window.evaluate(() =>
        (window as unknown as { mai: { invoke(n: string, p: unknown): Promise<unknown> } }).mai.invoke('status.get', {
          unexpected: 1,
        }),
      );
      expect(rejected).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    } finally {
      await app.close();
    }
  });
});
