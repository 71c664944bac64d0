import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findRunningInstance,
  instanceFilePath,
  readInstanceFile,
  removeInstanceFile,
  writeInstanceFile,
  type Instance,
} from './instanceFile';

let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const home = () => mkdtempSync(path.join(os.tmpdir(), 'mai-instance-'));
const instance = (over: Partial<Instance> = {}): Instance => ({
  pid: process.pid,
  port,
  host: '127.0.0.1',
  token: 'secret',
  startedAtMs: 1,
  version: '0.0.0',
  ...over,
});

/** A pid that surely belonged to a process and no longer does: a child that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid!;
}

describe('instance.json', () => {
  it('is written readable by its owner only and read back', () => {
    const dir = home();
    writeInstanceFile(dir, instance());
    expect(statSync(instanceFilePath(dir)).mode & 0o777).toBe(0o600);
    expect(readInstanceFile(dir)).toEqual({ kind: 'found', instance: instance() });
  });

  it('names what is wrong with a broken file', () => {
    const dir = home();
    writeFileSync(instanceFilePath(dir), '{"pid": "x"}');
    expect(readInstanceFile(dir)).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('pid') });
    writeFileSync(instanceFilePath(dir), '{');
    expect(readInstanceFile(dir)).toMatchObject({
      kind: 'invalid',
      problem: expect.stringContaining('not valid JSON'),
    });
  });

  // The table is built before beforeAll gives the port: a fixed one stands in.
  it.each([
    ['[]', 'the file: must be a JSON object'],
    [JSON.stringify({ ...instance({ port: 8600 }), port: 70000 }), 'port: must be an integer from 1 to 65535'],
    [JSON.stringify({ ...instance({ port: 8600 }), pid: 1.5 }), 'pid: must be a positive integer'],
    [JSON.stringify({ ...instance({ port: 8600 }), token: '' }), 'token: must be a non-empty string'],
    [JSON.stringify({ ...instance({ port: 8600 }), startedAtMs: 'now' }), 'startedAtMs: must be a number'],
    [JSON.stringify({ ...instance({ port: 8600 }), version: undefined }), 'version: must be a string'],
  ])('names the field that is wrong: %s', (text, problem) => {
    const dir = home();
    writeFileSync(instanceFilePath(dir), text);
    expect(readInstanceFile(dir)).toMatchObject({ kind: 'invalid', problem });
  });

  it('keeps only the fields it knows', () => {
    const dir = home();
    writeFileSync(instanceFilePath(dir), JSON.stringify({ ...instance(), extra: 'ignored' }));
    expect(readInstanceFile(dir)).toEqual({ kind: 'found', instance: instance() });
  });

  it('finds a live instance whose port answers', async () => {
    const dir = home();
    writeInstanceFile(dir, instance());
    expect(await findRunningInstance(dir)).toEqual(instance());
  });

  it('ignores a stale file: the process is gone, or its port does not answer', async () => {
    const dir = home();
    writeInstanceFile(dir, instance({ pid: deadPid() }));
    expect(await findRunningInstance(dir)).toBeNull();
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    writeInstanceFile(dir, instance({ port: closedPort }));
    expect(await findRunningInstance(dir)).toBeNull();
  });

  it('is removed only by the process it describes', () => {
    const dir = home();
    writeInstanceFile(dir, instance({ pid: process.pid + 1 }));
    removeInstanceFile(dir);
    expect(readInstanceFile(dir).kind).toBe('found');
    writeInstanceFile(dir, instance());
    removeInstanceFile(dir);
    expect(readInstanceFile(dir)).toEqual({ kind: 'none' });
  });
});
