import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

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

/** Serves the built renderer; anything outside rendererDir (e.g. `/../`) is refused, unknown paths get index.html. */
export async function serveStatic(rendererDir: string, urlPath: string, response: ServerResponse): Promise<void> {
  const root = path.resolve(rendererDir);
  const relative = decodeURIComponent(urlPath).replace(/^\/+/, '') || 'index.html';
  let filePath = path.resolve(root, relative);
  if (filePath !== root && !filePath.startsWith(root + path.sep)) {
    response.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    return;
  }
  const info = await stat(filePath).catch(() => undefined);
  if (!info?.isFile()) filePath = path.join(root, 'index.html');
  try {
    const body = await readFile(filePath);
    response
      .writeHead(200, {
        'content-type': contentTypes[path.extname(filePath)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
      })
      .end(body);
  } catch {
    response
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`The renderer is not built (no ${path.join(root, 'index.html')}). Run: npm run build`);
  }
}
