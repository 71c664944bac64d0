import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * LM Studio's own folder, found as lms finds it (lms-common-server findLMStudioHome.ts): the path in
 * `~/.lmstudio-home-pointer` when that file exists, else `~/.cache/lm-studio` when it exists, else `~/.lmstudio`.
 * Read-only: unlike lms, Mai never writes the pointer file.
 */
export async function findLmStudioHome(homeDir: string): Promise<string> {
  const pointer = await readFile(path.join(homeDir, '.lmstudio-home-pointer'), 'utf8').catch(() => null);
  if (pointer !== null && pointer.trim() !== '') return pointer.trim();
  const cacheHome = path.join(homeDir, '.cache', 'lm-studio');
  const cached = await stat(cacheHome).then(
    (info) => info.isDirectory(),
    () => false,
  );
  return cached ? cacheHome : path.join(homeDir, '.lmstudio');
}

/**
 * The port LM Studio's server published in `<LM Studio home>/.internal/http-server.json` (`{"port": 45678, ...}`),
 * which lms reads before its fixed port list (lms localAPIServer.ts); null when the file is absent or its port is
 * not one (lms's own checks: an integer in 1..65535). Never throws.
 */
export async function readPublishedPort(homeDir: string): Promise<number | null> {
  try {
    const file = path.join(await findLmStudioHome(homeDir), '.internal', 'http-server.json');
    const info: unknown = JSON.parse(await readFile(file, 'utf8'));
    const port = typeof info === 'object' && info !== null ? (info as { port?: unknown }).port : undefined;
    return typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null;
  } catch {
    return null;
  }
}
