import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDownloadServer, type DownloadServer } from '../../../test/downloadServer';
import { fixtureModelPath, fixtureModels } from '../../../test/fixtures';
import type { ModelEntry } from '../config';
import { PullError } from './PullError';
import {
  modelFilePath,
  partialFilePath,
  pullModel,
  resolvePullTarget,
  type PullProgress,
  type PullTarget,
} from './pullModel';

const stories = fixtureModels.stories260K;
const transfer = { retries: 2, retryDelayMs: 10, stallTimeoutMs: 5000 };

let server: DownloadServer;
let modelsDir: string;

beforeAll(async () => {
  server = await startDownloadServer({ [stories.file]: fixtureModelPath('stories260K') });
});
afterAll(() => server.close());
beforeEach(() => {
  modelsDir = mkdtempSync(path.join(os.tmpdir(), 'mai-pull-'));
  server.requests.length = 0;
  server.heads.length = 0;
  Object.assign(server.knobs, {
    cutNextAfterBytes: null,
    refuseWith: null,
    bytesPerTick: null,
    ignoreRange: false,
    linkedHeaders: true,
    linkedSha256: null,
    redirectResolve: false,
    refuseHeadWith: null,
  });
});
afterEach(() => rmSync(modelsDir, { recursive: true, force: true }));

function storiesTarget(overrides: Partial<PullTarget> = {}): PullTarget {
  return {
    key: 'test/stories260k',
    displayName: 'Stories 260K',
    uri: server.url(stories.file),
    sizeBytes: stories.bytes,
    sha256: stories.sha256,
    ...overrides,
  };
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function pullError(promise: Promise<unknown>): Promise<PullError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof PullError)) throw new Error(`expected a PullError, got ${String(error)}`);
  return error;
}

