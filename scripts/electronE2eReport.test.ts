import { describe, expect, it } from 'vitest';
import { electronE2eProblem, projectStatuses } from './electronE2eReport';

const report = {
  suites: [
    {
      specs: [{ tests: [{ projectName: 'web', status: 'expected' }] }],
      suites: [
        {
          specs: [
            { tests: [{ projectName: 'electron', status: 'expected' }] },
            { tests: [{ projectName: 'electron', status: 'skipped' }] },
          ],
        },
      ],
    },
  ],
};

describe('projectStatuses', () => {
  it('counts one project’s tests by status, through nested suites', () => {
    expect(projectStatuses(report, 'electron')).toEqual({ expected: 1, skipped: 1 });
    expect(projectStatuses(report, 'web')).toEqual({ expected: 1 });
  });
});

describe('electronE2eProblem', () => {
  it.each([
    [{ expected: 7 }, null],
    [{ expected: 6, flaky: 1 }, null],
    [{}, 'no Electron spec ran'],
    [{ skipped: 7 }, 'no Electron spec ran'],
    [{ expected: 6, skipped: 1 }, 'Electron specs not passed: 1 skipped'],
    [{ expected: 5, unexpected: 2 }, 'Electron specs not passed: 2 unexpected'],
  ])('%j → %s', (counts, problem) => {
    expect(electronE2eProblem(counts)).toBe(problem);
  });
});
