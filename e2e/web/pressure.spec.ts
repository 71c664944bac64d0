import { expect, test as base } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMaiServe, type ServedMai } from '../support/maiServe';

const modelsDir = path.resolve(import.meta.dirname, '../../../shared/models');
/** Memory pressure for this `mai serve`, read at every sample (MAI_PRESSURE_FILE); the rest stays real. */
const pressureFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'mai-pressure-')), 'pressure.json');

const test = base.extend<object, { mai: ServedMai }>({
  mai: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      writeFileSync(pressureFile, '{}');
      const mai = await startMaiServe({ MAI_MODELS_DIR: modelsDir, MAI_PRESSURE_FILE: pressureFile });
      await use(mai);
      await mai.stop();
    },
    { scope: 'worker' },
  ],
});

test('scripted memory pressure makes Mai switch down: the decision shows in the log and the next badge changes', async ({
  page,
  mai,
}, testInfo) => {
  // The scaler waits out the 60 s cooldown after the first load and 10 s of sustained pressure at the real 1 Hz.
  test.setTimeout(180_000);
  await page.goto(mai.url);
  await expect(page.getByTestId('connection')).toHaveText('connected');

  // Start on the larger of the two fixtures, then hand the choice back to Mai.
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('pin-llama-2-tiny-random').click();
  await expect(page.getByTestId('model-mode')).toHaveText('pinned');
  await page.getByTestId('tab-chat').click();
  await page.getByTestId('chat-input').fill('Hello');
  await page.getByTestId('chat-send').click();
  const firstAnswer = page.getByTestId('message-assistant').last();
  await expect(firstAnswer.getByTestId('model-badge')).toHaveText('llama-2-tiny-random', { timeout: 45_000 });
  await page.getByTestId('tab-dashboard').click();
  await page.getByTestId('model-auto').click();
  await expect(page.getByTestId('model-mode')).toHaveText('automatic');

  writeFileSync(pressureFile, JSON.stringify({ memoryUsedPercent: 95 }));
  const switchDown = page
    .getByTestId('decision')
    .filter({ hasText: 'stories260K' })
    .filter({ hasText: /memory/i });
  await expect(switchDown.first()).toBeVisible({ timeout: 100_000 });
  await expect(page.getByTestId('gauge-ram-percent')).toHaveText('95%');
  const screenshot = testInfo.outputPath('pressure-decision.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  await testInfo.attach('pressure-decision', { path: screenshot, contentType: 'image/png' });

  await page.getByTestId('tab-chat').click();
  await page.getByTestId('chat-input').fill('Once upon a time');
  await page.getByTestId('chat-send').click();
  await expect(page.getByTestId('message-assistant')).toHaveCount(2, { timeout: 45_000 });
  await expect(page.getByTestId('message-assistant').last().getByTestId('model-badge')).toHaveText('stories260K');
  // The switch also shows in the conversation, as a quiet marker between the two answers.
  await expect(page.getByTestId('switch-marker').filter({ hasText: 'stories260K' }).first()).toBeVisible();
});
