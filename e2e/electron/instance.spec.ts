import { expect, test } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { binary, launchMai, repoRoot, skipReason } from './launch';

test.describe('Electron app: one instance, clean quit', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  test('a second launch hands over: it exits and the first brings its chat forward', async () => {
    const mai = await launchMai();
    try {
      const window = await mai.app.firstWindow();
      await expect(window.getByTestId('connection')).toHaveText('connected');
      await mai.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().forEach((w) => w.hide()));
      const visible = () =>
        mai.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().filter((w) => w.isVisible()).length);
      expect(await visible()).toBe(0);

      if (!binary.found) throw new Error(binary.reason);
      const second = spawn(binary.path, [repoRoot], { cwd: repoRoot, env: mai.env, stdio: 'ignore' });
      const exitCode = await new Promise<number | null>((resolve) => second.once('exit', resolve));
      expect(exitCode).toBe(0);
      await expect.poll(visible).toBe(1);
      const count = await mai.app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      expect(count).toBe(1);
    } finally {
      await mai.close();
    }
  });

  test('quitting waits for Mai to shut down: the instance file is gone once the app has exited', async () => {
    const mai = await launchMai();
    const instanceFile = path.join(mai.home, 'instance.json');
    await mai.app.firstWindow();
    await expect.poll(() => existsSync(instanceFile)).toBe(true);
    const exited = new Promise<void>((resolve) => mai.app.process().once('exit', () => resolve()));
    // What the tray's Quit does; deferred so the evaluate returns before the app starts quitting.
    await mai.app.evaluate(({ app }) => void setTimeout(() => app.quit(), 0));
    await exited;
    expect(existsSync(instanceFile)).toBe(false);
    await mai.close();
  });
});
