import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { candidateAddresses } from './lmStudioAddress';
import { findLmStudioHome, readPublishedPort } from './lmStudioHome';

/** A home folder with LM Studio's server file in it, as LM Studio writes it. */
async function publish(home: string, content: string, lmStudioHome = path.join(home, '.lmstudio')): Promise<void> {
  await mkdir(path.join(lmStudioHome, '.internal'), { recursive: true });
  await writeFile(path.join(lmStudioHome, '.internal', 'http-server.json'), content);
}

describe("LM Studio's published server port", () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'mai-lmstudio-home-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('reads the port from ~/.lmstudio/.internal/http-server.json', async () => {
    await publish(home, JSON.stringify({ host: '127.0.0.1', pid: 123, port: 45678 }));
    expect(await readPublishedPort(home)).toBe(45678);
  });

  it('finds LM Studio where lms does: the pointer file, else ~/.cache/lm-studio, else ~/.lmstudio', async () => {
    expect(await findLmStudioHome(home)).toBe(path.join(home, '.lmstudio'));
    await mkdir(path.join(home, '.cache', 'lm-studio'), { recursive: true });
    expect(await findLmStudioHome(home)).toBe(path.join(home, '.cache', 'lm-studio'));
    const elsewhere = path.join(home, 'elsewhere');
    await writeFile(path.join(home, '.lmstudio-home-pointer'), `${elsewhere}\n`);
    await publish(home, JSON.stringify({ port: 4321 }), elsewhere);
    expect(await readPublishedPort(home)).toBe(4321);
  });

  it.each([
    ['no file', null],
    ['invalid JSON', '{'],
    ['no port', JSON.stringify({ pid: 1 })],
    ['port zero', JSON.stringify({ port: 0 })],
    ['a fractional port', JSON.stringify({ port: 1234.5 })],
    ['a port above 65535', JSON.stringify({ port: 65536 })],
  ])('ignores %s', async (_what, content) => {
    if (content !== null) await publish(home, content);
    expect(await readPublishedPort(home)).toBeNull();
  });

  it('is probed before the fixed ports, and not at all when a URL is configured', () => {
    const local = candidateAddresses(undefined, undefined, 45678).map((address) => address.baseUrl);
    expect(local.slice(0, 2)).toEqual(['ws://127.0.0.1:45678', 'ws://127.0.0.1:1234']);
    expect(candidateAddresses('ws://10.0.0.2:1234', undefined, 45678)).toHaveLength(1);
  });
});
