import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from './settings';

function home(content?: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mai-settings-'));
  if (content !== undefined) writeFileSync(path.join(dir, 'settings.json'), content);
  return dir;
}

describe('readSettings', () => {
  it('gives the defaults without a file', () => {
    expect(readSettings(home())).toEqual({ settings: { pinnedModel: null }, errors: [] });
  });

  it('reads a pinned model', () => {
    expect(readSettings(home('{"pinnedModel":"stories260K"}')).settings).toEqual({ pinnedModel: 'stories260K' });
  });

  it('names the file and the field of a bad value, and falls back to the defaults', () => {
    const dir = home('{"pinnedModel": 42}');
    const { settings, errors } = readSettings(dir);
    expect(settings).toEqual({ pinnedModel: null });
    expect(errors).toEqual([
      expect.objectContaining({
        file: path.join(dir, 'settings.json'),
        path: 'pinnedModel',
        message: expect.stringContaining('got 42'),
      }),
    ]);
  });

  it('reports a file that is not JSON', () => {
    expect(readSettings(home('{pinned')).errors[0]?.message).toMatch(/^not valid JSON/);
  });
});
