import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closedPort } from '../../../../test/lmstudio-server/testSupport';
import { refusedConnection } from './portProbe';

describe('refusedConnection', () => {
  it('names the refusal where nothing listens', async () => {
    expect(await refusedConnection(`http://127.0.0.1:${await closedPort()}`, 1_000)).toBe('ECONNREFUSED');
  });

  it('is null where something listens (the real request then says what it is)', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      expect(await refusedConnection(`http://127.0.0.1:${port}/v1`, 1_000)).toBeNull();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
