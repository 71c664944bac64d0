/** `mai models` grouped by host and `mai status` with its hosts: what a person reads. */
import { describe, expect, it } from 'vitest';
import type { BackendStatus, ModelListing } from '../shared/contract';
import { modelsTable } from './modelsReport';
import { hostsOf, hostText } from './statusReport';

const gib = 1024 ** 3;

function model(key: string, host?: ModelListing['host']): ModelListing {
  return {
    key,
    displayName: key,
    backend: host ? 'ollama' : 'embedded',
    category: 'small',
    sizeBytes: gib,
    contextWindow: 2048,
    capabilities: ['chat'],
    estimate: { ramBytes: host ? 0 : 2 * gib, vramBytes: 0, contextLength: 2048, method: 'formula' },
    fits: true,
    reason: host ? `runs on ${host.name}` : 'fits',
    loaded: false,
    usable: true,
    ...(host ? { host } : {}),
  };
}

describe('mai models', () => {
  it('is one table without hosts, as it always was', () => {
    const text = modelsTable([model('a'), model('b')]);
    expect(text.split('\n')[0]).toMatch(/^KEY\s+BACKEND/);
    expect(text).not.toContain('This machine:');
  });

  it('groups models by where they run: this machine first, then each host, with what they need there', () => {
    const studio = { name: 'studio-pc', needsBytes: 3 * gib, freeBytes: 60 * gib };
    const text = modelsTable([
      model('studio-pc/big', studio),
      model('here'),
      model('rig/x', { ...studio, name: 'rig' }),
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines.filter((l) => l.endsWith(':'))).toEqual(['This machine:', 'rig:', 'studio-pc:']);
    expect(lines[lines.indexOf('This machine:') + 1]).toMatch(/^here\s/);
    expect(lines[lines.indexOf('studio-pc:') + 1]).toMatch(/^studio-pc\/big\s+ollama.*3\.0 GiB there/);
  });
});

describe('mai status', () => {
  const backends = [
    {
      id: 'ollama',
      status: 'ready',
      detail: 'hosts: studio-pc ready, rig unavailable',
      hosts: [
        {
          name: 'studio-pc',
          kind: 'ollama',
          url: 'http://192.168.1.20:11434',
          status: 'ready',
          detail: 'Ollama 0.12.6',
          models: 3,
          loaded: 1,
          memory: { usedBytes: 4 * gib, capacityBytes: 64 * gib },
        },
        {
          name: 'rig',
          kind: 'ollama',
          url: 'http://rig:11434',
          status: 'unavailable',
          detail: 'nothing answers at rig (ECONNREFUSED)',
          models: 0,
          loaded: 0,
          memory: { usedBytes: null, capacityBytes: null },
        },
      ],
    },
    { id: 'embedded', status: 'ready', detail: 'node-llama-cpp' },
  ] satisfies BackendStatus[];

  it('shows each host: reachable, its models and memory, or why it is not there', () => {
    const [studio, rig] = hostsOf(backends);
    expect(studio && hostText(studio)).toBe(
      'ready: 3 models (1 loaded), 4.0 GiB used of 64.0 GiB; Ollama at http://192.168.1.20:11434',
    );
    expect(rig && hostText(rig)).toBe('unavailable: nothing answers at rig (ECONNREFUSED)');
  });

  it('lists the hosts of every engine flat, for --json', () => {
    expect(hostsOf(backends).map((h) => `${h.name} ${h.status}`)).toEqual(['studio-pc ready', 'rig unavailable']);
  });
});
