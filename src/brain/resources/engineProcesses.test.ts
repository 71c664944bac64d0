import { describe, expect, it } from 'vitest';
import { ScriptedProcTable } from '../../../test/proc/scriptedProcTable';
import { EngineProcesses, isLmStudioProcess } from './engineProcesses';
import { ProcessTable } from './processTable';

describe('isLmStudioProcess', () => {
  it.each([
    ['lm-studio', true],
    ['LM Studio', true],
    ['LM Studio Helpe', true],
    ['lmstudio', true],
    ['llmster', true],
    ['node', false],
    ['chromium', false],
    ['filmstudio', false],
  ])('%s → %s', (name, expected) => {
    expect(isLmStudioProcess(name)).toBe(expected);
  });
});

describe('EngineProcesses', () => {
  it("finds LM Studio's processes, and reads the table again only after a minute", () => {
    const proc = new ScriptedProcTable([
      { pid: 10, name: 'lm-studio', rssBytes: 1 },
      { pid: 11, name: 'chromium', rssBytes: 1 },
    ]);
    const time = { ms: 0 };
    const engines = new EngineProcesses(new ProcessTable(proc.root), () => time.ms);
    expect(engines.lmStudio()).toEqual([10]);
    proc.set([{ pid: 12, name: 'llmster', rssBytes: 1 }]);
    time.ms = 59_000;
    expect(engines.lmStudio()).toEqual([10]);
    time.ms = 60_000;
    expect([...engines.lmStudio()].sort()).toEqual([10, 12]);
  });
});
