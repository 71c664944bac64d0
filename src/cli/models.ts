import { parseArgs } from 'node:util';
import { createBrain } from '../brain';
import type { ModelListing } from '../shared/contract';
import { noModelsHelp } from './chatPreflight';
import { CliError, exitCodes } from './exitCodes';
import { modelsTable } from './modelsReport';

export async function runModels(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: mai models [--json]\n\nEvery model Mai can use, with its memory estimate and whether it fits now.\n',
    );
    return exitCodes.ok;
  }
  const brain = createBrain();
  try {
    await brain.start();
    const result = await brain.invoke({ name: 'models.list', payload: {} });
    if (!result.ok) throw new CliError(result.error.message);
    const { models } = result.value as { models: ModelListing[] };
    if (values.json) process.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
    else process.stdout.write(models.length === 0 ? noModelsHelp : modelsTable(models));
    return exitCodes.ok;
  } finally {
    await brain.shutdown();
  }
}
