import { expect, test } from '@playwright/test';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLmStudioServer } from '../../test/lmstudio-server';
import { startMaiServe } from '../support/maiServe';

/**
 * Issue 15 in Chromium against a real `mai serve`: "LM Studio" (the compatible test server, the real SDK) writes
 * the start of an answer and dies; the embedded engine continues it. The chat shows one answer with a quiet marker
 * where the models changed, and after a reload (from the conversation file) the same.
 */
const sharedModels = path.resolve(import.meta.dirname, '../../../shared/models');

test.use({ viewport: { width: 900, height: 680 } });

test('an answer LM Studio began and the embedded engine finished shows as one, with a marker where it changed', async ({
  page,
}, testInfo) => {
  // One folder of stories260K for both engines: while LM Studio runs its copy is the one listed; once LM Studio is
  // gone the embedded engine's is, and it continues the answer.
  const lmStudioModels = mkdtempSync(path.join(os.tmpdir(), 'mai-e2e-lms-'));
  copyFileSync(path.join(sharedModels, 'stories260K.gguf'), path.join(lmStudioModels, 'stories260K.gguf'));
  const lmStudio = await startLmStudioServer({
    modelsDir: lmStudioModels,
    faults: {
      scriptAnswer: 'Once upon a time there was a fox who lived by the river and',
      scriptPieceIntervalMs: 60,
      dropConnectionAfterFragments: 6,
    },
  });
  const home = mkdtempSync(path.join(os.tmpdir(), 'mai-e2e-handoff-'));
  const mai = await startMaiServe({
    MAI_HOME: home,
    HOME: home,
    MAI_MODELS_DIR: lmStudioModels,
    MAI_LMSTUDIO_URL: lmStudio.url,
  });
  try {
    await page.goto(mai.url);
    await expect(page.getByTestId('connection')).toHaveText('connected');
    await page.getByTestId('tab-chat').click();
    await page.getByTestId('chat-input').fill('Tell me a story');
    await page.getByTestId('chat-input').press('Enter');
    // While LM Studio writes, its words stream in.
    await expect(page.getByTestId('streaming-answer')).toContainText('Once upon', { timeout: 30_000 });
    await expect(page.getByTestId('streaming-answer')).toHaveCount(0, { timeout: 45_000 });

    const answer = page.getByTestId('message-assistant').last();
    const parts = answer.locator('.answer-part');
    await expect(parts).toHaveCount(2);
    // What LM Studio sent before it went (the fragment in flight as the socket closed may be lost with it).
    await expect(parts.first()).toHaveText(/^Once upon a time/);
    await expect(answer.getByTestId('handoff-marker')).toHaveText('continued by stories260K');
    await expect(answer.getByTestId('handoff-marker')).toHaveAttribute('title', /LM Studio went away/);
    await expect(answer.getByTestId('model-badge')).toHaveText('stories260K');
    const file = testInfo.outputPath('handoff.png');
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach('handoff', { path: file, contentType: 'image/png' });

    // On disk: one answer, its whole text, and each model's part.
    const dir = path.join(home, 'conversations');
    const [name] = readdirSync(dir).filter((entry) => entry.endsWith('.jsonl'));
    const records = readFileSync(path.join(dir, name ?? ''), 'utf8')
      .trimEnd()
      .split('\n')
      .map(
        (line) =>
          JSON.parse(line) as {
            type: string;
            role?: string;
            content?: string;
            segments?: { text: string; model: { backend: string } }[];
          },
      );
    const answers = records.filter((r) => r.type === 'message' && r.role === 'assistant');
    expect(answers).toHaveLength(1);
    expect(answers[0]?.segments?.map((s) => s.model.backend)).toEqual(['lmstudio', 'embedded']);
    expect(answers[0]?.content).toBe(answers[0]?.segments?.map((s) => s.text).join(''));
    await expect(parts.first()).toHaveText(answers[0]?.segments?.[0]?.text ?? '');

    // The dashboard splits the machine: the embedded model inside Mai, Mai itself, other programs, free.
    await page.getByTestId('tab-dashboard').click();
    await expect(page.getByTestId('split-model')).toHaveAttribute('data-bytes', /^[1-9]\d*$/);
    for (const part of ['mai', 'other', 'free']) await expect(page.getByTestId(`split-${part}`)).toBeVisible();
    await expect(page.getByTestId('gauge-cpu').locator('.gauge-detail')).toHaveText(
      /^Mai \d+ % · other programs \d+ %$/,
    );

    // Read back from the file after a reload: the same parts and marker.
    await page.reload();
    await expect(page.getByTestId('connection')).toHaveText('connected');
    await page.getByTestId('tab-chat').click();
    await expect(page.getByTestId('message-assistant').last().getByTestId('handoff-marker')).toHaveText(
      'continued by stories260K',
    );
  } finally {
    await mai.stop();
    await lmStudio.close();
    rmSync(home, { recursive: true, force: true });
    rmSync(lmStudioModels, { recursive: true, force: true });
  }
});
