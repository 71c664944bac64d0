import { realpathSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMappedFile, parseProcessMemory, readMappedFile, readProcessMemory } from './processMemory';

const smaps = `55d0c0000000-55d0c0100000 r--p 00000000 fd:01 1234    /models/m.gguf
Size:               1024 kB
Rss:                1000 kB
Referenced:          300 kB
55d0c0100000-55d0c0200000 rw-p 00000000 00:00 0
Rss:                 900 kB
Referenced:          900 kB
7f00c0000000-7f00c0100000 r--p 00100000 fd:01 1234    /models/m.gguf
Rss:                  24 kB
Referenced:            4 kB
`;

describe('/proc readings', () => {
  it('sums every mapping of one file and nothing else', () => {
    expect(parseMappedFile(smaps, '/models/m.gguf')).toEqual({
      residentBytes: 1024 * 1024,
      referencedBytes: 304 * 1024,
    });
    expect(parseMappedFile(smaps, '/models/other.gguf')).toBeNull();
  });

  it('reads RSS, its anonymous and file parts, and PSS', () => {
    const status = 'VmRSS:\t  2048 kB\nRssAnon:\t  1536 kB\nRssFile:\t   512 kB\n';
    expect(parseProcessMemory(status, 'Rss: 2048 kB\nPss:   1800 kB\n')).toEqual({
      rssBytes: 2048 * 1024,
      anonBytes: 1536 * 1024,
      fileBytes: 512 * 1024,
      pssBytes: 1800 * 1024,
    });
    expect(parseProcessMemory('Name: node\n', null)).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads this process, and a file it maps', () => {
    const own = readProcessMemory();
    expect(own?.anonBytes).toBeGreaterThan(0);
    expect(own?.rssBytes).toBeGreaterThanOrEqual((own?.anonBytes ?? 0) + (own?.fileBytes ?? 0) - 4096 * 16);
    // Node's own binary is a file this process maps (and has read).
    expect(readMappedFile(realpathSync(process.execPath))?.residentBytes).toBeGreaterThan(0);
  });
});
