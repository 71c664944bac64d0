import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { fail } from '../shared/contract';
import { sendJson } from './replies';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The path with its percent-escapes decoded, or null when one is malformed (`%E0%A4%A`): decodeURIComponent throws. */
function decodedPath(urlPath: string): string | null {
  try {
    return decodeURIComponent(urlPath);
  } catch {
    return null;
  }
}

/** Serves the built renderer; anything outside rendererDir (e.g. `/../`) is refused, unknown paths get index.html. */
export async function serveStatic(rendererDir: string, urlPath: string, response: ServerResponse): Promise<void> {
  const root = path.resolve(rendererDir);
  const decoded = decodedPath(urlPath);
  if (decoded === null) {
    return sendJson(response, 400, fail('bad_request', 'the path has a malformed percent-encoding'));
  }
  let filePath = path.resolve(root, decoded.replace(/^\/+/, '') || 'index.html');
  if (filePath !== root && !filePath.startsWith(root + path.sep)) {
    return sendJson(response, 403, fail('bad_request', 'the path leads outside the dashboard'));
  }
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) filePath = path.join(root, 'index.html');
  try {
    const body = await readFile(filePath);
    response
      .writeHead(200, {
        'content-type': contentTypes[path.extname(filePath)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
      })
      .end(body);
  } catch {
    // The folder is named on the server's stderr at startup (mai serve), not to whoever asks.
    response
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end('The dashboard is not built. Run: npm run build');
  }
}
