/**
 * `node --import tsx scripts/fetch-test-models.ts [dir]`: gives a machine without ../shared/models (a public CI
 * runner) the two test models, checked against their pinned sha256. The dir defaults to ../shared/models.
 */
import path from 'node:path';
import { provideTestModels } from './testModels';

const dir = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', '..', 'shared', 'models'));
const problems = await provideTestModels(dir, (url) => fetch(url));
if (problems.length > 0) {
  process.stderr.write(`Some test models could not be provided in ${dir}:\n${problems.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`Test models ready in ${dir}\n`);
