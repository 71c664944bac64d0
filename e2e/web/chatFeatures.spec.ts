import { expect, test as base, type Page, type TestInfo } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startLmStudioServer, type RunningServer } from '../../test/lmstudio-server';
import { startMaiServe, type ServedMai } from '../support/maiServe';

/**
 * Issue 16 in Chromium against a real `mai serve`, answering through the LM Studio-compatible test server (the real
 * SDK, the real llama.cpp engine) told what to answer (`scriptAnswer`): markdown, code with its copy button, raw
 * HTML that must not run, and edit, regenerate, rename, delete + undo and search, each checked on screen and in
 * the JSONL files of the MAI_HOME this spec made.
 */
const modelsDir = path.resolve(import.meta.dirname, '../../../shared/models');

interface Served {
  mai: ServedMai;
  /** The MAI_HOME of this `mai serve`: its conversations folder is read back after each action. */
  home: string;
  restart(): Promise<ServedMai>;
}

const test = base.extend<{ served: Served }, { lmStudio: RunningServer }>({
  lmStudio: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startLmStudioServer({ modelsDir });
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  served: async ({ lmStudio }, use) => {
    const home = mkdtempSync(path.join(os.tmpdir(), 'mai-e2e-chat-'));
    // Only LM Studio's models: no GGUF folders (MAI_MODELS_DIR empty, a HOME with no LM Studio folder).
    const env = { MAI_HOME: home, HOME: home, MAI_MODELS_DIR: '', MAI_LMSTUDIO_URL: lmStudio.url };
    const served: Served = {
      mai: await startMaiServe(env),
      home,
      async restart() {
        await served.mai.stop();
        served.mai = await startMaiServe(env);
        return served.mai;
      },
    };
    await use(served);
    await served.mai.stop();
    lmStudio.setFaults({});
    rmSync(home, { recursive: true, force: true });
  },
});

test.use({ viewport: { width: 900, height: 680 } });

type StoredRecord = {
  type: string;
  role?: string;
  content?: string;
  title?: string;
  messageId?: string;
  reason?: string;
};

/** Every record of every conversation file, by conversation id. */
function onDisk(home: string): Map<string, StoredRecord[]> {
  const dir = path.join(home, 'conversations');
  const files = readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  return new Map(
    files.map((name) => [
      name.replace(/\.jsonl$/, ''),
      readFileSync(path.join(dir, name), 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as StoredRecord),
    ]),
  );
}

const only = <T>(values: Iterable<T>): T => {
  const all = [...values];
  expect(all).toHaveLength(1);
  return all[0] as T;
};

