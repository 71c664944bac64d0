/**
 * `node --import tsx scripts/check-electron-e2e.ts`: after `npm test` in CI, where the Electron runtime was fetched,
 * fails unless the Electron specs really ran. They skip where the runtime is absent, which is right on a machine
 * without it and wrong on a CI runner that installed it: there a skip would hide that nothing was tested.
 */
import { readFileSync } from 'node:fs';
import { electronE2eProblem, projectStatuses, type ReportSuite } from './electronE2eReport';

const file = process.argv[2] ?? '.test-results/playwright.json';
const counts = projectStatuses(JSON.parse(readFileSync(file, 'utf8')) as ReportSuite, 'electron');
const problem = electronE2eProblem(counts);
process.stdout.write(`Electron E2E: ${JSON.stringify(counts)}\n`);
if (problem) {
  process.stderr.write(`${problem} (see ${file})\n`);
  process.exit(1);
}
