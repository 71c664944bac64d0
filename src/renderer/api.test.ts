import { describe, expect, it, vi } from 'vitest';
import type { MaiBridge } from '../shared/bridge';
import type { EventEnvelope, ResourceSample } from '../shared/contract';
import { createApi } from './api';

const sample: ResourceSample = {
  atMs: 1,
  cpu: { percent: 5, cores: 2 },
  memory: { totalBytes: 100, availableBytes: 60, usedPercent: 40, maiBytes: 10 },
  swap: { totalBytes: 0, usedBytes: 0 },
  gpus: [],
};

/** A stand-in for the preload's window.mai (the real one needs Electron); it behaves like the preload. */
function bridgeWith(reply: unknown) {
  const listeners = new Map<string, (envelope: EventEnvelope) => void>();
  const bridge: MaiBridge = {
    invoke: vi.fn(async () => reply as never),
    on: (name, listener) => {
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
  };
  return { bridge, emit: (envelope: EventEnvelope) => listeners.get(envelope.name)?.(envelope) };
}

function windowWith(bridge: MaiBridge): Window {
  return { mai: bridge, location: { hash: '' } } as unknown as Window;
}

describe('createApi over window.mai', () => {
  it('uses the Electron bridge when present', () => {
    const { bridge } = bridgeWith({ ok: true, value: {} });
    const api = createApi(windowWith(bridge));
    expect(api.transport).toBe('electron');
    expect(api.problem).toBeNull();
  });

  it('hands on valid responses and turns off-contract ones into errors', async () => {
    const valid = bridgeWith({ ok: true, value: { samples: [sample] } });
    expect(await createApi(windowWith(valid.bridge)).invoke('resources.history', { windowMs: 1000 })).toEqual({
      ok: true,
      value: { samples: [sample] },
    });
    const broken = bridgeWith({ ok: true, value: { samples: 'none' } });
    expect(await createApi(windowWith(broken.bridge)).invoke('resources.history', { windowMs: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });

  it('passes error values through unchanged', async () => {
    const failing = bridgeWith({ ok: false, error: { code: 'unavailable', message: 'LM Studio is not running' } });
    expect(await createApi(windowWith(failing.bridge)).invoke('status.get', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'LM Studio is not running' },
    });
  });

  it('delivers valid events with their sequence number and drops malformed ones', () => {
    const { bridge, emit } = bridgeWith(null);
    const handler = vi.fn();
    createApi(windowWith(bridge)).on('resources.sample', handler);
    emit({ name: 'resources.sample', seq: 0, payload: sample });
    emit({ name: 'resources.sample', seq: 1, payload: { ...sample, cpu: { percent: 'high', cores: 2 } } });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler).toHaveBeenCalledWith(sample, 0);
  });
});