/** Keeps the page as it is now in the light and in the dark style (the system's preference, as a person sets it). */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const file = testInfo.outputPath(`${name}-${colorScheme}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`${name}-${colorScheme}`, { path: file, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: null });
}

async function openChat(page: Page, mai: ServedMai): Promise<void> {
  await page.goto(mai.url);
  await expect(page.getByTestId('connection')).toHaveText('connected');
  await page.getByTestId('tab-chat').click();
}

/** Waits until the answer being written is stored and shown as the conversation's last answer. */
async function answered(page: Page, text: string | RegExp): Promise<void> {
  await expect(page.getByTestId('streaming-answer')).toHaveCount(0, { timeout: 45_000 });
  await expect(page.getByTestId('message-assistant').last().locator('.message-text')).toHaveText(text);
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('chat-input').fill(text);
  await page.getByTestId('chat-input').press('Enter');
  // The question shows at once (a short scripted answer may be written before a check for it could see it stream).
  await expect(page.getByTestId('message-user').last().locator('.message-text')).toHaveText(text);
}

test('an answer with a table and a code block renders as a table and a highlighted block whose copy works', async ({
  page,
  context,
  served,
  lmStudio,
}, testInfo) => {
  const code = 'function add(a: number, b: number): number {\n  return a + b; // sum\n}';
  lmStudio.setFaults({
    scriptAnswer: `Here are the **models**:\n\n| Model | Size |\n|---|---:|\n| stories260K | 1.1 MiB |\n| llama-2-tiny-random | 2.3 MiB |\n\n- [x] listed\n- [ ] ~~downloaded~~\n\n\`\`\`ts\n${code}\n\`\`\``,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.mai.origin });
  await openChat(page, served.mai);
  await send(page, 'Which models do you have?');
  await answered(page, /Here are the models/);
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer.locator('table th')).toHaveText(['Model', 'Size']);
  await expect(answer.locator('table tbody tr')).toHaveText(['stories260K1.1 MiB', 'llama-2-tiny-random2.3 MiB']);
  await expect(answer.locator('del')).toHaveText('downloaded');
  await expect(answer.locator('input[type=checkbox]')).toHaveCount(2);
  const block = answer.getByTestId('code-block');
  await expect(block.locator('.code-language')).toHaveText('ts');
  await expect(block.locator('.hljs-keyword').first()).toHaveText('function');
  await expect(block.locator('.hljs-comment')).toHaveText('// sum');
  // Highlighting shows: a keyword is coloured unlike the plain text around it.
  const colours = await block.evaluate((element) => ({
    keyword: getComputedStyle(element.querySelector('.hljs-keyword') as Element).color,
    plain: getComputedStyle(element.querySelector('code') as Element).color,
  }));
  expect(colours.keyword).not.toBe(colours.plain);

  await block.getByTestId('code-copy').click();
  await expect(block.getByTestId('code-copy')).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${code}\n`);
  await keepScreenshot(page, testInfo, 'chat-markdown');
});

test('raw HTML in an answer executes nothing: no element is made of it, it shows as text', async ({
  page,
  served,
  lmStudio,
}, testInfo) => {
  const html = '<img src=x onerror="window.__maiPwned=1"> <script>window.__maiPwned=2</script>';
  lmStudio.setFaults({ scriptAnswer: `Careful: ${html}\n\n<iframe src="/"></iframe>` });
  await openChat(page, served.mai);
  await send(page, 'Say something dangerous');
  await answered(page, /Careful:/);
  const answer = page.getByTestId('message-assistant').last();
  await expect(answer).toContainText('<img src=x onerror="window.__maiPwned=1">');
  await expect(page.locator('img')).toHaveCount(0);
  await expect(page.locator('main script, main iframe')).toHaveCount(0);
  // No <img> exists, so no onerror can ever run; the flag shows none ran while the answer streamed either.
  expect(await page.evaluate(() => (window as { __maiPwned?: unknown }).__maiPwned)).toBeUndefined();
  await keepScreenshot(page, testInfo, 'chat-raw-html');
});

test('regenerate (with another model) and edit change what is shown and what is on disk', async ({
  page,
  served,
  lmStudio,
}, testInfo) => {
  lmStudio.setFaults({ scriptAnswer: 'The first answer.' });
  await openChat(page, served.mai);
  await send(page, 'A question');
  await answered(page, 'The first answer.');
  const conversationId = only(onDisk(served.home).keys());

  // Regenerate, with a model picked for this answer only.
  lmStudio.setFaults({ scriptAnswer: 'A second answer.' });
  const firstModel = await page.getByTestId('model-badge').last().textContent();
  const picker = page.getByTestId('regenerate-model');
  const other = await picker
    .locator('option')
    .evaluateAll(
      (options, current) => options.map((o) => (o as HTMLOptionElement).value).find((v) => v && v !== current),
      firstModel,
    );
  await picker.selectOption(other ?? '');
  await page.getByTestId('regenerate').click();
  await answered(page, 'A second answer.');
  await expect(page.getByTestId('message-assistant')).toHaveCount(1);
  await expect(page.getByTestId('model-badge')).toHaveText(other ?? '');
  await keepScreenshot(page, testInfo, 'chat-regenerated');
  let records = onDisk(served.home).get(conversationId) ?? [];
  expect(records.filter((r) => r.type === 'message').map((r) => r.content)).toEqual([
    'A question',
    'The first answer.',
    'A second answer.',
  ]);
  expect(records.filter((r) => r.type === 'supersede').map((r) => r.reason)).toEqual(['regenerate']);

  // Edit the question: it and its answer are replaced from there.
  lmStudio.setFaults({ scriptAnswer: 'An answer to the edit.' });
  await page.getByTestId('message-edit').click();
  await page.getByTestId('edit-input').fill('An edited question');
  await page.getByTestId('edit-input').press('Enter');
  await answered(page, 'An answer to the edit.');
  await expect(page.getByTestId('message-user').locator('.message-text')).toHaveText(['An edited question']);
  await expect(page.getByTestId('message-assistant')).toHaveCount(1);
  await keepScreenshot(page, testInfo, 'chat-edited');
  records = onDisk(served.home).get(conversationId) ?? [];
  expect(records.filter((r) => r.type === 'supersede').map((r) => r.reason)).toEqual(['regenerate', 'edit']);
  expect(records.filter((r) => r.type === 'message').map((r) => r.content)).toEqual([
    'A question',
    'The first answer.',
    'A second answer.',
    'An edited question',
    'An answer to the edit.',
  ]);
  // What the person sees is what a reload reads back from the file.
  await page.reload();
  await expect(page.getByTestId('message-user').locator('.message-text')).toHaveText(['An edited question']);
  await expect(page.getByTestId('message-assistant').locator('.message-text')).toHaveText(['An answer to the edit.']);
});

test('rename, delete with undo and search change the list and the files; the list survives a restart', async ({
  page,
  served,
  lmStudio,
}, testInfo) => {
  lmStudio.setFaults({ scriptAnswer: 'Cats purr when they are content.' });
  await openChat(page, served.mai);
  await send(page, 'Tell me about cats');
  await answered(page, /Cats purr/);
  await page.getByTestId('new-conversation').click();
  lmStudio.setFaults({ scriptAnswer: 'Dogs bark.' });
  await send(page, 'Tell me about dogs');
  await answered(page, 'Dogs bark.');
  const list = page.getByRole('navigation', { name: 'Conversations' });
  // Titles come from the first message.
  await expect(list.getByTestId('conversation').locator('.conversation-title')).toHaveText([
    'Tell me about dogs',
    'Tell me about cats',
  ]);
  const idOf = (title: string) =>
    [...onDisk(served.home)].find(([, records]) => records.some((r) => r.content === title))?.[0] ?? '';
  const cats = idOf('Tell me about cats');
  const dogs = idOf('Tell me about dogs');

  // Rename.
  await list.getByTestId('conversation').nth(1).getByTestId('conversation-rename').click();
  await list.getByTestId('rename-input').fill('Cats, purring');
  await list.getByTestId('rename-input').press('Enter');
  await expect(list.getByTestId('conversation').locator('.conversation-title')).toHaveText([
    'Tell me about dogs',
    'Cats, purring',
  ]);
  expect(onDisk(served.home).get(cats)?.at(-1)).toMatchObject({ type: 'title', title: 'Cats, purring' });

  // Search.
  await list.getByTestId('conversation-search').fill('CONTENT');
  await expect(list.getByTestId('search-hit')).toHaveCount(1);
  await expect(list.getByTestId('search-hit')).toContainText('Cats, purring');
  await expect(list.getByTestId('search-hit')).toContainText('Cats purr when they are content.');
  await keepScreenshot(page, testInfo, 'conversations-search');
  await list.getByTestId('conversation-search').fill('');

  // Delete the open one, then undo.
  await list.getByTestId('conversation').first().getByTestId('conversation-delete').click();
  await expect(list.getByTestId('conversation').locator('.conversation-title')).toHaveText(['Cats, purring']);
  await expect(page.getByTestId('message-assistant')).toHaveCount(0);
  await expect(list.getByTestId('deleted-notice')).toContainText('Tell me about dogs');
  expect(onDisk(served.home).get(dogs)?.at(-1)).toMatchObject({ type: 'deleted' });
  await keepScreenshot(page, testInfo, 'conversations-deleted');
  await list.getByTestId('undo-delete').click();
  await expect(list.getByTestId('conversation').locator('.conversation-title')).toHaveText([
    'Tell me about dogs',
    'Cats, purring',
  ]);
  await expect(page.getByTestId('message-assistant').locator('.message-text')).toHaveText(['Dogs bark.']);
  expect(onDisk(served.home).get(dogs)?.at(-1)).toMatchObject({ type: 'restored' });

  // Delete the other for good, restart Mai: the list is read back from the files as it was left.
  await list.getByTestId('conversation').nth(1).getByTestId('conversation-delete').click();
  await expect(list.getByTestId('conversation')).toHaveCount(1);
  const mai = await served.restart();
  await openChat(page, mai);
  await expect(list.getByTestId('conversation').locator('.conversation-title')).toHaveText(['Tell me about dogs']);
  expect(onDisk(served.home).size).toBe(2);
});

test('keys and copy as people use them: Shift+Enter, Enter, Esc, Ctrl+K, and a message copied', async ({
  page,
  context,
  served,
  lmStudio,
}, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.mai.origin });
  // A long answer, a word every 50 ms: still being written when Esc comes.
  const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
  lmStudio.setFaults({ scriptAnswer: long, scriptPieceIntervalMs: 50 });
  await openChat(page, served.mai);
  const input = page.getByTestId('chat-input');

  // Shift+Enter breaks the line and sends nothing; Enter sends both lines.
  await input.click();
  await page.keyboard.type('first line');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('second line');
  await expect(input).toHaveValue('first line\nsecond line');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('');
  await expect(page.getByTestId('message-user')).toHaveCount(1);

  // Esc stops the answer being written, wherever the focus is.
  await expect(page.getByTestId('streaming-answer')).toContainText('word3');
  await page.getByTestId('tab-chat').focus();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('streaming-answer')).toHaveCount(0);
  await expect(page.getByTestId('chat-send')).toBeVisible();
  await expect(page.getByText('word199')).toHaveCount(0);
  const conversationId = only(onDisk(served.home).keys());
  const stored = onDisk(served.home).get(conversationId) ?? [];
  expect(stored.find((r) => r.type === 'message' && r.role === 'user')?.content).toBe('first line\nsecond line');
  expect(stored.some((r) => r.type === 'message' && r.content === long)).toBe(false);
  await keepScreenshot(page, testInfo, 'chat-stopped');

  // A whole message copied with its button.
  lmStudio.setFaults({ scriptAnswer: 'Copy me, **please**.' });
  await send(page, 'Something to copy');
  await answered(page, 'Copy me, please.');
  await page.getByTestId('message-assistant').last().getByTestId('message-copy').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('Copy me, **please**.');

  // Ctrl+K: a new conversation, empty, with the cursor in the message box.
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('message-user')).toHaveCount(0);
  const listed = page.getByRole('navigation', { name: 'Conversations' }).getByTestId('conversation');
  await expect(listed).toHaveCount(2);
  await expect(listed.first()).toContainText('0 messages');
  await expect(input).toBeFocused();
  await keepScreenshot(page, testInfo, 'chat-new');
});
