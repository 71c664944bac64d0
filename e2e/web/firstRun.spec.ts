import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDownloadServer } from '../../test/downloadServer';
import { fixtureModelPath, fixtureModels } from '../../test/fixtures';
import { writeDownloadableFixtureConfig } from '../../test/firstRunConfig';
import { startMaiServe } from '../support/maiServe';

const stories = fixtureModels.stories260K;

test('first run: no models anywhere, Mai offers downloads that fit, fetches one with progress and answers with it', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const server = await startDownloadServer({ [stories.file]: fixtureModelPath('stories260K') });
  // Slow enough to watch the progress (about 3 s for the 1.1 MiB file).
  server.knobs.bytesPerTick = 4 * 1024;
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-first-run-'));
  writeDownloadableFixtureConfig(home, server.url(stories.file));
  // No MAI_MODELS_DIR and a fresh HOME: no LM Studio folders, nothing in $MAI_HOME/models.
  const mai = await startMaiServe({ MAI_HOME: home, HOME: home, MAI_MODELS_DIR: '' });
  try {
    await page.goto(mai.url);
    await expect(page.getByTestId('connection')).toHaveText('connected');
    await page.getByTestId('tab-chat').click();
    const firstModel = page.getByTestId('first-model');
    await expect(firstModel).toContainText(/No models yet — get .+, [\d.]+ [KMG]iB, fits your machine\./);

    // The shipped downloads are real models; the served fixture is the tiny one, offered first or among the others.
    const offer = page.getByTestId('pull-test/stories260k');
    if (!(await offer.isVisible())) await firstModel.getByText('Other models').click();
    await offer.click();
    await expect(page.getByTestId('pull-progress')).toContainText(/\d+% · [\d.]+ [KM]i?B \/ 1\.1 MiB/);
    const progressShot = testInfo.outputPath('first-run-progress.png');
    await page.screenshot({ path: progressShot, fullPage: true });
    await testInfo.attach('first-run-progress', { path: progressShot, contentType: 'image/png' });
    await expect(firstModel).toBeHidden({ timeout: 30_000 });

    await page.getByTestId('chat-input').fill('Once upon a time');
    await page.getByTestId('chat-send').click();
    const answer = page.getByTestId('message-assistant').last();
    await expect(answer.getByTestId('model-badge')).toHaveText('test/stories260k', { timeout: 45_000 });
    // The text itself, not the whole message: the badge alone would make the message's text non-empty.
    await expect(answer.locator('.message-text')).toHaveText(/\S/);
    expect(server.sentBytesFor(stories.file)).toBe(stories.bytes);
  } finally {
    await mai.stop();
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
});
