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
