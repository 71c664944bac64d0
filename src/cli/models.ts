import { parseArgs } from 'node:util';
import { createBrain } from '../brain';
import type { ModelListing, RecommendationView } from '../shared/contract';
import { noModelsHelp } from './chatPreflight';
import { CliError, exitCodes } from './exitCodes';
import { modelsTable, recommendationsTable } from './modelsReport';

export async function runModels(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: 'boolean' },
      recommended: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      'Usage: mai models [--recommended] [--json]\n\nEvery model Mai can use, with its memory estimate and whether it fits now.\n' +
        '--recommended: the models Mai can download that suit this machine, best first (get one with mai pull <key>).\n',
    );
    return exitCodes.ok;
  }
  const brain = createBrain();
  try {
    await brain.start();
    if (values.recommended) {
      const answer = await brain.invoke({ name: 'models.recommended', payload: {} });
      if (!answer.ok) throw new CliError(answer.error.message);
      const { recommendations } = answer.value as { recommendations: RecommendationView[] };
      if (values.json) process.stdout.write(`${JSON.stringify(recommendations, null, 2)}\n`);
      else process.stdout.write(recommendationsTable(recommendations));
      return exitCodes.ok;
    }
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
