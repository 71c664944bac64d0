import { parseArgs } from 'node:util';
import { maiHomeDir } from './appPaths';
import { noModelsHelp } from './chatPreflight';
import { exitCodes } from './exitCodes';
import { ask, connectMai } from './maiClient';
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
  const mai = await connectMai({ maiHome: maiHomeDir() });
  try {
    if (values.recommended) {
      const { recommendations } = await ask(mai, { name: 'models.recommended', payload: {} });
      if (values.json) process.stdout.write(`${JSON.stringify(recommendations, null, 2)}\n`);
      else process.stdout.write(recommendationsTable(recommendations));
      return exitCodes.ok;
    }
    const { models } = await ask(mai, { name: 'models.list', payload: {} });
    if (values.json) process.stdout.write(`${JSON.stringify(models, null, 2)}\n`);
    else process.stdout.write(models.length === 0 ? noModelsHelp : modelsTable(models));
    return exitCodes.ok;
  } finally {
    await mai.close();
  }
}
