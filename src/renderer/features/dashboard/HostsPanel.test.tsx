import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostStatus } from '../../../shared/contract';
import { HostsList, HostsPanel } from './HostsPanel';

afterEach(cleanup);

const gib = 1024 ** 3;
const hosts: HostStatus[] = [
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
    kind: 'openai',
    url: 'http://rig:8000/v1',
    status: 'unavailable',
    detail: 'nothing answers at rig (ECONNREFUSED)',
    models: 0,
    loaded: 0,
    memory: { usedBytes: null, capacityBytes: null },
  },
];

describe('HostsPanel', () => {
  it('shows each host: reachable or why not, its models, its memory', () => {
    render(<HostsList hosts={hosts} />);
    const rows = screen
      .getAllByTestId('host')
      .map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(rows).toEqual([
      ['studio-pc', 'Ollama', 'yes', '3 (1 loaded)', '4.0 GiB of 64.0 GiB'],
      ['rig', 'OpenAI-compatible', 'no: nothing answers at rig (ECONNREFUSED)', '0 (0 loaded)', '—'],
    ]);
  });

  it('is not there when hosts.yaml names no host', () => {
    const { container } = render(<HostsPanel />);
    expect(container.textContent).toBe('');
  });
});