describe('pullModel against a local Range-capable server', () => {
  it('downloads the whole file, verifies it, and only then makes it visible under its key', async () => {
    const finalPath = modelFilePath(modelsDir, 'test/stories260k');
    const seen: PullProgress[] = [];
    let visibleWhileDownloading = false;
    const result = await pullModel(
      storiesTarget(),
      { modelsDir, transfer },
      {
        onProgress: (p) => {
          seen.push(p);
          if (p.phase !== 'done' && existsSync(finalPath)) visibleWhileDownloading = true;
        },
      },
    );
    expect(result).toMatchObject({
      key: 'test/stories260k',
      path: finalPath,
      sizeBytes: stories.bytes,
      verified: true,
    });
    expect(sha256Of(finalPath)).toBe(stories.sha256);
    expect(visibleWhileDownloading).toBe(false);
    expect(seen.map((p) => p.phase)).toEqual(expect.arrayContaining(['downloading', 'verifying', 'done']));
    expect(seen.at(-1)).toMatchObject({ phase: 'done', receivedBytes: stories.bytes, totalBytes: stories.bytes });
    const downloading = seen.filter((p) => p.phase === 'downloading').map((p) => p.receivedBytes);
    expect(downloading).toEqual([...downloading].sort((a, b) => a - b));
    expect(readdirSync(path.join(modelsDir, '.partial'))).toEqual([]);
    expect(server.sentBytesFor(stories.file)).toBe(stories.bytes);
  });

  it('continues a connection cut midway with a Range request from the bytes on disk, fetching none of them again', async () => {
    server.knobs.cutNextAfterBytes = 500_000;
    const result = await pullModel(storiesTarget(), { modelsDir, transfer });
    expect(result.verified).toBe(true);
    const [first, second, ...more] = server.requests;
    expect(more).toEqual([]);
    expect(first).toMatchObject({ status: 200, range: null, sentBytes: 500_000 });
    // The client keeps what reached it: all 500,000 bytes, or less where the engine dropped the last unread chunk
    // when the socket closed. The resume starts exactly there and fetches only the rest.
    const keptBytes = Number(/^bytes=(\d+)-$/.exec(second?.range ?? '')?.[1]);
    expect(second?.status).toBe(206);
    expect(keptBytes).toBeGreaterThan(0);
    expect(keptBytes).toBeLessThanOrEqual(500_000);
    expect(second?.sentBytes).toBe(stories.bytes - keptBytes);
    expect(sha256Of(result.path)).toBe(stories.sha256);
  });

  it('keeps the partial file on cancel, and the next pull resumes from it', async () => {
    server.knobs.bytesPerTick = 16 * 1024;
    const controller = new AbortController();
    const error = await pullError(
      pullModel(
        storiesTarget(),
        { modelsDir, transfer },
        {
          signal: controller.signal,
          onProgress: (p) => {
            if (p.receivedBytes >= 300_000) controller.abort();
          },
        },
      ),
    );
    expect(error.code).toBe('cancelled');
    expect(error.message).toMatch(/kept, pull again to resume/);
    const partial = partialFilePath(modelsDir, 'test/stories260k');
    const keptBytes = statSync(partial).size;
    expect(keptBytes).toBeGreaterThanOrEqual(300_000);
    expect(keptBytes).toBeLessThan(stories.bytes);
    expect(existsSync(modelFilePath(modelsDir, 'test/stories260k'))).toBe(false);

    server.knobs.bytesPerTick = null;
    const firstRequests = server.requests.length;
    const result = await pullModel(storiesTarget(), { modelsDir, transfer });
    const resumed = server.requests.slice(firstRequests);
    expect(resumed).toEqual([expect.objectContaining({ status: 206, range: `bytes=${keptBytes}-` })]);
    expect(resumed[0]?.sentBytes).toBe(stories.bytes - keptBytes);
    expect(result).toMatchObject({ verified: true, resumedFromBytes: keptBytes });
    expect(sha256Of(result.path)).toBe(stories.sha256);
  });

  it('starts afresh, intact, when the server ignores the Range of a resume', async () => {
    server.knobs.cutNextAfterBytes = 400_000;
    server.knobs.ignoreRange = true;
    const result = await pullModel(storiesTarget(), { modelsDir, transfer });
    expect(server.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(sha256Of(result.path)).toBe(stories.sha256);
  });

  it('removes the partial file and says so when the checksum does not match', async () => {
    // A server that reports no sha256 up front: the mismatch shows only once the bytes are in.
    server.knobs.linkedHeaders = false;
    const wrong = '0'.repeat(64);
    const error = await pullError(pullModel(storiesTarget({ sha256: wrong }), { modelsDir, transfer }));
    expect(error.code).toBe('checksum');
    expect(error.message).toContain(`checksum mismatch for ${server.url(stories.file)}`);
    expect(error.message).toContain(`expected sha256 ${wrong}, got ${stories.sha256}`);
    expect(error.message).toMatch(/partial file was removed/);
    expect(existsSync(partialFilePath(modelsDir, 'test/stories260k'))).toBe(false);
    expect(existsSync(modelFilePath(modelsDir, 'test/stories260k'))).toBe(false);
  });

  it('refuses a file whose size differs from the published one before fetching its body', async () => {
    const error = await pullError(pullModel(storiesTarget({ sizeBytes: stories.bytes + 1 }), { modelsDir, transfer }));
    expect(error.code).toBe('checksum');
    expect(error.message).toBe(
      `"test/stories260k" is listed as ${stories.bytes + 1} bytes, but ${server.url(stories.file)} reports ` +
        `${stories.bytes} bytes: not the listed file; nothing was downloaded`,
    );
    expect(server.requests).toEqual([]);
  });

  it('still refuses a wrong size at the GET, before its body, when the server does not answer HEAD', async () => {
    server.knobs.refuseHeadWith = 405;
    const error = await pullError(pullModel(storiesTarget({ sizeBytes: stories.bytes + 1 }), { modelsDir, transfer }));
    expect(error.code).toBe('checksum');
    expect(error.message).toContain(`is ${stories.bytes} bytes but the published file is ${stories.bytes + 1}`);
    expect(server.heads).toEqual([expect.objectContaining({ status: 405 })]);
  });

  it('follows a redirect without X-Linked headers and takes the size from the final answer', async () => {
    server.knobs.linkedHeaders = false;
    server.knobs.redirectResolve = true;
    const target = storiesTarget({ uri: `hf:someone/tiny-GGUF/${stories.file}`, sizeBytes: stories.bytes + 1 });
    const error = await pullError(pullModel(target, { modelsDir, transfer, hfEndpoint: server.baseUrl }));
    expect(error.message).toContain(
      `${server.baseUrl}/cdn/${stories.file}?signature=test reports ${stories.bytes} bytes`,
    );
    expect(server.heads.map((r) => r.status)).toEqual([302, 200]);
    expect(server.requests).toEqual([]);
  });

  it('stops before the first byte when the server reports another sha256, naming both and the entry', async () => {
    const other = 'ab'.repeat(32);
    server.knobs.linkedSha256 = other.toUpperCase();
    const error = await pullError(pullModel(storiesTarget(), { modelsDir, transfer }));
    expect(error.code).toBe('checksum');
    expect(error.message).toBe(
      `"test/stories260k" is listed with sha256 ${stories.sha256}, but ${server.url(stories.file)} reports ` +
        `sha256 ${other}: not the listed file (a new upload, or another revision?); nothing was downloaded`,
    );
    expect(server.heads).toHaveLength(1);
    expect(server.requests).toEqual([]);
    expect(server.sentBytesFor(stories.file)).toBe(0);
    expect(existsSync(partialFilePath(modelsDir, 'test/stories260k'))).toBe(false);
  });

  it("reads Hugging Face's X-Linked headers on the redirect and never asks the CDN for them", async () => {
    server.knobs.redirectResolve = true;
    const target = storiesTarget({ uri: `hf:someone/tiny-GGUF/${stories.file}` });
    const result = await pullModel(target, { modelsDir, transfer, hfEndpoint: server.baseUrl });
    expect(result.verified).toBe(true);
    expect(server.heads).toEqual([
      expect.objectContaining({ path: `/someone/tiny-GGUF/resolve/main/${stories.file}`, status: 302 }),
    ]);
    expect(server.requests.map((r) => [r.path, r.status])).toEqual([
      [`/someone/tiny-GGUF/resolve/main/${stories.file}`, 302],
      [`/cdn/${stories.file}`, 200],
    ]);

    server.knobs.linkedSha256 = 'c'.repeat(64);
    rmSync(result.path);
    const error = await pullError(pullModel(target, { modelsDir, transfer, hfEndpoint: server.baseUrl }));
    expect(error.message).toContain(`sha256 ${'c'.repeat(64)}`);
    expect(server.requests).toHaveLength(2);
  });

  it('names the URL and the status when the server refuses', async () => {
    server.knobs.refuseWith = 403;
    const error = await pullError(pullModel(storiesTarget(), { modelsDir, transfer }));
    expect(error.code).toBe('http');
    expect(error.message).toBe(
      `${server.url(stories.file)} answered 403 Forbidden (access refused: a gated model, or a server that does not serve it)`,
    );
  });

  it('names the URL when nothing listens on the port', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const url = `http://127.0.0.1:${closedPort}/m.gguf`;
    const error = await pullError(pullModel(storiesTarget({ uri: url }), { modelsDir, transfer }));
    expect(error.code).toBe('network');
    expect(error.message).toBe(`could not download ${url}: the connection was refused (nothing listens there)`);
  });

  it('names the URL when the host does not exist', async () => {
    const url = 'http://mai-no-such-host.invalid/m.gguf';
    const error = await pullError(pullModel(storiesTarget({ uri: url }), { modelsDir, transfer }));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(new RegExp(`^could not download ${url.replaceAll('.', '\\.')}: the host name`));
  });

  it('checks the disk before fetching anything', async () => {
    const error = await pullError(
      pullModel(storiesTarget(), { modelsDir, transfer, freeDiskBytes: async () => 100 * 1024 ** 2 }),
    );
    expect(error.code).toBe('disk_space');
    expect(error.message).toContain(`not enough disk space in ${modelsDir}`);
    expect(server.requests).toEqual([]);
  });

  it('resolves hf: URIs against the Hugging Face endpoint', async () => {
    const result = await pullModel(storiesTarget({ uri: `hf:someone/tiny-GGUF/${stories.file}` }), {
      modelsDir,
      transfer,
      hfEndpoint: server.baseUrl,
    });
    expect(server.requests[0]?.path).toBe(`/someone/tiny-GGUF/resolve/main/${stories.file}`);
    expect(result.verified).toBe(true);
  });

  it('does nothing for a model already there', async () => {
    await pullModel(storiesTarget(), { modelsDir, transfer });
    const again = await pullModel(storiesTarget(), { modelsDir, transfer });
    expect(again.alreadyPresent).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('resolvePullTarget', () => {
  const entry = (key: string, download: ModelEntry['download']): ModelEntry => ({
    key,
    displayName: key.toUpperCase(),
    category: 'small',
    minMemoryBytes: 0,
    minVramBytes: 0,
    contextWindowTokens: 4096,
    capabilities: ['chat'],
    fallback: [],
    download,
  });
  const sha = 'a'.repeat(64);
  const models = [
    entry('vendor/tiny', { uri: 'hf:v/tiny-GGUF/tiny-Q4_K_M.gguf', sizeBytes: 10, sha256: sha }),
    entry('local-only', null),
  ];

  it('takes a key with a download, or a URI its entry lists, from models.yaml', () => {
    const expected = {
      key: 'vendor/tiny',
      displayName: 'VENDOR/TINY',
      uri: 'hf:v/tiny-GGUF/tiny-Q4_K_M.gguf',
      sizeBytes: 10,
      sha256: sha,
    };
    expect(resolvePullTarget('vendor/tiny', models)).toEqual(expected);
    expect(resolvePullTarget('hf:v/tiny-GGUF/tiny-Q4_K_M.gguf', models)).toEqual(expected);
  });

  it('keys a bare URI by its file name, with the checksum given or none', () => {
    expect(resolvePullTarget('https://example.org/m/Other-Q8_0.gguf', models, 'B'.repeat(64))).toEqual({
      key: 'Other-Q8_0',
      displayName: 'Other-Q8_0',
      uri: 'https://example.org/m/Other-Q8_0.gguf',
      sizeBytes: null,
      sha256: 'b'.repeat(64),
    });
  });

  it.each([
    ['nope', /no model "nope" with a download; ones Mai can fetch: vendor\/tiny/],
    ['local-only', /local-only has no download: in models.yaml/],
    ['https://example.org/readme.txt', /does not name a \.gguf file/],
    ['ftp://example.org/m.gguf', /Mai downloads over http\(s\) or from hf:/],
  ])('explains what is wrong with %s', (arg, message) => {
    expect(() => resolvePullTarget(arg, models)).toThrow(message);
  });

  it('refuses a bad --sha256 and a key that would leave the models folder', () => {
    expect(() => resolvePullTarget('vendor/tiny', models, 'xyz')).toThrow(/--sha256 must be 64 hexadecimal digits/);
    expect(() => modelFilePath('/m', '../etc/passwd')).toThrow(/cannot be a file name below the models folder/);
  });
});
