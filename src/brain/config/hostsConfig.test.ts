import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHostsYaml } from './hostsConfig';
import { loadConfig } from './loadConfig';
import { shippedConfigDir } from './paths';
import { bytesPerGib } from './units';

const dir = mkdtempSync(path.join(tmpdir(), 'mai-hosts-'));
const file = path.join(dir, 'hosts.yaml');
const parse = (text: string) => parseHostsYaml({ text, file });

describe('hosts.yaml', () => {
  it('reads each host with its kind, URL, token file (relative to the file) and memory', () => {
    writeFileSync(path.join(dir, 'studio.token'), 'secret\n');
    const { hosts, errors } = parse(
      [
        'hosts:',
        '  - name: studio-pc',
        '    kind: ollama',
        '    url: http://192.168.1.20:11434/',
        '    token_file: studio.token',
        '    memory_gb: 64',
        '  - { name: rig, kind: openai, url: "https://rig.lan:8000/v1" }',
        '',
      ].join('\n'),
    );
    expect(errors).toEqual([]);
    expect(hosts).toEqual([
      {
        name: 'studio-pc',
        kind: 'ollama',
        url: 'http://192.168.1.20:11434',
        tokenFile: path.join(dir, 'studio.token'),
        capacityBytes: 64 * bytesPerGib,
      },
      { name: 'rig', kind: 'openai', url: 'https://rig.lan:8000/v1', tokenFile: null, capacityBytes: null },
    ]);
  });

  it.each([
    ['  - { name: "a/b", kind: ollama, url: "http://x:1" }', 'hosts[0].name', 'one word'],
    ['  - { name: a, kind: docker, url: "http://x:1" }', 'hosts[0].kind', 'one of lmstudio, ollama, openai'],
    ['  - { name: a, kind: ollama, url: "x:1" }', 'hosts[0].url', 'http(s)://'],
    ['  - { name: a, kind: ollama, url: "http://me:pw@x:1" }', 'hosts[0].url', 'without a user name or password'],
    ['  - { name: a, kind: ollama, url: "http://x:1", memory_gb: 0 }', 'hosts[0].memory_gb', 'above 0'],
    ['  - { name: a, kind: ollama, url: "http://x:1", token: abc }', 'hosts[0].token', 'not a known field'],
    ['  - { name: a, kind: ollama }', 'hosts[0].url', 'is required'],
  ])('names the file, line and field of %s', (entry, field, words) => {
    const { hosts, errors } = parse(`# my hosts\nhosts:\n${entry}\n`);
    expect(hosts).toEqual([]);
    expect(errors[0]).toMatchObject({ file, line: 3, path: field });
    expect(errors[0]?.message).toContain(words);
  });

  it('refuses a name given twice, at the second', () => {
    const { errors } = parse(
      'hosts:\n  - { name: pc, kind: ollama, url: "http://a:1" }\n  - { name: PC, kind: openai, url: "http://b:1" }\n',
    );
    expect(errors).toEqual([
      expect.objectContaining({ line: 3, path: 'hosts[1].name', message: expect.stringContaining('unique') }),
    ]);
  });

  it('keeps a host whose token file cannot be read, and says where and why', () => {
    const { hosts, errors } = parse(
      'hosts:\n  - name: pc\n    kind: ollama\n    url: http://a:1\n    token_file: nope\n',
    );
    expect(hosts).toHaveLength(1);
    expect(errors).toEqual([
      expect.objectContaining({ line: 5, path: 'hosts[0].token_file', message: expect.stringContaining('ENOENT') }),
    ]);
  });

  it('is read by loadConfig from the user folder beside models.yaml; none there means no hosts', () => {
    const userDir = mkdtempSync(path.join(tmpdir(), 'mai-config-'));
    const defaultsDir = shippedConfigDir({});
    expect(loadConfig({ defaultsDir, userDir }).hosts).toEqual([]);
    writeFileSync(path.join(userDir, 'hosts.yaml'), 'hosts:\n  - { name: pc, kind: lmstudio, url: "ws://a:1234" }\n');
    expect(loadConfig({ defaultsDir, userDir }).hosts).toMatchObject([{ name: 'pc', kind: 'lmstudio' }]);
    writeFileSync(path.join(userDir, 'hosts.yaml'), 'hosts: [unclosed\n');
    const broken = loadConfig({ defaultsDir, userDir });
    expect(broken.hosts).toEqual([]);
    expect(broken.errors[0]).toMatchObject({ file: path.join(userDir, 'hosts.yaml'), line: expect.any(Number) });
  });
});
