/** Reading Playwright's JSON report for what one project's specs did (see check-electron-e2e.ts). */
export interface ReportSuite {
  specs?: { tests?: { projectName?: string; status?: string }[] }[];
  suites?: ReportSuite[];
}

/** How many of a project's tests Playwright's JSON report counts under each status (expected, skipped, …). */
export function projectStatuses(report: ReportSuite, projectName: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (suite: ReportSuite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.projectName !== projectName) continue;
        const status = test.status ?? 'unknown';
        counts[status] = (counts[status] ?? 0) + 1;
      }
    }
    suite.suites?.forEach(walk);
  };
  walk(report);
  return counts;
}

/** Why the Electron E2E run does not count, or null when every spec ran and passed. */
export function electronE2eProblem(counts: Record<string, number>): string | null {
  const ran = (counts.expected ?? 0) + (counts.flaky ?? 0);
  const notPassed = Object.entries(counts).filter(([status]) => status !== 'expected' && status !== 'flaky');
  if (ran === 0) return 'no Electron spec ran';
  if (notPassed.length > 0) return `Electron specs not passed: ${notPassed.map(([s, n]) => `${n} ${s}`).join(', ')}`;
  return null;
}
